"""The filter language of every list (``/`` in the TUI, ``--filter`` headless).

A filter is words separated by spaces; a row shows when it passes every word:

- ``ivan sales``: plain words, each found anywhere in the row (any order, case-insensitive);
- ``field:value``: the field holds ``value`` — ``status:blocked``, ``2fa:off``, ``admin:yes``,
  ``dept:Sales``, ``type:generic``. Text fields match a substring, choice fields a prefix
  (``status:block``), yes/no fields ``yes``/``no`` (also true/false, on/off, 1/0), number
  fields ``members:0``, ``members:>10``, ``members:2..5``; ``field:=value`` is an exact match;
  ``status:blocked,dismissed`` is either;
- ``-word`` or ``!word`` (and ``-field:value``): the opposite;
- ``/regex/`` (whole row) or ``field:/regex/``: a regular expression, case-insensitive;
- quotes keep spaces inside one word: ``dept:"Customer care"``.

Fields are declared per view (``data.fields``): name, aliases, kind and how to read the value
from a row. A field whose value is fetched per row (a user's 2FA state) says so with
``known``: rows whose value has not arrived are neither shown nor hidden but *pending*: the
caller fetches them (only for rows the other words let through) and filters again.

``parse`` raises ``QueryError`` with a sentence for the user (unknown field, bad regex, bad
number); it never raises anything else on any text.
"""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

TRUE_WORDS = frozenset({"yes", "y", "true", "on", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "off", "0"})
NUMBER_TEST = re.compile(r"(>=|<=|>|<|=)?\s*(-?\d+)(?:\.\.(-?\d+))?$")
COMPARE = {">": operator.gt, "<": operator.lt, ">=": operator.ge, "<=": operator.le,
           "=": operator.eq, None: operator.eq}
TEXT, CHOICE, FLAG, NUMBER = "text", "choice", "flag", "number"


class QueryError(ValueError):
    """The filter text cannot be understood; ``str()`` says why, for the user."""


@dataclass(frozen=True)
class Field:
    """One named value of a row: a column of the view, a filter field, an export column.

    ``get(row)`` gives the text shown (flags give ``yes``/``no``); ``kind`` is how a filter
    value is compared (``text`` substring, ``choice`` prefix, ``flag`` yes/no, ``number``);
    ``known(row)`` is False while a per-row value is still being fetched; ``export`` False
    keeps a filter-only field out of exports.
    """

    name: str
    label: str
    get: Callable[[Any], str]
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    known: Callable[[Any], bool] | None = None
    export: bool = True
    choices: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name a filter may use for this field (lower case)."""
        return (self.name.lower(), *(a.lower() for a in self.aliases))


def field_table(fields: Sequence[Field]) -> dict[str, Field]:
    """Fields by every name and alias (lower case)."""
    table: dict[str, Field] = {}
    for f in fields:
        for name in f.names():
            table.setdefault(name, f)
    return table


RowTest = Callable[[Any], bool]


@dataclass
class Query:
    """A parsed filter. ``words``: plain words every search key must contain (tested first,
    at C speed, by the list); ``tests``: the other conditions on a row and its key;
    ``lookups``: conditions on fields whose value may not be known yet (pending)."""

    text: str = ""
    problems: list[str] = field(default_factory=list)  # words left out (``strict=False``)
    words: list[str] = field(default_factory=list)
    tests: list[Callable[[Any, str], bool]] = field(default_factory=list)
    lookups: list[tuple[Field, RowTest]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the filter lets every row through."""
        return not (self.words or self.tests or self.lookups)

    @property
    def plain(self) -> bool:
        """True when the filter is only plain words (the list's fastest path)."""
        return not (self.tests or self.lookups)

    @property
    def lookup_fields(self) -> list[Field]:
        """Fields whose per-row values this filter needs."""
        out: list[Field] = []
        for f, _ in self.lookups:
            if f not in out:
                out.append(f)
        return out

    def passes_known(self, row: Any, key: str) -> bool:
        """Every condition that needs no per-row lookup holds (``key``: lowered search key)."""
        return all(w in key for w in self.words) and all(t(row, key) for t in self.tests)

    def verdict(self, row: Any, key: str) -> bool | None:
        """True shown, False hidden, None pending (a needed per-row value is not known)."""
        if not self.passes_known(row, key):
            return False
        pending = False
        for f, test in self.lookups:
            if f.known is not None and not f.known(row):
                pending = True
            elif not test(row):
                return False
        return None if pending else True


