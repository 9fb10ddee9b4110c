"""Wire contract of the Tracker routes (§13): headers, paged and relative user lists, errors."""

from __future__ import annotations

import pytest
from _fixtures import ADMIN, NOSCOPE_TOKEN, ORG_ID, USER_TOKEN, build_org, client

from y360tui.emulator.routes import tracker

ORG = {"X-Org-ID": str(ORG_ID)}
USER_KEYS = {"self", "uid", "login", "trackerUid", "passportUid", "cloudUid", "firstName",
             "lastName", "display", "email", "external", "hasLicense", "dismissed",
             "useNewFilters", "disableNotifications", "firstLoginDate", "lastLoginDate",
             "welcomeMailSent", "sources", "position"}


def tracker_error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors", "errorMessages", "statusCode"}
    assert body["statusCode"] == status and body["errorMessages"]
    return body


def links(response) -> dict[str, str]:
    return {rel: link["url"] for rel, link in response.links.items()}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_myself_on_both_versions(version):
    response = client(build_org(), **ORG).get(f"/{version}/myself")
    body = response.json()
    assert set(body) == USER_KEYS and body["passportUid"] == int(ADMIN)
    assert body["self"] == f"http://emulator.test/v3/users/{body['uid']}"


def test_myself_without_tracker_account_is_401():
    org = build_org()
    org.tracker_users = [u for u in org.tracker_users if u["passportUid"] != int(ADMIN)]
    tracker_error(client(org, **ORG).get("/v3/myself"), 401)


@pytest.mark.parametrize("headers,status", [
    ({}, 400),
    ({"X-Org-ID": "not provided"}, 400),
    ({"X-Org-ID": "1"}, 403),
    ({"X-Cloud-Org-ID": "bpf-other", "X-Org-ID": str(ORG_ID)}, 403),
])
def test_org_header_errors(headers, status):
    tracker_error(client(build_org(), **headers).get("/v3/users"), status)


def test_cloud_header_preferred_and_placeholder_ignored():
    # yandex_tracker_client in cloud mode: X-Org-Id "not provided" + X-Cloud-Org-Id.
    http = client(build_org(), **{"X-Org-Id": "not provided", "X-Cloud-Org-Id": str(ORG_ID)})
    assert http.get("/v2/users/").status_code == 200


def test_scope_and_token_errors():
    tracker_error(client(build_org(), NOSCOPE_TOKEN, **ORG).get("/v3/users"), 403)
    tracker_error(client(build_org(), USER_TOKEN, **ORG).get("/v3/users"), 403)
    tracker_error(client(build_org(), "bogus", **ORG).get("/v3/users"), 401)


def test_users_page_headers_and_links():
    org = build_org(tracker_extra=6)  # 4 + 6 + 1 = 11 users
    http = client(org, **ORG)
    first = http.get("/v3/users", params={"perPage": 5})
    assert first.status_code == 200 and isinstance(first.json(), list)
    assert first.headers["X-Total-Count"] == "11" and first.headers["X-Total-Pages"] == "3"
    rels = links(first)
    assert rels["next"] == "http://emulator.test/v3/users?page=2&perPage=5"
    assert rels["seek"] == "http://emulator.test/v3/users?perPage=5{&page}"
    last = http.get("/v3/users", params={"perPage": 5, "page": 3})
    assert len(last.json()) == 1 and "next" not in links(last) and "seek" in links(last)
    past = http.get("/v3/users", params={"perPage": 5, "page": 9})
    assert past.json() == [] and "next" not in links(past)
    seen = [u["uid"] for p in (1, 2, 3)
            for u in http.get("/v3/users", params={"perPage": 5, "page": p}).json()]
    assert seen == [u["uid"] for u in org.tracker_users]


def test_users_defaults_and_exact_boundary():
    http = client(build_org(tracker_extra=5), **ORG)  # 10 users
    response = http.get("/v2/users/")
    assert len(response.json()) == 10 and "next" not in links(response)
    assert response.headers["X-Total-Pages"] == "1"
    two = http.get("/v3/users", params={"perPage": 5, "page": 2})
    assert len(two.json()) == 5 and "next" not in links(two)


def test_users_cannot_page_past_ten_thousand(monkeypatch):
    monkeypatch.setattr(tracker, "PAGING_LIMIT", 6)
    http = client(build_org(tracker_extra=6), **ORG)  # 11 users, only 6 reachable
    second = http.get("/v3/users", params={"perPage": 3, "page": 2})
    assert second.headers["X-Total-Count"] == "11" and second.headers["X-Total-Pages"] == "2"
    assert len(second.json()) == 3 and "next" not in links(second)
    tracker_error(http.get("/v3/users", params={"perPage": 3, "page": 3}), 400)


def test_users_bad_paging_is_400():
    tracker_error(client(build_org(), **ORG).get("/v3/users", params={"page": "0"}), 400)


def test_one_user_by_uid_login_and_login_prefix():
    org = build_org()
    http = client(org, **ORG)
    uid = org.tracker_users[1]["uid"]
    assert http.get(f"/v3/users/{uid}").json()["login"] == "ivan"
    assert http.get("/v3/users/maria/").json()["login"] == "maria"
    assert http.get("/v2/users/login:12345").json()["login"] == "12345"
    tracker_error(http.get("/v3/users/12345"), 404)  # digits alone are a uid
    tracker_error(http.get("/v3/users/nobody"), 404)


def test_relative_pages_exclusive_cursor_and_exact_has_next():
    org = build_org(tracker_extra=5)  # 10 users
    http = client(org, **ORG)
    first = http.get("/v3/users/_relative", params={"perPage": 4}).json()
    assert set(first) == {"users", "hasNext"} and first["hasNext"] is True
    seen, cursor, has_next = [u["uid"] for u in first["users"]], first["users"][-1]["uid"], True
    while has_next:
        page = http.get("/v3/users/_relative", params={"perPage": 4, "id": cursor}).json()
        seen += [u["uid"] for u in page["users"]]
        cursor, has_next = seen[-1], page["hasNext"]
    assert seen == [u["uid"] for u in org.tracker_users]
    exact = http.get("/v3/users/_relative", params={"perPage": 5, "id": seen[4]}).json()
    assert len(exact["users"]) == 5 and exact["hasNext"] is False
    end = http.get("/v3/users/_relative", params={"id": seen[-1]}).json()
    assert end == {"users": [], "hasNext": False}


def test_relative_per_page_bounds_and_expand_groups():
    http = client(build_org(tracker_extra=150), **ORG)
    capped = http.get("/v3/users/_relative", params={"perPage": 500}).json()
    assert len(capped["users"]) == 100 and capped["hasNext"] is True
    tracker_error(http.get("/v3/users/_relative", params={"perPage": 0}), 400)
    tracker_error(http.get("/v3/users/_relative", params={"id": "abc"}), 400)
    plain = http.get("/v3/users/_relative", params={"perPage": 1}).json()["users"][0]
    assert "groups" not in plain
    expanded = http.get("/v3/users/_relative", params={"perPage": 1, "expand": "groups"})
    groups = expanded.json()["users"][0]["groups"]
    assert groups == [{"self": "http://emulator.test/v3/groups/1", "id": "1",
                       "display": "Everyone"}]


def test_groups_list_and_one():
    http = client(build_org(), **ORG)
    groups = http.get("/v3/groups").json()
    assert groups[0]["self"] == "http://emulator.test/v3/groups/1"
    assert {"id", "name", "type", "code", "url", "description", "parent"} <= set(groups[0])
    assert http.get("/v2/groups/1").json()["name"] == "Everyone"
    tracker_error(http.get("/v3/groups/99"), 404)
