"""Command palette (Ctrl+P) directory search per keystroke on 100,000 loaded users.

    .venv/bin/python bench/palette_bench.py [--users 100000] [--seed 42]

Builds the users list as the app holds it (``user_row`` rows in a ``PagedList`` keyed by
``user_key``, every page loaded), then types each query one character at a time into the real
``DirectoryCommands.search`` (candidates from every loaded row, fuzzy scoring, highlighting)
and times each keystroke, as the palette calls it once per key. The first keystroke of the
first query includes joining the loaded keys into one text (done again only after rows
change). Prints median, p95 and max per keystroke of two figures: the time until the hits
are all in, and the longest stretch the search held the event loop (the search yields between
slices of its scan and its scoring, so keys typed meanwhile are handled; that stretch is what
typing feels). Target: < 30 ms per keystroke; exit status 1 when the longest stretch misses
it. Generating the org (several seconds) is in no figure.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import datetime, timezone
from types import SimpleNamespace

from y360tui.api.models import User
from y360tui.data.directory import U_EMAIL, U_LOGIN, user_key, user_row
from y360tui.data.paged import Chunk, PagedList
from y360tui.emulator.generate import generate_org
from y360tui.ui.commands import DirectoryCommands

TARGET_MS = 30.0
PAGE = 1000


def build_users(count: int, seed: int) -> PagedList:
    """A fully loaded users list of a generated org, as ``DirectoryCache`` builds it."""
    org = generate_org(users=count, seed=seed, now=datetime(2025, 6, 1, tzinfo=timezone.utc))
    rows = [user_row(User.model_validate(u), {}) for u in org.users.values()]

    async def fetch(page: int) -> Chunk:
        return Chunk(rows[page * PAGE:(page + 1) * PAGE], total=len(rows))

    users = PagedList.random(fetch, PAGE, user_key)

    async def load_all() -> None:
        for page in range((len(rows) + PAGE - 1) // PAGE):
            await users.load_page(page)

    asyncio.run(load_all())
    return users


def queries(users: PagedList) -> list[str]:
    """Typical palette queries: a login prefix, a fuzzy abbreviation of a user deep in the
    list, a Cyrillic surname prefix, an e-mail, a typo, and nothing at all."""
    deep = users.row(users.loaded_count - 7)  # far beyond the first 2,000 rows
    login = deep[U_LOGIN]
    first, _, last = login.partition(".")
    abbreviation = first[:2] + (last[:3] if last else first[2:5])
    return ["ser", abbreviation, "петр", deep[U_EMAIL], login[:4] + "x" + login[4:7],
            "zzqx"]


async def type_query(provider: DirectoryCommands,
                     query: str) -> tuple[list[float], list[float], list]:
    """Per keystroke while typing ``query``: milliseconds until its hits are all in, and the
    longest stretch the search kept the event loop to itself (what typing feels: a key
    pressed meanwhile waits that long); and the hits of the full query."""
    times: list[float] = []
    stalls: list[float] = []
    hits: list = []
    for end in range(1, len(query) + 1):
        beat = asyncio.create_task(heartbeat(stall := [0.0]))
        await asyncio.sleep(0)  # the heartbeat runs before the search starts
        start = time.perf_counter()
        hits = [hit async for hit in provider.search(query[:end])]
        times.append((time.perf_counter() - start) * 1000)
        beat.cancel()
        stalls.append(stall[0] * 1000)
    return times, stalls, hits


async def heartbeat(longest: list[float]) -> None:
    """Keep in ``longest[0]`` the longest gap between two turns of the event loop."""
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0)
        now = time.perf_counter()
        longest[0] = max(longest[0], now - last)
        last = now


def main() -> int:
    """Run the benchmark; 1 when a keystroke took longer than the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    users = build_users(args.users, args.seed)
    groups = PagedList.random(lambda page: None, 100)  # type: ignore[arg-type, return-value]
    directory = SimpleNamespace(users=users, groups=groups, departments=[])
    app = SimpleNamespace(directory=directory, blocked=False, client=None,
                          open_detail=lambda *_: None)
    provider = DirectoryCommands(SimpleNamespace(app=app))  # type: ignore[arg-type]
    every: list[float] = []
    stalls: list[float] = []
    for query in queries(users):
        times, stall, hits = asyncio.run(type_query(provider, query))
        every += times
        stalls += stall
        best = sorted(hits, key=lambda h: -h.score)[:3]
        print(f"{query!r:32} max {max(times):6.1f} ms (loop held {max(stall):5.1f} ms) "
              f"{len(hits):3} hits  top: "
              + ", ".join(str(h.text) for h in best))
    print(f"{len(every)} keystrokes on {users.loaded_count} users")
    for label, values in (("hits complete", every), ("event loop held", stalls)):
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"  {label:<16} median {statistics.median(values):5.1f} ms, p95 {p95:5.1f} ms, "
              f"max {values[-1]:5.1f} ms [target < {TARGET_MS:.0f} ms]")
    return 0 if stalls[-1] < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
