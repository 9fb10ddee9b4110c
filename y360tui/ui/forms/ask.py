"""``AskScreen``: a yes/no question (the second question before deleting a non-empty object)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from . import FORMS_CSS


class AskScreen(ModalScreen[bool]):
    """Dismisses True only on an explicit "yes"; Esc and "no" (the default focus) say False."""

    DEFAULT_CLASSES = "ask-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "no", "No"), Binding("n", "no", "No"),
                Binding("y", "yes", "Yes")]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Static(self.question, id="ask-question")
            with Horizontal(id="ask-buttons"):
                yield Button(f"{self.no_label} (n)", id="no", compact=True)
                yield Button(f"{self.yes_label} (y)", id="yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)
