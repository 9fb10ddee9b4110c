"""api360 domains and DNS (issue 10 §4; reference in ``y360tui/api/domains.py``).

State: ``org.domains`` (``generate/domains.py``). A domain's ``mx`` flag and ``status`` are
worked out from its records on every read: MX matches when an apex MX points at
``mx.yandex.net``, SPF when an apex TXT starts ``v=spf1`` and names ``_spf.yandex.net``,
DKIM when a TXT at ``mail._domainkey`` starts ``v=DKIM1``, NS when the domain is delegated.

Scopes: domains ``directory:read_domains`` / ``directory:write_domains`` (a write scope also
reads); DNS ``directory:manage_dns`` (read and write) — reading DNS is also allowed with
``directory:read_domains`` ([uncertain], so a read-only token can browse records). Writes are
visible to the next read and log one audit event each: ``ya360_b2bplatform_domain_created``,
``…_domain_deleted``, and ``…_domain_updated`` (``meta``: ``domain`` and ``dns`` added/removed
with the record, or ``verification`` with the result). A malformed record answers 400 naming
the field; an unknown domain or record 404.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from .. import events
from ..errors import ApiError
from ..state import Org
from .common import (
    JSON,
    caller,
    int_param,
    json_body,
    org_of,
    page_body,
    paging,
    require_scope,
)

BASE = "/directory/v1/org/{org_id}/domains"
READ = ("directory:read_domains", "directory:write_domains")
WRITE = ("directory:write_domains",)
DNS_READ = ("directory:manage_dns", "directory:read_domains", "directory:write_domains")
DNS_WRITE = ("directory:manage_dns",)
TYPES = ("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS", "CAA")
MAX_DOMAINS_PER_PAGE = 10
MAX_DNS_PER_PAGE = 1000
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAME = re.compile(r"^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
                   r"(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*)$")


def _org(request: Request, scopes: tuple[str, ...]) -> Org:
    org = org_of(request)
    require_scope(request, *scopes)
    return org


def _bad(field: str, message: str) -> ApiError:
    return ApiError(400, f"{field}: {message}", field=field)


def _domain(org: Org, request: Request) -> dict[str, Any]:
    name = str(request.path_params["domain"]).lower().rstrip(".")
    domain = org.domains.get(name)
    if domain is None:
        raise ApiError(404, f"domain {name} not found")
    return domain


def _apex_txt(domain: dict[str, Any]) -> list[str]:
    return [r.get("text", "") for r in domain["records"]
            if r["type"] == "TXT" and r["name"] == "@"]


def _checks(domain: dict[str, Any]) -> dict[str, dict[str, Any]]:
    records = domain["records"]
    mx = [r for r in records if r["type"] == "MX" and r["name"] == "@"]
    spf = [t for t in _apex_txt(domain) if t.startswith("v=spf1")]
    dkim = [r.get("text", "") for r in records
            if r["type"] == "TXT" and r["name"] == "mail._domainkey"]
    mx_ok = any(r.get("exchange", "").rstrip(".") == "mx.yandex.net" for r in mx)
    return {
        "mx": {"match": mx_ok, "value": mx[0].get("exchange", "") if mx else ""},
        "spf": {"match": any("_spf.yandex.net" in t for t in spf),
                "value": spf[0] if spf else ""},
        "dkim": {"match": any(t.startswith("v=DKIM1") for t in dkim),
                 "value": dkim[0] if dkim else ""},
        "ns": {"match": bool(domain["delegated"]),
               "value": "dns1.yandex.net, dns2.yandex.net" if domain["delegated"] else ""},
    }


def _status(domain: dict[str, Any]) -> dict[str, Any]:
    return {"name": "verified" if domain["verified"] else "not_verified",
            "lastCheck": domain["lastCheck"], "lastAdded": domain["lastAdded"],
            **_checks(domain)}


def _wire(domain: dict[str, Any]) -> dict[str, Any]:
    return {"name": domain["name"], "country": domain["country"],
            "mx": _checks(domain)["mx"]["match"], "delegated": domain["delegated"],
            "master": domain["master"], "verified": domain["verified"],
            "status": _status(domain)}


def _log(request: Request, org: Org, event: str, **meta: Any) -> None:
    events.record(org, f"ya360_b2bplatform_domain_{event}", uid=caller(request)["uid"],
                  meta=meta)


# ---------------------------------------------------------------- domains


async def list_domains(request: Request) -> JSON:
    """GET …/domains: page/perPage (at most 10 a page)."""
    org = _org(request, READ)
    page, per_page = paging(request, max_per_page=MAX_DOMAINS_PER_PAGE)
    with org.lock:
        items = [_wire(d) for d in org.domains.values()]
    return JSON(page_body("domains", items, page, per_page))


async def domain_status(request: Request) -> JSON:
    """GET …/domains/{domain}/status: the last check and when the next one runs."""
    org = _org(request, READ)
    with org.lock:
        domain = _domain(org, request)
        body = _status(domain)
    body["nextCheck"] = events.now_iso().replace("+00:00", "Z")
    return JSON(body)


def _domain_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, "field domain is required", field="domain")
    name = value.strip().lower().rstrip(".")
    labels = name.split(".")
    if len(labels) < 2 or not all(_LABEL.match(p) for p in labels):
        raise _bad("domain", f"{value!r} is not a domain name (Punycode for Cyrillic names)")
    return name


async def add_domain(request: Request) -> JSON:
    """POST …/domains ``{"domain"}``: the new domain, not verified, not delegated."""
    org = _org(request, WRITE)
    name = _domain_name((await json_body(request)).get("domain"))
    now = events.now_iso().replace("+00:00", "Z")
    with org.lock:
        if name in org.domains:
            raise ApiError(409, f"domain {name} is already connected")
        domain = org.domains[name] = {
            "name": name, "country": "ru", "delegated": False, "master": False,
            "verified": False, "lastAdded": now, "lastCheck": now, "records": []}
        body = _wire(domain)
    _log(request, org, "created", domain=name)
    return JSON(body)


async def delete_domain(request: Request) -> JSON:
    """DELETE …/domains/{domain}: ``{}``; the master domain cannot be removed (400)."""
    org = _org(request, WRITE)
    with org.lock:
        domain = _domain(org, request)
        if domain["master"]:
            raise ApiError(400, f"domain {domain['name']} is the master domain")
        del org.domains[domain["name"]]
    _log(request, org, "deleted", domain=domain["name"])
    return JSON({})


async def verify_domain(request: Request) -> JSON:
    """POST …/domains/{domain}/verify: checks for a ``yandex-verification:`` TXT at the apex;
    answers the domain's new status."""
    org = _org(request, WRITE)
    now = events.now_iso().replace("+00:00", "Z")
    with org.lock:
        domain = _domain(org, request)
        was = domain["verified"]
        domain["lastCheck"] = now
        if any(t.startswith("yandex-verification:") for t in _apex_txt(domain)):
            domain["verified"] = True
        body = _status(domain)
    _log(request, org, "updated", domain=domain["name"],
         verification="verified" if domain["verified"] else "not_verified", was_verified=was)
    return JSON(body)


