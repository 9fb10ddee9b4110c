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
    BINDINGS = [Binding("escape,0", "cancel", "Close")]

    def __init__(self, views: Sequence[ViewSpec]) -> None:
        super().__init__()
        self.views = list(views)

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static("Go to view — press its key, or Enter", id="goto-title")
            yield OptionList(*(self._option(spec) for spec in self.views), id="goto-list")

    @staticmethod
    def _option(spec: ViewSpec) -> Option:
        line = Text.assemble((f"{spec.key:>2}  ", "bold"), (f"{spec.title:<14}", ""),
                             (spec.description, "dim"), no_wrap=True, overflow="ellipsis")
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
