"""The directory part of the generator: organisation, departments, users, groups, tokens.

Built eagerly by ``generate_org`` (the first request of any client needs it), except the
users' full records: a cheap pass draws what other objects depend on (uid, creation time,
department, role, name, nickname, alias) for every user, and the records themselves are built
a chunk of ``USER_CHUNK`` at a time, whenever read, by :class:`~..state.LazyUsers`, each chunk
from its own stream ``Random(f"{seed}:users:{chunk}")``: ``user_chunk`` only reads this
object's per-user arrays, which nothing changes once ``build`` returns, so a chunk rebuilt
later is the same as the first build.
"""

from __future__ import annotations

from array import array
from functools import cached_property
from itertools import accumulate
from random import Random
from typing import Any

from ..state import LazyUsers, Org
from .common import Clock, _contact, _weighted
from .pools import (
    ABOUT,
    ADMIN_POSITIONS,
    CITIES,
    CODENAMES,
    DEPT_DESCRIPTIONS,
    DIVISIONS,
    DOMAIN,
    EN_TIMEZONES,
    GROUP_CLUBS,
    GROUP_COMMITTEES,
    GROUP_KINDS,
    GROUP_LISTS,
    GROUP_SYSTEMS,
    HEAD_TITLES,
    IT_DIVISION,
    PEOPLE,
    PHONE_LABELS,
    READ_SCOPES,
    ROBOTS,
    ROOT_POSITIONS,
    RU_PATRONYMICS,
    RU_TIMEZONES,
    SQUAD_NAMES,
    TEAM_TOPICS,
    UID_BASE,
    slugify,
)

USER_CHUNK = 1000  # users built together on first access (one page of the UI)
_MONTHS = tuple(f"{m:02d}" for m in range(1, 13))
_DAYS = tuple(f"{d:02d}" for d in range(1, 29))