# ---------------------------------------------------------------- DNS


async def list_dns(request: Request) -> JSON:
    """GET …/domains/{domain}/dns: page/perPage (50 a page by default)."""
    org = _org(request, DNS_READ)
    page = int_param(request, "page", 1)
    per_page = int_param(request, "perPage", 50, hi=MAX_DNS_PER_PAGE, clamp=True)
    with org.lock:
        records = [dict(r) for r in _domain(org, request)["records"]]
    return JSON(page_body("records", records, page, per_page))


def _host(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"field {field} is required", field=field)
    bare = value.strip().rstrip(".").lower()
    if not all(_LABEL.match(p) for p in bare.split(".")):
        raise _bad(field, f"{value!r} is not a host name")
    return value.strip()


def _num(body: dict[str, Any], field: str, low: int, high: int, default: int | None = None
         ) -> int:
    value = body.get(field, default)
    if value is None:
        raise ApiError(400, f"field {field} is required", field=field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(field, "must be an integer")
    if not low <= value <= high:
        raise _bad(field, f"must be between {low} and {high}")
    return value


def _record(body: dict[str, Any]) -> dict[str, Any]:
    """A record from a request body, checked per type (400 naming the field)."""
    rtype = body.get("type")
    if not isinstance(rtype, str) or rtype.upper() not in TYPES:
        raise _bad("type", f"unknown record type {rtype!r} (one of {', '.join(TYPES)})")
    rtype = rtype.upper()
    name = body.get("name", "@")
    if not isinstance(name, str) or not _NAME.match(name.strip().lower().rstrip(".") or "@"):
        raise _bad("name", f"{name!r} is not a record name")
    out: dict[str, Any] = {"type": rtype, "name": name.strip().lower().rstrip(".") or "@",
                           "ttl": _num(body, "ttl", 60, 604_800, 21600)}
    if rtype in ("A", "AAAA"):
        raw = body.get("address")
        if not isinstance(raw, str) or not raw.strip():
            raise ApiError(400, "field address is required", field="address")
        try:
            ip = ipaddress.ip_address(raw.strip())
        except ValueError:
            raise _bad("address", f"{raw!r} is not an IP address") from None
        if (ip.version == 4) != (rtype == "A"):
            raise _bad("address", f"{raw} is not an IPv{4 if rtype == 'A' else 6} address")
        out["address"] = ip.compressed
    elif rtype == "MX":
        out["exchange"] = _host(body, "exchange")
        out["preference"] = _num(body, "preference", 0, 65535)
    elif rtype == "TXT":
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "field text is required", field="text")
        if '"' in text:
            raise _bad("text", "must not contain double quotes")
        out["text"] = text
    elif rtype in ("CNAME", "NS"):
        out["target"] = _host(body, "target")
    elif rtype == "SRV":
        out["target"] = _host(body, "target")
        out["priority"] = _num(body, "priority", 0, 65535)
        out["weight"] = _num(body, "weight", 0, 65535)
        out["port"] = _num(body, "port", 1, 65535)
    else:
        out["flag"] = _num(body, "flag", 0, 255, 0)
        tag = body.get("tag")
        if tag not in ("issue", "issuewild", "iodef"):
            raise _bad("tag", "must be issue, issuewild or iodef")
        out["tag"] = tag
        value = body.get("value")
        if not isinstance(value, str) or not value.strip():
            raise ApiError(400, "field value is required", field="value")
        out["value"] = value.strip()
    return out


