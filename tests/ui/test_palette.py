"""The command palette's directory search: prefix hits on a login, surname or email rank above
hits further inside a name (a middle name)."""

from __future__ import annotations

from y360tui.ui.commands import PREFIX_BONUS, ranked


def test_ranked_lifts_prefix_hits_only():
    assert ranked(3.0, "петр", ("e.petrova", "Петрова", "e.petrova@x.ru")) == 3.0 + PREFIX_BONUS
    assert ranked(3.0, "петр", ("n.kotova", "Котова", "n.kotova@x.ru")) == 3.0
    assert ranked(0.0, "петр", ("Петрова",)) == 0.0  # no fuzzy match: still no hit
    assert ranked(2.0, "sales", ("", "Sales team")) == 2.0 + PREFIX_BONUS


async def test_surname_hit_comes_before_middle_name_hits(make_app, small_org, settle):
    # seed 7: tatyana.petrova (Петрова Татьяна) and eleven people whose middle name is
    # Петрович/Петровна.
    target = next(u for u in small_org.users.values() if u["nickname"] == "tatyana.petrova")
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"петр")
        await settle(app, pilot)
        await pilot.press("enter")  # the first hit
        await settle(app, pilot)
        assert getattr(app.screen, "ident", None) == target["id"]


def user(i: int, login: str = "", name: str = "") -> tuple[str, ...]:
    """A users-list row (``user_row`` layout) for user ``i``."""
    login = login or f"user{i:05d}"
    name = name or f"Кузнецова Анна {i}"
    return (str(1000 + i), login, name, "Продажи", "Менеджер", "active", "",
            f"{login}@x.ru", "1")


async def palette_hits(rows: list[tuple[str, ...]], query: str) -> list:
    """What ``DirectoryCommands.search`` yields for ``query`` with ``rows`` loaded, best
    first (as the palette orders them)."""
    from types import SimpleNamespace

    from y360tui.data.directory import user_key
    from y360tui.data.paged import Chunk, PagedList
    from y360tui.ui.commands import DirectoryCommands

    async def fetch(page: int) -> Chunk:
        return Chunk(rows[page * 500:(page + 1) * 500], total=len(rows))

    users = PagedList.random(fetch, 500, user_key)
    for page in range((len(rows) + 499) // 500):
        await users.load_page(page)
    groups = PagedList.random(fetch, 500)
    directory = SimpleNamespace(users=users, groups=groups, departments=[])
    app = SimpleNamespace(directory=directory, blocked=False, client=None,
                          open_detail=lambda *_: None)
    provider = DirectoryCommands(SimpleNamespace(app=app))  # type: ignore[arg-type]
    hits = [hit async for hit in provider.search(query)]
    return sorted(hits, key=lambda hit: -hit.score)


async def test_fuzzy_query_finds_a_user_beyond_the_first_2000_rows():
    rows = [user(i) for i in range(3000)]
    rows[2600] = user(2600, "ivan.petrov", "Петров Иван")
    hits = await palette_hits(rows, "ivptr")  # a subsequence, in no row as a substring
    assert [str(h.text).split()[0] for h in hits] == ["ivan.petrov"]
    assert str(hits[0].help) == "user"


async def test_prefix_hits_rank_first_among_many_loaded_users():
    rows = [user(i) for i in range(4000)]
    rows[100] = user(100, "o.spetrov", "Спетрова Ольга")  # "petr" inside only
    rows[2500] = user(2500, "p.e.t.r", "Иванова Пэтра")  # "petr" spread out
    rows[3500] = user(3500, "petrov.a", "Петров Алексей")  # a login that starts with it
    hits = await palette_hits(rows, "petr")
    assert [str(h.text).split()[0] for h in hits] == ["petrov.a", "o.spetrov", "p.e.t.r"]
    assert hits[0].score > PREFIX_BONUS > hits[1].score
