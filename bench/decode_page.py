"""Decode one 1,000-user ``UsersPage`` into models (issue 3 target: < 15 ms).

Run: .venv/bin/python bench/decode_page.py [--runs N]

The page comes from the emulator over an in-process transport; only the decode is timed.
A bare ``json.loads`` of the same bytes is timed in the same loop (alternating runs) as a
yardstick: on a loaded machine both slow down together, and their ratio stays meaningful.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timezone

import httpx

from y360tui.api import UsersPage
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org


async def fetch_page(per_page: int = 1000) -> bytes:
    """The raw JSON of the first ``per_page`` users of a generated 2,000-user org."""
    org = generate_org(2000, seed=1, now=datetime(2025, 6, 1, tzinfo=timezone.utc))
    transport = httpx.ASGITransport(create_app(org))
    async with httpx.AsyncClient(transport=transport, base_url="http://emu") as http:
        response = await http.get(f"/directory/v1/org/{org.id}/users",
                                  params={"perPage": per_page},
                                  headers={"Authorization": f"OAuth {org.admin_token}"})
    response.raise_for_status()
    return response.content


def cpu_ms(action: Callable[[], object]) -> float:
    """CPU milliseconds one call of ``action`` takes (CPU time: load elsewhere adds little)."""
    start = time.thread_time()
    action()
    return (time.thread_time() - start) * 1000


def measure(body: bytes, runs: int) -> dict[str, list[float]]:
    """CPU times of the model decode and of a bare ``json.loads``, interleaved."""
    UsersPage.model_validate_json(body)  # warm-up: schema build, string caches
    json.loads(body)
    times: dict[str, list[float]] = {"models": [], "json.loads": []}
    for _ in range(runs):
        times["models"].append(cpu_ms(lambda: UsersPage.model_validate_json(body)))
        times["json.loads"].append(cpu_ms(lambda: json.loads(body)))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    body = asyncio.run(fetch_page())
    assert len(UsersPage.model_validate_json(body).users) == 1000
    times = measure(body, args.runs)
    print(f"1000-user page, {len(body) / 1024:.0f} KiB, {args.runs} runs, CPU ms:")
    for name, values in times.items():
        print(f"  {name:<11} min {min(values):6.2f}  median {statistics.median(values):6.2f}")
    ratio = min(times["models"]) / min(times["json.loads"])
    print(f"  models / json.loads (min): {ratio:.2f}x")


if __name__ == "__main__":
    main()