def split_words(text: str) -> list[str]:
    """Words of ``text``; quotes group, an unbalanced quote (still typing) is a plain char."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse(text: str, fields: Sequence[Field] = (), *, strict: bool = True) -> Query:
    """The ``Query`` for filter ``text`` over ``fields`` (see the module docstring). A word
    that cannot be understood raises ``QueryError``, or with ``strict=False`` is left out and
    its reason kept in ``Query.problems`` (a filter being typed still filters by the rest)."""
    table = field_table(fields)
    query = Query(text=text.strip())
    for word in split_words(text):
        try:
            _add_word(query, word, table, fields)
        except QueryError as exc:
            if strict:
                raise
            query.problems.append(str(exc))
    return query


def _add_word(query: Query, word: str, table: dict[str, Field],
              fields: Sequence[Field]) -> None:
    if word in ("-", "!"):
        return  # a negation still being typed
    negate = len(word) > 1 and word[0] in "-!"
    body = word[1:] if negate else word
    name, sep, value = body.partition(":")
    if sep and name and _looks_like_field(name):
        found = table.get(name.lower())
        if found is None:
            known = ", ".join(f.name for f in fields) or "none"
            raise QueryError(f"no field “{name}” here; fields: {known}")
        if not value:
            return  # "status:" while typing: nothing to test yet
        _add_field_test(query, found, value, negate)
        return
    if len(body) > 2 and body.startswith("/") and body.endswith("/"):
        pattern = _regex(body[1:-1])
        _add_test(query, lambda row, key: pattern.search(key) is not None, negate)
        return
    needle = body.lower()
    if not negate:
        query.words.append(needle)
    else:
        query.tests.append(lambda row, key: needle not in key)


def _looks_like_field(name: str) -> bool:
    """A ``name:`` prefix that can be a field (``http://x`` or ``10:30`` are plain words)."""
    return name.replace("_", "").replace("-", "").isalnum() and not name.isdigit()


def _add_test(query: Query, test: Callable[[Any, str], bool], negate: bool) -> None:
    query.tests.append((lambda row, key: not test(row, key)) if negate else test)


def _add_field_test(query: Query, f: Field, value: str, negate: bool) -> None:
    test = _value_test(f, value)
    row_test: RowTest = (lambda row: not test(f.get(row))) if negate \
        else (lambda row: test(f.get(row)))
    if f.known is not None:
        query.lookups.append((f, row_test))
    else:
        query.tests.append(lambda row, key: row_test(row))


def _value_test(f: Field, value: str) -> Callable[[str], bool]:
    """How a field's shown text is tested against the filter ``value``."""
    if len(value) > 2 and value.startswith("/") and value.endswith("/"):
        pattern = _regex(value[1:-1])
        return lambda text: pattern.search(text) is not None
    if "," in value.strip(","):  # status:active,blocked — any of them
        tests = [_one_value_test(f, v) for v in value.split(",") if v]
        return lambda text: any(t(text) for t in tests)
    return _one_value_test(f, value.strip(","))


def _one_value_test(f: Field, value: str) -> Callable[[str], bool]:
    if value.startswith("=") and f.kind != NUMBER:
        exact = value[1:].casefold()
        return lambda text: text.casefold() == exact
    if f.kind == FLAG:
        return _flag_test(f, value)
    if f.kind == NUMBER:
        return _number_test(f, value)
    needle = value.casefold()
    if f.kind == CHOICE:
        if f.choices and not any(c.casefold().startswith(needle) for c in f.choices):
            raise QueryError(f"{f.name} is one of {', '.join(f.choices)}, not “{value}”")
        return lambda text: text.casefold().startswith(needle)
    return lambda text: needle in text.casefold()


def _flag_test(f: Field, value: str) -> Callable[[str], bool]:
    word = value.casefold()
    if word in TRUE_WORDS:
        return lambda text: text == "yes"
    if word in FALSE_WORDS:
        return lambda text: text == "no"
    raise QueryError(f"{f.name} is yes or no, not “{value}”")


def _number_test(f: Field, value: str) -> Callable[[str], bool]:
    match = NUMBER_TEST.match(value.strip())
    if match is None:
        raise QueryError(f"{f.name} takes a number (5, >5, <=5, 2..9), not “{value}”")
    op, low, high = match.groups()
    if high is not None:
        lo, hi = int(low), int(high)
        return lambda text: _int(text) is not None and lo <= _int(text) <= hi  # type: ignore[operator]
    compare, limit = COMPARE[op], int(low)
    return lambda text: (n := _int(text)) is not None and compare(n, limit)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise QueryError(f"bad regular expression /{pattern}/: {exc}") from None
