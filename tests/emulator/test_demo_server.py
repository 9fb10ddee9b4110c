"""``y360tui demo-server`` over real loopback HTTP: banner, paging, auth errors, a real drop."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from y360tui.emulator.server import DemoProcess, bind

ROOT = Path(__file__).resolve().parents[2]
USERS = 200


@pytest.fixture(scope="module")
def server() -> Iterator[DemoProcess]:
    # Every /departments request is dropped mid-response; other routes are left alone.
    demo = DemoProcess(["--port", "0", "--users", str(USERS), "--seed", "5", "--fault-rate",
                        "1", "--faults", "drop", "--fault-routes", "/departments"], cwd=ROOT)
    try:
        yield demo
    finally:
        demo.stop()


@pytest.fixture()
def http(server: DemoProcess) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"OAuth {server.banner['token']}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as client:
        yield client


def test_banner_names_a_real_port_the_org_and_a_curl_line(server: DemoProcess) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert not server.base_url.endswith(":0")
    assert server.banner["org id"].isdigit()
    assert server.banner["token"] in server.banner["try"]
    assert f"/directory/v1/org/{server.banner['org id']}/users" in server.banner["try"]
    assert server.banner["generated"].startswith(f"{USERS} users")
    # wall and CPU time of the generation, both read back by the benchmark
    assert server.generation_seconds >= 0
    assert server.generation_cpu_seconds is not None and server.generation_cpu_seconds >= 0


def test_paging_through_every_user_over_http(server: DemoProcess, http: httpx.Client) -> None:
    path = f"/directory/v1/org/{server.banner['org id']}/users"
    first = http.get(path, params={"page": 1, "perPage": 30}).json()
    total, pages = first["total"], first["pages"]
    assert 0 < total <= USERS
    assert pages == -(-total // 30)
    ids: list[str] = []
    for page in range(1, pages + 2):  # one past the end: 200 with an empty list
        reply = http.get(path, params={"page": page, "perPage": 30})
        assert reply.status_code == 200
        body = reply.json()
        assert (body["page"], body["perPage"], body["total"]) == (page, 30, total)
        ids += [user["id"] for user in body["users"]]
    assert len(ids) == total == len(set(ids))
    assert all(isinstance(uid, str) for uid in ids)


@pytest.mark.parametrize("authorization", [None, "OAuth not-a-token"])
def test_a_bad_token_gets_401_with_the_api360_body(
        server: DemoProcess, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    reply = httpx.get(f"{server.base_url}/directory/v1/org/{server.banner['org id']}/users",
                      headers=headers)
    assert reply.status_code == 401
    body = reply.json()
    assert body["code"] == 16 and body["message"]
    assert body["details"][0]["@type"] == "type.googleapis.com/google.rpc.RequestInfo"


def test_an_injected_drop_breaks_the_real_connection(
        server: DemoProcess, http: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(f"/directory/v1/org/{server.banner['org id']}/departments")
    # uvicorn logs an app exception before closing the socket: the drop stays quiet.
    assert "Traceback" not in server.errors()


def test_ctrl_c_stops_the_server_cleanly() -> None:
    demo = DemoProcess(["--port", "0", "--users", "20"], cwd=ROOT)
    assert demo.stop() == 0


async def test_accepted_connections_disable_nagle() -> None:
    # Without TCP_NODELAY every small reply waits ~40 ms for a delayed ACK.
    sock = bind("127.0.0.1", 0)
    loop = asyncio.get_running_loop()
    nodelay: asyncio.Future[int] = loop.create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            raw = transport.get_extra_info("socket")
            nodelay.set_result(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await loop.create_server(Probe, sock=sock)
    async with server:
        _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        assert await nodelay != 0
        writer.close()


def test_an_unknown_fault_kind_is_refused_before_generating() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "y360tui", "demo-server", "--port", "0", "--fault-rate", "0.1",
         "--faults", "429,418"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "418" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
