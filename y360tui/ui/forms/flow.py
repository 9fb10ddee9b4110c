"""The steps every edit goes through in the UI, run in a worker so the app never waits.

One edit: read the object fresh -> form (if the edit has fields) -> confirmation (before ->
after) -> apply + verify -> notification with the outcome -> the caller's refresh. Nothing is
sent before the form is valid and the plan confirmed; every sent edit is journaled once.

A selection: plan screen -> (dry run ->) progress -> per-item results -> "retry failed" reruns
only the failed items.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from textual.app import App
from textual.widget import Widget

from ...data.bulk import BulkResult, run_bulk
from ...data.edits.base import Edit, Outcome, api_error, describe, execute
from ...data.journal import Journal, open_journal
from .bulk_plan import BulkPlanScreen
from .bulk_progress import BulkProgressScreen
from .bulk_result import BulkResultScreen
from .confirm import ConfirmScreen
from .form import EditForm

READ_ONLY_MESSAGE = "read-only mode (--read-only or the profile's setting): edits are disabled"
SEVERITY = {"ok": "information", "failed": "error", "uncertain": "warning",
            "verify-mismatch": "warning"}

AfterEdit = Callable[[Outcome], Awaitable[None] | None]
AfterBulk = Callable[[BulkResult], Awaitable[None] | None]


def journal_of(app: App) -> Journal:
    """The session's journal (``app.edit_journal`` if set, e.g. by tests; else the one
    ``data.journal.open_journal`` picks for the app's profile and org, from
    ``app.journal_options``: ``location`` (``--journal``) and ``demo``)."""
    journal = getattr(app, "edit_journal", None)
    if journal is None:
        client = getattr(app, "client", None)
        options = getattr(app, "journal_options", None) or {}
        journal = open_journal(options.get("location"), demo=bool(options.get("demo")),
                               profile=str(getattr(app, "profile", "") or ""),
                               org=str(getattr(client, "org_id", "") or ""))
        app.edit_journal = journal  # type: ignore[attr-defined]
    return journal


def is_read_only(app: App) -> bool:
    return bool(getattr(app, "read_only", False))


def start_edit(host: Widget, edit: Edit, *, load: bool = True, form: bool = True,
               after: AfterEdit | None = None) -> None:
    """Run the whole flow of one edit in a worker (``form=False``: the values were chosen
    already, e.g. in a picker, so only validation stands between them and the confirmation)."""
    if is_read_only(host.app):
        host.notify(READ_ONLY_MESSAGE, severity="warning")
        return
    # A second edit key pressed while the first edit still reads its object would stack two
    # forms or confirmations (and could send the same change twice): one opens at a time.
    opening = getattr(host.app, "edit_opening", None)
    if opening is not None and not opening.is_finished:
        host.notify("an edit is already opening; finish or cancel it first", severity="warning")
        return
    # Owned by the app, not the view: a view cancels its own workers when a modal covers it.
    host.app.edit_opening = host.app.run_worker(  # type: ignore[attr-defined]
        edit_flow(host.app, edit, load=load, form=form, after=after), group="edits",
        exit_on_error=False, description=edit.title)


async def edit_flow(app: App, edit: Edit, *, load: bool = True, form: bool = True,
                    after: AfterEdit | None = None) -> Outcome | None:
    """Form -> confirmation -> execute; returns the outcome, or None if nothing was sent."""
    client = app.client  # type: ignore[attr-defined]
    if load:
        try:
            await edit.load(client)
        except Exception as exc:
            app.notify(describe(api_error(exc)), title=f"{edit.title}: could not read",
                       severity="error", timeout=8)
            return None
        edit.reset_values()
    if edit.fields and form:
        if await app.push_screen_wait(EditForm(edit)) is None:
            return None
    elif errors := edit.validate():
        app.notify("; ".join(errors.values()), title=edit.title, severity="warning")
        return None
    plan = edit.plan()
    if plan.noop:
        app.notify("nothing to change; nothing was sent", title=edit.title)
        return None
    confirmed = await app.push_screen_wait(ConfirmScreen(plan, edit))
    app.edit_opening = None  # type: ignore[attr-defined]  # answered: others may open now
    if not confirmed:
        return None
    outcome = await execute(edit, client, journal_of(app), plan)
    app.notify(outcome.message, title=f"{plan.title}: {plan.target.label or plan.target.id}",
               severity=SEVERITY[outcome.status], timeout=4 if outcome.ok else 10)
    if after is not None:
        await _call(after, outcome)
    return outcome


def start_bulk(host: Widget, title: str, edits: Sequence[Edit], *,
               after: AfterBulk | None = None, skipped: Sequence[tuple[str, str]] = (),
               warnings: Sequence[str] = ()) -> None:
    """Run an action over a selection in a worker owned by ``host``."""
    if is_read_only(host.app):
        host.notify(READ_ONLY_MESSAGE, severity="warning")
        return
    if not edits:
        host.notify("nothing selected", severity="warning")
        return
    host.app.run_worker(bulk_flow(host.app, title, list(edits), after=after, skipped=skipped,
                                  warnings=warnings), group="edits",
                        exit_on_error=False, description=title)


async def bulk_flow(app: App, title: str, edits: list[Edit], *,
                    after: AfterBulk | None = None, skipped: Sequence[tuple[str, str]] = (),
                    warnings: Sequence[str] = ()) -> BulkResult | None:
    """Plan -> (dry run) -> run with progress -> results -> retry failed, as often as asked.
    ``skipped`` (entry, why) and ``warnings`` are shown on the plan."""
    client = app.client  # type: ignore[attr-defined]
    journal = journal_of(app)
    choice = await app.push_screen_wait(BulkPlanScreen(title, edits, skipped=skipped,
                                                       warnings=warnings))
    last: BulkResult | None = None
    while choice:
        if choice == "dry-run":
            dry = await run_bulk(edits, client, None, dry_run=True)
            choice = await app.push_screen_wait(BulkResultScreen(title, dry))
            continue
        last = await app.push_screen_wait(BulkProgressScreen(title, edits, client, journal))
        if after is not None:
            await _call(after, last)
        choice = await app.push_screen_wait(BulkResultScreen(title, last))
        if choice == "retry":
            edits = last.failed_edits()
            choice = "run"
    return last


async def _call(func: Callable[[Any], Any], arg: Any) -> None:
    result = func(arg)
    if hasattr(result, "__await__"):
        await result
