"""Getting data out of any screen: export the view, copy a value, see an object's raw JSON.

Keys (plain letters work over SSH and in tmux; none clashes with a view's own keys, the edit
keys of ``forms.actions`` or the app's digits, ``q`` and ``?``):

- ``Ctrl+S`` (k9s's "save") or ``E``: export the view — filtered, sorted, only the marked rows
  when there are marks, every page (the rest is loaded first, with progress; Esc cancels) —
  to CSV or JSON; a small form asks the path and the format;
- ``y`` (lazygit's "copy" menu): copy the id, login/e-mail or name, the whole row as
  tab-separated text or JSON — in a detail, any field's value or the highlighted link — to
  the clipboard with OSC 52 (``App.copy_to_clipboard``: works over SSH and in tmux);
- ``J``: the object's raw JSON, as the API sends it (``data.export.raw_json``).

Screens mix in ``ListDataOut`` (``ListScreen``), ``DetailDataOut`` (detail screens) or
``DepartmentsDataOut`` (the Departments tree); each answers ``export_job()``,
``copy_choices()`` and ``raw_target()`` for what is under its cursor. ``DataOutCommands``
puts the three in the command palette. This module is imported at start-up: the modals and
the export code are imported when a key is pressed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

if TYPE_CHECKING:
    from ..data.paged import PagedList
    from ..data.query import Field

DATA_OUT_ACTIONS = frozenset({"export", "copy_menu", "raw_json"})
# Fields worth a line of their own in the copy menu, in this order (the rest: row, JSON).
COPY_FIELDS = ("id", "uid", "event_id", "target_id", "owner_id", "login", "email", "name",
               "title", "path")
PREVIEW = 60


@dataclass
class ExportJob:
    """What an export writes: the view's list (its filter and sort), fields, marks."""

    view: str  # for the file name: users, mail-audit …
    title: str  # for messages
    paged: PagedList[Any]
    fields: list[Field]
    marked: frozenset[int] = frozenset()
    fetch_values: Callable[[list[Any], list[Field]], Awaitable[None]] | None = None
    query_text: str | None = None  # a filter to apply once loaded (a fresh list)
    # Called with the rows about to be written: values a view reads only for rows on screen
    # (a shared file's access settings) are fetched for every exported row.
    prepare: Callable[[list[Any]], Awaitable[Any]] | None = None


@dataclass
class RawTarget:
    """The object the JSON view shows: ``obj`` at hand, or ``fetch()`` reads it."""

    label: str
    obj: Any = None
    fetch: Callable[[], Awaitable[Any]] | None = None


def slug(text: str) -> str:
    """``Mail audit`` -> ``mail-audit`` (file names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "view"


def one_line(text: str, width: int) -> str:
    """``text`` on one line (tabs shown as ⇥, runs of white space as one space), cut to
    ``width`` characters: what a menu line shows of a row or a JSON object."""
    flat = " ".join(text.replace("\t", " ⇥ ").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def preview(text: str) -> str:
    """The first line of ``text``, cut to ``PREVIEW`` characters, and how many lines follow."""
    lines = text.splitlines() or [""]
    first = lines[0] if len(lines[0]) <= PREVIEW else lines[0][: PREVIEW - 1] + "…"
    return first + (f" (+{len(lines) - 1} lines)" if len(lines) > 1 else "")


def is_object(row: Any) -> bool:
    """A row that is an API object itself (a model or a dataclass such as a shared file)."""
    from dataclasses import is_dataclass

    return hasattr(row, "model_dump") or (is_dataclass(row) and not isinstance(row, type))


def row_json(row: Any, fields: list[Field]) -> str:
    """A row as JSON: an object's own fields, else the view's fields by name."""
    from ..data.export import export_fields, raw_text

    if is_object(row):
        return raw_text(row)
    return json.dumps({f.name: f.get(row) for f in export_fields(fields)}, ensure_ascii=False,
                      indent=2)


def field_choices(row: Any, fields: list[Field]) -> list[tuple[str, str]]:
    """``(label, value)`` of the row's id, login, e-mail, name … (non-empty, no lookups)."""
    by_name = {f.name: f for f in fields}
    out: list[tuple[str, str]] = []
    for name in COPY_FIELDS:
        f = by_name.get(name)
        if f is not None and f.known is None:
            value = str(f.get(row) or "")
            if value and all(value != v for _, v in out):
                out.append((f.label, value))
    return out


