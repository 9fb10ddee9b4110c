"""The token never shows in a repr, an error text, a log record or a traceback."""

import logging
import traceback

import httpx
import pytest

from y360tui.api import RetryPolicy, Secret, ServiceAppToken, Unauthorized, Y360Error

from .mock import TOKEN, Recorder, Script, api360_error, make_client


def test_secret_hides_its_value():
    secret = Secret(TOKEN)
    logged = logging.Formatter().format(logging.makeLogRecord({"msg": "%s", "args": (secret,)}))
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", logged):
        assert TOKEN not in text
    assert secret.reveal() == TOKEN
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


async def test_client_and_request_reprs_hide_the_token():
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"id": "1"})

    async with make_client(handler) as client:
        await client.directory.get_user("1")
        texts = [repr(client), repr(client.directory), repr(client._http_for("api360").auth),
                 repr(seen[0]), repr(seen[0].headers), str(dict(seen[0].headers).keys())]
    assert seen[0].headers["authorization"] == f"OAuth {TOKEN}"  # it does go on the wire
    for text in texts:
        assert TOKEN not in text


async def test_errors_logs_and_tracebacks_hide_the_token(caplog):
    caplog.set_level(logging.DEBUG)
    script = Script(api360_error(503, "busy", 14, **{"Retry-After": "1"}),
                    api360_error(401, "bad token", 16))
    async with make_client(script, Recorder()) as client:
        with pytest.raises(Unauthorized) as info:
            await client.directory.get_user("1")
    text = "".join(traceback.format_exception(info.value))
    assert "401 Unauthorized" in text
    assert TOKEN not in text
    assert TOKEN not in repr(info.value)
    assert caplog.records, "httpx/httpx-retries should have logged something at DEBUG"
    for record in caplog.records:
        assert TOKEN not in record.getMessage()


async def test_transport_error_traceback_hides_the_token():
    script = Script(httpx.ConnectError("refused"))
    async with make_client(script, Recorder(), RetryPolicy(retries=1)) as client:
        with pytest.raises(Y360Error) as info:
            await client.security.get_session_ttl()
    assert TOKEN not in "".join(traceback.format_exception(info.value))


async def test_service_app_token_and_derived_client():
    body = {"access_token": "y0_USERTOKEN", "expires_in": 3600, "token_type": "bearer",
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "scope": "a b"}
    requests = []

    def handler(request):
        requests.append(request)
        if request.url.path == "/token":
            return httpx.Response(200, json=body)
        return httpx.Response(200, json={"items": [], "limit": 20, "offset": 0})

    async with make_client(handler) as client:
        token = await client.service_apps.exchange("app-id", "app-secret", email="a@corp.ru")
        assert isinstance(token, ServiceAppToken) and token.scopes == ["a", "b"]
        assert "y0_USERTOKEN" not in repr(token)
        form = requests[0].content.decode()
        assert "client_secret=app-secret" in form and "subject_token=a%40corp.ru" in form
        assert "authorization" not in requests[0].headers  # the token endpoint gets no token
        async with await client.service_apps.client_for("app-id", "s", uid="5") as user:
            await user.disk.public_resources().all()
            assert "y0_USERTOKEN" not in repr(user)
    assert requests[-1].headers["authorization"] == "Bearer y0_USERTOKEN"
