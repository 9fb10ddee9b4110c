"""Exceptions raised by the client.

The hierarchy::

    Y360Error                  base of everything the client raises
    ├── ApiError               the server answered with a non-2xx status
    │   ├── BadRequest         400
    │   ├── Unauthorized       401
    │   ├── Forbidden          403
    │   ├── NotFound           404
    │   ├── Conflict           409
    │   ├── RateLimited        429 (``retry_after`` seconds, if the server said)
    │   └── ServerError        5xx
    ├── TransportError         no usable answer: connection failed, timed out, dropped
    └── DecodeError            a 2xx answer whose body is not the JSON we expected

Argument checks made before anything is sent raise plain ``ValueError``.

Error texts never contain request headers or query strings, so the token (and any
secret in a query) cannot leak through ``str(error)``, a log record or a traceback.
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

import httpx


class Y360Error(Exception):
    """Base class of every exception the client raises."""


class ApiError(Y360Error):
    """The API answered with an error status.

    Attributes: ``status`` (HTTP status), ``code`` (the API's own code: api360's gRPC
    number, Disk's/OAuth's error name, or None), ``message``, ``details`` (api360
    details list, Tracker field errors…), ``method`` and ``path`` (no query string),
    ``request_id`` (X-Request-Id, when sent), ``attempts`` (how many times the client sent
    the request: more than 1 when it retried, so the first attempt may have applied).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: int | str | None = None,
        details: Any = None,
        method: str = "",
        path: str = "",
        request_id: str = "",
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else []
        self.method = method
        self.path = path
        self.request_id = request_id
        self.attempts = 1
        super().__init__(str(self))

    def __str__(self) -> str:
        try:
            reason = HTTPStatus(self.status).phrase
        except ValueError:
            reason = "Error"
        text = f"{self.status} {reason}: {self.method} {self.path}: {self.message or reason}"
        return f"{text} (code {self.code})" if self.code not in (None, "") else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class BadRequest(ApiError):
    """400: malformed request or a value the server refused."""


class Unauthorized(ApiError):
    """401: no token, or the token is unknown or expired."""


class Forbidden(ApiError):
    """403: the token lacks a scope, the user is not an admin, or the tariff lacks the feature."""


class NotFound(ApiError):
    """404: unknown organization, user, group, department or resource."""


class Conflict(ApiError):
    """409: duplicate nickname/alias/label, or the resource already exists."""


class RateLimited(ApiError):
    """429: too many requests; ``retry_after`` is the server's wait in seconds (or None)."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)


class ServerError(ApiError):
    """5xx: the server failed; retried for idempotent requests before surfacing."""


class TransportError(Y360Error):
    """The request got no usable answer (connection refused, timeout, dropped connection)."""

    def __init__(self, message: str, *, method: str = "", path: str = "") -> None:
        self.method = method
        self.path = path
        self.message = message
        super().__init__(f"{method} {path}: {message}" if method else message)


class DecodeError(Y360Error):
    """A success answer whose body could not be decoded into the expected model."""

    def __init__(self, message: str, *, method: str = "", path: str = "", status: int = 0
                 ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.message = message
        super().__init__(f"{status} {method} {path}: {message}")


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
    429: RateLimited,
}


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds (int or float) or HTTP date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import datetime, timezone

    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _error_fields(body: Any) -> tuple[str, int | str | None, Any]:
    """(message, code, details) from any of the four error body families."""
    if not isinstance(body, dict):
        return "", None, []
    if "errorMessages" in body or "statusCode" in body:  # Tracker
        messages = [str(m) for m in body.get("errorMessages") or []]
        errors = body.get("errors") or {}
        messages += [f"{k}: {v}" for k, v in errors.items()] if isinstance(errors, dict) else []
        return "; ".join(messages), None, errors
    if "error_description" in body or ("error" in body and "message" not in body):  # OAuth
        return str(body.get("error_description") or ""), body.get("error"), []
    if "description" in body or "error" in body:  # Disk
        message = body.get("description") or body.get("message") or ""
        return str(message), body.get("error"), []
    code = body.get("code")  # api360 / cloud-api audit log
    return str(body.get("message") or ""), code, body.get("details") or []


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed ApiError for an error ``response`` (its body is already read)."""
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
    message, code, details = _error_fields(body)
    if not message and body is None and response.content:
        # Not JSON (a proxy's HTML page…): keep a short, single-line excerpt.
        message = response.text[:200].replace("\n", " ").strip()
    status = response.status_code
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    kwargs: dict[str, Any] = {
        "code": code, "details": details, "method": response.request.method,
        "path": response.request.url.path, "request_id": response.headers.get("x-request-id", ""),
    }
    if cls is RateLimited:
        kwargs["retry_after"] = parse_retry_after(response.headers.get("retry-after"))
    return cls(status, message, **kwargs)