async def add_dns(request: Request) -> JSON:
    """POST …/domains/{domain}/dns: the new record with its ``recordId``."""
    org = _org(request, DNS_WRITE)
    fields = _record(await json_body(request))
    with org.lock:
        domain = _domain(org, request)
        if fields["type"] == "CNAME" and any(r["name"] == fields["name"]
                                             for r in domain["records"]):
            raise _bad("name", f"{fields['name']} already has records: a CNAME must be alone")
        org.domains_seq += 1
        created = {"recordId": org.domains_seq, **fields}
        domain["records"].append(created)
    _log(request, org, "updated", domain=domain["name"], dns="added",
         recordId=created["recordId"], type=created["type"], name=created["name"])
    return JSON(created)


async def delete_dns(request: Request) -> JSON:
    """DELETE …/domains/{domain}/dns/{recordId}: ``{}``."""
    org = _org(request, DNS_WRITE)
    raw = request.path_params["record_id"]
    with org.lock:
        domain = _domain(org, request)
        found = next((r for r in domain["records"] if str(r["recordId"]) == raw), None)
        if found is None:
            raise ApiError(404, f"record {raw} not found in domain {domain['name']}")
        domain["records"] = [r for r in domain["records"] if r is not found]
    _log(request, org, "updated", domain=domain["name"], dns="removed",
         recordId=found["recordId"], type=found["type"], name=found["name"])
    return JSON({})


routes = [
    Route(BASE, list_domains, methods=["GET"]),
    Route(BASE, add_domain, methods=["POST"]),
    Route(BASE + "/{domain}", delete_domain, methods=["DELETE"]),
    Route(BASE + "/{domain}/status", domain_status, methods=["GET"]),
    Route(BASE + "/{domain}/verify", verify_domain, methods=["POST"]),
    Route(BASE + "/{domain}/dns", list_dns, methods=["GET"]),
    Route(BASE + "/{domain}/dns", add_dns, methods=["POST"]),
    Route(BASE + "/{domain}/dns/{record_id}", delete_dns, methods=["DELETE"]),
]
