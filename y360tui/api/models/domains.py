"""Domains and their DNS records (issue 10 §4; reference in ``api/domains.py``).

Wire spelling (camelCase, as the rest of ``/directory``):

- a domain: ``name``, ``country``, ``mx``, ``delegated``, ``master``, ``verified`` (booleans)
  and ``status`` (the last connection check: ``name``, ``lastCheck``, ``lastAdded``, and
  ``spf``/``mx``/``ns``/``dkim`` each ``{"match": bool, "value": str}`` or null);
- a DNS record: ``recordId``, ``type``, ``name``, ``ttl`` and the fields of its type —
  ``address`` (A, AAAA), ``exchange`` + ``preference`` (MX), ``text`` (TXT), ``target``
  (CNAME, NS; SRV with ``priority``, ``weight``, ``port``), ``flag``/``tag``/``value`` (CAA).

Unknown keys are kept (``model_extra``); an unknown record type or status name is tolerated
(``SafeEnum``).
"""

from __future__ import annotations

from pydantic import Field

from .common import ApiModel, SafeEnum


class CheckResult(ApiModel):
    """One item of a domain's connection check: whether the record found matches."""

    match: bool | None = None
    value: str = ""


class DomainState(SafeEnum):
    """``status.name``: where the domain's connection stands ([uncertain] values)."""

    VERIFIED = "verified"
    NOT_VERIFIED = "not_verified"
    IN_PROGRESS = "in_progress"


class DomainStatus(ApiModel):
    """The last connection check of a domain (``status`` in a domain, and
    ``GET …/domains/{domain}/status``)."""

    name: DomainState | None = None
    last_check: str | None = None
    last_added: str | None = None
    next_check: str | None = None
    spf: CheckResult | None = None
    mx: CheckResult | None = None
    ns: CheckResult | None = None
    dkim: CheckResult | None = None


class Domain(ApiModel):
    """A domain of the organisation."""

    name: str
    country: str = ""
    mx: bool = False
    delegated: bool = False
    master: bool = False
    verified: bool = False
    status: DomainStatus | None = None


class DomainList(ApiModel):
    """``GET …/domains``: one page of domains."""

    domains: list[Domain] = Field(default_factory=list)
    page: int | None = None
    pages: int | None = None
    per_page: int | None = None
    total: int | None = None


class RecordType(SafeEnum):
    """The DNS record types the API manages."""

    A = "A"
    AAAA = "AAAA"
    CNAME = "CNAME"
    MX = "MX"
    TXT = "TXT"
    SRV = "SRV"
    NS = "NS"
    CAA = "CAA"


class DnsRecord(ApiModel):
    """One DNS record of a domain (fields per type, see the module docstring)."""

    record_id: int | None = None
    type: RecordType
    name: str = "@"
    ttl: int | None = None
    address: str | None = None
    exchange: str | None = None
    preference: int | None = None
    text: str | None = None
    target: str | None = None
    priority: int | None = None
    weight: int | None = None
    port: int | None = None
    flag: int | None = None
    tag: str | None = None
    value: str | None = None

    @property
    def content(self) -> str:
        """The record's value in one text, as a zone file would write it (without the
        priority, shown on its own)."""
        t = self.type.value
        if t in ("A", "AAAA"):
            return self.address or ""
        if t == "MX":
            return self.exchange or ""
        if t == "TXT":
            return self.text or ""
        if t == "SRV":
            return " ".join(str(v) for v in (self.weight, self.port, self.target)
                            if v is not None)
        if t == "CAA":
            return " ".join(str(v) for v in (self.flag, self.tag, self.value) if v is not None)
        for value in (self.target, self.address, self.text, self.exchange, self.value):
            if value:
                return value
        return ""

    @property
    def rank(self) -> int | None:
        """The priority an admin means: MX ``preference``, SRV ``priority``."""
        return self.preference if self.type.value == "MX" else self.priority


class DnsList(ApiModel):
    """``GET …/domains/{domain}/dns``: one page of records."""

    records: list[DnsRecord] = Field(default_factory=list)
    page: int | None = None
    pages: int | None = None
    per_page: int | None = None
    total: int | None = None
