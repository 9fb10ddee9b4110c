"""``data.export``: columns, row order and marks, CSV/JSON writing, raw JSON, sources."""

from __future__ import annotations

import csv
import io
import json

import pytest

from y360tui.api.models import User
from y360tui.data.export import (
    ExportError,
    complete,
    default_path,
    export_fields,
    format_of,
    raw_json,
    rows_to_export,
    with_format,
    write_file,
    write_rows,
)
from y360tui.data.paged import Chunk, PagedList
from y360tui.data.query import Field, parse

ROWS = [("1", "ann", "active"), ("2", "bob", "blocked"), ("3", "cid", "active"),
        ("4", "dan", "blocked"), ("5", "eve", "active")]
FIELDS = [Field("id", "Id", lambda r: r[0]), Field("login", "Login", lambda r: r[1]),
          Field("status", "Status", lambda r: r[2]),
          Field("blocked", "Blocked", lambda r: "yes" if r[2] == "blocked" else "no",
                kind="flag", export=False)]


def paged(page_size: int = 2) -> PagedList:
    async def fetch(page: int) -> Chunk:
        start = page * page_size
        return Chunk(ROWS[start:start + page_size], total=len(ROWS))

    return PagedList.random(fetch, page_size)


async def test_complete_loads_every_page_then_filter_and_sort_order_the_rows():
    data = paged()
    await data.load_page(0)
    seen = []
    await complete(data, on_progress=lambda: seen.append(data.loaded_count))
    assert data.complete and seen and seen[-1] == 5
    data.set_filter(parse("blocked:no", FIELDS))
    data.set_sort(lambda r: r[1], reverse=True)
    assert [r[1] for r in rows_to_export(data)] == ["eve", "cid", "ann"]


async def test_marks_win_over_the_filter_in_view_order():
    data = paged()
    await complete(data)
    data.set_sort(lambda r: r[1], reverse=True)
    assert [r[1] for r in rows_to_export(data, {0, 3})] == ["dan", "ann"]
    data.set_filter(parse("status:active", FIELDS))  # row 3 (dan) is hidden: still exported
    assert [r[1] for r in rows_to_export(data, {0, 3})] == ["ann", "dan"]


def test_export_columns_leave_out_filter_only_and_unused_lookup_fields():
    lookup = Field("2fa", "2FA", lambda r: "on", known=lambda r: True)
    fields = [*FIELDS, lookup]
    assert [f.name for f in export_fields(fields)] == ["id", "login", "status"]
    assert [f.name for f in export_fields(fields, parse("2fa:on", fields))] == \
        ["id", "login", "status", "2fa"]


async def test_pending_lookups_are_fetched_for_the_rows_the_rest_lets_through():
    known: dict[str, str] = {}
    asked: list[str] = []
    lookup = Field("2fa", "2FA", lambda r: known.get(r[0], "…"), known=lambda r: r[0] in known)

    async def fetch_values(rows, fields):
        for row in rows:
            asked.append(row[0])
            known[row[0]] = "off" if row[0] in ("2", "3") else "on"

    data = paged()
    await complete(data)
    data.set_filter(parse("2fa:off status:active", [*FIELDS, lookup]))
    await complete(data, fetch_values=fetch_values)
    assert [r[1] for r in rows_to_export(data)] == ["cid"]
    assert sorted(asked) == ["1", "3", "5"]  # blocked rows never asked


def test_csv_and_json_writers():
    out = io.StringIO()
    assert write_rows(ROWS[:2], FIELDS[:3], "csv", out) == 2
    assert out.getvalue() == "id,login,status\n1,ann,active\n2,bob,blocked\n"
    out = io.StringIO()
    write_rows([("6", 'quote "x", comma', "active")], FIELDS[:3], "csv", out)
    assert list(csv.reader(io.StringIO(out.getvalue())))[1][1] == 'quote "x", comma'
    out = io.StringIO()
    write_rows(ROWS[:2], FIELDS[:3], "json", out)
    assert json.loads(out.getvalue()) == [{"id": "1", "login": "ann", "status": "active"},
                                          {"id": "2", "login": "bob", "status": "blocked"}]
    out = io.StringIO()
    write_rows([], FIELDS[:3], "json", out)
    assert json.loads(out.getvalue()) == []
    with pytest.raises(ExportError, match="unknown format"):
        write_rows([], FIELDS, "xml", io.StringIO())


