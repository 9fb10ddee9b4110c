"""Pilot tests of the shell: views by key, drill-down and back, breadcrumb, help, palette,
API errors as notifications, the no-token screen."""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Static

from y360tui.cli import build_parser
from y360tui.emulator.faults import FaultConfig
from y360tui.ui import registry
from y360tui.ui.app import Y360App
from y360tui.ui.run import build_app
from y360tui.ui.screens.departments import DepartmentsScreen
from y360tui.ui.screens.groups import GroupsScreen
from y360tui.ui.screens.help import HelpScreen
from y360tui.ui.screens.no_token import NoTokenScreen
from y360tui.ui.screens.users import UsersScreen
from y360tui.ui.widgets.breadcrumb import Breadcrumb


class ProbeDetail(Screen):
    """A stand-in detail screen, so these tests do not depend on the real detail screens."""

    def __init__(self, ident: str, label: str = "") -> None:
        super().__init__()
        self.ident = ident
        self.crumb = label or ident

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="breadcrumb")
        yield Static(f"detail of {self.ident}")


@pytest.fixture
def probe_details(monkeypatch):
    registry.load_screens()  # first, or the real screens would register over the probes
    for kind in ("user", "group", "department"):
        monkeypatch.setitem(registry.DETAILS, kind, ProbeDetail)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_number_keys_switch_views_and_keep_their_state(make_app, settle, table_lines):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("down", "down", "down")
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, GroupsScreen)
        assert table_lines(app.screen)[0].startswith("Name")
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, DepartmentsScreen)
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen) and app.screen.table.cursor == 3


async def test_drill_down_and_back_restores_cursor_filter_and_breadcrumb(
        make_app, probe_details, settle):
    app = make_app(users_page_size=300)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        users = app.screen
        await pilot.press("slash", "a", "enter", "down", "down")
        await pilot.pause()
        cursor, row = users.table.cursor, users.table.cursor_item
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, ProbeDetail) and detail.ident == row[0]
        crumb = str(detail.query_one(Breadcrumb).render())
        assert crumb == f"Users › {row[1]}"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is users
        assert users.table.cursor == cursor and users.table.cursor_item == row
        assert users.data.query == "a"
        assert str(users.query_one(Breadcrumb).render()) == "Users"


async def test_groups_breadcrumb_path_and_backspace(make_app, probe_details, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        group = app.screen.table.cursor_item
        await pilot.press("enter")
        await pilot.pause()
        app.open_detail("user", "1", "ivan.petrov")
        await pilot.pause()
        assert str(app.screen.query_one(Breadcrumb).render()) == \
            f"Groups › {group[1]} › ivan.petrov"
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen.ident == group[0]
        # The number key of the current view goes back to its top.
        app.open_detail("user", "1", "ivan.petrov")
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, GroupsScreen)


def help_shown(app) -> str:
    return str(app.screen.query_one("#help-text").render())


async def test_help_lists_meaningful_bindings_grouped(make_app, settle):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_shown(app)
        view, everywhere, views = (text.index(h) for h in
                                   ("This view: Users", "Everywhere", "Views"))
        assert view < everywhere < views
        for expected in ("Filter", "Sort", "Reverse sort", "Open", "Mark", "Edit fields"):
            assert expected in text[view:everywhere]
        for expected in ("Quit", "Help", "Back", "Ctrl+P"):
            assert expected in text[everywhere:views]
        for spec in registry.views():
            assert f"{spec.key}" in text[views:] and spec.title in text[views:]
        # Textual's generic keys that do nothing useful here are not listed.
        for generic in ("Scroll Left", "Page Left", "Focus Next", "Copy selected text"):
            assert generic not in text
        await pilot.press("escape")
        assert isinstance(app.screen, UsersScreen)


async def test_help_follows_the_view_and_read_only(make_app, settle):
    app = make_app(read_only=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_shown(app)
        assert "This view: Departments" in text
        for expected in ("Expand", "Collapse", "Filter", "Open", "→", "←"):
            assert expected in text
        assert "New department" not in text  # edits are hidden in read-only mode


async def test_palette_finds_a_loaded_user_and_opens_it(make_app, probe_details, small_org, settle):
    app = make_app(users_page_size=300)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = app.directory.users.row(42)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*row[1])
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProbeDetail) and app.screen.ident == row[0]


async def test_palette_jumps_to_a_view(make_app, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"view: groups")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GroupsScreen)


