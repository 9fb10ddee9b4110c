"""Per-user mail settings (``org.mail_settings``, a :class:`MailSettingsStore`), made one user at
a time when first read: nothing is built for the users nobody asks about, so 100,000 users cost
nothing until a scan reads them, and a scan keeps nothing it does not change.

What a user gets (employees not dismissed and not robots; the others have none of it):

- sender name (``fromName``, the user's name) and default address (their e-mail);
- signatures for ~60%: one in the user's language (Russian or English) with name, position and
  the organisation, a fifth of them a second one in the other language;
- forwarding rules for ~5% (exactly ``round(5%)`` of each chunk of ``CHUNK`` users, at least one
  per chunk with an employee): about a third (at least one per chunk) forward **outside the
  organisation** to a personal address (``gmail.com``, ``yandex.ru``, ``mail.ru``…), the rest to
  a colleague; ~70% keep a copy (``withStore``);
- an auto-reply for ~3% (at least one per chunk): a vacation text naming a colleague;
- automatic address collection on for ~85%.

Who gets a rule is drawn per chunk (stream ``"{seed}:mail:chunk:{k}"``, so the shares hold at
every size from 200 users); everything else about a user from their own stream
``"{seed}:mail:{uid}"``. Names and positions come from the user's record as it is when first
read. A written user's settings are kept (``take``); the others are made again on each read,
the same each time.
"""

from __future__ import annotations

from bisect import bisect_left
from random import Random
from typing import Any

from ..state import Org, peek_user
from .common import Part
from .pools import translit

CHUNK = 1000
FORWARD_SHARE, OUTSIDE_SHARE, AUTOREPLY_SHARE, SIGNATURE_SHARE = 0.05, 1 / 3, 0.03, 0.6
PERSONAL_DOMAINS = ("gmail.com", "yandex.ru", "mail.ru", "bk.ru", "outlook.com", "icloud.com",
                    "ya.ru", "rambler.ru")
OUTSIDE_NAMES = ("Пересылка на личную почту", "Личный ящик", "home", "Forward to personal", "")
COLLEAGUE_NAMES = ("Пересылка руководителю", "Копия ассистенту", "На время отпуска",
                   "Forward to deputy", "")
RU_CLOSINGS = ("С уважением,", "С наилучшими пожеланиями,", "Всего доброго,", "--")
EN_CLOSINGS = ("Best regards,", "Kind regards,", "Regards,", "--")
PHONES = ("+7 (495) 120-35-{:02d}", "+7 (812) 407-18-{:02d}", "+7 (843) 211-90-{:02d}")
VACATION_RU = ("Здравствуйте! Я в отпуске до {date}, с ограниченным доступом к почте.\n"
               "По срочным вопросам, пожалуйста, пишите {colleague}.",
               "Добрый день! С {start} по {date} я в командировке и отвечаю с задержкой.\n"
               "Срочные вопросы: {colleague}.",
               "Спасибо за письмо! Я на больничном, вернусь {date}.\n"
               "Вас проконсультирует {colleague}.")
VACATION_EN = ("Thank you for your message. I am out of office until {date}.\n"
               "For urgent matters please contact {colleague}.",)
MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")


class MailSettings(Part):
    """Registers the store (the part itself draws nothing: see the module docstring)."""

    name = "mail_settings"

    def build(self) -> None:
        self.org.mail_settings = MailSettingsStore(self.org, self.ctx)


