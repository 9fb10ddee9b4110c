"""Wire contract of the service-app token exchange, POST /token (§12)."""

from __future__ import annotations

import pytest
from _fixtures import APP_ID, APP_SCOPES, APP_SECRET, GONE, USER1, build_org, client

from y360tui.emulator.routes.oauth import BY_EMAIL, BY_UID, TOKEN_EXCHANGE


def exchange(org, **overrides):
    form = {"grant_type": TOKEN_EXCHANGE, "client_id": APP_ID, "client_secret": APP_SECRET,
            "subject_token": "ivan@corp.example", "subject_token_type": BY_EMAIL, **overrides}
    # No Authorization header: the token endpoint is public.
    http = client(build_org() if org is None else org)
    http.headers.pop("Authorization")
    return http.post("/token", data=form)


def oauth_error(response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "error_description"} and body["error"] == error


def test_exchange_by_email_issues_a_working_token():
    org = build_org()
    response = exchange(org)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "issued_token_type", "scope",
                         "token_type"}
    assert body["expires_in"] == 3600 and body["token_type"] == "bearer"
    assert body["issued_token_type"] == "urn:ietf:params:oauth:token-type:access_token"
    assert body["scope"].split() == APP_SCOPES
    assert org.tokens[body["access_token"]] == {"uid": USER1, "scopes": set(APP_SCOPES)}
    # The token then acts as that user on Disk, as Bearer or OAuth.
    for scheme in ("Bearer", "OAuth"):
        http = client(org)
        http.headers["Authorization"] = f"{scheme} {body['access_token']}"
        mine = http.get("/v1/disk/resources/public")
        assert mine.status_code == 200
        assert "disk:/Docs/report.docx" in [i["path"] for i in mine.json()["items"]]


def test_exchange_by_uid_and_each_token_is_new():
    org = build_org()
    first = exchange(org, subject_token=USER1, subject_token_type=BY_UID).json()
    second = exchange(org, subject_token=USER1, subject_token_type=BY_UID).json()
    assert first["access_token"] != second["access_token"]
    assert org.tokens[second["access_token"]]["uid"] == USER1


@pytest.mark.parametrize("overrides,status,error", [
    ({"client_secret": "wrong"}, 401, "invalid_client"),
    ({"client_id": "unknown"}, 401, "invalid_client"),
    ({"client_id": "stray-client", "client_secret": "stray-secret"}, 400, "invalid_grant"),
    ({"subject_token": "nobody@corp.example"}, 400, "invalid_grant"),
    ({"subject_token": GONE, "subject_token_type": BY_UID}, 400, "invalid_grant"),
    ({"subject_token_type": "urn:other"}, 400, "invalid_request"),
    ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ({"subject_token": ""}, 400, "invalid_request"),
])
def test_exchange_errors(overrides, status, error):
    oauth_error(exchange(None, **overrides), status, error)


def test_exchange_refused_while_service_apps_are_off():
    org = build_org()
    org.service_apps_active = False
    oauth_error(exchange(org), 400, "invalid_grant")
