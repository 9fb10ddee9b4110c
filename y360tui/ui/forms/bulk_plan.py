"""``BulkPlanScreen``: what an action on a selection will do, before anything is sent."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from ...data.bulk_actions import item_label
from ...data.edits.base import Edit, shown
from . import FORMS_CSS

SHOWN_ROWS = 500  # the plan lists at most this many items; the count says how many in all


def item_plan(edit: Edit) -> str:
    """One item's planned change, or why it will be skipped. Pure: sends nothing."""
    errors = edit.validate()
    if errors:
        return "skipped: " + "; ".join(errors.values())
    plan = edit.plan()
    if plan.noop:
        return "no change needed"
    return "; ".join(f"{c.field}: {shown(c.before)} -> {shown(c.after)}" for c in plan.changes)


class BulkPlanScreen(ModalScreen[str | None]):
    """Dismisses ``"run"``, ``"dry-run"`` or None (cancel)."""

    DEFAULT_CLASSES = "bulk-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "run", "Run"),
                Binding("f3", "dry_run", "Dry run")]

    def __init__(self, title: str, edits: Sequence[Edit], *,
                 skipped: Sequence[tuple[str, str]] = (), warnings: Sequence[str] = ()
                 ) -> None:
        super().__init__()
        self.heading = title
        self.edits = list(edits)
        # Entries of a list that select nothing (unknown, repeated): (entry, why).
        self.skipped = list(skipped)
        self.warnings = list(warnings)  # e.g. "blocks 2 administrator(s): …"

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-box"):
            yield Static(f"{self.heading}: {len(self.edits)} item(s)", id="bulk-title")
            yield DataTable(id="bulk-table", cursor_type="row", zebra_stripes=True)
            if self.warnings:
                yield Static(Text("\n".join(f"⚠ {w}" for w in self.warnings), style="bold red"),
                             id="bulk-warnings")
            yield Static("Nothing is sent until you choose Run. A dry run sends nothing.",
                         id="bulk-status")
            with Horizontal(id="bulk-buttons"):
                yield Button(f"Run on {len(self.edits)} (F2)", id="run", variant="warning",
                             compact=True)
                yield Button("Dry run (F3)", id="dry-run", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("target", "plan")
        for edit in self.edits[:SHOWN_ROWS]:
            table.add_row(item_label(edit), item_plan(edit))
        if len(self.edits) > SHOWN_ROWS:
            table.add_row("…", f"and {len(self.edits) - SHOWN_ROWS} more")
        for entry, why in self.skipped[:SHOWN_ROWS]:
            table.add_row(entry, f"skipped — {why}")
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#run")
    def action_run(self) -> None:
        self.dismiss("run")

    @on(Button.Pressed, "#dry-run")
    def action_dry_run(self) -> None:
        self.dismiss("dry-run")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
