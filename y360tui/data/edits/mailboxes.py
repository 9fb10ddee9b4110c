"""Grant, change or revoke one employee's access to a shared or delegated mailbox
(``POST /mailboxes/set/{resourceId}``, ``api/mailboxes.py``); create a shared mailbox
(``PUT /mailboxes/shared``, :class:`CreateSharedMailbox`).

The write is asynchronous: it returns a task id, which :meth:`MailboxAccess.apply` polls until
the task completes (``progress`` is told each status, for the screen), then the actors of the
mailbox are read back. ``current`` (wire keys)::

    {"id": <mailbox id>, "email": <address>, "type": "shared" | "delegated",
     "actorId": <uid>, "actorLabel": <login>}

:meth:`load` reads the mailbox's actors (the actor's rights before) and the actor's user
record (an unknown or dismissed user is refused before anything is sent).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ...api.errors import NotFound
from ...api.models.mailboxes import Role, Task
from ..journal import Target
from ..mailboxes import GRANT_CHOICES, rights_words, role_values
from .base import Change, Edit, FieldSpec, Plan
from .rules import local_part, max_length, required

MAILBOX = "mailbox"
CHOICES = {key: roles for key, _, roles in GRANT_CHOICES}


class MailboxAccess(Edit):
    """What granting and revoking share: the actor's rights before, the task, the read-back."""

    target_kind = MAILBOX
    POLL: ClassVar[float] = 1.0  # seconds between two task status reads
    TIMEOUT: ClassVar[float] = 60.0

    def __init__(self, current: Any = None, values: dict[str, Any] | None = None) -> None:
        super().__init__(current, values)
        self.progress: Callable[[str], Any] | None = None
        self.task_id = ""

    @property
    def rid(self) -> str:
        return str(self.current.get("id") or "")

    @property
    def actor(self) -> str:
        return str(self.current.get("actorId") or "")

    @property
    def target(self) -> Target:
        return Target(MAILBOX, self.rid, self.mailbox_label)

    @property
    def mailbox_label(self) -> str:
        return str(self.current.get("email") or self.rid)

    @property
    def actor_label(self) -> str:
        return str(self.current.get("actorLabel") or self.actor)

    def new_roles(self) -> list[Role]:
        """The rights chosen in the form (a revoke chooses none)."""
        return list(CHOICES.get(self.text("rights"), ()))

    def before_roles(self) -> list[Role]:
        return [Role(r) for r in self.current.get("roles") or []]

    def check(self) -> dict[str, str]:
        if not self.rid or not self.actor.isdigit():
            return {"actor": "pick a mailbox and a user"}
        if self.current.get("actorKnown") is False and self.new_roles():
            return {"actor": f"user {self.actor_label} is not an employee of the organisation "
                             "(unknown or dismissed)"}
        if self.actor == self.rid:
            return {"actor": f"{self.actor_label} owns this mailbox: an owner needs no access"}
        return {}

    async def load(self, client: Any) -> None:
        """The actor's rights on the mailbox now, and whether the actor is an employee."""
        actors = (await client.mailboxes.actors(self.rid)).actors
        mine = next((a for a in actors if a.actor_id == self.actor), None)
        self.current["roles"] = [r.value for r in mine.roles] if mine else []
        if not self.actor.isdigit():
            return
        try:
            user = await client.directory.get_user(self.actor)
        except NotFound:
            self.current["actorKnown"] = False
            return
        self.current["actorKnown"] = not user.is_dismissed
        if not self.current.get("actorLabel"):
            self.current["actorLabel"] = user.nickname

    def plan(self) -> Plan:
        """``access of <login> to <mailbox>: <rights before> -> <rights after>``; a no-op
        when the rights would not change."""
        before, after = self.before_roles(), self.new_roles()
        changes = []
        if role_values(before) != role_values(after):
            changes.append(Change(f"access of {self.actor_label} to {self.mailbox_label}",
                                  rights_words(before), rights_words(after)))
        kind = self.current.get("type") or "shared"
        notes = ["asynchronous: the task is polled to completion, then the access list is "
                 "read back",
                 f"{kind} mailbox {self.mailbox_label} (id {self.rid}); user "
                 f"{self.actor_label} (uid {self.actor})",
                 "no notification letter is sent"]
        return self.new_plan(changes, notes)

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    async def apply(self, client: Any) -> None:
        """Send the change, then poll its task to completion (``TaskFailed``: not applied;
        ``TaskTimeout``: still running, so the outcome is settled by reading back)."""
        self.say("sending the access change…")
        self.task_id = await client.mailboxes.set_access(self.rid, self.actor,
                                                         self.new_roles(), notify="none")

        def polled(n: int, task: Task) -> None:
            self.say(f"task {self.task_id[:8]}: {task.status.value} (check {n})")

        await client.mailboxes.wait_task(self.task_id, poll=self.POLL, timeout=self.TIMEOUT,
                                         on_poll=polled)
        self.say("task complete; reading the access list back…")

    async def verify(self, client: Any) -> list[str]:
        """The actor's rights on the mailbox as the server lists them now."""
        actors = (await client.mailboxes.actors(self.rid)).actors
        mine = next((a for a in actors if a.actor_id == self.actor), None)
        have = role_values(mine.roles) if mine else []
        want = role_values(self.new_roles())
        if have == want:
            return []
        return [f"access of {self.actor_label}: expected {rights_words(want)}, server has "
                f"{rights_words(have)}"]


