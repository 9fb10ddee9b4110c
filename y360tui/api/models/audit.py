"""Audit models: legacy mail/disk logs (camelCase, §10.1-2), audit events (snake_case, §10.3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from .common import ApiModel, SafeEnum, SnakeModel


class MailEventType(SafeEnum):
    """Mail audit event type."""

    MAILBOX_SEND = "mailbox_send"
    MESSAGE_RECEIVE = "message_receive"
    MESSAGE_SEEN = "message_seen"
    MESSAGE_UNSEEN = "message_unseen"
    MESSAGE_FORWARD = "message_forward"
    MESSAGE_PURGE = "message_purge"
    MESSAGE_TRASH = "message_trash"
    MESSAGE_SPAM = "message_spam"
    MESSAGE_UNSPAM = "message_unspam"
    MESSAGE_MOVE = "message_move"
    MESSAGE_COPY = "message_copy"
    MESSAGE_ANSWER = "message_answer"


class FolderType(SafeEnum):
    """Mail folder kind."""

    INBOX = "inbox"
    SENT = "sent"
    TRASH = "trash"
    SPAM = "spam"
    DRAFTS = "drafts"
    OUTBOX = "outbox"
    ARCHIVE = "archive"
    TEMPLATE = "template_"
    DISCOUNT = "discount"
    RESTORED = "restored"
    REPLY_LATER = "reply_later"
    USER = "user"


class MailEvent(ApiModel):
    """A mail audit log record (``v1MailEvent``); the sender is ``from_`` (wire ``from``)."""

    event_type: MailEventType
    org_id: int = 0
    user_uid: str = ""
    user_login: str = ""
    user_name: str = ""
    request_id: str = ""
    uniq_id: str = ""
    source: str = ""
    client_ip: str = ""
    date: datetime | None = None
    actor_uid: str | None = None
    mid: str | None = None
    dest_mid: str | None = None
    folder_name: str | None = None
    folder_type: FolderType | None = None
    labels: list[str] = Field(default_factory=list)
    msg_id: str | None = None
    subject: str | None = None
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    cc: str | None = None
    bcc: str | None = None


class DiskEventType(SafeEnum):
    """Legacy disk audit event type."""

    FS_COPY = "fs-copy"
    FS_MKDIR = "fs-mkdir"
    FS_MOVE = "fs-move"
    FS_SET_PUBLIC = "fs-set-public"
    FS_SET_PUBLIC_SETTINGS = "fs-set-public-settings"
    FS_STORE = "fs-store"
    FS_TRASH_APPEND = "fs-trash-append"
    FS_TRASH_DROP = "fs-trash-drop"
    FS_TRASH_DROP_ALL = "fs-trash-drop-all"
    FS_RM = "fs-rm"
    SHARE_ACTIVATE_INVITE = "share-activate-invite"
    SHARE_CHANGE_RIGHTS = "share-change-rights"
    SHARE_CHANGE_INVITE_RIGHTS = "share-change-invite-rights"
    SHARE_CREATE_GROUP = "share-create-group"
    SHARE_INVITE_USER = "share-invite-user"


class DiskEvent(ApiModel):
    """One legacy disk audit log record (§10.2)."""

    event_type: DiskEventType
    date: datetime | None = None
    org_id: int = 0
    user_uid: str = ""
    user_login: str = ""
    user_name: str = ""
    owner_uid: str = ""
    owner_login: str = ""
    owner_name: str = ""
    path: str = ""
    resource_file_id: str = ""
    rights: str = ""
    size: int | str = ""
    last_modification_date: str = ""
    request_id: str = ""
    uniq_id: str = ""
    client_ip: str = ""


class MailEventsPage(ApiModel):
    """One page of the legacy mail audit log (paging style b)."""

    events: list[MailEvent] = Field(default_factory=list)
    next_page_token: str = ""


class DiskEventsPage(ApiModel):
    """One page of the legacy disk audit log (paging style b)."""

    events: list[DiskEvent] = Field(default_factory=list)
    next_page_token: str = ""


class AuditService(SafeEnum):
    """Where an audit event originated."""

    WEB = "Web"
    DESKTOP = "Desktop"
    MOBILE = "Mobile"
    API = "Api"
    SYNCHRONIZATION = "Synchronization"
    ID = "ID"
    INTERNAL = "Internal"
    UNKNOWN = "Unknown"


class AuditStatus(SafeEnum):
    """Outcome of an audited action."""

    SUCCESS = "Success"
    ERROR = "Error"


class AuditLogEvent(SnakeModel):
    """The ``event`` part of an audit-events item (§10.3); ``type`` is a free-form event type."""

    type: str
    status: AuditStatus = AuditStatus.SUCCESS
    service: AuditService = AuditService.UNKNOWN
    uid: int | None = None
    org_id: int | str = 0
    ip: str = ""
    occurred_at: datetime | None = None
    is_system: bool = False
    idempotency_id: str = ""
    request_id: str = ""
    meta: dict[str, Any] = Field(default_factory=dict)


class AuditEvent(SnakeModel):
    """One audit-events item: the initiator's login and name plus the event."""

    user_login: str = ""
    user_name: str = ""
    event: AuditLogEvent


class AuditEventsPage(SnakeModel):
    """One page of audit events (paging style c); ``iteration_key`` is None at the end.

    ``items`` has no default: an error body (``{code, message}``) sent with status 200 must
    not read as an empty last page (orglib treats a top-level ``code`` as an error too).
    """

    items: list[AuditEvent]
    iteration_key: str | None = None
