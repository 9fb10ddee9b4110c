"""The Findings source ``domains``: "Domains without MX/SPF/DKIM" (warning).

Severity **warning**: a domain without MX receives no mail, one without SPF or DKIM sends
mail that other servers may file as spam or refuse (and that anyone can forge) — it harms
delivery and trust, but leaks nothing, so it ranks below the errors (admins without 2FA,
forwards outside the organisation).

How: every domain (``GET …/domains``), then each domain's DNS records (every page, a few in
flight), checked as ``data.domains`` says (MX and SPF at the apex, a DKIM key at
``*._domainkey``). Objects are ``DomainRow``\\ s of the domains missing something
(``finding_label``: ``demo-corp.com: missing: DKIM``). A 401/403 on the domain list fails
the check ("could not check: 403: …"); a domain whose records cannot be read is counted as
unknown in the detail, not reported as missing everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..api.errors import Y360Error
from .domains import load_rows

if TYPE_CHECKING:
    from .findings import FindingsRun

KEY = "domains"
CHECK = "domains-mail-records"
DOMAIN_KIND = "domain"  # the finding's object kind (the domain detail)


async def run(findings: FindingsRun) -> None:
    """Check every domain's records (see the module docstring)."""
    progress = findings.progress[KEY]
    try:
        domains = await findings.client.domains.all_domains()
    except Y360Error as exc:
        findings._fail(KEY, exc)
        findings._finish(KEY, failed=True)
        return
    progress.total, progress.done = len(domains), 0
    findings._changed()
    rows = await load_rows(findings.client, domains)
    progress.done = len(rows)
    unknown = [r for r in rows if not r.checked]
    if rows and len(unknown) == len(rows):
        findings._fail(KEY, RuntimeError(f"no domain's DNS records could be read "
                                         f"({unknown[0].error})"))
        findings._finish(KEY, failed=True)
        return
    found = [r for r in rows if r.missing]
    detail = f"{len(found):,} of {len(rows):,} domains"
    if found:
        detail += " · " + "; ".join(f"{r.name}: no {', '.join(r.missing)}" for r in found[:3])
    if unknown:
        detail += f" · unknown for {len(unknown):,}: {unknown[0].error}"
    findings._set(CHECK, found, detail)
    findings._finish(KEY)
