"""Pilot tests of the audit views: presets and filters change the server query (the emulator's
request log), follow mode puts a new event on top, Tracker users page by uid."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest

from y360tui.emulator import events as emulator_events
from y360tui.emulator.generate import generate_org
from y360tui.ui.app import Y360App
from y360tui.ui.widgets.time_window import QueryBar

from .pilot import demo_app, settle

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def org():
    """A fresh org per test: follow tests write events into it."""
    return generate_org(users=200, seed=3, now=NOW)


def build_app(org) -> Y360App:
    return demo_app(org, Clock())


def last_query(app, fragment: str) -> dict[str, list[str]]:
    entry = next(r for r in reversed(app.emulator.state.request_log) if fragment in r["path"])
    return parse_qs(entry["query"])


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def bar_text(app) -> str:
    bar = app.screen.query_one(QueryBar)
    return bar.render_line(0).text


async def test_mail_presets_and_filters_reach_the_server(org):
    app = build_app(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        sent = last_query(app, "/audit_log/mail")
        assert sent["afterDate"] == [iso(NOW - timedelta(hours=24))]
        assert sent["beforeDate"] == [iso(NOW)]
        for hours in (24 * 7, 24 * 30, 1):
            await pilot.press("t")
            await settle(app, pilot)
            assert last_query(app, "/audit_log/mail")["afterDate"] == [
                iso(NOW - timedelta(hours=hours))]
        assert "[ 1 h ]" not in bar_text(app) and " 1 h " in bar_text(app)

        # Filter by a login: resolved to its uid and sent as includeUids.
        raw = next(u for u in org.users.values() if not u["isDismissed"])
        await pilot.press("u")
        await pilot.press(*raw["nickname"], "enter")
        await settle(app, pilot)
        sent = last_query(app, "/audit_log/mail")
        assert sent["includeUids"] == [raw["id"]]
        assert f"user {raw['nickname']}" in bar_text(app)
        assert all(row.user_uid == raw["id"] for _, row in app.screen.data.rows())

        await pilot.press("e")
        await pilot.press(*"message_seen", "enter")
        await settle(app, pilot)
        assert last_query(app, "/audit_log/mail")["types"] == ["message_seen"]

        # A custom window.
        await pilot.press("T")
        await pilot.press(*"2025-05-20 .. 2025-05-21", "enter")
        await settle(app, pilot)
        sent = last_query(app, "/audit_log/mail")
        assert sent["afterDate"] == ["2025-05-20T00:00:00Z"]
        assert sent["beforeDate"] == ["2025-05-21T00:00:00Z"]
        await pilot.press("x")
        await settle(app, pilot)
        sent = last_query(app, "/audit_log/mail")
        assert "includeUids" not in sent and "types" not in sent


async def test_events_filters_reach_the_server(org):
    app = build_app(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("v")
        await pilot.press(*"Nowhere", "enter")  # refused: not a service
        await pilot.pause()
        error = app.screen.query_one("#prompt-error")
        assert "service must be one of" in error.render_line(0).text
        await pilot.press("ctrl+a", "ctrl+k", *"Web", "enter")
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.press(*"10.0.0.1", "enter")
        await settle(app, pilot)
        sent = last_query(app, "/auditlog/")
        assert sent["service"] == ["Web"] and sent["ip"] == ["10.0.0.1"]
        assert sent["started_at"] == [iso(NOW - timedelta(hours=24))]


async def test_follow_puts_a_new_event_on_top_and_keeps_the_cursor(org):
    app = build_app(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        screen = app.screen
        before = screen.data.loaded_count
        await pilot.press("down", "down")
        chosen = screen.table.cursor_item
        await pilot.press("f")
        await settle(app, pilot)
        assert "● following" in bar_text(app)
        assert screen.data.loaded_count == before  # nothing new yet

        written = emulator_events.record(org, "ya360_b2bplatform_user_blocked",
                                         uid=org.admin_uid,
                                         occurred_at="2025-06-01T12:00:30+00:00")
        app.clock.now = NOW + timedelta(minutes=1)
        screen.poll_now()
        await settle(app, pilot)
        assert screen.data.loaded_count == before + 1
        top = screen.data.row(0)
        assert top.event.idempotency_id == written["event"]["idempotency_id"]
        assert screen.table.cursor_item is chosen  # still on the row the admin was reading
        assert "+1" in bar_text(app)

        screen.poll_now()  # the same event is not added twice
        await settle(app, pilot)
        assert screen.data.loaded_count == before + 1
        await pilot.press("f")
        assert "following" not in bar_text(app)


async def test_follow_on_the_mail_log_with_the_cursor_on_top(org):
    app = build_app(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "f")
        await settle(app, pilot)
        event = {**org.mail_events[0], "uniqId": "followed-1", "subject": "Just arrived",
                 "date": "2025-06-01T12:00:10Z"}
        with org.lock:
            org.mail_events.insert(0, event)
        app.clock.now = NOW + timedelta(seconds=30)
        app.screen.poll_now()
        await settle(app, pilot)
        assert app.screen.table.cursor_item.uniq_id == "followed-1"


async def test_tracker_users_page_by_uid(org):
    app = build_app(org)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("7")
        await settle(app, pilot)
        log = app.emulator.state.request_log
        # The first screenful, then every page in the background, each page once.
        pages = -(-len(org.tracker_users) // 100) + (len(org.tracker_users) % 100 == 0)
        assert [r["path"] for r in log].count("/v3/users/_relative") <= pages
        await pilot.press("end")
        await settle(app, pilot)
        screen = app.screen
        uids = [row.uid for _, row in screen.data.rows()]
        assert uids == sorted(u["uid"] for u in org.tracker_users)
        assert screen.data.complete
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert app.screen.obj.uid == uids[-1]
