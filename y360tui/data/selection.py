"""A selection given as a list: logins, e-mails or ids, from a file or pasted text.

Two steps, both explicit about what they could not use:

1. :func:`parse_list` turns text into entries. A CSV (``,``, ``;`` or tab) gives the column
   named ``login``, ``email``, ``id`` … (the first such header cell) or else its first column;
   a plain list gives one entry per line. A BOM, blank lines and ``#`` comments are ignored;
   a repeated entry is kept once and reported as a duplicate.
2. :func:`resolve_users` / :func:`resolve_files` match entries against the whole directory
   (or the scanned shared files): an id, a login, an e-mail, or an e-mail alias the API lists
   on the user. An entry that matches no object, or several, is *unknown* with the reason —
   never guessed. Two entries naming the same object count it once.

Nothing here sends a request except :func:`alias_index`, which reads the full user objects
(the list rows carry no aliases) when some e-mail matched no primary address.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .directory import G_EMAIL, G_ID, G_NAME, U_EMAIL, U_ID, U_LOGIN

# Header names (lower case, without spaces, dashes or underscores) taken as the entry column.
KEY_COLUMNS = ("login", "nickname", "email", "mail", "emailaddress", "id", "uid", "userid",
               "publickey", "publichash", "ident")
SEPARATORS = (",", ";", "\t")
MAX_ENTRIES = 200_000


class SelectionError(ValueError):
    """The list cannot be read at all (a missing file, binary data)."""


@dataclass(frozen=True)
class Entry:
    """One entry of the list: its text and where it was (1-based line)."""

    line: int
    text: str

    @property
    def key(self) -> str:
        """What two entries share when they name the same thing: logins and e-mails are
        compared in lower case; a public key (base64: ``/``, ``+``, ``=``) exactly."""
        text = self.text.strip()
        return text if any(c in text for c in "/+=") else text.lower()


@dataclass
class ParsedList:
    """Entries in the list's order (each once), the duplicates dropped, the column used."""

    entries: list[Entry] = field(default_factory=list)
    duplicates: list[tuple[Entry, Entry]] = field(default_factory=list)  # (repeat, first)
    column: str = ""  # "login" (a header) or "" (first column / plain lines)

    def describe(self) -> str:
        """``12 entries (column "email"), 2 duplicates dropped``."""
        text = f"{len(self.entries):,} entr{'y' if len(self.entries) == 1 else 'ies'}"
        if self.column:
            text += f' (column "{self.column}")'
        if self.duplicates:
            text += f", {len(self.duplicates)} duplicate(s) dropped"
        return text


def _norm_header(cell: str) -> str:
    return "".join(c for c in cell.strip().lower() if c not in " -_")


