"""Edits of a domain (``api/domains.py``): add a DNS record, remove one, start verification.

Each is validated before anything is sent (the record by ``api.domains.validate_record``, the
same checks the client makes), planned in the Domains view's words (``MX @ → mx.yandex.net.
(priority 10), TTL 21600``), verified by reading the records (or the domain) back, and
journaled with the domain as its target (``o`` in the Journal opens the domain).

The plan says what the change does to the mail check (``data.domains``): removing the only MX
record stops mail from arriving, adding the first DKIM key completes the check.
"""

from __future__ import annotations

from typing import Any

from ...api.domains import RECORD_TYPES, validate_record
from ...api.models.domains import DnsRecord
from ..domains import DOMAIN, find_domain, missing, record_describe
from ..journal import Target
from .base import Change, Edit, FieldSpec, Plan

# Per type: which API field the form's "value" fills, and how to read it.
VALUE_HELP = {
    "A": "an IPv4 address (203.0.113.5)",
    "AAAA": "an IPv6 address (2001:db8::5)",
    "CNAME": "the host it points at (www.example.com.)",
    "MX": "the mail server (mx.yandex.net.); give its priority below",
    "TXT": 'the text; quotes around it are optional (v=spf1 redirect=_spf.yandex.net)',
    "NS": "the name server (dns1.yandex.net.)",
    "SRV": "weight port target (0 5222 xmpp.example.com.); priority below",
    "CAA": "flag tag value (0 issue letsencrypt.org)",
}


def _domain_target(current: dict[str, Any]) -> Target:
    name = str(current.get("id") or current.get("name") or "")
    return Target(DOMAIN, name, name)


def _field_of(message: str) -> str:
    """Which form field a ``validate_record`` message is about."""
    head = message.split(" ", 1)[0]
    return {"type": "type", "name": "name", "ttl": "ttl", "preference": "priority",
            "priority": "priority"}.get(head, "value")


def form_record(values: dict[str, Any]) -> dict[str, Any]:
    """The record the form describes, in wire form (not yet validated): the "value" goes to
    the type's own field(s)."""
    def text(name: str) -> str:
        value = values.get(name, "")
        return value.strip() if isinstance(value, str) else str(value)

    rtype = text("type").upper()
    record: dict[str, Any] = {"type": rtype, "name": text("name") or "@",
                              "ttl": text("ttl") or 21600}
    value, priority = text("value"), text("priority")
    if rtype in ("A", "AAAA"):
        record["address"] = value
    elif rtype == "MX":
        record["exchange"] = value
        record["preference"] = priority or None
    elif rtype == "TXT":
        record["text"] = value
    elif rtype in ("CNAME", "NS"):
        record["target"] = value
    elif rtype == "SRV":
        parts = value.split()
        if len(parts) == 3:
            record["weight"], record["port"], record["target"] = parts
        else:
            record["target"] = value  # validate_record names what is missing
        record["priority"] = priority or None
    elif rtype == "CAA":
        parts = value.split(None, 2)
        if len(parts) == 3:
            record["flag"], record["tag"], record["value"] = parts[0], parts[1], \
                parts[2].strip('"')
        else:
            record["tag"] = ""
    return record


