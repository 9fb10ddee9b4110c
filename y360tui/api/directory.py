"""Directory sub-client (reference §5-8): organizations, users, departments, groups."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from pydantic.alias_generators import to_camel

from ._base import SubClient, camel_body, check_int_range, check_str, user_id
from .models.directory import (
    AliasRemoved,
    AuthType,
    Contact,
    Department,
    DepartmentsPage,
    Group,
    GroupMember,
    GroupMembers,
    GroupsPage,
    MemberChange,
    MemberType,
    Name,
    NumberedEnvelope,
    Organization,
    OrganizationsPage,
    Removed,
    User,
    UserBrief,
    UserBriefsPage,
    UsersPage,
    UserTwoFA,
)
from .paging import NumberedPager, Page, Pager, numbered_page, token_page

_BIRTHDAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ORDER_BY = ("id", "name")
# Users allow up to 1000 a page (reference §6.2); the same cap is used for groups and
# departments, where the reference states no maximum.
MAX_PER_PAGE = 1000


class DirectoryApi(SubClient):
    """Organizations, users (incl. contacts, aliases, 2FA, sign-in method), departments and
    groups (v1 CRUD, v1 and v2 members, managers) of ``client.org_id``."""

    def _v1(self, suffix: str = "") -> str:
        return f"/directory/v1/org/{self.org_id}{suffix}"

    def _v2(self, suffix: str = "") -> str:
        return f"/directory/v2/org/{self.org_id}{suffix}"

    def _numbered(self, suffix: str, envelope: type[NumberedEnvelope], items: str,
                  per_page: int, start: int, **params: Any) -> NumberedPager[Any]:
        """A NumberedPager over a page/perPage list; ``items`` names the envelope's list."""
        check_int_range("per_page", per_page, 1, MAX_PER_PAGE)
        check_int_range("start", start, 1)

        async def fetch(number: int) -> Page[Any]:
            body = await self._call("GET", self._v1(suffix), envelope,
                                    params={"page": number, "perPage": per_page, **params})
            return numbered_page(getattr(body, items), body.page, body.pages, body.total)

        return NumberedPager(fetch, start)

    # --- organizations -------------------------------------------------------------------

    def organizations(self, page_size: int = 10, *, start: str | None = None
                      ) -> Pager[Organization]:
        """Organizations the token's user belongs to (paging style b).

        ``page_size``: 1-100; ``start``: a cursor from an earlier page. Returns a Pager.
        """
        check_int_range("page_size", page_size, 1, 100)

        async def fetch(token: str | None) -> Page[Organization]:
            body = await self._call("GET", "/directory/v1/org", OrganizationsPage,
                                    params={"pageSize": page_size, "pageToken": token})
            return token_page(body.organizations, body.next_page_token)

        return Pager(fetch, start)

    async def organization(self) -> Organization:
        """The client's organization (``GET /directory/v1/org/{orgId}``)."""
        return await self._call("GET", self._v1(), Organization)

    # --- users ---------------------------------------------------------------------------

    def users(self, per_page: int = 10, *, start: int = 1) -> NumberedPager[User]:
        """Employees, ordered by id (paging style a; ``get_page(n)``, ``fetch_all()``).

        ``per_page``: 1-1000; ``start``: first page number. Returns a NumberedPager.
        """
        return self._numbered("/users", UsersPage, "users", per_page, start)

    def user_briefs(self, per_page: int = 10, *, start: int = 1) -> NumberedPager[UserBrief]:
        """Employees as ``users`` lists them, decoded into ``UserBrief`` (the fields a list
        of every employee needs: ~2.5x faster to decode than full ``User`` models)."""
        return self._numbered("/users", UserBriefsPage, "users", per_page, start)

    async def get_user(self, uid: str | int) -> User:
        """One employee by id; raises NotFound for an unknown id."""
        return await self._call("GET", self._v1(f"/users/{user_id(uid)}"), User)

    async def create_user(
        self, nickname: str, name: Name | dict[str, str], password: str, department_id: int,
        *, password_change_required: bool | None = None, position: str | None = None,
        about: str | None = None, gender: str | None = None, birthday: str | None = None,
        external_id: str | None = None, timezone: str | None = None,
        language: str | None = None, display_name: str | None = None,
        is_admin: bool | None = None, contacts: list[Contact | dict[str, Any]] | None = None,
    ) -> User:
        """Create an employee (``nickname``, ``name``, ``password``, ``department_id`` are
        required; the rest optional). Returns the new User; Conflict if the nickname is taken."""
        check_str("nickname", nickname)
        check_str("password", password)
        check_int_range("department_id", department_id, 1)
        name = _name(name)
        if not (name.first and name.last):
            raise ValueError("name needs both first and last")
        _check_birthday(birthday)
        body = camel_body(
            nickname=nickname, name=name, password=password, department_id=department_id,
            password_change_required=password_change_required, position=position, about=about,
            gender=gender, birthday=birthday, external_id=external_id, timezone=timezone,
            language=language, display_name=display_name, is_admin=is_admin,
            contacts=_contacts(contacts) if contacts is not None else None,
        )
        return await self._call("POST", self._v1("/users"), User, json_body=body)

    async def update_user(
        self, uid: str | int, *, nickname: str | None = None,
        name: Name | dict[str, str] | None = None, department_id: int | None = None,
        position: str | None = None, about: str | None = None, gender: str | None = None,
        birthday: str | None = None, timezone: str | None = None, language: str | None = None,
        external_id: str | None = None, display_name: str | None = None,
        contacts: list[Contact | dict[str, Any]] | None = None, is_enabled: bool | None = None,
        is_admin: bool | None = None, password: str | None = None,
        password_change_required: bool | None = None,
    ) -> User:
        """Change only the given fields of an employee (``is_enabled=False`` blocks,
        ``True`` unblocks). Returns the updated User."""
        _check_birthday(birthday)
        if department_id is not None:
            check_int_range("department_id", department_id, 1)
        for flag, value in (("is_enabled", is_enabled), ("is_admin", is_admin),
                            ("password_change_required", password_change_required)):
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{flag} must be a bool")
        body = camel_body(
            nickname=nickname, name=_name(name) if name is not None else None,
            department_id=department_id, position=position, about=about, gender=gender,
            birthday=birthday, timezone=timezone, language=language, external_id=external_id,
            display_name=display_name, is_enabled=is_enabled, is_admin=is_admin,
            password=password, password_change_required=password_change_required,
            contacts=_contacts(contacts) if contacts is not None else None,
        )
        if not body:
            raise ValueError("update_user needs at least one field to change")
        return await self._call("PATCH", self._v1(f"/users/{user_id(uid)}"), User,
                                json_body=body)

    async def delete_user(self, uid: str | int) -> User:
        """Remove an employee (irreversible); returns the User marked ``is_dismissed``."""
        return await self._call("DELETE", self._v1(f"/users/{user_id(uid)}"), User)

    async def set_contacts(self, uid: str | int, contacts: list[Contact | dict[str, Any]]
                           ) -> User:
        """Replace the employee's manual contacts (synthetic ones stay). Returns the User."""
        body = {"contacts": _contacts(contacts)}
        return await self._call("PUT", self._v1(f"/users/{user_id(uid)}/contacts"), User,
                                json_body=body)

    async def delete_contacts(self, uid: str | int) -> User:
        """Remove every manual contact of the employee. Returns the User."""
        return await self._call("DELETE", self._v1(f"/users/{user_id(uid)}/contacts"), User)

    async def add_user_alias(self, uid: str | int, alias: str) -> User:
        """Add a mailbox alias (local part). Returns the User; Conflict if taken."""
        check_str("alias", alias)
        return await self._call("POST", self._v1(f"/users/{user_id(uid)}/aliases"), User,
                                json_body={"alias": alias})

    async def remove_user_alias(self, uid: str | int, alias: str) -> AliasRemoved:
        """Remove a mailbox alias. Returns ``{alias, removed}``."""
        check_str("alias", alias)
        path = self._v1(f"/users/{user_id(uid)}/aliases/{quote(alias, safe='')}")
        return await self._call("DELETE", path, AliasRemoved)

    async def get_user_2fa(self, uid: str | int) -> UserTwoFA:
        """The employee's personal 2FA state (``has2fa``, ``has_security_phone``)."""
        return await self._call("GET", self._v1(f"/users/{user_id(uid)}/2fa"), UserTwoFA)

    async def reset_user_2fa(self, uid: str | int) -> None:
        """Reset the employee's 2FA setup / security phone."""
        await self._call("DELETE", self._v1(f"/users/{user_id(uid)}/2fa"), None)

    async def set_auth_type(
        self, uid: str | int, auth_type: AuthType | str, *, password: str | None = None,
        password_change_required: bool | None = None, drop_otp: bool | None = None,
    ) -> None:
        """Switch the employee's sign-in method to ``portal`` (domain password) or ``idp``
        (SSO). Moving idp -> portal needs ``password`` (the server checks: the client cannot
        know the current method); ``drop_otp`` applies to portal -> idp only."""
        kind = AuthType(auth_type)
        if not kind.is_known:
            raise ValueError(f"auth_type must be 'portal' or 'idp', got {str(auth_type)!r}")
        if kind is AuthType.IDP and (password is not None or password_change_required):
            raise ValueError("password and password_change_required apply to 'portal' only")
        if kind is AuthType.PORTAL and drop_otp is not None:
            raise ValueError("drop_otp applies to 'idp' only")
        if password is not None:
            check_str("password", password)
        body = camel_body(auth_type=kind.value, password=password,
                          password_change_required=password_change_required, drop_otp=drop_otp)
        await self._call("PATCH", self._v1(f"/users/{user_id(uid)}/auth_type"), None,
                         json_body=body)

    # --- departments ---------------------------------------------------------------------

    def departments(self, per_page: int = 10, *, parent_id: int | None = None,
                    order_by: str = "id", start: int = 1) -> NumberedPager[Department]:
        """Departments (paging style a). ``parent_id`` keeps only its direct children;
        ``order_by`` is ``id`` or ``name``. Returns a NumberedPager."""
        if parent_id is not None:
            check_int_range("parent_id", parent_id, 0)
        if order_by not in _ORDER_BY:
            raise ValueError(f"order_by must be one of {_ORDER_BY}, got {order_by!r}")
        return self._numbered("/departments", DepartmentsPage, "departments", per_page, start,
                              parentId=parent_id, orderBy=order_by)

    async def get_department(self, department_id: int) -> Department:
        """One department by id."""
        check_int_range("department_id", department_id, 1)
        return await self._call("GET", self._v1(f"/departments/{department_id}"), Department)

    async def create_department(
        self, name: str, parent_id: int, *, description: str | None = None,
        external_id: str | None = None, label: str | None = None,
        head_id: str | int | None = None,
    ) -> Department:
        """Create a department under ``parent_id``. Returns it."""
        check_str("name", name)
        check_int_range("parent_id", parent_id, 1)
        body = camel_body(name=name, parent_id=parent_id, description=description,
                          external_id=external_id, label=label,
                          head_id=_head_id(head_id) or None)
        return await self._call("POST", self._v1("/departments"), Department, json_body=body)

    async def update_department(
        self, department_id: int, *, name: str | None = None, parent_id: int | None = None,
        description: str | None = None, external_id: str | None = None,
        label: str | None = None, head_id: str | int | None = None,
    ) -> Department:
        """Change the given fields of a department. Returns it."""
        check_int_range("department_id", department_id, 1)
        if parent_id is not None:
            check_int_range("parent_id", parent_id, 1)
            if parent_id == department_id:
                raise ValueError("a department cannot be its own parent")
        body = camel_body(name=name, parent_id=parent_id, description=description,
                          external_id=external_id, label=label,
                          head_id=_head_id(head_id))
        if not body:
            raise ValueError("update_department needs at least one field to change")
        return await self._call("PATCH", self._v1(f"/departments/{department_id}"),
                                Department, json_body=body)

    async def delete_department(self, department_id: int) -> Removed:
        """Delete a department (the root, id 1, cannot be). Returns ``{id, removed}``."""
        check_int_range("department_id", department_id, 1)
        if department_id == 1:
            raise ValueError("the root department (id 1) cannot be deleted")
        return await self._call("DELETE", self._v1(f"/departments/{department_id}"), Removed)

    async def add_department_alias(self, department_id: int, alias: str) -> Department:
        """Add a mailing-list alias to a department. Returns it."""
        check_int_range("department_id", department_id, 1)
        check_str("alias", alias)
        return await self._call("POST", self._v1(f"/departments/{department_id}/aliases"),
                                Department, json_body={"alias": alias})

    async def remove_department_alias(self, department_id: int, alias: str) -> AliasRemoved:
        """Remove a department alias. Returns ``{alias, removed}``."""
        check_int_range("department_id", department_id, 1)
        check_str("alias", alias)
        path = self._v1(f"/departments/{department_id}/aliases/{quote(alias, safe='')}")
        return await self._call("DELETE", path, AliasRemoved)

    # --- groups --------------------------------------------------------------------------

    def groups(self, per_page: int = 10, *, start: int = 1) -> NumberedPager[Group]:
        """Groups, ordered by id (paging style a). Returns a NumberedPager."""
        return self._numbered("/groups", GroupsPage, "groups", per_page, start)

    async def get_group(self, group_id: int) -> Group:
        """One group by id."""
        check_int_range("group_id", group_id, 1)
        return await self._call("GET", self._v1(f"/groups/{group_id}"), Group)

    async def create_group(
        self, name: str, *, description: str | None = None, label: str | None = None,
        external_id: str | None = None,
        members: list[GroupMember | dict[str, str]] | None = None,
        admin_ids: list[str | int] | None = None,
    ) -> Group:
        """Create a group (the caller is not added). Returns it; Conflict on a taken label."""
        check_str("name", name)
        body = camel_body(name=name, description=description, label=label,
                          external_id=external_id,
                          members=_members(members) if members is not None else None,
                          admin_ids=_admin_ids(admin_ids) if admin_ids is not None else None)
        return await self._call("POST", self._v1("/groups"), Group, json_body=body)

    async def update_group(
        self, group_id: int, *, name: str | None = None, description: str | None = None,
        label: str | None = None, external_id: str | None = None,
        members: list[GroupMember | dict[str, str]] | None = None,
        admin_ids: list[str | int] | None = None,
    ) -> Group:
        """Change the given fields of a group. Returns it."""
        check_int_range("group_id", group_id, 1)
        body = camel_body(name=name, description=description, label=label,
                          external_id=external_id,
                          members=_members(members) if members is not None else None,
                          admin_ids=_admin_ids(admin_ids) if admin_ids is not None else None)
        if not body:
            raise ValueError("update_group needs at least one field to change")
        return await self._call("PATCH", self._v1(f"/groups/{group_id}"), Group, json_body=body)

    async def delete_group(self, group_id: int) -> Removed:
        """Delete a group. Returns ``{id, removed}``."""
        check_int_range("group_id", group_id, 1)
        return await self._call("DELETE", self._v1(f"/groups/{group_id}"), Removed)

    async def group_members(self, group_id: int) -> GroupMembers:
        """Direct members of a group (v1: users, groups, departments)."""
        check_int_range("group_id", group_id, 1)
        return await self._call("GET", self._v1(f"/groups/{group_id}/members"), GroupMembers)

    async def add_group_member(self, group_id: int, member_id: str | int,
                               member_type: MemberType | str = MemberType.USER) -> MemberChange:
        """Add one member (v1). Returns ``{id, type, added}``."""
        check_int_range("group_id", group_id, 1)
        member = _member(member_type, member_id)
        return await self._call("POST", self._v1(f"/groups/{group_id}/members"), MemberChange,
                                json_body=member)

    async def remove_group_member(self, group_id: int, member_id: str | int,
                                  member_type: MemberType | str = MemberType.USER
                                  ) -> MemberChange:
        """Remove one member (v1). Returns ``{id, type, deleted}``."""
        check_int_range("group_id", group_id, 1)
        member = _member(member_type, member_id)
        path = self._v1(f"/groups/{group_id}/members/{member['type']}/{member['id']}")
        return await self._call("DELETE", path, MemberChange)

    async def clear_group_members(self, group_id: int) -> GroupMembers:
        """Remove every member of a group. Returns the removed members."""
        check_int_range("group_id", group_id, 1)
        return await self._call("DELETE", self._v1(f"/groups/{group_id}/members"), GroupMembers)

    async def group_members_v2(self, group_id: int) -> GroupMembers:
        """Direct members of a group (v2: also external contacts and shared mailboxes)."""
        check_int_range("group_id", group_id, 1)
        return await self._call("GET", self._v2(f"/groups/{group_id}/members"), GroupMembers)

    async def add_group_members_v2(self, group_id: int, **members: Any) -> None:
        """Add members in bulk (v2). Keywords: ``user_ids``, ``group_ids``,
        ``department_ids``, ``external_contact_ids``, ``shared_mailbox_ids``."""
        await self._change_members_v2(group_id, "add", members)

    async def delete_group_members_v2(self, group_id: int, **members: Any) -> None:
        """Remove members in bulk (v2); same keywords as ``add_group_members_v2``."""
        await self._change_members_v2(group_id, "delete", members)

    async def _change_members_v2(self, group_id: int, action: str, members: dict[str, Any]
                                 ) -> None:
        check_int_range("group_id", group_id, 1)
        body = _v2_members(members)
        await self._call("PATCH", self._v2(f"/groups/{group_id}/members/{action}"), None,
                         json_body=body)

    async def set_group_admins(self, group_id: int, admin_ids: list[str | int]) -> Group:
        """Replace the group's managers. Returns the Group."""
        check_int_range("group_id", group_id, 1)
        return await self._call("PUT", self._v1(f"/groups/{group_id}/admins"), Group,
                                json_body={"adminIds": _admin_ids(admin_ids)})

    async def clear_group_admins(self, group_id: int) -> Group:
        """Remove every manager of the group. Returns the Group."""
        check_int_range("group_id", group_id, 1)
        return await self._call("DELETE", self._v1(f"/groups/{group_id}/admins"), Group)


