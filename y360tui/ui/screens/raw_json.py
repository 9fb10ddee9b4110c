"""``J``: one object as the API sends it — every field by its wire name, unknown fields kept
(``data.export.raw_json``) — scrollable, copied whole with ``y``.

Rows that are API objects already (events, Tracker users, shared files, departments) show
at once; compact list rows (users, groups) are read by id first, so the JSON is the full
object, not the row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ...api.errors import Unauthorized
from ...data.export import raw_text
from ..dataout import RawTarget, preview
from ..widgets.breadcrumb import Breadcrumb
from .list_view import error_text


class RawJsonScreen(Screen):
    """The raw JSON of one object (see the module docstring)."""

    CSS_PATH = Path(__file__).parent.parent / "styles" / "screens.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
        Binding("y", "copy", "Copy JSON"),
        Binding("j,down", "scroll('down')", "Down", show=False),
        Binding("k,up", "scroll('up')", "Up", show=False),
        Binding("g,home", "scroll('home')", "Top", show=False),
        Binding("G,end", "scroll('end')", "Bottom", show=False),
    ]

    def __init__(self, target: RawTarget) -> None:
        super().__init__()
        self.target = target
        self.crumb = f"{target.label} (JSON)" if target.label else "JSON"
        self.title = None
        self.text = ""

    def compose(self) -> ComposeResult:
        """Header, breadcrumb, the JSON, footer."""
        yield Header()
        yield Breadcrumb(id="breadcrumb")
        with VerticalScroll(id="json-pane"):
            yield Static("loading…", id="json")
        yield Footer()

    def on_mount(self) -> None:
        """Show the object, or read it first."""
        self.query_one("#json-pane").focus()
        if self.target.obj is not None or self.target.fetch is None:
            self.show(self.target.obj)
        else:
            self.run_worker(self._fetch, group="json", exit_on_error=False)

    async def _fetch(self) -> None:
        assert self.target.fetch is not None
        try:
            obj = await self.target.fetch()
        except Unauthorized as exc:
            self.app.token_rejected(error_text(exc))  # type: ignore[attr-defined]
            return
        except Exception as exc:
            message = error_text(exc)
            self.query_one("#json", Static).update(Text(message, style="bold red"))
            self.notify(message, severity="error", title="Could not load", timeout=8)
            return
        self.show(obj)

    def show(self, obj: Any) -> None:
        """Render ``obj`` as highlighted, indented JSON."""
        self.text = raw_text(obj)
        syntax = Syntax(self.text, "json", theme="ansi_dark", word_wrap=True,
                        background_color="default")
        self.query_one("#json", Static).update(syntax)

    def action_scroll(self, where: str) -> None:
        """j/k, arrows, g/G: scroll the JSON."""
        pane = self.query_one("#json-pane", VerticalScroll)
        {"down": pane.scroll_down, "up": pane.scroll_up, "home": pane.scroll_home,
         "end": pane.scroll_end}[where](animate=False)

    def action_copy(self) -> None:
        """Copy the whole JSON (OSC 52)."""
        if not self.text:
            self.notify("still loading", severity="warning")
            return
        self.app.copy_to_clipboard(self.text)
        self.notify(f"JSON of {self.target.label or 'the object'}: {preview(self.text)}",
                    title="Copied to the clipboard", timeout=4)

    def action_back(self) -> None:
        """Back to the screen it was opened from."""
        self.app.action_back()  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        """Back on this screen: the path is shorter again."""
        self.query_one(Breadcrumb).update_path()
