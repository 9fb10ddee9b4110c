"""The named fields of each directory list: what ``/`` and ``--filter`` test, what export writes.

A view's fields are the words of its columns (``status``, ``2fa``, ``dept``…) plus values no
column shows (ids, e-mail) and yes/no shortcuts for filters (``admin:yes``). The TUI and the
headless export use the same tables, so a filter means the same thing in both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .directory import (
    G_DESCRIPTION,
    G_EMAIL,
    G_ID,
    G_MEMBERS,
    G_NAME,
    G_TYPE,
    U_ADMIN,
    U_DEPT,
    U_DEPT_ID,
    U_EMAIL,
    U_ENABLED,
    U_ID,
    U_LOGIN,
    U_NAME,
    U_POSITION,
    U_STATUS,
    two_fa_text,
)
from .query import CHOICE, FLAG, NUMBER, Field

if TYPE_CHECKING:
    from ..api.models import Department
    from .paged import LookupCache

NOT_ASKED = "—"  # 2FA of a dismissed user: not fetched, a dismissed account cannot sign in
UNKNOWN = "?"  # 2FA that could not be fetched


def _at(i: int) -> Callable[[Any], str]:
    return lambda row: row[i]


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def user_fields(two_fa: LookupCache[str, Any] | None = None) -> list[Field]:
    """Fields of a user row (``data.directory.UserRow``); ``two_fa`` is the session's per-user
    2FA cache (None: no 2FA field)."""
    fields = [
        Field("id", "Id", _at(U_ID), aliases=("uid",)),
        Field("login", "Login", _at(U_LOGIN), aliases=("nickname",)),
        Field("email", "Email", _at(U_EMAIL), aliases=("mail",)),
        Field("name", "Name", _at(U_NAME)),
        Field("dept", "Department", _at(U_DEPT), aliases=("department",)),
        Field("dept_id", "Department id", _at(U_DEPT_ID), kind=NUMBER,
              aliases=("department_id",)),
        Field("position", "Position", _at(U_POSITION), aliases=("title",)),
        Field("status", "Status", _at(U_STATUS), kind=CHOICE,
              choices=("active", "blocked", "dismissed")),
        Field("role", "Admin", _at(U_ADMIN), kind=CHOICE, choices=("admin", "robot")),
        Field("admin", "Is admin", lambda row: _yes(row[U_ADMIN] == "admin"), kind=FLAG,
              export=False),
        Field("robot", "Is robot", lambda row: _yes(row[U_ADMIN] == "robot"), kind=FLAG,
              export=False),
        Field("enabled", "Enabled", _at(U_ENABLED), kind=FLAG, aliases=("is_enabled",)),
    ]
    if two_fa is not None:
        fields.append(two_fa_field(two_fa))
    return fields


def two_fa_field(cache: LookupCache[str, Any]) -> Field:
    """The 2FA field: ``on``/``off`` from the per-user cache, pending until fetched."""

    def get(row: Any) -> str:
        if row[U_STATUS] == "dismissed":
            return NOT_ASKED
        if row[U_ID] in cache.errors:
            return UNKNOWN
        return two_fa_text(cache.get(row[U_ID]))

    def known(row: Any) -> bool:
        uid = row[U_ID]
        return row[U_STATUS] == "dismissed" or uid in cache.values or uid in cache.errors

    return Field("2fa", "2FA", get, kind=CHOICE, aliases=("twofa", "mfa"), known=known,
                 choices=("on", "off"))


def two_fa_wanted(row: Any) -> bool:
    """Whether a user row has a 2FA state worth fetching (not for dismissed users)."""
    return row[U_STATUS] != "dismissed"


def group_fields() -> list[Field]:
    """Fields of a group row (``data.directory.GroupRow``)."""
    return [
        Field("id", "Id", _at(G_ID), kind=NUMBER),
        Field("name", "Name", _at(G_NAME)),
        Field("type", "Type", _at(G_TYPE), kind=CHOICE),
        Field("members", "Members", _at(G_MEMBERS), kind=NUMBER, aliases=("size",)),
        Field("email", "Email", _at(G_EMAIL), aliases=("mail",)),
        Field("description", "Description", _at(G_DESCRIPTION), aliases=("desc",)),
    ]


def department_fields(names: dict[int, str] | None = None) -> list[Field]:
    """Fields of a ``Department`` model; ``names`` (id -> name) names the parent."""
    names = names or {}

    def parent(dep: Department) -> str:
        pid = dep.parent_id or 0
        return names.get(pid, str(pid) if pid else "")

    return [
        Field("id", "Id", lambda d: str(d.id), kind=NUMBER),
        Field("name", "Name", lambda d: d.name),
        Field("parent", "Parent", parent),
        Field("parent_id", "Parent id", lambda d: str(d.parent_id or ""), kind=NUMBER),
        Field("members", "Members", lambda d: str(d.members_count), kind=NUMBER),
        Field("head_id", "Head id", lambda d: str(d.head_id or ""), aliases=("head",)),
        Field("email", "Email", lambda d: d.email or "", aliases=("mail",)),
        Field("label", "Label", lambda d: d.label or ""),
        Field("description", "Description", lambda d: " ".join((d.description or "").split()),
              aliases=("desc",)),
    ]


# ---------------------------------------------------------------- the other views' fields
# Each view's filter names include its column words (``type:``, ``user:``, ``ip:``), so a
# ``/`` filter typed before these tables existed means the same thing now.


def short_time_text(moment: Any) -> str:
    """A date column: ``YYYY-MM-DD HH:MM`` UTC ("" when unknown)."""
    from .audit import short_time

    return short_time(moment) if moment is not None else ""


def iso_text(moment: Any) -> str:
    """A full timestamp for exports: ISO 8601 ("" when unknown)."""
    return moment.isoformat() if moment is not None else ""


def subject_or_sender(event: Any) -> str:
    """A mail event's subject; the sender when it has no subject."""
    return event.subject or (f"from {event.from_}" if event.from_ else "")


