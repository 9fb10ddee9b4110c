"""Measure decoding one 1,000-user page into models (target < 15 ms).

Run: .venv/bin/python tests/api/measure_decode.py
The page comes from the emulator over an in-process transport; only the decode is timed.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import datetime, timezone

import httpx

from y360tui.api import UsersPage
from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org


async def fetch_page() -> bytes:
    org = generate_org(2000, seed=1, now=datetime(2025, 6, 1, tzinfo=timezone.utc))
    transport = httpx.ASGITransport(create_app(org))
    async with httpx.AsyncClient(transport=transport, base_url="http://emu") as http:
        response = await http.get(f"/directory/v1/org/{org.id}/users",
                                  params={"perPage": 1000},
                                  headers={"Authorization": f"OAuth {org.admin_token}"})
    response.raise_for_status()
    return response.content


def main() -> None:
    body = asyncio.run(fetch_page())
    UsersPage.model_validate_json(body)  # warm-up
    wall, cpu = [], []
    for _ in range(30):
        start, start_cpu = time.perf_counter(), time.process_time()
        page = UsersPage.model_validate_json(body)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    assert len(page.users) == 1000
    print(f"1000-user page, {len(body) / 1024:.0f} KiB, 30 runs: wall median "
          f"{statistics.median(wall):.2f} ms (min {min(wall):.2f}), CPU median "
          f"{statistics.median(cpu):.2f} ms (min {min(cpu):.2f})")


if __name__ == "__main__":
    main()