# --- argument shaping -----------------------------------------------------------------------

_V2_KEYS = {"user_ids": str, "group_ids": int, "department_ids": int,
            "external_contact_ids": str, "shared_mailbox_ids": str}


def _name(name: Name | dict[str, str]) -> Name:
    if isinstance(name, Name):
        return name
    if isinstance(name, dict):
        return Name.model_validate(name)
    raise ValueError("name must be a Name or a dict with first/last/middle")


def _head_id(head_id: str | int | None) -> str | None:
    # "" is how the API writes "no head", so an update may send it to clear the head.
    if head_id is None or head_id == "":
        return head_id
    return user_id(head_id, "head_id")


def _check_birthday(birthday: str | None) -> None:
    if birthday is not None and birthday != "" and not _BIRTHDAY.match(str(birthday)):
        raise ValueError(f"birthday must be YYYY-MM-DD, got {birthday!r}")


def _contacts(contacts: list[Contact | dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(contacts, (str, dict)):
        raise ValueError("contacts must be a list")
    out = []
    for item in contacts:
        contact = item if isinstance(item, Contact) else Contact.model_validate(item)
        if not contact.type.is_known:
            raise ValueError(f"unknown contact type {contact.type.value!r}")
        if contact.synthetic:
            continue  # the server ignores synthetic contacts; do not pretend to send them
        entry = {"type": contact.type.value, "value": contact.value}
        if contact.label:
            entry["label"] = contact.label
        out.append(entry)
    return out


def _member(member_type: MemberType | str, member_id: str | int) -> dict[str, str]:
    kind = MemberType(member_type)
    if not kind.is_known:
        raise ValueError(f"member type must be user, group or department, got {kind.value!r}")
    ident = user_id(member_id, "member_id") if kind is MemberType.USER else str(member_id)
    if not ident.isdigit():
        raise ValueError(f"member_id must be numeric, got {member_id!r}")
    return {"type": kind.value, "id": ident}


def _members(members: list[GroupMember | dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for item in members:
        member = item if isinstance(item, GroupMember) else GroupMember.model_validate(item)
        out.append(_member(member.type, member.id))
    return out


def _admin_ids(admin_ids: list[str | int]) -> list[str]:
    if isinstance(admin_ids, (str, int)):
        raise ValueError("admin_ids must be a list of user ids")
    return [user_id(a, "admin_ids") for a in admin_ids]


def _v2_members(members: dict[str, Any]) -> dict[str, Any]:
    unknown = set(members) - set(_V2_KEYS)
    if unknown:
        raise ValueError(f"unknown member keywords {sorted(unknown)}; use {sorted(_V2_KEYS)}")
    body: dict[str, Any] = {}
    for key, kind in _V2_KEYS.items():
        values = members.get(key)
        if values is None:
            continue
        if isinstance(values, (str, int)):
            raise ValueError(f"{key} must be a list")
        body[to_camel(key)] = [user_id(v, key) if kind is str and key == "user_ids"
                             else kind(v) for v in values]
    if not body:
        raise ValueError("give at least one of " + ", ".join(sorted(_V2_KEYS)))
    return body
