"""``ConfirmScreen``: shows exactly what an edit will change (before -> after) and asks to go.

A plan flagged ``non_empty`` (deleting a group or department that still has members or
sub-departments) asks a second time before it says yes.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...data.edits.base import Plan, shown
from . import FORMS_CSS
from .ask import AskScreen


def plan_text(plan: Plan) -> Text:
    """Each change as ``field: before -> after``, the after side highlighted."""
    text = Text()
    for change in plan.changes:
        text.append(f"{change.field}: ", style="bold")
        text.append(shown(change.before), style="red")
        text.append(" -> ")
        text.append(shown(change.after), style="green")
        text.append("\n")
    text.rstrip()
    return text


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses True when the admin confirms the plan."""

    DEFAULT_CLASSES = "confirm-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "confirm", "Apply")]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        target = self.plan.target
        with Vertical(id="confirm-box"):
            kind = target.kind.replace("_", " ")  # shared_file -> shared file
            yield Static(f"{self.plan.title}: {kind} {target.label or target.id}",
                         id="confirm-title")
            with VerticalScroll(id="confirm-changes"):
                yield Static(plan_text(self.plan), id="confirm-diff")
            notes = "\n".join(f"• {n}" for n in self.plan.notes)
            yield Static(notes, id="confirm-notes", classes="" if notes else "hidden")
            with Horizontal(id="confirm-buttons"):
                yield Button("Apply (F2)", id="confirm", variant="warning", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    # Keys that reach the confirmation sooner than this after it appeared were meant for what
    # came before (F2 also submits a form: F2 pressed twice would apply unread), as browsers
    # delay their permission buttons.
    ARM_SECONDS = 0.4

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._armed_at = time.monotonic() + self.ARM_SECONDS

    @on(Button.Pressed, "#confirm")
    def confirm_pressed(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        """Go; a non-empty delete first asks a second, explicit question."""
        if time.monotonic() < self._armed_at:
            self.app.bell()
            return
        if not self.plan.non_empty:
            self.dismiss(True)
            return
        target = self.plan.target.label or self.plan.target.id
        question = f"{target} is not empty ({'; '.join(self.plan.notes)}).\nDelete it anyway?"
        self.app.push_screen(AskScreen(question, yes="Delete"),
                             lambda yes: self.dismiss(True) if yes else None)
