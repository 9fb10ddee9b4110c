"""Hostile bodies on write routes (issue 9 §2): a body nested 100,000 deep gets the family's
400 on every write route (not a 500 or a reset), and a client that closes before sending its
body leaves no traceback — in-process and over a real socket."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from y360tui.emulator.app import create_app
from y360tui.emulator.generate import generate_org
from y360tui.emulator.server import DemoProcess

ROOT = Path(__file__).resolve().parents[2]
DEEP = b"[" * 100_000
ORG = generate_org(20, seed=4, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
APP = create_app(ORG)


def write_routes(org_id: int, uid: str) -> list[tuple[str, str]]:
    """(method, path) of every write route of the emulator, its parameters filled in."""
    fill = {"org_id": str(org_id), "user_id": uid, "member_id": uid, "member_type": "user"}
    out = []
    for route in APP.routes:
        for method in sorted(getattr(route, "methods", None) or ()):
            if method not in ("GET", "HEAD"):
                path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: fill.get(m.group(1), "1"),
                              route.path)
                out.append((method, path))
    return out


ROUTES = write_routes(ORG.id, ORG.admin_uid)


def content_type(path: str) -> str:
    return "application/x-www-form-urlencoded" if path.startswith("/token") \
        else "application/json"


def test_there_are_many_write_routes() -> None:
    assert len(ROUTES) >= 27


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_deeply_nested_json_gets_the_familys_400(method: str, path: str) -> None:
    transport = httpx.ASGITransport(app=APP)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
        reply = await client.request(method, path, content=DEEP, headers={
            "Authorization": f"OAuth {ORG.admin_token}", "X-Org-ID": str(ORG.id),
            "Content-Type": content_type(path)})
    assert reply.status_code == 400, reply.text[:200]
    body = reply.json()
    if path.startswith("/token"):
        assert body["error"]  # the oauth family: a form body is never JSON
    elif path.startswith("/v1/disk"):
        assert body["description"] == "request body is not valid JSON"
    else:
        assert body["code"] == 3 and body["message"] == "request body is not valid JSON"


async def test_a_client_gone_before_its_body_gets_a_400_and_no_exception() -> None:
    sent: list[dict] = []
    scope = {"type": "http", "method": "PATCH", "http_version": "1.1", "scheme": "http",
             "path": f"/directory/v1/org/{ORG.id}/users/{ORG.admin_uid}", "raw_path": b"",
             "root_path": "", "query_string": b"", "server": ("t", 80), "client": ("c", 1),
             "headers": [(b"authorization", f"OAuth {ORG.admin_token}".encode()),
                         (b"content-type", b"application/json")]}
    messages = iter([{"type": "http.request", "body": b'{"posi', "more_body": True},
                     {"type": "http.disconnect"}])

    async def receive() -> dict:
        return next(messages)

    async def send(message: dict) -> None:
        sent.append(message)

    await APP(scope, receive, send)  # raises nothing
    assert sent[0]["status"] == 400
    assert b"incomplete" in sent[1]["body"]


# -- over a real socket ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def server() -> Iterator[DemoProcess]:
    demo = DemoProcess(["--port", "0", "--users", "20", "--seed", "4"], cwd=ROOT)
    try:
        yield demo
    finally:
        demo.stop()


def raw_request(server: DemoProcess, method: str, path: str, body: bytes, *,
                length: int | None = None, close_early: bool = False) -> bytes:
    host, port = server.base_url.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                f"Authorization: OAuth {server.banner['token']}\r\n"
                f"X-Org-ID: {server.org_id}\r\nContent-Type: {content_type(path)}\r\n"
                f"Content-Length: {length if length is not None else len(body)}\r\n\r\n")
        sock.sendall(head.encode() + body)
        if close_early:
            return b""
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data


def test_over_http_every_write_route_answers_400_and_logs_nothing(server: DemoProcess) -> None:
    routes = write_routes(server.org_id, "1130000000000001")
    statuses = {}
    for method, path in routes:
        reply = raw_request(server, method, path, DEEP)
        statuses[(method, path)] = int(reply.split(b" ", 2)[1])
    assert {k: v for k, v in statuses.items() if v != 400} == {}
    for method, path in routes:  # promise 1,000 bytes, send 10, hang up
        raw_request(server, method, path, b'{"name": "', length=1000, close_early=True)
    # One more request after them: the server is still up, and has had time to log.
    reply = raw_request(server, "GET", f"/directory/v1/org/{server.org_id}/users", b"")
    assert reply.startswith(b"HTTP/1.1 200")
    assert "Traceback" not in server.errors()
