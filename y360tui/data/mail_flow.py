"""Mail flow lists as view rows, in words (no widgets): routing rules, sender policies and the
anti-spam allow list (``api/mail_flow.py``).

Each list is read whole (the API has no paging) and becomes numbered rows — the order matters:
routing rules and policies run top to bottom. A routing rule reads as a sentence::

    inbound: if from *@spam.example → drop; stop

``MailFlowLists`` keeps the last list read of each kind as the server sent it (wire JSON), so
an edit can compare it with a fresh read just before it writes (``data.edits.mail_flow``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.models.mail_flow import (
    PolicyRule,
    RoutingRule,
    RuleAction,
)
from .paged import Chunk, PagedList

if TYPE_CHECKING:
    from ..api.client import Y360Client

WHOLE = 1_000_000  # one "page" holds the whole list
ARROW = "→"
TESTS = {"address:from": "from", "address:to": "to", "header:subject": "subject contains",
         "address:cc": "cc"}
POLICY_FILTERS = {"ip_filter": "IP", "domain_filter": "domain", "email_from_filter": "sender"}


# ------------------------------------------------------------------------ rules in words


def condition_words(condition: Any) -> str:
    """A routing condition as words: ``from *@spam.example``, ``(from a or from b)``,
    ``not from *@corp.ru``; ``always`` for no condition. Unknown keys show as ``key = value``."""
    if condition is None or condition == {}:
        return "always"
    if not isinstance(condition, dict):
        return str(condition)
    parts = []
    for key, value in condition.items():
        if key in ("$or", "$and") and isinstance(value, list):
            joined = f" {key[1:]} ".join(condition_words(v) for v in value)
            parts.append(f"({joined})" if len(value) > 1 else joined)
        elif key == "$not":
            parts.append(f"not {condition_words(value)}")
        elif key in TESTS:
            parts.append(f"{TESTS[key]} {value}")
        else:
            parts.append(f"{key} = {value}")
    return " and ".join(parts)


def action_words(action: RuleAction) -> str:
    """``drop`` or ``forward to a@b``; an unknown action by its name."""
    kind = action.action.value
    if kind == "forward":
        email = action.data.email if action.data is not None else ""
        return f"forward to {email or '?'}"
    return kind


def actions_words(rule: RoutingRule) -> str:
    return ", ".join(action_words(a) for a in rule.actions) or "no action"


def direction(rule: RoutingRule) -> str:
    return rule.scope.direction.value if rule.scope is not None else "inbound"


def rule_words(rule: RoutingRule) -> str:
    """The whole rule as one sentence: ``inbound: if from x → drop; stop``."""
    cond = condition_words(rule.condition)
    head = "always" if cond == "always" else f"if {cond}"
    stop = "; stop" if rule.terminal else ""
    return f"{direction(rule)}: {head} {ARROW} {actions_words(rule)}{stop}"


def forward_targets(rule: RoutingRule) -> list[str]:
    """Addresses the rule forwards copies to."""
    return [a.data.email for a in rule.actions
            if a.action.value == "forward" and a.data is not None and a.data.email]


def outside(email: str, domains: tuple[str, ...]) -> bool:
    """Whether ``email`` lies outside the organisation's ``domains`` (no domains: unknown,
    so False)."""
    host = email.rpartition("@")[2].lower()
    return bool(domains) and bool(host) and not any(
        host == d or host.endswith("." + d) for d in domains)


def policy_action_words(rule: PolicyRule) -> str:
    """``reject``, ``accept``, ``accept as spam``, ``accept as not spam``."""
    kind = rule.action.type.value
    force = rule.action.options.force if rule.action.options is not None else None
    if kind == "accept" and force is not None:
        return "accept as not spam" if force.value == "ham" else f"accept as {force.value}"
    return kind


def policy_match(rule: PolicyRule) -> tuple[str, list[str]]:
    """Which list the rule tests (``IP``, ``domain``, ``sender``) and its entries."""
    for key, word in POLICY_FILTERS.items():
        found = getattr(rule.condition, key)
        if found is not None:
            return word, list(found.items)
    extra = rule.condition.model_extra or {}
    for key, value in extra.items():
        if isinstance(value, dict):
            return key, [str(v) for v in value.get("list") or []]
    return "?", []


def policy_words(rule: PolicyRule) -> str:
    """``reject senders from IP 203.0.113.0/24, …`` (``(disabled)`` when off)."""
    word, entries = policy_match(rule)
    shown = ", ".join(entries[:3]) + (f" (+{len(entries) - 3})" if len(entries) > 3 else "")
    off = " (disabled)" if not rule.enabled else ""
    return f"{policy_action_words(rule)} mail from {word} {shown}{off}"


def ip_kind(entry: str) -> tuple[str, str, int]:
    """``(address|range, IPv4|IPv6, addresses covered)``; ``("?", "?", 0)`` if unreadable."""
    try:
        network = ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return "?", "?", 0
    kind = "range" if "/" in entry and network.num_addresses > 1 else "address"
    return kind, f"IPv{network.version}", network.num_addresses


def covered_by(entry: str, others: list[str]) -> str | None:
    """The first of ``others`` whose range contains ``entry`` (same or wider), if any."""
    try:
        net = ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return None
    for other in others:
        try:
            wide = ipaddress.ip_network(other, strict=False)
        except ValueError:
            continue
        if wide.version == net.version and net.subnet_of(wide):  # type: ignore[arg-type]
            return other
    return None


# ------------------------------------------------------------------------ rows


@dataclass(frozen=True)
class RuleRow:
    """A routing rule with its place in the list (1-based)."""

    position: int
    rule: RoutingRule

    @property
    def words(self) -> str:
        return rule_words(self.rule)

    def finding_label(self) -> tuple[str, str]:
        """``(position, "rule 7: inbound: if … → forward to …")`` for findings."""
        return str(self.position), f"rule {self.position}: {self.words}"


@dataclass(frozen=True)
class PolicyRow:
    """A sender policy rule with its place in the list (1-based)."""

    position: int
    rule: PolicyRule


@dataclass(frozen=True)
class AllowEntry:
    """One allow-list entry with its place in the list (1-based)."""

    position: int
    entry: str

    @property
    def kind(self) -> tuple[str, str, int]:
        return ip_kind(self.entry)


@dataclass
class MailFlowLists:
    """The last list of each kind read this session, as the server sent it (wire JSON):
    ``rules``, ``policies`` (with ``revision``) and ``allowlist`` (None until read)."""

    client: Y360Client
    rules: list[dict[str, Any]] | None = None
    policies: dict[str, Any] | None = None
    allowlist: list[str] | None = None
    versions: dict[str, int] = field(default_factory=dict)

    async def read_rules(self) -> list[RuleRow]:
        result = await self.client.mail_flow.routing_rules()
        self.rules = [r.model_dump(mode="json", by_alias=True, exclude_none=True)
                      for r in result.rules]
        return [RuleRow(i + 1, r) for i, r in enumerate(result.rules)]

    async def read_policies(self) -> list[PolicyRow]:
        result = await self.client.mail_flow.sender_policies()
        self.policies = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        return [PolicyRow(i + 1, r) for i, r in enumerate(result.rules)]

    async def read_allowlist(self) -> list[AllowEntry]:
        result = await self.client.mail_flow.allowlist()
        self.allowlist = list(result.allow_list)
        return [AllowEntry(i + 1, e) for i, e in enumerate(result.allow_list)]


def lists_of(holder: Any, client: Y360Client) -> MailFlowLists:
    """The session's ``MailFlowLists`` on ``holder`` (the app), made on first use."""
    lists = getattr(holder, "mail_flow_lists", None)
    if lists is None or lists.client is not client:
        lists = MailFlowLists(client)
        holder.mail_flow_lists = lists
    return lists


def _whole(read: Any, key: Any) -> PagedList[Any]:
    async def everything(page: int) -> Chunk[Any]:
        rows = await read() if page == 0 else []
        return Chunk(rows, total=len(rows) if page == 0 else None)

    return PagedList.random(everything, WHOLE, key)


def rules_list(lists: MailFlowLists) -> PagedList[RuleRow]:
    """The routing rules as one page of rows (search key: the rule in words)."""
    return _whole(lists.read_rules, lambda r: f"{r.position}\t{r.words}")


def policies_list(lists: MailFlowLists) -> PagedList[PolicyRow]:
    """The sender policies as one page of rows."""
    return _whole(lists.read_policies,
                  lambda r: f"{r.position}\t{r.rule.name}\t{r.rule.description}\t"
                            f"{policy_words(r.rule)}\t{' '.join(policy_match(r.rule)[1])}")


def allowlist_list(lists: MailFlowLists) -> PagedList[AllowEntry]:
    """The anti-spam allow list as one page of rows."""
    return _whole(lists.read_allowlist, lambda r: f"{r.position}\t{r.entry}\t"
                                                   f"{' '.join(map(str, r.kind))}")
