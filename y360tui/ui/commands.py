"""Command palette (Ctrl+P) providers: jump to a view; find a user, group or department.

``DirectoryCommands`` searches what the session has loaded (the shared users and groups lists
and the departments) by login, email, name or id, with Textual's fuzzy matcher. To stay fast
with 100,000 loaded users, ``PagedList.fuzzy_candidates`` first picks at most ``FUZZY_POOL``
rows per list out of *every* loaded row (field-prefix hits, then substring hits, then rows
holding the query's characters in order, found by one regex over the joined search keys at C
speed), and the fuzzy matcher scores only those.
A query that looks like an id is also looked up on the server, so objects not loaded yet are
found too. A hit whose login, surname, email or name *starts* with the query ranks above one
that only matches further in (``петр`` finds ``e.petrova`` / Петрова before a Петровна).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..data.directory import G_EMAIL, G_ID, G_NAME, U_EMAIL, U_ID, U_LOGIN, U_NAME
from . import registry

if TYPE_CHECKING:
    from .app import Y360App

FUZZY_POOL = 300  # rows per list the fuzzy matcher may score per keystroke
MAX_HITS = 30  # hits shown per keystroke (the best scores)
SCORE_SLICE = 100  # candidates scored between two turns of the event loop (~4 ms)
# Added to the fuzzy score of a prefix hit: larger than any fuzzy score of a palette-length
# query, so every prefix hit sorts above every other hit.
PREFIX_BONUS = 1000.0


def ranked(score: float, needle: str, primary: Iterable[str]) -> float:
    """``score`` lifted by ``PREFIX_BONUS`` when one of the ``primary`` texts (login, surname,
    email, a group's or department's name) starts with ``needle`` (lower case)."""
    if score > 0 and any(p.lower().startswith(needle) for p in primary if p):
        return score + PREFIX_BONUS
    return score


def _surname(full_name: str) -> str:
    """The first word of a 'Last First Middle' name."""
    return full_name.split(" ", 1)[0]


def _joined(parts: Iterable[str]) -> str:
    """The non-empty parts, two spaces apart (what the palette shows and matches)."""
    return "  ".join(p for p in parts if p)


class ViewCommands(Provider):
    """'Users', 'Groups', … : switch to that view."""

    async def discover(self) -> Hits:
        """Every view, shown when the palette opens."""
        if self.app.blocked:  # type: ignore[attr-defined]
            return
        for spec in registry.views():
            yield DiscoveryHit(f"View: {spec.title}", partial(self._go, spec.name),
                               help=f"key {spec.key} · {spec.description}")

    async def search(self, query: str) -> Hits:
        """Views whose title matches ``query``."""
        if self.app.blocked:  # type: ignore[attr-defined]
            return
        matcher = self.matcher(query)
        for spec in registry.views():
            text = f"View: {spec.title}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._go, spec.name),
                          help=f"key {spec.key} · {spec.description}")

    def _go(self, name: str) -> None:
        app: Y360App = self.app  # type: ignore[assignment]
        app.switch_view(name)


class DirectoryCommands(Provider):
    """Find a user, group or department by login, email, name or id."""

    async def search(self, query: str) -> Hits:
        """Loaded objects that match ``query``, then a server lookup if it looks like an id."""
        app: Y360App = self.app  # type: ignore[assignment]
        cache = app.directory
        if cache is None or app.blocked or not query.strip():
            return
        matcher = self.matcher(query)
        needle = query.strip().lower()
        seen: set[tuple[str, str]] = set()
        scored = []
        count = 0
        async for kind, ident, label, text, primary in self._loaded(query):
            if (kind, ident) in seen:
                continue
            score = ranked(matcher.match(text), needle, primary)
            if score > 0:
                seen.add((kind, ident))
                scored.append((score, kind, ident, label, text))
            count += 1
            if count % SCORE_SLICE == 0:
                await asyncio.sleep(0)  # a key typed meanwhile is handled (and cancels this)
        # Only the best are highlighted and shown: highlighting costs more than scoring.
        scored.sort(key=lambda hit: -hit[0])
        for score, kind, ident, label, text in scored[:MAX_HITS]:
            yield Hit(score, matcher.highlight(text),
                      partial(app.open_detail, kind, ident, label), help=kind)
        async for hit in self._by_id(query.strip(), seen):
            yield hit

    async def _loaded(self, query: str
                      ) -> AsyncIterator[tuple[str, str, str, str, tuple[str, ...]]]:
        """(kind, id, label, text to match, texts a prefix hit ranks first on) of loaded
        objects worth scoring."""
        app: Y360App = self.app  # type: ignore[assignment]
        cache = app.directory
        assert cache is not None
        needle = query.strip().lower()
        pools = (("user", cache.users, U_ID, U_LOGIN, (U_LOGIN, U_NAME, U_EMAIL)),
                 ("group", cache.groups, G_ID, G_NAME, (G_NAME, G_EMAIL)))
        for kind, data, id_at, label_at, shown in pools:
            for _, row in await data.fuzzy_candidates_async(needle, FUZZY_POOL):
                primary = (row[U_LOGIN], _surname(row[U_NAME]), row[U_EMAIL]) \
                    if kind == "user" else (row[G_NAME], row[G_EMAIL])
                yield kind, row[id_at], row[label_at], _joined(row[i] for i in shown), primary
        for dept in cache.departments:
            yield ("department", str(dept.id), dept.name,
                   _joined((dept.name, dept.label, dept.email)), (dept.name, dept.email))

    async def _by_id(self, query: str, seen: set[tuple[str, str]]) -> Hits:
        """A numeric query: ask the server for a user, group or department with that id."""
        app: Y360App = self.app  # type: ignore[assignment]
        if not (query.isascii() and query.isdigit()) or app.client is None:
            return
        directory = app.client.directory
        lookups = [("user", directory.get_user, query)]
        if len(query) < 12:  # group and department ids are small ints; user ids are uint64
            lookups += [("group", directory.get_group, int(query)),
                        ("department", directory.get_department, int(query))]
        for kind, fetch, arg in lookups:
            if (kind, query) in seen:
                continue
            try:
                obj = await fetch(arg)
            except Exception:  # not found (or not allowed): simply no hit
                continue
            label = getattr(obj, "nickname", "") or getattr(obj, "name", "") or query
            text = f"{kind} {query}: {label}"
            yield Hit(1.0, text, partial(app.open_detail, kind, query, str(label)),
                      help="found on the server by id")
