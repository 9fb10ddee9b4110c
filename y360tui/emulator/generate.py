"""The deterministic demo-organisation generator (issue 3 §3).

``generate_org(users, seed, now)`` builds an :class:`~y360tui.emulator.state.Org` whose every
collection is already in the wire format of ``shared/y360-api.md``. The same ``users``, ``seed``
and ``now`` give a byte-identical org: all randomness comes from one ``random.Random(seed)``,
ids and keys are drawn from it, and no output depends on the iteration order of a ``set``.

Tokens (deterministic per seed):

- ``org.admin_token``: the org owner ``org.admin_uid`` (an admin), every scope.
- ``org.extra_tokens["readonly"]``: another admin whose token carries only ``READ_SCOPES``,
  so every write answers 403.
- ``org.extra_tokens["user"]``: an ordinary employee (not an admin) with no scopes at all,
  so every call answers 403.

Volumes: about users/25 departments (at least 8) and users/40 generic groups (at least 10);
90 days of events for a share of the users, capped so that 100,000 users stay within the
emulator's budget (< 10 s, < 600 MB RSS): mail ``min(40 * users, MAIL_EVENTS_CAP)``, audit
``min(30 * users, AUDIT_EVENTS_CAP)``, legacy disk ``min(5 * users, DISK_EVENTS_CAP)``.
``users`` below 1 still gives the owner.

Conventions the routes may rely on:

- Users are inserted in uid order (ids are strings of equal length, so string order is numeric
  order). The first user is the owner and an admin. Dismissed users belong to no group, head no
  department and are not counted in a department's ``membersCount`` (the employees of its subtree).
- Groups 1, 2, 3 are the system groups ``organization_admin``, ``organization_deputy_admin`` and
  ``robots``; generic groups follow. A group only contains groups with a larger id, so nesting
  never forms a cycle. ``membersCount`` counts direct members of every type.
- Disk records of folders carry no ``mime_type`` and ``size`` keys, as in the real API.
- Event lists are newest first.
- Shared, so replace rather than mutate in place: event ``labels`` lists and ``meta`` dicts;
  Disk access ``rights`` lists, ``macro`` entries and each user's ``owner`` entry; Tracker
  ``sources``, group references and the reference lists of users in no group. Every user,
  department, group and their own lists (``groups``, ``members``, ``contacts``…) is private
  to its object and may be changed in place.
- Tracker groups: a department keeps its id, directory group ``g`` becomes
  ``TRACKER_GROUP_OFFSET + g``. Tracker users and their group references carry no ``self``;
  the routes add it from the request's base URL.
"""

from __future__ import annotations

import base64
import gc
import re
from datetime import datetime, timedelta, timezone
from itertools import accumulate
from random import Random
from typing import Any

from .state import Org

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


# ---------------------------------------------------------------------------------------------
# Time formatting: strftime is too slow for half a million events, so days are cached.
# ---------------------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_HHMM = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))
_SS = tuple(f"{s:02d}" for s in range(60))
_MONTHS = _SS[1:13]
_DAYS = _SS[1:29]


class Clock:
    """Formats Unix seconds as the wire's date-time strings, caching the date part."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}
        self._tracker: dict[int, str] = {}

    def _day(self, day: int) -> str:
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        return text

    def iso(self, ts: int, suffix: str = "Z") -> str:
        """``2025-01-01T10:20:30Z`` (``suffix`` ``+00:00`` for the audit and disk APIs)."""
        day, sec = divmod(ts, 86400)
        date = self._days.get(day) or self._day(day)
        return f"{date}T{_HHMM[sec // 60]}:{_SS[sec % 60]}{suffix}"

    @staticmethod
    def bucket(ts: int, step: int, limit: int) -> int:
        """A stable instant in the ``step``-second bucket of ``ts``, never after ``limit``.

        Login dates are shared between users who logged in within the same bucket: 100,000
        unique strings would cost megabytes for no visible gain. Day buckets land in office
        hours (06:00-16:00 UTC).
        """
        key = ts // step * step
        salt = key // 600 * 7919
        instant = key + (salt % step if step < 86400 else 6 * 3600 + salt % 36000)
        if instant > limit:
            instant -= step
        return min(instant, limit)

    def tracker(self, ts: int) -> str:
        """Tracker's ``2025-01-01T10:20:30.123+0000`` (one shared string per instant)."""
        text = self._tracker.get(ts)
        if text is None:
            day, sec = divmod(ts, 86400)
            text = self._tracker[ts] = \
                f"{self._day(day)}T{_HHMM[sec // 60]}:{_SS[sec % 60]}.{ts * 7 % 1000:03d}+0000"
        return text


def _weighted(pairs: Any) -> tuple[list[Any], list[float]]:
    """Split ``((value, weight), …)`` into values and cumulative weights for ``choices``."""
    values = [p[0] for p in pairs]
    return values, list(accumulate(p[-1] for p in pairs))


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


