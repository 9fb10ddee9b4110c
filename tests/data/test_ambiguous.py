"""An edit is only "failed" when it is known not to have applied (issue 9 §1).

Each case injects one fault, scoped to the one route and method of the write, into the
in-process emulator; the read-back is left alone unless the case is about it failing too.
Every case then compares the journal with the emulator's state.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.api.errors import NotFound
from y360tui.data.bulk import run_bulk
from y360tui.data.edits import (
    AddAlias,
    AddMember,
    CreateDepartment,
    CreateGroup,
    DeleteGroup,
    EditUserFields,
    RemoveAlias,
    RemoveMember,
    SetAuthType,
    SetEnabled,
    SignOut,
    Unpublish,
    execute,
)
from y360tui.data.edits.base import AMBIGUOUS_OK, ambiguous, api_error
from y360tui.data.journal import Journal
from y360tui.emulator.app import create_app
from y360tui.emulator.faults import FaultConfig
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


async def _no_wait(seconds: float) -> None:
    return None


class Env:
    """An emulated org with faults, a client (``retries`` retries, no real sleeping), a journal."""

    def __init__(self, tmp_path, faults: FaultConfig | None = None, *, retries: int = 0,
                 timeout: float = 30.0) -> None:
        self.org = generate_org(60, seed=3, now=NOW)
        self.faults = faults
        self.app = create_app(self.org, faults=faults)
        self.client = Y360Client(self.org.admin_token, self.org.id, base_url="http://emulator",
                                 transport=EmulatorTransport(self.app), timeout=timeout,
                                 retry=RetryPolicy(retries=retries), sleep=_no_wait)
        self.journal = Journal(tmp_path / "journal.jsonl", profile="test", org=str(self.org.id))

    def user(self, n: int = 0) -> dict:
        uids = [u for u, v in self.org.users.items()
                if not v["isDismissed"] and not v["isRobot"] and u != self.org.admin_uid]
        return self.org.users[uids[n]]

    def generic_group(self, n: int = 0) -> dict:
        return [g for g in self.org.groups.values() if g["type"] == "generic"][n]

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.journal.path.read_text().splitlines()]

    def writes(self, method: str) -> list[str]:
        return [r["path"] for r in self.app.state.request_log.writes() if r["method"] == method]


@pytest.fixture
def make_env(tmp_path):
    made: list[Env] = []

    def make(*args, **kwargs) -> Env:
        env = Env(tmp_path, *args, **kwargs)
        made.append(env)
        return env

    yield make


def one_fault(kind: str, method: str, route: str, **options) -> FaultConfig:
    return FaultConfig(rates={kind: 1.0}, methods=(method,), routes=(route,), **options)


# -- the classifier ---------------------------------------------------------------------
async def test_the_classifier_sees_the_clients_own_errors(make_env):
    """The client wraps httpx errors into TransportError: the classifier must know them."""
    env = make_env(FaultConfig(rates={"drop": 1.0}, max_streak=99))
    with pytest.raises(Exception) as caught:
        await env.client.directory.get_user(env.user()["id"])
    assert ambiguous(caught.value)
    assert api_error(caught.value)["message"].startswith("network error: ")


async def test_a_404_is_ambiguous_only_on_a_retry(make_env):
    uid = "1130000000999999"
    env = make_env(retries=2)
    with pytest.raises(NotFound) as first:
        await env.client.directory.get_user(uid)
    assert first.value.attempts == 1 and not ambiguous(first.value)
    env2 = make_env(one_fault("drop", "GET", f"/users/{uid}", max_streak=1), retries=2)
    with pytest.raises(NotFound) as retried:
        await env2.client.directory.get_user(uid)
    assert retried.value.attempts == 2 and ambiguous(retried.value)
    assert api_error(retried.value)["message"].endswith("(on attempt 2)")


# -- applied, reply lost: journaled ok, "verified after an ambiguous reply" ---------------
async def test_dropped_patch_that_applied_is_ok_after_read_back(make_env):
    probe = make_env()
    uid = probe.user()["id"]
    env = make_env(one_fault("drop", "PATCH", f"/users/{uid}"))
    outcome = await execute(SetEnabled(env.org.users[uid], {"value": False}), env.client,
                            env.journal)
    assert env.org.users[uid]["isEnabled"] is False  # the server applied it
    assert outcome.status == "ok", outcome.message
    assert outcome.message.startswith(f"done; {AMBIGUOUS_OK} (network error: ")
    assert env.writes("PATCH") == [f"/directory/v1/org/{env.org.id}/users/{uid}"]  # once
    line = env.lines()[0]
    assert line["outcome"] == "ok" and line["note"].startswith(AMBIGUOUS_OK)


async def test_garbled_2xx_reply_that_applied_is_ok_after_read_back(make_env):
    probe = make_env()
    uid = probe.user()["id"]
    env = make_env(one_fault("malformed", "PATCH", f"/users/{uid}"))
    outcome = await execute(EditUserFields(env.org.users[uid], {"position": "Night lead"}),
                            env.client, env.journal)
    assert env.org.users[uid]["position"] == "Night lead"
    assert outcome.status == "ok" and "unreadable reply" in outcome.message
    assert env.lines()[0]["outcome"] == "ok"


async def test_dropped_post_of_a_member_that_applied_is_ok(make_env):
    probe = make_env()
    gid, uid = probe.generic_group()["id"], probe.user(4)["id"]
    env = make_env(one_fault("drop", "POST", f"/groups/{gid}/members"))
    group = env.org.groups[gid]
    outcome = await execute(AddMember(group, {"memberType": "user", "memberId": uid}),
                            env.client, env.journal)
    assert gid in env.org.users[uid]["groups"]
    assert outcome.status == "ok" and AMBIGUOUS_OK in outcome.message


@pytest.mark.parametrize("kind", ["drop", "malformed"])
async def test_create_whose_reply_is_lost_finds_the_new_group(make_env, kind):
    env = make_env(one_fault(kind, "POST", "/groups"))
    before = set(env.org.groups)
    edit = CreateGroup(None, {"name": "Night shift", "description": "ops"})
    outcome = await execute(edit, env.client, env.journal)
    made = set(env.org.groups) - before
    assert len(made) == 1
    assert outcome.status == "ok", outcome.message
    assert edit.target.id == str(made.pop())  # the id was learnt by the read-back


async def test_create_department_whose_reply_is_garbled(make_env):
    env = make_env(one_fault("malformed", "POST", "/departments"))
    edit = CreateDepartment(None, {"name": "Lab", "parentId": "2"})
    outcome = await execute(edit, env.client, env.journal)
    assert outcome.status == "ok", outcome.message
    assert env.org.departments[int(edit.target.id)]["name"] == "Lab"


async def test_create_refused_is_failed_when_a_namesake_was_there_before(make_env):
    """A same-named group existed before: the read-back must not take it for the new one."""
    probe = make_env()
    name = probe.generic_group()["name"]
    env = make_env(one_fault("503", "POST", "/groups"))
    outcome = await execute(CreateGroup(None, {"name": name}), env.client, env.journal)
    assert outcome.status == "failed", outcome.message
    assert outcome.message.endswith("read back: not applied")


# -- retried DELETE/PUT answered 404: the first attempt had applied ------------------------
async def test_retried_delete_of_an_alias_answered_404_is_ok(make_env):
    probe = make_env()
    user = probe.user(2)
    uid = user["id"]
    probe.org.users[uid]["aliases"].append("night.owl")
    env = make_env(one_fault("drop", "DELETE", f"/users/{uid}/aliases", max_streak=1),
                   retries=2)
    env.org.users[uid]["aliases"].append("night.owl")
    outcome = await execute(RemoveAlias(env.org.users[uid], {"alias": "night.owl"}),
                            env.client, env.journal)
    assert "night.owl" not in env.org.users[uid]["aliases"]
    assert len(env.writes("DELETE")) == 2  # the dropped one and its retry (404)
    assert outcome.status == "ok", outcome.message
    assert "(on attempt 2)" in outcome.message


async def test_retried_delete_of_a_member_answered_not_a_member_is_ok(make_env):
    probe = make_env()
    group = next(g for g in probe.org.groups.values()
                 if g["type"] == "generic" and any(m["type"] == "user" for m in g["members"]))
    gid = group["id"]
    mid = next(m["id"] for m in group["members"] if m["type"] == "user")
    env = make_env(one_fault("drop", "DELETE", f"/groups/{gid}/members", max_streak=1),
                   retries=2)
    outcome = await execute(
        RemoveMember(env.org.groups[gid], {"memberType": "user", "memberId": mid}),
        env.client, env.journal)
    assert not any(m["type"] == "user" and m["id"] == mid
                   for m in env.org.groups[gid]["members"])
    assert outcome.status == "ok", outcome.message
    assert env.lines()[0]["outcome"] == "ok"


async def test_retried_delete_of_a_group_answered_404_is_ok(make_env):
    probe = make_env()
    gid = probe.generic_group(1)["id"]
    env = make_env(one_fault("drop", "DELETE", f"/groups/{gid}", max_streak=1), retries=2)
    outcome = await execute(DeleteGroup(env.org.groups[gid]), env.client, env.journal)
    gone = env.org.groups.get(gid)
    assert gone is None or gone.get("removed")
    assert outcome.status == "ok", outcome.message


async def test_retried_unpublish_answered_not_found_is_ok(make_env):
    env = make_env(one_fault("drop", "PUT", "/unpublish", max_streak=1), retries=2)
    uid, record = next((u, r) for u, rs in env.org.disk.items() for r in rs
                       if r.get("public_key"))
    item = {"public_hash": record["public_key"], "name": record["name"],
            "path": record["path"], "user_id": uid}
    outcome = await execute(Unpublish(item), env.client, env.journal)
    assert not record.get("public_key")
    assert len(env.writes("PUT")) == 2
    assert outcome.status == "ok", outcome.message


# -- not applied: failed, and now it is known ----------------------------------------------
async def test_timed_out_patch_that_never_ran_is_failed_after_read_back(make_env):
    probe = make_env()
    uid = probe.user()["id"]
    env = make_env(one_fault("hang", "PATCH", f"/users/{uid}", hang_seconds=5), timeout=0.05)
    outcome = await execute(SetEnabled(env.org.users[uid], {"value": False}), env.client,
                            env.journal)
    assert env.org.users[uid]["isEnabled"] is True  # cancelled before it ran
    assert outcome.status == "failed"
    assert outcome.message.startswith("no answer: timed out")
    assert outcome.message.endswith("read back: not applied")
    assert env.lines()[0]["outcome"] == "failed"


async def test_a_plain_refusal_is_failed_without_a_read_back(make_env):
    env = make_env(retries=2)
    user = env.user()
    gets = len(env.app.state.request_log)
    outcome = await execute(AddAlias(user, {"alias": env.user(1)["nickname"]}), env.client,
                            env.journal)
    assert outcome.status == "failed" and outcome.error["status"] == 409
    assert len(env.app.state.request_log) == gets + 1  # the DELETE only: nothing ambiguous


# -- could not tell: uncertain --------------------------------------------------------------
async def test_reply_lost_and_read_back_failing_is_uncertain(make_env):
    probe = make_env()
    uid = probe.user()["id"]
    env = make_env(FaultConfig(rates={"drop": 1.0}, routes=(f"/users/{uid}",), max_streak=99))
    outcome = await execute(SetEnabled(env.org.users[uid], {"value": False}), env.client,
                            env.journal)
    assert env.org.users[uid]["isEnabled"] is False  # it did apply: "failed" would be a lie
    assert outcome.status == "uncertain"
    assert "may or may not have applied" in outcome.message
    assert "reading it back failed" in outcome.message
    assert env.lines()[0]["outcome"] == "uncertain"


async def test_unverifiable_edits_are_uncertain_after_an_ambiguous_reply(make_env):
    probe = make_env()
    uid = probe.user()["id"]
    env = make_env(one_fault("drop", "PUT", "/logout", max_streak=99), retries=1)
    outcome = await execute(SignOut(env.org.users[uid]), env.client, env.journal)
    assert outcome.status == "uncertain"
    assert outcome.message.endswith("sessions cannot be read back")


async def test_auth_type_password_is_dropped_even_when_the_reply_is_lost(make_env):
    probe = make_env()
    uid = probe.user()["id"]
    env = make_env(one_fault("drop", "PATCH", "/auth_type"))
    secret = "Night-owl-2026!"
    edit = SetAuthType(env.org.users[uid], {"authType": "portal", "password": secret,
                                             "passwordConfirm": secret})
    outcome = await execute(edit, env.client, env.journal)
    assert outcome.status == "uncertain"
    assert edit.values["password"] == "" and edit.values["passwordConfirm"] == ""
    assert secret not in env.journal.path.read_text()


# -- bulk: the same three outcomes per item ------------------------------------------------
async def test_bulk_reports_ok_failed_and_uncertain_per_item(make_env):
    probe = make_env()
    applied, refused, unknown, plain = (probe.user(i)["id"] for i in range(4))
    faults = [
        one_fault("drop", "PATCH", f"/users/{applied}"),
        one_fault("503", "PATCH", f"/users/{refused}"),
        FaultConfig(rates={"drop": 1.0}, routes=(f"/users/{unknown}",), max_streak=99),
    ]
    # One app per fault would be three orgs: compose the three scopes in one config instead.
    env = make_env(_Union(faults))
    edits = [SetEnabled(env.org.users[u], {"value": False})
             for u in (applied, refused, unknown, plain)]
    result = await run_bulk(edits, env.client, env.journal, concurrency=4)
    status = {r.target.id: r.status for r in result.items}
    assert status == {applied: "ok", refused: "failed", unknown: "uncertain", plain: "ok"}
    assert result.summary() == "2 ok, 1 failed, 1 uncertain"
    assert {r.target.id for r in result.failed} == {refused, unknown}
    by_id = {line["target"]["id"]: line["outcome"] for line in env.lines()}
    assert by_id == status
    for uid, outcome in status.items():  # journal vs server: nothing "failed" that applied
        if outcome == "failed":
            assert env.org.users[uid]["isEnabled"] is True


class _Union(FaultConfig):
    """Several single-route fault configs behind one middleware (test helper)."""

    def __init__(self, parts: list[FaultConfig]) -> None:
        super().__init__()
        self.parts = parts

    @property
    def active(self) -> bool:
        return True

    def choose(self, scope):
        for part in self.parts:
            if part.in_scope(scope["path"], scope["method"]):
                return part.choose(scope)
        return None
