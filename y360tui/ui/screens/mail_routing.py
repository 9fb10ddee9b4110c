"""Mail routing (``0 r``): the organisation's mail-processing rules
(``GET /mail/routing/rules``) in the order they run, each in words::

    3  outbound  from legal@corp.ru   forward to legal-hold@corp.ru

Columns: #, direction, condition, actions, stop (a terminal rule skips the rules after it).
Enter opens the rule in words (``J``: its JSON). ``d`` removes the highlighted rule, ``u`` and
``m`` move it up or down. The API replaces the whole list on each write: the confirmation
shows every rule (``+`` added, ``-`` removed), the list is read again just before sending and
the edit refused if it changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.binding import Binding

from ...data.edits.mail_flow import ROUTING, MoveRoutingRule, RemoveRoutingRule
from ...data.mail_flow import RuleRow, actions_words, condition_words, direction
from ...data.paged import PagedList
from ..registry import register_detail, register_view
from ..widgets.lazy_table import Column, LazyTable
from .mail_flow_common import MailFlowDetail, MailFlowList


@register_view(key="r", name="mail-routing", title="Mail routing",
               description="mail-processing rules in order: conditions and actions, in words")
class MailRoutingScreen(MailFlowList):
    """The routing rules (see the module docstring)."""

    TITLE = "Mail routing"
    VIEW = "mail-routing"
    EMPTY = "no routing rules"
    COLUMNS = [
        Column("#", 3, priority=0, align_right=True, sort_key=lambda r: r.position),
        Column("Direction", 9, priority=1),
        Column("Condition", 30, priority=0, flex=True),
        Column("Actions", 26, priority=0, flex=True),
        Column("Stop", 4, priority=0),
    ]
    EDIT_ACTIONS = {"remove_rule": ("d", "Remove rule"), "move_up": ("u", "Move up"),
                    "move_down": ("m", "Move down")}
    BINDINGS = [Binding("d", "remove_rule", "Remove"), Binding("u", "move_up", "Up"),
                Binding("m", "move_down", "Down")]

    def cells(self, row: RuleRow) -> Sequence[str]:
        """#, direction, condition, actions, stop."""
        rule = row.rule
        return (str(row.position), direction(rule), condition_words(rule.condition),
                actions_words(rule), "stop" if rule.terminal else "")

    @on(LazyTable.Activated)
    def _open_rule(self, event: LazyTable.Activated) -> None:
        if self.is_active:
            self.app.push_screen(MailFlowDetail(event.row))

    def action_remove_rule(self) -> None:
        """Remove the highlighted rule."""
        row = self.selected()
        if row is not None:
            self.edit(RemoveRoutingRule(None, {"position": row.position}))

    def action_move_up(self) -> None:
        """Move the highlighted rule one place up (it runs earlier)."""
        self._move(-1)

    def action_move_down(self) -> None:
        """Move the highlighted rule one place down (it runs later)."""
        self._move(1)

    def _move(self, delta: int) -> None:
        row = self.selected()
        if row is not None:
            self.edit(MoveRoutingRule(None, {"position": row.position, "delta": delta}))


@register_detail(ROUTING)
class MailRoutingFromJournal(MailRoutingScreen):
    """The rules opened from a journal entry (``o``)."""

    def __init__(self, ident: str = "", label: str = "", *args: Any) -> None:
        super().__init__("Mail routing")


class FindingMailRulesScreen(MailRoutingScreen):
    """The routing rules of a finding ("Routing forwards outside"), as the Mail routing view
    shows them; Enter opens the rule. No edit keys here: edits start from the view."""

    EDIT_ACTIONS = {}
    BINDINGS = []

    def __init__(self, finding: Any) -> None:
        self.finding = finding
        super().__init__(finding.title)

    def make_list(self) -> PagedList[Any]:
        """The finding's rule rows."""
        from .finding_objects import fixed_list

        super().make_list()  # the view's fields
        return fixed_list(lambda: list(self.finding.objects),
                          lambda r: f"{r.position}\t{r.words}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MailRoutingScreen.EDIT_ACTIONS:
            return False
        return super().check_action(action, parameters)
