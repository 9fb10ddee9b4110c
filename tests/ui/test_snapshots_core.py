"""Snapshots of the core views, the departments filter and the help, at 80x24 and 160x48
(fixed org, fixed clock, zero latency).

Accept changes with ``pytest --snapshot-update`` only after looking at the SVGs as pictures.
"""

from __future__ import annotations

import pytest

SIZES = [(80, 24), (160, 48)]
VIEWS = [("users", ()), ("groups", ("3",)), ("departments", ("2",)),
         ("departments-filter", ("2", "slash", *"отчёт", "enter")),
         ("help", ("question_mark",)), ("goto", ("0",))]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("view", "keys"), VIEWS, ids=[v for v, _ in VIEWS])
def test_core_view(snap_compare, make_app, view, keys, size, settle):
    app = make_app(users_page_size=100)

    async def run_before(pilot):
        await settle(app, pilot)
        if keys:
            await pilot.press(*keys)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
