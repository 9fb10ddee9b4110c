"""Audit sub-client (reference §10): legacy mail and disk logs, organization audit events."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import httpx

from ._base import SubClient, check_int_range, check_window, exclusive, id_list, iso, timestamp
from .client import decode
from .errors import ApiError, DecodeError
from .models.audit import (
    AuditEvent,
    AuditEventsPage,
    DiskEvent,
    DiskEventsPage,
    MailEvent,
    MailEventsPage,
)
from .paging import Page, Pager, key_page, token_page

Moment = datetime | str


class AuditApi(SubClient):
    """Audit logs of ``client.org_id``: every method returns a Pager (styles b and c)."""

    def mail_log(
        self, page_size: int = 50, *, after: Moment | None = None, before: Moment | None = None,
        include_uids: Iterable[str | int] | None = None,
        exclude_uids: Iterable[str | int] | None = None, types: Iterable[str] | None = None,
        start: str | None = None,
    ) -> Pager[MailEvent]:
        """Legacy mail audit log, newest first (paging style b).

        ``page_size``: 1-100; ``after``/``before``: time bounds (naive = UTC);
        ``include_uids`` xor ``exclude_uids``; ``types``: mail event types.
        """
        params = self._legacy_params(page_size, after, before, include_uids, exclude_uids)
        params += [("types", t) for t in _strings("types", types)]
        return self._legacy_pager("/audit_log/mail", MailEventsPage, params, start)

    def disk_log(
        self, page_size: int = 50, *, after: Moment | None = None, before: Moment | None = None,
        include_uids: Iterable[str | int] | None = None,
        exclude_uids: Iterable[str | int] | None = None, start: str | None = None,
    ) -> Pager[DiskEvent]:
        """Legacy disk audit log (paging style b); same filters as ``mail_log`` minus types."""
        params = self._legacy_params(page_size, after, before, include_uids, exclude_uids)
        return self._legacy_pager("/audit_log/disk", DiskEventsPage, params, start)

    def events(
        self, ended_at: Moment, *, started_at: Moment | None = None, count: int = 100,
        types: Iterable[str] | None = None, include_uids: Iterable[str | int] | None = None,
        exclude_uids: Iterable[str | int] | None = None, ip: str | None = None,
        service: str | None = None, start: str | None = None,
    ) -> Pager[AuditEvent]:
        """Organization audit events in ``[started_at, ended_at]`` (paging style c).

        ``count``: page size 1-100; ``types``: event types; ``include_uids`` xor
        ``exclude_uids``; ``ip``: initiator IP; ``service``: e.g. ``Web``, ``Api``.
        """
        end = timestamp("ended_at", ended_at)
        if end is None:
            raise ValueError("ended_at is required")
        begin = timestamp("started_at", started_at)
        check_window(begin, end, "started_at", "ended_at")
        check_int_range("count", count, 1, 100)
        exclusive(include_uids=include_uids, exclude_uids=exclude_uids)
        base: dict[str, Any] = {
            "started_at": iso(begin), "ended_at": iso(end), "count": count,
            "types": _joined("types", types),
            "include_uids": _joined_ids("include_uids", include_uids),
            "exclude_uids": _joined_ids("exclude_uids", exclude_uids),
            "ip": ip, "service": service,
        }
        path = f"/v1/auditlog/organizations/{self.org_id}/events"

        async def fetch(key: str | None) -> Page[AuditEvent]:
            response = await self._client.send("cloud", "GET", path,
                                               params={**base, "iteration_key": key})
            try:
                body = decode(response, AuditEventsPage)
            except DecodeError:
                _raise_error_body(response, path)
                raise
            if "code" in (body.model_extra or {}):
                _raise_error_body(response, path)
            return key_page(body.items, body.iteration_key)

        return Pager(fetch, start)

    def _legacy_params(self, page_size: int, after: Moment | None, before: Moment | None,
                       include_uids: Any, exclude_uids: Any) -> list[tuple[str, Any]]:
        check_int_range("page_size", page_size, 1, 100)
        exclusive(include_uids=include_uids, exclude_uids=exclude_uids)
        low, high = timestamp("after", after), timestamp("before", before)
        check_window(low, high, "after", "before")
        params: list[tuple[str, Any]] = [("pageSize", page_size), ("afterDate", iso(low)),
                                         ("beforeDate", iso(high))]
        params += [("includeUids", u) for u in id_list("include_uids", include_uids) or []]
        params += [("excludeUids", u) for u in id_list("exclude_uids", exclude_uids) or []]
        return params

    def _legacy_pager(self, suffix: str, envelope: Any, params: list[tuple[str, Any]],
                      start: str | None) -> Pager[Any]:
        path = f"/security/v1/org/{self.org_id}{suffix}"

        async def fetch(token: str | None) -> Page[Any]:
            body = await self._call("GET", path, envelope, params=[*params, ("pageToken", token)])
            return token_page(body.events, body.next_page_token)

        return Pager(fetch, start)


def _raise_error_body(response: httpx.Response, path: str) -> None:
    """Raise the ApiError of an api360-style error body (top-level ``code``; orglib treats it
    as an error too) that came with a 2xx status; return if the body is no such error."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return
    if not (isinstance(body, dict) and "code" in body):
        return
    raise ApiError(response.status_code, str(body.get("message") or ""), code=body.get("code"),
                   details=body.get("details") or [], method="GET", path=path,
                   request_id=response.headers.get("x-request-id", ""))


def _strings(name: str, values: Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        raise ValueError(f"{name} must be a list of strings, not a single string")
    out = [str(v) for v in values]
    if any(not v or "," in v for v in out):
        raise ValueError(f"{name} entries must be non-empty and contain no commas")
    return out


def _joined(name: str, values: Iterable[str] | None) -> str | None:
    return ",".join(_strings(name, values)) or None if values is not None else None


def _joined_ids(name: str, values: Iterable[str | int] | None) -> str | None:
    ids = id_list(name, values)
    return ",".join(ids) or None if ids is not None else None
