"""Safe edits: each a small declarative operation (validate, plan, apply, verify).

See :mod:`.base` for the steps and :func:`.base.execute` for how one runs and is journaled.
``EDITS`` maps each action name to its class, for the UI and tests.
"""

from __future__ import annotations

from .base import Change, Edit, FieldSpec, Outcome, Plan, execute
from .departments import CreateDepartment, DeleteDepartment, EditDepartment
from .disk import Unpublish
from .groups import AddMember, CreateGroup, DeleteGroup, EditGroup, RemoveMember
from .security import Reset2fa, SetAuthType, SignOut
from .users import (
    AddAlias,
    EditContacts,
    EditUserFields,
    MoveUser,
    RemoveAlias,
    SetAdmin,
    SetEnabled,
)

EDITS: dict[str, type[Edit]] = {cls.action: cls for cls in (
    EditUserFields, MoveUser, SetEnabled, SetAdmin, EditContacts, AddAlias, RemoveAlias,
    SetAuthType, Reset2fa, SignOut,
    CreateGroup, EditGroup, DeleteGroup, AddMember, RemoveMember,
    CreateDepartment, EditDepartment, DeleteDepartment,
    Unpublish,
)}

__all__ = [
    "EDITS", "AddAlias", "AddMember", "Change", "CreateDepartment", "CreateGroup",
    "DeleteDepartment", "DeleteGroup", "Edit", "EditContacts", "EditDepartment", "EditGroup",
    "EditUserFields", "FieldSpec", "MoveUser", "Outcome", "Plan", "RemoveAlias", "RemoveMember",
    "Reset2fa", "SetAdmin", "SetAuthType", "SetEnabled", "SignOut", "Unpublish", "execute",
]
