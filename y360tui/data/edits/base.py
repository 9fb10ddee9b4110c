"""The shape every edit shares: fields, validation, plan, apply, verify; and how one is run.

An edit is built from the object as the admin sees it (``current``: a wire-format dict, e.g. a
v1User with camelCase keys) and the values typed into its form (``values``: field name -> str or
bool). The steps, in order:

1. :meth:`Edit.validate` — pure; field name -> message. Nothing may be sent while it has errors.
2. :meth:`Edit.load` — optional reads (GET) so the plan starts from the server's truth.
3. :meth:`Edit.plan` — pure; the exact before -> after the confirmation shows.
4. :meth:`Edit.apply` — the write request(s).
5. :meth:`Edit.verify` — reads the object back; returns the differences from the plan.

:func:`execute` runs 4-5 for a confirmed plan and journals the outcome, whatever it is.

An edit is only ``failed`` when it is known not to have applied. After an *ambiguous* reply
(:func:`ambiguous`: no answer, a timeout, a dropped connection, an unreadable 2xx body, a 5xx,
or a 404/409 answering a retried request whose first attempt may have applied), the object is
read back (:meth:`Edit.applied`) and the outcome is ``ok`` ("verified after an ambiguous
reply"), ``failed`` (verified not applied) or ``uncertain`` (it could not be verified).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx

from ...api.errors import ApiError, Conflict, DecodeError, NotFound, ServerError, TransportError
from ..journal import Journal, JournalEntry, Target
from .rules import Rule, first_error

UNKNOWN = "(unknown)"
AMBIGUOUS_OK = "verified after an ambiguous reply"


def wire(obj: Any) -> dict[str, Any]:
    """A wire-format dict of an API model (camelCase/snake_case as on the wire) or a dict."""
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    dump = getattr(obj, "model_dump", None)
    if dump is not None:
        return dump(by_alias=True, mode="json")
    raise TypeError(f"cannot read {type(obj).__name__} as a wire object")


@dataclass(frozen=True)
class FieldSpec:
    """One form field: ``kind`` is text, textarea, select, password, switch or department
    (a department id, chosen by name in the form)."""

    name: str
    label: str
    kind: str = "text"
    rules: tuple[Rule, ...] = ()
    options: tuple[tuple[str, str], ...] = ()  # (shown label, value) for a select
    placeholder: str = ""
    help: str = ""


def shown(value: Any) -> str:
    """A plan or journal value as the admin reads it: ``—`` for nothing, ``yes``/``no``,
    lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


@dataclass(frozen=True)
class Change:
    """One line of a plan: ``field`` goes from ``before`` to ``after``."""

    field: str
    before: Any
    after: Any

    def __str__(self) -> str:
        return f"{self.field}: {shown(self.before)} -> {shown(self.after)}"


@dataclass
class Plan:
    """What an edit will do, shown before anything is sent and journaled afterwards."""

    action: str
    title: str
    target: Target
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    non_empty: bool = False  # deleting it removes members too: the UI asks twice
    # A whole-list write: every line of the list after the edit, marked " " (unchanged),
    # "+" (added) or "-" (removed); the confirmation shows it instead of the changes.
    listing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def noop(self) -> bool:
        """Nothing would change: no request is needed."""
        return not self.changes

    def before(self) -> dict[str, Any]:
        return {c.field: c.before for c in self.changes}

    def after(self) -> dict[str, Any]:
        return {c.field: c.after for c in self.changes}


@dataclass
class Outcome:
    """How an executed edit ended: ``ok``, ``failed``, ``uncertain`` (it may or may not have
    applied) or ``verify-mismatch``. ``ambiguous`` is the reply that made a read-back
    necessary, when there was one."""

    status: str
    message: str
    plan: Plan
    error: dict[str, Any] | None = None
    sent: bool = True  # False when the plan was a no-op and nothing went out
    ambiguous: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Refused(Exception):
    """Raised by :meth:`Edit.precheck`: the edit must not be sent (the message says why)."""


