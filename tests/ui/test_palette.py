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
