"""The views and detail screens, known by a static table so start-up imports none of them.

A *view* is a top-level list reachable by a number key and by name from the command palette.
Views past the nine number keys have a letter: ``0`` opens the Go-to menu (every view), where
that letter (or any view's digit) opens it.
``VIEW_TABLE`` lists each one: key, name (also the Textual mode name), title, description and
where its screen class lives (``"module:Class"`` under ``y360tui.ui.screens``). A *detail*
screen opens when Enter is pressed on a row of kind ``kind``; ``DETAIL_TABLE`` says where the
screen of each kind lives. Its constructor takes the object's id and a short label (used in the
breadcrumb)::

    class UserDetailScreen(Screen):
        def __init__(self, ident: str, label: str = "") -> None: ...

Why a table and not only decorators run by importing every screen module: the number keys,
the palette and the help screen need names and keys only, while importing the screens (and
the edit forms they pull in) cost ~0.2-0.4 s before the first users could show. With the table,
a screen module is imported when its view is first shown or its detail first opened.

``@register_view`` and ``@register_detail`` stay for the screen modules that use them: a view
decorator checks that the class matches its table row (a renamed key or title fails at import,
and the tests import every view), a detail decorator records the class for its kind.

Any screen posts ``OpenDetail(kind, ident, label)`` to drill down; the app pushes the detail
screen of ``kind`` on the navigation stack.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from textual.message import Message
from textual.screen import Screen

S = TypeVar("S", bound=type[Screen])
PACKAGE = "y360tui.ui.screens"


def _load_class(where: str) -> type[Screen]:
    """The class named by ``"module:Class"`` (module relative to the screens package)."""
    module, name = where.split(":")
    return getattr(importlib.import_module(f"{PACKAGE}.{module}"), name)


@dataclass(frozen=True)
class ViewSpec:
    """A top-level view: number key, internal name (also the Textual mode name), title, and
    ``where`` its screen class is (``"module:Class"``), imported on first use."""

    key: str
    name: str
    title: str
    where: str
    description: str = ""

    @property
    def keys(self) -> str:
        """How to reach it from anywhere: ``3`` for a number key, ``0 m`` for a letter
        (``0`` opens the Go-to menu, then the letter)."""
        return self.key if self.key.isdigit() else f"0 {self.key}"

    @property
    def screen(self) -> type[Screen]:
        """The screen class (imports its module the first time)."""
        return _load_class(self.where)

    def make(self) -> Screen:
        """A new screen of this view (what the app's mode builds)."""
        return self.screen()


VIEW_TABLE = (
    ViewSpec("1", "users", "Users", "users:UsersScreen",
             "every employee: login, name, department, status, admin, 2FA"),
    ViewSpec("2", "departments", "Departments", "departments:DepartmentsScreen",
             "the department tree, with members"),
    ViewSpec("3", "groups", "Groups", "groups:GroupsScreen",
             "groups with their type, size and mailing list"),
    ViewSpec("4", "mail-audit", "Mail audit", "mail_audit:MailAuditScreen",
             "mail audit log: window, user and type filters, follow"),
    ViewSpec("5", "audit-events", "Audit events", "audit_events:AuditEventsScreen",
             "organisation audit events: window, user/type/service/IP, follow"),
    ViewSpec("6", "shared-files", "Shared files", "shared_files:SharedFilesScreen",
             "Disk public resources of every user, with their access settings"),
    ViewSpec("7", "tracker-users", "Tracker users", "tracker_users:TrackerUsersScreen",
             "Yandex Tracker users: licence, dismissed, last login"),
    ViewSpec("8", "journal", "Journal", "journal:JournalScreen",
             "every edit made from this app: outcome, before -> after, errors"),
    ViewSpec("9", "findings", "Findings", "findings:FindingsScreen",
             "what to act on: 2FA, admins, odd users, empty groups, public links, settings"),
    ViewSpec("r", "mail-routing", "Mail routing", "mail_routing:MailRoutingScreen",
             "mail-processing rules in order: conditions and actions, in words"),
    ViewSpec("p", "sender-policies", "Sender policies", "sender_policies:SenderPoliciesScreen",
             "allowed and blocked senders (domain policy rules), with revision"),
    ViewSpec("a", "antispam-allowlist", "Anti-spam allowlist",
             "antispam_allowlist:AntispamAllowlistScreen",
             "IP addresses and ranges the spam filter always lets through"),
    ViewSpec("m", "mailboxes", "Mailboxes", "mailboxes:MailboxesScreen",
             "shared and delegated mailboxes: who can open them, with which rights"),
    ViewSpec("d", "domains", "Domains", "domains:DomainsScreen",
             "the organisation's domains: verification, MX/SPF/DKIM, DNS records"),
)
VIEWS: dict[str, ViewSpec] = {spec.name: spec for spec in VIEW_TABLE}

# Object kind -> module whose import registers its detail screen (``@register_detail``).
DETAIL_TABLE = {
    "user": "detail",
    "group": "detail",
    "department": "detail",
    "shared_file": "detail",
    "mail_routing": "mail_routing",
    "sender_policies": "sender_policies",
    "antispam_allowlist": "antispam_allowlist",
    "mail_settings": "mail_settings",
    "mailbox": "mailboxes",
    "domain": "domain_detail",
}
DETAILS: dict[str, Callable[[str, str], Screen]] = {}


def register_view(*, key: str, name: str, title: str, description: str = "") -> Callable[[S], S]:
    """Class decorator: check that a view's class matches its row in ``VIEW_TABLE``."""

    def check(cls: S) -> S:
        spec = VIEWS.get(name)
        if spec is None:
            raise ValueError(f"view {name!r} is not in registry.VIEW_TABLE")
        found = (key, title, description, cls.__name__)
        expected = (spec.key, spec.title, spec.description, spec.where.split(":")[1])
        if found != expected:
            raise ValueError(f"view {name!r}: {found} differs from VIEW_TABLE's {expected}")
        return cls

    return check


def register_detail(kind: str) -> Callable[[S], S]:
    """Class decorator: the screen that shows one object of ``kind`` (``user``, ``group``…)."""

    def wrap(cls: S) -> S:
        DETAILS[kind] = cls
        return cls

    return wrap


def detail_factory(kind: str) -> Callable[[str, str], Screen] | None:
    """The detail screen of ``kind`` (its module imported on first use), or None."""
    if kind not in DETAILS and kind in DETAIL_TABLE:
        importlib.import_module(f"{PACKAGE}.{DETAIL_TABLE[kind]}")
    return DETAILS.get(kind)


def views() -> list[ViewSpec]:
    """The views, by key."""
    return sorted(VIEWS.values(), key=lambda spec: spec.key)


def load_screens() -> None:
    """Import every view and detail module now (tests; start-up imports them on first use)."""
    for spec in VIEW_TABLE:
        _ = spec.screen
    for kind in DETAIL_TABLE:
        detail_factory(kind)


class OpenDetail(Message):
    """Ask the app to open the detail screen of one object."""

    def __init__(self, kind: str, ident: str, label: str = "") -> None:
        super().__init__()
        self.kind = kind
        self.ident = ident
        self.label = label
