"""Domains (``0 d``): the organisation's domains and their mail check (``data.domains``).

Columns: domain, master, verification state, delegated (to Yandex's DNS servers), MX, SPF and
DKIM (``✓ yes`` / ``✗ no`` in words, ``?`` when the records could not be read) and the number
of DNS records. ``/`` filters (``dkim:no``, ``verified:no``, ``records:>10``), ``s`` sorts,
Ctrl+S exports (also headless: ``y360tui export domains``). Enter opens the domain: its state,
the check's result and its DNS records, page by page, where records are added and removed and
verification is started.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...data.domains import DKIM, DOMAIN, MX, SPF, DomainRow, domain_key
from ...data.paged import PagedList
from ...data.query import Field
from ...data.sources import domains_source
from ..registry import register_view
from ..widgets.lazy_table import Column
from .list_view import ListScreen


def _missing_count(row: DomainRow) -> int:
    return len(row.missing) if row.checked else -1


@register_view(key="d", name="domains", title="Domains",
               description="the organisation's domains: verification, MX/SPF/DKIM, DNS records")
class DomainsScreen(ListScreen):
    """Every domain of the organisation (see the module docstring)."""

    TITLE = "Domains"
    DETAIL_KIND = DOMAIN
    PAGE_SIZE = 1_000_000  # every domain (and its records' check) is one read
    EMPTY = "no domains"
    PLACEHOLDER = "loading domains and their DNS records…"
    COLUMNS = [
        Column("Domain", 22, priority=0, flex=True, grow=10),
        Column("Master", 6, priority=2),
        Column("State", 12, priority=0),
        Column("Delegated", 9, priority=1),
        Column("MX", 5, priority=0, sort_key=lambda r: MX in r.missing),
        Column("SPF", 5, priority=0, sort_key=lambda r: SPF in r.missing),
        Column("DKIM", 5, priority=0, sort_key=lambda r: DKIM in r.missing),
        Column("Records", 7, priority=1, align_right=True,
               sort_key=lambda r: -1 if r.records is None else r.records),
    ]

    def make_list(self) -> PagedList[Any]:
        """The domains with their records checked (``data.sources.domains_source``)."""
        self.source = domains_source(self.app.client)  # type: ignore[attr-defined]
        return self.source.paged

    def fields(self) -> list[Field]:
        """``data.fields.domain_fields``: filter names and export columns."""
        return self.source.fields

    def search_key(self, row: DomainRow) -> str:
        return domain_key(row)

    def cells(self, row: DomainRow) -> Sequence[str]:
        """Domain, master, state, delegated, MX, SPF, DKIM, records."""
        return (row.name, "master" if row.master else "", row.state,
                "yes" if row.delegated else "no", row.mark(MX), row.mark(SPF), row.mark(DKIM),
                "?" if row.records is None else str(row.records))

    def detail_target(self, row: DomainRow) -> tuple[str, str]:
        """Open the domain by name."""
        return row.name, row.name


class FindingDomainsScreen(DomainsScreen):
    """The domains of a finding ("Domains without MX/SPF/DKIM"), as the Domains view shows
    them; Enter opens the domain."""

    def __init__(self, finding: Any) -> None:
        self.finding = finding
        super().__init__(crumb=finding.title)

    def make_list(self) -> PagedList[Any]:
        """The finding's domain rows."""
        from .finding_objects import fixed_list

        self.source = domains_source(self.app.client)  # type: ignore[attr-defined]
        return fixed_list(lambda: list(self.finding.objects), domain_key)
