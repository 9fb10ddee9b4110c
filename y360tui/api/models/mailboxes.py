"""Shared and delegated mailboxes (issue 10 §1): list entries, a shared mailbox's card, the
actors of a mailbox, the mailboxes of an actor, the asynchronous access task.

Wire names are camelCase (``resourceId``, ``actorId``, ``taskId``); see ``api/mailboxes.py``
for the reference. Unknown keys are kept (``model_extra``); unknown role, type and task
status values are tolerated (``SafeEnum``).
"""

from __future__ import annotations

from pydantic import Field

from .common import ApiModel, SafeEnum


class Role(SafeEnum):
    """An access right on a mailbox (``roles`` on the wire)."""

    OWNER = "shared_mailbox_owner"  # full rights: includes every other role
    IMAP_ADMIN = "shared_mailbox_imap_admin"  # read and manage the mailbox over IMAP
    SENDER = "shared_mailbox_sender"  # send as the mailbox
    HALF_SENDER = "shared_mailbox_half_sender"  # send on behalf of the mailbox
    READER = "shared_mailbox_reader"  # web interface: read only [uncertain]
    EDITOR = "shared_mailbox_editor"  # web interface: read and edit [uncertain]
    ADMIN = "shared_mailbox_admin"  # web interface: manage [uncertain]


class MailboxType(SafeEnum):
    """What kind of mailbox a resource is."""

    SHARED = "shared"
    DELEGATED = "delegated"


class TaskStatus(SafeEnum):
    """State of an access-change task."""

    RUNNING = "running"
    COMPLETE = "complete"
    ERROR = "error"

    @property
    def done(self) -> bool:
        """True once the task will not change any more (complete, error, or unknown-final)."""
        return self is not TaskStatus.RUNNING and self.value not in ("pending", "queued",
                                                                      "in_progress")

    @property
    def failed(self) -> bool:
        """True for ``error`` (and ``failed``, which one peer script checks for)."""
        return self.value in ("error", "failed")


class MailboxEntry(ApiModel):
    """One item of ``GET /mailboxes/shared`` or ``/mailboxes/delegated``: the mailbox id and
    how many employees can open it (``count``)."""

    resource_id: str = ""
    count: int = 0


class MailboxList(ApiModel):
    """A page of shared or delegated mailboxes (page/perPage; totals [uncertain])."""

    resources: list[MailboxEntry] = Field(default_factory=list)
    page: int = 1
    pages: int | None = None
    per_page: int = 10
    total: int | None = None


class SharedMailbox(ApiModel):
    """``GET /mailboxes/shared/{resourceId}``: a shared mailbox's card."""

    id: str = ""
    email: str = ""
    name: str = ""
    description: str = ""
    created_at: str = ""
    updated_at: str = ""


class CreatedMailbox(ApiModel):
    """``PUT /mailboxes/shared`` and ``PUT /mailboxes/delegated``: the mailbox's id."""

    resource_id: str = ""


class Actor(ApiModel):
    """An employee who can open a mailbox, and with which roles."""

    actor_id: str = ""
    roles: list[Role] = Field(default_factory=list)


class Actors(ApiModel):
    """``GET /mailboxes/actors/{resourceId}``."""

    actors: list[Actor] = Field(default_factory=list)


class Resource(ApiModel):
    """A mailbox an employee can open: id (a delegated mailbox's id is its owner's uid),
    type and the employee's roles on it."""

    resource_id: str = ""
    type: MailboxType = MailboxType.SHARED
    roles: list[Role] = Field(default_factory=list)


class Resources(ApiModel):
    """``GET /mailboxes/resources/{actorId}``."""

    resources: list[Resource] = Field(default_factory=list)


class TaskRef(ApiModel):
    """``POST /mailboxes/set/{resourceId}``: the asynchronous task's id."""

    task_id: str = ""


class Task(ApiModel):
    """``GET /mailboxes/tasks/{taskId}``: the task's status (``error``: why it failed,
    [uncertain] field name)."""

    status: TaskStatus = TaskStatus.RUNNING
    task_id: str = ""
    error: str = ""
