"""What the three mail flow views share (Mail routing, Sender policies, Anti-spam allowlist):
the list from ``data.sources.mail_flow_source`` (the whole list in one read, numbered in the
server's order), the edit keys' read-only gate and palette entries, and the detail screen of a
routing rule or sender policy in words (fields left, what it acts on right; ``J`` its JSON).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from ...data.details import Detail, Section
from ...data.edits.base import Edit, Outcome
from ...data.links import INFO, Target
from ...data.mail_flow import (
    PolicyRow,
    RuleRow,
    action_words,
    condition_words,
    direction,
    forward_targets,
    outside,
    policy_action_words,
    policy_match,
)
from ...data.paged import PagedList
from ...data.query import Field
from ...data.sources import mail_flow_source
from ..forms.actions import EditCommands
from ..forms.flow import start_edit
from .detail import DetailScreen, render_detail
from .list_view import ListScreen

RULE = "mail_rule"
POLICY = "sender_policy"


class MailFlowList(ListScreen):
    """A mail flow list view: ``VIEW`` names the source (``data.sources.MAIL_FLOW_VIEWS``)."""

    VIEW: ClassVar[str] = ""
    PAGE_SIZE = 1_000_000  # the whole list is one read
    EDIT_ACTIONS: ClassVar[dict[str, tuple[str, str]]] = {}
    COMMANDS: ClassVar[set[Any]] = {EditCommands}

    def make_list(self) -> PagedList[Any]:
        """The session's list of this kind (the app keeps what was read, for edits)."""
        self.source = mail_flow_source(self.VIEW, self.app.client, self.app)  # type: ignore[attr-defined]
        return self.source.paged

    def fields(self) -> list[Field]:
        """The view's fields (``data.fields``): filter names and export columns."""
        return self.source.fields

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit keys are hidden (and refused) in read-only mode."""
        if action in self.EDIT_ACTIONS and getattr(self.app, "read_only", False):
            return False
        return super().check_action(action, parameters)

    def selected(self) -> Any:
        """The row under the cursor, or None (with a warning)."""
        row = self.table.cursor_item
        if row is None:
            self.notify("nothing selected", severity="warning")
        return row

    def edit(self, edit: Edit) -> None:
        """Run ``edit`` (read the list, confirm the whole list, send, verify, journal)."""
        start_edit(self, edit, form=bool(edit.fields), after=self.after_edit)

    async def after_edit(self, outcome: Outcome) -> None:
        """Read the list again (whatever the outcome: a refused edit means it changed)."""
        if self.is_attached:
            self.action_reload()


# ------------------------------------------------------------------ detail of one rule


def rule_detail(row: RuleRow) -> Detail:
    """A routing rule in words: what it matches, what it does, whether it stops the rest."""
    rule = row.rule
    actions = "\n".join(action_words(a) for a in rule.actions) or "—"
    rows = (("Position", f"{row.position} (rules run top to bottom)"),
            ("Direction", direction(rule)),
            ("If", condition_words(rule.condition)),
            ("Then", actions),
            ("Stop after", "yes: later rules are skipped when it matches" if rule.terminal
             else "no: later rules still run"),
            ("In words", row.words))
    raw = json.dumps(rule.condition, ensure_ascii=False) if rule.condition is not None else "—"
    extra = tuple((k, json.dumps(v, ensure_ascii=False))
                  for k, v in (rule.model_extra or {}).items())
    sections = [Section("Rule", rows), Section("Condition as sent", (("JSON", raw),))]
    if extra:
        sections.append(Section("Other", extra))
    return Detail(RULE, f"Rule {row.position}", tuple(sections))


def policy_detail(row: PolicyRow) -> Detail:
    """A sender policy in words: its action, which senders, every entry."""
    rule = row.rule
    word, entries = policy_match(rule)
    rows = (("Position", str(row.position)), ("Name", rule.name or "—"),
            ("Description", rule.description or "—"),
            ("Enabled", "yes" if rule.enabled else "no"),
            ("Action", policy_action_words(rule)),
            ("Matches", f"sender {word} in the list below"),
            ("Entries", "\n".join(entries) or "—"))
    return Detail(POLICY, rule.name or f"Policy {row.position}", (Section("Policy", rows),))


class MailFlowDetail(DetailScreen):
    """A routing rule or sender policy (pushed with its row; ``J`` shows its JSON)."""

    def __init__(self, row: Any, label: str = "") -> None:
        kind = RULE if isinstance(row, RuleRow) else POLICY
        name = label or (f"Rule {row.position}" if kind == RULE else
                         row.rule.name or f"Policy {row.position}")
        super().__init__(str(row.position), name, row)
        self.KIND = kind

    async def fetch(self) -> Any:
        """Pushed with its row: nothing to read."""
        return self.obj

    def show_fields(self, graph: Any = None) -> None:
        """The rule or policy in words."""
        detail = rule_detail(self.obj) if self.KIND == RULE else policy_detail(self.obj)
        self.query_one("#fields").update(render_detail(detail))  # type: ignore[attr-defined]

    async def _name_ids(self) -> None:
        """Nothing to name: rules hold addresses, not ids."""

    async def _fill_targets(self) -> None:
        self.show_targets(await self.rule_targets())

    async def rule_targets(self) -> list[Target]:
        """Where a rule sends copies (marked when outside the organisation's domain), or
        the entries a policy lists."""
        if self.KIND == POLICY:
            word, entries = policy_match(self.obj.rule)
            return [Target(f"Senders ({word})", INFO, e, e) for e in entries]
        from ...data.mail_settings import org_domains

        try:
            domains = await org_domains(self.app.client,  # type: ignore[attr-defined]
                                        getattr(self.app, "directory", None))
            names = tuple(domains.names)
        except Exception:  # a courtesy: without the domains no address is marked
            names = ()
        out = [Target("Forwards to", INFO, email, email,
                      note="outside the organisation" if outside(email, names) else "")
               for email in forward_targets(self.obj.rule)]
        if not out:
            out.append(Target("Forwards to", INFO, "", "no copies: "
                              + ", ".join(action_words(a) for a in self.obj.rule.actions)))
        return out
