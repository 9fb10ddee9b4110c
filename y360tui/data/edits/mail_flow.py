"""Whole-list edits of the mail flow lists (``api/mail_flow.py``): the anti-spam allow list
(add an IP/CIDR, remove one), routing rules (remove one, move one up or down) and sender
policies (remove one).

The API takes each list only whole, so every edit here:

- reads the list (:meth:`WholeListEdit.load`) and plans the whole list after the edit: the
  confirmation shows every line, ``+`` added, ``-`` removed (``Plan.listing``);
- reads it **again just before sending** (:meth:`WholeListEdit.precheck`): if the server's list
  is not the one planned from (its ``revision`` differs, or its contents do when the list has
  no revision), the edit is refused and nothing is sent;
- sends the whole list, reads it back and compares (verify), and is journaled like any edit.
"""

from __future__ import annotations

import difflib
from typing import Any, ClassVar

from ...api.mail_flow import normalize_ip
from ...api.models.mail_flow import PolicyRule, RoutingRule
from ..journal import Target
from ..mail_flow import covered_by, policy_words, rule_words
from .base import Change, Edit, FieldSpec, Plan, Refused, shown

ALLOWLIST = "antispam_allowlist"
ROUTING = "mail_routing"
POLICIES = "sender_policies"


def list_diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """Every line of ``before`` and ``after`` in order, marked ``" "`` (in both), ``"-"``
    (only before) or ``"+"`` (only after): a diff that shows the whole list."""
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [(" ", line) for line in before[i1:i2]]
            continue
        out += [("-", line) for line in before[i1:i2]]
        out += [("+", line) for line in after[j1:j2]]
    return out


class WholeListEdit(Edit):
    """An edit that sends a whole list (see the module docstring). ``current`` holds
    ``items`` (the list as read, wire form) and ``revision`` (None if the list has none)."""

    what: ClassVar[str] = "list"  # the list in words, for messages
    list_id: ClassVar[str] = ""

    def __init__(self, current: Any = None, values: dict[str, Any] | None = None) -> None:
        super().__init__(current, values)
        self.current.setdefault("items", [])
        self.current.setdefault("revision", None)

    @property
    def target(self) -> Target:
        """The list (its view opens from the journal), labelled by the item acted on."""
        return Target(self.target_kind, self.list_id, self.item_label())

    def item_label(self) -> str:
        """The item the edit acts on, in words (the confirmation's and journal's label)."""
        return self.what

    @property
    def items(self) -> list[Any]:
        return list(self.current.get("items") or [])

    # -- what subclasses say ----------------------------------------------------------------
    async def read(self, client: Any) -> tuple[list[Any], int | None]:
        """The list as the server has it now (wire form) and its revision (or None)."""
        raise TypeError(f"{type(self).__name__} must define read()")

    async def write(self, client: Any, items: list[Any], revision: int | None) -> None:
        raise TypeError(f"{type(self).__name__} must define write()")

    def line(self, item: Any) -> str:
        """One item in words (a line of the confirmation)."""
        return str(item)

    def after_items(self) -> list[Any]:
        """The whole list after the edit."""
        raise TypeError(f"{type(self).__name__} must define after_items()")

    def changes(self) -> list[Change]:
        """What the journal records (the items added and removed, in words)."""
        before = [self.line(i) for i in self.items]
        after = [self.line(i) for i in self.after_items()]
        out = [Change("removed", line, None) for line in before if line not in after]
        out += [Change("added", None, line) for line in after if line not in before]
        return out

    # -- the steps --------------------------------------------------------------------------
    async def load(self, client: Any) -> None:
        """Read the list the plan starts from."""
        items, revision = await self.read(client)
        self.current["items"] = items
        self.current["revision"] = revision

    def listing(self) -> list[tuple[str, str]]:
        """The whole list, diff-like (see :func:`list_diff`)."""
        return list_diff([self.line(i) for i in self.items],
                         [self.line(i) for i in self.after_items()])

    def summary(self) -> str:
        """The edit in one line (the first note, and the outcome's message)."""
        return "; ".join(f"{c.field} {shown(c.after if c.after is not None else c.before)}"
                         for c in self.changes()) or "reordered"

    def plan(self) -> Plan:
        before, after = self.items, self.after_items()
        listing = self.listing()
        revision = self.current.get("revision")
        read = f"revision {revision}" if revision is not None else "the list"
        notes = [self.summary(),
                 f"the whole list is sent ({len(after)} entries, was {len(before)}); if it "
                 f"changed on the server since {read} was read, nothing is sent"]
        changes = self.changes()
        if not changes and before != after:  # the same entries in another order
            changes = [Change("order", "\n".join(self.line(i) for i in before),
                              "\n".join(self.line(i) for i in after))]
        return self.new_plan(changes, notes, listing=listing)

    async def precheck(self, client: Any) -> None:
        """Refuse when the server's list is not the one the plan was made from."""
        items, revision = await self.read(client)
        planned = self.current.get("revision")
        if revision is not None and planned is not None and revision != planned:
            raise Refused(f"the {self.what} changed on the server since it was read "
                          f"(revision {planned} -> {revision}); reload it (R) and try again")
        if items != self.items:
            gone = [self.line(i) for i in self.items if i not in items]
            new = [self.line(i) for i in items if i not in self.items]
            what = "; ".join(filter(None, (
                f"added there: {', '.join(new)}" if new else "",
                f"removed there: {', '.join(gone)}" if gone else ""))) or "reordered there"
            raise Refused(f"the {self.what} changed on the server since it was read "
                          f"({what}); reload it (R) and try again")

    async def apply(self, client: Any) -> None:
        await self.write(client, self.after_items(), self.current.get("revision"))

    async def verify(self, client: Any) -> list[str]:
        items, _ = await self.read(client)
        expected = self.after_items()
        if items == expected:
            return []
        return [f"the {self.what} has {len(items)} entries, expected {len(expected)}"
                if len(items) != len(expected) else f"the {self.what} differs from the plan"]


