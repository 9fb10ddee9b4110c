"""``EditForm``: the modal form of one edit, built from the edit's field specs.

Each field shows its error right under it as soon as it has been touched (all of them after a
submit attempt); the submit button stays disabled while any field is invalid, so nothing can be
sent before the form is valid. Dismisses with the edit (values filled in) or None on cancel.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, Switch, TextArea

from ...data.edits.base import Edit, FieldSpec
from . import FORMS_CSS
from .ask import AskScreen


class DepartmentField(Static, can_focus=True):
    """A department id shown by name; Enter (or a click) picks another from the departments
    (search as you type), so no one types an id."""

    BINDINGS = [Binding("enter,space,down", "pick", "Pick a department", show=False)]

    class Changed(Message):
        """Another department was picked."""

        def __init__(self, field: DepartmentField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> DepartmentField:
            """The field that changed."""
            return self.field

    def __init__(self, value: Any, *, id: str) -> None:
        super().__init__(id=id, classes="department-field")
        self.value = str(value or "")

    def on_mount(self) -> None:
        self.show_value()

    def show_value(self) -> None:
        names = getattr(getattr(self.app, "directory", None), "department_names", None) or {}
        name = names.get(int(self.value)) if self.value.isdigit() else None
        shown = f"{name} ({self.value})" if name else (self.value or "—")
        self.update(Text.assemble(shown, ("  ▾", "dim")))

    async def action_pick(self) -> None:
        """Pick a department (the list is loaded first if it is not yet)."""
        from .actions import department_search
        from .picker import PickerScreen

        cache = getattr(self.app, "directory", None)
        if cache is not None and not cache.departments:
            try:
                await cache.load_departments()
            except Exception as exc:  # the id stays; the form still validates it
                self.notify(f"departments could not be read: {exc}", severity="error")
                return
        self.app.push_screen(PickerScreen("Department", department_search(self.app)),
                             self._picked)

    def _picked(self, choice: Any) -> None:
        if choice is not None and choice.id != self.value:
            self.value = str(choice.id)
            self.show_value()
            self.post_message(self.Changed(self))

    def on_click(self) -> None:
        self.run_worker(self.action_pick(), exit_on_error=False)


def field_widget(spec: FieldSpec, value: Any) -> Widget:
    """The input widget for one field spec, holding ``value``."""
    wid = f"f-{spec.name}"
    if spec.kind == "department":
        return DepartmentField(value, id=wid)
    if spec.kind == "select":
        return Select(spec.options, value=value, allow_blank=False, id=wid, compact=True)
    if spec.kind == "switch":
        return Switch(bool(value), id=wid, animate=False)
    if spec.kind == "textarea":
        return TextArea(str(value or ""), id=wid, soft_wrap=False, compact=True)
    return Input(str(value or ""), placeholder=spec.placeholder, password=spec.kind == "password",
                 id=wid, compact=True, select_on_focus=False)


def widget_value(widget: Widget) -> Any:
    """The value a field widget holds (str, or bool for a switch)."""
    if isinstance(widget, Select):
        return "" if widget.value is Select.NULL else widget.value
    if isinstance(widget, DepartmentField):
        return widget.value
    if isinstance(widget, Switch):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Input)
    return widget.value


class EditForm(ModalScreen[Edit | None]):
    """A modal form for ``edit``; dismisses with the edit when valid, None when cancelled."""

    DEFAULT_CLASSES = "edit-form"
    CSS_PATH = FORMS_CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("f2", "submit", "Review"),
    ]

    def __init__(self, edit: Edit, *, subtitle: str = "") -> None:
        super().__init__()
        self.edit = edit
        kind = edit.target.kind.replace("_", " ")  # antispam_allowlist -> words
        self.subtitle = subtitle or f"{kind} {edit.target.label}".strip()
        self.touched: set[str] = set()
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.edit.title, id="form-title")
            yield Static(self.subtitle, id="form-subtitle")
            with VerticalScroll(id="form-fields"):
                for spec in self.edit.fields:
                    yield from self.field_row(spec)
            yield Static("", id="form-status")
            with Horizontal(id="form-buttons"):
                yield Button("Review changes (F2)", id="submit", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def field_row(self, spec: FieldSpec) -> ComposeResult:
        with Horizontal(classes=f"form-row kind-{spec.kind}"):
            yield Label(spec.label, classes="form-label")
            yield field_widget(spec, self.edit.values.get(spec.name, ""))
        if spec.help:
            yield Static(spec.help, classes="form-help")
        yield Static("", id=f"e-{spec.name}", classes="form-error")

    def on_mount(self) -> None:
        self.revalidate()
        self.opened_with = dict(self.edit.values)  # what "unsaved changes" compares with
        # Typing goes to the first field at once (no Tab first); arrows and Enter work on it.
        if self.edit.fields:
            self.query_one(f"#f-{self.edit.fields[0].name}").focus()

    def on_descendant_focus(self) -> None:
        """Mark the row holding the focus (its label shows it, see forms.tcss)."""
        focused = self.focused
        chain = set(focused.ancestors_with_self) if focused is not None else set()
        for row in self.query(".form-row"):
            row.set_class(row in chain, "-focused")

    @property
    def changed(self) -> bool:
        """True when a field holds something other than what the form opened with."""
        if not self.is_mounted or not hasattr(self, "opened_with"):
            return False
        self.read_values()
        return any(self.edit.values.get(k) != v for k, v in self.opened_with.items())

    # -- reading the widgets ----------------------------------------------------------------
    def read_values(self) -> None:
        for spec in self.edit.fields:
            self.edit.values[spec.name] = widget_value(self.query_one(f"#f-{spec.name}"))

    def revalidate(self) -> dict[str, str]:
        """Validate and show each touched field's error; enable submit only when valid."""
        self.read_values()
        self.errors = self.edit.validate()
        for spec in self.edit.fields:
            label = self.query_one(f"#e-{spec.name}", Static)
            message = self.errors.get(spec.name, "") if spec.name in self.touched else ""
            label.update(message)
            label.display = bool(message)
        # Errors on keys without a field (e.g. "not published") belong to the form as a whole.
        names = {s.name for s in self.edit.fields}
        general = [m for k, m in self.errors.items() if k not in names]
        hidden = [k for k in self.errors if k in names and k not in self.touched]
        status = "; ".join(general)
        if not status and hidden:
            status = f"{len(hidden)} field(s) still need attention"
        self.query_one("#form-status", Static).update(status)
        self.query_one("#submit", Button).disabled = bool(self.errors)
        return self.errors

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(TextArea.Changed)
    @on(DepartmentField.Changed)
    def field_changed(self, event: Any) -> None:
        widget = event.control if hasattr(event, "control") else event.text_area
        if widget.id and widget.id.startswith("f-"):
            self.touched.add(widget.id[2:])
        self.revalidate()

    # -- submit / cancel --------------------------------------------------------------------
    @on(Input.Submitted)
    def input_submitted(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#submit")
    def submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_submit(self) -> None:
        """Dismiss with the edit only if it is valid; otherwise reveal every error."""
        self.touched.update(s.name for s in self.edit.fields)
        if self.revalidate():
            bad = next((s.name for s in self.edit.fields if s.name in self.errors), None)
            if bad:
                self.query_one(f"#f-{bad}").focus()
            return
        self.dismiss(self.edit)

    def action_cancel(self) -> None:
        """Close without sending; a form with changes asks first (as lazygit does)."""
        if not self.changed:
            self.dismiss(None)
            return
        self.app.push_screen(
            AskScreen(f"Discard your changes to “{self.edit.title}” ({self.subtitle})?",
                      yes="Discard", no="Keep editing"),
            lambda discard: self.dismiss(None) if discard else None)
