"""Disk resources of the employees (``org.disk``), built on first access."""

from __future__ import annotations

import base64
from typing import Any

from .common import Part
from .pools import CODENAMES, DISK_DIRS, DISK_FILES, READ, SHARE_RIGHTS, WRITE


class Disk(Part):
    """1-8 resources (mostly published) for ~15% of the employees (stream ``"{seed}:disk"``).

    Findings: about 80% of published resources never expire (``available_until`` null) and
    half of them are open to anyone (macro ``all``); at least one of each is guaranteed.

    About 13.8% of the employees publish something (15% have resources, 92% of resources are
    published); ``ctx.disk_published`` lists the published records for the Disk audit log.
    """

    name = "disk"

    def build(self) -> None:
        rng = self.rng
        employees = {"type": "macro", "macros": ["employees"], "org_id": self.org.id,
                     "rights": READ}
        self.macros = [employees] * len(SHARE_RIGHTS) + [
            {"type": "macro", "macros": ["all"], "rights": rights} for rights in SHARE_RIGHTS]
        disk: dict[str, list[dict[str, Any]]] = {}
        # (created, user index, record) of each published record: the legacy Disk audit log
        # writes a matching fs-set-public event for those inside its retention window.
        self.ctx.disk_published = self.published = []
        for i in self.ctx.active:
            if rng.random() < 0.15:
                count = 1 + int(rng.random() ** 3 * 8)  # mostly one or two
                disk[self.uids[i]] = self.disk_resources(i, count)
        self.ensure_open_link(disk)
        # What the audit events' disk metadata refers to: the resources as generated.
        self.ctx.disk_paths = {uid: [(r["type"], r["path"]) for r in records]
                               for uid, records in disk.items()}
        self.org.disk = disk

    def ensure_open_link(self, disk: dict[str, list[dict[str, Any]]]) -> None:
        """A small org may draw no resource open to anyone for ever: make its first one so."""
        published = [r for records in disk.values() for r in records if r["public_key"]]
        if not published or any(
                r["public_settings"]["available_until"] is None
                and any(a.get("macros") == ["all"] for a in r["public_settings"]["accesses"])
                for r in published):
            return
        owner, _, *others = published[0]["public_settings"]["accesses"]
        published[0]["public_settings"] = {"available_until": None,
                                           "accesses": [owner, self.macros[-1], *others]}

    def disk_resources(self, i: int, count: int) -> list[dict[str, Any]]:
        rng = self.rng
        uid = self.uids[i]
        lo = self.ctx.created[i]
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
            if record["public_key"]:
                self.published.append((created, i, record))
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
            target = self.uid_ints[self.pick(self.ctx.active or [0])]
        elif kind == "group":
            target = self.pick(self.ctx.generic_ids)
        else:
            target = self.pick(self.ctx.dept_ids)
        return [{"type": kind, "id": target, "org_id": self.org.id,
                 "rights": WRITE if rng.random() < 0.3 else READ}]