# ------------------------------------------------------------------ anti-spam allow list


class AllowListEdit(WholeListEdit):
    target_kind = ALLOWLIST
    what = "anti-spam allow list"
    list_id = "antispam-allowlist"

    async def read(self, client: Any) -> tuple[list[Any], int | None]:
        return list((await client.mail_flow.allowlist()).allow_list), None

    async def write(self, client: Any, items: list[Any], revision: int | None) -> None:
        await client.mail_flow.set_allowlist(items)


class AddAllowEntry(AllowListEdit):
    """Add an IP address or CIDR range (checked with ``ipaddress``, normalised; a duplicate
    or an entry inside a range already listed is refused)."""

    action = "antispam.allow.add"
    title = "Add to the anti-spam allow list"
    fields = (FieldSpec("entry", "IP or CIDR range",
                        placeholder="203.0.113.9 or 198.51.100.0/24",
                        help="IPv4 or IPv6; mail from it is never treated as spam"),)

    def initial(self) -> dict[str, Any]:
        return {"entry": ""}

    def entry(self) -> str:
        return normalize_ip(self.text("entry"))

    def item_label(self) -> str:
        try:
            return self.entry()
        except ValueError:
            return self.text("entry") or "new entry"

    def check(self) -> dict[str, str]:
        try:
            entry = self.entry()
        except ValueError as exc:
            return {"entry": str(exc)}
        known = []
        for item in self.items:
            try:
                known.append(normalize_ip(item))
            except ValueError:
                known.append(item)
        if entry in known:
            return {"entry": f"{entry} is already in the list"}
        wider = covered_by(entry, self.items)
        if wider is not None:
            return {"entry": f"{entry} is already covered by {wider}"}
        return {}

    def after_items(self) -> list[Any]:
        return [*self.items, self.entry()]

    def changes(self) -> list[Change]:
        return [Change("added", None, self.entry())]


class RemoveAllowEntry(AllowListEdit):
    """Remove one entry (``values["entry"]``: the entry as listed)."""

    action = "antispam.allow.remove"
    title = "Remove from the anti-spam allow list"

    def item_label(self) -> str:
        return self.text("entry")

    def check(self) -> dict[str, str]:
        if self.text("entry") not in self.items:
            return {"entry": f"{self.text('entry')} is not in the list any more"}
        return {}

    def after_items(self) -> list[Any]:
        return [i for i in self.items if i != self.text("entry")]

    def changes(self) -> list[Change]:
        return [Change("removed", self.text("entry"), None)]


# ------------------------------------------------------------------ routing rules


def _rule_wire(rule: Any) -> dict[str, Any]:
    model = rule if isinstance(rule, RoutingRule) else RoutingRule.model_validate(rule)
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


