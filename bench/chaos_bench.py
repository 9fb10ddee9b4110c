"""Chaos run of the edit path (issue 9 §1): random edits under injected faults of every kind.

For each seed: a generated organisation served in-process by the emulator with ``--rate``
(default 10%) of requests faulted, shared equally by every kind (429, 500, 503, hang,
malformed, drop); ``--actions`` random edits (block/unblock, admin, profile fields, move,
aliases, contacts, 2FA reset, sign-out, sign-in method, groups and their members,
departments, unpublish), each run as the UI runs it: ``load`` (a fresh read), ``plan``,
``execute`` (apply, verify, journal). Edits run one at a time, so the emulator's request log
tells, for each edit, whether a write of it reached the server and succeeded there.

It then checks, against the emulator:

- **failed but applied**: journaled ``failed`` although a write of that edit succeeded on the
  server (the bug of issue 9 §1) — must be 0;
- **crashes**: an exception escaping ``execute`` — must be 0;
- **token leaks**: the admin token (or a password typed into an edit) in the journal file or
  any outcome message — must be 0.

It also reports the outcomes, how many were settled by a read-back after an ambiguous reply,
and how many ``uncertain`` edits had in fact applied.

Usage::

    .venv/bin/python bench/chaos_bench.py                     # 1,000 actions x seeds 1 2 3
    .venv/bin/python bench/chaos_bench.py --actions 200 --seeds 7

Exit status 1 when any of the three counts is not zero.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.edits import (
    AddAlias,
    AddMember,
    CreateDepartment,
    CreateGroup,
    DeleteDepartment,
    DeleteGroup,
    Edit,
    EditContacts,
    EditDepartment,
    EditGroup,
    EditUserFields,
    MoveUser,
    RemoveAlias,
    RemoveMember,
    Reset2fa,
    SetAdmin,
    SetAuthType,
    SetEnabled,
    SignOut,
    Unpublish,
    execute,
)
from y360tui.data.edits.base import AMBIGUOUS_OK
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.faults import KINDS, FaultConfig
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
PASSWORD = "Chaos-pass-2026!"


async def _no_wait(seconds: float) -> None:
    """Retry backoff and Retry-After are not waited for (the run would take hours)."""


@dataclass
class SeedResult:
    seed: int
    actions: int = 0
    outcomes: Counter = field(default_factory=Counter)
    not_sent: int = 0  # the fresh read before the form failed: nothing was sent
    settled: Counter = field(default_factory=Counter)  # outcome after an ambiguous reply
    failed_but_applied: list[str] = field(default_factory=list)
    uncertain_applied: int = 0
    crashes: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    faults: Counter = field(default_factory=Counter)
    requests: int = 0
    seconds: float = 0.0


class Chaos:
    """One seed's organisation, faults, client, journal and random action picker."""

    def __init__(self, seed: int, users: int, rate: float, timeout: float, tmp: Path) -> None:
        self.rng = random.Random(seed)
        self.org = generate_org(users, seed=seed, now=NOW)
        self.faults = FaultConfig.uniform(rate, KINDS, seed=seed, hang_seconds=30.0)
        self.app = create_app(self.org, faults=self.faults, log_size=10_000_000)
        self.client = Y360Client(self.org.admin_token, self.org.id, base_url="http://chaos",
                                 transport=EmulatorTransport(self.app), timeout=timeout,
                                 retry=RetryPolicy(), sleep=_no_wait)
        self.journal = Journal(tmp / f"journal-{seed}.jsonl", profile="chaos",
                               org=str(self.org.id))
        self.made_groups: list[int] = []
        self.made_departments: list[int] = []
        self.n = 0

    @property
    def log(self) -> Any:
        return self.app.state.request_log

    # -- picking ---------------------------------------------------------------------------
    def uid(self) -> str:
        users = [u for u, v in self.org.users.items()
                 if not v["isDismissed"] and not v["isRobot"] and u != self.org.admin_uid]
        return self.rng.choice(users)

    def user(self) -> dict[str, Any]:
        return dict(self.org.users[self.uid()])

    def generic_group(self) -> dict[str, Any] | None:
        groups = [g for g in self.org.groups.values()
                  if g["type"] == "generic" and not g.get("removed")]
        return dict(self.rng.choice(groups)) if groups else None

    def unique(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def pick(self) -> Edit | None:
        kind = self.rng.choice((
            "block", "admin", "fields", "move", "alias-add", "alias-remove", "contacts",
            "2fa", "sign-out", "auth-type", "group-create", "group-edit", "group-delete",
            "member-add", "member-remove", "dep-create", "dep-edit", "dep-delete",
            "unpublish"))
        rng = self.rng
        if kind == "block":
            user = self.user()
            return SetEnabled(user, {"value": not user["isEnabled"]})
        if kind == "admin":
            user = self.user()
            return SetAdmin(user, {"value": not user["isAdmin"]})
        if kind == "fields":
            return EditUserFields(self.user(), {"position": self.unique("Chaos role ")})
        if kind == "move":
            user = self.user()
            deps = [d for d in self.org.departments if d != user["departmentId"]]
            return MoveUser(user, {"departmentId": str(rng.choice(deps))})
        if kind == "alias-add":
            return AddAlias(self.user(), {"alias": self.unique("chaos.alias")})
        if kind == "alias-remove":
            having = [u for u, v in self.org.users.items() if v.get("aliases")]
            if not having:
                return None
            user = dict(self.org.users[rng.choice(having)])
            return RemoveAlias(user, {"alias": rng.choice(user["aliases"])})
        if kind == "contacts":
            return EditContacts(self.user(), {"contacts": f"skype {self.unique('chaos.')}"})
        if kind == "2fa":
            uid = self.uid()
            self.org.two_fa[uid] = {"has2fa": True, "hasSecurityPhone": True}
            return Reset2fa(dict(self.org.users[uid]))
        if kind == "sign-out":
            return SignOut(self.user())
        if kind == "auth-type":
            if rng.random() < 0.5:
                return SetAuthType(self.user(), {"authType": "idp", "dropOtp": True})
            return SetAuthType(self.user(), {"authType": "portal", "password": PASSWORD,
                                             "passwordConfirm": PASSWORD})
        if kind == "group-create":
            return CreateGroup(None, {"name": self.unique("Chaos group "),
                                      "description": "made by the chaos bench"})
        if kind == "group-edit":
            group = self.generic_group()
            return group and EditGroup(group, {"name": self.unique("Chaos renamed ")})
        if kind == "group-delete":
            alive = [g for g in self.made_groups if g in self.org.groups
                     and not self.org.groups[g].get("removed")]
            return DeleteGroup(dict(self.org.groups[rng.choice(alive)])) if alive else None
        if kind == "member-add":
            group = self.generic_group()
            return group and AddMember(group, {"memberType": "user", "memberId": self.uid()})
        if kind == "member-remove":
            groups = [g for g in self.org.groups.values() if g["type"] == "generic"
                      and any(m["type"] == "user" for m in g.get("members") or [])]
            if not groups:
                return None
            group = dict(rng.choice(groups))
            member = rng.choice([m for m in group["members"] if m["type"] == "user"])
            return RemoveMember(group, {"memberType": "user", "memberId": str(member["id"])})
        if kind == "dep-create":
            parent = rng.choice(list(self.org.departments))
            return CreateDepartment(None, {"name": self.unique("Chaos dep "),
                                           "parentId": str(parent)})
        if kind == "dep-edit":
            did = rng.choice([d for d in self.org.departments if d != 1])
            return EditDepartment(dict(self.org.departments[did]),
                                  {"description": self.unique("chaos ")})
        if kind == "dep-delete":
            empty = [d for d in self.made_departments if d in self.org.departments
                     and not any(x.get("parentId") == d for x in self.org.departments.values())
                     and not self.org.departments[d].get("membersCount")]
            return DeleteDepartment(dict(self.org.departments[rng.choice(empty)])) \
                if empty else None
        published = [(u, r) for u, rs in self.org.disk.items() for r in rs
                     if r.get("public_key")]
        if not published:
            return None
        uid, record = rng.choice(published)
        return Unpublish({"public_hash": record["public_key"], "name": record["name"],
                          "path": record["path"], "user_id": uid})

    # -- running ---------------------------------------------------------------------------
    async def one(self, result: SeedResult) -> None:
        edit = self.pick()
        if edit is None:
            return
        try:
            await edit.load(self.client)
        except Exception:
            result.not_sent += 1  # the UI says "could not read" and sends nothing
            result.actions += 1
            return
        edit.reset_values()
        if edit.validate():
            return  # the bench picked a value the form refuses: not an action
        plan = edit.plan()
        if plan.noop:
            return
        result.actions += 1
        start = len(self.log)
        try:
            outcome = await execute(edit, self.client, self.journal, plan)
        except Exception as exc:  # any exception escaping execute is a crash
            result.crashes.append(f"{plan.action}: {type(exc).__name__}: {exc}")
            return
        writes = [r for r in list(self.log)[start:] if r["method"] not in ("GET", "HEAD")]
        applied = any(r["status"] is not None and r["status"] < 300 for r in writes)
        result.outcomes[outcome.status] += 1
        if outcome.ambiguous is not None:
            result.settled[outcome.status] += 1
        if outcome.status == "failed" and applied:
            result.failed_but_applied.append(f"{plan.action} {plan.target.id}: "
                                             f"{outcome.message}")
        if outcome.status == "uncertain" and applied:
            result.uncertain_applied += 1
        for secret in (self.org.admin_token, PASSWORD):
            if secret in outcome.message or secret in repr(outcome.error):
                result.leaks.append(f"{plan.action}: secret in the outcome message")
        if isinstance(edit, CreateGroup) and edit.current.get("id"):
            self.made_groups.append(int(edit.current["id"]))
        if isinstance(edit, CreateDepartment) and edit.current.get("id"):
            self.made_departments.append(int(edit.current["id"]))

    async def run(self, actions: int) -> SeedResult:
        result = SeedResult(seed=self.faults.seed)
        started = time.perf_counter()
        while result.actions < actions:
            await self.one(result)
        result.seconds = time.perf_counter() - started
        await self.client.aclose()
        text = self.journal.path.read_text(encoding="utf-8") if self.journal.path.exists() \
            else ""
        for secret, name in ((self.org.admin_token, "token"), (PASSWORD, "password")):
            if secret in text:
                result.leaks.append(f"the {name} is in the journal file")
        ambiguous_ok = sum(1 for line in text.splitlines() if AMBIGUOUS_OK in line)
        assert ambiguous_ok >= result.settled["ok"]
        result.faults = Counter(self.faults.injected)
        result.requests = self.faults.requests
        return result


def report(results: list[SeedResult], rate: float) -> bool:
    print(f"chaos: {results[0].actions if results else 0} actions per seed, "
          f"{rate:.0%} of requests faulted ({', '.join(KINDS)})")
    header = (f"{'seed':>4} {'actions':>7} {'requests':>8} {'faults':>6} {'ok':>5} "
              f"{'failed':>6} {'uncert':>6} {'mism':>4} {'unsent':>6} {'settled ok/fail/unc':>19} "
              f"{'failed+applied':>14} {'crashes':>7} {'leaks':>5} {'s':>5}")
    print(header)
    good = True
    for r in results:
        settled = f"{r.settled['ok']}/{r.settled['failed']}/{r.settled['uncertain']}"
        print(f"{r.seed:>4} {r.actions:>7} {r.requests:>8} {sum(r.faults.values()):>6} "
              f"{r.outcomes['ok']:>5} {r.outcomes['failed']:>6} {r.outcomes['uncertain']:>6} "
              f"{r.outcomes['verify-mismatch']:>4} {r.not_sent:>6} {settled:>19} "
              f"{len(r.failed_but_applied):>14} {len(r.crashes):>7} {len(r.leaks):>5} "
              f"{r.seconds:>5.1f}")
        print(f"     faults: {dict(sorted(r.faults.items()))}; uncertain that had applied: "
              f"{r.uncertain_applied}")
        for line in (r.failed_but_applied + r.crashes + r.leaks)[:10]:
            print(f"     ! {line}")
        good = good and not (r.failed_but_applied or r.crashes or r.leaks)
    print("PASS" if good else "FAIL")
    return good


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rate", type=float, default=0.10)
    parser.add_argument("--timeout", type=float, default=0.25,
                        help="client timeout in seconds (an injected hang outlasts it)")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            chaos = Chaos(seed, args.users, args.rate, args.timeout, Path(tmp))
            results.append(asyncio.run(chaos.run(args.actions)))
    return 0 if report(results, args.rate) else 1


if __name__ == "__main__":
    sys.exit(main())