class DataOutActions(DOMNode):
    """The keys and their flow; screens answer the three hooks (see the module docstring).

    A ``DOMNode`` so that Textual merges these ``BINDINGS`` with the screen's.
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+s", "export", "Export view…", show=False),
        Binding("E", "export", "Export view…", show=False),
        Binding("y", "copy_menu", "Copy…", show=False),
        Binding("J", "raw_json", "Raw JSON", show=False),
    ]
    CAN_EXPORT: ClassVar[bool] = True

    # ------------------------------------------------------------------ hooks

    def export_job(self) -> ExportJob | None:
        """What Ctrl+S exports here (None: nothing)."""
        return None

    def copy_choices(self) -> list[tuple[str, str]]:
        """``(what, text)`` pairs the copy menu offers for what is under the cursor."""
        return []

    def raw_target(self) -> RawTarget | None:
        """The object ``J`` shows."""
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No export key where there is no list to export (a detail screen)."""
        if action == "export" and not self.CAN_EXPORT:
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    # ------------------------------------------------------------------ actions

    def action_export(self) -> None:
        """Ask the path and format, then export (see the module docstring)."""
        job = self.export_job()
        if job is None:
            self.notify("nothing to export here", severity="warning")  # type: ignore[attr-defined]
            return
        from .forms.data_out import ExportForm, ExportProgress

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self.app.push_screen(ExportProgress(job, *answer))  # type: ignore[attr-defined]

        self.app.push_screen(ExportForm(job), chosen)  # type: ignore[attr-defined]

    def action_copy_menu(self) -> None:
        """The copy menu for what is under the cursor."""
        choices = self.copy_choices()
        if not choices:
            self.notify("nothing to copy here", severity="warning")  # type: ignore[attr-defined]
            return
        from .forms.data_out import CopyMenu

        def chosen(picked: tuple[str, str] | None) -> None:
            if picked is not None:
                self.copy_text(*picked)

        self.app.push_screen(CopyMenu(choices), chosen)  # type: ignore[attr-defined]

    def copy_text(self, what: str, text: str) -> None:
        """Put ``text`` on the clipboard (OSC 52) and say what it was."""
        self.app.copy_to_clipboard(text)  # type: ignore[attr-defined]
        self.notify(f"{what}: {preview(text)}", title="Copied to the clipboard",  # type: ignore[attr-defined]
                    timeout=4)

    def action_raw_json(self) -> None:
        """Open the raw JSON of the object under the cursor."""
        target = self.raw_target()
        if target is None:
            self.notify("no object under the cursor", severity="warning")  # type: ignore[attr-defined]
            return
        from .screens.raw_json import RawJsonScreen

        self.app.push_screen(RawJsonScreen(target))  # type: ignore[attr-defined]


class ListDataOut(DataOutActions):
    """For ``ListScreen``: its list, fields, marks and the row under the cursor."""

    def export_job(self) -> ExportJob | None:
        """The view's list as filtered and sorted, the marked rows if any."""
        crumb = str(getattr(self, "crumb", "") or "view")
        return ExportJob(slug(crumb), crumb, self.data, self.fields(),  # type: ignore[attr-defined]
                         frozenset(self.table.marked), self.fetch_values)  # type: ignore[attr-defined]

    def cursor_row(self) -> Any:
        return self.table.cursor_item  # type: ignore[attr-defined]

    def copy_choices(self) -> list[tuple[str, str]]:
        """Id, login, e-mail, name … of the row, the row as TSV, the row as JSON."""
        row = self.cursor_row()
        if row is None:
            return []
        fields = self.fields()  # type: ignore[attr-defined]
        cells = [str(c) for c in self.cells(row)]  # type: ignore[attr-defined]
        return [*field_choices(row, fields), ("Row (tab-separated)", "\t".join(cells)),
                ("JSON", row_json(row, fields))]

    def raw_ident(self, row: Any) -> tuple[str, str] | None:
        """``(kind, id)`` to fetch the full object of a compact row (None: no such)."""
        kind = getattr(self, "DETAIL_KIND", None)
        target = self.detail_target(row)  # type: ignore[attr-defined]
        return (kind, target[0]) if kind and target else None

    def raw_target(self) -> RawTarget | None:
        """The row itself when it is an API object; else the object fetched by id; else the
        row's fields."""
        row = self.cursor_row()
        if row is None:
            return None
        from ..data.details import title_of

        if is_object(row):
            return RawTarget(title_of(row), row)
        ident = self.raw_ident(row)
        if ident is not None:
            target = self.detail_target(row)  # type: ignore[attr-defined]
            label = target[1] if target else ident[1]
            return fetched_target(self.app, *ident, label=label)  # type: ignore[attr-defined]
        fields = self.fields()  # type: ignore[attr-defined]
        return RawTarget("row", json.loads(row_json(row, fields)))


