"""Edits of one user: profile fields, department, contacts, aliases, block, admin."""

from __future__ import annotations

from typing import Any, ClassVar

from . import calls, rules
from .base import Change, Edit, FieldSpec, Plan, diff, mismatches

GENDER_OPTIONS = (("not set", ""), ("male", "male"), ("female", "female"))

# Form field -> (wire key, nested key under "name" or None).
PROFILE_KEYS = {
    "first": ("name", "first"),
    "last": ("name", "last"),
    "middle": ("name", "middle"),
    "position": ("position", None),
    "about": ("about", None),
    "departmentId": ("departmentId", None),
    "birthday": ("birthday", None),
    "gender": ("gender", None),
    "language": ("language", None),
    "timezone": ("timezone", None),
    "externalId": ("externalId", None),
}


class UserEdit(Edit):
    """Common part of user edits: label and read-back."""

    target_kind = "user"

    def label(self) -> str:
        return str(self.current.get("nickname") or self.current.get("email")
                   or self.current.get("id", ""))

    @property
    def uid(self) -> str:
        return str(self.current["id"])

    async def load(self, client: Any) -> None:
        self.current = await calls.get_user(client, self.uid)


def profile_of(user: dict[str, Any]) -> dict[str, Any]:
    """The user's editable profile as flat form values."""
    name = user.get("name") or {}
    out: dict[str, Any] = {}
    for key, (wire_key, sub) in PROFILE_KEYS.items():
        value = name.get(sub, "") if sub else user.get(wire_key, "")
        out[key] = "" if value is None else value
    out["departmentId"] = str(out["departmentId"])
    return out


class EditUserFields(UserEdit):
    """PATCH the user's profile fields; only the changed keys are sent."""

    action = "user.update"
    title = "Edit user"
    fields = (
        FieldSpec("first", "First name", rules=(rules.required, rules.max_length(100))),
        FieldSpec("last", "Last name", rules=(rules.required, rules.max_length(100))),
        FieldSpec("middle", "Middle name", rules=(rules.max_length(100),)),
        FieldSpec("position", "Position", rules=(rules.max_length(200),)),
        FieldSpec("about", "About", rules=(rules.max_length(1000),)),
        FieldSpec("departmentId", "Department", kind="department",
                  rules=(rules.required, rules.positive_int),
                  help="Enter picks another department by name"),
        FieldSpec("birthday", "Birthday", rules=(rules.birthday,), placeholder="YYYY-MM-DD"),
        FieldSpec("gender", "Gender", kind="select", rules=(rules.gender,),
                  options=GENDER_OPTIONS),
        FieldSpec("language", "Language", rules=(rules.language,), placeholder="ru, en, …"),
        FieldSpec("timezone", "Time zone", rules=(rules.timezone_name,),
                  placeholder="Europe/Moscow"),
        FieldSpec("externalId", "External id", rules=(rules.max_length(255),)),
    )

    def initial(self) -> dict[str, Any]:
        return profile_of(self.current)

    def wanted(self) -> dict[str, Any]:
        """The profile after the edit, as flat form values (typed)."""
        out = {k: self.text(k) for k in PROFILE_KEYS}
        out["departmentId"] = int(out["departmentId"])
        return out

    def plan(self) -> Plan:
        before = profile_of(self.current)
        before["departmentId"] = int(before["departmentId"] or 0)
        return self.new_plan(diff(before, self.wanted()))

    def body(self) -> dict[str, Any]:
        """The PATCH body: changed keys only; a changed name part sends the whole name."""
        changed = self.plan().after()
        body: dict[str, Any] = {}
        for key, value in changed.items():
            wire_key, sub = PROFILE_KEYS[key]
            if sub:
                body["name"] = {p: self.text(p) for p in ("first", "last", "middle")}
            else:
                body[wire_key] = value
        return body

    async def apply(self, client: Any) -> None:
        await calls.patch_user(client, self.uid, self.body())

    async def verify(self, client: Any) -> list[str]:
        user = await calls.get_user(client, self.uid)
        actual = profile_of(user)
        actual["departmentId"] = int(actual["departmentId"] or 0)
        return mismatches(self.plan().after(), actual)


class MoveUser(UserEdit):
    """Move a user to another department (PATCH departmentId); offered on a selection."""

    action = "user.move"
    title = "Move to department"
    bulk = True
    fields = (FieldSpec("departmentId", "Department id",
                        rules=(rules.required, rules.positive_int)),)

    def plan(self) -> Plan:
        return self.new_plan(diff({"departmentId": self.current.get("departmentId")},
                                  {"departmentId": int(self.text("departmentId"))}))

    async def apply(self, client: Any) -> None:
        await calls.patch_user(client, self.uid, {"departmentId": int(self.text("departmentId"))})

    async def verify(self, client: Any) -> list[str]:
        return mismatches(self.plan().after(), await calls.get_user(client, self.uid))


