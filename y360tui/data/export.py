"""Getting data out: a view's rows to CSV or JSON, any object as its API JSON (no widgets).

One path for the TUI (Ctrl+S / E on a view) and ``y360tui export VIEW``:

1. ``complete(paged, …)``: load every page not loaded yet (progress callback; cancelling the
   caller stops it), wait for the rows' follow-ups (department names), then fetch the per-row
   values a filter still waits for (a user's 2FA for ``2fa:off``) for the rows the rest of
   the filter lets through;
2. ``rows_to_export(paged, marked)``: the rows in the view's order (filter and sort applied);
   only the marked ones when marks exist;
3. ``write_rows``/``write_file``: the ``export`` fields (``data.fields``) as CSV (a header of
   field names, then one line per row) or JSON (a list of objects keyed by field name). The
   values are the texts the view shows, so a file says what the screen said; in JSON a
   number field is a JSON number and a yes/no flag a boolean (``json_value``), and a value
   still unknown (``…``) or empty is ``null``, so a script need not parse texts.

Per-row lookup fields (2FA) are exported only when the filter used them: then every exported
row has its value; otherwise exporting them would cost one request per row.

``raw_json(obj)`` is an object as the API sent it: a pydantic model dumped by alias (the
wire's own field names), unknown fields kept (``model_extra``); ``fetch_object`` reads a
directory object by id when a view holds only a compact row of it.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .paged import PagedList
from .query import FLAG, NUMBER, Field, Query

UNKNOWN = "…"  # a per-row value not fetched (yet)

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from .sources import ValueFetch

FORMATS = ("csv", "json")
LOOKUP_BATCH = 200  # per-row values fetched between two re-filters


class ExportError(Exception):
    """The export could not be written; ``str()`` says why, for the user."""


# ---------------------------------------------------------------------- what to export


def export_fields(fields: Sequence[Field], query: Query | None = None) -> list[Field]:
    """The columns: fields marked ``export``; per-row lookup fields only when ``query``
    tests them (see the module docstring)."""
    used = query.lookup_fields if query is not None else []
    return [f for f in fields
            if f.export and (f.known is None or any(f is u for u in used))]


def rows_to_export(paged: PagedList[Any], marked: Iterable[int] = ()) -> list[Any]:
    """The loaded rows in the view's order (filter and sort applied); with ``marked`` list
    positions, only those (shown ones in view order, then any the filter hides)."""
    order: Iterable[int] = paged.index if paged.index is not None else range(paged.slot_count)
    wanted = set(marked)
    rows: list[Any] = []
    if not wanted:
        for i in order:
            row = paged.row(i)
            if row is not None:
                rows.append(row)
        return rows
    seen: set[int] = set()
    for i in order:
        if i in wanted and (row := paged.row(i)) is not None:
            rows.append(row)
            seen.add(i)
    rows.extend(r for i in sorted(wanted - seen) if (r := paged.row(i)) is not None)
    return rows


async def complete(paged: PagedList[Any], *, on_progress: Callable[[], Any] | None = None,
                   fetch_values: ValueFetch | None = None, concurrency: int = 8) -> None:
    """Load every page not loaded yet and the per-row values the filter waits for (see the
    module docstring). Raises the first page's error; cancelling stops it."""
    from ..api.memory import bulk_decode
    from .bulk import load_remaining

    if not paged.complete:
        with bulk_decode():
            await load_remaining(paged, on_progress=on_progress, concurrency=concurrency)
    await paged.settled()
    await fill_pending(paged, fetch_values, on_progress)


async def fill_pending(paged: PagedList[Any], fetch_values: ValueFetch | None,
                       on_progress: Callable[[], Any] | None = None) -> None:
    """Fetch the per-row values the structured filter waits for, ``LOOKUP_BATCH`` rows at a
    time, until no row is pending (or nothing more can be fetched)."""
    query = paged.structured
    if fetch_values is None or query is None or not query.lookups:
        return
    fields = query.lookup_fields
    while paged.structured is query and paged.pending:
        before = len(paged.pending)
        batch = [r for i in paged.pending[:LOOKUP_BATCH] if (r := paged.row(i)) is not None]
        await fetch_values(batch, fields)
        paged.refilter()
        if on_progress is not None:
            on_progress()
        if len(paged.pending) >= before:  # nothing could be fetched: stop asking
            return


# ---------------------------------------------------------------------------- writing


