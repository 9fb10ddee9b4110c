"""Latency and fault injection for the emulator, deterministic under a seed (issue 3 §3).

``FaultMiddleware`` is a pure ASGI middleware (it sits in the hot path of the 100k-user paging
benchmark, so no ``BaseHTTPMiddleware`` and no per-request task). For every request it:

1. sleeps ``latency_ms`` plus a jitter drawn uniformly from ``[-jitter_ms, +jitter_ms]``
   (never below zero) — on every request, faulted or not, in scope or not: latency models the
   network round trip, which no route escapes;
2. if the request is in scope (``routes`` empty = every path; otherwise the path must start
   with or contain one of the entries; ``methods`` empty = every method, otherwise the method
   must be one of them, e.g. ``("PATCH",)`` to fault a write and not its read-back), draws
   one number from ``random.Random(seed)`` — exactly one draw per in-scope request, in
   arrival order — and picks at most one fault kind by walking ``rates`` in the fixed order
   of ``KINDS``.

Fault kinds:

- ``"429"``, ``"500"``, ``"503"``: the status with the family's error body
  (``errors.error_body``), an ``X-Request-Id`` and an **integer** ``Retry-After`` (reference
  §3.4, §15.27: orglib does ``int(header)``, so ``1.5`` or an HTTP date would crash it);
- ``"hang"``: sleep ``hang_seconds`` (meant to exceed the client's read timeout), then answer
  normally — to a client that has usually gone away;
- ``"malformed"``: ``200``, ``application/json``, with the real answer cut in half: the HTTP
  framing is intact, the JSON is not;
- ``"drop"``: send the response start and half the body, then raise ``DroppedConnection``:
  uvicorn closes the socket mid-response, ``transport.EmulatorTransport`` turns it into
  ``httpx.RemoteProtocolError``.

Faults clear. Draws are independent per request, so a retry gets a fresh chance; on top of
that, the same request (method, path and query) is never faulted more than ``max_streak``
times in a row (default 3): orglib retries at most 3 times and returns ``None`` when every
attempt failed (§15.27), so the fourth attempt of a request always goes through. A request
spared by this rule still consumes its draw, so the sequence of draws stays the same.
The jitter has its own generator (seeded from ``seed``) so turning jitter on does not move
which requests fault.

``FaultConfig.injected`` counts the faults sent per kind and ``FaultConfig.requests`` the
requests seen, for tests and the demo server's summary.
"""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_body

KINDS = ("429", "500", "503", "hang", "malformed", "drop")
ERROR_KINDS = {"429": 429, "500": 500, "503": 503}
ERROR_MESSAGES = {
    429: "too many requests, retry later",
    500: "internal error, retry later",
    503: "service unavailable, retry later",
}


class DroppedConnection(ConnectionError):
    """Raised by the middleware after a partial response to break the connection."""


