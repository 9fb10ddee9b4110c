"""Error responses in each API family's own wire format (reference §3).

Route handlers raise ``ApiError``; the app's exception handler renders it with the body
shape of the family that owns the request path.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

# gRPC status numbers used by api360 for each HTTP status (reference §3.1).
GRPC_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 409: 6, 429: 8, 500: 13, 503: 14}

DISK_ERRORS = {
    400: "FieldValidationError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "DiskNotFoundError",
    409: "DiskPathDoesntExistsError",
    429: "TooManyRequestsError",
    500: "InternalServerError",
    503: "ServiceUnavailableError",
}

OAUTH_ERRORS = {400: "invalid_request", 401: "invalid_client"}


class ApiError(Exception):
    """An HTTP error a handler wants to send; ``error`` overrides the family's error name."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error = error
        self.field = field
        self.headers = headers or {}


def family(path: str) -> str:
    """Which API family serves ``path``: api360, disk, oauth or tracker."""
    if path.startswith("/v1/disk"):
        return "disk"
    if path.startswith(("/v2/", "/v3/")):
        return "tracker"
    if path.rstrip("/") == "/token":
        return "oauth"
    return "api360"  # /directory, /security and the cloud-api audit log share this body


def error_body(path: str, status: int, message: str, *, error: str | None = None,
               field: str | None = None, request_id: str = "") -> dict[str, Any]:
    kind = family(path)
    if kind == "disk":
        name = error or DISK_ERRORS.get(status, "DiskError")
        return {"message": message, "description": message, "error": name}
    if kind == "oauth":
        return {"error": error or OAUTH_ERRORS.get(status, "invalid_request"),
                "error_description": message}
    if kind == "tracker":
        return {"errors": {field: message} if field else {}, "errorMessages": [message],
                "statusCode": status}
    details: list[dict[str, Any]] = [{
        "@type": "type.googleapis.com/google.rpc.RequestInfo",
        "requestId": request_id,
        "servingData": "",
    }]
    if field:
        details.append({
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": message}],
        })
    return {"code": GRPC_CODES.get(status, 2), "message": message, "details": details}


def request_id(request: Request) -> str:
    rid = getattr(request.state, "request_id", None)
    if rid is None:
        rid = request.state.request_id = uuid.uuid4().hex
    return rid


def error_response(request: Request, status: int, message: str, *, error: str | None = None,
                   field: str | None = None, headers: dict[str, str] | None = None
                   ) -> JSONResponse:
    rid = request_id(request)
    body = error_body(request.url.path, status, message, error=error, field=field,
                      request_id=rid)
    return JSONResponse(body, status_code=status,
                        headers={"X-Request-Id": rid, **(headers or {})})


async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
    """Render an ``ApiError`` raised by a handler."""
    assert isinstance(exc, ApiError)
    return error_response(request, exc.status, exc.message, error=exc.error, field=exc.field,
                          headers=exc.headers)


async def handle_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own 404 (no such route) and 405 (method) in the family's error format."""
    assert isinstance(exc, HTTPException)
    message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, exc.detail)
    return error_response(request, exc.status_code, message, headers=exc.headers)


async def handle_crash(request: Request, exc: Exception) -> JSONResponse:
    """An unexpected exception: a 500 in the family's format (the server still logs it)."""
    return error_response(request, 500, "internal error, retry later",
                          headers={"Retry-After": "1"})
