"""Retry policy: what is retried, how long it sleeps, and what surfaces at the end."""

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from y360tui.api import RateLimited, RetryPolicy, ServerError, TransportError, User
from y360tui.api.client import IDEMPOTENT_METHODS

from .mock import Recorder, Script, api360_error, make_client

USER = httpx.Response(200, json={"id": "7", "nickname": "ann"})


async def test_429_sleeps_exactly_retry_after_then_succeeds():
    script = Script(api360_error(429, "slow down", 8, **{"Retry-After": "2"}), USER)
    sleep = Recorder()
    async with make_client(script, sleep) as client:
        user = await client.directory.get_user("7")
    assert isinstance(user, User) and user.nickname == "ann"
    assert script.calls == 2
    assert sleep.sleeps == [2.0]


async def test_retry_after_as_http_date():
    when = datetime.now(timezone.utc) + timedelta(seconds=10)
    header = format_datetime(when, usegmt=True)
    script = Script(api360_error(503, "busy", 14, **{"Retry-After": header}), USER)
    sleep = Recorder()
    async with make_client(script, sleep) as client:
        await client.directory.get_user("7")
    assert len(sleep.sleeps) == 1
    # The header has one-second resolution, so the wait is within the last second before it.
    assert 8.0 < sleep.sleeps[0] <= 10.0


async def test_fractional_retry_after_is_honoured():
    script, sleep = Script(api360_error(429, "slow", 8, **{"Retry-After": "1.5"}), USER), Recorder()
    async with make_client(script, sleep) as client:
        await client.directory.get_user("7")
    assert sleep.sleeps == [1.5]


async def test_exhausted_retries_raise_the_last_error_typed():
    script, sleep = Script(api360_error(500, "internal", 13)), Recorder()
    async with make_client(script, sleep, RetryPolicy(retries=3)) as client:
        with pytest.raises(ServerError) as info:
            await client.directory.get_user("7")
    assert script.calls == 4
    assert len(sleep.sleeps) == 3
    assert info.value.status == 500 and info.value.message == "internal"


async def test_exhausted_429_keeps_retry_after():
    script = Script(api360_error(429, "slow", 8, **{"Retry-After": "3"}))
    async with make_client(script, Recorder(), RetryPolicy(retries=2)) as client:
        with pytest.raises(RateLimited) as info:
            await client.directory.get_user("7")
    assert info.value.retry_after == 3.0
    assert script.calls == 3


async def test_backoff_without_retry_after_grows_within_jitter_bounds():
    script = Script(httpx.Response(502), httpx.Response(502), httpx.Response(502), USER)
    sleep = Recorder()
    policy = RetryPolicy(retries=3, backoff_factor=0.5)
    async with make_client(script, sleep, policy) as client:
        await client.directory.get_user("7")
    assert len(sleep.sleeps) == 3
    for attempt, seconds in enumerate(sleep.sleeps, start=1):
        assert 0 <= seconds <= 0.5 * 2**attempt


async def test_total_sleep_is_capped():
    script, sleep = Script(api360_error(429, "slow", 8, **{"Retry-After": "50"})), Recorder()
    policy = RetryPolicy(retries=5, max_backoff=30, max_total_sleep=45)
    async with make_client(script, sleep, policy) as client:
        with pytest.raises(RateLimited):
            await client.directory.get_user("7")
    assert sleep.sleeps[0] == 30  # one sleep is capped by max_backoff
    assert sum(sleep.sleeps) <= 45


async def test_connection_errors_are_retried_for_reads_then_surface_as_transport_error():
    script = Script(httpx.ConnectError("refused"))
    async with make_client(script, Recorder(), RetryPolicy(retries=2)) as client:
        with pytest.raises(TransportError) as info:
            await client.directory.get_user("7")
    assert script.calls == 3
    assert info.value.method == "GET" and info.value.path == "/directory/v1/org/42/users/7"


async def test_read_timeout_on_get_is_retried():
    script = Script(httpx.ReadTimeout("slow"), USER)
    async with make_client(script, Recorder()) as client:
        await client.directory.get_user("7")
    assert script.calls == 2


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_post_is_never_retried_on_a_response(status):
    script = Script(api360_error(status, "no", 13, **{"Retry-After": "1"}), USER)
    async with make_client(script, Recorder()) as client:
        with pytest.raises((ServerError, RateLimited)):
            await client.directory.add_user_alias("7", "ann2")
    assert script.calls == 1


async def test_patch_is_never_retried_on_a_response():
    script = Script(httpx.Response(503), USER)
    async with make_client(script, Recorder()) as client:
        with pytest.raises(ServerError):
            await client.directory.update_user("7", position="CTO")
    assert script.calls == 1


async def test_post_is_retried_when_the_connection_was_never_made():
    script = Script(httpx.ConnectError("refused"), USER)
    async with make_client(script, Recorder()) as client:
        await client.directory.add_user_alias("7", "ann2")
    assert script.calls == 2


async def test_post_is_not_retried_after_the_request_may_have_been_sent():
    script = Script(httpx.ReadTimeout("no answer"), USER)
    async with make_client(script, Recorder()) as client:
        with pytest.raises(TransportError, match="timed out"):
            await client.directory.add_user_alias("7", "ann2")
    assert script.calls == 1


async def test_put_and_delete_are_retried():
    script = Script(httpx.Response(503), httpx.Response(200, json={}))
    async with make_client(script, Recorder()) as client:
        await client.security.logout_user("7")
    assert script.calls == 2
    assert {"PUT", "DELETE", "GET"} <= IDEMPOTENT_METHODS


async def test_client_errors_are_not_retried():
    script = Script(api360_error(404, "not found", 5), USER)
    async with make_client(script, Recorder()) as client:
        with pytest.raises(Exception, match="404 Not Found"):
            await client.directory.get_user("7")
    assert script.calls == 1


async def test_retries_can_be_disabled():
    script = Script(httpx.Response(503), USER)
    async with make_client(script, Recorder(), RetryPolicy(retries=0)) as client:
        with pytest.raises(ServerError):
            await client.directory.get_user("7")
    assert script.calls == 1
