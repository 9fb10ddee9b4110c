"""Pilot tests of the paged list views: first page, lazy paging, filter, sort, marks, columns,
2FA for visible rows only."""

from __future__ import annotations

from urllib.parse import parse_qs

from y360tui.ui.widgets.lazy_table import Column, LazyTable, fit, layout


def user_page_requests(app) -> list[int]:
    """Page numbers of every users-list request the emulator received."""
    log = app.emulator.state.request_log
    pages = []
    for entry in log:
        if entry["path"].endswith("/users") and entry["method"] == "GET":
            pages.append(int(parse_qs(entry["query"])["page"][0]))
    return pages


def visible_users(small_org):
    return [u for uid, u in small_org.users.items() if uid not in small_org.hidden_users]


async def test_first_page_appears_without_loading_everything(
        make_app, small_org, settle, table_lines):
    app = make_app(users_page_size=50, sync=False)  # page by page, no background load
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        users = visible_users(small_org)
        lines = table_lines(screen)
        assert lines[0].startswith("Login")
        assert lines[1].startswith(users[0]["nickname"])
        assert screen.data.total == len(users)
        # The screen shows ~25 rows: page 1 plus one page ahead, not all 6 pages.
        assert sorted(user_page_requests(app)) == [1, 2]
        assert f"100 of {len(users)} loaded" in str(screen.query_one("#status").render())


async def test_scrolling_to_the_end_loads_the_pages_shown_once_each(
        make_app, small_org, settle, table_lines):
    app = make_app(users_page_size=50, sync=False)  # page by page, no background load
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for _ in range(6):
            await pilot.press("pagedown")
            await settle(app, pilot)
        assert sorted(user_page_requests(app)) == [1, 2, 3, 4]
        await pilot.press("end")
        await settle(app, pilot)
        users = visible_users(small_org)
        lines = table_lines(app.screen)
        assert app.screen.table.cursor_item[1] == users[-1]["nickname"]
        assert lines[-1].startswith(users[-1]["nickname"][:17])
        assert "loading" not in "\n".join(lines)
        requests = user_page_requests(app)
        assert len(requests) == len(set(requests))  # no page fetched twice
        assert 6 in requests


async def test_placeholder_rows_while_a_page_is_missing(make_app, settle, table_lines):
    app = make_app(users_page_size=50, sync=False)  # page by page, no background load
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.cancel_loading()
        # Jump far without letting the workers run: the rows show as loading.
        screen.table.move_cursor(260)
        lines = table_lines(screen)
        assert any("loading…" in line for line in lines[1:])
        await settle(app, pilot)
        assert not any("loading…" in line for line in table_lines(screen)[1:])


async def test_slash_filters_as_you_type_and_escape_clears(
        make_app, small_org, settle, table_lines):
    app = make_app(users_page_size=300)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.data.complete
        target = visible_users(small_org)[123]["nickname"]
        await pilot.press("slash", *target)
        await pilot.pause()
        lines = [line for line in table_lines(screen)[1:] if line]
        assert lines and all(target in line for line in lines)
        assert "match" in str(screen.query_one("#status").render())
        await pilot.press("enter")  # keeps the filter, back to the table
        assert screen.table.has_focus and screen.data.query == target.lower()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.data.query == "" and screen.data.index is None
        assert len([line for line in table_lines(screen)[1:] if line]) > 5


async def test_sort_by_key_and_by_header_click(make_app, small_org, settle, table_lines):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        loaded = sorted((row[1] for _, row in screen.data.rows()), key=str.casefold)
        await pilot.press("down", "down", "s")
        await pilot.pause()
        assert screen.table.cursor == 0  # a new order starts at its top
        assert screen.table.sort_column == 0
        assert table_lines(screen)[0].startswith("Login ▲")
        assert table_lines(screen)[1].startswith(loaded[0])
        await pilot.press("S")
        await pilot.pause()
        assert screen.table.cursor_item[1] == loaded[-1]
        assert table_lines(screen)[0].startswith("Login ▼")
        # Click the "Status" header: sort by status; again: reversed.
        table = screen.query_one(LazyTable)
        x = table_lines(screen)[0].index("Status")
        await pilot.click(LazyTable, offset=(x + 1, 0))
        await pilot.pause()
        assert table.sort_column == 3 and not table.sort_reverse
        await pilot.click(LazyTable, offset=(x + 1, 0))
        await pilot.pause()
        assert table.sort_reverse
        statuses = [screen.data.row(i)[5] for i in screen.data.index]
        assert statuses == sorted(statuses, reverse=True)


