"""Mailbox data: the inventory's rows, the user-detail provider, and the access edits'
validation, plan, task outcomes (failed, uncertain after a timeout) and journal lines."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from y360tui.api.client import RetryPolicy, Y360Client
from y360tui.data.edits.base import execute
from y360tui.data.edits.mailboxes import GrantMailboxAccess, MailboxAccess, RevokeMailboxAccess
from y360tui.data.journal import Journal
from y360tui.data.mailbox_links import CAN_OPEN, OPENED_BY, user_mailbox_targets
from y360tui.data.mailboxes import MailboxInventory, rights_words
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.transport import EmulatorTransport

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    monkeypatch.setattr(MailboxAccess, "POLL", 0.001)


@pytest.fixture
def world(tmp_path):
    org = generate_org(200, seed=5, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    journal = Journal(tmp_path / "j.jsonl", profile="demo", org=str(org.id))
    return org, client, journal, asgi.state.request_log


def current(org, rid, actor):
    return {"id": rid, "email": org.mailboxes["shared"][rid]["email"], "type": "shared",
            "actorId": actor}


async def test_inventory_rows_name_both_kinds(world):
    org, client, _j, _log = world
    rows = await MailboxInventory(client).load()
    state = org.mailboxes
    assert [r.id for r in rows] == [*state["shared"], *state["delegated"]]
    shared = rows[0]
    assert shared.email == next(iter(state["shared"].values()))["email"] and shared.name
    delegated = rows[-1]
    assert delegated.type == "delegated"
    assert delegated.email == org.users[delegated.id]["email"]
    assert delegated.count == len(state["actors"][delegated.id])


async def test_provider_lines(world):
    org, client, _j, _log = world
    from y360tui.api.models import User

    owner = org.mailboxes["delegated"][0]
    actor = next(iter(org.mailboxes["actors"][owner]))
    user = User.model_validate(org.users[actor])
    lines = await user_mailbox_targets(client, user)
    mine = [t for t in lines if t.section == CAN_OPEN]
    assert org.users[owner]["email"] in [t.label for t in mine]
    assert all(t.kind == "mailbox" for t in mine)
    owner_user = User.model_validate(org.users[owner])
    opened = [t for t in await user_mailbox_targets(client, owner_user)
              if t.section == OPENED_BY]
    assert {t.key for t in opened} == set(org.mailboxes["actors"][owner])
    nobody = User.model_validate(org.users[org.admin_uid])
    org.mailboxes["actors"] = {k: {a: r for a, r in v.items() if a != org.admin_uid}
                               for k, v in org.mailboxes["actors"].items()}
    lines = await user_mailbox_targets(client, nobody)
    assert [t.label for t in lines if t.section.startswith("Mailboxes")][-1] in (
        "no shared or delegated mailbox access", "nobody yet")


async def test_grant_validation_plan_and_journal(world):
    org, client, journal, _log = world
    rid = next(iter(org.mailboxes["shared"]))
    newcomer = next(u for u in org.users if u not in org.mailboxes["actors"][rid]
                    and not org.users[u]["isDismissed"] and u != org.admin_uid)
    edit = GrantMailboxAccess(current(org, rid, newcomer), {"rights": "imap"})
    await edit.load(client)
    assert edit.validate() == {}
    plan = edit.plan()
    assert [(c.before, c.after) for c in plan.changes] == [("no access", "read (IMAP)")]
    seen: list[str] = []
    edit.progress = seen.append
    outcome = await execute(edit, client, journal, plan)
    assert outcome.ok, outcome.message
    assert org.mailboxes["actors"][rid][newcomer] == ["shared_mailbox_imap_admin"]
    assert any("running" in s for s in seen) and any("complete" in s for s in seen)
    [entry] = journal.entries()
    assert (entry.action, entry.outcome, entry.target.id) == ("mailbox.grant", "ok", rid)
    # the same rights again: nothing to do
    again = GrantMailboxAccess(current(org, rid, newcomer), {"rights": "imap"})
    await again.load(client)
    assert again.plan().noop


async def test_refusals_send_nothing(world):
    org, client, _j, log = world
    rid = next(iter(org.mailboxes["shared"]))
    dismissed = next(u for u, rec in org.users.items() if rec["isDismissed"])
    edit = GrantMailboxAccess(current(org, rid, dismissed), {"rights": "full"})
    await edit.load(client)
    assert "not an employee" in edit.validate()["actor"]
    unknown = GrantMailboxAccess(current(org, rid, "1130000000000001"), {"rights": "full"})
    await unknown.load(client)
    assert "actor" in unknown.validate()
    bad = GrantMailboxAccess(current(org, rid, org.admin_uid), {"rights": "everything"})
    await bad.load(client)
    assert "rights" in bad.validate()
    stranger = next(u for u in org.users if u not in org.mailboxes["actors"][rid])
    revoke = RevokeMailboxAccess(current(org, rid, stranger))
    await revoke.load(client)
    assert "has no access" in revoke.validate()["actor"]
    owner = org.mailboxes["delegated"][0]
    own = GrantMailboxAccess({"id": owner, "email": "x", "type": "delegated",
                              "actorId": owner}, {"rights": "full"})
    await own.load(client)
    assert "owns this mailbox" in own.validate()["actor"]
    assert not log.writes()


async def test_failed_task_is_failed_and_a_stuck_task_is_settled(world, monkeypatch):
    org, client, journal, _log = world
    rid = next(iter(org.mailboxes["shared"]))
    newcomer = next(u for u in org.users if u not in org.mailboxes["actors"][rid]
                    and not org.users[u]["isDismissed"] and u != org.admin_uid)
    import y360tui.emulator.routes.mailboxes as routes

    monkeypatch.setattr(routes, "MAX_PER_ACTOR", 0)  # every new grant ends in error
    edit = GrantMailboxAccess(current(org, rid, newcomer), {"rights": "full"})
    await edit.load(client)
    outcome = await execute(edit, client, journal)
    assert outcome.status == "failed" and "already has access" in outcome.message
    assert newcomer not in org.mailboxes["actors"][rid]
    monkeypatch.setattr(routes, "MAX_PER_ACTOR", 40)
    monkeypatch.setattr(MailboxAccess, "TIMEOUT", 0.003)
    monkeypatch.setattr(routes, "TASK_SECONDS", 3600.0)
    original = routes._finish

    def never(org_, state, task):  # the task never finishes while polled
        task["polls"] = -10**6

    monkeypatch.setattr(routes, "_finish", never)
    edit = GrantMailboxAccess(current(org, rid, newcomer), {"rights": "full"})
    await edit.load(client)
    outcome = await execute(edit, client, journal)
    assert outcome.status == "failed" and "not applied" in outcome.message
    monkeypatch.setattr(routes, "_finish", original)
    assert rights_words([]) == "no access"


async def test_the_view_list_pages_read_only_their_own_cards():
    """The first page of the Mailboxes list shows after its own cards and owners are read,
    not after every mailbox's (issue 10 at 100,000 users: ~3,000 cards)."""
    from y360tui.data.mailboxes import PAGE

    org = generate_org(7000, seed=5, now=NOW)
    asgi = create_app(org)
    client = Y360Client(org.admin_token, org.id, base_url="http://emulator",
                        transport=EmulatorTransport(asgi), retry=RetryPolicy(retries=0))
    state = org.mailboxes
    every = len(state["shared"]) + len(state["delegated"])
    assert every > PAGE
    paged = MailboxInventory(client).paged()
    await paged.load_page(0)
    assert paged.total == every and paged.loaded_count == PAGE
    log = asgi.state.request_log
    lookups = [p for p in log.paths("GET")
               if "/mailboxes/shared/" in p or ("/directory/v1/org/" in p and "/users/" in p)]
    assert len(lookups) <= PAGE
    await paged.load_all(4)
    assert paged.complete and all(row.label for _, row in paged.rows())
    await client.aclose()