class AddDnsRecord(Edit):
    """POST ``…/domains/{domain}/dns``: one record. ``current``: ``{"id": domain name,
    "name": domain name, "records": [wire records]}`` (:meth:`load` reads the records)."""

    action = "domain.dns.add"
    title = "Add DNS record"
    target_kind = DOMAIN
    fields = (
        FieldSpec("type", "Type", kind="select",
                  options=tuple((t, t) for t in RECORD_TYPES),
                  help="MX needs a priority; SRV weight port target; CAA flag tag value"),
        FieldSpec("name", "Name", placeholder="@",
                  help="@ for the domain itself, or a host inside it (www, mail._domainkey)"),
        FieldSpec("value", "Value", placeholder="203.0.113.5",
                  help="A: IPv4 · AAAA: IPv6 · CNAME/NS/MX: a host · TXT: the text"),
        FieldSpec("priority", "Priority", placeholder="10", help="MX and SRV only: 0-65535"),
        FieldSpec("ttl", "TTL", placeholder="21600", help="seconds: 60-604800"),
    )

    def __init__(self, current: Any = None, values: dict[str, Any] | None = None) -> None:
        super().__init__(current, values)
        self.created: DnsRecord | None = None
        self.before_ids: set[int] | None = None

    @property
    def target(self) -> Target:
        return _domain_target(self.current)

    @property
    def domain(self) -> str:
        return self.target.id

    def initial(self) -> dict[str, Any]:
        return {"type": "A", "name": "@", "value": "", "priority": "", "ttl": "21600"}

    def record(self) -> dict[str, Any]:
        """The validated wire record (ValueError when it is not valid)."""
        return validate_record(form_record(self.values))

    def check(self) -> dict[str, str]:
        if not self.domain:
            return {"domain": "no domain"}
        rtype = self.text("type").upper()
        if rtype not in ("MX", "SRV") and self.text("priority"):
            return {"priority": f"a {rtype} record has no priority: leave it empty"}
        try:
            self.record()
        except ValueError as exc:
            return {_field_of(str(exc)): str(exc)}
        return {}

    async def load(self, client: Any) -> None:
        """The domain's records now, for the plan's note on the mail check."""
        records = await client.domains.all_dns(self.domain)
        self.current["records"] = [r.model_dump(by_alias=True, exclude_none=True, mode="json")
                                   for r in records]

    def _records(self) -> list[DnsRecord]:
        return [DnsRecord.model_validate(r) for r in self.current.get("records") or []]

    def plan(self) -> Plan:
        record = self.record()
        notes: list[str] = []
        records = self._records()
        if "records" in self.current:
            before, after = missing(records), missing([*records,
                                                       DnsRecord.model_validate(record)])
            fixed = [m for m in before if m not in after]
            if fixed:
                notes.append(f"the mail check then finds {', '.join(fixed)} "
                             + ("and nothing missing" if not after else
                                f"(still missing: {', '.join(after)})"))
            same = [r for r in records if r.type.value == record["type"]
                    and r.name == record["name"]]
            if same and record["type"] in ("MX", "TXT", "A", "AAAA"):
                notes.append(f"{len(same)} {record['type']} record(s) at {record['name']} "
                             "already; this one is added beside them")
        notes.append(f"domain {self.domain}")
        return self.new_plan([Change("record", None, record_describe(record))], notes)

    async def prepare(self, client: Any) -> None:
        self.before_ids = {r.record_id for r in await client.domains.all_dns(self.domain)}

    async def apply(self, client: Any) -> None:
        self.created = await client.domains.add_record(self.domain, self.record())

    def _matches(self, record: DnsRecord) -> bool:
        wanted = DnsRecord.model_validate(self.record())
        return (record.type == wanted.type and record.name == wanted.name
                and record.content == wanted.content and record.rank == wanted.rank)

    async def verify(self, client: Any) -> list[str]:
        records = await client.domains.all_dns(self.domain)
        if self.created is not None and self.created.record_id is not None:
            found = next((r for r in records if r.record_id == self.created.record_id), None)
            if found is None:
                return [f"record {self.created.record_id} is not listed"]
            if not self._matches(found):
                return [f"record {found.record_id} reads {record_describe(found)}"]
            return []
        return [] if any(self._matches(r) for r in records) else ["the record is not listed"]

    async def applied(self, client: Any) -> bool | None:
        records = await client.domains.all_dns(self.domain)
        new = [r for r in records if self.before_ids is None or r.record_id not in
               self.before_ids]
        if any(self._matches(r) for r in new):
            return True
        return None if self.before_ids is None else False


