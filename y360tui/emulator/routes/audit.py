"""Audit logs: legacy mail and disk logs (api360, §10.1-10.2) and audit events (cloud-api, §10.3).

Every event list in the org is kept **newest first**, so a time window is found by two binary
searches (``bisect`` with a key parses only O(log n) timestamps) and filters run only inside it.

The legacy logs page by decimal offset, because orglib computes ``pageToken`` itself as
``(page-1)*pageSize``. The audit-events cursor instead names the last event returned
(``occurred_at`` + ``idempotency_id``): writes prepend new events while a client pages, and an
offset would then repeat events, while a named position does not move.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from itertools import islice
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ..errors import ApiError
from ..state import Org
from .common import JSON, int_param, org_of, require_scope

# First-page tokens seen in the wild: orglib sends "0", scripts send "0_0".
FIRST_PAGE_TOKENS = ("", "0", "0_0")
UNESCAPED_PLUS = re.compile(r" (\d{2}:?\d{2})$")
MAX_PAGE = 100
Event = dict[str, Any]


def timestamp(value: str) -> float:
    """Seconds since the epoch of an ISO 8601 string; a naive time is taken as UTC.

    An offset whose ``+`` arrived unescaped in a query (``…T10:00:00 03:00``) is read as ``+``.
    """
    text = UNESCAPED_PLUS.sub(r"+\1", value.strip())
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def time_param(request: Request, name: str) -> float | None:
    """An optional date-time query parameter as a timestamp; 400 if it does not parse."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return timestamp(raw)
    except ValueError:
        raise ApiError(400, f"invalid date-time for {name}: {raw!r}", field=name) from None


def window(events: list[Event], when: Callable[[Event], str],
           after: float | None, before: float | None) -> tuple[int, int]:
    """Index range ``[lo, hi)`` of the newest-first ``events`` with ``after <= time <= before``."""
    def key(event: Event) -> float:
        return -timestamp(when(event))  # negated: bisect needs ascending keys

    lo = 0 if before is None else bisect.bisect_left(events, -before, key=key)
    hi = len(events) if after is None else bisect.bisect_right(events, -after, key=key)
    return lo, max(lo, hi)


def select(events: list[Event], lo: int, hi: int, keep: Callable[[Event], bool] | None,
           skip: int, count: int) -> tuple[list[Event], bool]:
    """From ``events[lo:hi]`` that ``keep`` accepts (all if None): skip ``skip``, take ``count``.

    Also reports whether at least one more match exists after the page.
    """
    if keep is None:  # no filter: plain slicing, whatever the window's size
        start = lo + skip
        return events[start:min(start + count, hi)], start + count < hi
    found = filter(keep, islice(events, lo, hi))
    if skip and next(islice(found, skip - 1, None), None) is None:
        return [], False
    page = list(islice(found, count))
    return page, next(found, None) is not None


def multi(request: Request, name: str) -> set[str]:
    """A repeatable query key (``a=1&a=2``); comma-separated values are accepted as well."""
    return {part for raw in request.query_params.getlist(name)
            for part in raw.split(",") if part.strip()}


# --- legacy mail and disk logs (api360, pageToken/nextPageToken) ---------------------------


def page_offset(request: Request) -> int:
    """The decimal offset in ``pageToken``; 400 for anything else."""
    token = request.query_params.get("pageToken", "").strip()
    if token in FIRST_PAGE_TOKENS:
        return 0
    if not token.isdigit():
        raise ApiError(400, f"invalid pageToken: {token!r}", field="pageToken")
    return int(token)


def legacy_filter(request: Request, with_types: bool) -> Callable[[Event], bool] | None:
    """The include/exclude uid (and event type) filter of a legacy log request; None if none."""
    include = multi(request, "includeUids")
    exclude = multi(request, "excludeUids")
    types = multi(request, "types") if with_types else set()
    if not (include or exclude or types):
        return None

    def keep(event: Event) -> bool:
        uid = event.get("userUid", "")
        return ((not include or uid in include) and uid not in exclude
                and (not types or event.get("eventType") in types))

    return keep


def legacy_log(request: Request, events: list[Event], with_types: bool) -> JSON:
    """One pageToken page of a legacy log: ``{"events", "nextPageToken"}``."""
    size = int_param(request, "pageSize", 10, hi=MAX_PAGE, clamp=True)
    offset = page_offset(request)
    after = time_param(request, "afterDate")
    before = time_param(request, "beforeDate")
    keep = legacy_filter(request, with_types)
    org: Org = request.app.state.org
    with org.lock:
        lo, hi = window(events, lambda e: e["date"], after, before)
        page, more = select(events, lo, hi, keep, offset, size)
    next_token = str(offset + len(page)) if more else ""
    return JSON({"events": page, "nextPageToken": next_token})


