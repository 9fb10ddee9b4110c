"""An httpx transport that reaches the emulator in-process, failing the way a network fails.

``httpx.ASGITransport`` calls the app directly: it enforces no timeout and re-raises whatever
the app raises. A client's retry layer only understands httpx transport errors, so this
transport maps the emulator's injected faults onto them:

- the request's read timeout (``request.extensions["timeout"]["read"]``, set by httpx from the
  client's ``Timeout``) bounds the whole exchange -> ``httpx.ReadTimeout`` (an injected hang);
- ``faults.DroppedConnection`` -> ``httpx.RemoteProtocolError`` (an injected drop).

Any other exception from the app is a bug in the emulator and propagates unchanged, so tests
see it. Used by the tests and by ``y360tui --demo``; imports nothing from the app's layers.
"""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import ASGIApp

from .faults import DroppedConnection


class EmulatorTransport(httpx.AsyncBaseTransport):
    """Serve httpx requests from the ASGI ``app`` without sockets."""

    def __init__(self, app: ASGIApp, *, client: tuple[str, int] = ("127.0.0.1", 50360)) -> None:
        self.app = app
        self._asgi = httpx.ASGITransport(app=app, client=client)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the app, raising httpx's own errors for injected faults."""
        timeout = request.extensions.get("timeout") or {}
        read_timeout = timeout.get("read")
        try:
            return await asyncio.wait_for(self._asgi.handle_async_request(request), read_timeout)
        except asyncio.TimeoutError:
            raise httpx.ReadTimeout(
                f"no answer within {read_timeout} s", request=request) from None
        except DroppedConnection as exc:
            raise httpx.RemoteProtocolError(
                "server disconnected without sending a complete response", request=request
            ) from exc

    async def aclose(self) -> None:
        await self._asgi.aclose()
