"""Fault and latency injection: rates under a seed, wire format of injected errors, and the
httpx errors the in-process transport raises for hangs and drops."""

from __future__ import annotations

import json
from collections import Counter

import httpx
import pytest

from y360tui.emulator.app import create_app
from y360tui.emulator.faults import FaultConfig
from y360tui.emulator.state import Org
from y360tui.emulator.transport import EmulatorTransport

TOKEN = "demo-token"
USERS = "/directory/v1/org/7/users"


def make_org() -> Org:
    """A minimal org: the middleware under test does not care what the routes answer."""
    return Org(id=7, name="Faults", domain="faults.example", admin_token=TOKEN, admin_uid="1",
               now="2025-01-01T00:00:00+00:00",
               tokens={TOKEN: {"uid": "1", "scopes": None}})


def client_for(faults: FaultConfig | None, timeout: float = 5.0) -> httpx.AsyncClient:
    app = create_app(make_org(), faults=faults)
    return httpx.AsyncClient(transport=EmulatorTransport(app), base_url="http://emulator",
                             headers={"Authorization": f"OAuth {TOKEN}"}, timeout=timeout)


async def outcome(client: httpx.AsyncClient, path: str) -> str:
    """What happened to one request: the injected fault kind, or "ok"."""
    try:
        response = await client.get(path)
    except httpx.RemoteProtocolError:
        return "drop"
    return response.headers.get("x-emulator-fault", "ok")


async def outcomes(config: FaultConfig, n: int) -> list[str]:
    async with client_for(config) as client:
        return [await outcome(client, f"{USERS}?page={i}") for i in range(1, n + 1)]


RATES = {"429": 0.1, "500": 0.05, "503": 0.05, "malformed": 0.1, "drop": 0.1}


async def test_each_kind_appears_at_its_rate_deterministically() -> None:
    config = FaultConfig(rates=RATES, seed=11)
    seen = await outcomes(config, 1000)
    counts = Counter(seen)
    for kind, rate in RATES.items():
        # Deterministic for the seed, so a band this narrow cannot flake.
        assert abs(counts[kind] - rate * 1000) < rate * 1000 * 0.4, (kind, counts)
    assert counts["hang"] == 0
    assert dict(config.injected) == {k: v for k, v in counts.items() if k != "ok"}
    assert config.requests == 1000
    assert await outcomes(FaultConfig(rates=RATES, seed=11), 1000) == seen
    assert await outcomes(FaultConfig(rates=RATES, seed=12), 1000) != seen


async def test_jitter_does_not_move_the_faults() -> None:
    calm = await outcomes(FaultConfig(rates=RATES, seed=3), 200)
    jittery = FaultConfig(rates=RATES, seed=3, jitter_ms=1, sleep=_no_wait)
    assert await outcomes(jittery, 200) == calm


FAMILY_PATHS = {
    "api360": USERS,
    "audit": "/v1/auditlog/organizations/7/events",
    "disk": "/v1/disk/public/resources/admin/public-settings",
    "tracker": "/v3/users",
    "oauth": "/token",
}


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_error_faults_carry_integer_retry_after_and_family_body(status: int) -> None:
    config = FaultConfig(rates={str(status): 1.0}, retry_after=2)
    async with client_for(config) as client:
        replies = {name: await client.get(path) for name, path in FAMILY_PATHS.items()}
    for reply in replies.values():
        assert reply.status_code == status
        assert reply.headers["retry-after"] == "2"
        assert reply.headers["x-request-id"]
        assert reply.headers["content-type"].startswith("application/json")
    grpc = {429: 8, 500: 13, 503: 14}[status]
    for name in ("api360", "audit"):
        body = replies[name].json()
        assert body["code"] == grpc and body["message"]
        assert body["details"][0]["requestId"] == replies[name].headers["x-request-id"]
    disk = replies["disk"].json()
    assert set(disk) == {"message", "description", "error"}
    assert disk["error"] == {429: "TooManyRequestsError", 500: "InternalServerError",
                             503: "ServiceUnavailableError"}[status]
    tracker = replies["tracker"].json()
    assert tracker["statusCode"] == status and tracker["errorMessages"]
    assert set(replies["oauth"].json()) == {"error", "error_description"}


