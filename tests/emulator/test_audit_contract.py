"""Wire contract of the audit routes: legacy mail/disk logs (§10.1-10.2), audit events (§10.3)."""

from __future__ import annotations

import base64

import pytest
from _fixtures import (
    ADMIN,
    AUDIT_TYPES,
    NOSCOPE_TOKEN,
    ORG_ID,
    USER1,
    USER2,
    audit_item,
    build_org,
    client,
)

from y360tui.emulator import events
from y360tui.emulator.routes import audit

MAIL = f"/security/v1/org/{ORG_ID}/audit_log/mail"
DISK = f"/security/v1/org/{ORG_ID}/audit_log/disk"
EVENTS = f"/v1/auditlog/organizations/{ORG_ID}/events"
WINDOW = {"started_at": "2025-01-01T00:00:00+00:00", "ended_at": "2025-06-02T00:00:00+00:00"}
MAIL_KEYS = {"eventType", "orgId", "userUid", "userLogin", "userName", "requestId", "uniqId",
             "source", "clientIp", "date"}
EVENT_KEYS = {"type", "status", "service", "uid", "org_id", "ip", "occurred_at", "is_system",
              "idempotency_id", "request_id", "meta"}


def api360_error(response, status: int) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["details"][0]["@type"].endswith("RequestInfo")
    return body


# --- legacy mail log -----------------------------------------------------------------------


def mail_pages(http, **params) -> list[list[dict]]:
    """Every page of the mail log, following nextPageToken."""
    pages, token = [], None
    while True:
        query = dict(params) if token is None else {**params, "pageToken": token}
        body = http.get(MAIL, params=query).json()
        pages.append(body["events"])
        token = body["nextPageToken"]
        assert isinstance(token, str)
        if token == "":
            return pages


def test_mail_page_shape_and_types():
    body = client(build_org()).get(MAIL, params={"pageSize": 3}).json()
    assert set(body) == {"events", "nextPageToken"}
    assert len(body["events"]) == 3 and body["nextPageToken"] == "3"
    for event in body["events"]:
        assert set(event) >= MAIL_KEYS
        assert isinstance(event["orgId"], int) and isinstance(event["userUid"], str)
        assert "from" in event


def test_mail_pages_concatenate_to_every_event_newest_first():
    org = build_org(mail=25)
    pages = mail_pages(client(org), pageSize=10)
    assert [len(p) for p in pages] == [10, 10, 5]
    ids = [e["uniqId"] for page in pages for e in page]
    assert ids == [e["uniqId"] for e in org.mail_events]
    dates = [e["date"] for page in pages for e in page]
    assert dates == sorted(dates, reverse=True)


def test_mail_exact_page_boundary_ends_with_empty_token():
    pages = mail_pages(client(build_org(mail=20)), pageSize=10)
    assert [len(p) for p in pages] == [10, 10]


@pytest.mark.parametrize("first", ["", "0", "0_0"])
def test_mail_first_page_tokens(first):
    body = client(build_org()).get(MAIL, params={"pageSize": 2, "pageToken": first}).json()
    assert [e["uniqId"] for e in body["events"]] == ["m0", "m1"]


def test_mail_orglib_offsets_resume_mid_way():
    # orglib computes pageToken = (page-1)*pageSize itself: page 3 of 4 is offset 8.
    body = client(build_org()).get(MAIL, params={"pageSize": 4, "pageToken": "8"}).json()
    assert [e["uniqId"] for e in body["events"]] == ["m8", "m9", "m10", "m11"]
    assert body["nextPageToken"] == "12"


def test_mail_empty_result_and_past_the_end():
    http = client(build_org(mail=0))
    assert http.get(MAIL).json() == {"events": [], "nextPageToken": ""}
    past = client(build_org(mail=5)).get(MAIL, params={"pageToken": "50"}).json()
    assert past == {"events": [], "nextPageToken": ""}


def test_mail_page_size_capped_at_100():
    body = client(build_org(mail=150)).get(MAIL, params={"pageSize": 500}).json()
    assert len(body["events"]) == 100 and body["nextPageToken"] == "100"


def test_mail_repeatable_filters():
    http = client(build_org(mail=40))
    query = [("includeUids", USER1), ("includeUids", USER2), ("pageSize", "100")]
    got = http.get(MAIL, params=query).json()["events"]
    assert got and {e["userUid"] for e in got} == {USER1, USER2}
    query = [("excludeUids", USER1), ("pageSize", "100")]
    assert USER1 not in {e["userUid"] for e in http.get(MAIL, params=query).json()["events"]}
    query = [("types", "message_seen"), ("types", "mailbox_send"), ("pageSize", "100")]
    types = {e["eventType"] for e in http.get(MAIL, params=query).json()["events"]}
    assert types == {"message_seen", "mailbox_send"}


