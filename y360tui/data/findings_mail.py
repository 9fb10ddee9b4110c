"""The Findings source ``mail``: "Mail forwarded outside the org" (outside the organisation).

Severity **error**: a forward to a personal mailbox (gmail.com, mail.ru…) copies every message
the employee receives out of the organisation's control — past its retention, audit log and
the off-boarding that blocks the account — without anyone seeing it happen; the reference adds
that the API itself refuses to create such a forward, so one that exists was set up around the
organisation's rules. It is the classic data-leak finding of mail audits, so it ranks with the
other errors (admins without 2FA, public links open to anyone).

How: the API has no organisation-wide list of forwarding rules, so every user's rules are read
(``GET …/users/{uid}/settings/user_rules``, one request per user; ``CONCURRENCY`` in flight),
after the directory's user list is complete (shared with the views). Robots are skipped (the
mail service has no rules for them); dismissed users are checked (a forward left behind by a
leaver is the worst kind). Progress is users read of total (``mail 812/2,000``). Objects are
``(user, rule)`` pairs as ``MailRule`` (``finding_label``: ``ivan: forward to x@gmail.com,
keep a copy``). A 401/403 on the first answers stops the scan ("could not check: 403: …")
rather than sending thousands of requests bound to fail; other failures are counted in the
detail (``unknown for 3: 500: …``). Measured on the demo organisation (2,000 users, 1,994
scanned, in-process emulator, directory already loaded): 0.47 s with no latency, 3.9 s at 20 ms
per request (12 in flight: ~166 users a second; 100,000 users at 80 ms would take ~11 min,
shown as progress).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..api.errors import Forbidden, Unauthorized, Y360Error
from .directory import U_ADMIN, U_EMAIL, U_ID, U_LOGIN
from .findings import FAILED, reason
from .mail_settings import MailRule, org_domains, read_rules

if TYPE_CHECKING:
    from .findings import FindingsRun

KEY = "mail"
CHECK = "mail-forward-outside"
MAIL_FORWARD = "mail_forward"  # the finding's object kind: a (user, forwarding rule) pair
CONCURRENCY = 12  # registered in ``finding_sources.EXTRA_SOURCES`` with these names


async def run(findings: FindingsRun) -> None:
    """Check every user's forwarding rules (see the module docstring)."""
    progress = findings.progress[KEY]
    directory = findings.directory
    await directory.synced()
    if not directory.users.complete:
        with_error = findings.directory.sync_error or RuntimeError("the users did not load")
        findings._fail(KEY, with_error)
        findings._finish(KEY, failed=True)
        return
    rows = [r for r in findings.user_rows() if r[U_ADMIN] != "robot"]
    domains = await org_domains(findings.client, directory,
                                hint=next((r[U_EMAIL] for r in rows if r[U_EMAIL]), ""))
    progress.total, progress.done = len(rows), 0
    findings._changed()
    found: list[MailRule] = []
    errors: dict[str, Y360Error] = {}
    gate = asyncio.Semaphore(CONCURRENCY)
    stop = asyncio.Event()

    async def one(row: Any) -> None:
        if stop.is_set():
            return
        async with gate:
            if stop.is_set():
                return
            try:
                rules = await read_rules(findings.client, row[U_ID], row[U_LOGIN], domains)
            except (Unauthorized, Forbidden) as exc:
                errors[row[U_ID]] = exc
                stop.set()  # every other request would be refused the same way
                return
            except Y360Error as exc:
                errors[row[U_ID]] = exc
            else:
                found.extend(r for r in rules if r.outside)
        progress.done += 1
        if progress.done % 100 == 0 or progress.done == progress.total:
            findings._changed()

    await asyncio.gather(*(one(row) for row in rows))
    if stop.is_set():
        first = next(e for e in errors.values() if isinstance(e, (Unauthorized, Forbidden)))
        findings._fail(KEY, first)
        findings._finish(KEY, failed=True)
        return
    if rows and len(errors) == len(rows):
        findings._fail(KEY, next(iter(errors.values())))
        findings._finish(KEY, failed=True)
        return
    found.sort(key=lambda r: (r.login, r.rule_id))
    users = len({r.uid for r in found})
    detail = (f"{len(found):,} rules of {users:,} users · {len(rows):,} checked · "
              f"org domains from {domains.source}")
    if errors:
        detail += f" · unknown for {len(errors):,}: {reason(next(iter(errors.values())))}"
    findings._set(CHECK, found, detail)
    findings._finish(KEY, failed=findings.findings[CHECK].state == FAILED)
