"""Remove one forwarding or auto-reply rule of a user (``DELETE …/settings/user_rules/{ruleId}``).

``current`` is ``MailRule.as_current()``: the user (``id``, ``login``), the rule's id, kind and
what it does. :meth:`RemoveMailRule.load` reads the user's rules again, so the confirmation
shows the rule as the server has it now (``forward to x@gmail.com, keep a copy`` -> removed),
and a rule already gone is refused before anything is sent. Verified by reading the rules back:
the rule id must be gone.
"""

from __future__ import annotations

from typing import Any

from ..journal import Target
from ..mail_links import MAIL_SETTINGS
from ..mail_settings import FORWARD, Domains, MailRule, read_rules
from .base import Change, Edit, Plan

REMOVED = "removed"


class RemoveMailRule(Edit):
    """Remove the rule ``current["rule_id"]`` of user ``current["id"]``."""

    action = "mail.rule.remove"
    title = "Remove mail rule"
    target_kind = MAIL_SETTINGS  # the journal's ``o`` opens the user's mail settings

    @property
    def uid(self) -> str:
        return str(self.current.get("id") or "")

    @property
    def rule_id(self) -> int:
        value = self.current.get("rule_id")
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    @property
    def target(self) -> Target:
        return Target(self.target_kind, self.uid, self.label())

    def label(self) -> str:
        return str(self.current.get("login") or self.uid)

    def rule(self) -> MailRule:
        c = self.current
        return MailRule(self.uid, str(c.get("login") or ""), str(c.get("kind") or FORWARD),
                        self.rule_id, str(c.get("name") or ""), str(c.get("address") or ""),
                        bool(c.get("keep_copy")), str(c.get("text") or ""),
                        bool(c.get("outside")))

    def check(self) -> dict[str, str]:
        if not self.uid.isdigit():
            return {"id": "the user is unknown"}
        if self.rule_id < 1:
            return {"rule_id": "the rule has no id"}
        if self.current.get("gone"):
            return {"rule_id": f"rule {self.rule_id} is not there any more "
                               "(removed meanwhile?): nothing to remove"}
        return {}

    async def load(self, client: Any) -> None:
        """Read the user's rules: the plan shows the rule as it is now, or refuses a gone one.
        Whether it leaves the organisation stays as the caller found it (with the domains it
        knew)."""
        if not self.uid.isdigit() or self.rule_id < 1:
            return
        rules = await read_rules(client, self.uid, self.label(), Domains(frozenset(), ""))
        now = next((r for r in rules if r.rule_id == self.rule_id), None)
        if now is None:
            self.current["gone"] = True
            return
        self.current.update(now.as_current(), outside=bool(self.current.get("outside")),
                            gone=False)

    def plan(self) -> Plan:
        rule = self.rule()
        kind = "forwarding rule" if rule.kind == FORWARD else "auto-reply rule"
        changes = [Change(f"{kind} {rule.rule_id}", rule.words(), REMOVED)]
        notes = ["the rule no longer applies to new mail",
                 f"user: {self.label()} (uid {self.uid})"
                 + (f"; rule name “{rule.name}”" if rule.name else "")]
        if rule.kind == FORWARD:
            notes.append("the address is outside the organisation's domains" if rule.outside
                         else "the address is on the organisation's domains")
            notes.append("mail stops being forwarded; what was forwarded stays where it went")
        else:
            notes.append("senders stop getting the automatic answer")
        return self.new_plan(changes, notes)

    async def apply(self, client: Any) -> None:
        await client.mail_settings.delete_rule(self.uid, self.rule_id)

    async def verify(self, client: Any) -> list[str]:
        """Gone when the user's rules no longer list its id."""
        rules = await client.mail_settings.rules(self.uid)
        ids = [r.rule_id for r in (*rules.forwards, *rules.autoreplies)]
        return [f"rule {self.rule_id} is still listed"] if self.rule_id in ids else []