async def test_api_error_is_a_notification_and_retry_recovers(make_app, settle, table_lines):
    faults = FaultConfig(rates={"500": 1.0}, routes=("/groups",), max_streak=10_000)
    app = make_app(faults=faults)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        assert any("Could not" in n or "500" in n for n in notifications(app))
        assert "failed" in str(app.screen.query_one("#status").render())
        assert "press r to retry" in "\n".join(table_lines(app.screen))
        # The app keeps working: other views load.
        await pilot.press("1")
        await settle(app, pilot)
        assert app.screen.data.loaded_count > 0
        await pilot.press("3")
        faults.rates.clear()
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen.data.loaded_count == app.screen.data.total > 0


async def test_missing_scope_is_named_in_the_notification(make_app, small_org, settle):
    small_org.tokens["users-only"] = {"uid": small_org.admin_uid,
                                      "scopes": {"directory:read_users"}}
    try:
        app = make_app(token="users-only")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("3")
            await settle(app, pilot)
            assert any("directory:read_groups" in n for n in notifications(app))
    finally:
        del small_org.tokens["users-only"]


async def test_rejected_token_shows_what_to_set(make_app, settle):
    app = make_app(token="not-a-token")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoTokenScreen)
        text = str(app.screen.query_one("#no-token-text").render())
        assert "Y360_TOKEN" in text and "401" in text


async def test_no_credentials_shows_what_to_set():
    app = Y360App(None, problem="no token: set Y360_TOKEN and Y360_ORG_ID")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoTokenScreen)
        await pilot.press("1")  # no views without a client: nothing happens
        assert isinstance(app.screen, NoTokenScreen)
        await pilot.press("q")
    assert app.return_code == 0


# ---------------------------------------------------------------- departments tree


def visible_departments(screen) -> list[int]:
    """Ids of the department nodes on screen (every ancestor expanded), in display order."""
    tree = screen.query_one("#tree")
    shown: list[int] = []

    def walk(node):
        for child in node.children:
            if child.data and child.data[0] == "department":
                shown.append(child.data[1].id)
                if child.is_expanded:
                    walk(child)

    walk(tree.root)
    return shown


def cursor_department(screen) -> int | None:
    node = screen.query_one("#tree").cursor_node
    return node.data[1].id if node and node.data and node.data[0] == "department" else None


async def test_departments_enter_opens_and_click_moves(make_app, probe_details, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert visible_departments(screen)[:2] == [1, 3]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ProbeDetail) and app.screen.ident == "3"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and cursor_department(screen) == 3
        # A single click on a label only moves the cursor; a double click opens.
        await pilot.click("#tree", offset=(12, 2))
        await pilot.pause()
        assert app.screen is screen and cursor_department(screen) == 2
        await pilot.double_click("#tree", offset=(12, 2))
        await pilot.pause()
        assert isinstance(app.screen, ProbeDetail) and app.screen.ident == "2"


async def test_departments_filter_expands_matching_branches(
        make_app, probe_details, small_org, settle):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        everything = visible_departments(screen)
        await pilot.press("slash", *"ОТЧЁТ")  # upper case: the filter ignores case
        await pilot.pause()
        matches = {d["id"] for d in small_org.departments.values()
                   if "отчёт" in d["name"].casefold()}
        assert matches == {7, 8}
        # The matches with every department on their path, nothing else (8's child
        # stays collapsed under it); the cursor is on the first match on screen.
        assert visible_departments(screen) == [1, 3, 6, 8, 2, 5, 7]
        assert cursor_department(screen) == 8
        assert "2 match" in str(screen.query_one("#status").render())
        await pilot.press("enter", "enter")  # keep the filter, then open the match
        await pilot.pause()
        assert isinstance(app.screen, ProbeDetail) and app.screen.ident == "8"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.query_text == "ОТЧЁТ"
        await pilot.press("escape")  # clears the filter; the cursor stays on its department
        await pilot.pause()
        assert screen.query_text == "" and cursor_department(screen) == 8
        assert set(everything) <= set(visible_departments(screen))
        await pilot.press("slash", *"nothing-like-this")
        await pilot.pause()
        assert visible_departments(screen) == []
        assert "0 match" in str(screen.query_one("#status").render())


# ---------------------------------------------------------------- credentials


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    """No token in the environment; the config dir is an empty temporary one."""
    monkeypatch.delenv("Y360_TOKEN", raising=False)
    monkeypatch.delenv("Y360_ORG_ID", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path / "y360tui" / "config.toml"


def app_for(*argv: str) -> Y360App:
    return build_app(build_parser().parse_args(list(argv)))


async def test_no_token_in_environment_says_what_to_set(no_env):
    app = app_for()
    assert app.client is None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoTokenScreen)
        text = str(app.screen.query_one("#no-token-text").render())
        assert "Y360_TOKEN" in text and "Y360_ORG_ID" in text and str(no_env) in text
        assert "--demo" in text and "--profile" in text
        # The fixed text fits 80 columns (only the problem and the path may wrap).
        fixed = [line for line in text.splitlines()
                 if "Problem" not in line and str(no_env) not in line]
        assert max(map(len, fixed)) <= 72
        await pilot.press("question_mark", "escape", "1")
        assert isinstance(app.screen, NoTokenScreen)
        footer_keys = {key.action for key in app.screen.query("FooterKey")}
        assert "app.quit" in footer_keys and "help" not in footer_keys