class Edit:
    """Base of every edit. Subclasses set the class attributes and the four steps."""

    action: ClassVar[str] = ""
    title: ClassVar[str] = ""
    target_kind: ClassVar[str] = ""
    fields: ClassVar[tuple[FieldSpec, ...]] = ()
    bulk: ClassVar[bool] = False  # offered on a selection of rows
    # Why the result cannot be read back ("" = :meth:`verify` can read it back).
    unverifiable: ClassVar[str] = ""

    def __init__(self, current: Any = None, values: dict[str, Any] | None = None) -> None:
        self.current: dict[str, Any] = dict(wire(current))
        self.preset: dict[str, Any] = dict(values or {})  # what the caller chose, e.g. block
        self.values: dict[str, Any] = {**self.initial(), **self.preset}

    def reset_values(self) -> None:
        """Form values from ``current`` again (after :meth:`load`), keeping the preset ones."""
        self.values = {**self.initial(), **self.preset}

    def __repr__(self) -> str:
        # Values may hold a password: never put them in a repr or a traceback.
        return f"<{type(self).__name__} {self.target.kind}:{self.target.id}>"

    # -- identity ---------------------------------------------------------------------------
    @property
    def target(self) -> Target:
        return Target(self.target_kind, str(self.current.get("id", "")), self.label())

    def label(self) -> str:
        """A short human name of the target."""
        return str(self.current.get("name") or self.current.get("id", ""))

    def initial(self) -> dict[str, Any]:
        """Form values before the admin types anything (the object's current values)."""
        return {}

    # -- steps ------------------------------------------------------------------------------
    def validate(self) -> dict[str, str]:
        """Field name -> message for every bad field. Pure: sends nothing."""
        errors: dict[str, str] = {}
        for spec in self.fields:
            value = self.values.get(spec.name, "")
            if isinstance(value, str):
                message = first_error(value.strip(), spec.rules)
                if message:
                    errors[spec.name] = message
        for name, message in self.check().items():
            errors.setdefault(name, message)
        return errors

    def check(self) -> dict[str, str]:
        """Rules that involve several fields; override."""
        return {}

    async def load(self, client: Any) -> None:
        """Refresh ``current`` from the server before planning; reads only."""

    def plan(self) -> Plan:
        """Before -> after of this edit. Pure."""
        raise TypeError(f"{type(self).__name__} must define plan()")

    async def apply(self, client: Any) -> None:
        """Send the write request(s)."""
        raise TypeError(f"{type(self).__name__} must define apply()")

    async def verify(self, client: Any) -> list[str]:
        """Read back and describe every difference from the plan (empty = verified)."""
        return []

    async def precheck(self, client: Any) -> None:
        """Reads made just before :meth:`apply` that may refuse the edit by raising
        :class:`Refused` (e.g. a whole-list write whose list changed on the server since it
        was read): nothing is sent then, and the outcome says why."""

    async def prepare(self, client: Any) -> None:
        """Reads made just before :meth:`apply` so that :meth:`applied` can tell the edit's
        effect from what was there before (e.g. same-named groups before a create)."""

    async def applied(self, client: Any) -> bool | None:
        """After an ambiguous reply: did the edit apply? True (the server shows the plan's
        result), False (it does not), None (this edit cannot be read back)."""
        if self.unverifiable:
            return None
        return not await self.verify(client)

    def text(self, name: str) -> str:
        """A form value as stripped text."""
        value = self.values.get(name, "")
        return value.strip() if isinstance(value, str) else str(value)

    def new_plan(self, changes: list[Change], notes: list[str] | None = None,
                 **kw: Any) -> Plan:
        return Plan(self.action, self.title, self.target, changes, notes or [], **kw)


def created(before: set[int] | None, found: set[int]) -> int | bool | None:
    """After an ambiguous reply to a create: the id of the object it made, False if none was
    made, None if that cannot be told. ``before``: ids of look-alikes read just before the
    create (None if that read failed); ``found``: the look-alikes now."""
    new = found - before if before is not None else found
    if not new:
        return False
    if before is None or len(new) > 1:
        return None  # a look-alike that may have been there before, or several new ones
    return next(iter(new))


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Changes for every key of ``after`` whose value differs from ``before``."""
    return [Change(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]


def mismatches(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Readable differences between what a plan set and what the server now says."""
    return [f"{k}: expected {v!r}, server has {actual.get(k)!r}"
            for k, v in expected.items() if actual.get(k) != v]


def ambiguous(exc: BaseException) -> bool:
    """Whether a write that raised ``exc`` may nevertheless have applied on the server."""
    if isinstance(exc, (TransportError, DecodeError, httpx.TransportError, TimeoutError,
                        asyncio.TimeoutError)):
        return True
    if isinstance(exc, ServerError):
        return True  # a 5xx may come after the write (a gateway timing out, a late crash)
    # A retried DELETE/PUT whose first attempt applied answers its retry with 404/409.
    return isinstance(exc, (NotFound, Conflict)) and getattr(exc, "attempts", 1) > 1


def api_error(exc: BaseException) -> dict[str, Any]:
    """``{"status", "code", "message"}`` of a failed request, in the API's own words."""
    if isinstance(exc, TransportError):  # the client wraps every httpx transport error
        cause = exc.__cause__
        if isinstance(cause, httpx.TimeoutException):
            return {"status": None, "code": None, "message": f"no answer: {exc.message}"}
        return {"status": None, "code": None, "message": f"network error: {exc.message}"}
    if isinstance(exc, DecodeError):
        return {"status": exc.status or None, "code": None,
                "message": f"unreadable reply: {exc.message}"}
    if isinstance(exc, (httpx.TimeoutException, TimeoutError, asyncio.TimeoutError)):
        return {"status": None, "code": None, "message": f"timed out: {exc}"}
    if isinstance(exc, httpx.TransportError):
        return {"status": None, "code": None, "message": f"network error: {exc}"}
    status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, ApiError) and exc.attempts > 1:
        message = f"{message} (on attempt {exc.attempts})"
    return {"status": status, "code": getattr(exc, "code", None), "message": str(message)}


