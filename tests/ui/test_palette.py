"""The command palette's directory search: the whole directory, ranked by tier (exact field,
whole words in any order, word prefixes, inside, fuzzy), then by the fuzzy score."""

from __future__ import annotations

from y360tui.data.search import EXACT, INSIDE, PREFIX, WORDS
from y360tui.ui.commands import TIER_STEP, ranked


def test_ranked_by_tier_then_score():
    petrova = ("e.petrova", "Петрова Елена", "e.petrova@x.ru")
    assert ranked(3.0, ["петр"], petrova) == PREFIX * TIER_STEP + 3.0
    assert ranked(3.0, ["петр"], ("n.kotova", "Котова Нина", "n.kotova@x.ru")) == 3.0
    assert ranked(0.0, ["петр"], ("Котова",)) == 0.0  # no fuzzy match, no tier: no hit
    assert ranked(2.0, ["sales"], ("", "Sales team")) == WORDS * TIER_STEP + 2.0
    assert ranked(0.0, ["елена", "петрова"], petrova) == WORDS * TIER_STEP  # any order
    assert ranked(1.0, ["e.petrova"], petrova) == EXACT * TIER_STEP + 1.0
    assert ranked(1.0, ["etrov"], petrova) == INSIDE * TIER_STEP + 1.0


async def test_surname_hit_comes_before_middle_name_hits(make_app, small_org, settle):
    # The first user whose surname starts with Петров; others have it as a patronymic.
    def name(u):
        return (u["name"]["last"], u["name"]["first"], u["name"].get("middle", ""))

    target = next(u for u in small_org.users.values() if name(u)[0].startswith("Петров"))
    assert any(name(u)[2].startswith("Петров") for u in small_org.users.values())
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
    assert str(hits[0].help) == "user · id 3600"


async def test_prefix_hits_rank_first_among_many_loaded_users():
    rows = [user(i) for i in range(4000)]
    rows[100] = user(100, "o.spetrov", "Спетрова Ольга")  # "petr" inside only
    rows[2500] = user(2500, "p.e.t.r", "Иванова Пэтра")  # "petr" spread out
    rows[3500] = user(3500, "petrov.a", "Петров Алексей")  # a login that starts with it
    hits = await palette_hits(rows, "petr")
    assert [str(h.text).split()[0] for h in hits] == ["petrov.a", "o.spetrov", "p.e.t.r"]
    assert hits[0].score > PREFIX * TIER_STEP > hits[1].score


async def test_several_words_in_any_order_find_the_person_first():
    rows = [user(i) for i in range(5000)]
    rows[4999] = user(4999, "sergeev.oleg", "Сергеев Олег Петрович")
    rows[10] = user(10, "o.sergeeva", "Сергеева Ольга Олеговна")  # both words inside
    rows[20] = user(20, "oleg.s", "Сергеенко Олег")
    for query in ("Сергеев Олег", "олег сергеев", "sergeev.oleg"):
        hits = await palette_hits(rows, query)
        assert str(hits[0].text).split()[0] == "sergeev.oleg", query


async def test_whole_surname_ranks_before_longer_surnames():
    rows = [user(i) for i in range(3000)]
    rows[5] = user(5, "a.galkina", "Галкина Анна")
    rows[2900] = user(2900, "p.galkin", "Галкин Павел")
    rows[2950] = user(2950, "galka.ivan", "Иван Галкинсон")
    hits = await palette_hits(rows, "Галкин")
    assert [str(h.text).split()[0] for h in hits][:3] == ["p.galkin", "a.galkina",
                                                           "galka.ivan"]


async def test_a_loaded_id_is_found_without_the_server():
    rows = [user(i) for i in range(1200)]
    hits = await palette_hits(rows, "2150")  # user 1150's id
    assert str(hits[0].text).split()[0] == "user01150"


async def test_palette_finds_the_last_user_right_after_start(make_app, small_org, settle):
    last = max(small_org.users.values(), key=lambda u: int(u["id"]))
    app = make_app(users_page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *last["nickname"])
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert getattr(app.screen, "ident", None) == last["id"]
