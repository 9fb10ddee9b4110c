"""Any API object as readable detail sections (no widgets here).

``describe(obj)`` returns a ``Detail``: a title, a kind and sections of ``(label, text)`` rows
that show **every** field of the object, including fields the server sent that the models do not
declare (pydantic keeps them in ``model_extra``). Values are formatted for people: a name as
"Last First Middle", contacts one per line with their flags, lists comma-separated, booleans as
yes/no, dates as ``YYYY-MM-DD HH:MM:SS UTC``, empty values as an em dash.

Known object types get an ordered layout (``LAYOUTS``: which fields go in which section and in
what order); fields a layout does not name land in a final "Other" section, so nothing is hidden
when the API grows. Given the group graph (``describe(obj, graph)``), fields that hold
department or group ids read as ``name (id)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..api.models import (
    Access,
    AuditEvent,
    Contact,
    Department,
    Group,
    GroupMember,
    MailEvent,
    Name,
    PublicSettings,
    ResourceShort,
    ShortDepartment,
    ShortGroup,
    ShortUser,
    TrackerGroupRef,
    TrackerUser,
    User,
)
from .links import GroupGraph, SharedFile, access_label, access_summary

EMPTY = "—"


@dataclass(frozen=True)
class Section:
    """A titled block of ``(label, text)`` rows; ``text`` may span several lines."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Detail:
    """What a detail screen shows: ``kind`` (user, group …), a title and the sections."""

    kind: str
    title: str
    sections: tuple[Section, ...]


# ------------------------------------------------------------------------ formatting


def yes_no(value: bool) -> str:
    """``yes`` / ``no``."""
    return "yes" if value else "no"