async def test_malformed_is_a_200_json_reply_cut_short() -> None:
    async with client_for(None) as client:
        real = (await client.get(USERS)).content
    async with client_for(FaultConfig(rates={"malformed": 1.0})) as client:
        reply = await client.get(USERS)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/json")
    assert 0 < len(reply.content) < len(real) and real.startswith(reply.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.content)


async def test_hang_becomes_a_read_timeout() -> None:
    config = FaultConfig(rates={"hang": 1.0}, hang_seconds=5)
    async with client_for(config, timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(USERS)
    assert config.injected["hang"] == 1


async def test_drop_becomes_a_transport_error() -> None:
    config = FaultConfig(rates={"drop": 1.0})
    async with client_for(config) as client:
        with pytest.raises(httpx.TransportError) as caught:
            await client.get(USERS)
    assert isinstance(caught.value, httpx.RemoteProtocolError)


async def test_faults_only_hit_the_selected_routes() -> None:
    config = FaultConfig(rates={"503": 1.0}, routes=("/v1/disk", "/users"))
    async with client_for(config) as client:
        disk = await client.get(FAMILY_PATHS["disk"])
        users = await client.get(USERS)
        groups = await client.get("/directory/v1/org/7/groups")
        tracker = await client.get("/v3/groups")
    assert disk.status_code == 503 and users.status_code == 503
    assert "x-emulator-fault" not in groups.headers
    assert "x-emulator-fault" not in tracker.headers
    assert config.injected == Counter({"503": 2})


async def test_a_request_is_never_faulted_more_than_three_times_in_a_row() -> None:
    config = FaultConfig(rates={"429": 1.0})
    async with client_for(config) as client:
        statuses = [(await client.get(USERS)).status_code for _ in range(8)]
    assert statuses[:3] == [429, 429, 429]
    assert statuses[3] != 429  # orglib's fourth and last attempt always gets through
    assert statuses[4:7] == [429, 429, 429] and statuses[7] != 429


async def _no_wait(seconds: float) -> None:
    return None


async def test_latency_and_jitter_apply_to_every_request() -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    config = FaultConfig(latency_ms=80, jitter_ms=20, rates={"429": 0.5},
                         routes=("/v1/disk",), sleep=record)
    async with client_for(config) as client:
        for page in range(1, 21):
            await client.get(f"{USERS}?page={page}")  # out of fault scope, still delayed
        for _ in range(5):
            await client.get(FAMILY_PATHS["disk"])
    assert len(slept) == 25
    assert all(0.06 <= s <= 0.1 for s in slept)
    assert len(set(slept)) > 1  # jittered, not fixed


async def test_fixed_latency_without_jitter() -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    async with client_for(FaultConfig(latency_ms=80, sleep=record)) as client:
        await client.get(USERS)
        await client.get("/v3/users")
    assert slept == [0.08, 0.08]


def test_uniform_shares_one_rate_between_kinds() -> None:
    config = FaultConfig.uniform(0.3, ["429", "hang", "drop"], seed=1)
    assert config.rates == pytest.approx({"429": 0.1, "hang": 0.1, "drop": 0.1})
    assert FaultConfig.uniform(0.0, ["429"]).rates == {}


@pytest.mark.parametrize("options", [
    {"rates": {"418": 0.1}},
    {"rates": {"429": 0.7, "500": 0.5}},
    {"rates": {"429": -0.1}},
    {"retry_after": 1.5},
])
def test_invalid_configs_are_refused(options: dict) -> None:
    with pytest.raises(ValueError):
        FaultConfig(**options)
