"""Findings: what an admin must act on, each with a severity, a count and its objects (no widgets).

As k9s's popeye does for a cluster, ``FindingsRun`` checks the organisation through the API and
keeps one ``Finding`` per check (``CHECKS``, in display order within a severity):

========================  ========  ============  ==============================================
id                        severity  objects       what
========================  ========  ============  ==============================================
``admins-no-2fa``         error     user rows     administrators (not dismissed) without 2FA
``dismissed-enabled``     error     user rows     dismissed users whose account is still enabled
``domain-2fa``            error     setting       mandatory 2FA for the domain is off
``disk-open-to-anyone``   error     SharedFile    published links open to anyone (macro ``all``)
``no-2fa``                warning   user rows     users (not dismissed) without 2FA, the org's
                                                  2FA policy first in its detail
``no-department``         warning   user rows     users (not dismissed) in the root department
``disk-no-expiry``        warning   SharedFile    published links that never expire
``service-apps``          warning   ServiceApp…   service applications (a token for any employee)
                                                  and their scopes
``session-ttl``           warning   setting       cookie sessions longer than the 14-day default
``password-policy``       warning   setting       no password policy
``admins``                info      user rows     administrators
``robots``                info      user rows     robot accounts
``empty-groups``          info      group rows    groups with no members
``no-head``               info      Department    departments with no head
========================  ========  ============  ==============================================

User and group objects are the compact rows of ``DirectoryCache.users``/``.groups``
(``data.directory.UserRow``/``GroupRow``), departments are ``Department`` models, Disk objects
``links.SharedFile`` (with their settings), service applications ``ServiceApplication`` models,
settings ``Setting`` records (name, value, the API's model). A setting finding always carries its
setting (so a drill-down shows it) and counts 1 only when the setting needs action; the other
findings count their objects. A setting in good shape says so with severity ``info``.

How it is computed, progressively (``on_change`` is called after every step, so a view can show
directory findings at once and Disk findings when the scan ends):

- the directory: ``DirectoryCache.synced()`` (every user, group and department, shared with the
  views), then admins, robots, no department, empty groups, departments without head;
- 2FA: ``DirectoryCache.two_fa`` for every user not dismissed (the cache's bounded concurrency,
  in batches of ``TWO_FA_BATCH``, two at a time, so progress shows; values already cached are
  not fetched again);
- dismissed users: the list rows' ``isEnabled`` (no request of their own);
- security settings (``domain_2fa``, ``domain_sessions``, ``domain_passwords``) and the
  service-application registry: one request each;
- Disk: the Shared files inventory (``inventory.Inventory``, the session's one: owners named by
  the audit logs first, then every user; the access settings of the published links), with
  users scanned of total as progress.

An error of one source (e.g. a 403 for a scope the token lacks) makes only the findings of that
source say ``could not check: <status>: <API message>`` (``state`` ``failed``); the others go on.

Headless use (``y360tui export findings``)::

    records = findings_records(await compute_findings(client))

``compute_findings(client, directory=None, linker=None, on_change=None)`` runs every check and
returns the findings in display order (``sorted_findings``); ``findings_records(findings)`` gives
plain records, one per finding: ``{"id", "severity", "title", "count", "state", "detail",
"kind", "objects": [{"id", "label"}, …]}`` (``count`` is None for a finding that could not be
checked; ``state`` is ``done`` or ``failed``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.errors import Y360Error
from ..api.models import AccessType
from .directory import (
    G_MEMBERS,
    U_ADMIN,
    U_DEPT_ID,
    U_ENABLED,
    U_ID,
    U_STATUS,
)
from .links import DEPARTMENT, GROUP, SHARED_FILE, USER, Linker, SharedFile

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..api.client import Y360Client
    from .directory import DirectoryCache

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)
SERVICE_APP = "service_app"
SETTING = "setting"
CHECKING, DONE, FAILED = "checking", "done", "failed"

ROOT_DEPARTMENT = 1
DEFAULT_SESSION_TTL = 14 * 86400  # seconds: longer cookie sessions are a finding
TWO_FA_BATCH = 100  # users per 2FA batch: progress is reported as each batch ends


@dataclass
class Setting:
    """One org security setting as the security endpoints give it: ``key`` (the endpoint),
    ``title``, ``value`` in words, and the API's model (``Domain2FA``, ``DomainSessions``…)."""

    key: str
    title: str
    value: str
    model: BaseModel | None = None


