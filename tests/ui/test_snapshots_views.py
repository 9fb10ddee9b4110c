"""Snapshots of the audit, shared-files and Tracker views and of a user detail screen, at 80x24
and 160x48, with a fixed org, a fixed clock and zero latency.

Accept changes with ``pytest --snapshot-update`` only after looking at the SVGs as pictures.
"""

from __future__ import annotations

from datetime import datetime

import pytest

SIZES = [(80, 24), (160, 48)]
VIEWS = [("mail-audit", ("4",)), ("audit-events", ("5",)), ("shared-files", ("6",)),
         ("tracker-users", ("7",)), ("user-detail", ("enter",))]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("view", "keys"), VIEWS, ids=[v for v, _ in VIEWS])
def test_view(snap_compare, make_app, small_org, view, keys, size, settle):
    app = make_app(users_page_size=100)
    # The audit windows end at the org's generated "now", whatever the wall clock says.
    now = datetime.fromisoformat(small_org.now.replace("Z", "+00:00"))
    app.clock = lambda: now

    async def run_before(pilot):
        await settle(app, pilot)
        await pilot.press(*keys)
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)

