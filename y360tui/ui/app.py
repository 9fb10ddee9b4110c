"""``Y360App``: the explorer shell — views, navigation stack, palette, help, themes.

Navigation uses Textual *modes*, one per top-level view (registry.py): each mode keeps its own
screen stack. Why modes and screens rather than a content switcher plus a hand-kept stack:

- a drill-down is ``push_screen`` and going back is ``pop_screen``; the screen left behind is
  kept alive with its widgets, so the cursor, the filter text and the loaded rows are restored
  exactly, with no state to save or rebuild;
- switching views (1-7) keeps each view's own path (Groups › Sales › ivan.petrov stays there
  while you look at Users) and its loaded pages, so coming back costs nothing;
- the breadcrumb is simply the current mode's screen stack.

Screens that are left stop their loading (``ListScreen`` cancels its worker group on suspend);
popped screens are removed and their workers die with them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette

from ..data.directory import DirectoryCache
from . import registry, startup
from .commands import DirectoryCommands, FilterCommands, ViewCommands
from .dataout import DataOutCommands
from .registry import OpenDetail

if TYPE_CHECKING:
    from ..api.client import Y360Client

STYLES = Path(__file__).parent / "styles"
EARLY_TURNS = 50  # event-loop turns on_load gives the first request (connect, then send)


class Y360App(App[int]):
    """The explorer. ``client`` None (or a rejected token) shows the no-token screen.

    ``sync`` loads every user, group and department in the background after the first frame
    (tests that count requests turn it off).

    ``directory`` replaces the session's list cache (tests use small page sizes);
    ``read_only`` is kept for the edit screens, which refuse to write when it is set.
    """

    TITLE = "y360tui"
    CSS_PATH = [STYLES / "app.tcss", STYLES / "lazy_table.tcss"]
    COMMANDS = App.COMMANDS | {ViewCommands, DirectoryCommands, FilterCommands,
                               DataOutCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        # priority: the palette opens before the next key of the same burst is routed
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True),
        Binding("q", "quit", "Quit"),
        # Ctrl+C quits too (after the same question as q); in a text field it copies.
        Binding("ctrl+c", "ctrl_c", "Quit", show=False, priority=True),
        Binding("escape,backspace", "back", "Back", show=False),
        *(Binding(str(n), f"view_key('{n}')", f"View {n}", show=False) for n in range(1, 10)),
        Binding("0", "goto", "Go to", show=False, priority=True),
    ]

    def __init__(self, client: Y360Client | None, *, org_name: str = "", profile: str = "",
                 read_only: bool = False, problem: str = "", start_view: str = "users",
                 close_client: bool = True, directory: DirectoryCache | None = None,
                 sync: bool = True) -> None:
        super().__init__()
        self.client = client
        self.org_name = org_name
        self.profile = profile
        self.read_only = read_only
        self.problem = problem
        self.start_view = start_view
        self.close_client = close_client
        if directory is None and client is not None:
            directory = DirectoryCache(client)
        self.directory = directory
        self.sync = sync
        self.config_file: Path | None = None  # None: the user's config file (tests: a temp one)
        for spec in registry.views():
            self.add_mode(spec.name, spec.make)  # the screen's module loads when first shown

    async def on_load(self) -> None:
        """Send the first users request now, before any screen is composed or its module
        imported: the server answers while the app builds its first frame. The Users screen
        waits for this request instead of sending its own (and asks again if it failed).
        Lookups that follow pages (department names, the org name) wait until it has drawn
        those rows (``UsersScreen``), so the first frame waits for nothing else."""
        if self.start_view == "users" and self.directory is not None and not self.blocked:
            self.directory.hold_lookups()
            worker = self.run_worker(self.directory.users.load_page(0), group="prefetch",
                                     exit_on_error=False)
            # Let the worker open its connection and send the request before Textual reads
            # its CSS and composes (tens of ms without a turn of the event loop).
            for _ in range(EARLY_TURNS):
                if worker.is_finished:
                    break
                await asyncio.sleep(0)

    def on_mount(self) -> None:
        """Show the first view, or explain what credentials are missing."""
        self.call_after_refresh(startup.resume_gc)  # paused by the command line, if at all
        self._update_titles()
        if self.client is None:
            self._show_no_token(self.problem)
            return
        if self.start_view not in registry.VIEWS:
            self.start_view = registry.views()[0].name
        self.switch_mode(self.start_view)
        if not self.org_name:
            self.run_worker(self._fetch_org_name, group="org", exit_on_error=False)
        if self.sync and self.directory is not None:
            # Waits for the first screenful of users to be drawn (held lookups), then loads
            # the whole directory: filter, sort and the palette see every object.
            self.run_worker(self.directory.synced, group="sync", exit_on_error=False)
            # A user detail's groups need the group graph: compact, loaded after that frame.
            self.run_worker(self._prefetch_graph, group="graph", exit_on_error=False)

    async def _prefetch_graph(self) -> None:
        from .screens.detail import session_linker

        if self.directory is not None:
            await self.directory.lookups_open()
        await session_linker(self).graph()

    async def _fetch_org_name(self) -> None:
        assert self.client is not None
        if self.directory is not None:
            await self.directory.lookups_open()
        try:
            org = await self.client.directory.organization()
        except Exception:  # the header keeps the org id; the views report real errors
            return
        self.org_name = org.name
        self._update_titles()

    def _update_titles(self) -> None:
        org = self.org_name or (f"org {self.client.org_id}" if self.client else "")
        self.title = f"y360tui · {org}" if org else "y360tui"
        extras = [self.profile] if self.profile else []
        if self.read_only:
            extras.append("read-only")
        self.sub_title = " · ".join(extras)

    async def on_unmount(self) -> None:
        """Close the client's connections when the app ends (the Shared files scan's own
        client too, after writing what it found to its cache)."""
        inventory = getattr(getattr(self, "linker", None), "inventory", None)
        if inventory is not None:
            await inventory.aclose()
        if self.directory is not None:
            self.directory.close()
        if self.client is not None and self.close_client:
            await self.client.aclose()

    # ---------------------------------------------------------------- navigation

    @property
    def blocked(self) -> bool:
        """No usable token: only the no-token screen (and quitting) is available."""
        return self.client is None or bool(self.problem)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without a usable token, views, back and help do nothing (hidden from the footer)."""
        return not (self.blocked and action in ("view_key", "goto", "back", "help"))

    def switch_view(self, name: str) -> None:
        """Show view ``name``; if it is already shown, go back to its top."""
        if self.blocked or name not in registry.VIEWS:
            return
        if self.current_mode == name:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(name)

    def action_view_key(self, key: str) -> None:
        """A number key: the view registered on it."""
        for spec in registry.views():
            if spec.key == key:
                self.switch_view(spec.name)
                return

    def action_goto(self) -> None:
        """``0``: the Go-to menu of every view (those past the number keys have a letter)."""
        from .screens.goto import GotoScreen

        def chosen(name: str | None) -> None:
            if name:
                self.switch_view(name)

        self.push_screen(GotoScreen(registry.views()), chosen)

    def action_back(self) -> None:
        """One step back on the current view's stack."""
        if not self.blocked and len(self.screen_stack) > 1:
            self.pop_screen()

    async def on_event(self, event: events.Event) -> None:
        """Keys typed right after Ctrl+P or 0, before the palette's search box or the menu has
        focus, are sent again once it is drawn (in order): a fast typist's keys are not lost."""
        if isinstance(event, events.Key) and not event.is_forwarded and event.character \
                and self._types_ahead():
            self.call_after_refresh(self.post_message, events.Key(event.key, event.character))
            return
        await super().on_event(event)

    def _types_ahead(self) -> bool:
        """The screen on top takes keys typed ahead (the palette, the Go-to menu) and has not
        focused its input yet."""
        screen = self.screen
        return (isinstance(screen, CommandPalette) or getattr(screen, "TYPE_AHEAD", False)) \
            and screen.focused is None

    def on_open_detail(self, message: OpenDetail) -> None:
        """Drill down: push the detail screen registered for the object's kind."""
        self.open_detail(message.kind, message.ident, message.label)

    def open_detail(self, kind: str, ident: str, label: str = "") -> None:
        """Push the detail screen of one object (a warning if none is registered)."""
        factory = registry.detail_factory(kind)
        if factory is None:
            self.notify(f"no detail view for {kind} objects", severity="warning")
            return
        self.push_screen(factory(ident, label))

    # ---------------------------------------------------------------- saved filters

    def apply_saved_filter(self, view: str, text: str) -> None:
        """Show ``view`` filtered by ``text`` (a saved filter from the palette)."""
        self.switch_view(view)
        self.call_after_refresh(self._filter_screen, text)

    def _filter_screen(self, text: str) -> None:
        show = getattr(self.screen, "show_filter", None)
        if show is not None:
            show(text)

    def action_save_filter(self) -> None:
        """Ask a name for the current view's filter and write it to the config file."""
        from ..data.config import ConfigError
        from ..data.saved_filters import check_name
        from .forms.prompt import PromptScreen

        screen = self.screen
        text = getattr(getattr(screen, "data", None), "query", "")
        view = self.current_mode
        if not text:
            self.notify("no filter to save: type one with /", severity="warning")
            return

        def check(name: str) -> str | None:
            try:
                check_name(name)
            except ConfigError as exc:
                return str(exc)
            return None

        def save(name: str | None) -> None:
            if name:
                self._save_filter(view, name, text)

        self.push_screen(PromptScreen(f"Save the filter “{text}” of this view as:",
                                      placeholder="a name, e.g. no-2fa", check=check), save)

    def _save_filter(self, view: str, name: str, text: str) -> None:
        from ..data.config import ConfigError
        from ..data.saved_filters import save_filter

        try:
            path = save_filter(view, name, text, self.config_file)
        except ConfigError as exc:
            self.notify(str(exc), severity="error", title="Filter not saved", timeout=8)
            return
        self.notify(f"saved filter “{name}” in {path}; Ctrl+P recalls it")

    def action_help(self) -> None:
        """Show every binding of the current screen and the views' keys."""
        from .screens.help import HelpScreen

        if not self.blocked and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # ---------------------------------------------------------------- quitting

    def unsaved_work(self) -> str:
        """What quitting now would lose ('' = nothing): an edit form with changes, a bulk
        run in progress (on any view's stack)."""
        from .forms.bulk_progress import BulkProgressScreen
        from .forms.form import EditForm

        stacks = list(getattr(self, "_screen_stacks", {}).values()) or [self.screen_stack]
        for stack in stacks:
            for screen in stack:
                if isinstance(screen, BulkProgressScreen) and not screen.stop.is_set():
                    return f"A bulk run is in progress ({screen.heading}): items not " \
                        "started yet will not run, and one in flight may or may not apply."
                if isinstance(screen, EditForm) and screen.changed:
                    return f"“{screen.edit.title}” ({screen.subtitle}) has unsaved changes."
        return ""

    async def action_quit(self) -> None:
        """q, Ctrl+Q, Ctrl+C: quit; with unsaved changes or a bulk run, ask first."""
        from .forms.ask import AskScreen

        if isinstance(self.screen, AskScreen) and getattr(self.screen, "quitting", False):
            return  # the question is on screen already: y or n answers it
        reason = self.unsaved_work()
        if not reason:
            self.exit()
            return
        ask = AskScreen(f"{reason}\nQuit anyway?", yes="Quit", no="Stay")
        ask.quitting = True  # type: ignore[attr-defined]
        self.push_screen(ask, lambda yes: self.exit() if yes else None)

    async def action_ctrl_c(self) -> None:
        """Ctrl+C copies the selection of a text field that has one; otherwise it quits."""
        from textual.widgets import Input, TextArea

        focused = self.focused
        if isinstance(focused, (Input, TextArea)) and focused.selected_text:
            focused.action_copy()
            return
        await self.action_quit()

    # ---------------------------------------------------------------- errors

    def token_rejected(self, message: str) -> None:
        """The server refused the token (401): explain what to set instead of the views."""
        if self.problem:
            return
        self.problem = f"{self._token_origin()} was rejected — {message}"
        self.workers.cancel_all()  # the other views' requests would fail the same way
        self._show_no_token(self.problem)

    def _token_origin(self) -> str:
        """Where the token came from and where it was sent, for the no-token screen."""
        if self.profile == "environment":
            where = "the token from the environment (Y360_TOKEN)"
        elif self.profile:
            where = f"the token of profile {self.profile!r}"
        else:
            where = "the token"
        server = self.client.urls.get("api360", "") if self.client is not None else ""
        return f"{where}, sent to {server}," if server else where

    def _show_no_token(self, message: str) -> None:
        from .screens.no_token import NoTokenScreen

        self.push_screen(NoTokenScreen(message))

    def views_info(self) -> list[Any]:
        """The registered views (for the help screen and the palette)."""
        return registry.views()
