"""The list behind each view, without widgets: what the TUI's screens show and what
``y360tui export`` writes come from the same ``ViewSource``.

A ``ViewSource`` is a ``PagedList`` of the view's rows, the view's named ``fields``
(``data.fields``: filter names and export columns) and, for views with per-row values fetched
on demand (a user's 2FA state), ``fetch_values(rows, fields)``. The builders below take what a
session already holds (the ``DirectoryCache``, a ``Linker``, the client) so a screen and the
headless export share caches and fetch code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import EventsQuery, LogSource, MailQuery, utc_now
from .directory import U_ID
from .fields import (
    Field,
    audit_event_fields,
    department_fields,
    finding_fields,
    group_fields,
    mail_event_fields,
    shared_file_fields,
    tracker_user_fields,
    two_fa_wanted,
    user_fields,
)
from .paged import Chunk, PagedList

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.models import Department
    from .directory import DirectoryCache
    from .links import Linker

ValueFetch = Callable[[list[Any], list[Field]], Awaitable[None]]

# Views ``y360tui export`` knows.
HEADLESS_VIEWS = ("users", "groups", "departments", "mail-audit", "audit-events",
                  "shared-files", "tracker-users", "findings")
MAIL_FLOW_VIEWS = ("mail-routing", "sender-policies", "antispam-allowlist")
HEADLESS_VIEWS += MAIL_FLOW_VIEWS
HEADLESS_VIEWS += ("mailboxes",)
HEADLESS_VIEWS += ("domains",)
AUDIT_VIEWS = ("mail-audit", "audit-events")
TRACKER_PAGE = 100  # the ``_relative`` maximum
DEPARTMENTS_PAGE = 1_000_000  # every department in one "page": the cache loads them at once


@dataclass
class ViewSource:
    """One view's rows (``paged``), its ``fields`` and how to fetch per-row values."""

    name: str
    paged: PagedList[Any]
    fields: list[Field]
    fetch_values: ValueFetch | None = None


# ------------------------------------------------------------------------- directory


def users_source(directory: DirectoryCache) -> ViewSource:
    """Every user (the session's shared list), 2FA fetched per row when a filter needs it."""
    cache = directory.two_fa

    async def two_fa(rows: list[Any], fields: list[Field]) -> None:
        await cache.load(row[U_ID] for row in rows if two_fa_wanted(row))

    return ViewSource("users", directory.users, user_fields(cache), two_fa)


def groups_source(directory: DirectoryCache) -> ViewSource:
    """Every group (the session's shared list)."""
    return ViewSource("groups", directory.groups, group_fields())


def department_key(dep: Department) -> str:
    """What a plain word of a departments filter matches: name, label and mailing list."""
    return f"{dep.name}\t{dep.label or ''}\t{dep.email or ''}"


class _Names(dict):  # type: ignore[type-arg]
    """id -> name, filled later: true even while empty, so ``department_fields`` keeps this
    very dict (``names or {}`` would swap an empty one for a new one)."""

    def __bool__(self) -> bool:
        return True


def departments_source(directory: DirectoryCache) -> ViewSource:
    """Every department, by name (one "page": the cache loads them all at once); the
    ``parent`` field names the parent department."""
    names = _Names()  # filled when the departments arrive

    async def everything(page: int) -> Chunk[Department]:
        await directory.load_departments()
        names.clear()
        names.update(directory.department_names)
        rows = sorted(directory.departments, key=lambda d: d.name.casefold())
        return Chunk(rows, total=len(rows))

    paged: PagedList[Any] = PagedList.random(everything, DEPARTMENTS_PAGE, department_key)
    return ViewSource("departments", paged, department_fields(names))


# ------------------------------------------------------------------------- audit logs


def audit_source(client: Y360Client, query: MailQuery | EventsQuery, *,
                 clock: Callable[[], Any] = utc_now, page_size: int = 100) -> ViewSource:
    """A newest-first audit log for ``query`` (mail audit or audit events)."""
    log = LogSource(client, query, clock=clock, page_size=page_size)
    if isinstance(query, MailQuery):
        name, fields = "mail-audit", mail_event_fields()
    else:
        name, fields = "audit-events", audit_event_fields()
    return ViewSource(name, PagedList.sequential(log.next, page_size), fields)


