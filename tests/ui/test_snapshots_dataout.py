"""Snapshots of the raw JSON view (a user read by id from the Users list; a mail event row)
and of the copy menu, at 80x24 and 160x48, with a fixed org, clock and zero latency.

Accept changes with ``pytest --snapshot-update`` only after looking at the SVGs as pictures.
"""

from __future__ import annotations

from datetime import datetime

import pytest

SIZES = [(80, 24), (160, 48)]
CASES = [("user-json", ("J",)), ("mail-event-json", ("4", "J")), ("copy-menu", ("y",))]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(("case", "keys"), CASES, ids=[c for c, _ in CASES])
def test_data_out(snap_compare, make_app, small_org, case, keys, size, settle):
    app = make_app(users_page_size=100, sync=False)
    now = datetime.fromisoformat(small_org.now.replace("Z", "+00:00"))
    app.clock = lambda: now

    async def run_before(pilot):
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
