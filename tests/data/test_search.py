"""``data.search``: tiers, several-word candidates, and the exact index of ids/logins/e-mails."""

from __future__ import annotations

from y360tui.data.directory import U_EMAIL, U_ID, U_LOGIN, user_key
from y360tui.data.paged import Chunk, PagedList
from y360tui.data.search import (
    EXACT,
    FUZZY,
    INSIDE,
    PREFIX,
    WORDS,
    ExactIndex,
    candidates_all_words,
    tier,
)


def row(i: int, login: str, name: str) -> tuple[str, ...]:
    return (str(100 + i), login, name, "Sales", "", "active", "", f"{login}@x.ru", "1")


async def loaded(rows) -> PagedList:
    async def fetch(page: int) -> Chunk:
        return Chunk(rows, total=len(rows))

    data = PagedList.random(fetch, len(rows), user_key)
    await data.load_page(0)
    return data


def test_tiers():
    primary = ("p.galkin", "Галкин Павел", "p.galkin@x.ru")
    assert tier(["p.galkin"], primary) == EXACT
    assert tier(["павел", "галкин"], primary) == WORDS
    assert tier(["галк"], primary) == PREFIX
    assert tier(["алки"], primary) == INSIDE
    assert tier(["пгл"], primary) == FUZZY
    assert tier(["петрович"], ("x", "Иванов Иван"), ("Петрович",)) == INSIDE


async def test_several_words_any_order():
    data = await loaded([row(0, "a", "Сергеев Олег"), row(1, "b", "Олегов Сергей"),
                         row(2, "c", "Сергеев Иван")])
    found = candidates_all_words(data, ["олег", "сергеев"])
    assert [r[U_LOGIN] for _, r in found] == ["a"]


async def test_exact_index_follows_the_list():
    data = await loaded([row(0, "ivan", "Иванов Иван"), row(1, "olga", "Ольга")])
    index = ExactIndex(data, (U_ID, U_LOGIN, U_EMAIL))
    assert [r[U_LOGIN] for _, r in index.lookup("IVAN")] == ["ivan"]
    assert [r[U_LOGIN] for _, r in index.lookup("olga@x.ru")] == ["olga"]
    assert [r[U_LOGIN] for _, r in index.lookup("101")] == ["olga"]
    data.replace_row(0, row(0, "ivan2", "Иванов Иван"))
    assert index.lookup("ivan") == [] and index.lookup("ivan2")
