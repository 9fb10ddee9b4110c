"""``BulkProgressScreen``: runs an action over a selection with a progress bar."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from ...data.bulk import BulkResult, ItemResult, run_bulk
from ...data.edits.base import Edit
from ...data.journal import Journal
from . import FORMS_CSS


class BulkProgressScreen(ModalScreen[BulkResult]):
    """Dismisses with the per-item results. Esc stops starting new items (those in flight
    finish and are journaled); the rest are reported "not run" and can be retried."""

    DEFAULT_CLASSES = "bulk-screen"
    CSS_PATH = FORMS_CSS
    BINDINGS = [Binding("escape", "stop", "Stop")]

    def __init__(self, title: str, edits: Sequence[Edit], client: Any,
                 journal: Journal | None, *, concurrency: int = 4) -> None:
        super().__init__()
        self.heading = title
        self.edits = list(edits)
        self.client = client
        self.journal = journal
        self.concurrency = concurrency
        self.stop = asyncio.Event()
        self.failures = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-box", classes="progress"):
            yield Static(f"{self.heading}: {len(self.edits)} item(s)", id="bulk-title")
            yield ProgressBar(total=len(self.edits), show_eta=False, id="bulk-progress")
            yield Static("starting…", id="bulk-status")
            yield Static("Esc stops after the items in flight", id="bulk-hint")

    def on_mount(self) -> None:
        self.run_worker(self.run_all(), group="bulk", exit_on_error=False)

    async def run_all(self) -> None:
        result = await run_bulk(self.edits, self.client, self.journal,
                                concurrency=self.concurrency, progress=self.advance,
                                stop=self.stop)
        self.dismiss(result)

    def advance(self, done: int, total: int, item: ItemResult) -> None:
        if not item.ok:
            self.failures += 1
        self.query_one(ProgressBar).update(progress=done)
        self.query_one("#bulk-status", Static).update(
            f"{done} of {total} done, {self.failures} failed — last: "
            f"{item.target.label or item.target.id}: {item.status}")

    def action_stop(self) -> None:
        self.stop.set()
        self.query_one("#bulk-hint", Static).update("stopping after the items in flight…")
