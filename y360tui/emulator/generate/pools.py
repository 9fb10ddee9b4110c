"""Constants and text pools of the demo-organisation generator: names, structure, events."""

from __future__ import annotations

import re

MAIL_EVENTS_PER_USER = 40
MAIL_EVENTS_CAP = 50_000
AUDIT_EVENTS_PER_USER = 30
AUDIT_EVENTS_CAP = 40_000
DISK_EVENTS_PER_USER = 5
DISK_EVENTS_CAP = 10_000
WINDOW_DAYS = 90
TRACKER_GROUP_OFFSET = 100_000
TRACKER_SOURCES = ["directory"]  # shared by every tracker user
UID_BASE = 1_130_000_000_000_000
DOMAIN = "demo-corp.ru"

READ_SCOPES = frozenset({
    "directory:read_users", "directory:read_departments", "directory:read_groups",
    "directory:read_organization", "directory:read_domains", "ya360_security:audit_log_mail",
    "ya360_security:audit_log_disk", "ya360_security:read_auditlog",
    "ya360_security:domain_sessions_read", "ya360_security:domain_passwords_read",
    "ya360_security:service_applications_read", "cloud_api:disk.read", "tracker:read",
    "ya360_admin:mail_read_routing_rules", "ya360_admin:mail_read_antispam_settings",
    "ya360_admin:mail_read_shared_mailbox_inventory",
    "ya360_admin:mail_read_user_settings",
})

# ---------------------------------------------------------------------------------------------
# Name pools
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


RU_MALE = _words(
    "Александр Алексей Андрей Антон Артём Борис Вадим Валентин Василий Виктор Виталий Владимир "
    "Владислав Вячеслав Георгий Глеб Григорий Даниил Денис Дмитрий Евгений Егор Иван Игорь Илья "
    "Кирилл Константин Леонид Максим Матвей Михаил Никита Николай Олег Павел Пётр Роман Руслан "
    "Семён Сергей Станислав Степан Тимофей Тимур Фёдор Юрий Ярослав"
)
RU_FEMALE = _words(
    "Александра Алина Алиса Алла Анастасия Анна Валентина Валерия Вера Вероника Виктория Галина "
    "Дарья Диана Евгения Екатерина Елена Елизавета Жанна Зоя Ирина Карина Кира Кристина Ксения "
    "Лариса Людмила Маргарита Марина Мария Надежда Наталья Нина Оксана Олеся Ольга Полина "
    "Светлана София Таисия Татьяна Ульяна Юлия Яна"
)
# Patronymics as (male, female) pairs: the rules of Russian patronymics have enough
# exceptions that a table is shorter than the code.
RU_PATRONYMICS = tuple(tuple(p.split("/")) for p in _words(
    "Александрович/Александровна Алексеевич/Алексеевна Андреевич/Андреевна Борисович/Борисовна "
    "Васильевич/Васильевна Викторович/Викторовна Владимирович/Владимировна "
    "Геннадьевич/Геннадьевна Григорьевич/Григорьевна Дмитриевич/Дмитриевна "
    "Евгеньевич/Евгеньевна Иванович/Ивановна Игоревич/Игоревна Ильич/Ильинична "
    "Константинович/Константиновна Михайлович/Михайловна Николаевич/Николаевна "
    "Олегович/Олеговна Павлович/Павловна Петрович/Петровна Романович/Романовна "
    "Сергеевич/Сергеевна Юрьевич/Юрьевна Анатольевич/Анатольевна Валерьевич/Валерьевна"
))
RU_SURNAMES = _words(
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев "
    "Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев "
    "Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин "
    "Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов "
    "Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов "
    "Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев "
    "Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Быков "
    "Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев "
    "Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников "
    "Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев "
    "Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Галкин Лукьянов Михеев "
    "Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Воронцов "
    "Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников "
    "Хохлов Жданов Руденко Шевченко Бондаренко Ткаченко Коваленко Островский Вишневский "
    "Покровский Жуковский Белых Черных Шубин Зуев"
)
EN_MALE = _words(
    "James John Robert Michael William David Richard Thomas Daniel Matthew Andrew Christopher "
    "Mark Paul Steven George Edward Peter Oliver Henry Jack Samuel Benjamin Lucas"
)
EN_FEMALE = _words(
    "Mary Emma Olivia Sophia Emily Sarah Jessica Jennifer Elizabeth Laura Anna Kate Lucy Grace "
    "Chloe Hannah Rachel Rebecca Megan Amelia Charlotte Alice"
)
EN_SURNAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans "
    "Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson "
    "Bailey Reed Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price "
    "Sanders Foster Fisher Hunt Palmer Webb"
)

TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}


def translit(text: str) -> str:
    """Lower-case Latin transliteration of Russian text (passport style, ``ё`` -> ``e``)."""
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower())


def slugify(text: str) -> str:
    """A mail local part from any text: transliterated, lower case, words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", translit(text)).strip("-")


def feminine_surname(surname: str) -> str:
    """The female form of a Russian surname (Петров -> Петрова, Островский -> Островская)."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    return surname


def _people_pools() -> dict[tuple[bool, bool], tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """(russian, male) -> (first names, surnames), each as (display form, login form)."""
    def ru(names: list[str]) -> list[tuple[str, str]]:
        return [(n, translit(n)) for n in names]

    def en(names: list[str]) -> list[tuple[str, str]]:
        return [(n, n.lower()) for n in names]

    return {
        (True, True): (ru(RU_MALE), ru(RU_SURNAMES)),
        (True, False): (ru(RU_FEMALE), ru([feminine_surname(s) for s in RU_SURNAMES])),
        (False, True): (en(EN_MALE), en(EN_SURNAMES)),
        (False, False): (en(EN_FEMALE), en(EN_SURNAMES)),
    }


PEOPLE = _people_pools()


# ---------------------------------------------------------------------------------------------
# Organisation structure pools
# ---------------------------------------------------------------------------------------------

# (division name, label, department names, positions)
DIVISIONS = (
    ("Коммерческая дирекция", "sales",
     ("Отдел продаж", "Отдел по работе с ключевыми клиентами", "Отдел маркетинга",
      "Отдел партнёрских программ", "Тендерный отдел", "Отдел клиентского сервиса"),
     ("Менеджер по продажам", "Старший менеджер по продажам", "Аккаунт-менеджер", "Маркетолог",
      "Специалист по тендерам", "Менеджер по работе с партнёрами", "Бренд-менеджер")),
    ("Дирекция информационных технологий", "it",
     ("Отдел разработки", "Отдел тестирования", "Отдел инфраструктуры",
      "Отдел информационной безопасности", "Служба технической поддержки",
      "Отдел аналитики данных", "Отдел архитектуры"),
     ("Разработчик", "Ведущий разработчик", "Инженер по тестированию", "Системный администратор",
      "DevOps-инженер", "Аналитик данных", "Специалист технической поддержки", "Архитектор",
      "Специалист по информационной безопасности")),
    ("Финансовая дирекция", "finance",
     ("Бухгалтерия", "Казначейство", "Отдел планирования и бюджетирования",
      "Отдел налогового учёта", "Отдел финансового контроля"),
     ("Бухгалтер", "Ведущий бухгалтер", "Экономист", "Финансовый аналитик", "Казначей",
      "Специалист по налогам", "Контролёр")),
    ("Дирекция по персоналу", "hr",
     ("Отдел подбора персонала", "Отдел кадрового администрирования",
      "Отдел обучения и развития", "Отдел компенсаций и льгот"),
     ("HR-менеджер", "Рекрутер", "Специалист по кадрам", "Бизнес-тренер",
      "Специалист по компенсациям и льготам")),
    ("Производственная дирекция", "production",
     ("Отдел планирования производства", "Отдел контроля качества", "Отдел главного технолога",
      "Отдел главного механика", "Цех сборки"),
     ("Инженер-технолог", "Инженер по качеству", "Мастер участка", "Инженер-механик",
      "Специалист по планированию")),
    ("Дирекция логистики", "logistics",
     ("Отдел закупок", "Складской комплекс", "Транспортный отдел",
      "Отдел таможенного оформления"),
     ("Логист", "Специалист по закупкам", "Кладовщик", "Диспетчер", "Специалист по ВЭД")),
    ("Юридическая служба", "legal",
     ("Договорной отдел", "Отдел судебной работы", "Отдел корпоративного права"),
     ("Юрист", "Ведущий юрист", "Юрисконсульт", "Помощник юриста")),
    ("Административная дирекция", "office",
     ("Административно-хозяйственный отдел", "Канцелярия", "Служба безопасности",
      "Отдел эксплуатации зданий"),
     ("Офис-менеджер", "Администратор", "Делопроизводитель", "Специалист службы безопасности",
      "Инженер по эксплуатации")),
    ("Дирекция по связям с общественностью", "pr",
     ("Пресс-служба", "Отдел внутренних коммуникаций", "Отдел digital-коммуникаций"),
     ("PR-менеджер", "Редактор", "SMM-специалист", "Дизайнер", "Копирайтер")),
    ("Дирекция по развитию", "strategy",
     ("Отдел стратегического планирования", "Проектный офис", "Отдел исследований"),
     ("Руководитель проектов", "Бизнес-аналитик", "Аналитик", "Менеджер проектов",
      "Исследователь")),
    ("Дирекция по работе с клиентами", "service",
     ("Контакт-центр", "Отдел качества обслуживания", "Отдел сервисного обслуживания"),
     ("Оператор контакт-центра", "Старший оператор", "Специалист по качеству",
      "Сервисный инженер")),
    ("Региональная сеть", "regions",
     ("Филиал в Санкт-Петербурге", "Филиал в Новосибирске", "Филиал в Екатеринбурге",
      "Филиал в Казани", "Филиал в Нижнем Новгороде", "Филиал в Краснодаре",
      "Филиал в Самаре", "Филиал в Ростове-на-Дону"),
     ("Региональный менеджер", "Менеджер по продажам", "Специалист по работе с клиентами",
      "Администратор филиала")),
)
IT_DIVISION = 1  # index in DIVISIONS: where the administrators work
CITIES = ("Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань",
          "Нижний Новгород", "Краснодар", "Самара", "Ростов-на-Дону", "Пермь", "Воронеж")
TEAM_TOPICS = ("поддержки", "аналитики", "планирования", "развития", "сопровождения",
               "внедрения", "контроля", "отчётности", "методологии", "автоматизации",
               "мониторинга", "интеграций", "качества", "документооборота")
SQUAD_NAMES = ("Альфа", "Бета", "Гамма", "Дельта", "Омега", "Сигма", "Орион", "Вега",
               "Сириус", "Альтаир", "Кассиопея", "Андромеда", "Персей", "Пегас", "Лира")
HEAD_TITLES = ("Генеральный директор", "Директор направления", "Начальник отдела",
               "Руководитель группы", "Тимлид")
ROOT_POSITIONS = ("Помощник генерального директора", "Советник генерального директора",
                  "Исполнительный директор", "Секретарь")
ADMIN_POSITIONS = ("Системный администратор", "Администратор Яндекс 360",
                   "Руководитель ИТ-поддержки")
DEPT_DESCRIPTIONS = ("", "", "Подразделение головного офиса", "Работает по графику 5/2",
                     "Подчиняется напрямую генеральному директору", "Сотрудники на удалёнке")
ROBOTS = (("backup", "Резервное копирование"), ("mailer", "Рассылки"), ("crm", "CRM"),
          ("monitoring", "Мониторинг"), ("1c", "1С"), ("jira", "Jira"), ("hr", "Кадры"),
          ("scanner", "Сканер документов"), ("calendar", "Переговорные"), ("reports", "Отчёты"))
ABOUT = ("Отвечаю за ключевых клиентов", "В компании с первого дня", "Пишите в мессенджер",
         "По срочным вопросам звоните на мобильный", "Работаю удалённо по вторникам",
         "Ментор стажёров", "Люблю горы и велосипед", "Говорю по-английски и по-немецки",
         "Available for calls 10:00-18:00 MSK", "Ask me about onboarding")
RU_TIMEZONES = ("Asia/Yekaterinburg", "Asia/Novosibirsk", "Europe/Kaliningrad", "Europe/Samara",
                "Asia/Vladivostok", "Asia/Omsk")
EN_TIMEZONES = ("Europe/London", "Asia/Dubai", "Europe/Berlin", "Asia/Yerevan")
PHONE_LABELS = ("", "", "Рабочий", "Мобильный")

# (name, label or "", description)
GROUP_LISTS = (
    ("Новости компании", "news", "Общие новости и объявления компании"),
    ("Рассылка для руководителей", "managers", "Информация для руководителей подразделений"),
    ("ИТ-дайджест", "it-digest", "Еженедельный дайджест ИТ-дирекции"),
    ("Объявления офиса", "office-news", "Переговорные, доступ в здание, парковка"),
    ("Дежурные", "duty", "Дежурные инженеры"),
    ("Бухгалтерия: вопросы", "buh", "Вопросы по авансовым отчётам и закрывающим документам"),
    ("Обучение", "learning", "Курсы, вебинары и внутренние тренинги"),
    ("Пресс-релизы", "press", "Согласование пресс-релизов"),
    ("Клиентские инциденты", "incidents", "Оповещения о клиентских инцидентах"),
)
GROUP_COMMITTEES = (
    ("Комитет по закупкам", "procurement"), ("Комитет по рискам", "risk"),
    ("Инвестиционный комитет", "invest"), ("Рабочая группа по информационной безопасности", "sec"),
    ("Рабочая группа по импортозамещению", "import"), ("Совет по качеству", "quality"),
    ("Экспертный совет", "experts"), ("Комиссия по охране труда", "safety"),
)
GROUP_CLUBS = ("Беговой клуб", "Шахматный клуб", "Книжный клуб", "Йога по средам", "Волонтёры",
               "Футбол по четвергам", "Клуб настольных игр", "Фотоклуб",
               "Английский разговорный клуб", "Велоклуб", "Лыжная секция")
GROUP_SYSTEMS = ("CRM", "1С:Бухгалтерия", "1С:ЗУП", "VPN", "Jira", "Confluence", "GitLab",
                 "Битрикс24", "Power BI", "СЭД", "Гостевой Wi-Fi", "Сетевые принтеры")
CODENAMES = ("Феникс", "Орион", "Атлас", "Меридиан", "Горизонт", "Вектор", "Квант", "Импульс",
             "Полюс", "Сапсан", "Байкал", "Эльбрус", "Ладога", "Алтай", "Памир", "Восход",
             "Зенит", "Гранит", "Кристалл", "Маяк", "Парус", "Компас", "Спектр", "Титан",
             "Аврора", "Бриз", "Гелиос", "Дельфин", "Енисей", "Ирбис", "Кедр", "Лотос",
             "Нева", "Онега", "Прометей", "Радуга", "Сокол", "Тайга", "Урал", "Факел",
             "Чайка", "Шторм", "Эверест", "Юпитер", "Ястреб")
# kind -> (weight, smallest, largest number of user members)
GROUP_KINDS = {"project": (40, 3, 25), "list": (12, 20, 400), "access": (18, 10, 200),
               "committee": (8, 3, 12), "club": (10, 5, 60), "office": (12, 10, 250)}

# ---------------------------------------------------------------------------------------------
# Event pools
# ---------------------------------------------------------------------------------------------

# eventType -> (weight, direction, [(folderType, folderName, weight)], [(source, weight)])
MAIL_TYPES: dict[str, tuple[float, str, tuple, tuple]] = {
    "message_receive": (38, "in", (("inbox", "Входящие", 9), ("spam", "Спам", 1)),
                        (("server", 1),)),
    "message_seen": (24, "in", (("inbox", "Входящие", 8), ("user", None, 2)),
                     (("native", 6), ("imap", 3), ("pop3", 1))),
    "mailbox_send": (11, "out", (("sent", "Отправленные", 1),), (("native", 7), ("imap", 3))),
    "message_answer": (5, "in", (("inbox", "Входящие", 1),), (("native", 7), ("imap", 3))),
    "message_forward": (2, "in", (("inbox", "Входящие", 1),), (("native", 8), ("imap", 2))),
    "message_move": (5, "in", (("user", None, 3), ("archive", "Архив", 2)),
                     (("native", 6), ("imap", 4))),
    "message_trash": (5, "in", (("trash", "Удалённые", 1),), (("native", 6), ("imap", 4))),
    "message_purge": (2, "in", (("trash", "Удалённые", 1),), (("native", 5), ("server", 5))),
    "message_unseen": (2, "in", (("inbox", "Входящие", 1),), (("native", 1),)),
    "message_spam": (1.5, "in", (("spam", "Спам", 1),), (("native", 1),)),
    "message_unspam": (0.5, "in", (("inbox", "Входящие", 1),), (("native", 1),)),
    "message_copy": (1, "in", (("user", None, 1),), (("imap", 1),)),
}
USER_FOLDERS = ("Проекты", "Клиенты", "Отчёты", "Рассылки", "Архив 2024", "Важное", "Договоры")
# eventType -> labels picked by a uniform draw (None = no labels key); lists are shared.
MAIL_LABELS = {"message_receive": (["attached"], None, None, None, None),
               "message_seen": (["seen"], ["seen"], ["seen"], ["seen", "attached"]),
               "mailbox_send": (None,) * 19 + (["delayed"],)}
SUBJECTS = ("Отчёт за неделю", "Согласование договора", "Счёт на оплату", "Встреча в четверг",
            "Планёрка", "Итоги квартала", "Бюджет на следующий год", "Заявка на отпуск",
            "Командировка в Казань", "Обновление регламента", "Доступ к CRM", "Коммерческое "
            "предложение", "Акт сверки", "Презентация для клиента", "Пропуск для гостя",
            "Новая версия ТЗ", "Опрос сотрудников", "Приглашение на вебинар", "Weekly sync",
            "Invoice", "Project update", "Meeting notes", "Ошибка в отчёте", "Срочно: сбой VPN",
            "Поздравляем с днём рождения!", "Закупка ноутбуков", "Релиз 2.4", "Ревью кода")
EXTERNAL_SENDERS = ("info@partner-logistic.ru", "noreply@bank-client.ru", "sales@supplier.com",
                    "support@crm-vendor.ru", "news@rbc.ru", "hr@hh.ru", "billing@cloud.example",
                    "office@arenda-bc.ru", "client@retail-group.ru", "ceo@startup.io",
                    "robot@1c-hosting.ru", "events@conf.example", "legal@law-firm.ru")
DISK_LEGACY_TYPES = (("fs-store", 30), ("fs-mkdir", 8), ("fs-move", 10), ("fs-copy", 6),
                     ("fs-set-public", 5), ("fs-set-public-settings", 2), ("fs-trash-append", 8),
                     ("fs-trash-drop", 2), ("fs-trash-drop-all", 0.5), ("fs-rm", 3),
                     ("share-create-group", 1), ("share-invite-user", 2),
                     ("share-activate-invite", 1.5), ("share-change-rights", 1),
                     ("share-change-invite-rights", 0.5))
SIGNIN_TYPES = (("id_cookie.set", 60), ("id_nondevice_token.issued", 12),
                ("id_device_token.issued", 10), ("id_app_password.login", 12),
                ("id_account.glogout", 3), ("id_account.changed_password", 3))
ADMIN_TYPES = tuple("ya360_b2bplatform_" + t for t in (
    "user_created", "user_dismissed", "user_blocked", "user_unblocked", "user_updated",
    "user_alias_created", "user_alias_deleted", "user_password_updated", "invite_created",
    "invite_used", "group_created", "group_deleted", "group_updated", "group_member_created",
    "group_member_deleted", "department_created", "department_updated",
    "department_member_created", "department_member_deleted", "organization_updated",
    "domain_updated", "resource_shared_mailbox_created", "resource_room_updated"))
DISK_TYPES = tuple("disk_" + t for t in (
    "fs-mkdir", "fs-store", "fs-store", "fs-store", "fs-copy", "fs-move", "fs-view", "fs-view",
    "fs-view", "fs-get-download-url", "fs-get-download-url", "fs-public-view", "fs-set-public",
    "fs-set-private", "fs-set-public-settings", "fs-trash-append", "fs-trash-restore",
    "fs-trash-drop", "fs-rm", "share-create-group", "share-invite-user",
    "share-activate-invite", "share-change-rights", "fs-hardlink-copy"))
TELEMOST_TYPES = tuple("telemost_conference." + t for t in (
    "created", "started", "ended", "peer.joined", "peer.joined", "peer.joined", "peer.kicked",
    "peer.role_changed", "waiting_room.peer.joined", "waiting_room.peer.admitted",
    "waiting_room.peer.left", "access_level_changed", "live_stream.created",
    "live_stream.started", "live_stream.ended", "live_stream.viewer.joined"))
MESSENGER_TYPES = tuple("messenger_chat." + t for t in (
    "created", "info_changed", "member.added", "member.added", "member.removed",
    "member.role_changed", "file_sent", "file_sent", "file_sent", "message_deleted",
    "call_started", "call_started", "invite_link_renewed", "member_rights_changed",
    "group_added", "department_added"))
# category -> (weight, [(service, weight)])
AUDIT_CATEGORIES = {
    "signin": (45, (("ID", 8), ("Web", 1), ("Mobile", 1))),
    "disk": (25, (("Web", 4), ("Desktop", 2), ("Mobile", 2), ("Synchronization", 2))),
    "telemost": (12, (("Web", 5), ("Desktop", 3), ("Mobile", 2))),
    "messenger": (14, (("Web", 4), ("Desktop", 4), ("Mobile", 3), ("Internal", 0.2))),
    "admin": (3, (("Web", 6), ("Api", 4), ("Unknown", 0.1))),
}
USER_AGENTS = ("Chrome 126, Windows 10", "Firefox 127, Ubuntu", "Safari 17, macOS",
               "Yandex Browser 24.6, Windows 11", "Яндекс 360 для iOS", "Яндекс 360 для Android",
               "Thunderbird 115", "Microsoft Outlook 16")
CHAT_NAMES = ("Общий чат", "Флудилка", "Дежурство", "Релизы", "Планёрка", "Обеды", "Поддержка",
              "Продажи: горячие лиды", "Новички", "Архитектурный комитет")

# Disk: (file name, mime type, smallest size, largest size)
DISK_FILES = (
    ("Отчёт Q{q}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     20_000, 900_000),
    ("Бюджет {y}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     15_000, 3_000_000),
    ("Презентация для клиента.pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     500_000, 40_000_000),
    ("Договор поставки №{n}.pdf", "application/pdf", 80_000, 4_000_000),
    ("Фото с корпоратива {n}.jpg", "image/jpeg", 1_000_000, 9_000_000),
    ("Схема офиса.png", "image/png", 200_000, 2_000_000),
    ("Инструкция.pdf", "application/pdf", 100_000, 6_000_000),
    ("Архив проекта {n}.zip", "application/zip", 5_000_000, 900_000_000),
    ("План работ {y}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     10_000, 800_000),
    ("Запись встречи {n}.mp4", "video/mp4", 50_000_000, 2_000_000_000),
    ("Заметки.txt", "text/plain", 300, 40_000),
)
DISK_DIRS = ("Документы", "Проекты", "Отчёты", "Презентации", "Договоры", "Общее", "Фото")
# Rights lists are shared between access entries (read-only, see the module docstring).
READ, WRITE = ["read"], ["write"]
SHARE_RIGHTS = (READ, READ, READ, ["read_without_download"], ["read_with_password"],
                ["read_with_password_without_download"])



IP_PREFIXES = (5, 31, 37, 46, 77, 78, 85, 91, 95, 176, 188, 212)
OFFICE_IPS = ("91.207.110.14", "91.207.110.15", "185.32.187.2", "213.180.204.11")
MX_IPS = ("77.88.21.249", "5.255.255.88", "2a02:6b8:c0e:500:1:45:d181:d1")
MID_BASE = 180_000_000_000_000_000
