"""Domains and DNS sub-client (issue 10 §4).

Reference (public API 360 documentation, ``yandex.ru/dev/api360/doc/ru/ref/DomainService``
and ``…/ref/DomainDNSService``; host api360, or the family's own host through
``family_urls["domains"]``):

Domains — scopes ``directory:read_domains`` (read) and ``directory:write_domains`` (read and
write):

- ``GET /directory/v1/org/{orgId}/domains?page=&perPage=`` -> ``{"domains": [Domain], "page",
  "pages", "perPage", "total"}``; ``page`` defaults to 1, ``perPage`` is **at most 10** (the
  docs). ``Domain``: ``name``, ``country``, ``mx``, ``delegated``, ``master``, ``verified``
  (booleans) and ``status`` (``name``, ``lastCheck``, ``lastAdded``, ``spf``/``mx``/``ns``/
  ``dkim``: ``{"match": bool, "value": str}``).
- ``GET …/domains/{domain}/status`` -> the connection status of the domain (the result of the
  last check, when it ran and when the next one runs). **[uncertain]** its exact body: this
  client reads it as the ``status`` object of a domain plus ``nextCheck``.
- ``POST …/domains`` with ``{"domain": "example.com"}`` adds a domain; **[uncertain]** the
  reply: read as a ``Domain`` (the emulator answers the new, unverified domain).
- ``DELETE …/domains/{domain}`` removes a domain (not the master one); reply ``{}``.
- ``POST …/domains/{domain}/verify`` starts the ownership check (the issue's appendix path;
  **[uncertain]**: the public pages show the status method, not this one). Reply read as a
  ``DomainStatus`` (the emulator answers the new status; the check succeeds when the domain
  holds its ``yandex-verification`` TXT record, which the demo's unverified domain lacks
  until one is added).

Domain names in paths are the full name; a Cyrillic domain goes as Punycode (the docs), which
``domain_name`` does.

DNS — scope ``directory:manage_dns`` ("управление DNS (чтение и запись)"); the records live
on Yandex's DNS servers (meaningful for a domain delegated to them):

- ``GET …/domains/{domain}/dns?page=&perPage=`` -> ``{"records": [DnsRecord], "page",
  "pages", "perPage", "total"}``; perPage default 50 (the appendix).
- ``POST …/domains/{domain}/dns`` with a record (no ``recordId``) -> the new record.
- ``DELETE …/domains/{domain}/dns/{recordId}`` -> ``{}``.
- (``POST …/dns/{recordId}`` edits one; not used here.)
- ``DnsRecord`` (as public clients of the API spell it): ``recordId`` (int), ``type``,
  ``name`` (``@`` for the apex), ``ttl`` and per type ``address`` (A/AAAA), ``exchange`` +
  ``preference`` (MX), ``text`` (TXT), ``target`` (CNAME/NS, and SRV with ``priority``,
  ``weight``, ``port``), ``flag``/``tag``/``value`` (CAA).
- **[uncertain]** whether a read-only token (``directory:read_domains``) may list DNS
  records: the docs name only ``manage_dns``. This client does not care; the emulator lets
  either scope read and only ``manage_dns`` write, so the demo's read-only token can browse.
- **[uncertain]** TTL bounds: ``validate_record`` asks for 60…604800 seconds (the API's
  limits are not published; these are the usual DNS hosting ones).

Errors: the api360 body ``{"code", "message", "details"}`` for 400/401/403/404, typed by
``client.call`` (``api.errors``). An unknown domain answers 404.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from ._base import SubClient, check_int_range, check_str
from .models.domains import DnsList, DnsRecord, Domain, DomainList, DomainStatus
from .paging import NumberedPager, Page

MAX_DOMAINS_PER_PAGE = 10  # the docs
DNS_PER_PAGE = 50  # the appendix's default
MAX_DNS_PER_PAGE = 1000  # [uncertain]
TTL_MIN, TTL_MAX = 60, 604_800  # [uncertain], see above
RECORD_TYPES = ("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS", "CAA")
TXT_MAX = 4096  # the demo's bound on one TXT value; a DNS string is at most 255 bytes

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_NAME = re.compile(r"^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
                   r"(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*)$")


def domain_name(value: Any) -> str:
    """A full domain name, lower-cased and in Punycode (``домен.рф`` -> ``xn--d1acufc.xn--p1ai``);
    ValueError for anything that is not one."""
    text = check_str("domain", value).strip().rstrip(".").lower()
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{text!r} is not a domain name") from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253 or not all(_LABEL.match(p) for p in labels):
        raise ValueError(f"{text!r} is not a full domain name (name.tld)")
    return ascii_name


def _host(name: str, value: Any) -> str:
    """A host name a record points at (``mx.yandex.net.``), kept as given (trailing dot too)."""
    text = check_str(name, value).strip()
    bare = text.rstrip(".")
    if not bare or not all(_LABEL.match(p) for p in bare.lower().split(".")):
        raise ValueError(f"{name} must be a host name, got {text!r}")
    return text


def _int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip():
        try:
            value = int(value.strip())
        except ValueError:
            raise ValueError(f"{name} must be a whole number, got {value!r}") from None
    if value is None or value == "":
        raise ValueError(f"{name} is required")
    return check_int_range(name, value, low, high)


def validate_record(record: DnsRecord | dict[str, Any]) -> dict[str, Any]:
    """A record to send, checked per type; the wire dict (camelCase, no ``recordId``).
    ValueError with a readable message for the first problem found."""
    data = (record.model_dump(by_alias=True, exclude_none=True, mode="json")
            if isinstance(record, DnsRecord) else dict(record))
    rtype = str(data.get("type") or "").strip().upper()
    if rtype not in RECORD_TYPES:
        raise ValueError(f"type must be one of {', '.join(RECORD_TYPES)}, got {rtype or 'none'!r}")
    name = str(data.get("name") or "@").strip().lower().rstrip(".") or "@"
    if not _NAME.match(name):
        raise ValueError(f"name must be @ or a host name inside the domain, got {name!r}")
    out: dict[str, Any] = {"type": rtype, "name": name,
                           "ttl": _int("ttl", data.get("ttl", 21600), TTL_MIN, TTL_MAX)}
    if rtype in ("A", "AAAA"):
        raw = check_str("address", data.get("address") or "").strip()
        try:
            ip = ipaddress.ip_address(raw)
        except ValueError:
            raise ValueError(f"address must be an IP address, got {raw!r}") from None
        if (ip.version == 4) != (rtype == "A"):
            raise ValueError(f"an {rtype} record needs an IPv{6 if rtype == 'AAAA' else 4} "
                             f"address, got {raw}")
        out["address"] = ip.compressed
    elif rtype == "MX":
        out["exchange"] = _host("exchange", data.get("exchange") or "")
        out["preference"] = _int("preference (priority)", data.get("preference"), 0, 65535)
    elif rtype == "TXT":
        text = check_str("text", data.get("text") or "")
        if text.startswith('"') != text.endswith('"') or (text.startswith('"') and len(text) < 2):
            raise ValueError("text has an unbalanced quote: give it without quotes, or "
                             "quoted at both ends")
        if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1]
        if not text.strip():
            raise ValueError("text must not be empty")
        if '"' in text:
            raise ValueError('text must not contain a double quote (")')
        if len(text) > TXT_MAX:
            raise ValueError(f"text is longer than {TXT_MAX} characters")
        out["text"] = text
    elif rtype in ("CNAME", "NS"):
        out["target"] = _host("target", data.get("target") or "")
    elif rtype == "SRV":
        out["target"] = _host("target", data.get("target") or "")
        out["priority"] = _int("priority", data.get("priority"), 0, 65535)
        out["weight"] = _int("weight", data.get("weight"), 0, 65535)
        out["port"] = _int("port", data.get("port"), 1, 65535)
    else:  # CAA
        out["flag"] = _int("flag", data.get("flag", 0), 0, 255)
        tag = check_str("tag", data.get("tag") or "").strip()
        if tag not in ("issue", "issuewild", "iodef"):
            raise ValueError(f"tag must be issue, issuewild or iodef, got {tag!r}")
        out["tag"] = tag
        out["value"] = check_str("value", data.get("value") or "").strip()
    return out


def _page(items: list[Any], pages: int | None, total: int | None, number: int,
          per_page: int) -> Page[Any]:
    if pages is None and total is not None:
        pages = -(-total // per_page)
    more = number < pages if pages is not None else len(items) >= per_page
    return Page(items, total, number + 1 if more else None, more, number, pages)


class DomainsApi(SubClient):
    """Domains of ``client.org_id`` and their DNS records (see the module docstring)."""

    family = "domains"

    def _path(self, suffix: str = "") -> str:
        return f"/directory/v1/org/{self.org_id}/domains{suffix}"

    # -- domains ---------------------------------------------------------------------------

    def list(self, per_page: int = MAX_DOMAINS_PER_PAGE, *, start: int = 1
             ) -> NumberedPager[Domain]:
        """The organisation's domains, page by page (page/perPage, at most 10 a page)."""
        check_int_range("per_page", per_page, 1, MAX_DOMAINS_PER_PAGE)
        check_int_range("start", start, 1)

        async def fetch(number: int) -> Page[Domain]:
            body = await self._call("GET", self._path(), DomainList,
                                    params={"page": number, "perPage": per_page})
            return _page(body.domains, body.pages, body.total, number, per_page)

        return NumberedPager(fetch, start)

    async def all_domains(self) -> list[Domain]:
        """Every domain of the organisation (every page)."""
        return await self.list().fetch_all()

    async def status(self, domain: str) -> DomainStatus:
        """The connection status of ``domain`` (last check, next check, SPF/MX/NS/DKIM)."""
        return await self._call("GET", self._path(f"/{domain_name(domain)}/status"),
                                DomainStatus)

    async def add_domain(self, domain: str) -> Domain:
        """Connect a new domain to the organisation (it starts unverified)."""
        return await self._call("POST", self._path(), Domain,
                                json_body={"domain": domain_name(domain)})

    async def delete_domain(self, domain: str) -> None:
        """Disconnect ``domain`` from the organisation."""
        await self._call("DELETE", self._path(f"/{domain_name(domain)}"), None)

    async def verify(self, domain: str) -> DomainStatus:
        """Start the ownership check of ``domain`` ([uncertain] path, see above)."""
        return await self._call("POST", self._path(f"/{domain_name(domain)}/verify"),
                                DomainStatus)

    # -- DNS -------------------------------------------------------------------------------

    def dns(self, domain: str, per_page: int = DNS_PER_PAGE, *, start: int = 1
            ) -> NumberedPager[DnsRecord]:
        """The DNS records of ``domain``, page by page (page/perPage, 50 a page by default)."""
        name = domain_name(domain)
        check_int_range("per_page", per_page, 1, MAX_DNS_PER_PAGE)
        check_int_range("start", start, 1)

        async def fetch(number: int) -> Page[DnsRecord]:
            body = await self._call("GET", self._path(f"/{name}/dns"), DnsList,
                                    params={"page": number, "perPage": per_page})
            return _page(body.records, body.pages, body.total, number, per_page)

        return NumberedPager(fetch, start)

    async def all_dns(self, domain: str) -> list[DnsRecord]:
        """Every DNS record of ``domain``."""
        return await self.dns(domain).fetch_all()

    async def add_record(self, domain: str, record: DnsRecord | dict[str, Any]) -> DnsRecord:
        """Add a DNS record (checked by ``validate_record`` before anything is sent);
        returns the record as created, with its ``record_id``."""
        name = domain_name(domain)
        body = validate_record(record)
        return await self._call("POST", self._path(f"/{name}/dns"), DnsRecord, json_body=body)

    async def delete_record(self, domain: str, record_id: int | str) -> None:
        """Remove DNS record ``record_id`` of ``domain``."""
        name = domain_name(domain)
        rid = _int("record_id", record_id, 1, 2**63 - 1)
        await self._call("DELETE", self._path(f"/{name}/dns/{rid}"), None)