@dataclass
class Finding:
    """One check and what it found (see the module docstring).

    ``count`` is None while checking or when the check failed; ``detail`` is a one-line
    explanation (the org's 2FA policy, how many could not be read, or ``could not check: …``).
    """

    id: str
    title: str
    severity: str
    kind: str
    source: str
    explain: str = ""
    detail: str = ""
    objects: list[Any] = field(default_factory=list)
    count: int | None = None
    state: str = CHECKING

    @property
    def actionable(self) -> bool:
        """Checked, and something was found."""
        return self.state == DONE and bool(self.count)


# (id, title, severity, kind, source, explanation shown while checking)
CHECKS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("admins-no-2fa", "Administrators without 2FA", ERROR, USER, "2fa",
     "admins who sign in with a password only"),
    ("dismissed-enabled", "Dismissed users still enabled", ERROR, USER, "dismissed",
     "dismissed, yet isEnabled is true"),
    ("domain-2fa", "Mandatory 2FA", ERROR, SETTING, "security", "domain_2fa"),
    ("disk-open-to-anyone", "Public links open to anyone", ERROR, SHARED_FILE, "disk",
     "Disk links anyone with the URL can open"),
    ("no-2fa", "Users without 2FA", WARNING, USER, "2fa", "users not dismissed"),
    ("no-department", "Users in no department", WARNING, USER, "directory",
     "in the root department"),
    ("disk-no-expiry", "Public links with no expiry", WARNING, SHARED_FILE, "disk",
     "published with no available_until"),
    ("service-apps", "Service applications", WARNING, SERVICE_APP, "apps",
     "may get a token for any employee"),
    ("session-ttl", "Session lifetime", WARNING, SETTING, "security", "domain_sessions"),
    ("password-policy", "Password policy", WARNING, SETTING, "security", "domain_passwords"),
    ("admins", "Administrators", INFO, USER, "directory", "users with admin rights"),
    ("robots", "Robot accounts", INFO, USER, "directory", "service robots"),
    ("empty-groups", "Groups with no members", INFO, GROUP, "directory", "no member of any type"),
    ("no-head", "Departments with no head", INFO, DEPARTMENT, "directory", "headId empty"),
)
SOURCES = {"directory": "directory", "2fa": "2FA", "dismissed": "dismissed users",
           "security": "settings", "apps": "service apps", "disk": "Disk"}


def all_checks() -> tuple[tuple[str, str, str, str, str, str], ...]:
    """``CHECKS`` and those of the other API families (``data.finding_sources``)."""
    from .finding_sources import EXTRA_SOURCES

    return CHECKS + tuple(check for extra in EXTRA_SOURCES for check in extra.checks)


def all_sources() -> dict[str, str]:
    """``SOURCES`` and the other API families' (key -> progress name)."""
    from .finding_sources import EXTRA_SOURCES

    return {**SOURCES, **{extra.key: extra.name for extra in EXTRA_SOURCES}}


@dataclass
class Progress:
    """How far one source is: ``done`` of ``total`` (None: not known yet) and its state."""

    name: str
    done: int = 0
    total: int | None = None
    state: str = CHECKING

    def text(self) -> str:
        """``2FA 812/1,960``, ``Disk 450/2,000 users``, ``settings ✓``, ``Disk ✗``."""
        if self.state == DONE:
            return f"{self.name} ✓"
        if self.state == FAILED:
            return f"{self.name} ✗"
        if self.total:
            unit = " users" if self.name == "Disk" else ""
            return f"{self.name} {self.done:,}/{self.total:,}{unit}"
        return f"{self.name} …"


