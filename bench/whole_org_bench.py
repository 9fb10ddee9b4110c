"""The whole organisation in the explorer (issue 11 targets in brackets).

    .venv/bin/python bench/whole_org_bench.py [--users 100000] [--latency-ms 80] [--runs 3]

Starts ``demo-server`` (its generation is in no figure), then ``--runs`` fresh child Pythons
each run the explorer as the command line builds it (``--base-url``, token from the
environment), headless at 120x40, and measure from their own first line:

- first users on screen;
- every user, group and department loaded by the app's own background load, i.e. the Users
  view's filter and sort and the palette see the whole org [< 2.5 s at 100k users, 80 ms];
- the palette's search for the last user's login, from the query to the hit [< 50 ms] (an exact
  id/login/e-mail hit is yielded before any scan) and to the end of the search; a surname;
- a department's members once the list is complete (was 3.1 s: "loading every user…");
- RSS with everything loaded [< 300 MB].

Medians over the runs are printed, with best and worst; exit status 1 if a median misses.
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


async def palette_first_hit(app, query: str) -> tuple[float, float, str]:
    """Seconds from a palette query to its first hit (the palette shows hits as they come)
    and to its last, and the best hit's text."""
    from types import SimpleNamespace

    from y360tui.ui.commands import DirectoryCommands

    provider = DirectoryCommands(SimpleNamespace(app=app))  # type: ignore[arg-type]
    t = time.perf_counter()
    hits = []
    first = 0.0
    async for hit in provider.search(query):
        first = first or time.perf_counter() - t
        hits.append(hit)
    elapsed = time.perf_counter() - t
    best = max(hits, key=lambda h: h.score)
    return first, elapsed, str(best.text)


async def child(base_url: str, org_id: int, token: str) -> dict:
    from y360tui.ui import run

    run.startup.pause_gc()
    from y360tui.cli import build_parser
    from y360tui.data.directory import U_DEPT_ID, U_LOGIN
    from y360tui.data.links import Linker

    os.environ.update(Y360_TOKEN=token, Y360_ORG_ID=str(org_id))
    app = run.build_app(build_parser().parse_args(["--base-url", base_url]))
    out: dict = {"load_start": os.getloadavg()[0]}
    async with app.run_test(size=(120, 40)) as pilot:
        cache = app.directory
        while not cache.users.loaded_count:
            await pilot.pause(0.005)
        out["first_users_s"] = time.perf_counter() - T0
        while not (cache.synced_fully and not cache.syncing):
            await pilot.pause(0.005)
        out["whole_org_s"] = time.perf_counter() - T0
        out["users"] = cache.users.loaded_count
        out["groups"] = cache.groups.loaded_count
        last = cache.users.row(cache.users.loaded_count - 1)
        out["palette_s"], out["palette_all_s"], out["palette_hit"] = await palette_first_hit(
            app, last[U_LOGIN])
        surname = last[2].split()[0]
        _, out["palette_surname_s"], _ = await palette_first_hit(app, surname)
        linker = Linker(app.client, cache)
        t = time.perf_counter()
        members = await linker.department_members(int(last[U_DEPT_ID]))
        out["members_s"] = time.perf_counter() - t
        out["members"] = len(members)
        out["rss_mb"] = rss_mb()
    out["load_end"] = os.getloadavg()[0]
    return out


def run_child(server) -> dict:
    raw = subprocess.run(
        [sys.executable, __file__, "--child", server.base_url, str(server.org_id),
         server.token], capture_output=True, text=True, check=True).stdout
    return json.loads(raw.strip().splitlines()[-1])


ROWS = (("first users on screen (s)", "first_users_s", None),
        ("every user, group, department loaded (s)", "whole_org_s", 2.5),
        ("palette: last user's login to its hit (ms)", "palette_s", 0.05),
        ("  to the end of that search (ms)", "palette_all_s", None),
        ("palette: their surname, every hit (ms)", "palette_surname_s", None),
        ("a department's members, list complete (ms)", "members_s", None),
        ("RSS with everything loaded (MB)", "rss_mb", 300))


def report(runs: list[dict]) -> bool:
    ok = True
    print(f"{'measure, ' + str(len(runs)) + ' fresh processes':<46}"
          f"{'median':>9}{'best':>9}{'worst':>9}  target")
    for label, key, target in ROWS:
        scale = 1000 if label.endswith("(ms)") else 1
        values = sorted(r[key] for r in runs)
        med = statistics.median(values)
        mark = "" if target is None else ("✓" if med < target else "✗")
        ok = ok and (target is None or med < target)
        goal = "-" if target is None else f"< {target * scale:g} {mark}"
        print(f"{label:<46}{med * scale:>9.2f}{values[0] * scale:>9.2f}"
              f"{values[-1] * scale:>9.2f}  {goal}")
    return ok


def parent(users: int, latency_ms: float, count: int) -> int:
    sys.path.insert(0, os.path.dirname(__file__))
    from ui_bench import compile_bytecode

    from y360tui.emulator.server import DemoProcess

    compile_bytecode()
    server = DemoProcess(["--users", str(users), "--port", "0",
                          "--latency-ms", str(latency_ms)])
    try:
        runs = [run_child(server) for _ in range(count)]
    finally:
        server.stop()
    first = runs[0]
    print(f"org: {first['users']:,} users, {first['groups']:,} groups from demo-server over "
          f"loopback HTTP, {latency_ms:g} ms added per request; palette hit: "
          f"{first['palette_hit']!r}; members of its department: {first['members']}")
    loads = [r["load_start"] for r in runs] + [r["load_end"] for r in runs]
    print(f"machine: {os.cpu_count()} CPUs, load average (1 min) {min(loads):.2f} to "
          f"{max(loads):.2f}")
    return 0 if report(runs) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("URL", "ORG", "TOKEN"))
    args = parser.parse_args()
    if args.child:
        import asyncio

        url, org, token = args.child
        print(json.dumps(asyncio.run(child(url, int(org), token))))
        return 0
    return parent(args.users, args.latency_ms, args.runs)


if __name__ == "__main__":
    sys.exit(main())