def _separator(lines: Sequence[str]) -> str | None:
    """The CSV delimiter the lines use, or None for a plain list (the most frequent of
    ``, ; tab`` on the first non-empty lines)."""
    sample = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")][:20]
    counts = {sep: sum(ln.count(sep) for ln in sample) for sep in SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else None


def parse_list(text: str) -> ParsedList:
    """Entries of a pasted or read list (see the module docstring)."""
    if "\x00" in text:
        raise SelectionError("this is not a text list (it holds binary data)")
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    sep = _separator(lines)
    out = ParsedList()
    cells: list[tuple[int, str]] = []
    if sep is None:
        cells = [(n, ln.strip()) for n, ln in enumerate(lines, 1)
                 if ln.strip() and not ln.lstrip().startswith("#")]
        if cells and _norm_header(cells[0][1]) in KEY_COLUMNS:  # a one-column CSV's header
            out.column = cells[0][1]
            cells = cells[1:]
    else:
        rows = [(n, row) for n, row in enumerate(
            csv.reader(io.StringIO("\n".join(lines)), delimiter=sep), 1)
            if any(c.strip() for c in row) and not row[0].lstrip().startswith("#")]
        column = 0
        if rows:
            header = [_norm_header(c) for c in rows[0][1]]
            named = [i for i, h in enumerate(header) if h in KEY_COLUMNS]
            if named:
                column = named[0]
                out.column = rows[0][1][column].strip()
                rows = rows[1:]
            elif len(rows) == 1:
                # One line with separators and no header: a pasted "a, b, c".
                cells = [(rows[0][0], c.strip()) for c in rows[0][1]]
                rows = []
        cells += [(n, row[column].strip() if column < len(row) else "") for n, row in rows]
    seen: dict[str, Entry] = {}
    for line, cell in cells:
        cell = cell.strip().strip('"').strip()
        if not cell or cell.startswith("#"):
            continue
        entry = Entry(line, cell)
        first = seen.get(entry.key)
        if first is not None:
            out.duplicates.append((entry, first))
            continue
        if len(out.entries) >= MAX_ENTRIES:
            raise SelectionError(f"more than {MAX_ENTRIES:,} entries")
        seen[entry.key] = entry
        out.entries.append(entry)
    return out


def read_list(path: str | Path) -> ParsedList:
    """:func:`parse_list` of a file (UTF-8, with or without a BOM; ``-`` is stdin)."""
    if str(path) == "-":
        import sys

        return parse_list(sys.stdin.read())
    target = Path(path).expanduser()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise SelectionError(f"{target}: no such file") from None
    except IsADirectoryError:
        raise SelectionError(f"{target}: is a directory") from None
    except OSError as exc:
        raise SelectionError(f"{target}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SelectionError(f"{target}: not UTF-8 text") from None
    return parse_list(text)


# --------------------------------------------------------------------------- resolution


@dataclass
class Found:
    """An entry matched to one object: its position in the list (``index``), the object
    (a row, a shared file) and how it matched (``login``, ``alias of ivan`` …)."""

    entry: Entry
    index: int
    obj: Any
    how: str


@dataclass
class Unknown:
    """An entry that names no object, or several: skipped, with the reason."""

    entry: Entry
    reason: str


@dataclass
class Selection:
    """What a list selects: the objects (each once, in the list's order) and the entries
    skipped (unknown, or naming an object an earlier entry named already)."""

    found: list[Found] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    repeats: list[tuple[Entry, Entry]] = field(default_factory=list)  # (entry, first naming it)
    parsed: ParsedList = field(default_factory=ParsedList)

    @property
    def objects(self) -> list[Any]:
        return [f.obj for f in self.found]

    @property
    def indexes(self) -> set[int]:
        return {f.index for f in self.found}

    def summary(self) -> str:
        """``40 found, 2 unknown, 1 repeat``."""
        parts = [f"{len(self.found):,} found"]
        if self.unknown:
            parts.append(f"{len(self.unknown):,} unknown (skipped)")
        repeats = len(self.repeats) + len(self.parsed.duplicates)
        if repeats:
            parts.append(f"{repeats:,} repeated (counted once)")
        return ", ".join(parts)

    def skipped_lines(self) -> list[tuple[str, str]]:
        """(entry, why) for every entry that selects nothing new: for the plan."""
        out = [(f"line {u.entry.line}: {u.entry.text}", "unknown: " + u.reason)
               for u in self.unknown]
        out += [(f"line {e.line}: {e.text}", f"same as line {first.line} ({first.text})")
                for e, first in [*self.parsed.duplicates, *self.repeats]]
        return sorted(out, key=lambda pair: int(pair[0].split(":")[0].split()[1]))


AliasIndex = dict[str, list[str]]  # "alias@domain" (lower) -> uids


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def alias_map(users: Iterable[Any]) -> AliasIndex:
    """``alias@domain`` -> uids from full user objects (wire dicts or ``User`` models): each
    alias (a local part, or a whole address) at the domain of the user's own e-mail."""
    out: AliasIndex = {}
    for user in users:
        if isinstance(user, dict):
            uid, email, aliases = str(user.get("id")), str(user.get("email") or ""), \
                user.get("aliases") or []
        else:
            uid, email, aliases = str(user.id), user.email, user.aliases
        domain = _domain(email)
        for alias in aliases:
            alias = str(alias).strip().lower()
            address = alias if "@" in alias else (f"{alias}@{domain}" if domain else "")
            if address:
                out.setdefault(address, []).append(uid)
    return out


async def alias_index(client: Any, concurrency: int = 8) -> AliasIndex:
    """Every user's aliases (the full user list: list rows do not carry them)."""
    users = await client.directory.users(1000).fetch_all(concurrency=concurrency)
    return alias_map(users)


class UserIndex:
    """Users rows by id, login and e-mail (lower case) -> positions."""

    def __init__(self, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
        self.by_id: dict[str, list[int]] = {}
        self.by_login: dict[str, list[int]] = {}
        self.by_email: dict[str, list[int]] = {}
        self.rows: dict[int, Sequence[str]] = {}
        self.positions: dict[str, int] = {}
        for i, row in rows:
            self.rows[i] = row
            self.positions[row[U_ID]] = i
            self.by_id.setdefault(row[U_ID].lower(), []).append(i)
            if row[U_LOGIN]:
                self.by_login.setdefault(row[U_LOGIN].lower(), []).append(i)
            if row[U_EMAIL]:
                self.by_email.setdefault(row[U_EMAIL].lower(), []).append(i)

    def match(self, entry: Entry, aliases: AliasIndex | None = None
              ) -> tuple[list[tuple[int, str]], str]:
        """``([(position, how)], reason if none)`` for one entry."""
        key = entry.key
        hits: dict[int, str] = {}
        if "@" in key:
            for i in self.by_email.get(key, []):
                hits.setdefault(i, "e-mail")
            if not hits and aliases is not None:
                for uid in aliases.get(key, []):
                    i = self.positions.get(uid)
                    if i is not None:
                        hits.setdefault(i, f"alias of {self.rows[i][U_LOGIN]}")
            if not hits:
                local = key.partition("@")[0]
                near = self.by_login.get(local, [])
                hint = (f" ({local} is {self.rows[near[0]][U_EMAIL]})"
                        if len(near) == 1 else "")
                what = "e-mail or alias" if aliases is not None else "e-mail"
                return [], f"no user has this {what}{hint}"
        else:
            for i in self.by_id.get(key, []):
                hits.setdefault(i, "id")
            for i in self.by_login.get(key, []):
                hits.setdefault(i, "login")
            if not hits:
                return [], ("no user has this id" if key.isdigit()
                            else "no user has this login")
        return sorted(hits.items()), ""


def resolve_users(parsed: ParsedList, rows: Iterable[tuple[int, Sequence[str]]], *,
                  aliases: AliasIndex | None = None) -> Selection:
    """Match each entry to one user row (id, login, e-mail, alias). Pure."""
    index = rows if isinstance(rows, UserIndex) else UserIndex(rows)
    out = Selection(parsed=parsed)
    first_naming: dict[int, Entry] = {}
    for entry in parsed.entries:
        hits, reason = index.match(entry, aliases)
        if not hits:
            out.unknown.append(Unknown(entry, reason))
            continue
        if len(hits) > 1:
            names = ", ".join(f"{index.rows[i][U_LOGIN]} ({how})" for i, how in hits)
            out.unknown.append(Unknown(entry, f"ambiguous: matches {names}"))
            continue
        i, how = hits[0]
        if i in first_naming:
            out.repeats.append((entry, first_naming[i]))
            continue
        first_naming[i] = entry
        out.found.append(Found(entry, i, index.rows[i], how))
    return out


def needs_aliases(selection: Selection) -> bool:
    """Some e-mail matched no primary address: the aliases may know it."""
    return any("@" in u.entry.key for u in selection.unknown)


async def select_users(parsed: ParsedList, directory: Any, client: Any) -> Selection:
    """Match ``parsed`` against the whole directory (waiting for its background load), then,
    for e-mails no primary address has, against every user's aliases."""
    await directory.synced()
    if directory.sync_error is not None or not directory.users.complete:
        raise directory.sync_error or RuntimeError("the users list did not load completely")
    index = UserIndex(directory.users.rows())
    selection = resolve_users(parsed, index)
    if needs_aliases(selection):
        selection = resolve_users(parsed, index, aliases=await alias_index(client))
    return selection


# --------------------------------------------------------------------------- groups


def find_group(text: str, rows: Iterable[tuple[int, Sequence[str]]]
               ) -> tuple[Sequence[str] | None, str]:
    """One group by id, exact name or mailing-list address: ``(row, "")`` or
    ``(None, why)``."""
    key = text.strip().lower()
    hits = [row for _, row in rows
            if key in (row[G_ID].lower(), row[G_NAME].lower(), row[G_EMAIL].lower())]
    if len(hits) == 1:
        return hits[0], ""
    if not hits:
        return None, f"no group has the id, name or address {text!r}"
    return None, f"{len(hits)} groups match {text!r}: give the id"


# --------------------------------------------------------------------------- shared files


def resolve_files(parsed: ParsedList, files: Sequence[Any], users: Selection | None = None
                  ) -> Selection:
    """Match entries to shared files (``data.links.SharedFile``, still published): a public
    key, a ``<owner uid>:<path>`` id, or an owner (``users``: the same list resolved as users)
    for every published resource of theirs. Pure."""
    by_key: dict[str, list[int]] = {}
    by_ident: dict[str, list[int]] = {}
    by_owner: dict[str, list[int]] = {}
    for i, shared in enumerate(files):
        if not shared.resource.public_hash:
            continue
        by_key.setdefault(shared.resource.public_hash, []).append(i)
        by_ident.setdefault(shared.ident.lower(), []).append(i)
        by_owner.setdefault(str(shared.owner.id), []).append(i)
    owners = {f.entry.key: f for f in (users.found if users else [])}
    owner_reasons = {u.entry.key: u.reason for u in (users.unknown if users else [])}
    out = Selection(parsed=parsed)
    first_naming: dict[int, Entry] = {}
    for entry in parsed.entries:
        key = entry.key
        hits = [(i, "public key") for i in by_key.get(entry.text.strip(), [])]
        hits += [(i, "file id") for i in by_ident.get(entry.text.strip().lower(), [])]
        if not hits and key in owners:
            owner = owners[key]
            uid = str(owner.obj[U_ID])
            hits = [(i, f"published by {owner.obj[U_LOGIN]}") for i in by_owner.get(uid, [])]
            if not hits:
                out.unknown.append(Unknown(entry, f"{owner.obj[U_LOGIN]} has no published "
                                                  "resource"))
                continue
        if not hits:
            reason = owner_reasons.get(key, "")
            out.unknown.append(Unknown(entry, "no published resource has this public key or "
                                              "id" + (f", and {reason}" if reason else "")))
            continue
        new = [(i, how) for i, how in hits if i not in first_naming]
        if not new:
            out.repeats.append((entry, first_naming[hits[0][0]]))
            continue
        for i, how in new:
            first_naming[i] = entry
            out.found.append(Found(entry, i, files[i], how))
    return out
