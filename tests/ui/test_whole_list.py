"""Every list is the whole list: the app loads the directory in the background, filter and sort
then cover every row; a structured filter on a per-row value (2FA) fetches what it needs."""

from __future__ import annotations

from textual.widgets import Input

from .pilot import settle, until


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def truth_two_fa_off(org) -> set[str]:
    return {uid for uid, user in org.users.items()
            if not user["isDismissed"] and not org.two_fa[uid]["has2fa"]}


async def test_background_load_then_sort_and_filter_cover_every_row(make_app, small_org):
    app = make_app(users_page_size=20, groups_page_size=10)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        data = app.screen.data
        assert data.complete and data.loaded_count == len(small_org.users)
        assert app.directory.groups.complete
        await pilot.press("s")  # sort by login
        await settle(app, pilot)
        logins = [data.row(i)[1] for i in data.index]
        assert len(logins) == len(small_org.users)
        assert logins == sorted(logins, key=str.casefold)
        assert "sorted by Login ▲" in status(app) and "loading" not in status(app)
        await pilot.press("slash", *"status:blocked")
        await settle(app, pilot)
        blocked = {u["nickname"] for u in small_org.users.values()
                   if not u["isEnabled"] and not u["isDismissed"]}
        assert {data.row(i)[1] for i in data.index} == blocked
        assert f"{len(blocked)} match" in status(app)


async def test_partial_sort_says_so(make_app, small_org):
    app = make_app(users_page_size=20, sync=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        text = status(app)
        assert "sorted" in text and f"of {len(small_org.users)}" in text
        assert "loading…" in text


async def test_two_fa_filter_fetches_what_it_needs(make_app, small_org):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"2fa:off")
        data = app.screen.data
        await settle(app, pilot)
        await until(pilot, lambda: not data.pending, "2FA fetched", turns=3000)
        shown = {data.row(i)[0] for i in data.index}
        assert shown == truth_two_fa_off(small_org)
        asked = {e["path"].rsplit("/", 2)[-2] for e in app.emulator.state.request_log
                 if e["path"].endswith("/2fa")}
        dismissed = {uid for uid, u in small_org.users.items() if u["isDismissed"]}
        assert not asked & dismissed  # a dismissed account is never asked about


async def test_two_fa_filter_combined_asks_only_for_rows_it_needs(make_app, small_org):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        before = sum(1 for e in app.emulator.state.request_log if e["path"].endswith("/2fa"))
        app.screen.apply_filter("admin:yes 2fa:on")  # at once: no rows of half-typed filters
        await settle(app, pilot)
        data = app.screen.data
        asked = [e for e in app.emulator.state.request_log if e["path"].endswith("/2fa")]
        admins = {uid for uid, u in small_org.users.items()
                  if u["isAdmin"] and not u["isDismissed"]}
        # Only admins were asked about.
        assert len(asked) - before <= len(admins)
        assert {data.row(i)[0] for i in data.index} == {
            uid for uid in admins if small_org.two_fa[uid]["has2fa"]}


async def test_bad_filter_says_why_and_keeps_rows(make_app):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        count = app.screen.data.view_count
        await pilot.press("slash", *"colour:red")
        await settle(app, pilot)
        assert "no field “colour” here" in status(app)
        assert app.screen.data.view_count == count  # the word left out, the rest applies
        await pilot.press(*" status:blocked")
        await settle(app, pilot)
        assert "no field “colour” here" in status(app)
        assert all(app.screen.data.row(i)[5] == "blocked" for i in app.screen.data.index)
        await pilot.press("escape")
        assert app.screen.query_one("#filter", Input).value == ""
        assert "colour" not in status(app)


async def test_sort_by_two_fa_fetches_every_value_then_orders_all(make_app, small_org):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        column = [c.label for c in screen.COLUMNS].index("2FA")
        screen.table.sort_by(column)
        await settle(app, pilot)
        values = [screen.cells(screen.data.row(i))[column] for i in screen.data.index]
        assert "…" not in values and len(values) == len(small_org.users)
        assert values == sorted(values, key=str.casefold)
        assert values.count("off") == len(truth_two_fa_off(small_org))
        assert "sorted by 2FA ▲" in status(app)


async def test_save_a_filter_then_recall_it_from_the_palette(make_app, small_org, tmp_path):
    from y360tui.data.saved_filters import saved_filters

    app = make_app(users_page_size=100)
    app.config_file = tmp_path / "config.toml"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"status:blocked", "enter")
        await pilot.press("ctrl+p", *"save filter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press(*"bad name", "enter")  # refused: the prompt stays with the reason
        await settle(app, pilot)
        assert "a filter name is" in str(app.screen.query_one("#prompt-error").render())
        await pilot.press(*["backspace"] * 8, *"blocked", "enter")
        await settle(app, pilot)
        assert [(f.view, f.name, f.text) for f in saved_filters(path=app.config_file)] == [
            ("users", "blocked", "status:blocked")]
        await pilot.press("escape", "escape")  # filter cleared
        await settle(app, pilot)
        assert not app.screen.data.query
        await pilot.press("3")  # elsewhere; the saved filter brings Users back, filtered
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"filter: blocked")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        data = app.screen.data
        assert app.current_mode == "users" and data.query == "status:blocked"
        assert data.index and all(data.row(i)[5] == "blocked" for i in data.index)


async def test_tracker_users_load_to_the_end_in_the_background(make_app, small_org):
    app = make_app(start_view="tracker-users")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        data = app.screen.data
        assert data.complete and data.loaded_count == len(small_org.tracker_users)
        assert "more" not in status(app) and "loading" not in status(app)


async def test_two_fa_filter_typed_fast_still_fetches_for_the_last_filter(make_app, small_org):
    """A per-row fetch still running for a half-typed filter hands over to the final one
    (typing ``2fa:off`` in one burst used to stall on "N to check")."""
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        data = app.screen.data
        app.screen.apply_filter("2fa:on")
        await until(pilot, lambda: any(w.group == "values" and w.is_running
                                       for w in app.screen.workers), "fetch running")
        app.screen.apply_filter("2fa:off")  # while the fetch for "2fa:on" runs
        await until(pilot, lambda: not data.pending, "2FA fetched", turns=3000)
        assert {data.row(i)[0] for i in data.index} == truth_two_fa_off(small_org)
