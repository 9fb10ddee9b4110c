"""Mail settings in the data layer: the organisation's domains from either source (the Domains
API, else the users' addresses), outside detection, the three reads together (one failing part,
all failing), the user detail's Mail lines, the remove-rule edit (plan in words, refusal of a
gone rule with nothing sent, verify, journal) and the finding, whose count equals the emulator's
truth."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.api.errors import Forbidden
from y360tui.data.directory import DirectoryCache
from y360tui.data.edits import execute
from y360tui.data.edits.mail_settings import RemoveMailRule
from y360tui.data.findings import DONE, FAILED, FindingsRun
from y360tui.data.findings_out import findings_records
from y360tui.data.journal import Journal
from y360tui.data.links import INFO, Linker
from y360tui.data.mail_links import MAIL_SETTINGS, user_mail_targets
from y360tui.data.mail_settings import (
    AUTOREPLY,
    FORWARD,
    FROM_DIRECTORY,
    FROM_DOMAINS_API,
    FROM_USER,
    Domains,
    MailRule,
    org_domains,
    read_settings,
)
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


class Env:
    def __init__(self, tmp_path, users: int = 300) -> None:
        self.org = generate_org(users, seed=3, now=NOW)
        self.app = create_app(self.org)
        self.client = self.make_client(self.org.admin_token)
        self.journal = Journal(tmp_path / "journal.jsonl", profile="test", org=str(self.org.id))

    def make_client(self, token: str) -> Y360Client:
        return Y360Client(token, self.org.id, retry=RetryPolicy(retries=0),
                          transport=EmulatorTransport(self.app))

    def writes(self) -> list[dict]:
        return self.app.state.request_log.writes()

    def uid_with(self, outside: bool) -> str:
        store = self.org.mail_settings
        for uid in store.generated_uids():
            for rule in store.peek(uid)["rules"]["forwards"]:
                if rule["address"].endswith("@" + self.org.domain) is not outside:
                    return uid
        raise AssertionError("no such user")

    def outside_truth(self) -> set[str]:
        store, out = self.org.mail_settings, set()
        for uid in store.generated_uids():
            for rule in store.peek(uid)["rules"]["forwards"]:
                if not rule["address"].endswith("@" + self.org.domain):
                    out.add(f"{uid}:{rule['ruleId']}")
        return out


@pytest.fixture
async def env(tmp_path):
    env = Env(tmp_path)
    yield env
    await env.client.aclose()


class FakeDomainsApi:
    def __init__(self, names=None, error=None) -> None:
        self.names, self.error, self.calls = names or [], error, 0

    async def all_domains(self):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return [SimpleNamespace(name=n) for n in self.names]


class FakeClient:
    """Only what ``org_domains`` asks of a client (weak-referenceable, like the real one)."""

    def __init__(self, domains=None) -> None:
        if domains is not None:
            self.domains = domains


class FakeDirectory:
    def __init__(self, emails) -> None:
        rows = [(str(i), "", "", "", "", "active", "", e, "1", "yes")
                for i, e in enumerate(emails)]
        self.users = SimpleNamespace(rows=lambda: list(enumerate(rows)))


def test_outside_detection() -> None:
    domains = Domains(frozenset({"corp.ru", "corp.com"}), FROM_DOMAINS_API)
    assert domains.outside("ivan@gmail.com")
    assert domains.outside("ivan@corp.ru.evil.example")
    assert not domains.outside("ivan@corp.ru") and not domains.outside("IVAN@Corp.COM")
    assert not domains.outside("ivan@mail.corp.ru")  # a subdomain of the org's
    assert not domains.outside("no address") and not domains.outside("")
    assert not Domains(frozenset(), FROM_USER).outside("x@gmail.com")  # nothing known


async def test_domains_from_the_domains_api_first() -> None:
    api = FakeDomainsApi(["Corp.RU", "corp.com"])
    client = FakeClient(api)
    directory = FakeDirectory(["a@other.example"])
    found = await org_domains(client, directory, hint="me@corp.ru")
    assert found == Domains(frozenset({"corp.ru", "corp.com"}), FROM_DOMAINS_API)
    await org_domains(client, directory)
    assert api.calls == 1  # read once per session
    await org_domains(client, directory, refresh=True)
    assert api.calls == 2


async def test_domains_from_the_directory_without_the_domains_api() -> None:
    directory = FakeDirectory(["a@corp.ru", "b@Corp.ru", "c@branch.corp.com", ""])
    found = await org_domains(FakeClient(), directory, hint="me@hq.example")
    assert found == Domains(frozenset({"corp.ru", "branch.corp.com", "hq.example"}),
                            FROM_DIRECTORY)
    assert found.outside("x@gmail.com") and not found.outside("y@branch.corp.com")


async def test_domains_fall_back_when_the_domains_api_fails() -> None:
    api = FakeDomainsApi(error=Forbidden(403, "no directory:read_domains"))
    client = FakeClient(api)
    found = await org_domains(client, FakeDirectory(["a@corp.ru"]))
    assert found.source == FROM_DIRECTORY and found.names == {"corp.ru"}
    await org_domains(client, FakeDirectory(["a@corp.ru"]))
    assert api.calls == 1  # the failure is remembered for the session
    alone = await org_domains(FakeClient(), None, hint="me@corp.ru")
    assert alone == Domains(frozenset({"corp.ru"}), FROM_USER)


def test_rule_words_and_label() -> None:
    forward = MailRule("11", "ivan", FORWARD, 7, "home", address="i@gmail.com", keep_copy=True,
                       outside=True)
    assert forward.words() == "forward to i@gmail.com, keep a copy"
    assert forward.finding_label() == ("11:7", "ivan: forward to i@gmail.com, keep a copy")
    assert forward.where() == "outside"
    plain = MailRule("11", "ivan", FORWARD, 8, address="b@corp.ru")
    assert plain.words() == "forward to b@corp.ru, no copy kept" and plain.where() == "org"
    reply = MailRule("11", "ivan", AUTOREPLY, 9, text="\n  В отпуске до 1 июля.\nПишите Ане")
    assert reply.words() == "auto-reply: В отпуске до 1 июля." and reply.where() == ""


async def test_read_settings_marks_outside(env) -> None:
    uid = env.uid_with(outside=True)
    user = env.org.users[uid]
    settings = await read_settings(env.client, uid, login=user["nickname"],
                                   email=user["email"])
    assert not settings.errors and settings.sender is not None
    assert env.org.domain in settings.domains.names
    assert settings.outside and all(r.address.split("@")[1] != env.org.domain
                                    for r in settings.outside)
    inside = await read_settings(env.client, env.uid_with(outside=False))
    assert inside.forwards and not inside.outside  # the user's own domain, from defaultFrom


async def test_detail_lines(env) -> None:
    uid = env.uid_with(outside=True)
    user = await env.client.directory.get_user(uid)
    lines = await user_mail_targets(env.client, user)
    assert {t.section for t in lines} == {"Mail"}
    labels = [t.label for t in lines]
    assert labels[0].startswith("sender: ") and user.email in labels[0]
    outside = [t for t in lines if "outside" in t.label]
    assert outside and outside[0].label.startswith("⚠ forwards outside: ")
    assert outside[0].params == {"severity": "error"}
    assert all(t.kind == MAIL_SETTINGS and t.key == uid for t in lines)
    assert labels[-1].startswith("address book: ")


async def test_detail_lines_degrade_to_one_line(env) -> None:
    uid = env.uid_with(outside=True)
    user = await env.client.directory.get_user(uid)
    async with env.make_client(env.org.extra_tokens["user"]) as plain:
        lines = await user_mail_targets(plain, user)
    assert len(lines) == 1 and lines[0].kind == INFO
    assert lines[0].label.startswith("could not read: 403: ")
    gone = user.model_copy(update={"id": "1130000000000000"})
    lines = await user_mail_targets(env.client, gone)
    assert len(lines) == 1 and lines[0].label.startswith("could not read: 404: ")


async def test_remove_outside_forward(env) -> None:
    uid = env.uid_with(outside=True)
    settings = await read_settings(env.client, uid, login="who")
    rule = settings.outside[0]
    edit = RemoveMailRule(rule.as_current())
    await edit.load(env.client)
    assert edit.validate() == {}
    plan = edit.plan()
    assert [str(c) for c in plan.changes] == [
        f"forwarding rule {rule.rule_id}: {rule.words()} -> removed"]
    assert "outside the organisation's domains" in plan.notes[2]
    outcome = await execute(edit, env.client, env.journal, plan)
    assert outcome.ok, outcome.message
    record = env.org.mail_settings.peek(uid)
    assert rule.rule_id not in [r["ruleId"] for r in record["rules"]["forwards"]]
    assert env.org.audit_events[0]["event"]["meta"]["setting"] == "user_rule_deleted"
    entry = env.journal.entries()[-1]
    assert entry.action == "mail.rule.remove" and entry.outcome == "ok"
    assert entry.target.kind == MAIL_SETTINGS and entry.target.id == uid
    assert entry.before == {plan.changes[0].field: rule.words()}


async def test_remove_gone_rule_sends_nothing(env) -> None:
    uid = env.uid_with(outside=True)
    rule = (await read_settings(env.client, uid)).outside[0]
    await env.client.mail_settings.delete_rule(uid, rule.rule_id)
    sent = len(env.writes())
    edit = RemoveMailRule(rule.as_current())
    await edit.load(env.client)
    assert "not there any more" in edit.validate()["rule_id"]
    assert len(env.writes()) == sent


async def test_remove_autoreply(env) -> None:
    store = env.org.mail_settings
    uid = next(u for u in store.generated_uids() if store.peek(u)["rules"]["autoreplies"])
    rule = next(r for r in (await read_settings(env.client, uid)).rules
                if r.kind == AUTOREPLY)
    edit = RemoveMailRule(rule.as_current())
    await edit.load(env.client)
    plan = edit.plan()
    assert plan.changes[0].field.startswith("auto-reply rule ")
    assert (await execute(edit, env.client, env.journal, plan)).ok
    assert store.peek(uid)["rules"]["autoreplies"] == []


async def run_findings(env, token=None):
    async with env.make_client(token or env.org.admin_token) as client:
        directory = DirectoryCache(client, users_page_size=500)
        run = FindingsRun(client, directory, Linker(client, directory))
        start = time.perf_counter()
        await run.run()
        seconds = time.perf_counter() - start
        directory.close()
    return run, seconds


async def test_finding_count_equals_the_emulator_truth(tmp_path) -> None:
    env = Env(tmp_path, users=2000)
    run, seconds = await run_findings(env)
    finding = run.findings["mail-forward-outside"]
    assert finding.state == DONE and finding.severity == "error"
    truth = env.outside_truth()
    assert finding.count == len(truth) == 34
    records = {r["id"]: r for r in findings_records(run.sorted())}
    record = records["mail-forward-outside"]
    assert {o["id"] for o in record["objects"]} == truth
    assert all(" forward to " in o["label"] for o in record["objects"])
    assert record["title"] == "Mail forwarded outside the org"
    assert record["detail"].startswith("34 rules of 34 users · ")
    assert " checked · " in record["detail"]
    assert run.progress["mail"].state == DONE
    assert run.progress["mail"].done == run.progress["mail"].total > 1900
    print(f"mail finding at 2,000 users: {seconds:.2f} s")
    await env.client.aclose()


async def test_finding_fails_alone_without_the_scope(env) -> None:
    token = "mail-no-scope"
    env.org.tokens[token] = {"uid": env.org.admin_uid,
                             "scopes": {"directory:read_users", "directory:read_groups",
                                        "directory:read_departments"}}
    run, _ = await run_findings(env, token)
    finding = run.findings["mail-forward-outside"]
    assert finding.state == FAILED and finding.detail.startswith("could not check: 403: ")
    assert run.findings["admins"].state == DONE
    # It stopped at the first refusals instead of asking for every user.
    asked = [r for r in env.app.state.request_log if "/user_rules" in r["path"]]
    assert len(asked) < 50