class DeleteDnsRecord(Edit):
    """DELETE ``…/domains/{domain}/dns/{recordId}``. ``current``: ``{"id": domain name,
    "record": wire record}``; :meth:`load` reads the records (a gone one is refused)."""

    action = "domain.dns.delete"
    title = "Remove DNS record"
    target_kind = DOMAIN

    @property
    def target(self) -> Target:
        return _domain_target(self.current)

    @property
    def domain(self) -> str:
        return self.target.id

    @property
    def record(self) -> DnsRecord:
        return DnsRecord.model_validate(self.current.get("record") or {"type": "?"})

    async def load(self, client: Any) -> None:
        records = await client.domains.all_dns(self.domain)
        self.current["records"] = [r.model_dump(by_alias=True, exclude_none=True, mode="json")
                                   for r in records]
        self.current["present"] = any(r.record_id == self.record.record_id for r in records)

    def check(self) -> dict[str, str]:
        if self.record.record_id is None:
            return {"record": "no record chosen"}
        if self.current.get("present") is False:
            return {"record": f"record {self.record.record_id} is gone already"}
        return {}

    def plan(self) -> Plan:
        rec = self.record
        notes = []
        if "records" in self.current:
            records = [DnsRecord.model_validate(r) for r in self.current["records"]]
            rest = [r for r in records if r.record_id != rec.record_id]
            lost = [m for m in missing(rest) if m not in missing(records)]
            consequence = {"MX": "mail to the domain stops arriving",
                           "SPF": "other servers may take its mail for spam",
                           "DKIM": "its mail goes out unsigned"}
            notes += [f"the domain then has no {m}: {consequence[m]}" for m in lost]
        notes.append(f"domain {self.domain}, record id {rec.record_id}")
        return self.new_plan([Change("record", record_describe(rec), None)], notes)

    async def apply(self, client: Any) -> None:
        await client.domains.delete_record(self.domain, self.record.record_id)

    async def verify(self, client: Any) -> list[str]:
        records = await client.domains.all_dns(self.domain)
        if any(r.record_id == self.record.record_id for r in records):
            return [f"record {self.record.record_id} is still listed"]
        return []


VERIFICATION_PREFIX = "yandex-verification:"


class VerifyDomain(Edit):
    """POST ``…/domains/{domain}/verify``: ask the server to check ownership now.
    ``current``: ``{"id": domain name}``; :meth:`load` reads the domain and its records."""

    action = "domain.verify"
    title = "Verify domain"
    target_kind = DOMAIN

    @property
    def target(self) -> Target:
        return _domain_target(self.current)

    @property
    def domain(self) -> str:
        return self.target.id

    async def load(self, client: Any) -> None:
        domain = await find_domain(client, self.domain)
        self.current["verified"] = domain.verified
        try:
            records = await client.domains.all_dns(self.domain)
        except Exception:  # the note is a hint; verification does not need the records
            self.current.pop("has_code", None)
        else:
            self.current["has_code"] = any(
                r.type.value == "TXT" and r.name == "@"
                and (r.text or "").startswith(VERIFICATION_PREFIX) for r in records)

    def check(self) -> dict[str, str]:
        if self.current.get("verified"):
            return {"domain": f"{self.domain} is verified already"}
        return {}

    def plan(self) -> Plan:
        notes = ["the server looks for the domain's verification record now"]
        if self.current.get("has_code") is False:
            notes.append("no TXT record 'yandex-verification: …' at @ is listed: add the code "
                         "from the Yandex 360 admin console first (a), or the check will fail")
        return self.new_plan([Change("verified", False, True)], notes)

    async def apply(self, client: Any) -> None:
        await client.domains.verify(self.domain)

    async def verify(self, client: Any) -> list[str]:
        domain = await find_domain(client, self.domain)
        if not domain.verified:
            return ["the check did not confirm the domain: it is still not verified"]
        return []
