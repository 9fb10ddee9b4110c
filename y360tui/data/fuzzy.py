"""Fuzzy candidates for the command palette, out of every loaded row of a ``PagedList``.

``FuzzyScan`` is mixed into ``PagedList``: it reads the list's rows (``_rows``) and lowered
search keys (``_keys``). Every loaded key is joined into a few large texts, and each candidate
group (field-prefix hits, substring hits, subsequence hits) is one compiled regex run over them
at C speed, a piece at a time, so a 100,000-row search never holds the event loop long.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")

# Possessive quantifiers (Python 3.11+) never backtrack: a failed subsequence test gives up at
# once instead of retrying shorter runs (same hits, fewer steps).
_POSSESSIVE = "+" if sys.version_info >= (3, 11) else ""
# Keys per piece of joined text: one step of a fuzzy scan (~1-3 ms of regex search) or join.
JOIN_SLICE = 10_000


def _drain(steps: Generator[None, None, V]) -> V:
    """Run a stepping generator to its end; its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


async def _drain_async(steps: Generator[None, None, V]) -> V:
    """``_drain`` with a turn of the event loop after every step."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
        await asyncio.sleep(0)


@dataclass
class _Scan:
    """Where one ``fuzzy_candidates`` scan stopped: the needle, its hits in list order (every
    hit before that point), the piece of text and the offset in it (a row boundary), and the
    row before it."""

    needle: str
    rows: list[int]
    piece: int
    pos: int
    row: int


class FuzzyScan(Generic[T]):
    """The palette's candidate scan over a list's loaded rows (mixed into ``PagedList``)."""

    _rows: list[Any]
    _keys: list[str]

    # The loaded keys as texts of ``JOIN_SLICE`` keys each, "\n\t" before each key (so every
    # field follows a tab and every row a newline), built on first use and again when a key
    # changed (``_fuzzy_keys`` is the list they were built from). Pieces, not one text: one
    # 100,000-key text took 20-35 ms to allocate, and a piece is one step of a scan.
    # Class defaults: instances that never search pay nothing.
    _fuzzy_keys: list[str] | None = None
    _fuzzy_texts: list[str] = []  # replaced, never mutated
    _fuzzy_scans: dict[str, _Scan] | None = None

    async def prepare_search(self) -> None:
        """Build the joined keys the fuzzy scan reads now, a piece per turn of the event loop
        (the app does it once the whole list is in, so the first palette search is not the
        one that pays for it)."""
        if self._fuzzy_keys != self._keys:
            await _drain_async(self._join_keys())

    def fuzzy_candidates(self, text: str, limit: int = 300) -> list[tuple[int, T]]:
        """``fuzzy_steps`` run to the end at once (see there)."""
        return _drain(self.fuzzy_steps(text, limit))

    async def fuzzy_candidates_async(self, text: str,
                                     limit: int = 300) -> list[tuple[int, T]]:
        """``fuzzy_steps`` with a turn of the event loop between slices of the scan: typing
        stays responsive on a 100,000-row list, and a cancelled search stops mid-scan."""
        return await _drain_async(self.fuzzy_steps(text, limit))

    def fuzzy_steps(self, text: str, limit: int = 300
                    ) -> Generator[None, None, list[tuple[int, T]]]:
        """A generator that yields between pieces of ``JOIN_SLICE`` keys it scans (or joins)
        and returns up to ``limit`` loaded rows worth scoring with a fuzzy matcher for
        ``text``, taken from every loaded row: first rows where a field of the search key
        (tab-separated) starts with ``text``, then rows where it contains ``text``, then rows
        where one field holds the characters of ``text`` in order (a subsequence: "ivptr" finds
        "ivan.petrov"); each group in list order.

        Each group is one compiled regex run at C speed over the joined keys, stopped once
        ``limit`` rows are found. Typing one more character resumes where the previous call
        stopped, re-testing only its rows before that point (a longer query matches a subset).
        """
        needle = text.strip().lower().replace("\t", " ").replace("\n", " ")
        if not needle:
            return []
        if self._fuzzy_keys != self._keys:
            yield from self._join_keys()
        literal = re.escape(needle)
        found = yield from self._scan("prefix", needle, "\t" + literal, limit)
        if len(found) >= limit:
            return self._rows_at(found, limit)
        # Every prefix and substring hit is also a subsequence hit: when the subsequence
        # scan covers every row, it alone holds them all.
        steps = [re.escape(c) for c in needle]
        fuzzy = steps[0] + "".join(f"[^\\t\\n{c}]*{_POSSESSIVE}{c}" for c in steps[1:])
        spread = yield from self._scan("subsequence", needle, fuzzy, limit)
        scans = self._fuzzy_scans
        if scans and scans["subsequence"].piece < len(self._fuzzy_texts):
            found += yield from self._scan("substring", needle, literal, limit)
        else:  # every subsequence hit is known: its substring hits go first
            keys = self._keys
            found += [i for i in spread if needle in keys[i]]
        return self._rows_at(found + spread, limit)

    def _join_keys(self) -> Generator[None, None, None]:
        """Build ``_fuzzy_texts`` from the keys as they are now, one piece a step."""
        keys = list(self._keys)
        texts = []
        for start in range(0, len(keys), JOIN_SLICE):
            texts.append("\n\t" + "\n\t".join(keys[start:start + JOIN_SLICE]))
            yield
        self._fuzzy_keys = keys
        self._fuzzy_texts = texts
        self._fuzzy_scans = {}

    def _scan(self, group: str, needle: str, pattern: str,
              limit: int) -> Generator[None, None, list[int]]:
        """Positions of up to ``limit`` rows whose "\t"-led key matches ``pattern``, in list
        order, resuming the previous scan of ``group`` when ``needle`` extends its needle."""
        scans = self._fuzzy_scans
        assert scans is not None
        compiled = re.compile(pattern)
        prev = scans.get(group)
        if prev is not None and needle.startswith(prev.needle):
            # Rows before where it stopped: only its hits can match the longer needle.
            keys = self._keys
            rows = [i for i in prev.rows if compiled.search("\t" + keys[i])]
            piece, pos, row = prev.piece, prev.pos, prev.row
        else:
            rows, piece, pos, row = [], 0, 0, -1
        texts = self._fuzzy_texts
        while len(rows) < limit and piece < len(texts):
            text = texts[piece]
            hit = compiled.search(text, pos)
            if hit is None:  # on to the next piece, after a turn for the caller
                piece, pos, row = piece + 1, 0, (piece + 1) * JOIN_SLICE - 1
                yield
                continue
            at = hit.start()
            row += text.count("\n", pos, at + 1)
            rows.append(row)
            # Go on from the next row: one hit per row is enough.
            pos = text.find("\n", at)
            if pos < 0:
                piece, pos, row = piece + 1, 0, (piece + 1) * JOIN_SLICE - 1
        scans[group] = _Scan(needle, rows, piece, pos, row)
        return rows[:limit]

    def _rows_at(self, positions: Iterable[int], limit: int) -> list[tuple[int, T]]:
        """(position, row) of the first ``limit`` distinct ``positions``."""
        out: list[tuple[int, T]] = []
        seen: set[int] = set()
        for i in positions:
            row = self._rows[i]
            if i in seen or row is None:
                continue
            seen.add(i)
            out.append((i, row))
            if len(out) >= limit:
                break
        return out