@dataclass
class FaultConfig:
    """What to inject. ``rates`` maps a kind of ``KINDS`` to the share of requests (0..1)."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    rates: dict[str, float] = field(default_factory=dict)
    retry_after: int = 1  # seconds, sent as a plain integer string
    hang_seconds: float = 30.0
    routes: tuple[str, ...] = ()  # path prefixes or substrings; empty = every path
    methods: tuple[str, ...] = ()  # HTTP methods faults may hit; empty = every method
    seed: int = 0
    max_streak: int = 3  # same request faulted at most this many times in a row
    # The sleep used for latency and hangs; tests inject a recorder instead of waiting.
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)
    injected: Counter = field(default_factory=Counter, repr=False)
    requests: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.rates) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
        if any(rate < 0 for rate in self.rates.values()) or sum(self.rates.values()) > 1 + 1e-9:
            raise ValueError("fault rates must be >= 0 and add up to at most 1")
        if int(self.retry_after) != self.retry_after or self.retry_after < 0:
            raise ValueError("retry_after must be a non-negative whole number of seconds")
        self.routes = tuple(r for r in self.routes if r)
        self.methods = tuple(m.strip().upper() for m in self.methods if m.strip())
        self._rng = random.Random(self.seed)
        self._jitter_rng = random.Random(f"jitter-{self.seed}")
        self._streaks: dict[tuple[str, str, bytes], int] = {}

    @classmethod
    def uniform(cls, rate: float, kinds: Iterable[str], **options) -> FaultConfig:
        """One overall ``rate`` shared equally by ``kinds`` (the CLI's ``--fault-rate``)."""
        kinds = [k.strip() for k in kinds if k.strip()]
        if rate > 0 and not kinds:
            raise ValueError("a fault rate needs at least one fault kind")
        rates = {k: rate / len(kinds) for k in kinds} if rate > 0 else {}
        return cls(rates=rates, **options)

    @property
    def active(self) -> bool:
        """Whether this config changes anything at all."""
        return bool(self.latency_ms or self.jitter_ms or any(self.rates.values()))

    def in_scope(self, path: str, method: str = "") -> bool:
        """Whether faults may hit a ``method`` request to ``path``."""
        if self.methods and method.upper() not in self.methods:
            return False
        return not self.routes or any(path.startswith(r) or r in path for r in self.routes)

    def delay(self) -> float:
        """This request's latency in seconds."""
        ms = self.latency_ms
        if self.jitter_ms:
            ms += self._jitter_rng.uniform(-self.jitter_ms, self.jitter_ms)
        return max(ms, 0.0) / 1000

    def choose(self, scope: Scope) -> str | None:
        """The fault for this request, or None. One draw per in-scope request."""
        self.requests += 1
        if not self.rates or not self.in_scope(scope["path"], scope["method"]):
            return None
        roll = self._rng.random()
        kind = _pick(self.rates, roll)
        key = (scope["method"], scope["path"], scope.get("query_string", b""))
        if kind is None:
            self._streaks.pop(key, None)
            return None
        streak = self._streaks.get(key, 0)
        if streak >= self.max_streak:
            self._streaks.pop(key, None)  # the retry that must get through
            return None
        self._streaks[key] = streak + 1
        self.injected[kind] += 1
        return kind


def _pick(rates: dict[str, float], roll: float) -> str | None:
    edge = 0.0
    for kind in KINDS:
        edge += rates.get(kind, 0.0)
        if roll < edge:
            return kind
    return None


class FaultMiddleware:
    """Pure ASGI middleware applying a ``FaultConfig`` to every HTTP request."""

    def __init__(self, app: ASGIApp, config: FaultConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.config.active:
            await self.app(scope, receive, send)
            return
        delay = self.config.delay()
        kind = self.config.choose(scope)  # drawn before sleeping: arrival order, not finish order
        if delay:
            await self.config.sleep(delay)
        if kind is None:
            await self.app(scope, receive, send)
        elif kind in ERROR_KINDS:
            await self._send_error(scope, send, ERROR_KINDS[kind])
        elif kind == "hang":
            await self.config.sleep(self.config.hang_seconds)
            await self.app(scope, receive, send)
        elif kind == "malformed":
            await self._send_malformed(scope, receive, send)
        else:
            await self._send_dropped(scope, receive, send)

    async def _send_error(self, scope: Scope, send: Send, status: int) -> None:
        rid = uuid.uuid4().hex
        body = json.dumps(error_body(scope["path"], status, ERROR_MESSAGES[status],
                                     request_id=rid)).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(int(self.config.retry_after)).encode()),
            (b"x-request-id", rid.encode()),
            (b"x-emulator-fault", str(status).encode()),
        ]})
        await send({"type": "http.response.body", "body": body})

    async def _send_malformed(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Any strict prefix of a JSON object or array is invalid JSON.
        full = await _capture(self.app, scope, receive)
        body = full[: len(full) // 2] or b"{"
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"x-emulator-fault", b"malformed"),
        ]})
        await send({"type": "http.response.body", "body": body})

    async def _send_dropped(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _capture(self.app, scope, receive)
        # Promise the whole body, deliver half: the client sees the connection die mid-body.
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body) + 1).encode()),
            (b"x-emulator-fault", b"drop"),
        ]})
        await send({"type": "http.response.body", "body": body[: len(body) // 2],
                    "more_body": True})
        raise DroppedConnection(f"injected connection drop on {scope['path']}")


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> bytes:
    """Run ``app`` and collect its response body instead of sending it."""
    parts: list[bytes] = []

    async def collect(message: Message) -> None:
        if message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, receive, collect)
    return b"".join(parts)