async def test_missing_profile_is_named(no_env):
    app = app_for("--profile", "acme")
    assert "profile 'acme' not found" in app.problem and "no config file" in app.problem
    no_env.parent.mkdir(parents=True)
    no_env.write_text('[profile.prod]\ntoken = "t"\norg_id = 5\n', encoding="utf-8")
    app = app_for("--profile", "acme")
    assert "(profiles there: prod)" in app.problem
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "profile 'acme' not found" in str(app.screen.query_one("#no-token-text").render())


async def test_profile_and_base_url_reach_the_client(no_env):
    no_env.parent.mkdir(parents=True)
    no_env.write_text('default_profile = "prod"\n[profile.prod]\ntoken = "t"\norg_id = 5\n'
                      'base_url = "http://127.0.0.1:9"\n', encoding="utf-8")
    app = app_for()
    assert app.client.org_id == 5 and app.client.urls["api360"] == "http://127.0.0.1:9"
    assert app.profile == "prod"
    app = app_for("--profile", "prod", "--base-url", "http://127.0.0.1:8")
    assert app.client.urls["api360"] == "http://127.0.0.1:8"


async def test_rejected_token_blocks_the_views(make_app, settle):
    app = make_app(token="not-a-token", profile="environment")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoTokenScreen)
        text = str(app.screen.query_one("#no-token-text").render())
        assert "environment (Y360_TOKEN)" in text and "rejected" in text
        await pilot.press("escape", "backspace", "3", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, NoTokenScreen)


@pytest.mark.parametrize("field", ["email", "fuzzy-name", "department"])
async def test_palette_finds_by_email_name_and_department(
        make_app, probe_details, small_org, settle, field):
    app = make_app(users_page_size=300)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")  # the departments load with the tree
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        row = app.directory.users.row(42)
        query, kind, ident = {
            "email": (row[7], "user", row[0]),
            # Every other letter of the login: only a fuzzy match finds it.
            "fuzzy-name": (row[1][::2], "user", row[0]),
            "department": ("развития", "department", "9"),
        }[field]
        await pilot.press("ctrl+p", *query)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProbeDetail)
        assert (app.screen.ident, kind) == (ident, kind)


# ---------------------------------------------------------------- registry


def test_every_view_and_detail_in_the_tables_loads():
    keys = [spec.key for spec in registry.VIEW_TABLE]
    digits = [k for k in keys if k.isdigit()]
    assert len(set(keys)) == len(keys) and digits == sorted(digits)
    # Past the number keys, one letter each (0 opens the Go-to menu, then the letter).
    assert all(len(k) == 1 and (k.isdigit() or k.islower()) for k in keys)
    assert "0" not in keys
    for spec in registry.views():
        assert issubclass(spec.screen, Screen), spec.name
    for kind in registry.DETAIL_TABLE:
        factory = registry.detail_factory(kind)
        assert isinstance(factory, type) and issubclass(factory, Screen), kind
    assert registry.detail_factory("no-such-kind") is None


def test_view_decorator_refuses_a_class_that_differs_from_the_table():
    with pytest.raises(ValueError, match=r"not in registry\.VIEW_TABLE"):
        registry.register_view(key="9", name="nowhere", title="Nowhere")(ProbeDetail)
    spec = registry.VIEWS["journal"]
    with pytest.raises(ValueError, match="differs"):
        registry.register_view(key="9", name="journal", title=spec.title,
                               description=spec.description)(ProbeDetail)


