"""The three event logs (mail audit, legacy disk audit, cloud audit events), each built on
first access from its own stream."""

from __future__ import annotations

import heapq
from itertools import accumulate
from typing import Any

from .common import Part, _expand, _weighted
from .pools import (
    ADMIN_TYPES,
    AUDIT_CATEGORIES,
    AUDIT_EVENTS_CAP,
    AUDIT_EVENTS_PER_USER,
    CHAT_NAMES,
    DISK_DIRS,
    DISK_EVENTS_CAP,
    DISK_EVENTS_PER_USER,
    DISK_FILES,
    DISK_LEGACY_TYPES,
    DISK_TYPES,
    EXTERNAL_SENDERS,
    IP_PREFIXES,
    MAIL_EVENTS_CAP,
    MAIL_EVENTS_PER_USER,
    MAIL_LABELS,
    MAIL_TYPES,
    MESSENGER_TYPES,
    MID_BASE,
    MX_IPS,
    OFFICE_IPS,
    SIGNIN_TYPES,
    SUBJECTS,
    TELEMOST_TYPES,
    USER_AGENTS,
    USER_FOLDERS,
    WINDOW_DAYS,
)

_MASK64 = (1 << 64) - 1


class EventPart(Part):
    """Shared helpers: event instants, actors, and each actor's name and usual address."""

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
        active = self.ctx.active
        pool = [i for i in active if rng.random() < share] or active or [0]
        weights = list(accumulate(0.2 + rng.random() ** 2 for _ in pool))
        return rng.choices(pool, cum_weights=weights, k=count)

    def name_of(self, u: int) -> str:
        """"Last First", as the audit logs show a user (as generated)."""
        names = self.ctx.event_names
        text = names.get(u)
        if text is None:
            first, last = self.ctx.people[u][:2]
            text = names[u] = f"{last} {first}".strip()
        return text

    def ip_of(self, u: int) -> str:
        """The user's usual address outside the office: a hash of the uid and the seed, so
        every log agrees on it whichever is built first."""
        ips = self.ctx.event_ips
        text = ips.get(u)
        if text is None:
            h = ((self.uid_ints[u] ^ self.ctx.ip_salt) * 0x9E3779B97F4A7C15) & _MASK64
            h ^= h >> 29
            if h % 10 == 0:
                text = f"2a02:6b8:{(h >> 8) & 0xFFFF:x}::{(h >> 24) & 0xFFFF:x}"
            else:
                text = (f"{IP_PREFIXES[(h >> 4) % len(IP_PREFIXES)]}.{(h >> 16) & 255}."
                        f"{(h >> 24) & 255}.{1 + ((h >> 32) & 255) % 254}")
            ips[u] = text
        return text

    def office_ip(self, u: int) -> str:
        return self.ip_of(u) if self.rng.random() < 0.6 else OFFICE_IPS[u % len(OFFICE_IPS)]


