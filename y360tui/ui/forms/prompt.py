"""``PromptScreen``: one line of text asked for (a saved filter's name), checked before it
closes: a value the check refuses keeps the prompt open with the reason under the input."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from . import FORMS_CSS


class PromptScreen(ModalScreen[str | None]):
    """Enter dismisses with the text (if ``check`` accepts it), Esc with None."""

    DEFAULT_CLASSES = "prompt-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, *, value: str = "", placeholder: str = "",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.check = check  # returns a reason to refuse, or None

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(self.question, id="prompt-question")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error")
            yield Static("Enter saves · Esc cancels", id="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        reason = self.check(text) if self.check is not None else None
        if reason:
            self.query_one("#prompt-error", Static).update(reason)
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
