"""Domains and DNS records as view rows, and the mail check (no widgets; ``api/domains.py``).

**The mail check.** Mail for a domain needs three records, and the check looks for them *in
the records the API returns* (``GET …/domains/{domain}/dns``, every page), not in the
``mx``/``status`` flags of the domain: those are the server's last connection check, which
may be days old, while the records are what is set now (and what an edit here changes).

- **MX**: an ``MX`` record at the apex (``@``);
- **SPF**: a ``TXT`` record at the apex whose text starts ``v=spf1``;
- **DKIM**: a ``TXT`` record at ``<selector>._domainkey`` (Yandex 360 uses ``mail``) whose
  text holds ``v=DKIM1`` or a ``p=`` key.

A domain missing any of them gets a list of what is missing, in that order (``MX, SPF,
DKIM``). A domain whose records could not be read (a 403 for a token without the DNS scope, a
domain not delegated to Yandex…) is *unknown*, never "missing everything".

**Rows.** The Domains view reads every domain (``all_domains``) and then every domain's
records (``DNS_CONCURRENCY`` in flight) to count them and run the check: an organisation has
a handful of domains, so that is a few requests once per view.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import Y360Error
from ..api.models.domains import DnsRecord, Domain
from .paged import Chunk, PagedList

if TYPE_CHECKING:
    from ..api.client import Y360Client

WHOLE = 1_000_000  # one "page" of the Domains view holds every domain
DNS_PAGE = 50  # the API's default page of DNS records
DNS_CONCURRENCY = 4
MX, SPF, DKIM = "MX", "SPF", "DKIM"
DOMAIN = "domain"  # the detail kind (and the journal's object kind) of a domain


def _txt(record: DnsRecord) -> str:
    return (record.text or "").strip().strip('"').strip()


def _apex(record: DnsRecord) -> bool:
    return record.name.strip().rstrip(".") in ("@", "")


def has_mx(records: Iterable[DnsRecord]) -> bool:
    """An MX record at the apex."""
    return any(r.type.value == "MX" and _apex(r) for r in records)


def has_spf(records: Iterable[DnsRecord]) -> bool:
    """A TXT record at the apex starting ``v=spf1``."""
    return any(r.type.value == "TXT" and _apex(r) and _txt(r).lower().startswith("v=spf1")
               for r in records)


def has_dkim(records: Iterable[DnsRecord]) -> bool:
    """A TXT record at ``*._domainkey`` with a DKIM key."""
    return any(r.type.value == "TXT" and r.name.lower().rstrip(".").endswith("._domainkey")
               and ("v=dkim1" in _txt(r).lower() or "p=" in _txt(r)) for r in records)


def missing(records: list[DnsRecord]) -> tuple[str, ...]:
    """What the mail check finds missing, in the order MX, SPF, DKIM (empty: all set)."""
    found = {MX: has_mx(records), SPF: has_spf(records), DKIM: has_dkim(records)}
    return tuple(k for k, ok in found.items() if not ok)


def state_word(domain: Domain) -> str:
    """The verification state in words: ``verified``, else the status name, else
    ``not verified``."""
    if domain.verified:
        return "verified"
    name = domain.status.name if domain.status is not None else None
    value = str(name.value if name is not None else "").replace("_", " ")
    return value if value and value != "verified" else "not verified"


@dataclass(frozen=True)
class DomainRow:
    """One domain of the view, with its records' mail check.

    ``records`` is None (and ``missing`` empty) when the records could not be read;
    ``error`` then says why."""

    name: str
    master: bool
    verified: bool
    state: str
    delegated: bool
    records: int | None
    missing: tuple[str, ...] = ()
    error: str = ""

    @property
    def checked(self) -> bool:
        return self.records is not None

    def mark(self, what: str) -> str:
        """``✓ MX`` / ``✗ MX`` (words and a sign, never colour alone); ``?`` unknown."""
        if not self.checked:
            return "?"
        return "✗ no" if what in self.missing else "✓ yes"

    @property
    def check_text(self) -> str:
        """The check's result in words: ``MX, SPF, DKIM set`` / ``missing: DKIM``."""
        if not self.checked:
            return f"unknown: {self.error}" if self.error else "unknown"
        return f"missing: {', '.join(self.missing)}" if self.missing else "MX, SPF, DKIM set"

    def finding_label(self) -> tuple[str, str]:
        """For the Findings view: the domain and what it lacks."""
        return self.name, f"{self.name}: {self.check_text}"


