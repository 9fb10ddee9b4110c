"""Explorer benchmark on a 100,000-user demo org (issue 4 targets in brackets).

    .venv/bin/python bench/ui_bench.py [--users 100000]

The parent starts ``demo-server`` as a subprocess and waits until it listens: generating the
100k-user org takes the *server* ~20 s and is not in any figure (a real Yandex 360 has its data
already). Then a fresh child Python measures, from its own first line:

- import time of the app modules (textual, httpx, pydantic models, the Users view), in the
  order the command line imports them (``y360tui.ui.run`` first);
- time to the first users on screen [< 0.6 s after Python starts]: app built, headless Textual
  app started at 120x40, first users request sent over loopback HTTP, decoded, and the first
  frame composed with user rows in it (the moment Textual renders the table's lines with rows
  loaded; a headless driver composes frames like a terminal one, it only writes nothing);
- RSS with every user loaded into the Users list [< 250 MB];
- filter per keystroke over all loaded rows [< 30 ms]: ``LazyTable.set_filter`` plus rendering
  the table as the compositor does, for each prefix of typed words and for clearing them;
- page-down latency [< 16 ms]: the action plus rendering the table, 200 times in a row.

The machine is shared: the load average (1 min) is printed before and after, to judge noise.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before any import
import json  # noqa: E402
import os  # noqa: E402
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
    """Render the table as the compositor does on a refresh: its whole region (the scrollbar's
    column included, so Textual crops nothing)."""
    from textual.geometry import Region

    table.render_lines(Region(0, 0, *table.size))


def watch_first_paint(out: dict) -> None:
    """Record when Textual first composes the table with loaded rows in it."""
    from y360tui.ui.widgets.lazy_table import LazyTable

    original = LazyTable.render_lines

    def render_lines(self, crop):
        lines = original(self, crop)
        if "first_users_s" not in out and self.data.loaded_count:
            out["first_users_s"] = time.perf_counter() - T0
        return lines

    LazyTable.render_lines = render_lines  # type: ignore[method-assign]


async def child(base_url: str, org_id: int, token: str) -> dict:
    from textual.geometry import Region  # noqa: F401 - part of the measured imports

    import y360tui.ui.run  # noqa: F401 - first, as the command line does (skips httpx's CLI)
    from y360tui.api.client import Y360Client
    from y360tui.ui.app import Y360App
    from y360tui.ui.screens.users import UsersScreen

    t_import = time.perf_counter() - T0
    out: dict = {"import_s": t_import, "load_start": os.getloadavg()[0]}
    watch_first_paint(out)
    client = Y360Client(token, org_id, base_url=base_url)
    app = Y360App(client, org_name="bench", profile="bench")
    async with app.run_test(size=(120, 40)) as pilot:
        while "first_users_s" not in out:
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        table = screen.table
        await app.workers.wait_for_complete()
        t = time.perf_counter()
        await app.directory.load_all_users(concurrency=4)
        out["load_all_s"] = time.perf_counter() - t
        table.refresh_rows()
        await pilot.pause()
        await app.workers.wait_for_complete()
        out["loaded"] = app.directory.users.loaded_count
        out["rss_mb"] = rss_mb()
        filters = []
        for word in ("ivan", "sergeev", "отдел", "руководитель"):
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
    out["load_end"] = os.getloadavg()[0]
    return out


def stats(values: list[float]) -> tuple[float, float, float]:
    """Median, 95th percentile (nearest rank) and maximum."""
    ordered = sorted(values)
    return (statistics.median(ordered), ordered[max(0, -(-len(ordered) * 95 // 100) - 1)],
            ordered[-1])


def parent(users: int) -> int:
    from y360tui.emulator.server import DemoProcess

    server = DemoProcess(["--users", str(users), "--port", "0"])
    try:
        raw = subprocess.run(
            [sys.executable, __file__, "--child", server.base_url, str(server.org_id),
             server.token], capture_output=True, text=True, check=True).stdout
    finally:
        server.stop()
    r = json.loads(raw.strip().splitlines()[-1])
    print(f"users: {r['loaded']:,} from demo-server over loopback HTTP (its org generation, "
          f"{server.generation_seconds:.1f} s, happened before timing and is in no figure)")
    print(f"machine: {os.cpu_count()} CPUs, load average (1 min) {r['load_start']:.2f} at "
          f"start, {r['load_end']:.2f} at end")
    print(f"{'measure':<44}{'median':>9}{'p95':>9}{'max':>9}  target")
    print(f"{'import of the app modules (ms)':<44}{r['import_s'] * 1000:>9.0f}{'':>18}  -")
    print(f"{'first users on screen, from Python start (ms)':<44}"
          f"{r['first_users_s'] * 1000:>9.0f}{'':>18}  < 600")
    print(f"{'  of which after the imports (ms)':<44}"
          f"{(r['first_users_s'] - r['import_s']) * 1000:>9.0f}")
    for label, values, target in (
            (f"filter per keystroke, {len(r['filter_ms'])} keys (ms)", r["filter_ms"], "< 30"),
            (f"page down, {len(r['pagedown_ms'])} presses (ms)", r["pagedown_ms"], "< 16")):
        med, p95, top = stats(values)
        print(f"{label:<44}{med:>9.2f}{p95:>9.2f}{top:>9.2f}  {target}")
    print(f"{'end: jump to the last row (ms)':<44}{r['end_ms']:>9.2f}")
    print(f"{'load every user, 4 requests at a time (s)':<44}{r['load_all_s']:>9.1f}")
    print(f"{'RSS with all users loaded (MB)':<44}{r['rss_mb']:>9.0f}{'':>18}  < 250")
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
