"""The Findings source ``mail_flow``: "Routing rules forwarding outside the org" (warning).

Severity **warning**: an organisation-wide routing rule that forwards copies to an address off
the organisation's domains sends *every* matching message out (an outside journal archive, a
contractor's mailbox), without any employee seeing it. It is often deliberate (a compliance
archive), so it ranks below the per-user forwards (error), but an admin should know each one.

How: one read of the routing rules (``GET …/mail/routing/rules``), the organisation's domains
as ``data.mail_settings.org_domains`` learns them (the Domains API, else the users' addresses).
Objects are ``RuleRow``\\ s (``finding_label``: ``rule 7: inbound: if … → forward to …``).
A 401/403 fails the check ("could not check: 403: …").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..api.errors import Y360Error
from .mail_flow import RuleRow, forward_targets

if TYPE_CHECKING:
    from .findings import FindingsRun

KEY = "mail_flow"
CHECK = "mail-routing-outside"
MAIL_RULE = "mail_rule"  # the finding's object kind: a routing rule with its position


async def run(findings: FindingsRun) -> None:
    """Find the routing rules that forward outside (see the module docstring)."""
    from .mail_settings import org_domains

    progress = findings.progress[KEY]
    try:
        rules = (await findings.client.mail_flow.routing_rules()).rules
    except Y360Error as exc:
        findings._fail(KEY, exc)
        findings._finish(KEY, failed=True)
        return
    progress.total, progress.done = len(rules), 0
    directory = findings.directory
    if directory is not None:
        await directory.synced()
    domains = await org_domains(findings.client, directory)
    rows = [RuleRow(i + 1, rule) for i, rule in enumerate(rules)]
    found = [r for r in rows if any(domains.outside(e) for e in forward_targets(r.rule))]
    progress.done = len(rows)
    detail = f"{len(found):,} of {len(rows):,} rules"
    if found:
        outside = sorted({e for r in found for e in forward_targets(r.rule)
                          if domains.outside(e)})
        detail += " · to " + ", ".join(outside[:3])
    if not domains.names:
        detail += " · the organisation's domains are unknown"
    findings._set(CHECK, found, detail)
    findings._finish(KEY)
