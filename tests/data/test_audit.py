"""audit.py: time windows with a fixed clock, server-side filters on the wire, and the follower
(tail -f) deduplicating against new events written into the emulator between polls."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import httpx
import pytest

from y360tui.api import Y360Client
from y360tui.data.audit import (
    EventsQuery,
    LogSource,
    MailQuery,
    TimeWindow,
    parse_when,
)
from y360tui.emulator import events as emulator_events
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def org():
    """A fresh org per test: these tests write events into it."""
    return generate_org(users=200, seed=3, now=NOW)


@pytest.fixture
def asgi(org):
    return create_app(org)


@pytest.fixture
async def client(org, asgi):
    async with Y360Client(org.admin_token, org.id, transport=httpx.ASGITransport(asgi)) as c:
        yield c


def last_query(asgi, fragment: str) -> dict[str, list[str]]:
    entry = next(r for r in reversed(asgi.state.request_log) if fragment in r["path"])
    return parse_qs(entry["query"])


# ------------------------------------------------------------------------ windows


def test_presets_and_custom_windows():
    assert TimeWindow("1h").bounds(NOW) == (NOW - timedelta(hours=1), NOW)
    assert TimeWindow("30d").bounds(NOW)[0] == NOW - timedelta(days=30)
    start = datetime(2025, 5, 1, tzinfo=timezone.utc)
    custom = TimeWindow.custom(start)
    assert custom.bounds(NOW) == (start, NOW)
    assert custom.label == "2025-05-01 00:00 → now"
    with pytest.raises(ValueError):
        TimeWindow("2h")
    with pytest.raises(ValueError):
        TimeWindow.custom(NOW, NOW - timedelta(seconds=1))


def test_parse_when():
    assert parse_when("2025-05-01", NOW) == datetime(2025, 5, 1, tzinfo=timezone.utc)
    assert parse_when("2025-05-01 10:30", NOW) == datetime(2025, 5, 1, 10, 30,
                                                           tzinfo=timezone.utc)
    assert parse_when("3d", NOW) == NOW - timedelta(days=3)
    assert parse_when("now", NOW) == NOW
    with pytest.raises(ValueError, match="cannot read"):
        parse_when("yesterday", NOW)


def test_query_copies_normalise_filters():
    query = MailQuery().with_(uids=[" 11 ", "11", ""], types=["message_seen"])
    assert query.uids == ("11",) and query.describe() == "24 h · user 11 · type message_seen"
    events = EventsQuery().with_(service=" Web ", ip="1.2.3.4")
    assert events.filters()["service"] == "Web"


# ---------------------------------------------------------------- filters on the wire


async def test_mail_query_reaches_the_server(org, asgi, client):
    uid = org.mail_events[0]["userUid"]
    query = MailQuery(TimeWindow("7d")).with_(uids=[uid], types=["message_receive"])
    source = LogSource(client, query, clock=FakeClock(), page_size=20)
    chunk = await source.next(None)
    sent = last_query(asgi, "/audit_log/mail")
    assert sent["afterDate"] == ["2025-05-25T12:00:00Z"]
    assert sent["beforeDate"] == ["2025-06-01T12:00:00Z"]
    assert sent["includeUids"] == [uid] and sent["types"] == ["message_receive"]
    assert chunk.rows and all(e.user_uid == uid and e.event_type.value == "message_receive"
                              for e in chunk.rows)


async def test_events_query_reaches_the_server(org, asgi, client):
    first = org.audit_events[0]["event"]
    query = EventsQuery(TimeWindow("1h")).with_(uids=[str(first["uid"])], service=first["service"],
                                                ip=first["ip"], types=[first["type"]])
    source = LogSource(client, query, clock=FakeClock(), page_size=50)
    chunk = await source.next(None)
    sent = last_query(asgi, "/auditlog/")
    assert sent["started_at"] == ["2025-06-01T11:00:00Z"]
    assert sent["ended_at"] == ["2025-06-01T12:00:00Z"]
    assert sent["include_uids"] == [str(first["uid"])] and sent["ip"] == [first["ip"]]
    assert sent["service"] == [first["service"]] and sent["types"] == [first["type"]]
    assert chunk.rows[0].event.idempotency_id == first["idempotency_id"]


async def test_window_is_fixed_while_paging(org, asgi, client):
    clock = FakeClock()
    source = LogSource(client, MailQuery(TimeWindow("30d")), clock=clock, page_size=10)
    first = await source.next(None)
    clock.now += timedelta(minutes=5)
    await source.next(first.cursor)
    assert last_query(asgi, "/audit_log/mail")["beforeDate"] == ["2025-06-01T12:00:00Z"]
    source.reset()
    await source.next(None)
    assert last_query(asgi, "/audit_log/mail")["beforeDate"] == ["2025-06-01T12:05:00Z"]


# ------------------------------------------------------------------------ follow


def new_mail_event(org, template: dict, when: datetime, uniq: str) -> dict:
    event = {**template, "uniqId": uniq, "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "subject": f"new {uniq}"}
    with org.lock:
        org.mail_events.insert(0, event)
    return event


async def test_mail_follower_reports_each_new_event_once(org, client):
    clock = FakeClock()
    source = LogSource(client, MailQuery(TimeWindow("24h")), clock=clock, page_size=50)
    first = await source.next(None)
    follower = source.follower()
    follower.prime(first.rows)
    assert await follower.poll() == []  # the overlap re-reads seen events: all dropped

    template = org.mail_events[0]
    new_mail_event(org, template, NOW + timedelta(seconds=20), "new-1")
    clock.now = NOW + timedelta(minutes=1)
    got = await follower.poll()
    assert [e.uniq_id for e in got] == ["new-1"]

    # Two more, one with the same second as the previous newest: both reported, once.
    new_mail_event(org, template, NOW + timedelta(seconds=20), "new-2")
    new_mail_event(org, template, NOW + timedelta(seconds=90), "new-3")
    clock.now = NOW + timedelta(minutes=2)
    got = await follower.poll()
    assert [e.uniq_id for e in got] == ["new-3", "new-2"]
    assert await follower.poll() == []


async def test_mail_follower_keeps_the_query_filters(org, client):
    clock = FakeClock()
    template = org.mail_events[0]
    other = next(e for e in org.mail_events if e["userUid"] != template["userUid"])
    query = MailQuery(TimeWindow("1h")).with_(uids=[template["userUid"]])
    source = LogSource(client, query, clock=clock)
    follower = source.follower()
    follower.prime([], since=NOW)
    new_mail_event(org, other, NOW + timedelta(seconds=5), "someone-else")
    new_mail_event(org, template, NOW + timedelta(seconds=6), "mine")
    clock.now = NOW + timedelta(seconds=30)
    assert [e.uniq_id for e in await follower.poll()] == ["mine"]


async def test_events_follower_with_events_written_by_the_emulator(org, client):
    clock = FakeClock()
    source = LogSource(client, EventsQuery(TimeWindow("1h")), clock=clock)
    first = await source.next(None)
    follower = source.follower()
    follower.prime(first.rows)
    written = emulator_events.record(org, "ya360_b2bplatform_user_blocked", uid=org.admin_uid,
                                     occurred_at="2025-06-01T12:00:30+00:00")
    clock.now = NOW + timedelta(minutes=1)
    got = await follower.poll()
    assert [e.event.idempotency_id for e in got] == [written["event"]["idempotency_id"]]
    assert await follower.poll() == []


# ------------------------------------------------------------------ prepend (follow)


async def test_prepend_puts_new_rows_on_top_of_a_sequential_list():
    from y360tui.data.paged import Chunk, PagedList

    async def fetch(cursor):
        start = cursor or 0
        rows = [f"old-{i}" for i in range(start, start + 3)]
        return Chunk(rows, more=start == 0, cursor=start + 3)

    data = PagedList.sequential(fetch, 3)
    data.prepend(["too-early"])  # nothing loaded yet: ignored, the first page brings it
    await data.load_next()
    data.prepend(["new-b", "new-a"])
    assert [data.row(i) for i in range(5)] == ["new-b", "new-a", "old-0", "old-1", "old-2"]
    await data.load_next()  # the next page still lands after the rows already there
    assert data.row(5) == "old-3" and data.loaded_count == 8 and data.complete
    data.set_query("new")
    data.prepend(["new-c", "other"])
    assert [data.row(i) for i in data.index] == ["new-c", "new-b", "new-a"]
    data.set_query("")
    data.set_sort(lambda r: r)
    data.prepend(["aaa"])
    assert data.row(data.index[0]) == "aaa"