async def mail_log(request: Request) -> JSON:
    """GET /security/v1/org/{org_id}/audit_log/mail (§10.1)."""
    org = org_of(request)
    require_scope(request, "ya360_security:audit_log_mail")
    return legacy_log(request, org.mail_events, with_types=True)


async def disk_log(request: Request) -> JSON:
    """GET /security/v1/org/{org_id}/audit_log/disk (§10.2); no ``types`` filter there."""
    org = org_of(request)
    require_scope(request, "ya360_security:audit_log_disk")
    return legacy_log(request, org.disk_events, with_types=False)


# --- audit events (cloud-api, iteration_key cursor) ----------------------------------------


def encode_cursor(item: Event) -> str:
    """An opaque, non-empty cursor naming ``item`` (the last event of a page)."""
    event = item["event"]
    raw = json.dumps([event["occurred_at"], event["idempotency_id"]]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(token: str) -> tuple[float, str]:
    """``(timestamp, idempotency_id)`` of the event an ``iteration_key`` names; 400 if garbage."""
    try:
        occurred_at, event_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        return timestamp(occurred_at), str(event_id)
    except (ValueError, TypeError, binascii.Error):
        raise ApiError(400, f"invalid iteration_key: {token!r}", field="iteration_key") from None


def occurred(item: Event) -> str:
    return item["event"]["occurred_at"]


def resume_at(events: list[Event], token: str) -> int:
    """Index just after the event the cursor names (found among events with its timestamp)."""
    moment, event_id = decode_cursor(token)
    index = bisect.bisect_left(events, -moment, key=lambda e: -timestamp(occurred(e)))
    while index < len(events) and timestamp(occurred(events[index])) == moment:
        if events[index]["event"]["idempotency_id"] == event_id:
            return index + 1
        index += 1
    return index  # the named event is gone: continue with the strictly older ones


def events_filter(request: Request) -> Callable[[Event], bool] | None:
    """The types / uids / ip / service filter of an audit-events request (comma lists)."""
    include = multi(request, "include_uids")
    exclude = multi(request, "exclude_uids")
    if include and exclude:
        raise ApiError(400, "include_uids and exclude_uids cannot be used together",
                       field="include_uids")
    types = multi(request, "types")
    ip = request.query_params.get("ip") or None
    service = request.query_params.get("service") or None
    # Only the active checks run, each one lambda deep: a filter may scan 250k events.
    checks: list[Callable[[Event], bool]] = []
    if types:
        checks.append(lambda item: item["event"]["type"] in types)
    if include:
        checks.append(lambda item: str(item["event"].get("uid") or 0) in include)
    if exclude:
        checks.append(lambda item: str(item["event"].get("uid") or 0) not in exclude)
    if ip is not None:
        checks.append(lambda item: item["event"].get("ip") == ip)
    if service is not None:
        checks.append(lambda item: item["event"].get("service") == service)
    if not checks:
        return None
    return functools.reduce(both, checks)


def both(first: Callable[[Event], bool], second: Callable[[Event], bool]
         ) -> Callable[[Event], bool]:
    return lambda item: first(item) and second(item)


def required_count(request: Request) -> int:
    """``count`` is required by the reference (``count*``): 400 without it, capped at 100."""
    if not request.query_params.get("count"):
        raise ApiError(400, "count is required", field="count")
    return int_param(request, "count", MAX_PAGE, hi=MAX_PAGE, clamp=True)


async def audit_events(request: Request) -> JSON:
    """GET /v1/auditlog/organizations/{org_id}/events (§10.3)."""
    org = org_of(request)
    require_scope(request, "ya360_security:read_auditlog")
    if not request.query_params.get("ended_at"):
        raise ApiError(400, "ended_at is required", field="ended_at")
    before = time_param(request, "ended_at")
    after = time_param(request, "started_at")
    count = required_count(request)
    keep = events_filter(request)
    token = request.query_params.get("iteration_key", "").strip()
    events = org.audit_events
    with org.lock:
        lo, hi = window(events, occurred, after, before)
        start = lo if token in ("", "0") else max(lo, resume_at(events, token))
        page, more = select(events, start, hi, keep, 0, count)
    cursor = encode_cursor(page[-1]) if more and page else None
    return JSON({"items": page, "iteration_key": cursor})


routes = [
    Route("/security/v1/org/{org_id}/audit_log/mail", mail_log, methods=["GET"]),
    Route("/security/v1/org/{org_id}/audit_log/disk", disk_log, methods=["GET"]),
    Route("/v1/auditlog/organizations/{org_id}/events", audit_events, methods=["GET"]),
]
