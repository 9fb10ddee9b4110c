"""Directory models (reference §5-8): organizations, users, departments, groups.

User ids are strings (``str(uint64)`` on the wire); group, department and org ids are ints.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from .common import ApiModel, SafeEnum


class ContactType(SafeEnum):
    """Kind of a user contact (§6.1)."""

    EMAIL = "email"
    PHONE_EXTENSION = "phone_extension"
    PHONE = "phone"
    SITE = "site"
    ICQ = "icq"
    TWITTER = "twitter"
    SKYPE = "skype"
    STAFF = "staff"


class Gender(SafeEnum):
    """User gender; the server sends ``""`` when unset."""

    MALE = "male"
    FEMALE = "female"
    UNSET = ""


class AuthType(SafeEnum):
    """Sign-in method (§6.11): domain password or SSO through an identity provider."""

    PORTAL = "portal"
    IDP = "idp"


class GroupType(SafeEnum):
    """Group kind (§8.1); everything but ``generic`` is a system group."""

    GENERIC = "generic"
    ORGANIZATION_ADMIN = "organization_admin"
    ORGANIZATION_DEPUTY_ADMIN = "organization_deputy_admin"
    ROBOTS = "robots"


class MemberType(SafeEnum):
    """Kind of a group member."""

    USER = "user"
    GROUP = "group"
    DEPARTMENT = "department"


class Organization(ApiModel):
    """An organization the token's user belongs to (§5)."""

    id: int
    name: str = ""
    email: str = ""
    phone: str = ""
    fax: str = ""
    language: str = ""
    subscription_plan: str = ""


class Name(ApiModel):
    """A person's name."""

    first: str = ""
    last: str = ""
    middle: str = ""

    @property
    def full(self) -> str:
        """``"Last First Middle"`` without empty parts."""
        return " ".join(p for p in (self.last, self.first, self.middle) if p)


class Contact(ApiModel):
    """A user contact (§6.1). ``synthetic`` contacts are generated and read-only."""

    type: ContactType
    value: str = ""
    main: bool = False
    alias: bool = False
    synthetic: bool = False
    label: str = ""


class ShortUser(ApiModel):
    """A user as listed among group members (``v1ShortUser``); the first fields of a User."""

    id: str
    nickname: str = ""
    department_id: int = 1
    email: str = ""
    name: Name = Field(default_factory=Name)
    gender: Gender = Gender.UNSET
    position: str = ""
    avatar_id: str = ""


class User(ShortUser):
    """An employee (``v1User``, §6.1): the short form's fields and the rest."""

    about: str = ""
    birthday: str = ""  # "YYYY-MM-DD" or "": kept as text because "" is a valid value
    contacts: list[Contact] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    groups: list[int] = Field(default_factory=list)
    external_id: str = ""
    is_admin: bool = False
    is_robot: bool = False
    is_dismissed: bool = False
    is_enabled: bool = True
    is_enabled_updated_at: datetime | None = None
    timezone: str = ""
    language: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    display_name: str = ""


class Department(ApiModel):
    """A department (``v1Department``, §7.1); the root "All employees" has id 1, parent 0."""

    id: int
    name: str = ""
    parent_id: int = 0
    description: str = ""
    external_id: str = ""
    label: str = ""
    email: str = ""
    head_id: str = ""
    members_count: int = 0
    aliases: list[str] = Field(default_factory=list)
    created_at: datetime | None = None


class ShortDepartment(ApiModel):
    """A department as listed among group members."""

    id: int
    name: str = ""
    members_count: int = 0


class GroupMember(ApiModel):
    """A member reference inside a Group; ``id`` is a string even for groups/departments."""

    type: MemberType = MemberType.USER
    id: str