def mail_event_fields() -> list[Field]:
    """Fields of a ``MailEvent`` (the Mail audit view's rows)."""
    return [
        Field("date", "Date", lambda e: short_time_text(e.date), export=False),
        Field("time", "Time", lambda e: iso_text(e.date), aliases=("when",)),
        Field("type", "Type", lambda e: e.event_type.value, kind=CHOICE,
              aliases=("event", "event_type")),
        Field("user", "User", lambda e: e.user_login.split("@")[0], export=False),
        Field("login", "User login", lambda e: e.user_login, aliases=("email", "mail")),
        Field("uid", "User id", lambda e: e.user_uid, aliases=("user_id",)),
        Field("user_name", "User name", lambda e: e.user_name),
        Field("folder", "Folder", lambda e: e.folder_name or ""),
        Field("subject_from", "Subject / from", subject_or_sender, export=False),
        Field("subject", "Subject", lambda e: e.subject or ""),
        Field("from", "From", lambda e: e.from_ or "", aliases=("sender",)),
        Field("to", "To", lambda e: e.to or ""),
        Field("ip", "IP", lambda e: e.client_ip, aliases=("client_ip",)),
        Field("source", "Source", lambda e: e.source),
        Field("msg_id", "Message id", lambda e: e.msg_id or ""),
        Field("event_id", "Event id", lambda e: e.uniq_id, aliases=("uniq_id",)),
    ]


