"""``ConfirmScreen``: shows exactly what an edit will change (before -> after) and asks to go.

A plan flagged ``non_empty`` (deleting a group or department that still has members or
sub-departments) asks a second time before it says yes.
"""

from __future__ import annotations

import re
import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...data.edits.base import Edit, Plan, shown
from . import FORMS_CSS
from .ask import AskScreen

# The API's field names in the words the views and forms use.
WORDS = {
    "isEnabled": "Status", "isAdmin": "Admin", "departmentId": "Department",
    "parentId": "Parent department", "headId": "Head (user id)", "externalId": "External id",
    "first": "First name", "last": "Last name", "middle": "Middle name",
    "authType": "Sign-in method", "passwordChangeRequired": "Change password at next sign-in",
    "dropOtp": "Drop OTP (2FA setup)", "has2fa": "2FA", "hasSecurityPhone": "Security phone",
    "label": "Mailing-list label", "timezone": "Time zone",
}
# Values as the Users view shows them (``yes``/``no`` otherwise).
VALUE_WORDS: dict[str, dict[Any, str]] = {
    "isEnabled": {True: "active", False: "blocked"},
    "isAdmin": {True: "admin", False: "not admin"},
    "authType": {"portal": "portal (login and password)", "idp": "idp (single sign-on)"},
    "has2fa": {True: "set up", False: "not set up"},
}
DEPARTMENT_KEYS = ("departmentId", "parentId")


def field_words(name: str, labels: dict[str, str]) -> str:
    """What the admin calls field ``name``: the view's word, else the form's label, else
    the name in words (``timezone`` -> ``Time zone``, ``fooBar`` -> ``Foo bar``)."""
    found = WORDS.get(name) or labels.get(name)
    if found:
        return found
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()
    return words[:1].upper() + words[1:]


def value_words(name: str, value: Any, departments: dict[int, str]) -> str:
    """``value`` of field ``name`` as the views show it (a department by its name)."""
    words = VALUE_WORDS.get(name, {})
    if isinstance(value, (bool, str)) and value in words:
        return words[value]
    if name in DEPARTMENT_KEYS and str(value).isdigit() and int(value) in departments:
        return f"{departments[int(value)]} ({value})"
    return shown(value)


def plan_text(plan: Plan, labels: dict[str, str] | None = None,
              departments: dict[int, str] | None = None) -> Text:
    """Each change as ``field: before -> after`` in the views' words, the after side
    highlighted; a field that stays as it is is left out."""
    if plan.listing:
        return listing_text(plan.listing)
    labels = labels or {}
    departments = departments or {}
    text = Text()
    for change in plan.changes:
        if change.before == change.after:
            continue
        text.append(f"{field_words(change.field, labels)}: ", style="bold")
        text.append(value_words(change.field, change.before, departments), style="red")
        text.append(" -> ")
        text.append(value_words(change.field, change.after, departments), style="green")
        text.append("\n")
    text.rstrip()
    return text


LISTING_STYLES = {"+": "green", "-": "red"}


def listing_text(listing: list[tuple[str, str]]) -> Text:
    """A whole-list write, diff-like: every line of the list, ``+`` added (green), ``-``
    removed (red), unchanged lines plain; one line each (cut with …), so the list fits."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for mark, line in listing:
        style = LISTING_STYLES.get(mark, "")
        text.append(f"{mark} {line}\n", style=style)
    text.rstrip()
    return text


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses True when the admin confirms the plan."""

    DEFAULT_CLASSES = "confirm-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "confirm", "Apply")]

    def __init__(self, plan: Plan, edit: Edit | None = None) -> None:
        super().__init__()
        self.plan = plan
        # The form's labels name the fields when the views have no word of their own.
        self.labels = {f.name: f.label for f in edit.fields} if edit is not None else {}

    def compose(self) -> ComposeResult:
        target = self.plan.target
        with Vertical(id="confirm-box"):
            kind = target.kind.replace("_", " ")  # shared_file -> shared file
            yield Static(f"{self.plan.title}: {kind} {target.label or target.id}",
                         id="confirm-title")
            with VerticalScroll(id="confirm-changes"):
                names = getattr(getattr(self.app, "directory", None), "department_names", {})
                yield Static(plan_text(self.plan, self.labels, names), id="confirm-diff",
                             classes="listing" if self.plan.listing else "")
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