def test_write_file_errors_name_the_path(tmp_path):
    assert write_file(tmp_path / "ok.csv", ROWS, FIELDS[:3], "csv") == 5
    with pytest.raises(ExportError, match=r"cannot write .*nope.*No such file"):
        write_file(tmp_path / "nope" / "x.csv", ROWS, FIELDS, "csv")
    with pytest.raises(ExportError, match="Is a directory"):
        write_file(tmp_path, ROWS, FIELDS, "csv")


def test_paths_and_formats():
    from datetime import datetime

    assert default_path("users", "csv", datetime(2025, 6, 1, 9, 5)) == \
        "./y360tui-users-20250601-0905.csv"
    assert format_of("a/b.JSON") == "json" and format_of("x.txt") == "csv"
    assert with_format("./u.csv", "json") == "./u.json"
    assert with_format("./u.txt", "json") == "./u.txt"


def test_raw_json_dumps_by_wire_name_and_keeps_unknown_fields():
    user = User.model_validate({"id": "7", "nickname": "ann", "departmentId": 3,
                                "isEnabled": True, "aNewField": {"x": 1}})
    data = raw_json(user)
    assert data["nickname"] == "ann" and data["departmentId"] == 3
    assert data["aNewField"] == {"x": 1}


def test_raw_json_of_a_shared_file_dataclass():
    from y360tui.api.models import ResourceShort
    from y360tui.data.links import SharedFile

    owner = User.model_validate({"id": "7", "nickname": "ann"})
    shared = SharedFile(owner, ResourceShort(name="a.txt", path="disk:/a.txt",
                                             public_hash="h"), None, "no access")
    data = raw_json(shared)
    assert data["owner"]["nickname"] == "ann"
    assert data["resource"]["public_hash"] == "h"
    assert data["settingsError"] == "no access"


async def test_departments_source_names_parents():
    from y360tui.data.demo import demo_session
    from y360tui.data.directory import DirectoryCache
    from y360tui.data.sources import departments_source

    session = demo_session(100, 7)
    source = departments_source(DirectoryCache(session.client))
    await complete(source.paged)
    rows = rows_to_export(source.paged)
    by_name = {f.name: f for f in source.fields}
    child = next(d for d in rows if d.parent_id)
    assert by_name["parent"].get(child) == next(d.name for d in rows if d.id == child.parent_id)
    await session.client.aclose()


def test_json_export_types_numbers_flags_and_unknowns():
    """In JSON, a number field is a number, a yes/no flag a boolean, ``…``/empty null; texts
    that are not numbers stay texts. CSV keeps the view's texts."""
    fields = [Field("members", "Members", lambda r: r[0], kind="number"),
              Field("admin", "Admin", lambda r: r[1], kind="flag"),
              Field("2fa", "2FA", lambda r: r[2], kind="flag"),
              Field("id", "Id", lambda r: r[3])]
    rows = [("12", "yes", "…", "0042"), ("2^80", "no", "", "7"), ("1,500", "maybe", "no", "")]
    out = io.StringIO()
    write_rows(rows, fields, "json", out)
    assert json.loads(out.getvalue()) == [
        {"members": 12, "admin": True, "2fa": None, "id": "0042"},
        {"members": "2^80", "admin": False, "2fa": None, "id": "7"},
        {"members": 1500, "admin": "maybe", "2fa": False, "id": None}]
    out = io.StringIO()
    write_rows(rows[:1], fields, "csv", out)
    assert out.getvalue().splitlines()[1] == "12,yes,…,0042"