def fetched_target(app: Any, kind: str, ident: str, label: str = "") -> RawTarget:
    """A ``RawTarget`` read from the API by id (users, groups, departments)."""
    from ..data.export import fetch_object

    return RawTarget(label or ident, None, partial(fetch_object, app.client, kind, ident))


class DetailDataOut(DataOutActions):
    """For detail screens: the object's fields, id, highlighted link, JSON."""

    CAN_EXPORT = False

    def copy_choices(self) -> list[tuple[str, str]]:
        """The id, every field's value, the highlighted link, the object as JSON."""
        obj = getattr(self, "obj", None)
        if obj is None:
            return []
        from ..data.details import describe
        from ..data.export import raw_text

        out: list[tuple[str, str]] = []
        ident = str(getattr(self, "ident", "") or getattr(obj, "id", "") or "")
        if ident:
            out.append(("Id", ident))
        for section in describe(obj).sections:
            for label, value in section.rows:
                if value and value != "—" and all(v != value for _, v in out):
                    out.append((label, value))
        target = self.highlighted_target()  # type: ignore[attr-defined]
        if target is not None and target.drillable:
            out.append((f"Link: {target.label}", str(target.key)))
        out.append(("JSON", raw_text(obj)))
        return out

    def raw_target(self) -> RawTarget | None:
        """The object shown (read by id if it is still loading)."""
        obj = getattr(self, "obj", None)
        crumb = str(getattr(self, "crumb", ""))
        if obj is not None:
            return RawTarget(crumb, obj)
        kind, ident = getattr(self, "KIND", ""), str(getattr(self, "ident", ""))
        if not (kind and ident):
            return None
        return RawTarget(crumb, None, partial(self.linker.load, kind, ident))  # type: ignore[attr-defined]


class DepartmentsDataOut(DataOutActions):
    """For the Departments tree: every department (the tree's filter applied), and the
    department or member under the cursor."""

    def export_job(self) -> ExportJob | None:
        """Every department, as ``y360tui export departments`` writes them."""
        from ..data.sources import departments_source

        source = departments_source(self.app.directory)  # type: ignore[attr-defined]
        return ExportJob("departments", "Departments", source.paged, source.fields,
                         query_text=str(getattr(self, "query_text", "")).strip())

    def _cursor(self) -> tuple[str, Any] | None:
        from textual.widgets import Tree

        node = self.query_one(Tree).cursor_node  # type: ignore[attr-defined]
        return node.data if node is not None and node.data is not None else None

    def copy_choices(self) -> list[tuple[str, str]]:
        """The department's (or member's) id, name, e-mail and JSON."""
        from ..data.export import raw_text
        from ..data.fields import department_fields, user_fields

        data = self._cursor()
        if data is None:
            return []
        kind, value = data
        if kind == "user":
            fields = user_fields()
            return [*field_choices(value, fields), ("JSON", row_json(value, fields))]
        names = self.app.directory.department_names  # type: ignore[attr-defined]
        return [*field_choices(value, department_fields(names)), ("JSON", raw_text(value))]

    def raw_target(self) -> RawTarget | None:
        """The department model; a member read by id."""
        from ..data.directory import U_ID, U_LOGIN

        data = self._cursor()
        if data is None:
            return None
        kind, value = data
        if kind == "user":
            return fetched_target(self.app, "user", value[U_ID], value[U_LOGIN])  # type: ignore[attr-defined]
        return RawTarget(value.name, value)


class DataOutCommands(Provider):
    """Palette entries for the current screen's export, copy and raw JSON."""

    def entries(self) -> list[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        if not isinstance(screen, DataOutActions):
            return []
        out = []
        if screen.CAN_EXPORT:
            out.append(("Export this view to CSV or JSON…", "key Ctrl+S or E",
                        screen.action_export))
        out.append(("Copy to the clipboard…", "key y: id, login, row, JSON",
                    screen.action_copy_menu))
        out.append(("Raw JSON of the object", "key J", screen.action_raw_json))
        return out

    async def discover(self) -> Hits:
        for text, help_text, run in self.entries():
            yield DiscoveryHit(text, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, run in self.entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), run, help=help_text)
