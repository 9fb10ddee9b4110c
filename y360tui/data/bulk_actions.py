"""The bulk actions a selection (marked rows, or a list from a file) can get, as edits.

Shared by the TUI's "Select from a list…" and ``y360tui bulk ACTION``: each action turns the
selected objects (users rows, or shared files) into one ``Edit`` per object, so the plan, the
dry run, the run and "retry failed" are ``data.bulk``'s as for marked rows.

``block_warnings`` says what blocking would do to the organisation's administrators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .directory import U_ADMIN, U_DEPT_ID, U_ID, U_LOGIN, U_STATUS

if TYPE_CHECKING:  # the command line's parser reads ACTIONS: the edits load when used
    from .edits import Edit


@dataclass(frozen=True)
class BulkAction:
    """One action: its command-line name, a title, what it selects (users or files) and
    whether it needs a group (membership) or the auth-type options."""

    name: str
    title: str
    kind: str = "user"  # "user" or "shared_file"
    needs_group: bool = False
    needs_auth: bool = False


ACTIONS: dict[str, BulkAction] = {a.name: a for a in (
    BulkAction("block", "Block"),
    BulkAction("unblock", "Unblock"),
    BulkAction("sign-out", "Sign out everywhere"),
    BulkAction("reset-2fa", "Reset 2FA"),
    BulkAction("add-to-group", "Add to group", needs_group=True),
    BulkAction("remove-from-group", "Remove from group", needs_group=True),
    BulkAction("auth-type", "Change sign-in method", needs_auth=True),
    BulkAction("unpublish", "Unpublish", kind="shared_file"),
)}
USER_ACTIONS = tuple(n for n, a in ACTIONS.items() if a.kind == "user")


def user_current(row: Sequence[str]) -> dict[str, Any]:
    """What a users row tells about a user, in wire keys."""
    return {"id": row[U_ID], "nickname": row[U_LOGIN], "isEnabled": row[U_STATUS] != "blocked",
            "isAdmin": row[U_ADMIN] == "admin", "departmentId": int(row[U_DEPT_ID] or 0)}


def file_current(shared: Any) -> dict[str, Any]:
    """What ``Unpublish`` needs of a ``data.links.SharedFile``."""
    res = shared.resource
    return {"public_hash": res.public_hash, "name": res.name, "path": res.path,
            "user_id": shared.owner.id, "owner": shared.owner.nickname, "ident": shared.ident}


def group_with_members(group: dict[str, Any], members: Iterable[tuple[str, str]]
                       ) -> dict[str, Any]:
    """A group's wire dict with its direct members, so a membership plan knows who is in."""
    return {**group, "members": [{"type": t, "id": i} for t, i in members]}


def build_edits(action: str, objects: Sequence[Any], *, group: dict[str, Any] | None = None,
                auth: dict[str, Any] | None = None) -> list[Edit]:
    """One edit per selected object (users rows, or shared files for ``unpublish``).

    ``group``: the wire dict of the group (with ``members`` if known) for membership;
    ``auth``: the ``SetAuthType`` form values (``authType``, ``password`` …).
    """
    from .edits import (
        AddMember,
        RemoveMember,
        Reset2fa,
        SetAuthType,
        SetEnabled,
        SignOut,
        Unpublish,
    )

    spec = ACTIONS[action]
    if spec.kind == "shared_file":
        return [Unpublish(file_current(f)) for f in objects]
    users = [user_current(row) for row in objects]
    if action in ("block", "unblock"):
        return [SetEnabled(u, {"value": action == "unblock"}) for u in users]
    if action == "sign-out":
        return [SignOut(u) for u in users]
    if action == "reset-2fa":
        return [Reset2fa(u) for u in users]
    if action == "auth-type":
        return [SetAuthType(u, dict(auth or {})) for u in users]
    if group is None:
        raise ValueError(f"{action} needs a group")
    cls = AddMember if action == "add-to-group" else RemoveMember
    return [cls(group, {"memberType": "user", "memberId": u["id"],
                        "memberLabel": u["nickname"]}) for u in users]


def item_label(edit: Edit) -> str:
    """The object an item is about: the member for a membership edit (the group is the same
    for every item), else the edit's target."""
    member = edit.values.get("memberLabel") or edit.values.get("memberId")
    if edit.action.startswith("group.member") and member:
        return str(member)
    return edit.target.label or edit.target.id


def item_plan(edit: Edit) -> str:
    """One item's planned change, or why it will be skipped. Pure: sends nothing."""
    errors = edit.validate()
    if errors:
        return "skipped: " + "; ".join(errors.values())
    plan = edit.plan()
    if plan.noop:
        return "no change needed"
    return "; ".join(str(change) for change in plan.changes)


def block_warnings(blocked: Iterable[Sequence[str]], everyone: Iterable[Sequence[str]]
                   ) -> list[str]:
    """What blocking the users rows ``blocked`` does to the organisation's admins (rows of
    the whole directory in ``everyone``): each admin blocked is named, and blocking every
    admin still enabled gets its own line. Empty when no admin is blocked."""
    targets = {row[U_ID] for row in blocked}
    admins = [row for row in everyone if row[U_ADMIN] == "admin" and row[U_STATUS] == "active"]
    hit = [row for row in admins if row[U_ID] in targets]
    if not hit:
        return []
    names = ", ".join(row[U_LOGIN] for row in hit[:10]) + (" …" if len(hit) > 10 else "")
    lines = [f"blocks {len(hit)} administrator(s): {names}"]
    if len(hit) == len(admins):
        lines.append("this blocks the last active administrator(s) of the organisation: "
                     "nobody left could sign in to administer it")
    return lines


def block_counts(rows: Iterable[Sequence[str]]) -> tuple[int, int]:
    """``(to block, to unblock)``: how many rows are active (or dismissed) / blocked."""
    blocked = active = 0
    for row in rows:
        if row[U_STATUS] == "blocked":
            blocked += 1
        else:
            active += 1
    return active, blocked