def audit_event_fields() -> list[Field]:
    """Fields of an ``AuditEvent`` (the Audit events view's rows)."""
    return [
        Field("date", "Date", lambda i: short_time_text(i.event.occurred_at), export=False),
        Field("time", "Time", lambda i: iso_text(i.event.occurred_at), aliases=("when",)),
        Field("type", "Type", lambda i: i.event.type, aliases=("event", "event_type")),
        Field("status", "Status", lambda i: i.event.status.value, kind=CHOICE),
        Field("service", "Service", lambda i: i.event.service.value, kind=CHOICE),
        Field("user", "User",
              lambda i: i.user_login.split("@")[0] or str(i.event.uid or ""), export=False),
        Field("login", "User login", lambda i: i.user_login, aliases=("email", "mail")),
        Field("uid", "User id", lambda i: str(i.event.uid or ""), aliases=("user_id",)),
        Field("user_name", "User name", lambda i: i.user_name),
        Field("ip", "IP", lambda i: i.event.ip),
        Field("system", "System event", lambda i: _yes(i.event.is_system), kind=FLAG),
        Field("event_id", "Event id", lambda i: i.event.idempotency_id,
              aliases=("idempotency_id",)),
        Field("request_id", "Request id", lambda i: i.event.request_id),
    ]


def file_created(shared: Any) -> str:
    """A shared file's creation date, ``YYYY-MM-DD``."""
    moment = shared.resource.created_at
    return moment.strftime("%Y-%m-%d") if moment is not None else ""


def file_access(shared: Any) -> str:
    """A shared file's access column (or why its settings could not be read)."""
    from .links import access_summary

    if not shared.resource.public_hash:
        # Personal entries outlive the link: say how many are left.
        left = access_summary(shared.settings) if shared.settings is not None else ""
        return "unpublished" + (f" · {left}" if left and left != "owner only" else "")
    if shared.settings is None and shared.settings_error:
        return "error: " + shared.settings_error
    return access_summary(shared.settings)


def shared_file_fields() -> list[Field]:
    """Fields of a ``data.links.SharedFile`` (the Shared files view's rows)."""
    return [
        Field("owner", "Owner", lambda f: f.owner.nickname, aliases=("login",)),
        Field("owner_id", "Owner id", lambda f: f.owner.id, aliases=("uid",)),
        Field("name", "Name", lambda f: f.resource.name),
        Field("path", "Path", lambda f: f.resource.path.removeprefix("disk:")),
        Field("type", "Type", lambda f: f.resource.type.value, kind=CHOICE),
        Field("created", "Created", file_created),
        Field("access", "Access", file_access, aliases=("audience",)),
        Field("public", "Published", lambda f: _yes(bool(f.resource.public_hash)), kind=FLAG,
              export=False),
        Field("public_key", "Public key", lambda f: f.resource.public_hash or "",
              aliases=("public_hash",)),
    ]


def tracker_login_date(text: str) -> str:
    """Tracker's ``2025-05-30T10:11:12.000+0300`` as ``2025-05-30 10:11`` (its own offset)."""
    return text[:16].replace("T", " ") if text else "never"


def tracker_name(user: Any) -> str:
    """A Tracker user's display name (first and last name when there is none)."""
    return user.display or " ".join(p for p in (user.first_name, user.last_name) if p)


def tracker_user_fields() -> list[Field]:
    """Fields of a ``TrackerUser`` (the Tracker users view's rows)."""
    return [
        Field("uid", "Uid", lambda u: str(u.uid), kind=NUMBER, aliases=("id",)),
        Field("login", "Login", lambda u: u.login),
        Field("name", "Name", tracker_name),
        Field("email", "Email", lambda u: u.email, aliases=("mail",)),
        Field("licence", "Licence", lambda u: _yes(u.has_license), kind=FLAG,
              aliases=("license",)),
        Field("dismissed", "Dismissed", lambda u: _yes(u.dismissed), kind=FLAG),
        Field("last_login", "Last login", lambda u: tracker_login_date(u.last_login_date),
              aliases=("login_date",)),
        Field("external", "External", lambda u: _yes(u.external), kind=FLAG),
        Field("passport_uid", "Directory id", lambda u: str(u.passport_uid or ""),
              aliases=("directory_id",)),
    ]


