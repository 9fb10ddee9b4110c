"""Findings from API families beyond the directory, security and Disk (mail, domains…).

An ``ExtraSource`` is one more source of the Findings run: its progress name, its checks (same
shape as ``findings.CHECKS``: id, title, severity, object kind, source key, explanation) and an
async function ``run(findings_run)`` named as ``"module:function"`` under ``y360tui.data``
(imported when the run starts). The function reads what it needs through ``findings_run.client``
(and ``.directory``/``.linker``), then reports with ``findings_run._set(check_id, objects,
detail)`` per check and ``findings_run._finish(key)``; on an API error it calls
``findings_run._fail(key, exc)`` and ``_finish(key, failed=True)`` (the checks then say
"could not check: <the API's message>"), never raising. ``findings_run.progress[key]`` takes
``done``/``total`` for a progress figure, and ``findings_run._changed()`` redraws.

A family registers its source by adding one entry to ``EXTRA_SOURCES``; the Findings view,
the headless ``export findings`` and the tests then include it with no other change.
"""

from __future__ import annotations

from dataclasses import dataclass

Check = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class ExtraSource:
    key: str  # the checks' source key and the progress key
    name: str  # shown in the progress line (``mail ✓``)
    checks: tuple[Check, ...]
    run: str  # "module:function" under y360tui.data: async (FindingsRun) -> None


EXTRA_SOURCES: list[ExtraSource] = []
# Per-user mail settings (data.findings_mail): forwards to addresses off the org's domains.
EXTRA_SOURCES.append(ExtraSource("mail", "mail", (
    ("mail-forward-outside", "Mail forwarded outside the org", "error", "mail_forward",
     "mail", "forwarding rules to addresses outside the organisation's domains"),),
    "findings_mail:run"))
# Domains (data.findings_domains): domains whose DNS records lack MX, SPF or DKIM.
EXTRA_SOURCES.append(ExtraSource("domains", "domains", (
    ("domains-mail-records", "Domains without MX/SPF/DKIM", "warning", "domain", "domains",
     "domains whose DNS records lack MX, SPF or DKIM: mail is lost or taken for spam"),),
    "findings_domains:run"))
# Mail flow (data.findings_mail_flow): routing rules that forward copies off the org's domains.
EXTRA_SOURCES.append(ExtraSource("mail_flow", "routing", (
    ("mail-routing-outside", "Routing forwards outside", "warning", "mail_rule", "mail_flow",
     "organisation-wide routing rules that forward copies off the organisation's domains"),),
    "findings_mail_flow:run"))
