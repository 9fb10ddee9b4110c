"""Mail flow (issue 10 §3): routing rules, sender allow/deny policies, anti-spam IP allow list.

Wire spelling differs per list (see ``api/mail_flow.py`` for the reference):

- routing rules (``/mail/routing/rules``): ``terminal``, ``condition``, ``actions``
  (``{"action", "data": {"email"}}``), ``scope`` (``{"direction"}``);
- sender policies (``/mail/routing/policies``): snake_case ``ip_filter``/``domain_filter``/
  ``email_from_filter`` (each ``{"list": [...]}``), ``action`` ``{"type", "options":
  {"force"}}``, and the list's ``revision``;
- anti-spam allow list (``/mail/antispam/allowlist/ips``): ``{"allowList": [...]}``.

Unknown keys are kept (``model_extra``) and unknown enum values tolerated (``SafeEnum``).
A rule's ``condition`` stays a plain JSON value: the reference documents it as "a JSON
description of a (composite) condition" without a schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .common import ApiModel, SafeEnum, SnakeModel


class RuleActionType(SafeEnum):
    """What a routing rule does with a message."""

    DROP = "drop"
    FORWARD = "forward"


class Direction(SafeEnum):
    """Which mail a routing rule applies to."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class RuleActionData(ApiModel):
    """Parameters of an action: the address a ``forward`` sends a copy to."""

    email: str = ""


class RuleAction(ApiModel):
    """One action of a routing rule."""

    action: RuleActionType = RuleActionType.DROP
    data: RuleActionData | None = None


class RuleScope(ApiModel):
    """Where a routing rule applies."""

    direction: Direction = Direction.INBOUND


class RoutingRule(ApiModel):
    """A mail-processing rule: when ``condition`` matches, run ``actions``; ``terminal``
    stops the rules after it."""

    terminal: bool = False
    condition: Any = None
    actions: list[RuleAction] = Field(default_factory=list)
    scope: RuleScope | None = None


class RoutingRules(ApiModel):
    """``GET /mail/routing/rules``: the whole ordered list."""

    rules: list[RoutingRule] = Field(default_factory=list)


class PolicyList(SnakeModel):
    """One filter's entries (addresses, domains or IPs/CIDRs); ``list`` on the wire."""

    items: list[str] = Field(default_factory=list, alias="list")


class PolicyCondition(SnakeModel):
    """Which senders a policy rule matches: one of the three filters is set."""

    ip_filter: PolicyList | None = None
    domain_filter: PolicyList | None = None
    email_from_filter: PolicyList | None = None


class PolicyActionType(SafeEnum):
    """What a sender policy does: deliver whatever the spam check says, or refuse."""

    ACCEPT = "accept"
    REJECT = "reject"


class Force(SafeEnum):
    """An ``accept`` that also files the message as spam, or as not spam."""

    SPAM = "spam"
    HAM = "ham"


class PolicyActionOptions(SnakeModel):
    """Options of a policy action."""

    force: Force | None = None


class PolicyAction(SnakeModel):
    """A policy rule's action."""

    type: PolicyActionType = PolicyActionType.ACCEPT
    options: PolicyActionOptions | None = None


class PolicyRule(SnakeModel):
    """One sender allow/deny rule of the domain policy."""

    name: str = ""
    description: str = ""
    enabled: bool = True
    condition: PolicyCondition = Field(default_factory=PolicyCondition)
    action: PolicyAction = Field(default_factory=PolicyAction)


class SenderPolicies(SnakeModel):
    """``GET /mail/routing/policies``: the ordered rules and the list's ``revision``."""

    rules: list[PolicyRule] = Field(default_factory=list)
    revision: int = 0


class AllowList(ApiModel):
    """``GET /mail/antispam/allowlist/ips``: IP addresses and CIDR ranges."""

    allow_list: list[str] = Field(default_factory=list)
