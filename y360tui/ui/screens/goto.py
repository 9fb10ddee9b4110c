"""``GotoScreen``: ``0`` lists every view; its key (a digit or a letter) or Enter opens it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..registry import ViewSpec

STYLES = Path(__file__).parent.parent / "styles"


class GotoScreen(ModalScreen[str | None]):
    """Dismisses with the chosen view's name, or None (Esc, 0 again)."""

    CSS_PATH = STYLES / "goto.tcss"
    TYPE_AHEAD = True  # a key typed right after 0, before the menu has focus, is its choice
    BINDINGS = [Binding("escape,0", "cancel", "Close")]

    def __init__(self, views: Sequence[ViewSpec]) -> None:
        super().__init__()
        self.views = list(views)

    def compose(self) -> ComposeResult:
        title_width = max(len(spec.title) for spec in self.views) + 2
        # One line per view: the description is cut to the box (an option list would wrap it).
        box = min(100, self.app.size.width * 9 // 10)
        room = max(0, box - 4 - 4 - title_width - 2)  # borders+padding, key, scrollbar
        with Vertical(id="goto-box"):
            yield Static("Go to view — press its key, or Enter", id="goto-title")
            yield OptionList(*(self._option(spec, title_width, room) for spec in self.views),
                             id="goto-list")

    @staticmethod
    def _option(spec: ViewSpec, title_width: int, room: int) -> Option:
        about = spec.description
        if len(about) > room:
            about = about[: max(0, room - 1)].rstrip() + "…" if room > 1 else ""
        line = Text.assemble((f"{spec.key:>2}  ", "bold"), (f"{spec.title:<{title_width}}", ""),
                             (about, "dim"))
        return Option(line, id=spec.name)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        for spec in self.views:
            if event.character and event.character == spec.key:
                event.stop()
                self.dismiss(spec.name)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
