"""Wire contract of the Disk routes (§11): admin views, the owner's methods, Disk error bodies."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from _fixtures import (
    ADMIN,
    GONE,
    KEY1,
    KEY_ADMIN,
    NOSCOPE_TOKEN,
    ORG_ID,
    USER1,
    USER2,
    USER3,
    USER_TOKEN,
    build_org,
    client,
    disk_record,
)

ADMIN_BASE = "/v1/disk/public/resources/admin"
SHORT_KEYS = {"public_hash", "name", "path", "type", "created_at", "modified_at"}
RESOURCE_KEYS = {"public_key", "public_url", "name", "created", "modified", "path", "type"}


def disk_error(response, status: int, name: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message", "description", "error"}
    assert body["error"] == name


def owned(org, uid: str, path: str) -> dict:
    return next(r for r in org.disk[uid] if r["path"] == path)


# --- admin: public-resources (limit/offset) ------------------------------------------------


def public_resources(http, **params):
    return http.get(f"{ADMIN_BASE}/public-resources",
                    params={"user_id": USER1, "org_id": ORG_ID, **params})


def test_admin_public_resources_shape_and_defaults():
    body = public_resources(client(build_org())).json()
    assert set(body) == {"items", "limit", "offset"}
    assert (body["limit"], body["offset"]) == (100, 0)
    # Published file and folder plus the file shared with a user; private files are not listed.
    assert [i["path"] for i in body["items"]] == [
        "disk:/Docs/report.docx", "disk:/Photos", "disk:/Docs/plan.xlsx"]
    for item in body["items"]:
        assert set(item) == SHORT_KEYS
    assert body["items"][0]["public_hash"] == KEY1
    assert body["items"][2]["public_hash"] is None  # key present, null when not published


def test_admin_public_resources_paging_to_an_empty_page():
    http = client(build_org())
    pages = [public_resources(http, limit=2, offset=offset).json() for offset in (0, 2, 4)]
    assert [len(p["items"]) for p in pages] == [2, 1, 0]
    assert [(p["limit"], p["offset"]) for p in pages] == [(2, 0), (2, 2), (2, 4)]


def test_admin_public_resources_user_without_resources_is_empty():
    body = client(build_org()).get(f"{ADMIN_BASE}/public-resources",
                                   params={"user_id": USER3, "org_id": ORG_ID}).json()
    assert body == {"items": [], "limit": 100, "offset": 0}


@pytest.mark.parametrize("params,status,error", [
    ({"org_id": ORG_ID}, 400, "FieldValidationError"),
    ({"user_id": USER1}, 400, "FieldValidationError"),
    ({"user_id": "999", "org_id": ORG_ID}, 404, "DiskNotFoundError"),
    ({"user_id": GONE, "org_id": ORG_ID}, 404, "DiskNotFoundError"),
    ({"user_id": USER1, "org_id": 1}, 403, "ForbiddenError"),
    ({"user_id": USER1, "org_id": ORG_ID, "limit": "x"}, 400, "FieldValidationError"),
])
def test_admin_public_resources_errors(params, status, error):
    response = client(build_org()).get(f"{ADMIN_BASE}/public-resources", params=params)
    disk_error(response, status, error)


def test_admin_methods_need_an_admin_token_and_a_disk_scope():
    disk_error(public_resources(client(build_org(), USER_TOKEN)), 403, "ForbiddenError")
    disk_error(public_resources(client(build_org(), NOSCOPE_TOKEN)), 403, "ForbiddenError")
    disk_error(public_resources(client(build_org(), "bogus")), 401, "UnauthorizedError")


# --- admin: public settings ----------------------------------------------------------------


def test_admin_settings_by_key_plain_and_double_encoded():
    http = client(build_org())
    plain = http.get(f"{ADMIN_BASE}/public-settings", params={"public_key": KEY1})
    assert plain.status_code == 200
    body = plain.json()
    assert set(body) >= {"available_until", "accesses"} and body["available_until"] is None
    assert {a["type"] for a in body["accesses"]} == {"macro", "owner"}
    assert all(isinstance(a["id"], int) for a in body["accesses"] if a["type"] != "macro")
    # orglib quotes the key, then httpx encodes the '%': '+' arrives as %252B on the wire.
    twice = http.get(f"{ADMIN_BASE}/public-settings",
                     params={"public_key": quote(KEY1, safe="")})
    assert "%252B" in str(twice.request.url)
    assert twice.json() == body


def test_admin_settings_by_key_accepts_the_public_url():
    body = client(build_org()).get(f"{ADMIN_BASE}/public-settings", params={
        "public_key": "https://disk.yandex.ru/d/report.docx"}).json()
    assert body["accesses"][0]["macros"] == ["all"]


def test_admin_settings_by_key_unknown_or_missing():
    http = client(build_org())
    disk_error(http.get(f"{ADMIN_BASE}/public-settings", params={"public_key": "nope"}),
               404, "DiskNotFoundError")
    disk_error(http.get(f"{ADMIN_BASE}/public-settings"), 400, "FieldValidationError")


@pytest.mark.parametrize("path", ["disk:/Docs/plan.xlsx", "/Docs/plan.xlsx", "Docs/plan.xlsx"])
def test_admin_settings_by_path_with_or_without_prefix(path):
    body = client(build_org()).get(f"{ADMIN_BASE}/public-settings-by-path",
                                   params={"user_id": USER1, "path": path}).json()
    assert body["available_until"] is None
    assert {(a["type"], a.get("id")) for a in body["accesses"]} == {
        ("owner", int(USER1)), ("user", int(USER2)), ("group", 7)}


def test_admin_settings_by_path_errors():
    http = client(build_org())
    url = f"{ADMIN_BASE}/public-settings-by-path"
    disk_error(http.get(url, params={"user_id": USER1, "path": "/nope"}), 404,
               "DiskNotFoundError")
    disk_error(http.get(url, params={"user_id": "42", "path": "/Docs"}), 404,
               "DiskNotFoundError")
    disk_error(http.get(url, params={"user_id": USER1}), 400, "FieldValidationError")


# --- admin: accessible resources (iteration_key) -------------------------------------------


def test_admin_accessible_resources_personal_and_group_access():
    http = client(build_org())
    url = f"{ADMIN_BASE}/accessible-resources"
    mine = http.get(url, params={"user_id": USER2, "org_id": ORG_ID}).json()
    assert set(mine) == {"items", "iteration_key"} and mine["iteration_key"] is None
    assert [i["path"] for i in mine["items"]] == ["disk:/Docs/plan.xlsx"]
    assert set(mine["items"][0]) == SHORT_KEYS
    # USER3 only reaches the file through group 7.
    assert http.get(url, params={"user_id": USER3, "org_id": ORG_ID}).json()["items"] == []
    grouped = http.get(url, params={"user_id": USER3, "org_id": ORG_ID,
                                    "include_group_access": "true"}).json()
    assert [i["path"] for i in grouped["items"]] == ["disk:/Docs/plan.xlsx"]


def test_admin_accessible_resources_cursor():
    org = build_org()
    org.disk[ADMIN] += [disk_record(f"disk:/Team/f{n}.txt", "file", accesses=[
        {"type": "user", "id": int(USER2), "org_id": ORG_ID, "rights": ["read"]}])
        for n in range(3)]
    http = client(org)
    params = {"user_id": USER2, "org_id": ORG_ID, "limit": 3}
    first = http.get(f"{ADMIN_BASE}/accessible-resources", params=params).json()
    assert len(first["items"]) == 3 and isinstance(first["iteration_key"], str)
    rest = http.get(f"{ADMIN_BASE}/accessible-resources",
                    params={**params, "iteration_key": first["iteration_key"]}).json()
    assert len(rest["items"]) == 1 and rest["iteration_key"] is None
    paths = [i["path"] for i in first["items"] + rest["items"]]
    assert len(set(paths)) == 4
    bad = http.get(f"{ADMIN_BASE}/accessible-resources", params={**params, "iteration_key": "?"})
    disk_error(bad, 400, "FieldValidationError")


# --- admin: unpublish ----------------------------------------------------------------------


def assert_link(body: dict, path: str) -> None:
    assert set(body) == {"href", "method", "templated"}
    assert body["method"] == "GET" and body["templated"] is False
    assert body["href"].endswith("/v1/disk/resources?path=" + quote(path, safe=""))


def test_admin_unpublish_by_key_clears_link_and_logs_event():
    org = build_org(audit=0)
    http = client(org)
    response = http.put(f"{ADMIN_BASE}/unpublish",
                        params={"public_key": KEY1, "user_id": USER1, "org_id": ORG_ID})
    assert response.status_code == 200
    assert_link(response.json(), "disk:/Docs/report.docx")
    record = owned(org, USER1, "disk:/Docs/report.docx")
    assert record["public_key"] is None and record["public_url"] is None
    assert all(a["type"] != "macro" for a in record["public_settings"]["accesses"])
    event = org.audit_events[0]["event"]
    assert event["type"] == "disk_fs-set-private" and event["uid"] == int(ADMIN)
    assert event["meta"]["owner_uid"] == USER1
    # It is gone from the key lookup and from the owner's published list.
    disk_error(http.get(f"{ADMIN_BASE}/public-settings", params={"public_key": KEY1}),
               404, "DiskNotFoundError")
    mine = client(org, USER_TOKEN).get("/v1/disk/resources/public").json()
    assert "disk:/Docs/report.docx" not in [i["path"] for i in mine["items"]]


def test_admin_unpublish_by_path_and_user():
    org = build_org(audit=0)
    response = client(org).put(f"{ADMIN_BASE}/unpublish",
                               params={"path": "/Photos", "user_id": USER1, "org_id": ORG_ID})
    assert_link(response.json(), "disk:/Photos")
    assert owned(org, USER1, "disk:/Photos")["public_key"] is None
    assert len(org.audit_events) == 1


def test_admin_unpublish_errors():
    http = client(build_org())
    url = f"{ADMIN_BASE}/unpublish"
    disk_error(http.put(url, params={"org_id": ORG_ID}), 400, "FieldValidationError")
    disk_error(http.put(url, params={"public_key": "nope"}), 404, "DiskNotFoundError")
    disk_error(http.put(url, params={"public_key": KEY1, "user_id": USER2}), 404,
               "DiskNotFoundError")
    disk_error(http.put(url, params={"public_key": KEY1, "org_id": 7}), 403, "ForbiddenError")


# --- the owner's methods -------------------------------------------------------------------


def test_user_public_resources_default_limit_and_shape():
    body = client(build_org(), USER_TOKEN).get("/v1/disk/resources/public").json()
    assert (body["limit"], body["offset"]) == (20, 0)
    assert [i["path"] for i in body["items"]] == ["disk:/Docs/report.docx", "disk:/Photos"]
    for item in body["items"]:
        assert set(item) >= RESOURCE_KEYS
    assert body["items"][0]["size"] == 1234 and "size" not in body["items"][1]


def test_user_public_resources_orglib_fields_with_a_space():
    fields = ("limit,offset,items.public_key,items.public_url,items.name, items.created,"
              "items.modified,items.path,items.type,items.mime_type,items.size")
    body = client(build_org(), USER_TOKEN).get("/v1/disk/resources/public", params={
        "limit": 1, "offset": 0, "fields": fields}).json()
    assert set(body) == {"limit", "offset", "items"}
    assert set(body["items"][0]) == RESOURCE_KEYS | {"mime_type", "size"}


def test_user_public_resources_paging_type_filter_and_past_end():
    http = client(build_org(), USER_TOKEN)
    pages = [http.get("/v1/disk/resources/public", params={"limit": 1, "offset": n}).json()
             for n in range(3)]
    assert [len(p["items"]) for p in pages] == [1, 1, 0]
    dirs = http.get("/v1/disk/resources/public", params={"type": "dir"}).json()
    assert dirs["type"] == "dir" and [i["type"] for i in dirs["items"]] == ["dir"]
    disk_error(http.get("/v1/disk/resources/public", params={"type": "link"}), 400,
               "FieldValidationError")


def test_user_public_settings_by_path():
    http = client(build_org(), USER_TOKEN)
    url = "/v1/disk/public/resources/public-settings"
    body = http.get(url, params={"path": "disk:/Photos", "allow_address_access": "true"}).json()
    assert body["available_until"] is None and body["accesses"][0]["macros"] == ["employees"]
    disk_error(http.get(url, params={"path": "/missing"}), 404, "DiskNotFoundError")


def test_publish_then_unpublish_round_trip():
    org = build_org(audit=0)
    http = client(org)  # the admin token publishes on the admin's own Disk
    org.disk[ADMIN].append(disk_record("disk:/Shared/new.txt", "file"))
    response = http.put("/v1/disk/resources/publish", params={"path": "/Shared/new.txt"},
                        json={"public_settings": {"available_until": 1767225600}})
    assert response.status_code == 200
    assert_link(response.json(), "disk:/Shared/new.txt")
    record = owned(org, ADMIN, "disk:/Shared/new.txt")
    assert record["public_key"] and record["public_url"].startswith("https://")
    assert record["public_settings"]["available_until"] == 1767225600
    assert [e["event"]["type"] for e in org.audit_events] == [
        "disk_fs-set-public-settings", "disk_fs-set-public"]
    listed = http.get("/v1/disk/resources/public").json()["items"]
    assert "disk:/Shared/new.txt" in [i["path"] for i in listed]
    by_key = http.get(f"{ADMIN_BASE}/public-settings", params={"public_key": record["public_key"]})
    assert by_key.status_code == 200
    response = http.put("/v1/disk/resources/unpublish", params={"path": "disk:/Shared/new.txt"})
    assert_link(response.json(), "disk:/Shared/new.txt")
    assert record["public_key"] is None
    assert org.audit_events[0]["event"]["type"] == "disk_fs-set-private"


def test_publish_needs_write_scope_and_an_existing_path():
    disk_error(client(build_org(), USER_TOKEN).put(
        "/v1/disk/resources/publish", params={"path": "/Private/notes.txt"}), 403,
        "ForbiddenError")
    disk_error(client(build_org()).put(
        "/v1/disk/resources/publish", params={"path": "/nope"}), 404, "DiskNotFoundError")
    disk_error(client(build_org()).put(
        "/v1/disk/resources/publish", params={"path": "/Shared/policy.pdf"},
        json={"public_settings": []}), 400, "FieldValidationError")


def test_get_resource_file_dir_and_root():
    http = client(build_org(), USER_TOKEN)
    file = http.get("/v1/disk/resources", params={"path": "disk:/Docs/report.docx"}).json()
    assert file["type"] == "file" and file["public_key"] == KEY1 and "_embedded" not in file
    docs = http.get("/v1/disk/resources", params={"path": "/Docs"}).json()
    assert docs["type"] == "dir"
    assert [i["name"] for i in docs["_embedded"]["items"]] == ["plan.xlsx", "report.docx"]
    assert docs["_embedded"]["total"] == 2
    root = http.get("/v1/disk/resources", params={"path": "/", "limit": 2}).json()
    assert [i["name"] for i in root["_embedded"]["items"]] == ["Docs", "Photos"]
    assert root["_embedded"]["total"] == 3 and root["_embedded"]["limit"] == 2
    names = http.get("/v1/disk/resources", params={
        "path": "/Photos", "fields": "name,_embedded.items.name"}).json()
    assert names == {"name": "Photos", "_embedded": {"items": [{"name": "cat.jpg"}]}}
    disk_error(http.get("/v1/disk/resources", params={"path": "/nope"}), 404,
               "DiskNotFoundError")
    disk_error(http.get("/v1/disk/resources"), 400, "FieldValidationError")


def test_admin_key_is_found_across_owners():
    body = client(build_org()).get(f"{ADMIN_BASE}/public-settings",
                                   params={"public_key": KEY_ADMIN}).json()
    assert body == {"available_until": None, "accesses": []}
