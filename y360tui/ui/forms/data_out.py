"""The small modals of ``ui.dataout``: the export form, the export's progress, the copy menu."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, ProgressBar, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from ...data.export import (
    ExportError,
    check_writable,
    complete,
    default_path,
    export_fields,
    format_of,
    rows_to_export,
    with_format,
    write_file,
)
from ..dataout import ExportJob, one_line

DATA_OUT_CSS = Path(__file__).parent.parent / "styles" / "data_out.tcss"


def job_summary(job: ExportJob) -> str:
    """What the export will hold: rows loaded, filter, sort, marks."""
    data = job.paged
    if job.marked:
        what = f"the {len(job.marked):,} marked rows"
    elif data.complete:
        count = len(data.index) if data.index is not None else data.loaded_count
        what = f"{count:,} rows" if job.query_text is None else "every row"
    else:
        total = f" of {data.total:,}" if data.total is not None and not data.is_sequential \
            else ""
        what = f"every row ({data.loaded_count:,}{total} loaded: the rest loads first)"
    parts = [what]
    query = job.query_text if job.query_text is not None else data.query
    if query:
        parts.append(f"filter “{query}”")
    if data.index is not None and getattr(data, "_sort_key", None) is not None:
        parts.append("in the view's order")
    return " · ".join(parts)


class ExportForm(ModalScreen[tuple[str, str] | None]):
    """Path and format; dismisses ``(path, format)`` or None (Esc)."""

    CSS_PATH = DATA_OUT_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "submit", "Export")]

    def __init__(self, job: ExportJob, path: str | None = None) -> None:
        super().__init__()
        self.job = job
        self.path = path or default_path(job.view, "csv")
        self.fmt = format_of(self.path)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Export {self.job.title}", classes="title")
            yield Static(job_summary(self.job), id="export-summary")
            yield Input(self.path, id="export-path", placeholder="file to write")
            with Horizontal(id="export-format"), RadioSet(id="export-formats"):
                yield RadioButton("CSV", value=self.fmt == "csv", id="csv")
                yield RadioButton("JSON", value=self.fmt == "json", id="json")
            yield Static("Enter/F2 exports · Tab: format · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        self.fmt = event.pressed.id or "csv"
        box = self.query_one(Input)
        box.value = with_format(box.value, self.fmt)

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """A path typed with ``.json`` or ``.csv`` picks that format (as ``--output`` does)."""
        fmt = format_of(event.value.strip(), self.fmt)
        if fmt != self.fmt:
            self.fmt = fmt
            self.query_one(f"#{fmt}", RadioButton).value = True

    @on(Input.Submitted)
    def action_submit(self) -> None:
        path = self.query_one(Input).value.strip()
        if not path:
            self.notify("give a file name", severity="warning")
            return
        self.dismiss((path, format_of(path, self.fmt)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportProgress(ModalScreen[str | None]):
    """Loads the rest of the list (progress; Esc cancels), writes the file, says where and
    how many rows; an unwritable path or an API error is a message. Dismisses with the path
    written, or None."""

    CSS_PATH = DATA_OUT_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, job: ExportJob, path: str, fmt: str) -> None:
        super().__init__()
        self.job = job
        self.path = path
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Exporting {self.job.title} to {self.path}", classes="title")
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static("loading…", id="export-status")
            yield Static("Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self.run_worker(self._run, group="export", exit_on_error=False)

    def _progress(self) -> None:
        data = self.job.paged
        if data.total is not None and not data.is_sequential:
            self.query_one(ProgressBar).update(total=data.total, progress=data.loaded_count)
            text = f"{data.loaded_count:,} of {data.total:,} rows loaded"
        else:
            text = f"{data.loaded_count:,} rows loaded, more…"
        if data.pending:
            text += f" · {len(data.pending):,} rows to check for the filter"
        self.query_one("#export-status", Static).update(text)

    async def _run(self) -> None:
        from ...data.query import QueryError, parse
        from ...headless import api_message

        job = self.job
        data = job.paged
        try:
            check_writable(self.path)  # before loading every page
            await complete(data, on_progress=self._progress, fetch_values=job.fetch_values)
            if job.query_text is not None:
                try:
                    data.set_filter(parse(job.query_text, job.fields))
                except QueryError:
                    data.set_query(job.query_text.lower())
                await complete(data, fetch_values=job.fetch_values)
            self._progress()
            rows = rows_to_export(data, job.marked)
            if job.prepare is not None:
                self.query_one("#export-status", Static).update(
                    f"reading what {len(rows):,} rows need…")
                await job.prepare(rows)
            columns = export_fields(job.fields, data.structured)
            self.query_one("#export-status", Static).update(f"writing {len(rows):,} rows…")
            count = await asyncio.to_thread(write_file, self.path, rows, columns, self.fmt)
        except asyncio.CancelledError:
            raise
        except ExportError as exc:
            self.app.notify(str(exc), title="Export failed", severity="error", timeout=10)
            self.dismiss(None)
            return
        except Exception as exc:
            self.app.notify(f"{job.title}: {api_message(exc)}; nothing was written",
                            title="Export failed", severity="error", timeout=10)
            self.dismiss(None)
            return
        self.app.notify(f"{count:,} rows of {job.title} as {self.fmt.upper()} to {self.path}",
                        title="Exported", timeout=8)
        self.dismiss(self.path)

    def action_cancel(self) -> None:
        self.workers.cancel_node(self)
        self.app.notify("export cancelled: nothing was written", severity="warning")
        self.dismiss(None)


class CopyMenu(ModalScreen[tuple[str, str] | None]):
    """Pick what to copy: Enter copies the highlighted line, ``y`` again the first one
    (``yy`` copies the id), Esc closes."""

    CSS_PATH = DATA_OUT_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("y", "first", "Copy first")]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        width = min(22, max(len(what) for what, _ in self.choices))
        room = max(10, min(self.app.size.width, 72) - width - 8)
        options: list[Any] = []
        for n, (what, text) in enumerate(self.choices):
            line = Text(f"{what[:width]:<{width}}  ", style="bold", no_wrap=True,
                        overflow="ellipsis")
            line.append(one_line(text, room), style="dim")
            options.append(Option(line, id=f"c{n}"))
        with Vertical():
            yield Static("Copy to the clipboard", classes="title")
            yield OptionList(*options, id="copy-options")
            yield Static("Enter copies · y: the first line · Esc closes", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])

    def action_first(self) -> None:
        self.dismiss(self.choices[0])

    def action_cancel(self) -> None:
        self.dismiss(None)
