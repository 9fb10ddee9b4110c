"""Edits of groups: create, edit, delete, and membership (user, group or department)."""

from __future__ import annotations

from typing import Any, ClassVar

from ..journal import Target
from . import calls, rules
from .base import Change, Edit, FieldSpec, Plan, created, diff, mismatches

GROUP_KEYS = ("name", "description", "label", "externalId")
SYSTEM_TYPES = ("organization_admin", "organization_deputy_admin", "robots")

GROUP_FIELDS = (
    FieldSpec("name", "Name", rules=(rules.required, rules.max_length(255))),
    FieldSpec("description", "Description", rules=(rules.max_length(1000),)),
    FieldSpec("label", "Mailing-list label", rules=(rules.local_part,), placeholder="sales"),
    FieldSpec("externalId", "External id", rules=(rules.max_length(255),)),
)


class GroupEdit(Edit):
    """Common part of group edits."""

    target_kind = "group"

    @property
    def gid(self) -> int:
        return int(self.current["id"])

    async def load(self, client: Any) -> None:
        self.current = await calls.get_group(client, self.gid)

    def check(self) -> dict[str, str]:
        if self.current.get("type") in SYSTEM_TYPES:
            return {"name": "a system group cannot be changed"}
        return {}


def group_values(group: dict[str, Any]) -> dict[str, str]:
    return {k: str(group.get(k) or "") for k in GROUP_KEYS}


class CreateGroup(GroupEdit):
    """POST a new group; its id is known only after the request."""

    action = "group.create"
    title = "New group"
    fields = GROUP_FIELDS

    def initial(self) -> dict[str, Any]:
        return dict.fromkeys(GROUP_KEYS, "")

    @property
    def target(self) -> Target:
        return Target("group", str(self.current.get("id", "")), self.text("name"))

    async def load(self, client: Any) -> None:
        """Nothing to read: the object does not exist yet."""

    def plan(self) -> Plan:
        after = {k: self.text(k) for k in GROUP_KEYS if self.text(k)}
        return self.new_plan([Change(k, None, v) for k, v in after.items()])

    async def prepare(self, client: Any) -> None:
        """Same-named groups before the create, so a lost reply can be told apart."""
        self.before_ids: set[int] | None = await calls.group_ids_named(client, self.text("name"))

    async def apply(self, client: Any) -> None:
        body = {k: self.text(k) for k in GROUP_KEYS if self.text(k)}
        created = await calls.create_group(client, body)
        self.current = created

    async def applied(self, client: Any) -> bool | None:
        """The reply was lost: look for a group of this name that was not there before."""
        if not self.current.get("id"):
            found = await calls.group_ids_named(client, self.text("name"))
            gid = created(getattr(self, "before_ids", None), found)
            if not gid:
                return gid  # False: none was made; None: cannot tell which
            self.current = await calls.get_group(client, gid)
        return not await self.verify(client)

    async def verify(self, client: Any) -> list[str]:
        group = await calls.get_group(client, self.gid)
        return mismatches(self.plan().after(), group_values(group))


class EditGroup(GroupEdit):
    """PATCH a group's name, description, label or external id."""

    action = "group.update"
    title = "Edit group"
    fields = GROUP_FIELDS

    def initial(self) -> dict[str, Any]:
        return group_values(self.current)

    def plan(self) -> Plan:
        return self.new_plan(diff(group_values(self.current),
                                  {k: self.text(k) for k in GROUP_KEYS}))

    async def apply(self, client: Any) -> None:
        await calls.patch_group(client, self.gid, self.plan().after())

    async def verify(self, client: Any) -> list[str]:
        return mismatches(self.plan().after(), group_values(await calls.get_group(client,
                                                                                   self.gid)))


class DeleteGroup(GroupEdit):
    """DELETE a group. A group with members is flagged so the UI asks twice."""

    action = "group.delete"
    title = "Delete group"
    bulk = True

    def plan(self) -> Plan:
        count = int(self.current.get("membersCount") or len(self.current.get("members") or []))
        notes = [f"it has {count} member(s); they stay, the group goes"] if count else []
        return self.new_plan([Change("group", self.label(), None)], notes, non_empty=count > 0)

    async def apply(self, client: Any) -> None:
        await calls.delete_group(client, self.gid)

    async def verify(self, client: Any) -> list[str]:
        group = await calls.find_group(client, self.gid)
        return [] if group is None or group.get("removed") else ["the group still exists"]


MEMBER_OPTIONS = (("user", "user"), ("group", "group"), ("department", "department"))


class Membership(GroupEdit):
    """Add or remove one member of a group, from either side.

    ``current`` is the group (at least ``id`` and ``name``); ``values`` carry ``memberType``,
    ``memberId`` and ``memberLabel`` (what the picker showed).
    """

    adding: ClassVar[bool] = True
    bulk = True
    fields = (
        FieldSpec("memberType", "Member type", kind="select", options=MEMBER_OPTIONS),
        FieldSpec("memberId", "Member id", rules=(rules.required,)),
    )

    def check(self) -> dict[str, str]:
        if refused := super().check():  # a system group's members cannot be changed
            return refused
        kind, mid = self.values.get("memberType"), self.text("memberId")
        if kind not in rules.MEMBER_TYPES:
            return {"memberType": "choose user, group or department"}
        rule = rules.uid if kind == "user" else rules.positive_int
        message = rule(mid) if mid else None
        if message:
            return {"memberId": message}
        if kind == "group" and mid == str(self.current.get("id")):
            return {"memberId": "a group cannot contain itself"}
        return {}

    @property
    def member(self) -> tuple[str, str]:
        return str(self.values.get("memberType")), self.text("memberId")

    def member_label(self) -> str:
        kind, mid = self.member
        return f"{kind} {self.values.get('memberLabel') or mid}"

    def is_member(self) -> bool | None:
        """Whether ``current`` lists the member; None when the group came without members."""
        members = self.current.get("members")
        if members is None:
            return None
        kind, mid = self.member
        return any(m.get("type") == kind and str(m.get("id")) == mid for m in members)

    def plan(self) -> Plan:
        present = self.is_member()
        if present is self.adding:
            return self.new_plan([])
        before = "member" if present else ("not a member" if present is False else "(unknown)")
        after = "member" if self.adding else "not a member"
        return self.new_plan([Change(self.member_label(), before, after)])

    async def verify(self, client: Any) -> list[str]:
        kind, mid = self.member
        members = await calls.group_member_ids(client, self.gid)
        if ((kind, mid) in members) != self.adding:
            return [f"{self.member_label()} is {'not ' if self.adding else ''}a member"]
        return []


class AddMember(Membership):
    """POST ``/groups/{id}/members``."""

    action = "group.member-add"
    title = "Add member"

    async def apply(self, client: Any) -> None:
        await calls.add_member(client, self.gid, *self.member)


class RemoveMember(Membership):
    """DELETE ``/groups/{id}/members/{type}/{memberId}``."""

    action = "group.member-remove"
    title = "Remove member"
    adding = False

    async def apply(self, client: Any) -> None:
        await calls.remove_member(client, self.gid, *self.member)