def severity_rank(severity: str) -> int:
    """0 for errors, 1 warnings, 2 info (unknown last)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Display order: by severity; within one, in ``CHECKS`` order; checks that found
    nothing after every other."""
    order = {check[0]: n for n, check in enumerate(all_checks())}
    return sorted(findings, key=lambda f: (f.state == DONE and not f.count,
                                           severity_rank(f.severity), order.get(f.id, 99)))


def reason(exc: BaseException) -> str:
    """``403: <the API's message>`` (or what broke on the way)."""
    from .links import failure_text

    if isinstance(exc, Y360Error):
        return failure_text(exc)
    return f"{type(exc).__name__}: {exc}"


def plural(n: int, word: str) -> str:
    """``1 user``, ``3 users``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def days(seconds: int) -> str:
    """``30 days``, ``12 h``."""
    if seconds % 86400 == 0:
        return plural(seconds // 86400, "day")
    return f"{seconds / 3600:g} h"


class FindingsRun:
    """One computation of every finding (see the module docstring).

    ``findings`` holds one ``Finding`` per check from the start (state ``checking``);
    ``progress`` one ``Progress`` per source; ``on_change()`` is called after each update.
    ``concurrency`` bounds the requests of the dismissed-users check (2FA uses the cache's own
    bound, the Disk scan the linker's).
    """

    def __init__(self, client: Y360Client, directory: DirectoryCache, linker: Linker, *,
                 on_change: Callable[[], None] | None = None, concurrency: int = 8) -> None:
        self.client = client
        self.directory = directory
        self.linker = linker
        self.on_change = on_change
        self.concurrency = concurrency
        self.findings: dict[str, Finding] = {
            cid: Finding(cid, title, severity, kind, source, explain=explain, detail=explain)
            for cid, title, severity, kind, source, explain in all_checks()}
        self.progress: dict[str, Progress] = {k: Progress(v) for k, v in all_sources().items()}
        self.policy = ""  # the org's 2FA policy in words, once read
        self.running = False
        self.seconds: float | None = None  # how long the last run took

    # ------------------------------------------------------------------ reading

    def sorted(self) -> list[Finding]:
        """The findings in display order."""
        return sorted_findings(self.findings.values())

    def progress_text(self) -> str:
        """One line: each source's progress (``directory ✓ · 2FA 812/1,960 · Disk …``)."""
        return " · ".join(p.text() for p in self.progress.values())

    @property
    def done(self) -> bool:
        """Every source finished (well or not)."""
        return all(p.state != CHECKING for p in self.progress.values())

    # ------------------------------------------------------------------ updating

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _set(self, cid: str, objects: list[Any], detail: str = "", *,
             count: int | None = None, severity: str | None = None) -> None:
        finding = self.findings[cid]
        finding.objects = objects
        finding.count = len(objects) if count is None else count
        finding.detail = detail or finding.explain
        finding.state = DONE
        if severity is not None:
            finding.severity = severity

    def _fail(self, source: str, exc: BaseException, only: Iterable[str] = ()) -> None:
        """Every finding of ``source`` (or only ``only``) could not be checked."""
        text = f"could not check: {reason(exc)}"
        wanted = set(only)
        for finding in self.findings.values():
            if finding.source == source and (not wanted or finding.id in wanted):
                finding.objects, finding.count = [], None
                finding.detail, finding.state = text, FAILED

    def _finish(self, source: str, failed: bool = False) -> None:
        self.progress[source].state = FAILED if failed else DONE
        self._changed()

    # ------------------------------------------------------------------ running

    async def run(self, *, refresh: bool = False) -> list[Finding]:
        """Compute every finding (``refresh``: read the directory and 2FA states again rather
        than reuse what the session has loaded). Returns them in display order."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        self.running = True
        try:
            await asyncio.gather(self._directory_side(refresh), self._security(),
                                 self._service_apps(), self._disk(), *self._extra_sources())
        finally:
            self.running = False
            self.seconds = loop.time() - start
            self._changed()
        return self.sorted()

    def _extra_sources(self) -> list[Awaitable[None]]:
        """The other API families' sources (``data.finding_sources``), each guarded: a bug in
        one fails its own checks, not the run."""
        import importlib

        from .finding_sources import EXTRA_SOURCES

        async def guarded(key: str, where: str) -> None:
            module, name = where.split(":")
            try:
                await getattr(importlib.import_module(f"y360tui.data.{module}"), name)(self)
            except Exception as exc:
                self._fail(key, exc)
                self._finish(key, failed=True)

        return [guarded(extra.key, extra.run) for extra in EXTRA_SOURCES]

    async def _directory_side(self, refresh: bool) -> None:
        ok = await self._directory(refresh)
        if ok:
            await asyncio.gather(self._two_fa(refresh), self._dismissed())
            return
        for source in ("2fa", "dismissed"):
            if self.progress[source].state == CHECKING:
                self._finish(source, failed=True)

    async def _directory(self, refresh: bool) -> bool:
        """Directory findings; False when the users could not all be loaded."""
        cache = self.directory
        try:
            if refresh:
                cache.users.clear()
                cache.groups.clear()
                cache.forget_departments()
            await cache.synced()
            # A list cleared (a reload) or a page failed since the background load: load again.
            await asyncio.gather(_whole(cache.users, cache.load_all_users),
                                 _whole(cache.groups, cache.groups.load_all),
                                 cache.load_departments(), return_exceptions=True)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # reported per finding
            self._fail("directory", exc)
            self._finish("directory", failed=True)
            return False
        users_ok = self._users_findings()
        self._groups_findings()
        self._departments_findings()
        failed = any(f.state == FAILED for f in self.findings.values() if f.source == "directory")
        self._finish("directory", failed=failed)
        return users_ok

    def _list_error(self, paged: Any) -> BaseException | None:
        if paged.complete:
            return None
        failed = paged.failed_pages()
        error = paged.error(failed[0]) if failed else None
        return error or self.directory.sync_error or RuntimeError("the list did not load")

    def user_rows(self) -> list[Any]:
        """Every loaded user row, in list order."""
        return [row for _, row in self.directory.users.rows()]

    def _users_findings(self) -> bool:
        error = self._list_error(self.directory.users)
        if error is not None:
            self._fail("directory", error, ("no-department", "admins", "robots"))
            for source in ("2fa", "dismissed"):
                self._fail(source, error)
            return False
        rows = self.user_rows()
        living = [r for r in rows if r[U_STATUS] != "dismissed"]
        rootless = [r for r in living if r[U_DEPT_ID] == str(ROOT_DEPARTMENT)]
        self._set("no-department", rootless,
                  f"{len(rootless):,} of {len(living):,} users (in the root department)")
        admins = [r for r in rows if r[U_ADMIN] == "admin"]
        self._set("admins", admins, f"{plural(len(admins), 'admin')} of {len(rows):,} users")
        robots = [r for r in rows if r[U_ADMIN] == "robot"]
        self._set("robots", robots, f"{plural(len(robots), 'robot')}")
        self._changed()
        return True

    def _groups_findings(self) -> None:
        error = self._list_error(self.directory.groups)
        if error is not None:
            self._fail("directory", error, ("empty-groups",))
            return
        groups = [row for _, row in self.directory.groups.rows()]
        empty = [g for g in groups if (g[G_MEMBERS] or "0") == "0"]
        self._set("empty-groups", empty, f"{len(empty):,} of {plural(len(groups), 'group')}")

    def _departments_findings(self) -> None:
        departments = list(self.directory.departments)
        if not self.directory.department_names:
            self._fail("directory", RuntimeError("the departments did not load"), ("no-head",))
            return
        headless = [d for d in departments if not d.head_id]
        self._set("no-head", headless,
                  f"{len(headless):,} of {plural(len(departments), 'department')}")

    async def _two_fa(self, refresh: bool) -> None:
        cache = self.directory.two_fa
        rows = [r for r in self.user_rows() if r[U_STATUS] != "dismissed"]
        uids = [r[U_ID] for r in rows]
        if refresh:
            for uid in uids:
                cache.invalidate(uid)
        else:
            cache.forget_errors()
        progress = self.progress["2fa"]
        progress.total = len(uids)
        todo = cache.missing(uids)
        progress.done = len(uids) - len(todo)
        self._changed()
        window = asyncio.Semaphore(2)  # the next batch queues while one runs: no stall

        async def batch(uids: list[str]) -> None:
            async with window:
                await cache.load(uids)
            progress.done += len(uids)
            self._changed()

        await asyncio.gather(*(batch(todo[start:start + TWO_FA_BATCH])
                               for start in range(0, len(todo), TWO_FA_BATCH)))
        known = [r for r in rows if r[U_ID] in cache.values]
        failed = [uid for uid in uids if uid in cache.errors]
        if rows and not known:
            self._fail("2fa", cache.errors[failed[0]] if failed else RuntimeError("no 2FA"))
            self._finish("2fa", failed=True)
            return
        unknown = ""
        if failed:
            unknown = f" · unknown for {len(failed):,}: {reason(cache.errors[failed[0]])}"
        without = [r for r in known if not cache.values[r[U_ID]].has2fa]
        self._set("no-2fa", without,
                  f"{len(without):,} of {len(rows):,} users{unknown}")
        self._two_fa_policy_note()
        admins = [r for r in without if r[U_ADMIN] == "admin"]
        all_admins = sum(1 for r in rows if r[U_ADMIN] == "admin")
        self._set("admins-no-2fa", admins, f"{len(admins):,} of {all_admins:,} admins{unknown}")
        self._finish("2fa")

    def _two_fa_policy_note(self) -> None:
        """The no-2FA finding says the org's 2FA policy beside its count."""
        finding = self.findings["no-2fa"]
        if finding.state == DONE and self.policy:
            base = finding.detail.split(" · ", 1)[-1] if finding.detail.startswith(
                "mandatory 2FA ") else finding.detail
            finding.detail = f"mandatory 2FA {self.policy} · {base}"

    async def _dismissed(self) -> None:
        rows = [r for r in self.user_rows() if r[U_STATUS] == "dismissed"]
        progress = self.progress["dismissed"]
        progress.total = progress.done = len(rows)
        odd = [r for r in rows if r[U_ENABLED] == "yes"]
        self._set("dismissed-enabled", odd, f"{len(odd):,} of {len(rows):,} dismissed")
        self._finish("dismissed")

    async def _security(self) -> None:
        security = self.client.security
        results = await asyncio.gather(security.get_domain_2fa(), security.get_session_ttl(),
                                       security.get_password_policy(), return_exceptions=True)
        two_fa, sessions, passwords = results
        failed = False
        if isinstance(two_fa, BaseException):
            self._fail("security", two_fa, ("domain-2fa",))
            failed = True
        else:
            if two_fa.enabled:
                since = f" since {two_fa.enabled_at:%Y-%m-%d}" if two_fa.enabled_at else ""
                grace = f", grace {days(two_fa.duration)}" if two_fa.duration else ""
                self.policy = f"on{since}{grace}"
            else:
                self.policy = "off"
            value = self.policy
            setting = Setting("domain_2fa", "Mandatory 2FA for the domain", value, two_fa)
            self._set("domain-2fa", [setting], f"{value} (domain_2fa)",
                      count=0 if two_fa.enabled else 1,
                      severity=ERROR if not two_fa.enabled else INFO)
            self.findings["domain-2fa"].title = ("Mandatory 2FA is on" if two_fa.enabled
                                                 else "Mandatory 2FA is off")
            self._two_fa_policy_note()
        if isinstance(sessions, BaseException):
            self._fail("security", sessions, ("session-ttl",))
            failed = True
        else:
            ttl = sessions.auth_ttl
            long = ttl > DEFAULT_SESSION_TTL
            setting = Setting("domain_sessions", "Cookie session lifetime", days(ttl), sessions)
            self._set("session-ttl", [setting],
                      f"{days(ttl)} (default {days(DEFAULT_SESSION_TTL)})",
                      count=1 if long else 0, severity=WARNING if long else INFO)
            self.findings["session-ttl"].title = (f"Sessions last {days(ttl)}" if long
                                                  else "Session lifetime")
        if isinstance(passwords, BaseException):
            self._fail("security", passwords, ("password-policy",))
            failed = True
        else:
            on = passwords.enabled
            setting = Setting("domain_passwords", "Password policy", "on" if on else "off",
                              passwords)
            self._set("password-policy", [setting],
                      "enabled (domain_passwords)" if on else "not enabled (domain_passwords)",
                      count=0 if on else 1, severity=INFO if on else WARNING)
            self.findings["password-policy"].title = ("Password policy" if on
                                                      else "No password policy")
        self._finish("security", failed=failed)

    async def _service_apps(self) -> None:
        try:
            registry = await self.client.security.service_applications()
        except Exception as exc:  # one source: reported on its finding
            self._fail("apps", exc)
            self._finish("apps", failed=True)
            return
        apps = registry.applications
        scopes = sorted({s for app in apps for s in app.scopes})
        detail = (f"{plural(len(apps), 'app')} · scopes: {', '.join(scopes)}" if apps
                  else "none registered")
        self._set("service-apps", list(apps), detail)
        self._finish("apps")

    async def _disk(self) -> None:
        from .inventory import inventory_for

        progress = self.progress["disk"]
        inventory = inventory_for(self.linker)  # the Shared files view's, when it has one
        try:
            task = inventory.start()
            while not task.done():
                progress.done, progress.total = inventory.progress()
                self._changed()
                await inventory.changed()
            await inventory.wait_complete()
            progress.done, progress.total = inventory.progress()
            files = list(inventory.rows)
            # Access settings are fetched for the published links only (kept and cached).
            await inventory.load_settings(f for f in files if f.resource.public_hash)
        except Exception as exc:  # one source: reported on its findings
            self._fail("disk", exc)
            self._finish("disk", failed=True)
            return
        published = [f for f in files if f.resource.public_hash]
        unreadable = [f for f in published if f.settings is None]
        note = ""
        if unreadable:
            note = (f" · settings unreadable for {len(unreadable):,}: "
                    f"{unreadable[0].settings_error}")
        readable = [f for f in published if f.settings is not None]
        anyone = [f for f in readable if is_open_to_anyone(f)]
        forever = [f for f in readable if f.settings is not None
                   and f.settings.available_until is None]
        self._set("disk-open-to-anyone", anyone,
                  f"{len(anyone):,} of {plural(len(published), 'public link')}{note}")
        self._set("disk-no-expiry", forever,
                  f"{len(forever):,} of {plural(len(published), 'public link')}{note}")
        self._finish("disk")


async def _whole(paged: Any, load: Callable[[], Any]) -> None:
    """Load every page of ``paged`` not loaded yet, failed pages again first."""
    if paged.complete:
        return
    if paged.failed_pages():
        await paged.retry_failed()
    await load()


def is_open_to_anyone(shared: SharedFile) -> bool:
    """A published resource whose link anyone may open (macro ``all``)."""
    settings = shared.settings
    return bool(shared.resource.public_hash) and settings is not None and any(
        a.type is AccessType.MACRO and "all" in a.macros for a in settings.accesses)