# The Journal view's row: (time, action, kind, target label, outcome, detail, target id,
# profile@org).
J_TIME, J_ACTION, J_KIND, J_LABEL, J_OUTCOME, J_DETAIL, J_ID, J_WHERE = range(8)


def journal_fields() -> list[Field]:
    """Fields of a Journal view row (``ui.screens.journal.entry_row``)."""
    return [
        Field("time", "Time", _at(J_TIME), aliases=("when",)),
        Field("action", "Action", _at(J_ACTION)),
        Field("kind", "Kind", _at(J_KIND), kind=CHOICE),
        Field("target", "Target", _at(J_LABEL)),
        Field("target_id", "Target id", _at(J_ID), aliases=("id",)),
        Field("outcome", "Outcome", _at(J_OUTCOME), kind=CHOICE,
              choices=("ok", "failed", "uncertain", "verify-mismatch")),
        Field("detail", "Detail", _at(J_DETAIL)),
        Field("where", "Org/Profile", _at(J_WHERE), aliases=("org", "profile")),
    ]


def finding_objects_text(record: dict[str, Any]) -> str:
    """A finding record's objects as ``label (id)`` joined by ``; ``."""
    return "; ".join(f"{o['label']} ({o['id']})" if o["label"] != o["id"] else str(o["id"])
                     for o in record.get("objects", []))


def finding_fields() -> list[Field]:
    """Fields of a finding record (``data.findings.findings_records``)."""
    return [
        Field("id", "Check", lambda r: r["id"], aliases=("check",)),
        Field("severity", "Severity", lambda r: r["severity"], kind=CHOICE,
              choices=("error", "warning", "info")),
        Field("title", "Finding", lambda r: r["title"], aliases=("finding",)),
        Field("count", "Count", lambda r: "" if r["count"] is None else str(r["count"]),
              kind=NUMBER),
        Field("state", "State", lambda r: r["state"], kind=CHOICE),
        Field("detail", "Detail", lambda r: r["detail"]),
        Field("kind", "Objects of", lambda r: r["kind"]),
        Field("objects", "Objects", finding_objects_text),
    ]


# Mail flow (``data.mail_flow``): rows are RuleRow, PolicyRow and AllowEntry.


def mail_rule_fields() -> list[Field]:
    """Fields of a routing rule row (the Mail routing view)."""
    from .mail_flow import actions_words, condition_words, direction, forward_targets

    return [
        Field("position", "#", lambda r: str(r.position), kind=NUMBER, aliases=("order",)),
        Field("direction", "Direction", lambda r: direction(r.rule), kind=CHOICE,
              choices=("inbound", "outbound")),
        Field("condition", "Condition", lambda r: condition_words(r.rule.condition),
              aliases=("if",)),
        Field("actions", "Actions", lambda r: actions_words(r.rule), aliases=("action", "then")),
        Field("forward_to", "Forward to", lambda r: ", ".join(forward_targets(r.rule)),
              aliases=("forward",)),
        Field("stop", "Stop", lambda r: _yes(r.rule.terminal), kind=FLAG,
              aliases=("terminal",)),
        Field("rule", "Rule", lambda r: r.words, aliases=("words",)),
    ]


def sender_policy_fields() -> list[Field]:
    """Fields of a sender policy row (the Sender policies view)."""
    from .mail_flow import policy_action_words, policy_match

    return [
        Field("position", "#", lambda r: str(r.position), kind=NUMBER, aliases=("order",)),
        Field("name", "Name", lambda r: r.rule.name),
        Field("action", "Action", lambda r: policy_action_words(r.rule), kind=CHOICE,
              choices=("accept", "accept as spam", "accept as not spam", "reject")),
        Field("match", "Match", lambda r: policy_match(r.rule)[0], kind=CHOICE,
              choices=("IP", "domain", "sender"), aliases=("by",)),
        Field("entries", "Entries", lambda r: ", ".join(policy_match(r.rule)[1])),
        Field("count", "Count", lambda r: str(len(policy_match(r.rule)[1])), kind=NUMBER),
        Field("enabled", "Enabled", lambda r: _yes(r.rule.enabled), kind=FLAG),
        Field("description", "Description", lambda r: r.rule.description),
    ]