def write_rows(rows: Sequence[Any], fields: Sequence[Field], fmt: str, out: TextIO) -> int:
    """Write ``rows`` as ``fmt`` (``csv``/``json``) to ``out``; returns the row count."""
    names = [f.name for f in fields]
    getters = [f.get for f in fields]
    if fmt == "json":
        getters = [_typed(f) for f in fields]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([get(row) for get in getters] for row in rows)
    elif fmt == "json":
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        out.write("[")
        sep = "\n"
        for row in rows:
            out.write(sep)
            out.write(dumps(dict(zip(names, [get(row) for get in getters], strict=True))))
            sep = ",\n"
        out.write("\n]\n" if rows else "]\n")
    else:
        raise ExportError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    return len(rows)


def json_value(kind: str, text: str) -> Any:
    """A view's text as a JSON value: ``number`` fields as numbers (a text that is not one,
    such as ``2^80``, stays text), ``flag`` fields' yes/no as booleans, ``…``/empty as null."""
    if text in ("", UNKNOWN):
        return None
    if kind == NUMBER:
        for number in (int, float):
            try:
                return number(text.replace(",", "").replace("\u202f", ""))
            except ValueError:
                continue
        return text
    if kind == FLAG and text in ("yes", "no"):
        return text == "yes"
    return text


def _typed(field: Field) -> Callable[[Any], Any]:
    get, kind = field.get, field.kind
    return lambda row: json_value(kind, get(row))


def check_writable(path: str | Path) -> None:
    """``ExportError`` (worded as ``write_file``'s) when ``path`` clearly cannot be written:
    asked before loading every page, so a typo does not cost the whole load."""
    target = Path(path).expanduser()
    parent = target.parent
    if target.is_dir():
        reason = "Is a directory"
    elif not parent.is_dir():
        reason = "No such file or directory"
    elif not os.access(target if target.exists() else parent, os.W_OK):
        reason = "Permission denied"
    else:
        return
    raise ExportError(f"cannot write {target}: {reason}")


def write_file(path: str | Path, rows: Sequence[Any], fields: Sequence[Field],
               fmt: str) -> int:
    """``write_rows`` into the file at ``path`` (created or replaced); an unwritable path is
    an ``ExportError`` naming it and the reason."""
    target = Path(path).expanduser()
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            return write_rows(rows, fields, fmt, out)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"cannot write {target}: {reason}") from None


def default_path(view: str, fmt: str, now: datetime | None = None) -> str:
    """``./y360tui-<view>-YYYYmmdd-HHMM.<fmt>`` (local time)."""
    now = now or datetime.now()
    return f"./y360tui-{view}-{now:%Y%m%d-%H%M}.{fmt}"


def format_of(path: str, default: str = "csv") -> str:
    """The format a path's extension names (``.json`` -> json), else ``default``."""
    ext = Path(path).suffix.lower().lstrip(".")
    return ext if ext in FORMATS else default


def with_format(path: str, fmt: str) -> str:
    """``path`` with its ``.csv``/``.json`` extension switched to ``fmt`` (others kept)."""
    p = Path(path)
    if p.suffix.lower().lstrip(".") in FORMATS:
        return path[: -len(p.suffix)] + "." + fmt
    return path


# -------------------------------------------------------------------------- raw JSON


def raw_json(obj: Any) -> Any:
    """``obj`` as JSON-ready data: models dumped by alias with unknown fields kept;
    dataclasses (a shared file and its owner) field by field in camelCase."""
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", by_alias=True)
    if is_dataclass(obj) and not isinstance(obj, type):
        return {_camel(f.name): raw_json(getattr(obj, f.name)) for f in dataclass_fields(obj)}
    if isinstance(obj, dict):
        return {str(k): raw_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [raw_json(v) for v in obj]
    if isinstance(obj, datetime):
        return obj.isoformat()
    return obj


def raw_text(obj: Any) -> str:
    """``raw_json(obj)`` as indented JSON text."""
    return json.dumps(raw_json(obj), ensure_ascii=False, indent=2)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


async def fetch_object(client: Y360Client, kind: str, ident: str) -> Any:
    """The full object of ``kind`` (user, group, department) with id ``ident``."""
    directory = client.directory
    if kind == "user":
        return await directory.get_user(ident)
    if kind == "group":
        return await directory.get_group(int(ident))
    if kind == "department":
        return await directory.get_department(int(ident))
    raise ValueError(f"no way to fetch a {kind} by id")