def test_mail_filtered_paging_is_consistent():
    http = client(build_org(mail=40))
    pages = mail_pages(http, pageSize=3, includeUids=USER1)
    ids = [e["uniqId"] for page in pages for e in page]
    assert len(ids) == 10 and len(set(ids)) == 10


def test_mail_date_window_is_inclusive():
    http = client(build_org(mail=25))
    query = {"afterDate": "2025-06-01T09:00:00Z", "beforeDate": "2025-06-01T11:00:00Z"}
    got = http.get(MAIL, params=query).json()["events"]
    assert [e["uniqId"] for e in got] == ["m1", "m2", "m3"]


@pytest.mark.parametrize("params", [{"pageToken": "abc"}, {"pageSize": "0"},
                                    {"pageSize": "x"}, {"afterDate": "yesterday"}])
def test_mail_bad_parameters_are_400(params):
    api360_error(client(build_org()).get(MAIL, params=params), 400)


def test_mail_unknown_org_is_404_and_missing_scope_403():
    api360_error(client(build_org()).get("/security/v1/org/999/audit_log/mail"), 404)
    api360_error(client(build_org(), NOSCOPE_TOKEN).get(MAIL), 403)


def test_disk_log_pages_and_shape():
    http = client(build_org(disk_log=7))
    first = http.get(DISK, params={"pageSize": 5}).json()
    assert set(first) == {"events", "nextPageToken"} and first["nextPageToken"] == "5"
    assert {"eventType", "ownerUid", "path", "date", "uniqId"} <= set(first["events"][0])
    last = http.get(DISK, params={"pageSize": 5, "pageToken": "5"}).json()
    assert len(last["events"]) == 2 and last["nextPageToken"] == ""
    only = http.get(DISK, params={"includeUids": ADMIN}).json()["events"]
    assert {e["userUid"] for e in only} == {ADMIN}


# --- audit events (cloud-api) --------------------------------------------------------------


def event_pages(http, **params) -> list[dict]:
    """Every audit-events page, following iteration_key as orglib does (first key "0")."""
    pages, key = [], "0"
    while key is not None:
        body = http.get(EVENTS, params={**WINDOW, "count": 10, **params,
                                        "iteration_key": key}).json()
        assert set(body) == {"items", "iteration_key"}
        key = body["iteration_key"]
        assert key is None or (isinstance(key, str) and key != "")
        pages.append(body)
    return pages


def test_events_item_shape():
    body = client(build_org()).get(EVENTS, params={**WINDOW, "count": 2}).json()
    assert "code" not in body
    item = body["items"][0]
    assert set(item) == {"user_login", "user_name", "event"}
    assert isinstance(item["user_login"], str) and isinstance(item["user_name"], str)
    assert set(item["event"]) == EVENT_KEYS
    assert isinstance(item["event"]["meta"], dict) and isinstance(item["event"]["uid"], int)


def test_events_pages_cover_everything_once_and_end_with_null():
    org = build_org(audit=25)
    pages = event_pages(client(org))
    assert [len(p["items"]) for p in pages] == [10, 10, 5]
    assert pages[-1]["iteration_key"] is None
    ids = [i["event"]["idempotency_id"] for p in pages for i in p["items"]]
    assert ids == [i["event"]["idempotency_id"] for i in org.audit_events]


def test_events_exact_boundary_and_empty_window():
    pages = event_pages(client(build_org(audit=20)))
    assert [len(p["items"]) for p in pages] == [10, 10]
    empty = client(build_org(audit=20)).get(EVENTS, params={
        "started_at": "2020-01-01T00:00:00+00:00", "ended_at": "2020-02-01T00:00:00+00:00",
        "count": 10}).json()
    assert empty == {"items": [], "iteration_key": None}


def test_events_window_bounds_are_inclusive():
    # Events sit every minute (two per minute) back from 12:00.
    got = client(build_org(audit=25)).get(EVENTS, params={
        "started_at": "2025-06-01T11:58:00+00:00", "ended_at": "2025-06-01T11:59:00Z",
        "count": 100}).json()["items"]
    assert [i["event"]["idempotency_id"] for i in got] == [
        "ev-000002", "ev-000003", "ev-000004", "ev-000005"]


def test_events_cursor_survives_events_prepended_between_pages():
    org = build_org(audit=25)
    http = client(org)
    first = http.get(EVENTS, params={**WINDOW, "count": 5}).json()
    # A write lands between pages (its event is inside the window).
    events.record(org, "ya360_b2bplatform_user_updated", uid=ADMIN,
                  occurred_at="2025-06-01T12:00:00+00:00")
    second = http.get(EVENTS, params={**WINDOW, "count": 5,
                                      "iteration_key": first["iteration_key"]}).json()
    assert [i["event"]["idempotency_id"] for i in second["items"]] == [
        f"ev-{n:06d}" for n in range(5, 10)]


