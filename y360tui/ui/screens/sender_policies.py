"""Sender policies (``0 p``): the domain policy's sender allow/deny rules
(``GET /mail/routing/policies``) in order, with the list's revision on the status line.

Columns: #, name, action (accept, accept as spam, accept as not spam, reject), what the rule
matches (sender IP, domain or address), its entries, enabled. Enter opens the rule in words
(``J``: its JSON). ``d`` removes the highlighted rule: the whole list is sent with the
revision read, after reading it again — a changed revision refuses the edit before sending.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.binding import Binding

from ...data.edits.mail_flow import POLICIES, RemovePolicyRule
from ...data.mail_flow import PolicyRow, lists_of, policy_action_words, policy_match
from ..registry import register_detail, register_view
from ..widgets.lazy_table import Column, LazyTable
from .mail_flow_common import MailFlowDetail, MailFlowList


@register_view(key="p", name="sender-policies", title="Sender policies",
               description="allowed and blocked senders (domain policy rules), with revision")
class SenderPoliciesScreen(MailFlowList):
    """The sender policies (see the module docstring)."""

    TITLE = "Sender policies"
    VIEW = "sender-policies"
    EMPTY = "no sender policies"
    COLUMNS = [
        Column("#", 3, priority=0, align_right=True, sort_key=lambda r: r.position),
        Column("Name", 20, priority=0, grow=10),
        Column("Action", 18, priority=0),
        Column("Match", 6, priority=1),
        Column("Entries", 28, priority=0, flex=True),
        Column("On", 3, priority=2),
    ]
    EDIT_ACTIONS = {"remove_policy": ("d", "Remove policy")}
    BINDINGS = [Binding("d", "remove_policy", "Remove")]

    def cells(self, row: PolicyRow) -> Sequence[str]:
        """#, name, action, match, entries, enabled."""
        rule = row.rule
        word, entries = policy_match(rule)
        return (str(row.position), rule.name, policy_action_words(rule), word,
                ", ".join(entries), "yes" if rule.enabled else "no")

    def status_text(self) -> str:
        """The list's status plus the revision read."""
        text = super().status_text()
        policies = lists_of(self.app, self.app.client).policies  # type: ignore[attr-defined]
        if policies is not None and self.data.complete:
            text += f"  ·  revision {policies.get('revision', '?')}"
        return text

    @on(LazyTable.Activated)
    def _open_rule(self, event: LazyTable.Activated) -> None:
        if self.is_active:
            self.app.push_screen(MailFlowDetail(event.row))

    def action_remove_policy(self) -> None:
        """Remove the highlighted policy rule."""
        row = self.selected()
        if row is not None:
            self.edit(RemovePolicyRule(None, {"position": row.position}))


@register_detail(POLICIES)
class SenderPoliciesFromJournal(SenderPoliciesScreen):
    """The policies opened from a journal entry (``o``)."""

    def __init__(self, ident: str = "", label: str = "", *args: Any) -> None:
        super().__init__("Sender policies")
