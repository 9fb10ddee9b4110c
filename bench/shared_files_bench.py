"""Shared files at scale (issue 12 targets in brackets).

    .venv/bin/python bench/shared_files_bench.py [--users 100000] [--latency-ms 80]
    .venv/bin/python bench/shared_files_bench.py --users 20000

Starts ``demo-server --users N --latency-ms L`` (its generation is in no figure), then runs
fresh child Pythons that build the explorer as the command line does (``--base-url``, token and
org id from the environment, the inventory cache under a temporary ``XDG_CACHE_HOME``), open
the Shared files view (key 6) headless at 120x40 as the first screen, and measure from their
own first line:

1. **cold start** (empty cache): the first public link on screen [< 3 s]; the likely owners
   (audit logs) scanned; the complete inventory [< 300 s; was 1,956 s at 100k]; requests per
   completed inventory by kind (public-resources, public-settings, audit-log pages) beside the
   directory pages the app loads anyway; the adaptive limit's peak; RSS;
2. **second start** (the cache the first run wrote): the cached inventory on screen [< 1 s],
   its row count, and (``--refresh``) the time to the refreshed inventory.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402 - the clock starts before any import
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def child(base_url: str, org_id: int, token: str, wait_complete: bool) -> dict:
    from y360tui.ui import run

    run.startup.pause_gc()
    from y360tui.cli import build_parser

    os.environ.update(Y360_TOKEN=token, Y360_ORG_ID=str(org_id))
    app = run.build_app(build_parser().parse_args(["--base-url", base_url]))
    app.start_view = "shared-files"
    out: dict = {"load_start": os.getloadavg()[0]}
    async with app.run_test(size=(120, 40)) as pilot:
        while not (getattr(app.screen, "data", None) is not None
                   and app.screen.data.loaded_count):
            await pilot.pause(0.005)
        out["first_link_s"] = time.perf_counter() - T0
        from y360tui.ui.screens.shared_files import session_inventory

        inv = session_inventory(app)
        out["cached_rows"] = len(inv.rows) if inv.cached_at is not None else 0
        out["cache_load_s"] = inv.cache_load_s
        out["status_first"] = app.screen.status_text()
        if wait_complete:
            likely_reported = False
            last = 0.0
            while not inv.complete:
                await pilot.pause(0.05)
                if not likely_reported and inv.phase == "every user":
                    out["likely_done_s"] = time.perf_counter() - T0
                    out["likely_owners"] = inv.likely_found
                    likely_reported = True
                if time.perf_counter() - last > 15:
                    last = time.perf_counter()
                    print(f"  … {app.screen.status_text()}", file=sys.stderr, flush=True)
                if inv.error is not None:
                    raise inv.error
            out["complete_s"] = time.perf_counter() - T0
            out["scan_s"] = time.monotonic() - inv.started_at  # from the run's start
            out["rows"] = len(inv.rows)
            out["owners"] = len(inv.by_owner)
            stats = inv.stats
            out["requests"] = {"public-resources": stats.resources,
                               "public-settings": stats.settings,
                               "audit pages": stats.audit, "total": stats.requests,
                               "429": stats.throttled}
            out["peak_in_flight"] = inv.limit.peak
            out["failed_users"] = len(inv.failed)
            out["status_done"] = app.screen.status_text()
            users = app.directory.users
            out["directory_user_pages"] = users.page_count
        out["rss_mb"] = rss_mb()
        await inv.aclose()
    return out


def run_child(server, cache_home: str, wait_complete: bool) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": cache_home, "PYTHONPATH": str(ROOT)}
    code = ("import asyncio, json, sys; sys.argv[1:] = []; "
            "import bench.shared_files_bench as b; "
            f"print('RESULT ' + json.dumps(asyncio.run(b.child({server.base_url!r}, "
            f"{server.org_id}, {server.token!r}, {wait_complete}))))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), env=env,
                          stdout=subprocess.PIPE, text=True, timeout=3600)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"child failed (status {proc.returncode})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument("--refresh", action="store_true",
                        help="second start: also wait for the refreshed inventory")
    args = parser.parse_args(argv)

    from y360tui.emulator.server import DemoProcess

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "y360tui")],
                   check=False)
    server = DemoProcess(["--port", "0", "--users", str(args.users), "--seed", str(args.seed),
                          "--latency-ms", str(args.latency_ms)], cwd=str(ROOT))
    failed = False
    try:
        with tempfile.TemporaryDirectory() as cache_home:
            print(f"{args.users:,} users, {args.latency_ms:g} ms per request "
                  f"(load {os.getloadavg()[0]:.1f})")
            cold = run_child(server, cache_home, True)
            print(json.dumps(cold, indent=1, ensure_ascii=False))
            warm = run_child(server, cache_home, args.refresh)
            print(json.dumps(warm, indent=1, ensure_ascii=False))
    finally:
        server.stop()
    checks = [
        ("first public link on screen", cold["first_link_s"], 3.0),
        ("complete inventory", cold["complete_s"], 300.0),
        ("second start: cached inventory on screen", warm["first_link_s"], 1.0),
    ]
    for label, value, target in checks:
        ok = value < target
        failed |= not ok
        print(f"{label:42} {value:8.2f} s   target < {target:g} s   {'ok' if ok else 'MISSED'}")
    print(f"requests per completed inventory: {cold['requests']['total']:,} "
          f"({cold['requests']}) + {cold.get('directory_user_pages')} directory user pages; "
          "was 136,956 at 100,000 users")
    print(f"cached rows shown on the second start: {warm['cached_rows']:,} of {cold['rows']:,}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