def describe(error: dict[str, Any]) -> str:
    """One line for a notification: ``409: alias is taken``."""
    status = error.get("status")
    return f"{status}: {error['message']}" if status else str(error["message"])


async def execute(edit: Edit, client: Any, journal: Journal | None,
                  plan: Plan | None = None) -> Outcome:
    """Apply a confirmed plan, verify it and journal the outcome (exactly one line)."""
    plan = plan or edit.plan()
    if plan.noop:
        outcome = Outcome("ok", "nothing to change; no request sent", plan, sent=False)
        _journal(journal, outcome)
        return outcome
    try:
        outcome = await _apply_and_verify(edit, client, plan)
    except asyncio.CancelledError:
        # The request may already have reached the server: say so in the journal, then stop.
        error = {"status": None, "code": None,
                 "message": "cancelled; the server may or may not have applied it"}
        _journal(journal, Outcome("uncertain", error["message"], plan, error))
        raise
    _journal(journal, outcome)
    return outcome


def _journal(journal: Journal | None, outcome: Outcome) -> None:
    """Record ``outcome``; a journal that cannot be written is added to its message, because
    the edit has already happened and the admin must still hear how it ended."""
    if journal is None:
        return
    plan = outcome.plan
    if not outcome.ok or not outcome.sent:
        note = outcome.message
    else:
        notes = list(plan.notes)
        if outcome.ambiguous:
            notes.insert(0, f"{AMBIGUOUS_OK} ({describe(outcome.ambiguous)})")
        note = "; ".join(notes)
    try:
        journal.record(JournalEntry(
            action=plan.action, target=plan.target, outcome=outcome.status,
            before=plan.before(), after=plan.after(), error=outcome.error, note=note,
        ))
    except OSError as exc:
        outcome.message += f" (NOT journaled: {exc.strerror or exc} at {journal.path})"


async def _apply_and_verify(edit: Edit, client: Any, plan: Plan) -> Outcome:
    # Best effort: without it, applied() may only be able to say "uncertain".
    with contextlib.suppress(Exception):
        await edit.prepare(client)
    try:
        await edit.precheck(client)
    except Refused as exc:
        error = {"status": None, "code": None, "message": f"refused, nothing sent: {exc}"}
        return Outcome("failed", error["message"], plan, error, sent=False)
    except Exception as exc:
        error = api_error(exc)
        error["message"] = f"nothing sent: the check before sending failed: {error['message']}"
        return Outcome("failed", describe(error), plan, error, sent=False)
    try:
        await edit.apply(client)
    except Exception as exc:
        error = api_error(exc)
        if ambiguous(exc):
            return await _settle(edit, client, plan, error)
        return Outcome("failed", describe(error), plan, error)
    try:
        problems = await _read_back(edit.verify, client)
    except Exception as exc:
        error = api_error(exc)
        return Outcome("verify-mismatch", "applied, but reading it back failed: "
                       + describe(error), plan, error)
    if problems:
        return Outcome("verify-mismatch", "applied, but the server shows: " + "; ".join(problems),
                       plan)
    return Outcome("ok", "done and verified" if not plan.notes else "done; " + plan.notes[0],
                   plan)


READ_BACK_TRIES = 3


async def _read_back(read: Any, client: Any) -> Any:
    """``await read(client)``, tried again (up to ``READ_BACK_TRIES`` in all) when it fails
    the way a network fails: reads are safe to repeat, and the client does not retry a 2xx
    whose body came garbled."""
    for attempt in range(1, READ_BACK_TRIES + 1):
        try:
            return await read(client)
        except Exception as exc:
            if attempt == READ_BACK_TRIES or not ambiguous(exc):
                raise
    raise AssertionError("unreachable")


async def _settle(edit: Edit, client: Any, plan: Plan, error: dict[str, Any]) -> Outcome:
    """The reply to the write was ambiguous: read the object back to learn what happened."""
    reply = describe(error)
    try:
        applied = await _read_back(edit.applied, client)
    except Exception as exc:
        return Outcome("uncertain", f"may or may not have applied ({reply}); reading it back "
                       f"failed: {describe(api_error(exc))}", plan, error, ambiguous=error)
    if applied is None:
        why = edit.unverifiable or "it cannot be read back"
        return Outcome("uncertain", f"may or may not have applied ({reply}); {why}", plan,
                       error, ambiguous=error)
    if not applied:
        return Outcome("failed", f"{reply}; read back: not applied", plan, error,
                       ambiguous=error)
    return Outcome("ok", f"done; {AMBIGUOUS_OK} ({reply})", plan, ambiguous=error)
