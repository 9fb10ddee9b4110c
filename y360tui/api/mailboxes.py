"""Shared and delegated mailboxes sub-client (issue 10 §1).

Reference (public API 360 documentation, ``yandex.ru/dev/api360/doc/ru/ref/MailboxService``
"Общие и делегированные ящики", and the admin help pages "Managing shared mailboxes via API" /
"Managing delegated mailboxes via API"; host api360, or the family's own host through
``family_urls["mailboxes"]``). Scopes: ``ya360_admin:mail_read_shared_mailbox_inventory``
(read) and ``ya360_admin:mail_write_shared_mailbox_inventory`` (manage access; the emulator
lets it read too). Not in every tariff: a 403 may also mean the plan lacks the feature.
Limits (docs): 2,500 shared and 2,500 delegated mailboxes per organisation; one employee can
open at most 40 mailboxes.

Endpoints (all under ``/admin/v1/org/{orgId}/mailboxes``):

- ``GET /shared?page=&perPage=`` -> ``{"resources": [{"resourceId", "count"}], …}`` (shared
  mailboxes: id and number of employees with access). ``GET /delegated?page=&perPage=``: the
  same for mailboxes whose delegation is on (a delegated mailbox's id is its owner's uid).
  **[uncertain]** the paging envelope: the docs' example shows only ``resources``; this client
  reads ``page``, ``pages``, ``perPage``, ``total`` when present (the api360 style, reference
  §4 a), computes ``pages`` from ``total``/``perPage`` when ``pages`` is absent, and treats a
  page without totals as the last one when it is shorter than ``perPage``. **[uncertain]** the
  ``perPage`` maximum: 100 is assumed (``MAX_PER_PAGE``).
- ``GET /shared/{resourceId}`` -> ``{"id", "email", "name", "description", "createdAt",
  "updatedAt"}``.
- ``PUT /shared`` with ``{"email", "name", "description"}`` creates a shared mailbox ->
  ``{"resourceId"}``.
- ``PUT /delegated`` with ``{"resourceId": <uid>}`` turns delegation of that employee's own
  mailbox on -> ``{"resourceId"}``; ``DELETE /delegated/{resourceId}`` turns it off.
  **[uncertain]** the answers: a PUT on a mailbox already delegated is taken as 409 (peer
  scripts treat 409 as "already on"), the DELETE reply as ``{}``.
- ``GET /actors/{resourceId}`` -> ``{"actors": [{"actorId", "roles": [...]}]}``: who can open
  the mailbox.
- ``GET /resources/{actorId}`` -> ``{"resources": [{"resourceId", "type": "shared" |
  "delegated", "roles": [...]}]}``: the mailboxes an employee can open.
- ``POST /set/{resourceId}?actorId=&notify=`` with ``{"roles": [...]}`` grants, changes or (an
  empty list) revokes one employee's access. Asynchronous: -> ``{"taskId"}``. ``notify``:
  ``all``, ``delegates`` or ``none`` (who gets a notification letter). A delegated mailbox
  must have delegation on first.
- ``GET /tasks/{taskId}`` -> ``{"status": "running" | "complete" | "error"}``. **[uncertain]**
  other status values and the error's field: unknown values are kept (``TaskStatus``), an
  ``error`` text is read when present.

Roles (``roles``; the deprecated ``/mail/delegated`` methods said ``rights`` with
``imap_full_access``/``send_as``/``send_on_behalf``, retired on 1 Nov 2024):
``shared_mailbox_owner`` (full rights, includes the others), ``shared_mailbox_imap_admin``
(read and manage over IMAP, no sending), ``shared_mailbox_sender`` (send as the mailbox),
``shared_mailbox_half_sender`` (send on behalf). **[uncertain]** the web-interface roles
``shared_mailbox_reader``/``_editor``/``_admin`` named by one summary of the docs: accepted and
shown, not offered by the app.

Errors: the api360 body ``{"code", "message", "details"}``, typed by ``client.call``.
Not implemented: ``PUT``/``DELETE /shared/{resourceId}`` (edit or delete a shared mailbox),
which one peer client calls but the reference pages do not list.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from ._base import SubClient, check_int_range, check_str, user_id
from .errors import Y360Error
from .models.mailboxes import (
    Actors,
    CreatedMailbox,
    MailboxEntry,
    MailboxList,
    Resources,
    Role,
    SharedMailbox,
    Task,
    TaskRef,
)
from .paging import NumberedPager, Page

MAX_PER_PAGE = 100  # [uncertain], see the module docstring
NOTIFY = ("all", "delegates", "none")
GRANTABLE = (Role.OWNER, Role.IMAP_ADMIN, Role.SENDER, Role.HALF_SENDER)


class TaskFailed(Y360Error):
    """An access-change task ended in ``error`` (``task`` is its last status)."""

    def __init__(self, task: Task) -> None:
        super().__init__(f"the access change failed: {task.error or task.status.value}")
        self.task = task


class TaskTimeout(Y360Error, TimeoutError):
    """An access-change task was still running when ``wait_task`` stopped polling."""

    def __init__(self, task_id: str, seconds: float, task: Task | None) -> None:
        super().__init__(f"task {task_id} still running after {seconds:g} s")
        self.task_id = task_id
        self.task = task


def roles_list(roles: Iterable[Role | str]) -> list[str]:
    """Role values as sent, each checked to be a non-empty string, duplicates dropped."""
    if isinstance(roles, (str, bytes)):
        raise ValueError("roles must be a list of roles, not a single string")
    out: list[str] = []
    for role in roles:
        value = role.value if isinstance(role, Role) else check_str("role", role)
        if value not in out:
            out.append(value)
    return out


def _list_page(body: MailboxList, number: int, per_page: int) -> Page[MailboxEntry]:
    """A ``Page`` from a list envelope whose totals may be missing ([uncertain] above)."""
    items = body.resources
    total = body.total
    pages = body.pages
    if pages is None and total is not None:
        pages = -(-total // per_page)
    # Without totals, a full page may have a successor.
    more = number < pages if pages is not None else len(items) >= per_page
    return Page(items, total, number + 1 if more else None, more, number, pages)


class MailboxesApi(SubClient):
    """Shared and delegated mailboxes of ``client.org_id`` (see the module docstring)."""

    family = "mailboxes"

    def _path(self, suffix: str) -> str:
        return f"/admin/v1/org/{self.org_id}/mailboxes{suffix}"

    def _list(self, kind: str, per_page: int, start: int) -> NumberedPager[MailboxEntry]:
        check_int_range("per_page", per_page, 1, MAX_PER_PAGE)
        check_int_range("start", start, 1)

        async def fetch(number: int) -> Page[MailboxEntry]:
            body = await self._call("GET", self._path(f"/{kind}"), MailboxList,
                                    params={"page": number, "perPage": per_page})
            return _list_page(body, number, per_page)

        return NumberedPager(fetch, start)

    def shared(self, per_page: int = MAX_PER_PAGE, *, start: int = 1
               ) -> NumberedPager[MailboxEntry]:
        """Shared mailboxes: id and actor count (page/perPage). Returns a NumberedPager."""
        return self._list("shared", per_page, start)

    def delegated(self, per_page: int = MAX_PER_PAGE, *, start: int = 1
                  ) -> NumberedPager[MailboxEntry]:
        """Employees' mailboxes with delegation on: id (the owner's uid) and actor count."""
        return self._list("delegated", per_page, start)

    async def get_shared(self, resource_id: str | int) -> SharedMailbox:
        """One shared mailbox's card (address, name, description); NotFound if unknown."""
        return await self._call("GET", self._path(f"/shared/{user_id(resource_id, 'resource_id')}"),
                                SharedMailbox)

    async def create_shared(self, email: str, name: str, description: str = "") -> str:
        """Create a shared mailbox; returns its id. ``email``: a full address on one of the
        organisation's domains."""
        email = check_str("email", email).strip()
        local, at, domain = email.partition("@")
        if not at or not local or "." not in domain or " " in email:
            raise ValueError(f"email must be a full address (name@domain), got {email!r}")
        body = {"email": email, "name": check_str("name", name).strip(),
                "description": check_str("description", description, empty=True)}
        created = await self._call("PUT", self._path("/shared"), CreatedMailbox, json_body=body)
        return created.resource_id

    async def enable_delegation(self, uid: str | int) -> str:
        """Turn delegation of employee ``uid``'s own mailbox on; returns the mailbox id."""
        body = {"resourceId": user_id(uid, "uid")}
        created = await self._call("PUT", self._path("/delegated"), CreatedMailbox,
                                   json_body=body)
        return created.resource_id or body["resourceId"]

    async def disable_delegation(self, uid: str | int) -> None:
        """Turn delegation of employee ``uid``'s own mailbox off."""
        await self._call("DELETE", self._path(f"/delegated/{user_id(uid, 'uid')}"), None)

    async def actors(self, resource_id: str | int) -> Actors:
        """Who can open the mailbox ``resource_id``, with their roles."""
        rid = user_id(resource_id, "resource_id")
        return await self._call("GET", self._path(f"/actors/{rid}"), Actors)

    async def resources(self, actor_id: str | int) -> Resources:
        """The mailboxes employee ``actor_id`` can open (shared and delegated), with roles."""
        aid = user_id(actor_id, "actor_id")
        return await self._call("GET", self._path(f"/resources/{aid}"), Resources)

    async def set_access(self, resource_id: str | int, actor_id: str | int,
                         roles: Iterable[Role | str], *, notify: str = "none") -> str:
        """Grant, change or revoke (``roles=[]``) ``actor_id``'s access to ``resource_id``.
        Asynchronous: returns the task id (``wait_task`` polls it)."""
        if notify not in NOTIFY:
            raise ValueError(f"notify must be one of {', '.join(NOTIFY)}, got {notify!r}")
        rid = user_id(resource_id, "resource_id")
        params = {"actorId": user_id(actor_id, "actor_id"), "notify": notify}
        ref = await self._call("POST", self._path(f"/set/{rid}"), TaskRef, params=params,
                               json_body={"roles": roles_list(roles)})
        if not ref.task_id:
            raise Y360Error("the server accepted the access change but sent no task id")
        return ref.task_id

    async def task(self, task_id: str) -> Task:
        """The status of an access-change task."""
        tid = check_str("task_id", task_id).strip()
        if "/" in tid:
            raise ValueError(f"task_id must not contain '/', got {tid!r}")
        return await self._call("GET", self._path(f"/tasks/{tid}"), Task)

    async def wait_task(self, task_id: str, *, poll: float = 1.0, timeout: float = 60.0,
                        sleep: Callable[[float], Awaitable[Any]] | None = None,
                        on_poll: Callable[[int, Task], Any] | None = None) -> Task:
        """Poll the task every ``poll`` seconds until it is done; returns the final status.

        Raises ``TaskFailed`` when it ends in ``error`` and ``TaskTimeout`` after ``timeout``
        seconds of polling (counted as the sum of the sleeps, so an injected ``sleep`` makes
        tests instant). ``on_poll(n, task)`` is called after each status read (progress)."""
        if poll <= 0 or timeout <= 0:
            raise ValueError("poll and timeout must be > 0")
        sleep = sleep or asyncio.sleep
        waited, polls = 0.0, 0
        started = time.monotonic()
        last: Task | None = None
        while True:
            last = await self.task(task_id)
            polls += 1
            if on_poll is not None:
                on_poll(polls, last)
            if last.status.done:
                if last.status.failed:
                    raise TaskFailed(last)
                return last
            if waited >= timeout or time.monotonic() - started > timeout + 5 * poll:
                raise TaskTimeout(task_id, timeout, last)
            await sleep(poll)
            waited += poll
