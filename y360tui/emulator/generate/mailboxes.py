"""Shared and delegated mailboxes (``org.mailboxes``), built on first access from the stream
``"{seed}:mailboxes"``.

- shared mailboxes: ~2% of the users (at least 2, at most the API's 2,500), with their own
  user-like ids (``SHARED_BASE`` + …, above every employee's uid) and realistic addresses on
  the org's domain: ``info@``, ``support@``, ``sales@``, ``office@`` … then ``sales-<city>@``
  style names for large organisations. Each has 1-6 actors (active employees) with varied
  roles (owner; IMAP + send as; IMAP only; send on behalf …);
- delegated mailboxes: ~1% of the active employees (at least 1) have delegation of their own
  mailbox on, each opened by 1-3 colleagues (never themselves).

State (``org.mailboxes``, a dict)::

    {"shared": {rid: {"id", "email", "name", "description", "createdAt", "updatedAt"}},
     "delegated": [uid, …],            # in uid order
     "actors": {rid: {actor uid: [role, …]}},
     "tasks": {task id: {...}},         # access changes in flight (routes/mailboxes.py)
     "seq": int}                         # the next shared mailbox id offset

A few dozen to a few thousand small dicts: cheap at 100,000 users (it reads only the
generator's uid list, never a user record).
"""

from __future__ import annotations

from typing import Any

from .common import Part
from .pools import UID_BASE

SHARED_BASE = UID_BASE + 900_000_000  # above any employee uid (users stay below +40 per user)
MAX_SHARED = 2500
OWNER = "shared_mailbox_owner"
IMAP = "shared_mailbox_imap_admin"
SENDER = "shared_mailbox_sender"
HALF = "shared_mailbox_half_sender"
# Role sets with their weights: most actors read and answer; a few own the mailbox.
ROLE_SETS = (([OWNER], 2), ([IMAP, SENDER], 5), ([IMAP], 3), ([SENDER], 1), ([HALF], 1),
             ([IMAP, HALF], 2))
BASES = (
    ("info", "Общий ящик компании", "входящие с сайта и визиток"),
    ("support", "Служба поддержки", "обращения клиентов"),
    ("sales", "Отдел продаж", "заявки и коммерческие предложения"),
    ("office", "Офис-менеджер", "курьеры, пропуска, канцелярия"),
    ("hr-requests", "Кадровые запросы", "справки, отпуска, больничные"),
    ("accounting", "Бухгалтерия", "счета и акты от поставщиков"),
    ("press", "Пресс-служба", "запросы СМИ"),
    ("jobs", "Вакансии", "отклики кандидатов"),
    ("legal", "Юридический отдел", "договоры на согласование"),
    ("tenders", "Тендеры", "площадки и закупки"),
    ("partners", "Партнёрская программа", ""),
    ("billing", "Расчёты с клиентами", "оплаты и возвраты"),
    ("it-helpdesk", "ИТ-поддержка", "заявки сотрудников"),
    ("reception", "Ресепшн", ""),
    ("procurement", "Закупки", "запросы поставщикам"),
    ("events", "Мероприятия", "конференции и корпоративы"),
)
CITIES = (("moscow", "Москва"), ("spb", "Санкт-Петербург"), ("kazan", "Казань"),
          ("ekb", "Екатеринбург"), ("nsk", "Новосибирск"), ("nn", "Нижний Новгород"),
          ("samara", "Самара"), ("rostov", "Ростов-на-Дону"), ("krasnodar", "Краснодар"),
          ("perm", "Пермь"), ("ufa", "Уфа"), ("voronezh", "Воронеж"), ("omsk", "Омск"),
          ("tula", "Тула"), ("tver", "Тверь"), ("minsk", "Минск"), ("almaty", "Алматы"))


class Mailboxes(Part):
    """Shared mailboxes and delegation (see the module docstring)."""

    name = "mailboxes"

    def build(self) -> None:
        rng = self.rng
        active = self.ctx.active
        shared: dict[str, dict[str, Any]] = {}
        actors: dict[str, dict[str, list[str]]] = {}
        names = self.addresses(min(MAX_SHARED, max(2, round(self.n * 0.02))))
        weights = [w for _, w in ROLE_SETS]
        for k, (local, name, description) in enumerate(names):
            rid = str(SHARED_BASE + 1 + k * 7)
            created = self.ts_between(self.ctx.created_ts, self.now_ts - 86400)
            shared[rid] = {
                "id": rid, "email": f"{local}@{self.org.domain}", "name": name,
                "description": description, "createdAt": self.clock.iso(created),
                "updatedAt": self.clock.iso(self.ts_between(created, self.now_ts)),
            }
            actors[rid] = self.draw_actors(1 + int(rng.random() * 6), weights, None)
        delegated: list[str] = []
        if active:
            count = min(MAX_SHARED, max(1, round(len(active) * 0.01)))
            picks = sorted(rng.sample(range(len(active)), min(count, len(active))))
            for p in picks:
                uid = self.uids[active[p]]
                delegated.append(uid)
                actors[uid] = self.draw_actors(1 + int(rng.random() * 3), weights, uid)
        self.org.mailboxes = {"shared": shared, "delegated": delegated, "actors": actors,
                              "tasks": {}, "seq": len(shared)}

    def addresses(self, count: int) -> list[tuple[str, str, str]]:
        """``count`` (local part, name, description) triples, all different: the plain
        bases first, then ``base-city``, then ``base-city-N``."""
        taken = self.taken_locals()
        out = [b for b in BASES if b[0] not in taken][:count]
        used = {local for local, _, _ in out} | taken
        extra = [(f"{b}-{c}", f"{n} ({city})", d) for c, city in CITIES for b, n, d in BASES]
        self.rng.shuffle(extra)
        k = 2
        while len(out) < count:
            for local, name, description in extra:
                if len(out) >= count:
                    break
                if k > 2:
                    local, name = f"{local}-{k}", f"{name} {k}"
                if local not in used:
                    used.add(local)
                    out.append((local, name, description))
            k += 1
        return out

    def taken_locals(self) -> set[str]:
        """Mail local parts of departments and groups (labels), so no address is shared."""
        labels = {d.get("label") for d in self.org.departments.values()}
        labels |= {g.get("label") for g in self.org.groups.values()}
        return {label for label in labels if label}

    def draw_actors(self, count: int, weights: list[int], owner: str | None
                    ) -> dict[str, list[str]]:
        """``count`` distinct active employees (never ``owner``) with a role set each."""
        rng, active = self.rng, self.ctx.active
        out: dict[str, list[str]] = {}
        for _ in range(count * 3):
            if len(out) >= count or not active:
                break
            uid = self.uids[active[int(rng.random() * len(active))]]
            if uid == owner or uid in out:
                continue
            out[uid] = list(rng.choices(ROLE_SETS, weights)[0][0])
        return out
