"""A user's "Mail" lines (``data.user_extras`` provider ``user_mail_targets``), from the three
mail settings reads (``data.mail_settings.read_settings``, run concurrently):

- ``sender: <name> <address>`` — the From name and default address;
- ``signature (ru, default): <first line>`` — one line per signature;
- ``⚠ forwards outside: x@gmail.com`` for a forward off the organisation's domains (the word
  *outside* says it without colour; ``params["severity"]`` is ``error`` so the detail colours
  it), ``forwards to: colleague@corp.ru`` for the others, the copy kept or not as the note;
- ``auto-reply: <first line>``;
- ``address book: collects addresses`` / ``address book: no automatic collection``.

Every line opens the user's mail settings screen (kind ``mail_settings``, key the uid). When
nothing can be read (a 403 for a token without ``ya360_admin:mail_read_user_settings``, a 404
for an account the mail service does not know) the section is one line, ``could not read:
<status>: <the API's message>``; a part that alone fails says so on its own line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .links import INFO, Target, failure_text
from .mail_settings import first_line, read_settings

if TYPE_CHECKING:
    from ..api.client import Y360Client
    from ..api.models import User

SECTION = "Mail"
MAIL_SETTINGS = "mail_settings"  # the detail kind: the user's mail settings screen
WHAT = {"sender_info": "sender and signatures", "rules": "forwarding and auto-replies",
        "address_book": "address book"}


async def user_mail_targets(client: Y360Client, user: User) -> list[Target]:
    """The user's mail lines (see the module docstring); never raises for an API error."""
    settings = await read_settings(client, user.id, login=user.nickname, email=user.email)
    failed = settings.unreadable
    if failed is not None:
        return [Target(SECTION, INFO, "mail", f"could not read: {failure_text(failed)}")]

    def line(label: str, note: str = "", severity: str = "") -> Target:
        params = {"severity": severity} if severity else {}
        return Target(SECTION, MAIL_SETTINGS, user.id, label, note=note, params=params)

    out: list[Target] = []
    sender = settings.sender
    if sender is not None:
        name = sender.from_name or "(no name)"
        out.append(line(f"sender: {name} <{sender.default_from or user.email}>"))
        for sign in sender.signs:
            tags = ", ".join(t for t in (sign.lang, "default" if sign.is_default else "") if t)
            out.append(line(f"signature ({tags or 'no language'}): "
                            f"{first_line(sign.text, 40) or '(empty)'}"))
    for rule in settings.forwards:
        copy = "keeps a copy" if rule.keep_copy else "no copy kept"
        note = copy + (f" · {rule.name}" if rule.name else "")
        if rule.outside:
            out.append(line(f"⚠ forwards outside: {rule.address}", note, "error"))
        else:
            out.append(line(f"forwards to: {rule.address}", note))
    for rule in settings.autoreplies:
        out.append(line(f"auto-reply: {first_line(rule.text, 40)}", rule.name))
    if "rules" not in settings.errors and not settings.rules:
        out.append(line("no forwarding or auto-reply", "rules set by an administrator"))
    book = settings.address_book
    if book is not None:
        out.append(line("address book: " + ("collects addresses" if book.collect_addresses
                                            else "no automatic collection")))
    for part, exc in settings.errors.items():
        out.append(Target(SECTION, INFO, part,
                          f"{WHAT[part]}: could not read: {failure_text(exc)}"))
    return out
