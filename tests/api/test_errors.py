"""Error bodies of every family become typed exceptions with clear one-line texts."""

import httpx
import pytest

from y360tui.api import (
    ApiError,
    BadRequest,
    Conflict,
    DecodeError,
    Forbidden,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    TransportError,
    Unauthorized,
)
from y360tui.api.errors import parse_retry_after

from .mock import Recorder, Script, api360_error, make_client

NO_RETRY = RetryPolicy(retries=0)


@pytest.mark.parametrize(("status", "cls"), [
    (400, BadRequest), (401, Unauthorized), (403, Forbidden), (404, NotFound), (409, Conflict),
    (429, RateLimited), (500, ServerError), (502, ServerError), (418, ApiError),
])
async def test_status_maps_to_class(status, cls):
    async with make_client(Script(api360_error(status, "boom", 2)), retry=NO_RETRY) as client:
        with pytest.raises(cls) as info:
            await client.directory.get_user("1")
    assert type(info.value) is cls
    assert info.value.status == status


async def test_api360_body_and_one_line_text():
    response = api360_error(403, "access denied", 7, **{"X-Request-Id": "abc"})
    async with make_client(Script(response)) as client:
        with pytest.raises(Forbidden) as info:
            await client.directory.users().get_page(1)
    error = info.value
    assert str(error) == "403 Forbidden: GET /directory/v1/org/42/users: access denied (code 7)"
    assert (error.code, error.message, error.method) == (7, "access denied", "GET")
    assert error.details[0]["requestId"] == "r1"
    assert error.request_id == "abc"
    assert "page=" not in error.path  # the query string never reaches the error


async def test_disk_error_body():
    body = {"message": "Не найдено", "description": "Resource not found.",
            "error": "DiskNotFoundError"}
    async with make_client(Script(httpx.Response(404, json=body))) as client:
        with pytest.raises(NotFound) as info:
            await client.disk.admin_public_settings("abc")
    assert info.value.code == "DiskNotFoundError"
    assert info.value.message == "Resource not found."
    assert str(info.value).endswith("Resource not found. (code DiskNotFoundError)")


async def test_oauth_error_body():
    body = {"error": "invalid_grant", "error_description": "unknown user"}
    async with make_client(Script(httpx.Response(400, json=body))) as client:
        with pytest.raises(BadRequest) as info:
            await client.service_apps.exchange("app", "secret", uid="5")
    assert (info.value.code, info.value.message) == ("invalid_grant", "unknown user")


async def test_tracker_error_body():
    body = {"errors": {"login": "no such user"}, "errorMessages": ["User not found"],
            "statusCode": 404}
    async with make_client(Script(httpx.Response(404, json=body))) as client:
        with pytest.raises(NotFound) as info:
            await client.tracker.get_user_by_login("nobody")
    assert info.value.message == "User not found; login: no such user"
    assert info.value.details == {"login": "no such user"}
    assert info.value.code is None


async def test_non_json_error_body_gives_a_short_excerpt():
    page = httpx.Response(502, text="<html>\n<b>Bad gateway</b>\n</html>")
    async with make_client(Script(page), retry=NO_RETRY) as client:
        with pytest.raises(ServerError) as info:
            await client.directory.get_user("1")
    assert "\n" not in str(info.value)
    assert "Bad gateway" in info.value.message


async def test_malformed_json_on_success_is_decode_error():
    broken = httpx.Response(200, content=b'{"id": "1", "nick')
    async with make_client(Script(broken)) as client:
        with pytest.raises(DecodeError) as info:
            await client.directory.get_user("1")
    assert info.value.status == 200
    assert info.value.path == "/directory/v1/org/42/users/1"


async def test_wrong_shape_on_success_is_decode_error():
    async with make_client(Script(httpx.Response(200, json={"users": "nope"}))) as client:
        with pytest.raises(DecodeError, match="users"):
            await client.directory.users().get_page(1)


async def test_audit_events_error_body_with_status_200_is_an_error_not_an_empty_page():
    body = {"code": 7, "message": "audit log is not in the tariff", "details": []}
    async with make_client(Script(httpx.Response(200, json=body))) as client:
        with pytest.raises(ApiError, match="not in the tariff") as caught:
            await client.audit.events("2026-01-02T00:00:00Z").all()
    assert caught.value.code == 7 and caught.value.path.endswith("/organizations/42/events")
    async with make_client(Script(httpx.Response(200, json={"iteration_key": None}))) as client:
        with pytest.raises(DecodeError, match="items"):
            await client.audit.events("2026-01-02T00:00:00Z").all()


async def test_transport_error_wraps_httpx_errors():
    script = Script(httpx.RemoteProtocolError("peer closed connection"))
    async with make_client(script, Recorder(), NO_RETRY) as client:
        with pytest.raises(TransportError, match="RemoteProtocolError"):
            await client.directory.get_user("1")


def test_parse_retry_after_forms():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("0.25") == 0.25
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