def test_events_cursor_splits_events_sharing_a_timestamp():
    # Items 2k and 2k+1 share occurred_at; a page boundary between them must not lose one.
    http = client(build_org(audit=8))
    pages = event_pages(http, count=3)
    ids = [i["event"]["idempotency_id"] for p in pages for i in p["items"]]
    assert ids == [f"ev-{n:06d}" for n in range(8)]


def test_events_filters():
    http = client(build_org(audit=60))
    base = {**WINDOW, "count": 100}
    got = http.get(EVENTS, params={**base, "types": f"{AUDIT_TYPES[0]},{AUDIT_TYPES[1]}"})
    assert {i["event"]["type"] for i in got.json()["items"]} == set(AUDIT_TYPES[:2])
    got = http.get(EVENTS, params={**base, "include_uids": f"{USER1},{USER2}"}).json()["items"]
    assert {str(i["event"]["uid"]) for i in got} == {USER1, USER2}
    got = http.get(EVENTS, params={**base, "exclude_uids": USER1}).json()["items"]
    assert got and USER1 not in {str(i["event"]["uid"]) for i in got}
    got = http.get(EVENTS, params={**base, "ip": "198.51.100.7"}).json()["items"]
    assert got and {i["event"]["ip"] for i in got} == {"198.51.100.7"}
    got = http.get(EVENTS, params={**base, "service": "Api"}).json()["items"]
    assert got and {i["event"]["service"] for i in got} == {"Api"}


def test_events_filtered_paging_resumes():
    pages = event_pages(client(build_org(audit=60)), count=4, include_uids=USER1)
    ids = [i["event"]["idempotency_id"] for p in pages for i in p["items"]]
    assert len(ids) == 15 and len(set(ids)) == 15


def test_events_count_capped_at_100():
    body = client(build_org(audit=150)).get(EVENTS, params={**WINDOW, "count": 1000}).json()
    assert len(body["items"]) == 100 and isinstance(body["iteration_key"], str)


@pytest.mark.parametrize("params", [
    {"started_at": WINDOW["started_at"], "count": 10},  # ended_at missing
    {**WINDOW},  # count missing (required by the reference)
    {**WINDOW, "count": 0},
    {**WINDOW, "count": 10, "include_uids": USER1, "exclude_uids": USER2},
    {**WINDOW, "count": 10, "iteration_key": "not-a-cursor"},
    {**WINDOW, "count": 10, "ended_at": "soon"},
])
def test_events_bad_requests_are_400_with_api360_body(params):
    api360_error(client(build_org()).get(EVENTS, params=params), 400)


def test_events_unknown_org_404_and_missing_scope_403():
    api360_error(client(build_org()).get(
        "/v1/auditlog/organizations/1/events", params={**WINDOW, "count": 1}), 404)
    api360_error(client(build_org(), NOSCOPE_TOKEN).get(
        EVENTS, params={**WINDOW, "count": 1}), 403)


def test_events_cursor_is_opaque_text():
    body = client(build_org()).get(EVENTS, params={**WINDOW, "count": 1}).json()
    base64.urlsafe_b64decode(body["iteration_key"])  # decodes: a string, not a number


def test_window_search_parses_only_logarithmically_many_timestamps(monkeypatch):
    # 250k events: finding the window and resuming must not parse every timestamp.
    org = build_org(audit=0)
    org.audit_events = [audit_item(i, step_seconds=2) for i in range(250_000)]
    http = client(org)
    calls = []
    real = audit.timestamp

    def counting(value: str) -> float:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(audit, "timestamp", counting)
    window = {"started_at": "2025-05-31T00:00:00Z", "ended_at": "2025-05-31T12:00:00Z"}
    first = http.get(EVENTS, params={**window, "count": 100}).json()
    second = http.get(EVENTS, params={**window, "count": 100,
                                      "iteration_key": first["iteration_key"]}).json()
    assert len(first["items"]) == len(second["items"]) == 100
    assert first["items"][-1]["event"]["occurred_at"] <= "2025-05-31T12:00:00+00:00"
    assert len(calls) < 200


def test_events_offset_with_an_unescaped_plus_is_understood():
    # curl users type "+00:00" raw; the query decoder turns that '+' into a space.
    response = client(build_org()).get(
        f"{EVENTS}?ended_at=2025-06-01T12:00:00+00:00&count=3")
    assert response.status_code == 200 and len(response.json()["items"]) == 3
