"""Tracker users and groups mirroring the directory, built on first access."""

from __future__ import annotations

from typing import Any

from ..state import peek_users
from .common import Part
from .pools import TRACKER_GROUP_OFFSET, TRACKER_SOURCES


class Tracker(Part):
    """``org.tracker_users`` and ``org.tracker_groups`` (stream ``"{seed}:tracker"``).

    They mirror the directory as it is when Tracker is first read: the generated users (in uid
    order) with their current departments, groups and positions. Draws do not depend on that
    state, so reads in any order give the same data.
    """

    name = "tracker"

    def build(self) -> None:
        groups, refs = self.build_groups()
        root_ref = refs[("department", 1)]
        # Users of one department in no group share one (read-only) refs list.
        shared: dict[int, list[dict[str, str]]] = {}
        out = []
        for i, user in enumerate(peek_users(self.org.users, self.uids)):
            dept = user["departmentId"]
            member_of = [g for g in user["groups"] if ("group", g) in refs]
            refs_list = shared.get(dept) if not member_of else None
            if refs_list is None:
                refs_list = [refs[("department", dept)]] if ("department", dept) in refs else []
                refs_list += [root_ref] if dept != 1 else []
                refs_list += [refs[("group", g)] for g in member_of]
                if not member_of:
                    shared[dept] = refs_list
            out.append(self.tracker_user(i, user, refs_list))
        self.org.tracker_users, self.org.tracker_groups = out, groups

    def tracker_user(self, i: int, user: dict[str, Any], groups: list[dict[str, str]],
                     ) -> dict[str, Any]:
        random, now, clock = self.rng.random, self.now_ts, self.clock
        first = clock.bucket(self.ctx.created[i] + int(random() * 30 * 86400), 86400, now)
        last = clock.bucket(now - int(random() ** 3 * 60 * 86400), 600, now)
        last = max(first, last)
        licensed = random() < 0.7
        name = user["name"]
        display = user["displayName"] or f"{name['first']} {name['last']}"
        return {
            "uid": self.uid_ints[i], "login": user["nickname"], "trackerUid": 8_000_000_001 + i,
            "passportUid": self.uid_ints[i], "cloudUid": f"aje{self.rng.getrandbits(68):017x}",
            "firstName": name["first"], "lastName": name["last"], "display": display,
            "email": user["email"], "groups": groups, "external": False,
            "hasLicense": licensed and not user["isRobot"],
            "dismissed": user["isDismissed"], "useNewFilters": True,
            "disableNotifications": user["isRobot"],
            "firstLoginDate": clock.tracker(first),
            "lastLoginDate": clock.tracker(last), "welcomeMailSent": True,
            "sources": TRACKER_SOURCES, "position": user["position"],
        }

    def build_groups(self) -> tuple[list[dict[str, Any]], dict[tuple[str, int], dict[str, str]]]:
        """Tracker groups mirroring departments and groups, and the shared user refs."""
        refs: dict[tuple[str, int], dict[str, str]] = {}
        groups: list[dict[str, Any]] = []
        departments = self.org.departments
        for dept in departments.values():
            parent = departments.get(dept["parentId"])
            record = {"id": dept["id"], "type": "department", "name": dept["name"],
                      "code": dept["label"], "url": f"/groups/{dept['id']}",
                      "description": dept["description"]}
            if parent:
                record["parent"] = {"id": str(parent["id"]), "display": parent["name"]}
            groups.append(record)
            refs[("department", dept["id"])] = {"id": str(dept["id"]), "display": dept["name"]}
        for group in self.org.groups.values():
            tid = TRACKER_GROUP_OFFSET + group["id"]
            groups.append({
                "id": tid, "type": "group" if group["type"] == "generic" else "service",
                "name": group["name"], "code": group["label"], "url": f"/groups/{tid}",
                "description": group["description"]})
            refs[("group", group["id"])] = {"id": str(tid), "display": group["name"]}
        return groups, refs
