"""Shared and delegated mailboxes as view rows and lookups (no widgets; ``api/mailboxes.py``).

**One list, with a Type column.** The Mailboxes view shows shared and delegated mailboxes
together: an admin's question is "who can open which mailbox", whatever its kind, and one
list lets ``/`` find an address in both, sort by actor count across both, and filter
``type:shared``. The API lists each kind separately and gives only ids and actor counts
(``{"resourceId", "count"}``): a shared mailbox's address and name come from its card
(``GET /shared/{id}``, one request each, ``CARD_CONCURRENCY`` in flight), a delegated
mailbox's from its owner's user record (its id is the owner's uid). The id lists are read
whole (both kinds, every page: a few requests), then the view's pages of ``PAGE`` mailboxes
each look up their own cards and owners: the first mailboxes show after ~``PAGE /
CARD_CONCURRENCY`` round trips, not after every card (at the documented maximum, 2,500 of
each, that is about 5,000 small requests, ~50 s at 80 ms; the view loads the rest in the
background, a filter or an export waits for it).

``MailboxInventory`` keeps, per session (``inventory_of(client)``), the rows read, the cards
and users looked up, and the set of delegated mailboxes (what a user's detail needs to know
whether "is opened by" lines are due, without scanning anything).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import NotFound
from ..api.models.mailboxes import Actor, Role
from .lookups import LookupCache
from .paged import Chunk, PagedList

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.models import User
    from ..api.models.mailboxes import SharedMailbox

PAGE = 100  # mailboxes per page of the view (their cards and owners are read together)
CARD_CONCURRENCY = 8
SHARED, DELEGATED = "shared", "delegated"
# Rights in the views' words (the API's role names are long and alike).
ROLE_WORDS = {
    Role.OWNER: "full access",
    Role.IMAP_ADMIN: "read (IMAP)",
    Role.SENDER: "send as",
    Role.HALF_SENDER: "send on behalf",
    Role.READER: "read (web)",
    Role.EDITOR: "edit (web)",
    Role.ADMIN: "manage (web)",
}
# What the grant form offers, in that order (an owner has every other right).
GRANT_CHOICES = (
    ("full", "full access (owner)", (Role.OWNER,)),
    ("imap_send", "read (IMAP) + send as", (Role.IMAP_ADMIN, Role.SENDER)),
    ("imap_behalf", "read (IMAP) + send on behalf", (Role.IMAP_ADMIN, Role.HALF_SENDER)),
    ("imap", "read (IMAP) only", (Role.IMAP_ADMIN,)),
    ("send", "send as only", (Role.SENDER,)),
    ("behalf", "send on behalf only", (Role.HALF_SENDER,)),
)


def role_word(role: Role | str) -> str:
    """One right in words; an unknown role by its own name."""
    try:
        return ROLE_WORDS.get(Role(role), str(getattr(role, "value", role)))
    except ValueError:
        return str(role)


def rights_words(roles: Iterable[Role | str]) -> str:
    """Rights in words, joined: ``read (IMAP), send as``; ``no access`` for none."""
    words = [role_word(r) for r in roles]
    return ", ".join(words) if words else "no access"


def role_values(roles: Iterable[Role | str]) -> list[str]:
    """The wire values, sorted (to compare two sets of rights)."""
    return sorted({str(getattr(r, "value", r)) for r in roles})


@dataclass(frozen=True)
class MailboxRow:
    """One mailbox of the view: id, kind, address, name, actor count, description (a
    delegated mailbox: its owner's address and name)."""

    id: str
    type: str
    email: str
    name: str
    count: int
    description: str = ""

    @property
    def label(self) -> str:
        """The address, or the id while no address is known."""
        return self.email or self.id


@dataclass(frozen=True)
class ActorRow:
    """One employee who can open a mailbox: uid, login, name, rights."""

    uid: str
    login: str
    name: str
    roles: tuple[Role, ...]

    @property
    def rights(self) -> str:
        return rights_words(self.roles)

    @property
    def label(self) -> str:
        return self.login or self.uid


class MailboxInventory:
    """The session's mailboxes (see the module docstring)."""

    def __init__(self, client: Y360Client) -> None:
        self.client = client
        self.cards: LookupCache[str, SharedMailbox] = LookupCache(
            client.mailboxes.get_shared, concurrency=CARD_CONCURRENCY)
        self.users: LookupCache[str, User] = LookupCache(
            client.directory.get_user, concurrency=CARD_CONCURRENCY)
        self.rows: dict[str, MailboxRow] = {}
        self._delegated: set[str] | None = None
        self._delegated_task: asyncio.Task[set[str]] | None = None

    # ------------------------------------------------------------------ the list

    async def load(self) -> list[MailboxRow]:
        """Every mailbox, shared first then delegated (each in the API's order), with
        addresses and names (cards and owners looked up as needed)."""
        entries = await self._read_entries()
        return await self._rows_of(entries)

    async def _read_entries(self) -> list[tuple[str, str, int]]:
        """``(kind, id, actors)`` of every mailbox: both id lists, every page."""
        api = self.client.mailboxes
        self.cards.forget_errors()  # a reload asks again for what failed last time
        self.users.forget_errors()
        shared, delegated = await asyncio.gather(api.shared().fetch_all(concurrency=4),
                                                 api.delegated().fetch_all(concurrency=4))
        self._delegated = {e.resource_id for e in delegated}
        self.rows = {}
        return ([(SHARED, e.resource_id, e.count) for e in shared]
                + [(DELEGATED, e.resource_id, e.count) for e in delegated])

    async def _rows_of(self, entries: list[tuple[str, str, int]]) -> list[MailboxRow]:
        """Rows of ``entries``, their cards and owners looked up (``CARD_CONCURRENCY``)."""
        await asyncio.gather(self.cards.load(i for k, i, _ in entries if k == SHARED),
                             self.users.load(i for k, i, _ in entries if k == DELEGATED))
        rows = [self._shared_row(i, n) if k == SHARED else self._delegated_row(i, n)
                for k, i, n in entries]
        self.rows.update((r.id, r) for r in rows)
        return rows

    def _shared_row(self, rid: str, count: int) -> MailboxRow:
        card = self.cards.get(rid)
        if card is None:
            error = self.cards.errors.get(rid)
            note = f"card unavailable: {error}" if error is not None else ""
            return MailboxRow(rid, SHARED, "", "", count, note)
        return MailboxRow(rid, SHARED, card.email, card.name, count, card.description)

    def _delegated_row(self, uid: str, count: int) -> MailboxRow:
        user = self.users.get(uid)
        if user is None:
            return MailboxRow(uid, DELEGATED, "", "", count, "owner unavailable")
        return MailboxRow(uid, DELEGATED, user.email, user.name.full or user.nickname, count,
                          f"mailbox of {user.nickname}, delegated")

    def paged(self) -> PagedList[MailboxRow]:
        """The view's list, read afresh: pages of ``PAGE`` mailboxes, each with its cards
        and owners (the id lists are read once, by the first page asked for)."""
        entries: asyncio.Future[list[tuple[str, str, int]]] | None = None

        async def fetch(page: int) -> Chunk[MailboxRow]:
            nonlocal entries
            if entries is None or (entries.done() and entries.exception() is not None):
                entries = asyncio.ensure_future(self._read_entries())
            every = await asyncio.shield(entries)
            rows = await self._rows_of(every[page * PAGE:(page + 1) * PAGE])
            return Chunk(rows, total=len(every))

        return PagedList.random(fetch, PAGE, mailbox_key)

    # ------------------------------------------------------------------ one mailbox

    async def delegated_ids(self) -> set[str]:
        """Ids of the mailboxes with delegation on: read once per session (every page of
        the delegated list), then kept; concurrent callers share one read."""
        if self._delegated is not None:
            return self._delegated
        if self._delegated_task is None or self._delegated_task.done():  # none, or failed
            self._delegated_task = asyncio.ensure_future(self._read_delegated())
        return await asyncio.shield(self._delegated_task)

    async def _read_delegated(self) -> set[str]:
        entries = await self.client.mailboxes.delegated().fetch_all(concurrency=4)
        self._delegated = {e.resource_id for e in entries}
        return self._delegated

    async def mailbox(self, rid: str) -> MailboxRow:
        """One mailbox by id: a shared mailbox's card, else a delegated employee mailbox
        (NotFound when it is neither)."""
        try:
            card = await self.client.mailboxes.get_shared(rid)
        except NotFound:
            card = None
        if card is not None:
            self.cards.values[rid] = card
            count = len((await self.client.mailboxes.actors(rid)).actors)
            row = MailboxRow(rid, SHARED, card.email, card.name, count, card.description)
        else:
            if rid not in await self.delegated_ids():
                raise NotFound(404, f"mailbox {rid} is neither shared nor delegated",
                               path=f"mailboxes/{rid}")
            self.users.invalidate(rid)
            await self.users.load([rid])
            count = len((await self.client.mailboxes.actors(rid)).actors)
            row = self._delegated_row(rid, count)
        self.rows[rid] = row
        return row

    async def actors(self, rid: str) -> list[ActorRow]:
        """Who can open mailbox ``rid``, with login, name and rights (users looked up)."""
        actors = (await self.client.mailboxes.actors(rid)).actors
        return await self.actor_rows(actors)

    async def actor_rows(self, actors: list[Actor]) -> list[ActorRow]:
        await self.users.load(a.actor_id for a in actors)
        out = []
        for actor in actors:
            user = self.users.get(actor.actor_id)
            out.append(ActorRow(actor.actor_id, user.nickname if user else "",
                                (user.name.full or "") if user else "", tuple(actor.roles)))
        return sorted(out, key=lambda a: (a.login or a.uid))

    def label_of(self, rid: str) -> str:
        """The address of a mailbox already seen this session (else its id)."""
        row = self.rows.get(rid)
        if row is not None and row.email:
            return row.email
        card = self.cards.get(rid)
        if card is not None:
            return card.email
        user = self.users.get(rid)
        return user.email if user is not None else rid

    def forget(self, rid: str | None = None) -> None:
        """After an edit: the actor counts (and, with no id, everything) are read again."""
        if rid is None:
            self.rows.clear()
            self._delegated = None
            self._delegated_task = None
        else:
            self.rows.pop(rid, None)


def mailbox_key(row: MailboxRow) -> str:
    """What ``/`` matches: address, name, type, description, id."""
    return "\t".join((row.email, row.name, row.type, row.description, row.id))


_INVENTORIES: weakref.WeakKeyDictionary[Any, MailboxInventory] = weakref.WeakKeyDictionary()


def inventory_of(client: Y360Client) -> MailboxInventory:
    """The session's inventory (one per client)."""
    inventory = _INVENTORIES.get(client)
    if inventory is None:
        inventory = _INVENTORIES[client] = MailboxInventory(client)
    return inventory

