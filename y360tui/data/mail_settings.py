"""One employee's mail settings as the views show them (no widgets): sender info and signatures,
forwarding and auto-reply rules in words, address collection — and which forwards leave the
organisation.

``read_settings(client, uid)`` reads the three parts concurrently (``client.mail_settings``:
sender info, rules, address book); a part that fails keeps its error (``errors[part]``) and the
others still show. ``MailRule`` is one rule in words (``forward to x@gmail.com, keep a copy``),
marked ``outside`` when its address is not on one of the organisation's domains.

The organisation's domains (``org_domains``), in this order:

1. the Domains API (``client.domains.all_domains()``, another API family, when the client has
   it): every domain the organisation owns, read once per session;
2. else (no such family, or it failed, e.g. a 403 for ``directory:read_domains``) the domains of
   the users' e-mail addresses in the session's ``DirectoryCache`` (the rows loaded so far;
   the Findings run waits for every user first);
3. and always the domain of the user's own address (``hint``), so a user is never "outside"
   their own organisation even before anything else is known.

``Domains.source`` says which one was used, and the views show it, since the second is a guess
(a domain without users is missed, so a forward to it would show as outside).
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.errors import Y360Error
from .directory import U_EMAIL
from .links import failure_text

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.models.mail_settings import AddressBook, SenderInfo
    from .directory import DirectoryCache

FORWARD, AUTOREPLY = "forward", "autoreply"
PARTS = ("sender_info", "rules", "address_book")
FROM_DOMAINS_API = "the Domains API"
FROM_DIRECTORY = "the users' addresses"
FROM_USER = "the user's own address"

# The Domains API's answer per client (read once per session): a frozenset, or the error.
_API_DOMAINS: weakref.WeakKeyDictionary[Any, frozenset[str] | BaseException] = \
    weakref.WeakKeyDictionary()


def host_of(address: str) -> str:
    """The domain of an e-mail address, lower case (``""`` when there is none)."""
    return address.rpartition("@")[2].strip().lower() if "@" in address else ""


@dataclass(frozen=True)
class Domains:
    """The organisation's domains and where they were learnt (see the module docstring)."""

    names: frozenset[str]
    source: str

    def outside(self, address: str) -> bool:
        """Whether ``address`` is on none of the domains (nor their subdomains). Unknown
        (no domains known) is not outside."""
        host = host_of(address)
        if not host or not self.names:
            return False
        return not any(host == d or host.endswith("." + d) for d in self.names)


async def org_domains(client: Y360Client, directory: DirectoryCache | None = None, *,
                      hint: str = "", refresh: bool = False) -> Domains:
    """The organisation's domains (see the module docstring). ``hint``: an address of the
    organisation (the user's own); ``refresh`` reads the Domains API again."""
    extra = {host_of(hint)} - {""}
    names = await _api_domains(client, refresh)
    if names:
        return Domains(frozenset(names | extra), FROM_DOMAINS_API)
    if directory is not None:
        found = {host_of(row[U_EMAIL]) for _, row in directory.users.rows()} - {""}
        if found:
            return Domains(frozenset(found | extra), FROM_DIRECTORY)
    return Domains(frozenset(extra), FROM_USER)


async def _api_domains(client: Y360Client, refresh: bool) -> frozenset[str]:
    """The Domains API's domain names, or an empty set when the client has no such family or
    it failed (the failure is kept: not asked again this session unless ``refresh``)."""
    cached = None if refresh else _API_DOMAINS.get(client)
    if isinstance(cached, frozenset):
        return cached
    if cached is not None:
        return frozenset()
    api = getattr(client, "domains", None)
    reader = getattr(api, "all_domains", None)
    if reader is None:
        return frozenset()
    try:
        names = frozenset(str(getattr(d, "name", "") or "").strip().lower()
                          for d in await reader()) - {""}
    except (Y360Error, ValueError) as exc:
        _API_DOMAINS[client] = exc
        return frozenset()
    _API_DOMAINS[client] = names
    return names


