"""Benchmark: a full Directory user sync against ``y360tui demo-server`` (issue 3 §4).

Starts the demo server twice as a subprocess (same org: ``--users``, ``--seed``), once with
the injected latency (default 80 ms, a round trip from a jump host) and once with none, and
syncs every user through the project's typed client (``Y360Client``, ``perPage`` 1000):

- server: generation time (from its banner) and peak RSS (``VmHWM`` of ``/proc/<pid>``);
- sequential sync (one page after the other) vs ``fetch_pages(concurrency=N)``, and pages/s;
- the CPU floor: CPU seconds the server and the client spend on a full sync at 0 ms latency
  (server encode + client decode of every page). CPU time, not wall time, so other work on
  a shared machine does not inflate it; the 0 ms wall times are shown too;
- decoding one 1,000-user page into models (``UsersPage.model_validate_json`` on the bytes).

Each sync runs ``--repeat`` times after an untimed warm-up pass (the server caches each
user's encoded JSON on first read) and the fastest run counts.

Run: ``.venv/bin/python bench/sync_directory.py`` (see bench/README.md for options).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from y360tui.api import bulk_decode  # noqa: E402
from y360tui.api.client import Y360Client  # noqa: E402
from y360tui.api.models import UsersPage  # noqa: E402
from y360tui.api.paging import Page  # noqa: E402
from y360tui.emulator.server import DemoProcess  # noqa: E402

TARGETS = {"generation_s": 10.0, "rss_mb": 600.0, "speedup": 4.0, "floor_ratio": 1.5,
           "decode_ms": 15.0}


@dataclass
class Sync:
    """One full sync: wall time, CPU time on each side, and what it brought back."""

    seconds: float
    client_cpu: float
    server_cpu: float
    users: int
    pages: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument("--per-page", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8,
                        help="requests in flight for fetch_pages (default 8)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each sync; the fastest counts (default 3)")
    parser.add_argument("--decode-runs", type=int, default=30)
    parser.add_argument("--gc", choices=("bulk", "asis"), default="bulk",
                        help="bulk: each sync inside y360tui.api.bulk_decode() (what the app "
                             "does); asis: the collector left alone (default bulk)")
    return parser.parse_args(argv)


def start_server(args: argparse.Namespace, latency_ms: float) -> DemoProcess:
    return DemoProcess(["--port", "0", "--users", str(args.users), "--seed", str(args.seed),
                        "--latency-ms", str(latency_ms)], cwd=str(ROOT))


async def pages_sequential(client: Y360Client, per_page: int, concurrency: int) -> list[Page]:
    """Every page, one after the other (the pager's plain iteration)."""
    return [page async for page in client.directory.users(per_page=per_page)]


async def pages_concurrent(client: Y360Client, per_page: int, concurrency: int) -> list[Page]:
    """Every page with the client's bounded concurrency."""
    return await client.directory.users(per_page=per_page).fetch_pages(concurrency)


async def timed(server: DemoProcess, how: Callable[..., Awaitable[list[Page]]],
                args: argparse.Namespace) -> Sync:
    """The fastest of ``args.repeat`` full syncs done ``how``, on a warm connection."""
    async with Y360Client(server.token, server.org_id, base_url=server.base_url,
                          timeout=120) as client:
        await client.directory.users(per_page=args.per_page).get_page(1)
        runs = []
        for _ in range(args.repeat):
            pages = None
            gc.collect()  # the previous run's pages are gone: start from the same heap
            server_cpu, client_cpu = server.cpu_seconds() or 0.0, time.process_time()
            started = time.perf_counter()
            with bulk_decode() if args.gc == "bulk" else contextlib.nullcontext():
                pages = await how(client, args.per_page, args.concurrency)
            runs.append(Sync(time.perf_counter() - started, time.process_time() - client_cpu,
                             (server.cpu_seconds() or 0.0) - server_cpu,
                             sum(len(p.items) for p in pages), len(pages)))
            gc.unfreeze()  # bulk_decode froze them; they are dropped at the next run
        return min(runs, key=lambda run: run.seconds)


def warm_up(server: DemoProcess, args: argparse.Namespace) -> None:
    """One untimed full pass: the server caches each user's encoded JSON on first read."""
    asyncio.run(timed(server, pages_concurrent, argparse.Namespace(**{**vars(args),
                                                                       "repeat": 1})))


def page_decode_ms(server: DemoProcess, per_page: int, runs: int) -> dict[str, float]:
    """Time to turn one page's bytes into models: fastest and median wall time, fastest
    CPU time of this thread (what the decode itself costs, however busy the machine), with
    the collector as is and paused (as inside ``bulk_decode()``), alternating."""
    raw = httpx.get(f"{server.base_url}/directory/v1/org/{server.org_id}/users",
                    params={"page": 1, "perPage": per_page},
                    headers={"Authorization": f"OAuth {server.token}"}, timeout=60).content
    assert len(UsersPage.model_validate_json(raw).users) == per_page
    wall, cpu, paused = [], [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        UsersPage.model_validate_json(raw)
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
        with bulk_decode(collect=True):  # collect: the page is dropped, nothing to freeze
            started_cpu = time.thread_time()
            UsersPage.model_validate_json(raw)
            paused.append(time.thread_time() - started_cpu)
    return {"decode_ms": min(wall) * 1000, "decode_median_ms": statistics.median(wall) * 1000,
            "decode_cpu_ms": min(cpu) * 1000, "decode_paused_ms": min(paused) * 1000,
            "decode_paused_median_ms": statistics.median(paused) * 1000,
            "page_kb": len(raw) / 1024, "load_decode": os.getloadavg()[0]}


def measure_slow(args: argparse.Namespace) -> dict[str, float]:
    print(f"demo-server: {args.users} users, {args.latency_ms:g} ms latency …", flush=True)
    server = start_server(args, args.latency_ms)
    try:
        figures = {"generation_s": server.generation_seconds,
                   "generation_cpu_s": server.generation_cpu_seconds or 0.0,
                   "rss_mb": (server.status_kb("VmHWM") or 0) / 1024,
                   "load_generation": os.getloadavg()[0]}
        warm_up(server, args)
        seq = asyncio.run(timed(server, pages_sequential, args))
        load_seq = os.getloadavg()[0]
        conc = asyncio.run(timed(server, pages_concurrent, args))
        check_complete(seq, conc)
        figures.update(seq_s=seq.seconds, seq_pps=seq.pages_per_s, conc_s=conc.seconds,
                       conc_pps=conc.pages_per_s, users=conc.users, pages=conc.pages,
                       seq_client_cpu=seq.client_cpu, conc_client_cpu=conc.client_cpu,
                       load_seq=load_seq, load_conc=os.getloadavg()[0],
                       served_rss_mb=(server.status_kb("VmHWM") or 0) / 1024)
    finally:
        server.stop()
    return figures


def measure_floor(args: argparse.Namespace) -> dict[str, float]:
    print("demo-server at 0 ms latency, for the CPU floor …", flush=True)
    server = start_server(args, 0)
    try:
        warm_up(server, args)
        floor = asyncio.run(timed(server, pages_sequential, args))
        load_floor = os.getloadavg()[0]
        piped = asyncio.run(timed(server, pages_concurrent, args))
        check_complete(floor, piped)
        decode = page_decode_ms(server, args.per_page, args.decode_runs)
    finally:
        server.stop()
    return {"floor_wall_s": floor.seconds, "floor_s": floor.client_cpu + floor.server_cpu,
            "floor_client_s": floor.client_cpu, "floor_server_s": floor.server_cpu,
            "piped_s": piped.seconds, "load_floor": load_floor, **decode}


def check_complete(*syncs: Sync) -> None:
    counts = {s.users for s in syncs}
    if len(counts) != 1:
        raise SystemExit(f"syncs disagree on the number of users: {sorted(counts)}")


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(args: argparse.Namespace, f: dict[str, float]) -> list[tuple[str, str, str]]:
    speedup = f["seq_s"] / f["conc_s"]
    floor_ratio = f["conc_s"] / f["floor_s"]
    lat, c, n = f"{args.latency_ms:g} ms", args.concurrency, f["pages"]
    per_page = "client CPU {:.1f} ms/page; load {:.1f}"
    return [
        (f"generation of {args.users} users (CPU)", f"{f['generation_cpu_s']:.2f} s",
         f"< 10 s {verdict(f['generation_cpu_s'] < TARGETS['generation_s'])}"),
        ("  the same in wall time", f"{f['generation_s']:.2f} s",
         f"< 10 s {verdict(f['generation_s'] < TARGETS['generation_s'])}; "
         f"load {f['load_generation']:.1f}"),
        ("server peak RSS after generation", f"{f['rss_mb']:.0f} MB",
         f"< 600 MB {verdict(f['rss_mb'] < TARGETS['rss_mb'])}"),
        ("server peak RSS after the syncs", f"{f['served_rss_mb']:.0f} MB", ""),
        (f"users synced / pages (perPage {args.per_page})", f"{f['users']:.0f} / {n:.0f}",
         f"GC: {args.gc}"),
        (f"sequential sync @ {lat}", f"{f['seq_s']:.2f} s",
         f"{f['seq_pps']:.1f} pages/s; "
         + per_page.format(f["seq_client_cpu"] / n * 1000, f["load_seq"])),
        (f"concurrent sync @ {lat} (concurrency {c})", f"{f['conc_s']:.2f} s",
         f"{f['conc_pps']:.1f} pages/s; "
         + per_page.format(f["conc_client_cpu"] / n * 1000, f["load_conc"])),
        ("  speed-up concurrent vs sequential", f"{speedup:.1f}x",
         f">= 4x {verdict(speedup >= TARGETS['speedup'])}"),
        ("CPU floor @ 0 ms: server + client CPU", f"{f['floor_s']:.2f} s",
         f"server {f['floor_server_s']:.2f} s + client {f['floor_client_s']:.2f} s; "
         f"{f['floor_s'] / n * 1000:.1f} ms/page; load {f['load_floor']:.1f}"),
        ("  concurrent @ latency / CPU floor", f"{floor_ratio:.2f}x",
         f"<= 1.5x {verdict(floor_ratio <= TARGETS['floor_ratio'])}"),
        ("sequential sync @ 0 ms (wall)", f"{f['floor_wall_s']:.2f} s",
         f"{f['floor_wall_s'] / n * 1000:.1f} ms/page"),
        (f"concurrent sync @ 0 ms (wall, c={c})", f"{f['piped_s']:.2f} s", ""),
        (f"decode one {args.per_page}-user page (CPU, GC paused)",
         f"{f['decode_paused_ms']:.1f} ms",
         f"< 15 ms {verdict(f['decode_paused_ms'] < TARGETS['decode_ms'])}; median "
         f"{f['decode_paused_median_ms']:.1f} ms; load {f['load_decode']:.1f}"),
        ("  the same, GC as is (CPU)", f"{f['decode_cpu_ms']:.1f} ms",
         f"< 15 ms {verdict(f['decode_cpu_ms'] < TARGETS['decode_ms'])}"),
        ("  the same, GC as is (wall)", f"{f['decode_ms']:.1f} ms",
         f"median {f['decode_median_ms']:.1f} ms; page {f['page_kb']:.0f} kB"),
    ]


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print()
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>12}  {note}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table; exit 1 if a target was missed."""
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    figures = {**measure_slow(args), **measure_floor(args)}
    rows = report(args, figures)
    print_table(rows)
    # Other work on the machine inflates every wall-clock figure: say how busy it was.
    print(f"\nload average (1 min) before / after: {load_before:.2f} / "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 1 if any("MISSED" in note for _, _, note in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