class _Builder:
    """Holds the rng, the clock and the per-user lookup arrays while the org is built."""

    def __init__(self, users: int, seed: int, now: datetime) -> None:
        self.rng = Random(seed)
        self.n = max(1, users)
        self.now_ts = int(now.timestamp())
        self.clock = Clock()
        self.taken: set[str] = set()  # mail local parts in use: nicknames, aliases, labels
        self.suffixes: dict[str, int] = {}
        self.birthdays: dict[int, str] = {}
        rng = self.rng
        org_id = 7_000_000 + rng.randrange(1_000_000)
        self.created_ts = self.now_ts - rng.randrange(3 * 365, 6 * 365) * 86400
        self.org = Org(id=org_id, name="Демо Корп", domain=DOMAIN,
                       admin_token="y0_demo_" + self.hex(32), admin_uid="",
                       now=self.clock.iso(self.now_ts, "+00:00"))
        # Parallel per-user arrays, index = position in uid order.
        self.uids: list[str] = []
        self.uid_ints: list[int] = []  # shared by every event and tracker user of that uid
        self.created: list[int] = []  # account creation, Unix seconds
        self.emails: list[str] = []
        self.names: list[str] = []  # "Last First", as the audit logs show a user
        self.ips: list[str] = []  # the user's usual address outside the office

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def ts_between(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * max(1, hi - lo))

    def unique_local(self, base: str) -> str:
        """``base`` or ``base2``, ``base3``… whichever mail local part is still free."""
        name, k = base, self.suffixes.get(base, 2)
        while name in self.taken:
            name = f"{base}{k}"
            k += 1
        self.suffixes[base] = k  # the next collision on ``base`` starts here, not at 2
        self.taken.add(name)
        return name

    # -- the whole org -----------------------------------------------------------------------

    def build(self) -> Org:
        self.build_organization()
        self.build_departments()
        self.build_users()
        self.assign_heads()
        self.count_department_members()
        self.build_groups()
        del self.taken, self.suffixes  # no more mail local parts: give the memory back early
        self.build_security()
        self.build_tokens()
        self.build_disk()
        self.build_tracker()
        self.build_mail_events()
        self.build_disk_events()
        self.build_audit_events()
        return self.org

    def build_organization(self) -> None:
        org = self.org
        org.organization = {"id": org.id, "name": org.name, "email": f"info@{DOMAIN}",
                            "phone": "+7 495 123-45-67", "fax": "", "language": "ru",
                            "subscriptionPlan": "business"}
        for reserved in ("info", "admin", "postmaster", "abuse", "noreply"):
            self.taken.add(reserved)

    # -- departments -------------------------------------------------------------------------

    def build_departments(self) -> None:
        """Root 1, then divisions, departments, groups and squads (up to 5 levels)."""
        total = max(8, self.n // 25)
        self.dept_level: dict[int, int] = {1: 0}
        self.dept_div: dict[int, int] = {1: -1}
        self.dept_parent: dict[int, int] = {1: 0}
        self.add_department(1, 0, "All employees", "", "Все сотрудники организации")
        levels = [[1]]
        for level, size in enumerate(_level_sizes(total), start=1):
            levels.append(self.add_level(level, size, levels[-1]))
        self.dept_ids = [d for lvl in levels for d in lvl]
        parents = set(self.dept_parent.values())
        self.leaves = [d for d in self.dept_ids if d not in parents]

    def add_level(self, level: int, size: int, parents: list[int]) -> list[int]:
        rng = self.rng
        order = parents[:]
        rng.shuffle(order)
        chosen = order[:size] + [parents[int(rng.random() * len(parents))]
                                 for _ in range(size - len(order))]
        chosen.sort()  # children of one parent get consecutive ids, as a tree built top-down
        used: dict[int, set[str]] = {}
        ids = []
        for i, parent in enumerate(chosen):
            dept_id = len(self.dept_level) + 1
            div = i if level == 1 else self.dept_div[parent]
            self.dept_level[dept_id] = level
            self.dept_div[dept_id] = div
            self.dept_parent[dept_id] = parent
            name = self.dept_name(level, div, used.setdefault(parent, set()))
            self.add_department(dept_id, parent, name, self.dept_label(level, div, dept_id),
                                rng.choice(DEPT_DESCRIPTIONS))
            ids.append(dept_id)
        return ids

    def dept_name(self, level: int, div: int, used: set[str]) -> str:
        rng = self.rng
        if level == 1:
            base = DIVISIONS[div][0]
        elif level == 2:
            pool = DIVISIONS[div][2]
            free = [n for n in pool if n not in used]
            base = rng.choice(free) if free else f"{rng.choice(pool)} ({rng.choice(CITIES)})"
        elif level == 3:
            base = "Группа " + rng.choice(TEAM_TOPICS)
        else:
            base = f"Команда «{rng.choice(SQUAD_NAMES)}»"
        name, k = base, 2
        while name in used:
            name = f"{base} {k}"
            k += 1
        used.add(name)
        return name

    def dept_label(self, level: int, div: int, dept_id: int) -> str:
        chance = (0, 1.0, 0.5, 0.2, 0.0)[level]
        if self.rng.random() >= chance:
            return ""
        slug = DIVISIONS[div][1]
        return self.unique_local(slug if level == 1 else f"{slug}-{dept_id}")

    def add_department(self, dept_id: int, parent: int, name: str, label: str,
                       description: str) -> None:
        rng = self.rng
        aliases = [self.unique_local(label + "-team")] if label and rng.random() < 0.1 else []
        self.org.departments[dept_id] = {
            "id": dept_id, "name": name, "parentId": parent, "description": description,
            "externalId": f"DEP-{dept_id:05d}" if rng.random() < 0.5 else "",
            "label": label, "email": f"{label}@{DOMAIN}" if label else "", "headId": "",
            "membersCount": 0, "aliases": aliases,
            "createdAt": self.clock.iso(self.ts_between(self.created_ts, self.created_ts
                                                        + 400 * 86400)),
        }

    # -- users -------------------------------------------------------------------------------

    def build_users(self) -> None:
        rng, n = self.rng, self.n
        self.pick_roles()
        dept_of = self.assign_departments()
        uid = UID_BASE
        span = max(1, self.now_ts - 7 * 86400 - self.created_ts)
        for i in range(n):
            uid += 1 + int(rng.random() * 40)
            created = self.created_ts + span * i // n + int(rng.random() * 86400)
            if i in self.robots:
                user = self.robot_user(str(uid), dept_of[i], created)
            else:
                user = self.person_user(i, str(uid), dept_of[i], created)
            self.org.users[user["id"]] = user
            self.created.append(created)
            self.uid_ints.append(uid)
            self.uids.append(user["id"])
            self.emails.append(user["email"])
        self.org.admin_uid = self.uids[0]
        # Filled by ``describe`` for the users that appear in events only.
        self.names = [""] * n
        self.ips = [""] * n

    def pick_roles(self) -> None:
        """Index sets of admins, robots, dismissed and blocked users (disjoint)."""
        rng, n = self.rng, self.n
        n_admins = min(n, max(2, round(n * 0.005)))
        n_robots = max(1, round(n * 0.003)) if n >= 10 else 0
        n_dismissed, n_blocked = round(n * 0.02), round(n * 0.015)
        # Only the few special users are drawn: shuffling all n would cost a draw per user.
        rest = rng.sample(range(1, n), min(n - 1, n_admins - 1 + n_robots + n_dismissed
                                           + n_blocked))
        self.admins = [0, *sorted(rest[:n_admins - 1])]
        self.admin_set = set(self.admins)
        cut = n_admins - 1
        self.robots = set(rest[cut:cut + n_robots])
        cut += n_robots
        self.dismissed = set(rest[cut:cut + n_dismissed])
        cut += n_dismissed
        self.blocked = set(rest[cut:cut + n_blocked])
        admins = set(self.admins)
        self.active = [i for i in range(n) if i not in self.dismissed and i not in self.robots]
        self.active_staff = [i for i in self.active if i not in admins]

    def assign_departments(self) -> list[int]:
        rng = self.rng
        leaves = set(self.leaves)
        weights = []
        for d in self.dept_ids:
            level = self.dept_level[d]
            if level == 0:
                weights.append(0.05)
            elif d in leaves:
                weights.append(0.6 + rng.random())
            else:
                weights.append(0.15 if level > 1 else 0.08)
        dept_of = rng.choices(self.dept_ids, cum_weights=list(accumulate(weights)), k=self.n)
        it_division = next((d for d in self.dept_ids if self.dept_level[d] == 1
                            and self.dept_div[d] == IT_DIVISION), 1)
        for i in self.admins:
            dept_of[i] = it_division
        return dept_of

    def pick(self, seq: Any) -> Any:
        """``rng.choice`` without its rejection sampling: several times faster, same idea."""
        return seq[int(self.rng.random() * len(seq))]

    def person_name(self) -> tuple[str, str, str, str, str, str, bool]:
        """(first, last, middle, gender, login first, login last, russian) of a random person."""
        random = self.rng.random
        male = random() < 0.5
        russian = random() < 0.8
        firsts, lasts = PEOPLE[(russian, male)]
        first, login_first = self.pick(firsts)
        last, login_last = self.pick(lasts)
        middle = ""
        if russian and random() < 0.85:
            middle = self.pick(RU_PATRONYMICS)[0 if male else 1]
        gender = "male" if male else "female"
        return first, last, middle, gender, login_first, login_last, russian

    def nickname(self, first: str, last: str) -> str:
        r = self.rng.random()
        if r < 0.7:
            base = f"{first}.{last}"
        elif r < 0.85:
            base = f"{first[0]}.{last}"
        elif r < 0.95:
            base = f"{last}.{first}"
        else:
            base = last
        return self.unique_local(base.replace("'", ""))

    def person_user(self, i: int, uid: str, dept: int, created: int) -> dict[str, Any]:
        rng = self.rng
        first, last, middle, gender, lfirst, llast, russian = self.person_name()
        nickname = self.nickname(lfirst, llast)
        email = f"{nickname}@{DOMAIN}"
        aliases = [self.unique_local(f"{lfirst[0]}{llast}")] if rng.random() < 0.05 else []
        dismissed, blocked = i in self.dismissed, i in self.blocked
        user = {
            "id": uid, "nickname": nickname, "departmentId": dept, "email": email,
            "name": {"first": first, "last": last, "middle": middle}, "gender": gender,
            "position": self.position(i, dept), "avatarId": "",
            "about": self.pick(ABOUT) if rng.random() < 0.12 else "",
            "birthday": self.birthday(), "contacts": self.contacts(email, aliases, nickname),
            "aliases": aliases, "groups": [],
            "externalId": f"EMP-{i + 1:06d}" if rng.random() < 0.3 else "",
            "isAdmin": False, "isRobot": False, "isDismissed": dismissed,
            "isEnabled": not (dismissed or blocked),
            "timezone": self.timezone(russian),
            "language": ("ru" if rng.random() < 0.97 else "en") if russian else
                        ("en" if rng.random() < 0.85 else "ru"),
            "createdAt": self.clock.iso(created), "updatedAt": "",
            "displayName": f"{first} {last}" if rng.random() < 0.95 else "",
        }
        # A third never changed since creation: share the string rather than format it twice.
        user["updatedAt"] = user["createdAt"] if rng.random() < 0.3 else \
            self.clock.iso(self.ts_between(created, self.now_ts))
        if dismissed or blocked or rng.random() < 0.05:
            user["isEnabledUpdatedAt"] = self.clock.iso(self.ts_between(created, self.now_ts))
        return user

    def robot_user(self, uid: str, dept: int, created: int) -> dict[str, Any]:
        purpose, title = self.rng.choice(ROBOTS)
        nickname = self.unique_local(f"robot-{purpose}")
        email = f"{nickname}@{DOMAIN}"
        return {
            "id": uid, "nickname": nickname, "departmentId": dept, "email": email,
            "name": {"first": "Робот", "last": title, "middle": ""}, "gender": "",
            "position": "Сервисная учётная запись", "avatarId": "", "about": "",
            "birthday": "", "contacts": self.contacts(email, [], nickname, manual=False),
            "aliases": [], "groups": [], "externalId": "", "isAdmin": False, "isRobot": True,
            "isDismissed": False, "isEnabled": True, "timezone": "Europe/Moscow",
            "language": "ru", "createdAt": self.clock.iso(created),
            "updatedAt": self.clock.iso(created), "displayName": f"Робот {title}",
        }

    def position(self, i: int, dept: int) -> str:
        if i == 0 or (i in self.admin_set and self.rng.random() < 0.7):
            return self.pick(ADMIN_POSITIONS)
        div = self.dept_div[dept]
        return self.pick(ROOT_POSITIONS if div < 0 else DIVISIONS[div][3])

    def birthday(self) -> str:
        random = self.rng.random
        if random() < 0.3:
            return ""
        key = int(random() * 43 * 12 * 28)
        text = self.birthdays.get(key)
        if text is None:  # one string per date, shared by everyone born that day
            year, rest = divmod(key, 12 * 28)
            text = self.birthdays[key] = f"{1962 + year}-{_MONTHS[rest // 28]}-{_DAYS[rest % 28]}"
        return text

    def timezone(self, russian: bool) -> str:
        if self.rng.random() < (0.88 if russian else 0.5):
            return "Europe/Moscow"
        return self.pick(RU_TIMEZONES if russian else EN_TIMEZONES)

    def contacts(self, email: str, aliases: list[str], nickname: str,
                 manual: bool = True) -> list[dict[str, Any]]:
        """The synthetic e-mail contacts plus, for people, some hand-entered ones."""
        # ``label`` may be absent (§6.1): leaving empty ones out keeps each contact dict in the
        # smallest dict size, which matters at 100,000 users.
        main = {"type": "email", "value": email, "main": True, "alias": False, "synthetic": True}
        alias_contacts = [{"type": "email", "value": f"{alias}@{DOMAIN}", "main": False,
                           "alias": True, "synthetic": True} for alias in aliases]
        others = self.manual_contacts(nickname) if manual else []
        return [main, *alias_contacts, *others]  # built at its final size: no spare slots

    def manual_contacts(self, nickname: str) -> list[dict[str, Any]]:
        random = self.rng.random
        items = []
        if random() < 0.5:
            digits = f"{int(random() * 1_000_000_000):09d}"
            phone = f"+7 9{digits[:2]} {digits[2:5]}-{digits[5:7]}-{digits[7:]}"
            items.append(_contact("phone", phone, self.pick(PHONE_LABELS), main=True))
        if random() < 0.4:
            items.append(_contact("phone_extension", str(1000 + int(random() * 8000))))
        extra = random()
        if extra < 0.08:
            items.append(_contact("staff", f"https://staff.{DOMAIN}/{nickname}"))
        elif extra < 0.12:
            items.append(_contact("skype", f"live:{nickname.replace('.', '_')}"))
        elif extra < 0.14:
            items.append(_contact("site", f"https://{nickname.replace('.', '-')}.example.ru"))
        elif extra < 0.16:
            items.append(_contact("twitter", "@" + nickname.replace(".", "_")))
        elif extra < 0.17:
            items.append(_contact("icq", str(100_000_000 + int(random() * 900_000_000))))
        return items

    def random_ip(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            return f"2a02:6b8:{rng.getrandbits(16):x}::{rng.getrandbits(16):x}"
        bits = rng.getrandbits(24)
        return f"{self.pick(IP_PREFIXES)}.{bits >> 16}.{(bits >> 8) & 255}.{1 + (bits & 255) % 254}"

    def finish_admins(self) -> None:
        for i in self.admins:
            self.org.users[self.uids[i]]["isAdmin"] = True

    def assign_heads(self) -> None:
        """Most departments get one of their direct employees as head (with a head's title)."""
        self.finish_admins()
        members: dict[int, list[int]] = {}
        for i in self.active:
            members.setdefault(self.org.users[self.uids[i]]["departmentId"], []).append(i)
        for dept_id in self.dept_ids:
            staff = members.get(dept_id)
            if not staff or self.rng.random() >= 0.9:
                continue
            head = staff[int(self.rng.random() * len(staff))]
            user = self.org.users[self.uids[head]]
            self.org.departments[dept_id]["headId"] = user["id"]
            if not user["isAdmin"]:
                user["position"] = HEAD_TITLES[self.dept_level[dept_id]]

    def count_department_members(self) -> None:
        """``membersCount`` = employees (not dismissed) of the department and its subtree."""
        direct: dict[int, int] = {}
        for user in self.org.users.values():
            if not user["isDismissed"]:
                direct[user["departmentId"]] = direct.get(user["departmentId"], 0) + 1
        departments = self.org.departments
        for dept_id in reversed(self.dept_ids):  # children have larger ids than parents
            dept = departments[dept_id]
            dept["membersCount"] += direct.get(dept_id, 0)
            parent = dept["parentId"]
            if parent:
                departments[parent]["membersCount"] += dept["membersCount"]

    # -- groups ------------------------------------------------------------------------------

    def build_groups(self) -> None:
        self.build_system_groups()
        count = max(10, self.n // 40)
        kinds, cum = _weighted([(k, w[0]) for k, w in GROUP_KINDS.items()])
        used_names: set[str] = set()
        first_generic = len(self.org.groups) + 1
        ids = list(range(first_generic, first_generic + count))
        for gid, kind in zip(ids, self.rng.choices(kinds, cum_weights=cum, k=count), strict=True):
            self.org.groups[gid] = self.generic_group(gid, kind, used_names)
        self.generic_ids = ids
        self.nest_groups(ids)
        self.link_memberships()

    def build_system_groups(self) -> None:
        rng = self.rng
        deputies = [i for i in self.active_staff if i not in self.blocked]
        rng.shuffle(deputies)
        deputies = sorted(deputies[:max(1, round(self.n * 0.002))] if self.n >= 10 else [])
        for gid, gtype, name, members in (
                (1, "organization_admin", "Администраторы организации", self.admins),
                (2, "organization_deputy_admin", "Заместители администраторов", deputies),
                (3, "robots", "Роботы", sorted(self.robots))):
            group = self.group_record(gid, gtype, name, "", "")
            group["members"] = [{"type": "user", "id": self.uids[i]} for i in members]
            group["authorId"] = self.org.admin_uid
            self.org.groups[gid] = group

    def group_record(self, gid: int, gtype: str, name: str, label: str,
                     description: str) -> dict[str, Any]:
        return {
            "id": gid, "name": name, "type": gtype, "description": description,
            "membersCount": 0, "label": label, "email": f"{label}@{DOMAIN}" if label else "",
            "aliases": [], "externalId": "", "removed": False, "members": [], "memberOf": [],
            "adminIds": [], "authorId": "",
            "createdAt": self.clock.iso(self.ts_between(self.created_ts, self.now_ts)),
        }

    def generic_group(self, gid: int, kind: str, used_names: set[str]) -> dict[str, Any]:
        rng = self.rng
        name, slug, description = self.group_identity(kind)
        base, k = name, 2
        while name in used_names:
            name = f"{base} {k}"
            k += 1
        used_names.add(name)
        label = self.unique_local(slug) if slug else ""
        group = self.group_record(gid, "generic", name, label, description)
        if label and rng.random() < 0.15:
            group["aliases"] = [self.unique_local(label + "-list")]
        if rng.random() < 0.1:
            group["externalId"] = f"GRP-{gid:05d}"
        _, lo, hi = GROUP_KINDS[kind]
        pool = self.active or [0]
        size = min(len(pool), lo + int(rng.random() ** 3 * (hi - lo)))  # most stay small
        chosen = sorted(rng.sample(pool, size))
        group["members"] = [{"type": "user", "id": self.uids[i]} for i in chosen]
        group["members"].extend(self.department_members(kind))
        group["authorId"] = self.uids[rng.choice(self.admins)] if rng.random() < 0.8 \
            else self.uids[rng.choice(pool)]
        if rng.random() < 0.6:
            managers = chosen[:2] if chosen and rng.random() < 0.5 else chosen[:1]
            group["adminIds"] = [self.uids[i] for i in managers] or [group["authorId"]]
        return group

    def group_identity(self, kind: str) -> tuple[str, str, str]:
        """(name, label slug or "", description) of a generic group of ``kind``."""
        rng = self.rng
        if kind == "project":
            code = rng.choice(CODENAMES)
            slug = "project-" + slugify(code) if rng.random() < 0.6 else ""
            return f"Проект «{code}»", slug, f"Рабочая группа проекта «{code}»"
        if kind == "list":
            return rng.choice(GROUP_LISTS)
        if kind == "committee":
            name, slug = rng.choice(GROUP_COMMITTEES)
            return name, slug if rng.random() < 0.7 else "", "Постоянно действующий орган"
        if kind == "club":
            return rng.choice(GROUP_CLUBS), "", "Неформальное сообщество сотрудников"
        if kind == "office":
            city = rng.choice(CITIES)
            return f"Офис {city}", "office-" + slugify(city), f"Сотрудники офиса, {city}"
        system = rng.choice(GROUP_SYSTEMS)
        return f"Доступ: {system}", "", f"Пользователи с доступом к системе {system}"

    def department_members(self, kind: str) -> list[dict[str, str]]:
        rng = self.rng
        chance = {"list": 0.6, "office": 0.4, "project": 0.15, "access": 0.2}.get(kind, 0.0)
        if rng.random() >= chance:
            return []
        picks = sorted(set(rng.sample(self.dept_ids, min(len(self.dept_ids),
                                                         1 + int(rng.random() * 2)))))
        return [{"type": "department", "id": str(d)} for d in picks]

    def nest_groups(self, ids: list[int]) -> None:
        """Groups contain later groups only (no cycles); the first four form a chain."""
        rng = self.rng
        groups = self.org.groups
        for pos, gid in enumerate(ids[:-1]):
            later = ids[pos + 1:pos + 16]
            children = [later[0]] if pos < 3 else []
            if rng.random() < 0.3:
                children += rng.sample(later, min(len(later), 1 + int(rng.random() * 3)))
            for child in sorted(set(children)):
                groups[gid]["members"].append({"type": "group", "id": str(child)})

    def link_memberships(self) -> None:
        """``memberOf`` of groups, ``groups`` of users and every ``membersCount``."""
        users = self.org.users
        groups = self.org.groups
        for gid, group in groups.items():  # ascending ids, so both lists come out sorted
            group["membersCount"] = len(group["members"])
            for member in group["members"]:
                if member["type"] == "user":
                    users[member["id"]]["groups"].append(gid)
                elif member["type"] == "group":
                    groups[int(member["id"])]["memberOf"].append(gid)

    # -- security ----------------------------------------------------------------------------

    def build_security(self) -> None:
        rng = self.rng
        for uid, user in self.org.users.items():
            robot = user["isRobot"]
            self.org.auth_types[uid] = "idp" if not robot and rng.random() < 0.25 else "portal"
            has2fa = not robot and rng.random() < 0.6
            self.org.two_fa[uid] = {"has2fa": has2fa,
                                    "hasSecurityPhone": has2fa and rng.random() < 0.7}

    def build_tokens(self) -> None:
        org = self.org
        org.tokens[org.admin_token] = {"uid": org.admin_uid, "scopes": None}
        readonly = "y0_demo_ro_" + self.hex(24)
        reader = self.uids[self.admins[1]] if len(self.admins) > 1 else org.admin_uid
        org.tokens[readonly] = {"uid": reader, "scopes": set(READ_SCOPES)}
        plain = "y0_demo_user_" + self.hex(24)
        staff = [i for i in self.active_staff if i not in self.blocked]
        user = self.uids[staff[0]] if staff else org.admin_uid
        org.tokens[plain] = {"uid": user, "scopes": set()}
        org.extra_tokens = {"readonly": readonly, "user": plain}
        client_id = self.hex(32)
        org.service_apps = [{"id": client_id, "scopes": ["cloud_api:disk.read",
                                                         "cloud_api:disk.write",
                                                         "mail:imap_full"]}]
        org.service_app_secrets = {client_id: self.hex(32)}

    # -- disk --------------------------------------------------------------------------------

    def build_disk(self) -> None:
        """1-8 resources (mostly published) for ~15% of the employees."""
        rng = self.rng
        employees = {"type": "macro", "macros": ["employees"], "org_id": self.org.id,
                     "rights": READ}
        self.macros = [employees] * len(SHARE_RIGHTS) + [
            {"type": "macro", "macros": ["all"], "rights": rights} for rights in SHARE_RIGHTS]
        for i in self.active:
            if rng.random() < 0.15:
                count = 1 + int(rng.random() ** 3 * 8)  # mostly one or two
                self.org.disk[self.uids[i]] = self.disk_resources(i, count)

    def disk_resources(self, i: int, count: int) -> list[dict[str, Any]]:
        rng = self.rng
        uid = self.uids[i]
        lo = self.created[i]
        seen: set[str] = set()
        # One owner entry serves all of this user's resources (read-only, see the docstring).
        owner = {"type": "owner", "id": self.uid_ints[i], "rights": WRITE}
        items = []
        for _ in range(count):
            record = self.disk_file() if rng.random() < 0.75 else self.disk_dir()
            if record["path"] in seen:
                continue
            seen.add(record["path"])
            created = self.ts_between(lo, self.now_ts - 3600)
            record["created"] = self.clock.iso(created, "+00:00")
            record["modified"] = self.clock.iso(self.ts_between(created, self.now_ts),
                                                "+00:00")
            record["resource_id"] = f"{uid}:{self.hex(64)}"
            self.publish(record, owner, published=rng.random() < 0.92)
            items.append(record)
        return items

    def disk_file(self) -> dict[str, Any]:
        rng = self.rng
        random = rng.random
        template, mime, lo, hi = self.pick(DISK_FILES)
        name = template.format(q=1 + int(random() * 4), y=2023 + int(random() * 4),
                               n=1 + int(random() * 300))
        return {"name": name, "path": f"disk:/{self.pick(DISK_DIRS)}/{name}", "type": "file",
                "created": "", "modified": "", "mime_type": mime,
                "size": lo + int(rng.random() ** 3 * (hi - lo))}

    def disk_dir(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.5:
            name = self.pick(DISK_DIRS)
            path = f"disk:/{name}"
        else:
            name = self.pick(CODENAMES)
            path = f"disk:/Проекты/{name}"
        return {"name": name, "path": path, "type": "dir", "created": "", "modified": ""}

    def publish(self, record: dict[str, Any], owner: dict[str, Any], published: bool) -> None:
        """Public key, URL and access settings (owner, a macro, some personal entries)."""
        rng = self.rng
        if not published:
            record.update(public_key=None, public_url=None,
                          public_settings={"available_until": None, "accesses": [owner]})
            return
        key = base64.b64encode(rng.randbytes(32)).decode()
        short = base64.urlsafe_b64encode(rng.randbytes(10)).decode().rstrip("=")
        macro = self.pick(self.macros)
        until = self.now_ts + rng.randint(1, 120) * 86400 if rng.random() < 0.2 else None
        record.update(public_key=key, public_url=f"https://disk.yandex.ru/d/{short}",
                      public_settings={"available_until": until,
                                       "accesses": [owner, macro, *self.personal_accesses()]})

    def personal_accesses(self) -> list[dict[str, Any]]:
        rng = self.rng
        if rng.random() >= 0.3:
            return []
        kind = self.pick(("user", "user", "group", "department"))
        if kind == "user":
            target = self.uid_ints[self.pick(self.active or [0])]
        elif kind == "group":
            target = self.pick(self.generic_ids)
        else:
            target = self.pick(self.dept_ids)
        return [{"type": kind, "id": target, "org_id": self.org.id,
                 "rights": WRITE if rng.random() < 0.3 else READ}]

    # -- tracker -----------------------------------------------------------------------------

    def build_tracker(self) -> None:
        refs = self.build_tracker_groups()
        root_ref = refs[("department", 1)]
        # Users of one department in no group share one (read-only) refs list.
        shared: dict[int, list[dict[str, str]]] = {}
        for i, uid in enumerate(self.uids):
            user = self.org.users[uid]
            dept = user["departmentId"]
            groups = shared.get(dept) if not user["groups"] else None
            if groups is None:
                groups = [refs[("department", dept)]] + ([root_ref] if dept != 1 else [])
                groups += [refs[("group", g)] for g in user["groups"]]
                if not user["groups"]:
                    shared[dept] = groups
            self.org.tracker_users.append(self.tracker_user(i, user, groups))

    def tracker_user(self, i: int, user: dict[str, Any], groups: list[dict[str, str]],
                     ) -> dict[str, Any]:
        random, now = self.rng.random, self.now_ts
        first = self.clock.bucket(self.created[i] + int(random() * 30 * 86400), 86400, now)
        last = self.clock.bucket(now - int(random() ** 3 * 60 * 86400), 600, now)
        last = max(first, last)
        name = user["name"]
        display = user["displayName"] or f"{name['first']} {name['last']}"
        return {
            "uid": self.uid_ints[i], "login": user["nickname"], "trackerUid": 8_000_000_001 + i,
            "passportUid": self.uid_ints[i], "cloudUid": self.cloud_uid(),
            "firstName": name["first"], "lastName": name["last"], "display": display,
            "email": user["email"], "groups": groups, "external": False,
            "hasLicense": not user["isRobot"] and random() < 0.7,
            "dismissed": user["isDismissed"], "useNewFilters": True,
            "disableNotifications": user["isRobot"],
            "firstLoginDate": self.clock.tracker(first),
            "lastLoginDate": self.clock.tracker(last), "welcomeMailSent": True,
            "sources": TRACKER_SOURCES, "position": user["position"],
        }

    def build_tracker_groups(self) -> dict[tuple[str, int], dict[str, str]]:
        """Tracker groups mirroring departments and groups; returns the shared user refs."""
        refs: dict[tuple[str, int], dict[str, str]] = {}
        for dept in self.org.departments.values():
            parent = self.org.departments.get(dept["parentId"])
            record = {"id": dept["id"], "type": "department", "name": dept["name"],
                      "code": dept["label"], "url": f"/groups/{dept['id']}",
                      "description": dept["description"]}
            if parent:
                record["parent"] = {"id": str(parent["id"]), "display": parent["name"]}
            self.org.tracker_groups.append(record)
            refs[("department", dept["id"])] = {"id": str(dept["id"]), "display": dept["name"]}
        for group in self.org.groups.values():
            tid = TRACKER_GROUP_OFFSET + group["id"]
            self.org.tracker_groups.append({
                "id": tid, "type": "group" if group["type"] == "generic" else "service",
                "name": group["name"], "code": group["label"], "url": f"/groups/{tid}",
                "description": group["description"]})
            refs[("group", group["id"])] = {"id": str(tid), "display": group["name"]}
        return refs

    def cloud_uid(self) -> str:
        """A Yandex Cloud user id: ``aje`` and 17 more characters."""
        return f"aje{self.rng.getrandbits(68):017x}"

    # -- events: shared helpers --------------------------------------------------------------

    def event_times(self, count: int) -> list[int]:
        """``count`` instants in the last 90 days, office hours and weekdays favoured,
        newest first."""
        rng, now = self.rng, self.now_ts
        today = now - now % 86400
        lo = now - WINDOW_DAYS * 86400
        day_weights = [0.25 if ((today // 86400 - j) + 3) % 7 >= 5 else 1.0
                       for j in range(WINDOW_DAYS + 1)]
        days = rng.choices(range(WINDOW_DAYS + 1), cum_weights=list(accumulate(day_weights)),
                           k=count)
        # Activity by hour of the day in Moscow time (UTC+3).
        msk = (1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 17, 14, 16, 17, 16, 14, 10, 7, 5, 4, 3, 2, 1)
        utc = [msk[(h + 3) % 24] for h in range(24)]
        hours = rng.choices(range(24), cum_weights=list(accumulate(utc)), k=count)
        random = rng.random
        out = []
        for j, h in zip(days, hours, strict=True):
            ts = today - j * 86400 + h * 3600 + int(random() * 3600)
            if ts > now or ts < lo:
                ts = lo + int(random() * (now - lo))
            out.append(ts)
        out.sort(reverse=True)
        return out

    def event_actors(self, share: float, count: int) -> list[int]:
        """``count`` user indexes drawn from a ``share`` of active users, some busier."""
        rng = self.rng
        pool = [i for i in self.active if rng.random() < share] or self.active or [0]
        weights = list(accumulate(0.2 + rng.random() ** 2 for _ in pool))
        self.describe(pool)
        self.describe(self.admins)  # admin events are theirs, whoever else is active
        return rng.choices(pool, cum_weights=weights, k=count)

    def describe(self, indexes: Any) -> None:
        """Fill ``names`` and ``ips`` of these users (only event actors ever need them)."""
        for u in sorted(set(indexes)):
            if not self.names[u]:
                name = self.org.users[self.uids[u]]["name"]
                self.names[u] = f"{name['last']} {name['first']}".strip()
                self.ips[u] = self.random_ip()

    def office_ip(self, u: int) -> str:
        return self.ips[u] if self.rng.random() < 0.6 else OFFICE_IPS[u % len(OFFICE_IPS)]

    # -- mail audit log ----------------------------------------------------------------------

    def build_mail_events(self) -> None:
        rng = self.rng
        total = min(self.n * MAIL_EVENTS_PER_USER, MAIL_EVENTS_CAP)
        times = self.event_times(total)
        actors = self.event_actors(0.3, total)
        names, cum = _weighted([(t, spec[0]) for t, spec in MAIL_TYPES.items()])
        types = rng.choices(names, cum_weights=cum, k=total)
        mail = _MailTables()
        uniq = rng.getrandbits(40) * 1_000_000
        events = self.org.mail_events
        for k, (ts, u, et) in enumerate(zip(times, actors, types, strict=True)):
            events.append(self.mail_event(mail, ts, u, et, str(uniq + k)))

    def mail_event(self, mail: _MailTables, ts: int, u: int, et: str,
                   uniq: str) -> dict[str, Any]:
        random = self.rng.random
        email = self.emails[u]
        direction = MAIL_TYPES[et][1]
        other = self.emails[int(random() * self.n)] if random() < 0.4 else \
            EXTERNAL_SENDERS[int(random() * len(EXTERNAL_SENDERS))]
        folders = mail.folders[et]
        folder_type, folder_name = folders[int(random() * len(folders))]
        sources = mail.sources[et]
        source = sources[int(random() * len(sources))]
        event = {
            "eventType": et, "orgId": self.org.id, "userUid": self.uids[u], "userLogin": email,
            "userName": self.names[u], "requestId": f"{self.rng.getrandbits(64):016x}",
            "uniqId": uniq, "source": source,
            "clientIp": MX_IPS[u % len(MX_IPS)] if source == "server" else self.office_ip(u),
            "date": self.clock.iso(ts), "mid": str(MID_BASE + self.rng.getrandbits(50)),
            "folderName": folder_name or USER_FOLDERS[int(random() * len(USER_FOLDERS))],
            "folderType": folder_type,
            "from": email if direction == "out" else other,
            "to": other if direction == "out" else email,
            "subject": mail.subjects[et][int(random() * len(mail.subjects[et]))],
        }
        self.mail_extras(event, et, random())
        return event

    def mail_extras(self, event: dict[str, Any], et: str, r: float) -> None:
        """Optional keys: message id, labels, cc, the copy's new id, a delegate."""
        if et in ("message_receive", "mailbox_send", "message_answer", "message_forward"):
            event["msgId"] = f"<{self.rng.getrandbits(48):012x}@{event['from'].split('@')[1]}>"
        labels = MAIL_LABELS.get(et)
        if labels:
            chosen = labels[int(r * len(labels))]
            if chosen is not None:
                event["labels"] = chosen
        if et == "mailbox_send" and r < 0.2:
            event["cc"] = self.emails[int(self.rng.random() * self.n)]
        if et == "message_copy":
            event["destMid"] = str(MID_BASE + self.rng.getrandbits(50))
        if r > 0.98:
            event["actorUid"] = self.uids[int(self.rng.random() * self.n)]

    # -- legacy disk audit log ---------------------------------------------------------------

    def build_disk_events(self) -> None:
        rng = self.rng
        total = min(self.n * DISK_EVENTS_PER_USER, DISK_EVENTS_CAP)
        times = self.event_times(total)
        actors = self.event_actors(0.2, total)
        names, cum = _weighted(DISK_LEGACY_TYPES)
        types = rng.choices(names, cum_weights=cum, k=total)
        uniq = rng.getrandbits(40) * 1_000_000
        for k, (ts, u, et) in enumerate(zip(times, actors, types, strict=True)):
            self.org.disk_events.append(self.disk_event(ts, u, et, str(uniq + k)))

    def disk_event(self, ts: int, u: int, et: str, uniq: str) -> dict[str, Any]:
        rng = self.rng
        owner = u if not et.startswith("share") or rng.random() < 0.5 \
            else int(rng.random() * self.n)
        self.describe((owner,))
        template, _, lo, hi = DISK_FILES[int(rng.random() * len(DISK_FILES))]
        name = template.format(q=1 + (u % 4), y=2025, n=1 + u % 300)
        modified = ts - int(rng.random() * 30 * 86400)
        return {
            "eventType": et, "date": self.clock.iso(ts), "orgId": self.org.id,
            "userUid": self.uids[u], "userLogin": self.emails[u], "userName": self.names[u],
            "ownerUid": self.uids[owner], "ownerLogin": self.emails[owner],
            "ownerName": self.names[owner],
            "path": f"/disk/{DISK_DIRS[u % len(DISK_DIRS)]}/{name}",
            "resourceFileId": self.hex(64),
            "rights": ("rw" if rng.random() < 0.4 else "ro") if et.startswith("share") else "",
            "size": lo + int(rng.random() ** 3 * (hi - lo)),
            "lastModificationDate": self.clock.iso(modified),
            "requestId": self.hex(16), "uniqId": uniq, "clientIp": self.office_ip(u),
        }

    # -- audit events (cloud-api) ------------------------------------------------------------

    def build_audit_events(self) -> None:
        rng = self.rng
        total = min(self.n * AUDIT_EVENTS_PER_USER, AUDIT_EVENTS_CAP)
        times = self.event_times(total)
        actors = self.event_actors(0.4, total)
        cats, cum = _weighted([(c, spec[0]) for c, spec in AUDIT_CATEGORIES.items()])
        categories = rng.choices(cats, cum_weights=cum, k=total)
        audit = _AuditTables(self)
        events = self.org.audit_events
        for ts, u, cat in zip(times, actors, categories, strict=True):
            if cat == "admin":
                u = self.admins[int(rng.random() * len(self.admins))]
            events.append(self.audit_event(audit, ts, u, cat))

    def audit_event(self, audit: _AuditTables, ts: int, u: int, cat: str) -> dict[str, Any]:
        random = self.rng.random
        types = audit.types[cat]
        etype = types[int(random() * len(types))]
        services = audit.services[cat]
        failed = random() < (0.04 if cat == "signin" else 0.01)
        return {
            "user_login": self.emails[u], "user_name": self.names[u],
            "event": {
                "type": etype, "status": "Error" if failed else "Success",
                "service": services[int(random() * len(services))],
                "uid": self.uid_ints[u], "org_id": self.org.id,
                "ip": self.office_ip(u), "occurred_at": self.clock.iso(ts, "+00:00"),
                "is_system": False, "idempotency_id": self.uuid(),
                "request_id": self.hex(32), "meta": audit.meta(cat, etype, u),
            },
        }


IP_PREFIXES = (5, 31, 37, 46, 77, 78, 85, 91, 95, 176, 188, 212)
OFFICE_IPS = ("91.207.110.14", "91.207.110.15", "185.32.187.2", "213.180.204.11")
MX_IPS = ("77.88.21.249", "5.255.255.88", "2a02:6b8:c0e:500:1:45:d181:d1")
MID_BASE = 180_000_000_000_000_000


def _expand(pairs: Any, scale: int = 10) -> list[Any]:
    """A lookup list where each value appears in proportion to its weight: pick by index."""
    out: list[Any] = []
    for *value, weight in pairs:
        out.extend([value[0] if len(value) == 1 else tuple(value)] * max(1, round(weight * scale)))
    return out


class _MailTables:
    """Per-type lookup lists for the mail events (built once per org)."""

    def __init__(self) -> None:
        self.folders = {t: _expand(spec[2]) for t, spec in MAIL_TYPES.items()}
        self.sources = {t: _expand(spec[3]) for t, spec in MAIL_TYPES.items()}
        plain = list(SUBJECTS)
        self.subjects = {t: plain for t in MAIL_TYPES}
        self.subjects["message_answer"] = ["Re: " + s for s in SUBJECTS]
        self.subjects["message_forward"] = ["Fwd: " + s for s in SUBJECTS]


class _AuditTables:
    """Per-category type and service lists plus the shared ``meta`` pools."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.types = {"signin": _expand(SIGNIN_TYPES), "disk": list(DISK_TYPES),
                      "telemost": list(TELEMOST_TYPES), "messenger": list(MESSENGER_TYPES),
                      "admin": list(ADMIN_TYPES)}
        self.services = {c: _expand(spec[1]) for c, spec in AUDIT_CATEGORIES.items()}
        self.signin = [{"device_id": "", "revision": "1"}] + [
            {"user_agent": ua, "auth_method": m} for ua in USER_AGENTS
            for m in ("password", "otp", "sso")]
        self.conferences = [self.conference(k) for k in range(200)]
        self.chats = [{"chat_id": f"0/0/{builder.uuid()}", "chat_name": CHAT_NAMES[k % 10]}
                      for k in range(200)]
        self.disk: dict[int, list[dict[str, Any]]] = {}

    def conference(self, k: int) -> dict[str, Any]:
        rng = self.b.rng
        return {"conference_id": str(rng.getrandbits(56)),
                "conference_url": f"https://telemost.yandex.ru/j/{rng.getrandbits(48)}",
                "access_level": rng.choice(("PUBLIC", "ORGANIZATION", "AFTER_ADMISSION"))}

    def meta(self, cat: str, etype: str, u: int) -> dict[str, Any]:
        """A realistic ``meta`` object; pooled ones are shared between events."""
        random = self.b.rng.random
        if cat == "signin":
            return self.signin[int(random() * len(self.signin))]
        if cat == "telemost":
            return self.conferences[int(random() * len(self.conferences))]
        if cat == "messenger":
            return self.chats[int(random() * len(self.chats))]
        if cat == "disk":
            return self.disk_meta(u)
        return self.admin_meta(etype)

    def disk_meta(self, u: int) -> dict[str, Any]:
        """About one of the user's published resources, or a file of a common folder."""
        b = self.b
        uid = b.uids[u]
        pool = self.disk.get(u)
        if pool is None:
            records = b.org.disk.get(uid)
            if not records:  # one event's worth: not worth caching per user
                folder = DISK_DIRS[int(b.rng.random() * len(DISK_DIRS))]
                return {"resource_type": "dir", "tgt_rawaddress": f"{uid}:disk:/{folder}",
                        "owner_uid": uid, "rights": "rw"}
            pool = self.disk[u] = [
                {"resource_type": r["type"], "tgt_rawaddress": f"{uid}:{r['path']}",
                 "owner_uid": uid, "rights": "rw"} for r in records]
        return pool[int(b.rng.random() * len(pool))]

    def admin_meta(self, etype: str) -> dict[str, Any]:
        b = self.b
        rng = b.rng
        if "_user_" in etype:
            u = int(rng.random() * b.n)
            return {"target_uid": b.uids[u], "target_login": b.emails[u]}
        if "_group_" in etype:
            gid = rng.choice(b.generic_ids)
            return {"group_id": gid, "group_name": b.org.groups[gid]["name"]}
        if "_department_" in etype:
            dept = rng.choice(b.dept_ids)
            return {"department_id": dept, "department_name": b.org.departments[dept]["name"]}
        return {}


def _level_sizes(total: int) -> list[int]:
    """How many departments each level below the root gets (divisions first)."""
    rest = total - 1
    divisions = min(len(DIVISIONS), max(2, round(rest ** 0.4)))
    departments = round((rest - divisions) * 0.3)
    teams = round((rest - divisions - departments) * 0.65)
    return [divisions, departments, teams, rest - divisions - departments - teams]


def _contact(ctype: str, value: str, label: str = "", main: bool = False) -> dict[str, Any]:
    contact = {"type": ctype, "value": value, "main": main, "alias": False, "synthetic": False}
    if label:
        contact["label"] = label
    return contact


def generate_org(users: int = 2000, seed: int = 42, now: datetime | None = None) -> Org:
    """A deterministic demo organisation of ``users`` employees.

    ``now`` (default: the current UTC time rounded down to the minute) is the instant events end
    at; pass a fixed one for reproducible output. Same arguments, byte-identical org.
    """
    if now is None:
        now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    # Millions of new containers would trigger full cyclic collections over an ever larger
    # heap (quadratic time); the generated data has no reference cycles to collect.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Builder(users, seed, now).build()
    finally:
        if was_enabled:
            gc.enable()