class GrantMailboxAccess(MailboxAccess):
    """Give a user access to a mailbox, or change the rights they have (form: the rights)."""

    action = "mailbox.grant"
    title = "Mailbox access"
    fields = (FieldSpec("rights", "Rights", kind="select",
                        options=tuple((label, key) for key, label, _ in GRANT_CHOICES),
                        help="what the user may do with the mailbox"),)

    def initial(self) -> dict[str, Any]:
        have = role_values(self.current.get("roles") or [])
        key = next((k for k, roles in CHOICES.items() if role_values(roles) == have), "")
        return {"rights": key or "imap_send"}

    def check(self) -> dict[str, str]:
        errors = super().check()
        if self.text("rights") not in CHOICES:
            errors.setdefault("rights", "choose the rights to grant")
        return errors

class RevokeMailboxAccess(MailboxAccess):
    """Take a user's access to a mailbox away (an empty list of rights)."""

    action = "mailbox.revoke"
    title = "Revoke mailbox access"

    def check(self) -> dict[str, str]:
        errors = super().check()
        if not errors and self.current.get("roles") == []:
            errors["actor"] = f"{self.actor_label} has no access to {self.mailbox_label}"
        return errors

    def new_roles(self) -> list[Role]:
        return []


class CreateSharedMailbox(Edit):
    """Create a shared mailbox (``PUT /mailboxes/shared``): address, name, description.

    :meth:`load` reads the organisation's domain (its e-mail's host): an address typed
    without ``@`` gets it, and an address on another domain is refused before sending."""

    action = "mailbox.create"
    title = "New shared mailbox"
    target_kind = MAILBOX
    fields = (
        FieldSpec("email", "Address", rules=(required, max_length(254)),
                  placeholder="support or support@your-domain",
                  help="a name on the organisation's domain"),
        FieldSpec("name", "Name", rules=(required, max_length(200))),
        FieldSpec("description", "Description", kind="textarea", rules=(max_length(1000),)),
    )

    @property
    def domain(self) -> str:
        return str(self.current.get("domain") or "")

    @property
    def address(self) -> str:
        text = self.text("email").lower()
        return f"{text}@{self.domain}" if text and "@" not in text and self.domain else text

    @property
    def target(self) -> Target:
        return Target(MAILBOX, str(self.current.get("id") or ""), self.address)

    def initial(self) -> dict[str, Any]:
        return {"email": "", "name": "", "description": ""}

    async def load(self, client: Any) -> None:
        """The organisation's mail domain (from its e-mail address)."""
        org = await client.directory.organization()
        self.current["domain"] = org.email.rpartition("@")[2].lower()

    def check(self) -> dict[str, str]:
        address = self.address
        local, at, host = address.partition("@")
        if not address:
            return {}
        if not at or not host:
            return {"email": "give a full address (name@domain)"}
        problem = local_part(local)
        if problem:
            return {"email": problem}
        if self.domain and host != self.domain:
            return {"email": f"a shared mailbox must be on {self.domain}"}
        return {}

    def plan(self) -> Plan:
        changes = [Change("shared mailbox", None, self.address),
                   Change("name", None, self.text("name"))]
        if self.text("description"):
            changes.append(Change("description", None, self.text("description")))
        return self.new_plan(changes, ["nobody can open it yet: grant access from its detail "
                                       "(g)"])

    async def prepare(self, client: Any) -> None:
        """The shared mailboxes before the create, so a lost reply can be told apart."""
        entries = await client.mailboxes.shared().fetch_all(concurrency=4)
        self.before_ids: set[str] | None = {e.resource_id for e in entries}

    async def apply(self, client: Any) -> None:
        rid = await client.mailboxes.create_shared(self.address, self.text("name"),
                                                   self.text("description"))
        self.current["id"] = rid

    async def applied(self, client: Any) -> bool | None:
        """The reply was lost: a shared mailbox with this address that was not there."""
        if not self.current.get("id"):
            before = getattr(self, "before_ids", None)
            if before is None:
                return None
            entries = await client.mailboxes.shared().fetch_all(concurrency=4)
            for entry in entries:
                if entry.resource_id in before:
                    continue
                card = await client.mailboxes.get_shared(entry.resource_id)
                if card.email.lower() == self.address:
                    self.current["id"] = entry.resource_id
                    break
            else:
                return False
        return not await self.verify(client)

    async def verify(self, client: Any) -> list[str]:
        card = await client.mailboxes.get_shared(self.current["id"])
        problems = []
        if card.email.lower() != self.address:
            problems.append(f"address: expected {self.address}, server has {card.email}")
        if card.name != self.text("name"):
            problems.append(f"name: expected {self.text('name')!r}, server has {card.name!r}")
        return problems


__all__ = ["MAILBOX", "CreateSharedMailbox", "GrantMailboxAccess", "MailboxAccess",
           "RevokeMailboxAccess"]