def when(value: datetime | date | None) -> str:
    """A date-time as ``YYYY-MM-DD HH:MM:SS UTC`` (a date as ``YYYY-MM-DD``)."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return value.isoformat()


def contact_text(contact: Contact) -> str:
    """``phone: +7 495 … (main, label work)``: flags only when set."""
    flags = [name for name in ("main", "alias", "synthetic") if getattr(contact, name)]
    if contact.label:
        flags.append(f"label {contact.label}")
    tail = f" ({', '.join(flags)})" if flags else ""
    return f"{contact.type.value}: {contact.value or EMPTY}{tail}"


def access_text(access: Access) -> str:
    """An access entry: ``macro all: read`` or ``user 113…: read, write``."""
    if access.macros:
        who = f"{access.type.value} {', '.join(access.macros)}"
    else:
        who = f"{access.type.value} {access.id if access.id is not None else EMPTY}"
    return f"{who}: {access_label(access)}"


def fmt(value: Any) -> str:
    """Any field value as text (see the module docstring for the rules)."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Enum):
        return str(value.value) if value.value != "" else EMPTY
    if isinstance(value, (datetime, date)):
        return when(value)
    if isinstance(value, Name):
        return value.full or EMPTY
    if isinstance(value, Contact):
        return contact_text(value)
    if isinstance(value, Access):
        return access_text(value)
    if isinstance(value, GroupMember):
        return f"{value.type.value} {value.id}"
    if isinstance(value, TrackerGroupRef):
        return value.display or value.id or EMPTY
    if isinstance(value, PublicSettings):
        return access_summary(value)
    if isinstance(value, BaseModel):
        return _model_inline(value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {fmt(v)}" for k, v in value.items()) or EMPTY
    if isinstance(value, (list, tuple, set)):
        return _list_text(list(value))
    text = str(value)
    return text if text.strip() else EMPTY


def _list_text(items: list[Any]) -> str:
    if not items:
        return EMPTY
    texts = [fmt(item) for item in items]
    # Structured items read better one per line; plain scalars fit on one.
    if any(isinstance(item, (BaseModel, dict)) for item in items):
        return "\n".join(texts)
    return ", ".join(texts)


def _model_inline(model: BaseModel) -> str:
    pairs = [(k, v) for k, v in _fields(model) if v not in (None, "", [], {})]
    return ", ".join(f"{k}={fmt(v)}" for k, v in pairs) or EMPTY


def _fields(model: BaseModel) -> list[tuple[str, Any]]:
    """Every field of ``model`` (declared ones, then extras the server added)."""
    out = [(name, getattr(model, name)) for name in type(model).model_fields]
    out.extend((model.model_extra or {}).items())
    return out


# --------------------------------------------------------------------------- layouts

LABELS = {
    "id": "ID", "uid": "UID", "user_uid": "User UID", "actor_uid": "Actor UID",
    "is_admin": "Administrator", "is_robot": "Robot", "is_dismissed": "Dismissed",
    "is_enabled": "Enabled", "is_enabled_updated_at": "Enabled changed at",
    "department_id": "Department", "avatar_id": "Avatar ID", "external_id": "External ID",
    "head_id": "Head", "parent_id": "Parent", "members_count": "Members",
    "member_of": "Member of", "admin_ids": "Managers", "author_id": "Author",
    "email_id": "Email ID", "has_license": "Tracker licence", "from_": "From",
    "client_ip": "Client IP", "ip": "IP", "msg_id": "Message-ID", "mid": "Message ID",
    "dest_mid": "Destination message ID", "uniq_id": "Unique ID", "org_id": "Org ID",
    "idempotency_id": "Event ID", "request_id": "Request ID", "is_system": "System event",
    "public_hash": "Public key", "self_": "API URL", "cloud_uid": "Cloud UID",
    "passport_uid": "Passport UID", "tracker_uid": "Tracker UID", "has2fa": "2FA",
}


def label(name: str) -> str:
    """A field name as a label: ``is_admin`` -> ``Administrator``, ``created_at`` -> ``Created
    at``."""
    if name in LABELS:
        return LABELS[name]
    text = name.rstrip("_").replace("_", " ")
    return text[:1].upper() + text[1:]


LAYOUTS: dict[type, tuple[tuple[str, tuple[str, ...]], ...]] = {
    User: (
        ("Identity", ("nickname", "name", "display_name", "email", "id", "gender", "birthday",
                      "position", "about")),
        ("Organisation", ("department_id", "is_enabled", "is_enabled_updated_at", "is_admin",
                          "is_robot", "is_dismissed", "groups")),
        ("Mail", ("aliases", "contacts")),
        ("Account", ("timezone", "language", "external_id", "avatar_id", "created_at",
                     "updated_at")),
    ),
    Group: (
        ("Group", ("name", "id", "type", "description", "label", "email", "email_id",
                   "aliases", "external_id", "removed")),
        ("Membership", ("members_count", "members", "member_of", "admin_ids", "author_id",
                        "created_at")),
    ),
    Department: (
        ("Department", ("name", "id", "parent_id", "head_id", "members_count", "description",
                        "label", "email", "aliases", "external_id", "created_at")),
    ),
    MailEvent: (
        ("Event", ("event_type", "date", "user_login", "user_name", "user_uid", "actor_uid",
                   "source", "client_ip")),
        ("Message", ("subject", "from_", "to", "cc", "bcc", "folder_name", "folder_type",
                     "labels", "mid", "dest_mid", "msg_id")),
        ("IDs", ("uniq_id", "request_id", "org_id")),
    ),
    TrackerUser: (
        ("Tracker user", ("login", "display", "first_name", "last_name", "email", "position",
                          "uid", "tracker_uid", "passport_uid", "cloud_uid")),
        ("Access", ("has_license", "dismissed", "external", "first_login_date",
                    "last_login_date", "welcome_mail_sent", "disable_notifications",
                    "use_new_filters", "sources", "groups", "self_")),
    ),
}


# Directory fields that hold department or group ids (named from the group graph).
ID_FIELDS = {"department_id": "department", "parent_id": "department", "groups": "group",
             "member_of": "group"}


def named_ids(model: BaseModel, graph: GroupGraph | None) -> dict[str, str]:
    """Texts for ``model``'s department/group id fields: ``name (id)`` for ids the graph knows,
    the bare id otherwise, one per line for a list. Empty without a graph."""
    if graph is None or not isinstance(model, (User, Group, Department)):
        return {}
    out: dict[str, str] = {}
    for name, kind in ID_FIELDS.items():
        value = getattr(model, name, None)
        ids = value if isinstance(value, list) else [value]
        if value is None or not ids:
            continue
        known = graph.departments if kind == "department" else graph.groups
        out[name] = "\n".join(_named(ident, known) for ident in ids)
    return out


def _named(ident: Any, known: dict[int, Any]) -> str:
    item = known.get(ident)
    return f"{item.name} ({ident})" if item is not None and item.name else str(ident)


def sections_of(model: BaseModel, layout: tuple[tuple[str, tuple[str, ...]], ...] = (),
                other: str = "Other", texts: dict[str, str] | None = None) -> list[Section]:
    """``model``'s fields in ``layout`` order; fields the layout omits go to ``other``.
    ``texts`` replaces the formatted value of the fields it names."""
    values = dict(_fields(model))
    texts = texts or {}

    def text(name: str) -> str:
        return texts[name] if name in texts else fmt(values[name])

    out: list[Section] = []
    used: set[str] = set()
    for title, names in layout:
        rows = tuple((label(n), text(n)) for n in names if n in values)
        used.update(names)
        if rows:
            out.append(Section(title, rows))
    rest = tuple((label(n), text(n)) for n in values if n not in used)
    if rest:
        out.append(Section(other if layout else "Fields", rest))
    return out


# --------------------------------------------------------------------------- describe


def title_of(obj: Any) -> str:
    """A short name for breadcrumbs and headings (a login, a group name, a file name …)."""
    if isinstance(obj, (User, ShortUser)):
        return obj.nickname or obj.id
    if isinstance(obj, (Group, ShortGroup, Department, ShortDepartment)):
        return obj.name or str(obj.id)
    if isinstance(obj, SharedFile):
        return obj.resource.name or obj.resource.path
    if isinstance(obj, MailEvent):
        return f"{obj.event_type.value} {obj.user_login}".strip()
    if isinstance(obj, AuditEvent):
        return f"{obj.event.type} {obj.user_login}".strip()
    if isinstance(obj, TrackerUser):
        return obj.login or str(obj.uid)
    if isinstance(obj, ResourceShort):
        return obj.name or obj.path
    label = getattr(obj, "label", None)  # other families' rows (a mailbox, a routing rule…)
    if isinstance(label, str) and label:
        return label
    return type(obj).__name__


def kind_of(obj: Any) -> str:
    """``user``, ``group``, ``department``, ``shared_file``, ``mail_event``, ``audit_event``,
    ``tracker_user`` or the lower-cased class name."""
    kinds = {User: "user", ShortUser: "user", Group: "group", ShortGroup: "group",
             Department: "department", ShortDepartment: "department",
             SharedFile: "shared_file", MailEvent: "mail_event", AuditEvent: "audit_event",
             TrackerUser: "tracker_user"}
    return kinds.get(type(obj), type(obj).__name__.lower())


def describe(obj: Any, graph: GroupGraph | None = None) -> Detail:
    """Every field of ``obj`` as readable sections (see the module docstring); with ``graph``,
    department and group ids also show their names."""
    if isinstance(obj, SharedFile):
        sections = _shared_file_sections(obj)
    elif isinstance(obj, AuditEvent):
        sections = _audit_event_sections(obj)
    elif isinstance(obj, BaseModel):
        sections = sections_of(obj, LAYOUTS.get(type(obj), ()), texts=named_ids(obj, graph))
    else:
        sections = [Section("Value", (("Value", fmt(obj)),))]
    return Detail(kind_of(obj), title_of(obj), tuple(sections))


def _audit_event_sections(item: AuditEvent) -> list[Section]:
    event = item.event
    head = Section("Event", (
        ("Type", event.type), ("Status", fmt(event.status)), ("Service", fmt(event.service)),
        ("Occurred at", fmt(event.occurred_at)), ("User", item.user_login or EMPTY),
        ("User name", item.user_name or EMPTY), ("UID", fmt(event.uid)), ("IP", event.ip or
                                                                           EMPTY)))
    meta = Section("Details", tuple((k, fmt(v)) for k, v in event.meta.items()) or
                   (("Details", EMPTY),))
    ids = Section("IDs", (("Event ID", event.idempotency_id or EMPTY),
                          ("Request ID", event.request_id or EMPTY),
                          ("Org ID", fmt(event.org_id)), ("System event", fmt(event.is_system))))
    extra = [(label(k), fmt(v)) for k, v in {**(item.model_extra or {}),
                                             **(event.model_extra or {})}.items()]
    return [head, meta, ids] + ([Section("Other", tuple(extra))] if extra else [])


def _shared_file_sections(shared: SharedFile) -> list[Section]:
    res = shared.resource
    owner = shared.owner
    file_rows = sections_of(res, (("File", ("name", "path", "type", "created_at",
                                            "modified_at", "public_hash")),))
    owner_rows = Section("Owner", (("Login", owner.nickname or EMPTY),
                                   ("Name", owner.name.full or EMPTY), ("UID", owner.id)))
    if shared.settings is None:
        access = Section("Access", (("Access", shared.settings_error or "loading…"),))
    else:
        access = Section("Access", (
            ("Audience", access_summary(shared.settings)),
            ("Available until", fmt(shared.settings.available_until)),
            ("Entries", _list_text(list(shared.settings.accesses)))))
    return [*file_rows, owner_rows, access]
