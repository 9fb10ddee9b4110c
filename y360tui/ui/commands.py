"""Command palette (Ctrl+P) providers: jump to a view; find a user, group or department.

``DirectoryCommands`` searches the whole directory (the app loads every user, group and
department in the background after the first frame; a search typed before that load ends waits
for it) by login, e-mail, name (Latin or Cyrillic, words in any order) or id. To stay fast with
100,000 users, ``data.search`` first picks candidates out of every loaded row at C speed, then
ranks them by tier — exact field, whole words, word prefixes, inside, fuzzy — and by Textual's
fuzzy score within a tier, so ``Галкин`` lists the Галкин people before a Галкина and both
before anyone whose name only holds those letters in order.
A query that looks like an id is matched against loaded ids and also looked up on the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..data.directory import G_EMAIL, G_ID, G_NAME, U_EMAIL, U_ID, U_LOGIN, U_NAME
from ..data.search import (
    EXACT,
    FUZZY,
    candidates_all_words,
    person_names,
    query_words,
    rows_with_id,
    tier,
)
from . import registry

if TYPE_CHECKING:
    from .app import Y360App

FUZZY_POOL = 300  # rows per list the fuzzy matcher may score per keystroke (one-word queries)
WORDS_POOL = 2000  # rows per list holding every word of a several-word query
MAX_HITS = 30  # hits shown per keystroke (the best scores)
SCORE_SLICE = 100  # candidates scored between two turns of the event loop (~4 ms)
# One tier of ``data.search.tier`` is worth more than any fuzzy score of a palette-length
# query, so every hit of a better tier sorts above every hit of a worse one.
TIER_STEP = 1000.0
Candidate = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]]


def ranked(score: float, words: list[str], primary: Iterable[str],
           extra: Iterable[str] = ()) -> float:
    """The palette score of a hit: its tier (``data.search.tier``) then its fuzzy ``score``;
    0 when neither the tier nor the fuzzy matcher finds it."""
    level = tier(words, primary, extra)
    if level == FUZZY and score <= 0:
        return 0.0
    return level * TIER_STEP + max(score, 0.0)


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
                               help=f"key {spec.keys} · {spec.description}")

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
                          help=f"key {spec.keys} · {spec.description}")

    def _go(self, name: str) -> None:
        app: Y360App = self.app  # type: ignore[assignment]
        app.switch_view(name)


class DirectoryCommands(Provider):
    """Find a user, group or department by login, email, name or id."""

    async def search(self, query: str) -> Hits:
        """Objects that match ``query`` (the whole directory once loaded), then a server
        lookup if it looks like an id."""
        app: Y360App = self.app  # type: ignore[assignment]
        cache = app.directory
        if cache is None or app.blocked or not query.strip():
            return
        if getattr(cache, "syncing", False):
            await cache.synced()  # the palette shows it is busy meanwhile
        matcher = self.matcher(query)
        words = query_words(query)
        seen: set[tuple[str, str]] = set()
        for hit, key in self._exact(query, matcher):  # on screen before any scan
            seen.add(key)
            yield hit
        scored = []
        count = 0
        async for kind, ident, label, text, primary, extra in self._candidates(query.strip(),
                                                                               words):
            if (kind, ident) in seen:
                continue
            score = ranked(matcher.match(text), words, primary, extra)
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
                      partial(app.open_detail, kind, ident, label),
                      help=self._where(kind, ident))
        async for hit in self._by_id(query.strip(), seen):
            yield hit

    def _where(self, kind: str, ident: str) -> str:
        """A hit's help line: its kind and id, and a department's parent (three teams may
        share a name)."""
        text = f"{kind} · id {ident}"
        if kind == "department":
            cache = self.app.directory  # type: ignore[attr-defined]
            dept = next((d for d in cache.departments if str(d.id) == ident), None)
            parent = cache.department_names.get(dept.parent_id) if dept is not None else None
            if parent:
                text += f" · in {parent}"
        return text

    def _exact(self, query: str, matcher: Any) -> list[tuple[Hit, tuple[str, str]]]:
        """Hits for objects with an id, login, e-mail or group name equal to ``query``."""
        app: Y360App = self.app  # type: ignore[assignment]
        cache = app.directory
        out = []
        for kind, index, id_at, label_at, shown in (
                ("user", getattr(cache, "exact_users", None), U_ID, U_LOGIN,
                 (U_LOGIN, U_NAME, U_EMAIL)),
                ("group", getattr(cache, "exact_groups", None), G_ID, G_NAME, (G_NAME, G_EMAIL))):
            if index is None:
                continue
            for _, row in index.lookup(query):
                text = _joined(row[i] for i in shown)
                score = EXACT * TIER_STEP + max(matcher.match(text), 0.0)
                hit = Hit(score, matcher.highlight(text),
                          partial(app.open_detail, kind, row[id_at], row[label_at]),
                          help=self._where(kind, row[id_at]))
                out.append((hit, (kind, row[id_at])))
        return out

    async def _candidates(self, query: str, words: list[str]) -> AsyncIterator[Candidate]:
        """(kind, id, label, text to match, texts the tier is judged on, texts that only
        count as "inside") of objects worth scoring."""
        app: Y360App = self.app  # type: ignore[assignment]
        cache = app.directory
        assert cache is not None
        pools = (("user", cache.users, U_ID, U_LOGIN, (U_LOGIN, U_NAME, U_EMAIL)),
                 ("group", cache.groups, G_ID, G_NAME, (G_NAME, G_EMAIL)))
        for kind, data, id_at, label_at, shown in pools:
            for row in await self._pool(data, query, words, id_at):
                primary = tuple(row[i] for i in shown)
                extra: tuple[str, ...] = ()
                if kind == "user":
                    name, patronymic = person_names(row[U_NAME])
                    primary, extra = (row[U_LOGIN], name, row[U_EMAIL]), (patronymic,)
                if query.isdigit():
                    primary += (row[id_at],)
                text = _joined(row[i] for i in shown)
                yield kind, row[id_at], row[label_at], text, primary, extra
        for dept in cache.departments:
            primary = (dept.name, dept.email, str(dept.id))
            yield ("department", str(dept.id), dept.name,
                   _joined((dept.name, dept.label, dept.email)), primary, ())

    @staticmethod
    async def _pool(data: Any, query: str, words: list[str], id_at: int) -> list[Any]:
        """Rows of one list worth scoring for the query."""
        if query.isascii() and query.isdigit():
            found = rows_with_id(data, query, id_at)
            if found:
                return [row for _, row in found]
        if len(words) > 1:
            found = candidates_all_words(data, words, WORDS_POOL)
            if found:
                return [row for _, row in found]
        needle = " ".join(words)
        return [row for _, row in await data.fuzzy_candidates_async(needle, FUZZY_POOL)]

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


class FilterCommands(Provider):
    """Saved filters (``data.saved_filters``): apply one to its view; save the current one."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        """(text, callback, help) of every filter command available now."""
        from ..data.config import ConfigError
        from ..data.saved_filters import saved_filters

        app: Y360App = self.app  # type: ignore[assignment]
        if app.blocked:
            return []
        out: list[tuple[str, Any, str]] = []
        try:
            filters = saved_filters(path=app.config_file)
        except ConfigError as exc:
            filters = []
            out.append((f"Saved filters unavailable: {exc}", lambda: None, "config file"))
        for saved in filters:
            spec = registry.VIEWS.get(saved.view)
            if spec is None:
                continue
            out.append((f"Filter: {saved.name} · {spec.title}",
                        partial(app.apply_saved_filter, saved.view, saved.text), saved.text))
        screen = self.screen  # the screen the palette was opened from
        text = getattr(getattr(screen, "data", None), "query", "")
        if text and hasattr(screen, "apply_filter"):
            out.append(("Save filter as…", app.action_save_filter, f"save “{text}” by name"))
        return out

    async def discover(self) -> Hits:
        """Every saved filter, and "Save filter as…" when the view is filtered."""
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Saved filters whose name, view or text matches ``query``."""
        matcher = self.matcher(query)
        for text, callback, help_text in self._commands():
            score = max(matcher.match(text), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)
