"""Per-user mail settings (issue 10 §2): sender info and signatures, forwarding and auto-reply
rules, automatic address collection. Reference in ``api/mail_settings.py``.

camelCase on the wire; unknown keys are kept (``model_extra``) and an unknown
``signPosition`` is tolerated (``SafeEnum``).
"""

from __future__ import annotations

from pydantic import Field

from .common import ApiModel, SafeEnum


class SignPosition(SafeEnum):
    """Where the signature goes in a reply [uncertain values]: at the very bottom of the
    letter (below the quoted text) or right under the reply."""

    BOTTOM = "bottom"
    UNDER = "under"


class Signature(ApiModel):
    """One signature: its text, its language, the addresses it is used for, and whether it
    is the default one."""

    text: str = ""
    lang: str = ""
    emails: list[str] = Field(default_factory=list)
    is_default: bool = False


class SenderInfo(ApiModel):
    """``GET …/settings/sender_info``: the default From address, the sender name and the
    signatures."""

    default_from: str = ""
    from_name: str = ""
    sign_position: SignPosition | None = None
    signs: list[Signature] = Field(default_factory=list)


class ForwardRule(ApiModel):
    """A forwarding rule: every message is forwarded to ``address``; ``with_store`` keeps a
    copy in the mailbox."""

    rule_id: int = 0
    rule_name: str = ""
    address: str = ""
    with_store: bool = False


class AutoreplyRule(ApiModel):
    """An auto-reply rule: every message is answered with ``text``."""

    rule_id: int = 0
    rule_name: str = ""
    text: str = ""


class UserRules(ApiModel):
    """``GET …/settings/user_rules``: the user's forwarding and auto-reply rules."""

    autoreplies: list[AutoreplyRule] = Field(default_factory=list)
    forwards: list[ForwardRule] = Field(default_factory=list)


class RuleCreated(ApiModel):
    """``POST …/settings/user_rules``: the new rule's id."""

    rule_id: int = 0


class AddressBook(ApiModel):
    """``GET …/settings/address_book``: whether addresses of outgoing mail are added to the
    user's address book automatically."""

    collect_addresses: bool = False