def test_start_up_imports_no_screen_until_it_is_shown():
    """The app is built without importing view or detail modules (nor the edit forms)."""
    code = ("import sys; from y360tui.ui.app import Y360App; Y360App(None); "
            "print(sorted(m for m in sys.modules if m.startswith(('y360tui.ui.screens.', "
            "'y360tui.ui.forms'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_users_screen_module_imports_no_edit_flow_picker_or_edit_classes():
    """The first view's module leaves the edit flow, its forms, the pickers and the edits to
    the first edit key (they are not needed to show the first users)."""
    code = ("import sys; import y360tui.ui.screens.users; "
            "print(sorted(m for m in sys.modules if m.startswith(("
            "'y360tui.ui.forms.flow', 'y360tui.ui.forms.picker', 'y360tui.ui.forms.form', "
            "'y360tui.data.edits', 'y360tui.data.bulk'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


async def test_first_users_page_is_asked_at_load_and_a_failure_is_fetched_again(
        make_app, settle):
    # Every users list request fails once: the early request (asked for before the screen
    # is composed) fails, and the Users screen fetches the page again instead of staying empty.
    faults = FaultConfig(rates={"500": 1.0}, routes=("/users",), max_streak=1)
    app = make_app(faults=faults)
    loads = []
    original = app.directory.users.load_page

    def load_page(page):
        loads.append((page, len(app.screen_stack)))
        return original(page)

    app.directory.users.load_page = load_page
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, UsersScreen)
        assert app.screen.data.row(0) is not None
        assert loads[0] == (0, 0)  # asked for before any screen existed
        assert not any("Could not" in n for n in notifications(app))


async def test_first_users_request_reaches_the_server_before_the_app_mounts(
        make_app, settle, monkeypatch):
    # On a slow link the round trip then overlaps Textual reading its CSS and composing.
    app = make_app()
    log = app.emulator.state.request_log
    at_mount: list[int] = []
    mount = Y360App.on_mount

    def on_mount(self):
        at_mount.append(sum(e["path"].endswith("/users") for e in log))
        mount(self)

    monkeypatch.setattr(Y360App, "on_mount", on_mount)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
    assert at_mount == [1]


@pytest.mark.parametrize("view", [spec.name for spec in registry.views()])
async def test_footer_shows_help_and_quit_at_80_columns(make_app, settle, view):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.switch_view(view)
        await settle(app, pilot)
        shown = {key.action: key.region for key in app.screen.query("FooterKey")}
        # The palette key is docked at the right: keys that reach under it are hidden.
        palette = shown.pop("command_palette")
        for action in ("help", "quit"):
            region = shown.get(action)
            assert region is not None and region.width and region.right <= palette.x, \
                (action, sorted((r.x, a) for a, r in shown.items()))


def test_start_up_skips_the_httpx_command_line_tool():
    code = ("import sys, y360tui.ui.run, httpx; "
            "print(sorted(m for m in ('click', 'pygments', 'httpx._main') if sys.modules.get(m)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- start-up


@pytest.mark.parametrize("client", ["demo", None])
async def test_collector_paused_for_start_up_is_back_on_after_the_first_frame(
        make_app, client):
    import gc

    from y360tui.ui import startup

    startup.pause_gc()
    try:
        app = make_app() if client else Y360App(None, problem="no token")
        assert not gc.isenabled()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


async def test_an_app_built_without_the_command_line_leaves_the_collector_alone(make_app):
    import gc

    gc.disable()
    try:
        async with make_app().run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert not gc.isenabled()
    finally:
        gc.enable()


async def test_lookups_wait_for_the_frame_that_shows_the_first_users(make_app, settle,
                                                                       monkeypatch):
    # Department names and the org name are asked for only once the first users are drawn,
    # so their requests and decoding never delay that frame; then they still arrive.
    from y360tui.data.directory import PENDING_NAME, U_DEPT
    from y360tui.ui.widgets.lazy_table import LazyTable

    painted: list[bool] = []
    render_lines = LazyTable.render_lines

    def watched(table, crop):
        lines = render_lines(table, crop)
        if table.data.loaded_count and not painted:
            painted.append(True)
        return lines

    monkeypatch.setattr(LazyTable, "render_lines", watched)
    app = make_app(users_page_size=500, org_name="")
    asked: dict[str, bool] = {}
    call = app.client.call

    async def recording(host, method, path, model, **kwargs):
        asked.setdefault(path.split("/")[-1], bool(painted))
        return await call(host, method, path, model, **kwargs)

    app.client.call = recording
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert asked["users"] is False  # the first users request goes before any frame
        assert asked["departments"] is True
        assert asked[str(app.client.org_id)] is True  # the organization (its name)
        assert app.org_name and app.org_name in app.title
        screen = app.screen
        # The rest of the first page (300 users in this org) followed, named.
        assert screen.data.loaded_count == screen.data.total == 300
        assert PENDING_NAME not in {row[U_DEPT] for _, row in screen.data.rows()}


async def test_zero_opens_the_go_to_menu_whose_keys_open_views(make_app, settle):
    from y360tui.ui.screens.goto import GotoScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("0")
        assert isinstance(app.screen, GotoScreen)
        shown = [str(app.screen.query_one("#goto-list").get_option_at_index(i).prompt)
                 for i in range(len(registry.views()))]
        assert any("Groups" in line for line in shown)
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, GroupsScreen)
        await pilot.press("0", "escape")  # Esc closes it where it was
        assert isinstance(app.screen, GroupsScreen)
        await pilot.press("0", "down", "enter")  # Enter opens the highlighted view
        await settle(app, pilot)
        assert isinstance(app.screen, DepartmentsScreen)
