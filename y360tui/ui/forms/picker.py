"""``PickerScreen``: search-as-you-type choice of a user, group or department."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from . import FORMS_CSS

MAX_CHOICES = 50


@dataclass(frozen=True)
class Choice:
    """One candidate: its kind (user, group, department), id, label and a detail line."""

    kind: str
    id: str
    label: str
    detail: str = ""


Search = Callable[[str], list[Choice]]


class PickerScreen(ModalScreen[Choice | None]):
    """Type to narrow the candidates ``search(text)`` returns; Enter picks the highlighted."""

    DEFAULT_CLASSES = "picker-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_list", show=False)]

    def __init__(self, title: str, search: Search) -> None:
        super().__init__()
        self.heading = title
        self.search = search
        self.choices: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.heading, id="picker-title")
            yield Input(placeholder="type a login, name or id…", id="picker-input",
                        compact=True)
            yield OptionList(id="picker-options")
            yield Static("Enter picks · ↓ to the list · Esc cancels", id="picker-hint")

    def on_mount(self) -> None:
        self.refill("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#picker-input")
    def typed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    def refill(self, text: str) -> None:
        self.choices = self.search(text.strip())[:MAX_CHOICES]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(f"{c.kind:<10} {c.label}  {c.detail}".rstrip(), id=str(i))
                            for i, c in enumerate(self.choices))
        if self.choices:
            options.highlighted = 0

    @on(Input.Submitted, "#picker-input")
    def pick_highlighted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.choices):
            self.dismiss(self.choices[index])

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)])

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