def domain_row(domain: Domain, records: list[DnsRecord] | None, error: str = "") -> DomainRow:
    """A row from a domain and its records (None: they could not be read)."""
    return DomainRow(domain.name, domain.master, domain.verified, state_word(domain),
                     domain.delegated, None if records is None else len(records),
                     () if records is None else missing(records), error)


def failure(exc: Exception) -> str:
    """An API error in a few words (its status and message)."""
    status = getattr(exc, "status", None)
    message = getattr(exc, "message", "") or str(exc)
    return f"{status}: {message}" if status else message


async def load_rows(client: Y360Client, domains: list[Domain] | None = None
                    ) -> list[DomainRow]:
    """Every domain (read unless given) with its records counted and checked."""
    if domains is None:
        domains = await client.domains.all_domains()
    gate = asyncio.Semaphore(DNS_CONCURRENCY)

    async def one(domain: Domain) -> DomainRow:
        async with gate:
            try:
                records = await client.domains.all_dns(domain.name)
            except Y360Error as exc:
                return domain_row(domain, None, failure(exc))
        return domain_row(domain, records)

    return list(await asyncio.gather(*(one(d) for d in domains)))


async def find_domain(client: Y360Client, name: str) -> Domain:
    """One domain by name (the API lists them; there is no read of one)."""
    for domain in await client.domains.all_domains():
        if domain.name == name:
            return domain
    from ..api.errors import NotFound

    raise NotFound(404, f"domain {name} not found", path=f"domains/{name}")


def domain_key(row: DomainRow) -> str:
    """What ``/`` matches in the Domains view."""
    return "\t".join((row.name, row.state, "master" if row.master else "",
                      "delegated" if row.delegated else "", row.check_text))


def domains_paged(client: Y360Client) -> PagedList[DomainRow]:
    """The Domains view's list: every domain as one page."""

    async def fetch(page: int) -> Chunk[DomainRow]:
        rows = await load_rows(client) if page == 0 else []
        return Chunk(rows, total=len(rows))

    return PagedList.random(fetch, WHOLE, domain_key)


def record_value(record: DnsRecord) -> str:
    """A record's value as the view shows it (TXT quoted, as in a zone file)."""
    return f'"{record.content}"' if record.type.value == "TXT" else record.content


def record_key(record: DnsRecord) -> str:
    """What ``/`` matches in a domain's records."""
    return "\t".join((record.type.value, record.name, record.content,
                      str(record.record_id or "")))


def dns_paged(client: Y360Client, domain: str, page_size: int = DNS_PAGE
              ) -> PagedList[DnsRecord]:
    """A domain's DNS records, page by page as the table needs them (page/perPage)."""
    pager = client.domains.dns(domain, per_page=page_size)

    async def fetch(page: int) -> Chunk[DnsRecord]:
        got = await pager.get_page(page + 1)
        return Chunk(got.items, total=got.total)

    return PagedList.random(fetch, page_size, record_key)


def record_describe(record: dict[str, Any] | DnsRecord) -> str:
    """A record in one line of words: ``MX @ → mx.yandex.net. (priority 10), TTL 21600``."""
    rec = record if isinstance(record, DnsRecord) else DnsRecord.model_validate(record)
    text = f"{rec.type.value} {rec.name} → {record_value(rec)}"
    if rec.rank is not None:
        text += f" (priority {rec.rank})"
    if rec.ttl is not None:
        text += f", TTL {rec.ttl}"
    return text