class SetFlag(UserEdit):
    """Set one boolean of the user (``isEnabled`` or ``isAdmin``) by PATCH."""

    key: ClassVar[str] = ""
    bulk = True

    @property
    def wanted(self) -> bool:
        return bool(self.values.get("value"))

    def plan(self) -> Plan:
        return self.new_plan(diff({self.key: self.current.get(self.key)},
                                  {self.key: self.wanted}))

    async def apply(self, client: Any) -> None:
        await calls.patch_user(client, self.uid, {self.key: self.wanted})

    async def verify(self, client: Any) -> list[str]:
        return mismatches({self.key: self.wanted}, await calls.get_user(client, self.uid))


class SetEnabled(SetFlag):
    """Block (``value`` False) or unblock (True) a user."""

    action = "user.block"
    title = "Block / unblock"
    key = "isEnabled"

    def plan(self) -> Plan:
        plan = super().plan()
        plan.action = "user.unblock" if self.wanted else "user.block"
        plan.title = "Unblock user" if self.wanted else "Block user"
        if not self.wanted and plan.changes and self.current.get("isAdmin"):
            # The caller may know more (the last admin): ``warnings`` in the preset values.
            plan.notes += [f"⚠ {self.label()} is an administrator: blocking ends their admin "
                           "access", *self.preset.get("warnings", ())]
        return plan


class SetAdmin(SetFlag):
    """Make (``value`` True) or revoke (False) organisation admin."""

    action = "user.admin"
    title = "Admin rights"
    key = "isAdmin"

    def plan(self) -> Plan:
        plan = super().plan()
        plan.action = "user.make-admin" if self.wanted else "user.revoke-admin"
        plan.title = "Make admin" if self.wanted else "Revoke admin"
        return plan


def manual_contacts(user: dict[str, Any]) -> list[dict[str, str]]:
    """The user's editable contacts (synthetic ones cannot be changed)."""
    return [{"type": str(c.get("type", "")), "value": str(c.get("value", "")),
             "label": str(c.get("label") or "")}
            for c in user.get("contacts") or [] if not c.get("synthetic")]


def contact_keys(contacts: list[dict[str, str]]) -> list[str]:
    return sorted(f"{c['type']} {c['value']}" for c in contacts)


class EditContacts(UserEdit):
    """Replace the user's manual contacts (PUT contacts); synthetic contacts stay."""

    action = "user.contacts"
    title = "Edit contacts"
    fields = (FieldSpec("contacts", "Contacts", kind="textarea",
                        help="one per line: type value [| label]; types: "
                             + ", ".join(rules.CONTACT_TYPES)),)

    def initial(self) -> dict[str, Any]:
        return {"contacts": rules.contacts_text(manual_contacts(self.current))}

    def check(self) -> dict[str, str]:
        _, error = rules.parse_contacts(str(self.values.get("contacts", "")))
        return {"contacts": error} if error else {}

    def wanted(self) -> list[dict[str, str]]:
        return rules.parse_contacts(str(self.values.get("contacts", "")))[0]

    def plan(self) -> Plan:
        before = contact_keys(manual_contacts(self.current))
        after = contact_keys(self.wanted())
        changes = [] if before == after else [Change("contacts", before, after)]
        return self.new_plan(changes)

    async def apply(self, client: Any) -> None:
        await calls.put_contacts(client, self.uid, self.wanted())

    async def verify(self, client: Any) -> list[str]:
        actual = contact_keys(manual_contacts(await calls.get_user(client, self.uid)))
        expected = contact_keys(self.wanted())
        return [] if actual == expected else [f"contacts: expected {expected}, server has "
                                               f"{actual}"]


class AliasEdit(UserEdit):
    """Add or remove one mailbox alias."""

    fields = (FieldSpec("alias", "Alias", rules=(rules.required, rules.local_part),
                        placeholder="a.smith"),)
    adding: ClassVar[bool] = True

    def aliases_after(self) -> list[str]:
        aliases = list(self.current.get("aliases") or [])
        alias = self.text("alias").lower()
        if self.adding and alias not in aliases:
            aliases.append(alias)
        if not self.adding and alias in aliases:
            aliases.remove(alias)
        return aliases

    def plan(self) -> Plan:
        return self.new_plan(diff({"aliases": list(self.current.get("aliases") or [])},
                                  {"aliases": self.aliases_after()}))

    async def verify(self, client: Any) -> list[str]:
        aliases = (await calls.get_user(client, self.uid)).get("aliases") or []
        alias = self.text("alias").lower()
        if (alias in aliases) != self.adding:
            state = "still has" if not self.adding else "does not have"
            return [f"the user {state} alias {alias!r}"]
        return []


class AddAlias(AliasEdit):
    """POST an alias."""

    action = "user.alias-add"
    title = "Add alias"

    async def apply(self, client: Any) -> None:
        await calls.add_alias(client, self.uid, self.text("alias").lower())


class RemoveAlias(AliasEdit):
    """DELETE an alias; ``check`` insists it is one of the user's."""

    action = "user.alias-remove"
    title = "Remove alias"
    adding = False

    def check(self) -> dict[str, str]:
        alias = self.text("alias").lower()
        if alias and alias not in (self.current.get("aliases") or []):
            return {"alias": f"{alias!r} is not an alias of this user"}
        return {}

    async def apply(self, client: Any) -> None:
        await calls.remove_alias(client, self.uid, self.text("alias").lower())