def allowlist_fields() -> list[Field]:
    """Fields of an anti-spam allow-list row (the Anti-spam allowlist view)."""
    return [
        Field("position", "#", lambda r: str(r.position), kind=NUMBER, aliases=("order",)),
        Field("entry", "Entry", lambda r: r.entry, aliases=("ip", "cidr")),
        Field("kind", "Kind", lambda r: r.kind[0], kind=CHOICE, choices=("address", "range")),
        Field("version", "Version", lambda r: r.kind[1], kind=CHOICE,
              choices=("IPv4", "IPv6")),
        Field("addresses", "Addresses", lambda r: str(r.kind[2]), kind=NUMBER,
              aliases=("size",)),
    ]


def mailbox_fields() -> list[Field]:
    """Fields of a mailbox row (the Mailboxes view, ``data.mailboxes.MailboxRow``)."""
    return [
        Field("address", "Address", lambda r: r.email, aliases=("email", "mail")),
        Field("type", "Type", lambda r: r.type, kind=CHOICE, choices=("shared", "delegated")),
        Field("actors", "Actors", lambda r: str(r.count), kind=NUMBER, aliases=("count",)),
        Field("name", "Name", lambda r: r.name),
        Field("description", "Description", lambda r: r.description, aliases=("about",)),
        Field("id", "Id", lambda r: r.id, aliases=("resource_id",)),
    ]


def _mail_check(row: Any, what: str) -> str:
    """yes / no / unknown: whether a domain row has the record ``what`` (MX, SPF, DKIM)."""
    if not row.checked:
        return "unknown"
    return _yes(what not in row.missing)


def domain_fields() -> list[Field]:
    """Fields of a domain row (the Domains view, ``data.domains.DomainRow``)."""
    return [
        Field("name", "Name", lambda r: r.name, aliases=("domain",)),
        Field("master", "Master", lambda r: _yes(r.master), kind=FLAG),
        Field("verified", "Verified", lambda r: _yes(r.verified), kind=FLAG),
        Field("state", "State", lambda r: r.state, aliases=("status",)),
        Field("delegated", "Delegated", lambda r: _yes(r.delegated), kind=FLAG),
        Field("mx", "MX", lambda r: _mail_check(r, "MX"), kind=CHOICE,
              choices=("yes", "no", "unknown")),
        Field("spf", "SPF", lambda r: _mail_check(r, "SPF"), kind=CHOICE,
              choices=("yes", "no", "unknown")),
        Field("dkim", "DKIM", lambda r: _mail_check(r, "DKIM"), kind=CHOICE,
              choices=("yes", "no", "unknown")),
        Field("records", "Records", lambda r: "" if r.records is None else str(r.records),
              kind=NUMBER),
        Field("check", "Mail check", lambda r: r.check_text, aliases=("missing",)),
    ]


def dns_record_fields() -> list[Field]:
    """Fields of a DNS record (a domain's detail, ``api.models.domains.DnsRecord``)."""
    from .domains import record_value

    return [
        Field("type", "Type", lambda r: r.type.value, kind=CHOICE,
              choices=("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS", "CAA")),
        Field("name", "Name", lambda r: r.name, aliases=("host",)),
        Field("value", "Value", record_value, aliases=("content", "target")),
        Field("ttl", "TTL", lambda r: "" if r.ttl is None else str(r.ttl), kind=NUMBER),
        Field("priority", "Priority", lambda r: "" if r.rank is None else str(r.rank),
              kind=NUMBER, aliases=("preference",)),
        Field("id", "Id", lambda r: str(r.record_id or ""), aliases=("record_id",)),
    ]