class MailEvents(EventPart):
    """``org.mail_events`` (stream ``"{seed}:mail"``)."""

    name = "mail"

    def build(self) -> None:
        rng = self.rng
        total = min(self.n * MAIL_EVENTS_PER_USER, MAIL_EVENTS_CAP)
        times = self.event_times(total)
        actors = self.event_actors(0.3, total)
        names, cum = _weighted([(t, spec[0]) for t, spec in MAIL_TYPES.items()])
        types = rng.choices(names, cum_weights=cum, k=total)
        self.folders = {t: _expand(spec[2]) for t, spec in MAIL_TYPES.items()}
        self.sources = {t: _expand(spec[3]) for t, spec in MAIL_TYPES.items()}
        plain = list(SUBJECTS)
        self.subjects = {t: plain for t in MAIL_TYPES}
        self.subjects["message_answer"] = ["Re: " + s for s in SUBJECTS]
        self.subjects["message_forward"] = ["Fwd: " + s for s in SUBJECTS]
        uniq = rng.getrandbits(40) * 1_000_000
        self.org.mail_events = [self.mail_event(ts, u, et, str(uniq + k)) for k, (ts, u, et)
                                in enumerate(zip(times, actors, types, strict=True))]

    def mail_event(self, ts: int, u: int, et: str, uniq: str) -> dict[str, Any]:
        random = self.rng.random
        email = self.emails[u]
        direction = MAIL_TYPES[et][1]
        other = self.emails[int(random() * self.n)] if random() < 0.4 else \
            EXTERNAL_SENDERS[int(random() * len(EXTERNAL_SENDERS))]
        folders = self.folders[et]
        folder_type, folder_name = folders[int(random() * len(folders))]
        sources = self.sources[et]
        source = sources[int(random() * len(sources))]
        subjects = self.subjects[et]
        event = {
            "eventType": et, "orgId": self.org.id, "userUid": self.uids[u], "userLogin": email,
            "userName": self.name_of(u), "requestId": f"{self.rng.getrandbits(64):016x}",
            "uniqId": uniq, "source": source,
            "clientIp": MX_IPS[u % len(MX_IPS)] if source == "server" else self.office_ip(u),
            "date": self.clock.iso(ts), "mid": str(MID_BASE + self.rng.getrandbits(50)),
            "folderName": folder_name or USER_FOLDERS[int(random() * len(USER_FOLDERS))],
            "folderType": folder_type,
            "from": email if direction == "out" else other,
            "to": other if direction == "out" else email,
            "subject": subjects[int(random() * len(subjects))],
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


class DiskEvents(EventPart):
    """``org.disk_events``, the legacy disk audit log (stream ``"{seed}:disk_events"``)."""

    name = "disk_events"

    def build(self) -> None:
        rng = self.rng
        total = min(self.n * DISK_EVENTS_PER_USER, DISK_EVENTS_CAP)
        times = self.event_times(total)
        actors = self.event_actors(0.2, total)
        names, cum = _weighted(DISK_LEGACY_TYPES)
        types = rng.choices(names, cum_weights=cum, k=total)
        uniq = rng.getrandbits(40) * 1_000_000
        events = [self.disk_event(ts, u, et, str(uniq + k)) for k, (ts, u, et)
                  in enumerate(zip(times, actors, types, strict=True))]
        self.org.disk_events = self.with_publishing(events, times, str(uniq + total))

    def with_publishing(self, events: list[dict[str, Any]], times: list[int], uniq: str
                        ) -> list[dict[str, Any]]:
        """``events`` (newest first, at ``times``) plus one ``fs-set-public`` by its owner for
        every Disk record published inside the log's window (a record is published when it is
        created), merged by time: the Disk resources and the log agree, as in a real org,
        while older publishing is no longer in the log (the Shared files scan must still find
        it by asking every user)."""
        self.org.disk  # noqa: B018 - builds the Disk part (and ``ctx.disk_published``)
        lo = self.now_ts - WINDOW_DAYS * 86400
        fresh = sorted(((ts, u, record) for ts, u, record in self.ctx.disk_published
                        if ts >= lo), key=lambda item: -item[0])
        if not fresh:
            return events
        added = [(ts, self.publish_event(ts, u, record, f"{uniq}{k}"))
                 for k, (ts, u, record) in enumerate(fresh)]
        merged = heapq.merge(zip(times, events, strict=True), added, key=lambda p: -p[0])
        return [event for _, event in merged]

    def publish_event(self, ts: int, u: int, record: dict[str, Any], uniq: str
                      ) -> dict[str, Any]:
        """The legacy log's record of ``u`` publishing their own ``record``."""
        email, name = self.emails[u], self.name_of(u)
        return {
            "eventType": "fs-set-public", "date": self.clock.iso(ts), "orgId": self.org.id,
            "userUid": self.uids[u], "userLogin": email, "userName": name,
            "ownerUid": self.uids[u], "ownerLogin": email, "ownerName": name,
            "path": "/disk" + record["path"][len("disk:"):],
            "resourceFileId": record.get("resource_id", ""), "rights": "",
            "size": record.get("size", 0), "lastModificationDate": record["modified"],
            "requestId": self.hex(16), "uniqId": uniq, "clientIp": self.office_ip(u),
        }

    def disk_event(self, ts: int, u: int, et: str, uniq: str) -> dict[str, Any]:
        rng = self.rng
        owner = u if not et.startswith("share") or rng.random() < 0.5 \
            else int(rng.random() * self.n)
        template, _, lo, hi = DISK_FILES[int(rng.random() * len(DISK_FILES))]
        name = template.format(q=1 + (u % 4), y=2025, n=1 + u % 300)
        modified = ts - int(rng.random() * 30 * 86400)
        return {
            "eventType": et, "date": self.clock.iso(ts), "orgId": self.org.id,
            "userUid": self.uids[u], "userLogin": self.emails[u], "userName": self.name_of(u),
            "ownerUid": self.uids[owner], "ownerLogin": self.emails[owner],
            "ownerName": self.name_of(owner),
            "path": f"/disk/{DISK_DIRS[u % len(DISK_DIRS)]}/{name}",
            "resourceFileId": self.hex(64),
            "rights": ("rw" if rng.random() < 0.4 else "ro") if et.startswith("share") else "",
            "size": lo + int(rng.random() ** 3 * (hi - lo)),
            "lastModificationDate": self.clock.iso(modified),
            "requestId": self.hex(16), "uniqId": uniq, "clientIp": self.office_ip(u),
        }


class AuditEvents(EventPart):
    """``org.audit_events``, the cloud-api audit log (stream ``"{seed}:audit"``).

    Disk events describe the users' generated Disk resources, so reading them builds
    ``org.disk`` first (it has its own stream: the data does not depend on that order).
    """

    name = "audit"

    def build(self) -> None:
        self.org.disk  # noqa: B018 - builds the Disk part (and ``ctx.disk_paths``) if needed
        rng = self.rng
        total = min(self.n * AUDIT_EVENTS_PER_USER, AUDIT_EVENTS_CAP)
        times = self.event_times(total)
        actors = self.event_actors(0.4, total)
        cats, cum = _weighted([(c, spec[0]) for c, spec in AUDIT_CATEGORIES.items()])
        categories = rng.choices(cats, cum_weights=cum, k=total)
        self.tables()
        admins = self.ctx.admins
        events = []
        for ts, u, cat in zip(times, actors, categories, strict=True):
            if cat == "admin":
                u = admins[int(rng.random() * len(admins))]
            events.append(self.audit_event(ts, u, cat))
        self.org.audit_events = events

    def tables(self) -> None:
        """Per-category type and service lists plus the shared ``meta`` pools."""
        rng = self.rng
        self.types = {"signin": _expand(SIGNIN_TYPES), "disk": list(DISK_TYPES),
                      "telemost": list(TELEMOST_TYPES), "messenger": list(MESSENGER_TYPES),
                      "admin": list(ADMIN_TYPES)}
        self.services = {c: _expand(spec[1]) for c, spec in AUDIT_CATEGORIES.items()}
        self.signin = [{"device_id": "", "revision": "1"}] + [
            {"user_agent": ua, "auth_method": m} for ua in USER_AGENTS
            for m in ("password", "otp", "sso")]
        self.conferences = [
            {"conference_id": str(rng.getrandbits(56)),
             "conference_url": f"https://telemost.yandex.ru/j/{rng.getrandbits(48)}",
             "access_level": rng.choice(("PUBLIC", "ORGANIZATION", "AFTER_ADMISSION"))}
            for _ in range(200)]
        self.chats = [{"chat_id": f"0/0/{self.uuid()}", "chat_name": CHAT_NAMES[k % 10]}
                      for k in range(200)]
        self.disk: dict[int, list[dict[str, Any]]] = {}

    def audit_event(self, ts: int, u: int, cat: str) -> dict[str, Any]:
        random = self.rng.random
        types = self.types[cat]
        etype = types[int(random() * len(types))]
        services = self.services[cat]
        failed = random() < (0.04 if cat == "signin" else 0.01)
        return {
            "user_login": self.emails[u], "user_name": self.name_of(u),
            "event": {
                "type": etype, "status": "Error" if failed else "Success",
                "service": services[int(random() * len(services))],
                "uid": self.uid_ints[u], "org_id": self.org.id,
                "ip": self.office_ip(u), "occurred_at": self.clock.iso(ts, "+00:00"),
                "is_system": False, "idempotency_id": self.uuid(),
                "request_id": self.hex(32), "meta": self.meta(cat, etype, u),
            },
        }

    def meta(self, cat: str, etype: str, u: int) -> dict[str, Any]:
        """A realistic ``meta`` object; pooled ones are shared between events."""
        random = self.rng.random
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
        """About one of the user's generated resources, or a file of a common folder."""
        uid = self.uids[u]
        pool = self.disk.get(u)
        if pool is None:
            records = self.ctx.disk_paths.get(uid)
            if not records:  # one event's worth: not worth caching per user
                folder = DISK_DIRS[int(self.rng.random() * len(DISK_DIRS))]
                return {"resource_type": "dir", "tgt_rawaddress": f"{uid}:disk:/{folder}",
                        "owner_uid": uid, "rights": "rw"}
            pool = self.disk[u] = [
                {"resource_type": rtype, "tgt_rawaddress": f"{uid}:{path}",
                 "owner_uid": uid, "rights": "rw"} for rtype, path in records]
        return pool[int(self.rng.random() * len(pool))]

    def admin_meta(self, etype: str) -> dict[str, Any]:
        rng = self.rng
        if "_user_" in etype:
            u = int(rng.random() * self.n)
            return {"target_uid": self.uids[u], "target_login": self.emails[u]}
        if "_group_" in etype:
            gid = rng.choice(self.ctx.generic_ids)
            return {"group_id": gid, "group_name": self.ctx.group_names[gid]}
        if "_department_" in etype:
            dept = rng.choice(self.ctx.dept_ids)
            return {"department_id": dept, "department_name": self.ctx.dept_names[dept]}
        return {}