class RoutingRulesEdit(WholeListEdit):
    """Edits of the routing rules; ``values["position"]`` is the 1-based rule acted on."""

    target_kind = ROUTING
    what = "routing rules"
    list_id = "mail-routing"

    async def read(self, client: Any) -> tuple[list[Any], int | None]:
        rules = (await client.mail_flow.routing_rules()).rules
        return [_rule_wire(r) for r in rules], None

    async def write(self, client: Any, items: list[Any], revision: int | None) -> None:
        await client.mail_flow.set_routing_rules(items)

    def line(self, item: Any) -> str:
        return rule_words(RoutingRule.model_validate(item))

    @property
    def index(self) -> int:
        try:
            return int(self.values.get("position", 0)) - 1
        except (TypeError, ValueError):
            return -1

    def item_label(self) -> str:
        return f"rule {self.index + 1}"

    def check(self) -> dict[str, str]:
        if not 0 <= self.index < len(self.items):
            return {"position": "that rule is not in the list any more"}
        return {}


class RemoveRoutingRule(RoutingRulesEdit):
    """Remove the rule at ``position``."""

    action = "mail_routing.remove"
    title = "Remove a routing rule"

    def after_items(self) -> list[Any]:
        items = self.items
        return items[: self.index] + items[self.index + 1:] if self.index >= 0 else items


class MoveRoutingRule(RoutingRulesEdit):
    """Move the rule at ``position`` one place up (``values["delta"] = -1``) or down (+1):
    rules run top to bottom and a terminal one stops the rest, so the order matters."""

    action = "mail_routing.move"
    title = "Move a routing rule"

    @property
    def delta(self) -> int:
        return -1 if int(self.values.get("delta", 1)) < 0 else 1

    def check(self) -> dict[str, str]:
        problems = super().check()
        if not problems and not 0 <= self.index + self.delta < len(self.items):
            edge = "first" if self.delta < 0 else "last"
            problems = {"position": f"the rule is already the {edge}"}
        return problems

    def after_items(self) -> list[Any]:
        items = self.items
        i, j = self.index, self.index + self.delta
        if 0 <= i < len(items) and 0 <= j < len(items):
            items[i], items[j] = items[j], items[i]
        return items

    def listing(self) -> list[tuple[str, str]]:
        """The list as it is, the moved rule ``-`` at its place and ``+`` at the new one."""
        lines = [(" ", self.line(item)) for item in self.items]
        i, j = self.index, self.index + self.delta
        if not (0 <= i < len(lines) and 0 <= j < len(lines)):
            return lines
        moved = lines[i][1]
        lines[i] = ("-", moved)
        lines.insert(j + 1 if j > i else j, ("+", moved))
        return lines

    def summary(self) -> str:
        i = self.index
        if not 0 <= i < len(self.items):
            return "nothing to move"
        way = "up" if self.delta < 0 else "down"
        return f"rule {i + 1} moves {way} to {i + 1 + self.delta}: {self.line(self.items[i])}"

    def changes(self) -> list[Change]:
        i = self.index
        if not 0 <= i < len(self.items):
            return []
        return [Change("moved " + ("up" if self.delta < 0 else "down"),
                       f"{i + 1}. {self.line(self.items[i])}",
                       f"{i + 1 + self.delta}. {self.line(self.items[i])}")]


# ------------------------------------------------------------------ sender policies


def _policy_wire(rule: Any) -> dict[str, Any]:
    model = rule if isinstance(rule, PolicyRule) else PolicyRule.model_validate(rule)
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


class RemovePolicyRule(WholeListEdit):
    """Remove the sender policy at ``values["position"]`` (the list has a revision: the
    write carries the one read, and a changed revision refuses the edit before sending)."""

    action = "sender_policies.remove"
    title = "Remove a sender policy"
    target_kind = POLICIES
    what = "sender policies"
    list_id = "sender-policies"

    async def read(self, client: Any) -> tuple[list[Any], int | None]:
        result = await client.mail_flow.sender_policies()
        return [_policy_wire(r) for r in result.rules], result.revision

    async def write(self, client: Any, items: list[Any], revision: int | None) -> None:
        await client.mail_flow.set_sender_policies(items, revision=revision)

    def line(self, item: Any) -> str:
        rule = PolicyRule.model_validate(item)
        return f"{rule.name or '(no name)'}: {policy_words(rule)}"

    @property
    def index(self) -> int:
        try:
            return int(self.values.get("position", 0)) - 1
        except (TypeError, ValueError):
            return -1

    def item_label(self) -> str:
        items = self.items
        if 0 <= self.index < len(items):
            return str(items[self.index].get("name") or f"policy {self.index + 1}")
        return f"policy {self.index + 1}"

    def check(self) -> dict[str, str]:
        if not 0 <= self.index < len(self.items):
            return {"position": "that policy is not in the list any more"}
        return {}

    def after_items(self) -> list[Any]:
        items = self.items
        return items[: self.index] + items[self.index + 1:] if self.index >= 0 else items
