"""``BulkResultScreen``: the per-item outcome of an action on a selection."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from ...data.bulk import BulkResult
from . import FORMS_CSS

STATUS_STYLE = {"ok": "green", "planned": "cyan", "failed": "bold red",
                "uncertain": "bold yellow", "verify-mismatch": "yellow", "invalid": "magenta",
                "not run": "dim"}


class BulkResultScreen(ModalScreen[str | None]):
    """Dismisses ``"retry"`` (rerun the failed items), ``"run"`` (after a dry run) or None."""

    DEFAULT_CLASSES = "bulk-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "close", "Close"), Binding("f2", "again", "Retry/Run")]

    def __init__(self, title: str, result: BulkResult) -> None:
        super().__init__()
        self.heading = title
        self.result = result

    def compose(self) -> ComposeResult:
        kind = "Dry run" if self.result.dry_run else "Result"
        with Vertical(id="bulk-box"):
            yield Static(f"{kind} — {self.heading}: {self.result.summary() or 'nothing'}",
                         id="bulk-title")
            yield DataTable(id="bulk-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="bulk-buttons"):
                if self.result.dry_run:
                    yield Button("Run for real (F2)", id="again", variant="warning", compact=True)
                else:
                    failed = len(self.result.failed)
                    yield Button(f"Retry failed: {failed} (F2)", id="again",
                                 variant="warning", disabled=not failed, compact=True)
                yield Button("Close (Esc)", id="close", compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("target", "status", "detail")
        # Failures first: they are what the admin has to act on.
        order = sorted(self.result.items, key=lambda r: r.ok)
        for item in order:
            table.add_row(item.target.label or item.target.id,
                          Text(item.status, style=STATUS_STYLE.get(item.status, "")),
                          item.message)
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        if self.result.dry_run:
            self.dismiss("run")
        elif self.result.failed:
            self.dismiss("retry")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
