"""The emulator's ASGI application: every route family plus auth, request log and faults."""

from __future__ import annotations

from collections import deque
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, error_body, handle_api_error, handle_crash, handle_http_error
from .routes import (
    audit,
    directory,
    disk,
    domains,
    mail_flow,
    mail_settings,
    mailboxes,
    oauth,
    security,
    tracker,
)
from .state import Org

# Paths that need no Authorization header.
PUBLIC_PATHS = ("/token",)


class RequestLog(deque):
    """The last requests the emulator received: lets a test prove what was (not) sent."""

    def paths(self, method: str | None = None) -> list[str]:
        return [r["path"] for r in self if method is None or r["method"] == method]

    def writes(self) -> list[dict[str, Any]]:
        return [r for r in self if r["method"] not in ("GET", "HEAD")]


class StripTrailingSlash:
    """Pure ASGI middleware: ``/users/`` is served as ``/users`` (clients and curl add one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/"}
        await self.app(scope, receive, send)


class AuthAndLog:
    """Pure ASGI middleware: logs each request and rejects a missing or unknown token (401)."""

    def __init__(self, app: ASGIApp, org: Org, log: RequestLog) -> None:
        self.app = app
        self.org = org
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        entry = {"method": scope["method"], "path": path,
                 "query": scope.get("query_string", b"").decode("latin-1"), "status": None}
        self.log.append(entry)

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            await send(message)

        if not path.startswith(PUBLIC_PATHS):
            token = _token(scope)
            record = self.org.tokens.get(token) if token else None
            if record is None:
                await _send_error(scope, send_logged, 401, "Unauthorized: missing or invalid token")
                return
            scope.setdefault("state", {})["auth"] = record
        await self.app(scope, receive, send_logged)


# Bodies the guard leaves to their route: forms (oauth /token), uploads (avatars).
NOT_JSON = (b"application/x-www-form-urlencoded", b"multipart/", b"image/")
READS = ("GET", "HEAD", "OPTIONS")


class BodyGuard:
    """Pure ASGI middleware: the body of every write is read whole before routing.

    - A client that closes before sending its whole body gets the family's 400 (sent into the
      void; no handler runs, so nothing half-read raises and no traceback is logged).
    - A body that should be JSON (any content type but a form, a multipart or an image) and is
      not — truncated, not UTF-8, or nested too deeply for the parser (100,000 ``[``) — gets
      the family's 400 ``request body is not valid JSON`` on every write route, as the
      reference's gateway parses it before any handler, instead of a 500 from a
      RecursionError.

    The body is then replayed to the app, which reads it as usual.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                await _send_error(scope, send, 400, "request body is incomplete: the client "
                                  "closed the connection before sending all of it")
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip() and _wants_json(scope) and not _is_json(body):
            await _send_error(scope, send, 400, "request body is not valid JSON")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _wants_json(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return not value.strip().lower().startswith(NOT_JSON)
    return True


def _is_json(body: bytes) -> bool:
    import json

    try:
        json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return False
    return True


def _token(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() in ("oauth", "bearer") and token.strip():
                return token.strip()
    return None


async def _send_error(scope: Scope, send: Send, status: int, message: str) -> None:
    import json
    import uuid

    rid = uuid.uuid4().hex
    body = json.dumps(error_body(scope["path"], status, message, request_id=rid)).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"x-request-id", rid.encode()),
        (b"content-length", str(len(body)).encode()),
    ]})
    await send({"type": "http.response.body", "body": body})


def create_app(org: Org, *, faults: Any = None, log_size: int = 10_000) -> Starlette:
    """The ASGI app serving ``org``. ``faults`` is a ``faults.FaultConfig`` (or None)."""
    routes = [*directory.routes, *security.routes, *audit.routes, *disk.routes,
              *oauth.routes, *tracker.routes]
    routes += mail_flow.routes
    routes += mailboxes.routes
    routes += mail_settings.routes
    routes += domains.routes
    app = Starlette(routes=routes, exception_handlers={
        ApiError: handle_api_error, HTTPException: handle_http_error, Exception: handle_crash})
    # A redirect to the slash-less path would leave clients that do not follow redirects
    # (httpx by default) with a 307; StripTrailingSlash serves both spellings instead.
    app.router.redirect_slashes = False
    app.state.org = org
    app.state.request_log = RequestLog(maxlen=log_size)
    app.add_middleware(BodyGuard)  # inside AuthAndLog: a 401 comes first, and is logged
    app.add_middleware(AuthAndLog, org=org, log=app.state.request_log)
    if faults is not None:
        from .faults import FaultMiddleware

        app.add_middleware(FaultMiddleware, config=faults)
    app.add_middleware(StripTrailingSlash)
    return app