class Group(ApiModel):
    """A group (``v1Group``, §8.1)."""

    id: int
    name: str = ""
    type: GroupType = GroupType.GENERIC
    description: str = ""
    members_count: int = 0
    label: str = ""
    email: str = ""
    email_id: str = ""
    aliases: list[str] = Field(default_factory=list)
    external_id: str = ""
    removed: bool = False
    members: list[GroupMember] = Field(default_factory=list)
    member_of: list[int] = Field(default_factory=list)
    admin_ids: list[str] = Field(default_factory=list)
    author_id: str = ""
    created_at: datetime | None = None


class ShortGroup(ApiModel):
    """A group as listed among group members."""

    id: int
    name: str = ""
    members_count: int = 0


class ShortExternalContact(ApiModel):
    """An external contact in a v2 member list."""

    id: str
    first_name: str = ""
    last_name: str = ""
    middle_name: str = ""


class ShortSharedMailbox(ApiModel):
    """A shared mailbox in a v2 member list."""

    id: str
    name: str = ""


class GroupMembers(ApiModel):
    """Direct members of a group: v1 fills the first three arrays, v2 all five."""

    users: list[ShortUser] = Field(default_factory=list)
    groups: list[ShortGroup] = Field(default_factory=list)
    departments: list[ShortDepartment] = Field(default_factory=list)
    external_contacts: list[ShortExternalContact] = Field(default_factory=list)
    shared_mailboxes: list[ShortSharedMailbox] = Field(default_factory=list)


class UserTwoFA(ApiModel):
    """Per-user 2FA state (§6.10)."""

    user_id: str
    has2fa: bool = False
    has_security_phone: bool = False


class MemberChange(ApiModel):
    """Answer to adding (``added``) or removing (``deleted``) one v1 group member."""

    id: str
    type: MemberType = MemberType.USER
    added: bool = False
    deleted: bool = False


class Removed(ApiModel):
    """Answer to deleting a group or department: ``{"id", "removed": true}``."""

    id: int
    removed: bool = False


class AliasRemoved(ApiModel):
    """Answer to deleting an alias: ``{"alias", "removed": true}``."""

    alias: str
    removed: bool = False


class NumberedEnvelope(ApiModel):
    """The totals every page/perPage list carries (paging style a)."""

    page: int = 1
    pages: int = 0
    per_page: int = 10
    total: int = 0


class UsersPage(NumberedEnvelope):
    """One page of ``GET /users`` (paging style a)."""

    users: list[User] = Field(default_factory=list)


class BriefName(BaseModel):
    """The name parts of a ``UserBrief`` (other keys ignored)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    first: str = ""
    last: str = ""
    middle: str = ""

    @property
    def full(self) -> str:
        """``"Last First Middle"`` without empty parts."""
        return " ".join(p for p in (self.last, self.first, self.middle) if p)


class UserBrief(BaseModel):
    """The fields of a ``User`` a list of every employee needs, and nothing else: decoding a
    1,000-user page into these takes ~40 % of the time of full ``User`` models (no contacts,
    aliases, dates, unknown fields kept). Same attribute names as ``User``."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              extra="ignore", defer_build=True)

    id: str
    nickname: str = ""
    department_id: int = 1
    email: str = ""
    name: BriefName = Field(default_factory=BriefName)
    position: str = ""
    display_name: str = ""
    is_admin: bool = False
    is_robot: bool = False
    is_dismissed: bool = False
    is_enabled: bool = True


class UserBriefsPage(NumberedEnvelope):
    """One page of ``GET /users`` decoded into ``UserBrief``s."""

    users: list[UserBrief] = Field(default_factory=list)


class DepartmentsPage(NumberedEnvelope):
    """One page of ``GET /departments`` (paging style a)."""

    departments: list[Department] = Field(default_factory=list)


class GroupsPage(NumberedEnvelope):
    """One page of ``GET /groups`` (paging style a)."""

    groups: list[Group] = Field(default_factory=list)


class OrganizationsPage(ApiModel):
    """One page of ``GET /directory/v1/org`` (paging style b)."""

    organizations: list[Organization] = Field(default_factory=list)
    next_page_token: str = ""
