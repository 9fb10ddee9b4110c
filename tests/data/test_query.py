"""The filter language (``data.query``) over user rows, and a ``PagedList`` filtered by it."""

from __future__ import annotations

import pytest

from y360tui.data.directory import user_key
from y360tui.data.fields import group_fields, user_fields
from y360tui.data.paged import Chunk, LookupCache, PagedList
from y360tui.data.query import QueryError, parse

ROWS = [
    ("1", "ivan", "Петров Иван", "Sales", "manager", "active", "admin", "ivan@x.ru", "5"),
    ("2", "olga", "Сергеева Ольга", "IT", "developer", "blocked", "", "olga@x.ru", "6"),
    ("3", "bot", "Robot", "IT", "", "active", "robot", "bot@x.ru", "6"),
    ("4", "old", "Старый Пётр", "Customer care", "", "dismissed", "", "old@x.ru", "1"),
]


async def loaded(rows=ROWS) -> PagedList:
    async def fetch(page: int) -> Chunk:
        return Chunk(list(rows), total=len(rows))

    data = PagedList.random(fetch, 100, user_key)
    await data.load_page(0)
    return data


def logins(data: PagedList) -> list[str]:
    index = data.index if data.index is not None else range(data.loaded_count)
    return [data.row(i)[1] for i in index]


@pytest.mark.parametrize(("text", "expected"), [
    ("status:blocked", ["olga"]),
    ("status:block", ["olga"]),  # a choice matches by prefix
    ("admin:yes", ["ivan"]),
    ("admin:no", ["olga", "bot", "old"]),
    ("-status:active", ["olga", "old"]),
    ("!status:active", ["olga", "old"]),
    ("dept:it -robot:yes", ["olga"]),
    ('dept:"customer care"', ["old"]),
    ("dept:=it", ["olga", "bot"]),
    ("role:robot", ["bot"]),
    ("/^серг/", ["olga"]),
    ("name:/ив.н$/", ["ivan"]),
    ("иван петров", ["ivan"]),  # plain words, any order
    ("dept_id:>5", ["olga", "bot"]),
    ("dept_id:1..5", ["ivan", "old"]),
    ("status:active,blocked", ["ivan", "olga", "bot"]),
    ("status:", ["ivan", "olga", "bot", "old"]),  # still typing: no test yet
    ("-it", ["ivan", "old"]),
    ("10:30", []),  # not a field: a plain word
])
async def test_structured_filters(text, expected):
    data = await loaded()
    data.set_filter(parse(text, user_fields()))
    assert logins(data) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("colour:red", "no field “colour” here; fields: id, login"),
    ("status:gone", "status is one of active, blocked, dismissed"),
    ("admin:maybe", "admin is yes or no"),
    ("dept_id:>x", "dept_id takes a number"),
    ("name:/[/", "bad regular expression"),
])
def test_bad_filters_say_why(text, message):
    with pytest.raises(QueryError, match=message.split("“")[0]) as err:
        parse(text, user_fields())
    assert message in str(err.value)


def test_any_text_parses_or_says_why():
    for text in ('"', "a:b:c", ":", "-", "!", "//", "/", "dept:'x", "\\", "é:1", "¹:2"):
        query = parse(text, user_fields(), strict=False)  # never raises anything
        assert all(isinstance(p, str) for p in query.problems)


async def test_per_row_values_are_pending_until_fetched():
    fetched: list[str] = []

    async def two_fa(uid: str):
        from y360tui.api.models import UserTwoFA

        fetched.append(uid)
        return UserTwoFA(user_id=uid, has2fa=uid == "1")

    cache = LookupCache(two_fa)
    data = await loaded()
    data.set_filter(parse("2fa:off dept:it", user_fields(cache)))
    # Nothing known yet: the IT rows wait, the others are out without a fetch.
    assert logins(data) == [] and [data.row(i)[1] for i in data.pending] == ["olga", "bot"]
    await cache.load(data.row(i)[0] for i in data.pending)
    data.refilter()
    assert logins(data) == ["olga", "bot"] and data.pending == []
    assert sorted(fetched) == ["2", "3"]  # only the rows the rest of the filter let through


async def test_rows_arriving_later_are_filtered_too():
    pages = [ROWS[:2], ROWS[2:]]

    async def fetch(page: int) -> Chunk:
        return Chunk(list(pages[page]), total=4)

    data = PagedList.random(fetch, 2, user_key)
    await data.load_page(0)
    data.set_filter(parse("dept:it", user_fields()))
    assert logins(data) == ["olga"]
    await data.load_all()
    assert logins(data) == ["olga", "bot"] and data.complete


async def test_group_members_number_filter():
    rows = [("1", "a", "generic", "0", "", ""), ("2", "b", "generic", "12", "", "")]

    async def fetch(page: int) -> Chunk:
        return Chunk(rows, total=2)

    data = PagedList.random(fetch, 10)
    await data.load_page(0)
    data.set_filter(parse("members:0", group_fields()))
    assert [data.row(i)[1] for i in data.index] == ["a"]


def test_a_lone_negation_sign_is_still_being_typed():
    assert parse("-", user_fields()).empty and parse("!", user_fields()).empty


def test_cli_filter_may_start_with_a_dash():
    from y360tui.cli import _glued_filters

    assert _glued_filters(["export", "users", "--filter", "-status:active", "--demo"]) == [
        "export", "users", "--filter=-status:active", "--demo"]
