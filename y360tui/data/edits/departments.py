"""Edits of departments: create, edit (rename, move, head, label), delete."""

from __future__ import annotations

from typing import Any

from ..journal import Target
from . import calls, rules
from .base import Change, Edit, FieldSpec, Plan, created, diff, mismatches

ROOT_ID = 1
TEXT_KEYS = ("name", "description", "label", "externalId", "headId")
DEPARTMENT_FIELDS = (
    FieldSpec("name", "Name", rules=(rules.required, rules.max_length(255))),
    FieldSpec("parentId", "Parent department id", rules=(rules.required, rules.positive_int)),
    FieldSpec("description", "Description", rules=(rules.max_length(1000),)),
    FieldSpec("label", "Mailing-list label", rules=(rules.local_part,), placeholder="sales"),
    FieldSpec("externalId", "External id", rules=(rules.max_length(255),)),
    FieldSpec("headId", "Head (user id)", rules=(rules.uid,)),
)


def department_values(dep: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: str(dep.get(k) or "") for k in TEXT_KEYS}
    out["parentId"] = int(dep.get("parentId") or 0)
    return out


class DepartmentEdit(Edit):
    """Common part of department edits."""

    target_kind = "department"

    @property
    def did(self) -> int:
        return int(self.current["id"])

    async def load(self, client: Any) -> None:
        self.current = await calls.get_department(client, self.did)

    def wanted(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: self.text(k) for k in TEXT_KEYS}
        out["parentId"] = int(self.text("parentId"))
        return out


class CreateDepartment(DepartmentEdit):
    """POST a new department under ``parentId``."""

    action = "department.create"
    title = "New department"
    fields = DEPARTMENT_FIELDS

    def initial(self) -> dict[str, Any]:
        return {**dict.fromkeys(TEXT_KEYS, ""), "parentId": str(ROOT_ID)}

    @property
    def target(self) -> Target:
        return Target("department", str(self.current.get("id", "")), self.text("name"))

    async def load(self, client: Any) -> None:
        """Nothing to read: the object does not exist yet."""

    def plan(self) -> Plan:
        after = {k: v for k, v in self.wanted().items() if v != ""}
        return self.new_plan([Change(k, None, v) for k, v in after.items()])

    async def prepare(self, client: Any) -> None:
        """Same-named siblings before the create, so a lost reply can be told apart."""
        self.before_ids: set[int] | None = await calls.department_ids_named(
            client, int(self.text("parentId")), self.text("name"))

    async def apply(self, client: Any) -> None:
        self.current = await calls.create_department(client, self.plan().after())

    async def applied(self, client: Any) -> bool | None:
        """The reply was lost: look for a sub-department of this name that is new."""
        if not self.current.get("id"):
            found = await calls.department_ids_named(client, int(self.text("parentId")),
                                                     self.text("name"))
            did = created(getattr(self, "before_ids", None), found)
            if not did:
                return did  # False: none was made; None: cannot tell which
            self.current = await calls.get_department(client, did)
        return not await self.verify(client)

    async def verify(self, client: Any) -> list[str]:
        dep = await calls.get_department(client, self.did)
        return mismatches(self.plan().after(), department_values(dep))


class EditDepartment(DepartmentEdit):
    """PATCH a department: rename, re-parent, head, label, description, external id."""

    action = "department.update"
    title = "Edit department"
    fields = DEPARTMENT_FIELDS

    def initial(self) -> dict[str, Any]:
        values = department_values(self.current)
        values["parentId"] = str(values["parentId"])
        return values

    def check(self) -> dict[str, str]:
        if self.current.get("id") == ROOT_ID and self.text("parentId") not in ("", "0"):
            return {"parentId": "the root department has no parent"}
        if self.text("parentId") == str(self.current.get("id")):
            return {"parentId": "a department cannot be its own parent"}
        return {}

    def wanted(self) -> dict[str, Any]:
        if self.current.get("id") == ROOT_ID:  # root: parent stays 0
            return {**{k: self.text(k) for k in TEXT_KEYS}, "parentId": 0}
        return super().wanted()

    def plan(self) -> Plan:
        return self.new_plan(diff(department_values(self.current), self.wanted()))

    async def apply(self, client: Any) -> None:
        await calls.patch_department(client, self.did, self.plan().after())

    async def verify(self, client: Any) -> list[str]:
        dep = await calls.get_department(client, self.did)
        return mismatches(self.plan().after(), department_values(dep))


class DeleteDepartment(DepartmentEdit):
    """DELETE a department. One with members or sub-departments is flagged to ask twice."""

    action = "department.delete"
    title = "Delete department"

    async def load(self, client: Any) -> None:
        await super().load(client)
        self.current["childCount"] = await calls.department_child_count(client, self.did)

    def check(self) -> dict[str, str]:
        if self.current.get("id") == ROOT_ID:
            return {"name": "the root department cannot be deleted"}
        return {}

    def plan(self) -> Plan:
        members = int(self.current.get("membersCount") or 0)
        children = int(self.current.get("childCount") or 0)
        notes = []
        if members:
            notes.append(f"it has {members} member(s)")
        if children:
            notes.append(f"it has {children} sub-department(s)")
        return self.new_plan([Change("department", self.label(), None)], notes,
                             non_empty=bool(members or children))

    async def apply(self, client: Any) -> None:
        await calls.delete_department(client, self.did)

    async def verify(self, client: Any) -> list[str]:
        dep = await calls.find_department(client, self.did)
        return [] if dep is None else ["the department still exists"]