class MailSettingsStore:
    """uid -> that user's mail settings (see the module docstring). A settings record::

        {"sender_info": {"defaultFrom", "fromName", "signPosition", "signs": [...]},
         "rules": {"forwards": [...], "autoreplies": [...]},
         "address_book": {"collectAddresses": bool},
         "next_rule": int}            # the id the next created rule gets
    """

    def __init__(self, org: Org, ctx: Any) -> None:
        self.org, self.ctx = org, ctx
        self.seed = ctx.seed
        self.pinned: dict[str, dict[str, Any]] = {}
        self._plans: dict[int, tuple[dict[int, bool], set[int]]] = {}

    # -- reading and writing ----------------------------------------------------------------

    def peek(self, uid: str) -> dict[str, Any]:
        """``uid``'s settings for reading (not kept unless written before)."""
        record = self.pinned.get(uid)
        return record if record is not None else self.make(uid)

    def take(self, uid: str) -> dict[str, Any]:
        """``uid``'s settings for writing: kept from now on, so changes persist."""
        record = self.pinned.get(uid)
        if record is None:
            record = self.pinned[uid] = self.make(uid)
        return record

    def generated_uids(self) -> list[str]:
        """Every generated user's uid (ascending), for scans in tests and tools."""
        return list(self.ctx.uids)

    # -- making one user's settings ---------------------------------------------------------

    def index(self, uid: str) -> int:
        """Position of ``uid`` among the generated users, -1 for one added later."""
        uids = self.ctx.uids
        i = bisect_left(uids, uid) if len(uid) == len(uids[0]) else len(uids)
        return i if i < len(uids) and uids[i] == uid else -1

    def plan(self, k: int) -> tuple[dict[int, bool], set[int]]:
        """Chunk ``k``'s forwarding users (index -> forwards outside?) and auto-replies."""
        plan = self._plans.get(k)
        if plan is None:
            rng = Random(f"{self.seed}:mail:chunk:{k}")
            start, end = k * CHUNK, min(len(self.ctx.uids), (k + 1) * CHUNK)
            active = self.ctx.active
            eligible = list(active[bisect_left(active, start):bisect_left(active, end)])
            size = end - start
            forwards: dict[int, bool] = {}
            replies: set[int] = set()
            if eligible:
                picks = rng.sample(eligible, min(len(eligible),
                                                 max(1, round(size * FORWARD_SHARE))))
                outside = max(1, round(len(picks) * OUTSIDE_SHARE))
                forwards = {i: n < outside for n, i in enumerate(picks)}
                replies = set(rng.sample(eligible, min(len(eligible),
                                                       max(1, round(size * AUTOREPLY_SHARE)))))
            plan = self._plans[k] = (forwards, replies)
        return plan

    def make(self, uid: str) -> dict[str, Any]:
        user = peek_user(self.org.users, uid) or {}
        rng = Random(f"{self.seed}:mail:{uid}")
        email = user.get("email", "")
        name = user.get("name") or {}
        first, last = name.get("first", ""), name.get("last", "")
        record: dict[str, Any] = {
            "sender_info": {"defaultFrom": email,
                            "fromName": " ".join(p for p in (first, last) if p),
                            "signPosition": "bottom" if rng.random() < 0.7 else "under",
                            "signs": []},
            "rules": {"forwards": [], "autoreplies": []},
            "address_book": {"collectAddresses": rng.random() < 0.85},
            "next_rule": 1000 + int(rng.random() * 9000),
        }
        i = self.index(uid)
        person = (i >= 0 and i not in self.ctx.robots and i not in self.ctx.dismissed
                  and not user.get("isRobot"))
        if not person:
            return record
        if rng.random() < SIGNATURE_SHARE:
            record["sender_info"]["signs"] = self.signatures(rng, user)
        forwards, replies = self.plan(i // CHUNK)
        if i in forwards:
            address = self.personal(rng, first, last) if forwards[i] else self.colleague(rng, i)
            pool = OUTSIDE_NAMES if forwards[i] else COLLEAGUE_NAMES
            record["rules"]["forwards"].append(self.rule(record, {
                "ruleName": pool[int(rng.random() * len(pool))], "address": address,
                "withStore": rng.random() < 0.7}))
        if i in replies:
            record["rules"]["autoreplies"].append(self.rule(record, {
                "ruleName": "Отпуск" if rng.random() < 0.6 else "Out of office",
                "text": self.vacation(rng, i, user)}))
        return record

    @staticmethod
    def rule(record: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        rule_id = record["next_rule"]
        record["next_rule"] += 1
        return {"ruleId": rule_id, **fields}

    def signatures(self, rng: Random, user: dict[str, Any]) -> list[dict[str, Any]]:
        name = user.get("name") or {}
        first, last = name.get("first", ""), name.get("last", "")
        russian = any("а" <= ch <= "я" for ch in (first + last).lower())
        position = user.get("position", "")
        phone = PHONES[int(rng.random() * len(PHONES))].format(int(rng.random() * 100))
        email = user.get("email", "")

        def sign(lang: str, default: bool) -> dict[str, Any]:
            if lang == "ru":
                closing = RU_CLOSINGS[int(rng.random() * len(RU_CLOSINGS))]
                lines = [closing, f"{first} {last}", position, "ООО «Демо Корп»", phone]
            else:
                closing = EN_CLOSINGS[int(rng.random() * len(EN_CLOSINGS))]
                who = f"{translit(first).title()} {translit(last).title()}" if russian \
                    else f"{first} {last}"
                lines = [closing, who, "Demo Corp LLC", phone]
            return {"emails": [email] if email else [], "isDefault": default, "lang": lang,
                    "text": "\n".join(line for line in lines if line)}

        main = "ru" if russian else "en"
        out = [sign(main, True)]
        if rng.random() < 0.2:
            out.append(sign("en" if main == "ru" else "ru", False))
        return out

    def personal(self, rng: Random, first: str, last: str) -> str:
        """A personal mailbox of the same person at a public mail service."""
        f, la = translit(first).replace("'", ""), translit(last).replace("'", "")
        style = rng.random()
        local = f"{f}.{la}" if style < 0.5 else f"{f[:1]}{la}" if style < 0.8 else f"{la}.{f}"
        if rng.random() < 0.5:
            local += str(70 + int(rng.random() * 30))
        domain = PERSONAL_DOMAINS[int(rng.random() * len(PERSONAL_DOMAINS))]
        return f"{local or 'user'}@{domain}"

    def colleague(self, rng: Random, i: int) -> str:
        """The address of another employee (not dismissed, not a robot)."""
        active = self.ctx.active
        for _ in range(8):
            j = active[int(rng.random() * len(active))]
            if j != i:
                return self.ctx.emails[j]
        return self.ctx.emails[0]

    def vacation(self, rng: Random, i: int, user: dict[str, Any]) -> str:
        day = 1 + int(rng.random() * 28)
        month = int(rng.random() * 12)
        colleague = self.colleague(rng, i)
        if user.get("language") == "en":
            template = VACATION_EN[0]
            return template.format(date=f"{day:02d}.{month + 1:02d}", colleague=colleague)
        template = VACATION_RU[int(rng.random() * len(VACATION_RU))]
        start = f"{max(1, day - 7)} {MONTHS_RU[month]}"
        return template.format(date=f"{day} {MONTHS_RU[month]}", start=start,
                               colleague=colleague)