async def test_space_marks_rows(make_app, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        await pilot.press("space", "space", "up", "space")
        assert table.marked == {0}
        assert len(table.marked_items()) == 1
        assert "1 marked" in str(app.screen.query_one("#status").render())


async def test_narrow_terminal_drops_least_important_columns(make_app, settle, table_lines):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        header = table_lines(app.screen)[0]
        assert "Login" in header and "Status" in header and "Position" not in header
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        header = table_lines(app.screen)[0]
        assert "Position" in header and "2FA" in header and "Admin" in header


async def test_first_users_request_is_a_screenful_and_department_names_follow(
        make_app, settle, table_lines):
    app = make_app(users_page_size=500)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        log = [e for e in app.emulator.state.request_log if e["method"] == "GET"]
        users = [n for n, e in enumerate(log) if e["path"].endswith("/users")]
        departments = [n for n, e in enumerate(log) if e["path"].endswith("/departments")]
        first = parse_qs(log[users[0]]["query"])
        assert first["perPage"] == ["100"] and first["page"] == ["1"]
        # Names are asked for only once the first users page is in: they never delay it.
        assert departments and min(departments) > users[0]
        rows = [app.screen.data.row(i) for i in range(app.screen.table.page_rows)]
        assert all(row[3] and row[3] != "…" for row in rows)
        assert "…" not in table_lines(app.screen)[1].split()


async def test_the_rest_of_the_first_page_fetches_no_user_twice(make_app, settle):
    # 300 users, pages of 500 after a first screenful of 100: the rest of page 0 comes as
    # pages 2 and 3 of 100 (fetched together), not as page 1 of 500 again.
    app = make_app(users_page_size=500)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        log = app.emulator.state.request_log
        asked = [parse_qs(e["query"]) for e in log if e["path"].endswith("/users")]
        assert [(q["page"], q["perPage"]) for q in asked] == [
            (["1"], ["100"]), (["2"], ["100"]), (["3"], ["100"])]
        data = app.screen.data
        assert data.loaded_count == data.total == 300 and data.complete
        ids = [data.row(i)[0] for i in range(300)]
        assert len(set(ids)) == 300


async def test_two_fa_is_fetched_only_for_rows_on_screen(make_app, settle, table_lines):
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        log = app.emulator.state.request_log
        fetched = [e for e in log if e["path"].endswith("/2fa")]
        rows_on_screen = app.screen.table.page_rows
        assert 0 < len(fetched) <= rows_on_screen
        cache = app.directory.two_fa
        rows = [app.screen.data.row(i) for i in range(rows_on_screen)]
        on_screen = [r[0] for r in rows if r[5] != "dismissed"]
        assert all(uid in cache.values for uid in on_screen)
        two_fa = [app.screen.cells(r)[5] for r in rows]
        assert "…" not in two_fa and set(two_fa) <= {"on", "off", "—"}


def test_layout_and_fit():
    cols = [Column("A", 10), Column("B", 10, priority=2), Column("C", 5, priority=1, flex=True)]
    assert layout(cols, 16) == [(0, 10), (2, 5)]
    assert layout(cols, 40) == [(0, 10), (1, 10), (2, 18)]
    # On a wide table a growing column widens (up to its grow), the flex column takes the rest;
    # on a narrow one the spare goes to the flex column.
    cols[1] = Column("B", 10, priority=2, grow=6)
    assert layout(cols, 40) == [(0, 10), (1, 16), (2, 12)]
    assert layout(cols, 28) == [(0, 10), (1, 10), (2, 6)]
    # With no flex column the growing columns widen first (nothing is held back for a flex
    # column to double) and the last column takes what is left.
    fixed = [Column("A", 10, grow=4), Column("B", 6, priority=1, grow=3), Column("C", 5)]
    assert layout(fixed, 25) == [(0, 12), (1, 6), (2, 5)]
    assert layout(fixed, 40) == [(0, 14), (1, 9), (2, 15)]
    assert fit("abcdef", 4) == "abc…" and fit("ab", 4) == "ab  " and fit("ab", 4, True) == "  ab"
    assert fit("Сергеев", 5) == "Серг…"


async def test_a_long_filter_is_cut_in_the_middle_so_the_count_and_sort_show_at_80(
        make_app, settle):
    app = make_app(users_page_size=300)
    query = "status:active -admin:yes position:/инженер|разработчик/ login:/^[a-m]/"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *query, "enter", "s")
        await settle(app, pilot)
        status = str(screen.query_one("#status").render())
        count = len(screen.data.index or [])
        assert f"{count:,} match" in status and "sorted by" in status
        assert "…" in status and query not in status
        assert len(status) <= 78