class Directory:
    """Holds the directory's streams, the per-user lookup arrays and the org being built.

    The other parts (:class:`~.common.Part`) read the arrays: ``uids``, ``uid_ints``,
    ``created``, ``emails``, ``people`` (first, last) and the role sets.
    """

    def __init__(self, users: int, seed: int, now_ts: int) -> None:
        self.seed = seed
        self.rng = Random(seed)
        self.n = max(1, users)
        self.now_ts = now_ts
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
        # Parallel per-user arrays, index = position in uid order (``emails`` is built from
        # ``nicknames`` when a part first needs it). Kept for the org's life: compact types.
        self.uids: list[str] = []
        self.uid_ints: list[int] = []  # shared by every event and tracker user of that uid
        self.created = array("q")  # account creation, Unix seconds
        self.nicknames: list[str] = []
        self.people: list[tuple[str, str, str, str, bool]] = []  # first, last, middle, gender, ru
        self.dept_of: list[int] = []
        self.aliases: dict[int, str] = {}  # the few users with an alias
        self.user_groups: dict[int, Any] = {}  # group ids of each user, ascending (tuples)
        self.head_of: dict[int, int] = {}  # user index -> level of the department they head
        # Read by the lazily built parts: names and usual addresses of event actors, the
        # generated Disk paths, names of groups and departments as generated.
        self.event_names: dict[int, str] = {}
        self.event_ips: dict[int, str] = {}
        self.ip_salt = Random(f"{seed}:ip").getrandbits(64)
        self.disk_paths: dict[str, list[tuple[str, str]]] = {}

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(digits * 4):0{digits}x}"

    @cached_property
    def emails(self) -> list[str]:
        """Each user's primary address (one string per user, shared by the parts' records)."""
        return [f"{nickname}@{DOMAIN}" for nickname in self.nicknames]

    def ts_between(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * max(1, hi - lo))

    def pick(self, seq: Any) -> Any:
        """``rng.choice`` without its rejection sampling: several times faster, same idea."""
        return seq[int(self.rng.random() * len(seq))]

    def unique_local(self, base: str) -> str:
        """``base`` or ``base2``, ``base3``… whichever mail local part is still free."""
        name, k = base, self.suffixes.get(base, 2)
        while name in self.taken:
            name = f"{base}{k}"
            k += 1
        self.suffixes[base] = k  # the next collision on ``base`` starts here, not at 2
        self.taken.add(name)
        return name

    # -- the directory -----------------------------------------------------------------------

    def build(self) -> Org:
        self.build_organization()
        self.build_departments()  # from Random(seed), as before the parts had streams
        self.rng = Random(f"{self.seed}:users")
        self.build_user_skeleton()
        self.assign_heads()
        self.count_department_members()
        self.rng = Random(f"{self.seed}:groups")
        self.build_groups()
        del self.taken, self.suffixes  # no more mail local parts: give the memory back early
        self.group_names = {gid: self.org.groups[gid]["name"] for gid in self.generic_ids}
        self.dept_names = {d: dept["name"] for d, dept in self.org.departments.items()}
        self.rng = Random(f"{self.seed}:tokens")
        self.build_tokens()
        self.org.users = LazyUsers(self.uids, USER_CHUNK, self.user_chunk, self.user_names)
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

    # -- users: what other objects depend on, for every user --------------------------------

    def build_user_skeleton(self) -> None:
        random, n = self.rng.random, self.n
        self.pick_roles()
        self.dept_of = self.assign_departments()
        uid = UID_BASE
        span = max(1, self.now_ts - 7 * 86400 - self.created_ts)
        robots, aliases = self.robots, self.aliases
        uids, uid_ints, created = self.uids, self.uid_ints, self.created
        nicknames, people = self.nicknames, self.people
        for i in range(n):
            uid += 1 + int(random() * 40)
            uids.append(str(uid))
            uid_ints.append(uid)
            created.append(self.created_ts + span * i // n + int(random() * 86400))
            if i in robots:
                purpose, title = ROBOTS[int(random() * len(ROBOTS))]
                nickname = self.unique_local(f"robot-{purpose}")
                people.append(("Робот", title, "", "", True))
            else:
                male = random() < 0.5
                russian = random() < 0.8
                firsts, lasts = PEOPLE[(russian, male)]
                first, login_first = firsts[int(random() * len(firsts))]
                last, login_last = lasts[int(random() * len(lasts))]
                middle = ""
                if russian and random() < 0.85:
                    middle = RU_PATRONYMICS[int(random() * len(RU_PATRONYMICS))][not male]
                nickname = self.nickname(login_first, login_last)
                if random() < 0.05:
                    aliases[i] = self.unique_local(f"{login_first[0]}{login_last}")
                people.append((first, last, middle, "male" if male else "female", russian))
            nicknames.append(nickname)
        self.org.admin_uid = uids[0]

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

    def pick_roles(self) -> None:
        """Index sets of admins, robots, dismissed and blocked users (disjoint), and the
        findings: a few dismissed users still enabled, a few employees in no department."""
        rng, n = self.rng, self.n
        n_admins = min(n, max(2, round(n * 0.005)))
        n_robots = max(1, round(n * 0.003)) if n >= 10 else 0
        n_dismissed, n_blocked = round(n * 0.02), round(n * 0.015)
        n_rootless = max(3, round(n * 0.003)) if n >= 100 else 0
        # Only the few special users are drawn: shuffling all n would cost a draw per user.
        rest = rng.sample(range(1, n), min(n - 1, n_admins - 1 + n_robots + n_dismissed
                                           + n_blocked + n_rootless))
        self.admins = [0, *sorted(rest[:n_admins - 1])]
        self.admin_set = set(self.admins)
        cut = n_admins - 1
        self.robots = set(rest[cut:cut + n_robots])
        cut += n_robots
        self.dismissed = set(rest[cut:cut + n_dismissed])
        cut += n_dismissed
        self.blocked = set(rest[cut:cut + n_blocked])
        cut += n_blocked
        self.rootless = sorted(rest[cut:cut + n_rootless])  # put in the root department
        dismissed = sorted(self.dismissed)
        # Inconsistent on purpose: dismissed, yet isEnabled is still true.
        self.still_enabled = set(rng.sample(dismissed, min(len(dismissed),
                                                           max(2, round(n * 0.002)))))
        self.active = array("l", (i for i in range(n)
                                  if i not in self.dismissed and i not in self.robots))
        self.active_staff = array("l", (i for i in self.active if i not in self.admin_set))

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
        for i in self.rootless:
            dept_of[i] = 1
        return dept_of

    def assign_heads(self) -> None:
        """Most departments get one of their direct employees as head (with a head's title)."""
        members: dict[int, list[int]] = {}
        for i in self.active:
            members.setdefault(self.dept_of[i], []).append(i)
        rng = self.rng
        random = rng.random
        # Findings: ~10% of the departments (at least 2) have no head, besides empty ones.
        headless = set(rng.sample(self.dept_ids[1:], max(2, round(len(self.dept_ids) * 0.1))))
        for dept_id in self.dept_ids:
            staff = members.get(dept_id)
            if not staff or dept_id in headless:
                continue
            head = staff[int(random() * len(staff))]
            self.org.departments[dept_id]["headId"] = self.uids[head]
            self.head_of[head] = self.dept_level[dept_id]

    def count_department_members(self) -> None:
        """``membersCount`` = employees (not dismissed) of the department and its subtree."""
        direct: dict[int, int] = {}
        dismissed = self.dismissed
        for i, dept in enumerate(self.dept_of):
            if i not in dismissed:
                direct[dept] = direct.get(dept, 0) + 1
        departments = self.org.departments
        for dept_id in reversed(self.dept_ids):  # children have larger ids than parents
            dept = departments[dept_id]
            dept["membersCount"] += direct.get(dept_id, 0)
            parent = dept["parentId"]
            if parent:
                departments[parent]["membersCount"] += dept["membersCount"]

    # -- users: the records, a chunk at a time -----------------------------------------------

    def user_chunk(self, chunk: int) -> list[dict[str, Any]]:
        """The records of users ``chunk * USER_CHUNK`` … (its own random stream)."""
        self.rng = rng = Random(f"{self.seed}:users:{chunk}")
        start = chunk * USER_CHUNK
        out = []
        for i in range(start, min(self.n, start + USER_CHUNK)):
            user = self.robot_user(i) if i in self.robots else self.person_user(i, rng.random)
            out.append(user)
        return out

    def user_names(self) -> dict[str, str]:
        """{nickname or alias: uid} of the generated records (as ``user_chunk`` sets them)."""
        names = dict(zip(self.nicknames, self.uids, strict=True))
        names.update((alias, self.uids[i]) for i, alias in self.aliases.items())
        return names

    def person_user(self, i: int, random: Any) -> dict[str, Any]:
        first, last, middle, gender, russian = self.people[i]
        nickname, created = self.nicknames[i], self.created[i]
        email = f"{nickname}@{DOMAIN}"
        alias = self.aliases.get(i)
        aliases = [alias] if alias else []
        dismissed = i in self.dismissed
        disabled = (dismissed and i not in self.still_enabled) or i in self.blocked
        created_at = self.clock.iso(created)
        user = {
            "id": self.uids[i], "nickname": nickname, "departmentId": self.dept_of[i],
            "email": email, "name": {"first": first, "last": last, "middle": middle},
            "gender": gender, "position": self.position(i), "avatarId": "",
            "about": self.pick(ABOUT) if random() < 0.12 else "",
            "birthday": self.birthday(), "contacts": self.contacts(email, aliases, nickname),
            "aliases": aliases, "groups": list(self.user_groups.get(i, ())),
            "externalId": f"EMP-{i + 1:06d}" if random() < 0.3 else "",
            "isAdmin": i in self.admin_set, "isRobot": False, "isDismissed": dismissed,
            "isEnabled": not disabled,
            "timezone": self.timezone(russian),
            "language": ("ru" if random() < 0.97 else "en") if russian else
                        ("en" if random() < 0.85 else "ru"),
            "createdAt": created_at,
            # A third never changed since creation: share the string rather than format it.
            "updatedAt": created_at if random() < 0.3 else
                         self.clock.iso(self.ts_between(created, self.now_ts)),
            "displayName": f"{first} {last}" if random() < 0.95 else "",
        }
        if dismissed or disabled or random() < 0.05:
            user["isEnabledUpdatedAt"] = self.clock.iso(self.ts_between(created, self.now_ts))
        return user

    def robot_user(self, i: int) -> dict[str, Any]:
        _, title, _, _, _ = self.people[i]
        nickname, created = self.nicknames[i], self.created[i]
        email = f"{nickname}@{DOMAIN}"
        stamp = self.clock.iso(created)
        return {
            "id": self.uids[i], "nickname": nickname, "departmentId": self.dept_of[i],
            "email": email, "name": {"first": "Робот", "last": title, "middle": ""},
            "gender": "", "position": "Сервисная учётная запись", "avatarId": "", "about": "",
            "birthday": "", "contacts": self.contacts(email, [], nickname, manual=False),
            "aliases": [], "groups": list(self.user_groups.get(i, ())), "externalId": "",
            "isAdmin": False, "isRobot": True, "isDismissed": False, "isEnabled": True,
            "timezone": "Europe/Moscow", "language": "ru", "createdAt": stamp,
            "updatedAt": stamp, "displayName": f"Робот {title}",
        }

    def position(self, i: int) -> str:
        admin = i in self.admin_set
        if i == 0 or (admin and self.rng.random() < 0.7):
            return self.pick(ADMIN_POSITIONS)
        level = self.head_of.get(i)
        if level is not None and not admin:
            return HEAD_TITLES[level]
        div = self.dept_div[self.dept_of[i]]
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

    # -- groups ------------------------------------------------------------------------------

    def build_groups(self) -> None:
        self.member_refs: dict[int, dict[str, str]] = {}
        self.build_system_groups()
        count = max(10, self.n // 40)
        kinds, cum = _weighted([(k, w[0]) for k, w in GROUP_KINDS.items()])
        used_names: set[str] = set()
        first_generic = len(self.org.groups) + 1
        ids = list(range(first_generic, first_generic + count))
        # Findings: a few generic groups with no members at all (never the nesting chain).
        self.empty_groups = set(self.rng.sample(ids[4:], max(2, round(count * 0.02))))
        for gid, kind in zip(ids, self.rng.choices(kinds, cum_weights=cum, k=count), strict=True):
            self.org.groups[gid] = self.generic_group(gid, kind, used_names)
        self.generic_ids = ids
        self.nest_groups(ids)
        self.link_memberships()
        del self.member_refs
        # Tuples: a third of the size of the lists ``append`` grew (100,000 users).
        self.user_groups = {i: tuple(gids) for i, gids in self.user_groups.items()}

    def add_members(self, group: dict[str, Any], indexes: list[int]) -> None:
        """Users ``indexes`` (ascending) join ``group`` (groups are built in id order)."""
        uids, gid, user_groups, refs = self.uids, group["id"], self.user_groups, self.member_refs
        members = []
        for i in indexes:
            ref = refs.get(i)
            if ref is None:  # one entry per user, shared by the groups it is in
                ref = refs[i] = {"type": "user", "id": uids[i]}
            members.append(ref)
            user_groups.setdefault(i, []).append(gid)
        group["members"] = members

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
            self.add_members(group, members)
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
        chosen = [] if gid in self.empty_groups else sorted(rng.sample(pool, size))
        self.add_members(group, chosen)
        if gid not in self.empty_groups:
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
            if gid in self.empty_groups:
                continue
            for child in sorted(set(children)):
                groups[gid]["members"].append({"type": "group", "id": str(child)})

    def link_memberships(self) -> None:
        """``memberOf`` of groups and every ``membersCount`` (users' lists are done)."""
        groups = self.org.groups
        for gid, group in groups.items():  # ascending ids, so the lists come out sorted
            group["membersCount"] = len(group["members"])
            for member in group["members"]:
                if member["type"] == "group":
                    groups[int(member["id"])]["memberOf"].append(gid)

    # -- tokens and org-wide settings --------------------------------------------------------

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
        # Org security settings, each a finding an admin report looks for: mandatory 2FA
        # off, cookie sessions of 30 days (the default is 14), no password policy.
        org.domain_2fa = {"enabled": False, "duration": 0, "enabledAt": ""}
        org.domain_sessions = {"authTTL": 30 * 86400}
        org.domain_passwords = {"enabled": False}


def _level_sizes(total: int) -> list[int]:
    """How many departments each level below the root gets (divisions first)."""
    rest = total - 1
    divisions = min(len(DIVISIONS), max(2, round(rest ** 0.4)))
    departments = round((rest - divisions) * 0.3)
    teams = round((rest - divisions - departments) * 0.65)
    return [divisions, departments, teams, rest - divisions - departments - teams]