# ------------------------------------------------------------------------- Disk, Tracker


def shared_files_source(linker: Linker, *, users_per_step: int = 100,
                        cache_dir: Path | None = None) -> ViewSource:
    """Every public Disk resource with its access settings: the session's inventory
    (``data.inventory``: audit-log owners first, then every user; cached in ``cache_dir``),
    once complete, ``users_per_step`` rows per chunk, each chunk's settings fetched before it
    is returned (an export asks for the access column of every row)."""
    from .inventory import inventory_for, rows_after

    inventory = inventory_for(linker, cache_dir=cache_dir)

    async def fetch(cursor: Any) -> Chunk[Any]:
        if cursor is None:  # an export writes the whole list: the refreshed one
            await inventory.wait_complete()
        rows, nxt, more = rows_after(inventory, cursor, users_per_step)
        await inventory.load_settings(rows)
        return Chunk(rows, more=more, cursor=nxt)

    return ViewSource("shared-files", PagedList.sequential(fetch, users_per_step),
                      shared_file_fields())


async def tracker_users_page(client: Y360Client, cursor: Any,
                             page_size: int = TRACKER_PAGE) -> Chunk[Any]:
    """The Tracker users after uid ``cursor`` (None: from the first)."""
    page = await client.tracker.users_relative(page_size).fetch(cursor)
    return Chunk(page.items, more=page.has_more, cursor=page.cursor)


def tracker_users_source(client: Y360Client) -> ViewSource:
    """Every Tracker user, by uid."""

    async def fetch(cursor: Any) -> Chunk[Any]:
        return await tracker_users_page(client, cursor)

    return ViewSource("tracker-users", PagedList.sequential(fetch, TRACKER_PAGE),
                      tracker_user_fields())


def mailboxes_source(client: Y360Client) -> ViewSource:
    """Shared and delegated mailboxes in one list (``data.mailboxes``), the session's."""
    from .fields import mailbox_fields
    from .mailboxes import inventory_of

    return ViewSource("mailboxes", inventory_of(client).paged(), mailbox_fields())


def domains_source(client: Y360Client) -> ViewSource:
    """The organisation's domains with their records' mail check (``data.domains``)."""
    from .domains import domains_paged
    from .fields import domain_fields

    return ViewSource("domains", domains_paged(client), domain_fields())


# ------------------------------------------------------------------------- findings


def findings_source(client: Y360Client, directory: DirectoryCache | None = None,
                    linker: Linker | None = None) -> ViewSource:
    """Every finding (``data.findings``), one row per check (a plain record), in display
    order; all checks run when the one "page" is fetched."""
    from .findings_out import compute_findings, findings_records

    async def everything(page: int) -> Chunk[Any]:
        records = findings_records(await compute_findings(client, directory, linker))
        return Chunk(records, total=len(records))

    paged: PagedList[Any] = PagedList.random(everything, DEPARTMENTS_PAGE,
                                             lambda r: f"{r['id']}\t{r['title']}")
    return ViewSource("findings", paged, finding_fields())


# ------------------------------------------------------------------------- mail flow


def mail_flow_fields(view: str) -> list[Field]:
    """The fields of a mail flow view (``MAIL_FLOW_VIEWS``)."""
    from .fields import allowlist_fields, mail_rule_fields, sender_policy_fields

    return {"mail-routing": mail_rule_fields, "sender-policies": sender_policy_fields,
            "antispam-allowlist": allowlist_fields}[view]()


def mail_flow_source(view: str, client: Y360Client, holder: Any = None) -> ViewSource:
    """Routing rules, sender policies or the anti-spam allow list (the whole list in one
    page, numbered in server order); ``holder`` (the app) keeps the lists read, for edits."""
    from .mail_flow import MailFlowLists, allowlist_list, lists_of, policies_list, rules_list

    lists = lists_of(holder, client) if holder is not None else MailFlowLists(client)
    build = {"mail-routing": rules_list, "sender-policies": policies_list,
             "antispam-allowlist": allowlist_list}[view]
    return ViewSource(view, build(lists), mail_flow_fields(view))
