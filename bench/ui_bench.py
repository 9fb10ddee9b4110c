"""Explorer benchmark on a 100,000-user demo org (issue 4 targets in brackets).

    .venv/bin/python bench/ui_bench.py [--users 100000]

The parent starts ``demo-server`` (its generation time is not the UI's), then runs a fresh
child Python that measures, from its own first line:

- import time of the app modules;
- time to the first users on screen [< 0.6 s after Python starts]: app built, headless
  Textual app started at 120x40, first users page fetched over loopback HTTP and rendered;
- RSS with every user loaded into the Users list [< 250 MB];
- filter per keystroke over all loaded rows [< 30 ms]: ``LazyTable.set_filter`` plus rendering
  the visible lines, for each prefix of a typed word and for a fresh (non-narrowing) word;
- page-down latency [< 16 ms]: the action plus rendering every visible line.

Figures are printed as a table; the child's raw numbers are JSON on its stdout.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before any import
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402


def rss_mb() -> float:
    """Current resident set size of this process (Linux /proc), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def render_visible(table) -> None:
    """Render every line on screen, as a refresh would."""
    table.render_lines(table.scrollable_content_region.reset_offset)


async def child(base_url: str, org_id: int, token: str) -> dict:
    from textual.geometry import Region  # noqa: F401 - part of the measured imports

    from y360tui.api.client import Y360Client
    from y360tui.ui.app import Y360App
    from y360tui.ui.screens.users import UsersScreen

    t_import = time.perf_counter() - T0
    client = Y360Client(token, org_id, base_url=base_url)
    app = Y360App(client, org_name="bench", profile="bench")
    out: dict = {"import_s": t_import}
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, UsersScreen) and app.screen.data.loaded_count):
            await pilot.pause()
        screen = app.screen
        table = screen.table
        await pilot.pause()
        render_visible(table)
        out["first_users_s"] = time.perf_counter() - T0
        t = time.perf_counter()
        await app.directory.load_all_users(concurrency=4)
        out["load_all_s"] = time.perf_counter() - t
        table.refresh_rows()
        await pilot.pause()
        out["loaded"] = app.directory.users.loaded_count
        out["rss_mb"] = rss_mb()
        filters = []
        for word in ("ivan", "sergeev", "отдел"):
            for n in range(1, len(word) + 1):
                t = time.perf_counter()
                table.set_filter(word[:n])
                render_visible(table)
                filters.append(time.perf_counter() - t)
            t = time.perf_counter()
            table.set_filter("")
            render_visible(table)
            filters.append(time.perf_counter() - t)
        out["filter_ms"] = [round(x * 1000, 2) for x in filters]
        pages = []
        for _ in range(200):
            t = time.perf_counter()
            table.action_page_down()
            render_visible(table)
            pages.append(time.perf_counter() - t)
        out["pagedown_ms"] = [round(x * 1000, 3) for x in pages]
        t = time.perf_counter()
        table.action_last()
        render_visible(table)
        out["end_ms"] = round((time.perf_counter() - t) * 1000, 3)
    return out


def parent(users: int) -> int:
    from y360tui.emulator.server import DemoProcess

    server = DemoProcess(["--users", str(users), "--port", "0"])
    try:
        raw = subprocess.run(
            [sys.executable, __file__, "--child", server.base_url, str(server.org_id),
             server.token], capture_output=True, text=True, check=True).stdout
    finally:
        server.stop()
    result = json.loads(raw.strip().splitlines()[-1])
    f, p = result["filter_ms"], result["pagedown_ms"]
    print(f"users: {result['loaded']:,} (server generation {server.generation_seconds:.1f} s)")
    print(f"import of the app modules:        {result['import_s'] * 1000:7.0f} ms")
    print(f"first users on screen:            {result['first_users_s'] * 1000:7.0f} ms"
          "   [< 600 ms after Python starts]")
    print(f"load every user (4 concurrent):   {result['load_all_s'] * 1000:7.0f} ms")
    print(f"RSS with all users loaded:        {result['rss_mb']:7.0f} MB   [< 250 MB]")
    print(f"filter per keystroke:  median {statistics.median(f):6.1f} ms, max {max(f):6.1f} ms"
          "   [< 30 ms]")
    p95 = sorted(p)[int(len(p) * 0.95)]
    print(f"page down:             median {statistics.median(p):6.2f} ms, p95 {p95:6.2f} ms, "
          f"max {max(p):6.2f} ms   [< 16 ms]")
    print(f"end (jump to last row):        {result['end_ms']:6.2f} ms")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--child", nargs=3, metavar=("URL", "ORG", "TOKEN"))
    args = parser.parse_args()
    if args.child:
        import asyncio

        url, org, token = args.child
        print(json.dumps(asyncio.run(child(url, int(org), token))))
        return 0
    return parent(args.users)


if __name__ == "__main__":
    sys.exit(main())
