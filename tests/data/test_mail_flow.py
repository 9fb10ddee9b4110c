"""Mail flow in the data layer: rules and policies in words, the lists as view rows, and the
whole-list edits — plan (the whole list, + and -), validation before anything is sent, the
stale-list refusal (proved with the emulator's request log), verify and the journal line."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.api.models.mail_flow import PolicyRule, RoutingRule
from y360tui.data.edits import execute
from y360tui.data.edits.mail_flow import (
    AddAllowEntry,
    MoveRoutingRule,
    RemoveAllowEntry,
    RemovePolicyRule,
    RemoveRoutingRule,
    list_diff,
)
from y360tui.data.journal import Journal
from y360tui.data.mail_flow import (
    condition_words,
    covered_by,
    outside,
    policy_words,
    rule_words,
)
from y360tui.data.sources import mail_flow_source
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def rule(**wire) -> RoutingRule:
    return RoutingRule.model_validate(wire)


def test_rules_in_words() -> None:
    assert rule_words(rule(terminal=True, condition={"address:from": "*@spam.example"},
                           actions=[{"action": "drop"}])) == \
        "inbound: if from *@spam.example → drop; stop"
    assert rule_words(rule(condition={"address:to": "invoices@corp.ru"},
                           actions=[{"action": "forward", "data": {"email": "acc@corp.ru"}}],
                           scope={"direction": "outbound"})) == \
        "outbound: if to invoices@corp.ru → forward to acc@corp.ru"
    assert rule_words(rule(actions=[{"action": "drop"}, {"action": "forward",
                                                         "data": {"email": "a@b.c"}}])) == \
        "inbound: always → drop, forward to a@b.c"
    assert condition_words({"$or": [{"address:from": "a@x"}, {"header:subject": "win"}]}) == \
        "(from a@x or subject contains win)"
    assert condition_words({"$and": [{"address:from": "a@x"}], "$not": {"address:to": "b@y"}}) \
        == "from a@x and not to b@y"
    assert condition_words({"size:gt": "10M"}) == "size:gt = 10M"  # unknown: as it is
    assert rule_words(rule(actions=[{"action": "quarantine"}])) == "inbound: always → quarantine"


def test_policies_in_words() -> None:
    accept = PolicyRule.model_validate({
        "name": "P", "condition": {"domain_filter": {"list": ["a.ru", "b.ru", "c.ru", "d.ru"]}},
        "action": {"type": "accept", "options": {"force": "ham"}}})
    assert policy_words(accept) == "accept as not spam mail from domain a.ru, b.ru, c.ru (+1)"
    reject = PolicyRule.model_validate({"enabled": False,
                                        "condition": {"ip_filter": {"list": ["192.0.2.0/24"]}},
                                        "action": {"type": "reject"}})
    assert policy_words(reject) == "reject mail from IP 192.0.2.0/24 (disabled)"


def test_helpers() -> None:
    assert covered_by("203.0.113.130", ["192.0.2.1", "203.0.113.128/25"]) == "203.0.113.128/25"
    assert covered_by("2001:db8::1", ["192.0.2.0/24"]) is None
    assert outside("journal@archive.example", ("corp.ru",))
    assert not outside("a@mail.corp.ru", ("corp.ru",)) and not outside("a@x.ru", ())
    assert list_diff(["a", "b", "c"], ["a", "c", "d"]) == [
        (" ", "a"), ("-", "b"), (" ", "c"), ("+", "d")]
    assert list_diff(["a", "b"], ["b", "a"]) in (
        [("-", "a"), (" ", "b"), ("+", "a")], [("+", "b"), (" ", "a"), ("-", "b")])


class Env:
    def __init__(self, tmp_path) -> None:
        self.org = generate_org(300, seed=3, now=NOW)
        self.app = create_app(self.org)
        self.client = Y360Client(self.org.admin_token, self.org.id, retry=RetryPolicy(retries=0),
                                 transport=EmulatorTransport(self.app))
        self.journal = Journal(tmp_path / "journal.jsonl", profile="test", org=str(self.org.id))

    def writes(self) -> list[dict]:
        return self.app.state.request_log.writes()


@pytest.fixture
async def env(tmp_path):
    env = Env(tmp_path)
    yield env
    await env.client.aclose()


async def test_sources_are_the_whole_lists(env) -> None:
    for view, expected in (("mail-routing", env.org.mail_routing_rules),
                           ("sender-policies", env.org.sender_policies["rules"]),
                           ("antispam-allowlist", env.org.antispam_allowlist)):
        source = mail_flow_source(view, env.client)
        await source.paged.load_page(0)
        rows = [r for _, r in source.paged.rows()]
        assert [r.position for r in rows] == list(range(1, len(expected) + 1))
        assert source.paged.complete and source.paged.total == len(expected)
        assert {f.name for f in source.fields} >= {"position"}


async def test_add_entry_plan_execute_verify_journal(env) -> None:
    edit = AddAllowEntry(None, {"entry": " 2001:DB8:0:0::99 "})
    await edit.load(env.client)
    assert edit.validate() == {}
    plan = edit.plan()
    before = env.org.antispam_allowlist
    assert plan.listing == [(" ", e) for e in before] + [("+", "2001:db8::99")]
    assert plan.notes[0] == "added 2001:db8::99"
    outcome = await execute(edit, env.client, env.journal, plan)
    assert outcome.ok, outcome.message
    assert env.org.antispam_allowlist == [*before, "2001:db8::99"]
    entry = env.journal.entries()[0]
    assert entry.action == "antispam.allow.add" and entry.outcome == "ok"
    assert entry.target.kind == "antispam_allowlist" and entry.target.label == "2001:db8::99"
    assert entry.after == {"added": "2001:db8::99"}


@pytest.mark.parametrize(("value", "message"), [
    ("", "required"), ("300.1.1.1", "not an IP"), ("192.0.2.1/24", "host bits"),
    ("same", "already in the list"), ("covered", "already covered by"),
])
async def test_add_entry_refused_before_sending(env, value, message) -> None:
    env.org.antispam_allowlist = ["192.0.2.7", "198.51.100.0/24"]
    value = {"same": "192.0.2.7/32", "covered": "198.51.100.9"}.get(value, value)
    edit = AddAllowEntry(None, {"entry": value})
    await edit.load(env.client)
    assert message in edit.validate()["entry"]
    assert env.writes() == []


async def test_remove_entry(env) -> None:
    target = env.org.antispam_allowlist[1]
    edit = RemoveAllowEntry(None, {"entry": target})
    await edit.load(env.client)
    plan = edit.plan()
    assert ("-", target) in plan.listing and len(plan.listing) == len(edit.items)
    outcome = await execute(edit, env.client, env.journal, plan)
    assert outcome.ok and target not in env.org.antispam_allowlist
    gone = RemoveAllowEntry(None, {"entry": target})
    await gone.load(env.client)
    assert "not in the list" in gone.validate()["entry"]


async def test_stale_list_is_refused_and_nothing_sent(env) -> None:
    edit = AddAllowEntry(None, {"entry": "192.0.2.250"})
    await edit.load(env.client)
    plan = edit.plan()
    env.org.antispam_allowlist = [*env.org.antispam_allowlist, "203.0.113.99"]  # someone else
    changed = list(env.org.antispam_allowlist)
    outcome = await execute(edit, env.client, env.journal, plan)
    assert outcome.status == "failed" and not outcome.sent
    assert "changed on the server since it was read" in outcome.message
    assert "added there: 203.0.113.99" in outcome.message
    assert env.writes() == []  # the request log: no POST, nothing at all but reads
    assert env.org.antispam_allowlist == changed
    entry = env.journal.entries()[0]
    assert entry.outcome == "failed" and "nothing sent" in entry.note


async def test_stale_revision_refuses_policy_edit(env) -> None:
    edit = RemovePolicyRule(None, {"position": 1})
    await edit.load(env.client)
    plan = edit.plan()
    assert plan.listing[0][0] == "-" and "revision" in plan.notes[-1]
    env.org.sender_policies["revision"] += 1  # an edit elsewhere, same rules
    outcome = await execute(edit, env.client, env.journal, plan)
    assert not outcome.ok and "revision" in outcome.message and env.writes() == []
    fresh = RemovePolicyRule(None, {"position": 1})
    await fresh.load(env.client)
    revision = env.org.sender_policies["revision"]
    outcome = await execute(fresh, env.client, env.journal)
    assert outcome.ok, outcome.message
    assert env.org.sender_policies["revision"] == revision + 1
    put = env.writes()[-1]
    assert put["method"] == "PUT" and put["path"].endswith("/mail/routing/policies")


async def test_routing_remove_and_move(env) -> None:
    rules = list(env.org.mail_routing_rules)
    move = MoveRoutingRule(None, {"position": 2, "delta": -1})
    await move.load(env.client)
    plan = move.plan()
    second = rule_words(RoutingRule.model_validate(rules[1]))
    assert plan.listing[:3] == [("+", second), (" ", plan.listing[1][1]), ("-", second)]
    assert plan.notes[0] == f"rule 2 moves up to 1: {second}"
    assert (await execute(move, env.client, env.journal, plan)).ok
    assert env.org.mail_routing_rules == [rules[1], rules[0], *rules[2:]]
    first = MoveRoutingRule(None, {"position": 1, "delta": -1})
    await first.load(env.client)
    assert "already the first" in first.validate()["position"]
    remove = RemoveRoutingRule(None, {"position": 3})
    await remove.load(env.client)
    plan = remove.plan()
    assert plan.listing[2] == ("-", rule_words(RoutingRule.model_validate(rules[2])))
    assert (await execute(remove, env.client, env.journal, plan)).ok
    assert env.org.mail_routing_rules == [rules[1], rules[0], *rules[3:]]
    assert [e.action for e in env.journal.entries()] == ["mail_routing.remove",
                                                         "mail_routing.move"]


async def test_routing_stale_contents(env) -> None:
    remove = RemoveRoutingRule(None, {"position": 1})
    await remove.load(env.client)
    plan = remove.plan()
    env.org.mail_routing_rules = env.org.mail_routing_rules[1:]  # removed elsewhere
    outcome = await execute(remove, env.client, env.journal, plan)
    assert not outcome.ok and "removed there" in outcome.message and env.writes() == []