def first_line(text: str, width: int = 60) -> str:
    """The first non-empty line of ``text``, cut to ``width`` with ``…``."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[:width - 1] + "…"


@dataclass(frozen=True)
class MailRule:
    """One forwarding or auto-reply rule of one user, with what it means."""

    uid: str
    login: str
    kind: str  # FORWARD or AUTOREPLY
    rule_id: int
    name: str = ""
    address: str = ""
    keep_copy: bool = False
    text: str = ""
    outside: bool = False

    def words(self) -> str:
        """``forward to x@gmail.com, keep a copy`` / ``auto-reply: I am on vacation…``."""
        if self.kind == FORWARD:
            copy = "keep a copy" if self.keep_copy else "no copy kept"
            return f"forward to {self.address}, {copy}"
        return f"auto-reply: {first_line(self.text)}"

    def where(self) -> str:
        """``outside`` for a forward off the organisation's domains, else ``org`` (``""`` for
        an auto-reply)."""
        if self.kind != FORWARD:
            return ""
        return "outside" if self.outside else "org"

    def finding_label(self) -> tuple[str, str]:
        """``("<uid>:<rule id>", "<login>: forward to x@gmail.com, keep a copy")``."""
        return f"{self.uid}:{self.rule_id}", f"{self.login or self.uid}: {self.words()}"

    def as_current(self) -> dict[str, Any]:
        """The rule as an edit's ``current`` (``data.edits.mail_settings``)."""
        return {"id": self.uid, "login": self.login, "rule_id": self.rule_id,
                "kind": self.kind, "name": self.name, "address": self.address,
                "keep_copy": self.keep_copy, "text": self.text, "outside": self.outside}


def rules_of(uid: str, login: str, rules: Any, domains: Domains) -> list[MailRule]:
    """The ``MailRule``s of a ``UserRules`` answer: forwards first, then auto-replies."""
    out = [MailRule(uid, login, FORWARD, f.rule_id, f.rule_name, address=f.address,
                    keep_copy=f.with_store, outside=domains.outside(f.address))
           for f in rules.forwards]
    out += [MailRule(uid, login, AUTOREPLY, a.rule_id, a.rule_name, text=a.text)
            for a in rules.autoreplies]
    return out


@dataclass
class MailSettings:
    """One user's mail settings as read (``None`` for a part that could not be read, its
    error in ``errors``)."""

    uid: str
    login: str
    domains: Domains
    sender: SenderInfo | None = None
    rules: list[MailRule] = field(default_factory=list)
    address_book: AddressBook | None = None
    # part -> the API's error in words (the raw errors are ``errors``, not a field: the
    # object's JSON view lists these texts)
    problems: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.errors: dict[str, Y360Error] = {}

    @property
    def forwards(self) -> list[MailRule]:
        return [r for r in self.rules if r.kind == FORWARD]

    @property
    def autoreplies(self) -> list[MailRule]:
        return [r for r in self.rules if r.kind == AUTOREPLY]

    @property
    def outside(self) -> list[MailRule]:
        """The forwards that leave the organisation."""
        return [r for r in self.forwards if r.outside]

    @property
    def unreadable(self) -> Y360Error | None:
        """The error when no part could be read (the views then show one line), else None."""
        if len(self.errors) == len(PARTS):
            return next(iter(self.errors.values()))
        return None


async def read_rules(client: Y360Client, uid: str, login: str, domains: Domains
                     ) -> list[MailRule]:
    """``uid``'s rules in words (raises the API's error)."""
    return rules_of(uid, login, await client.mail_settings.rules(uid), domains)


async def read_settings(client: Y360Client, uid: str, *, login: str = "", email: str = "",
                        directory: DirectoryCache | None = None,
                        domains: Domains | None = None) -> MailSettings:
    """``uid``'s settings: the three reads run concurrently, with the domains (see the module
    docstring). Never raises an API error: a failed part is in ``errors``."""
    api = client.mail_settings

    async def part(name: str, coro: Any) -> Any:
        try:
            return await coro
        except Y360Error as exc:
            errors[name] = exc
            return None

    errors: dict[str, Y360Error] = {}
    known = domains if domains is not None else org_domains(client, directory, hint=email)
    sender, rules, book, found = await asyncio.gather(
        part("sender_info", api.sender_info(uid)), part("rules", api.rules(uid)),
        part("address_book", api.address_book(uid)), _await(known))
    if not email and sender is not None and sender.default_from and domains is None:
        found = Domains(found.names | {host_of(sender.default_from)} - {""}, found.source)
    settings = MailSettings(uid, login, found, sender, [], book,
                            {part: failure_text(exc) for part, exc in errors.items()})
    settings.errors = errors
    if rules is not None:
        settings.rules = rules_of(uid, login, rules, found)
    return settings


async def _await(value: Any) -> Any:
    return await value if asyncio.iscoroutine(value) else value
