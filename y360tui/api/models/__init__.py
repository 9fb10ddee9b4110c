"""Pydantic models of every API family; import them from here.

Each name is imported when first used (PEP 562, see ``.._lazy``): importing one model does
not build every family's classes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

_EXPORTS = {
    ".audit": (
        "AuditEvent",
        "AuditEventsPage",
        "AuditLogEvent",
        "AuditService",
        "AuditStatus",
        "DiskEvent",
        "DiskEventsPage",
        "DiskEventType",
        "FolderType",
        "MailEvent",
        "MailEventsPage",
        "MailEventType",
    ),
    ".common": (
        "ApiModel",
        "SafeEnum",
        "SnakeModel",
    ),
    ".directory": (
        "AliasRemoved",
        "AuthType",
        "Contact",
        "ContactType",
        "Department",
        "DepartmentsPage",
        "Gender",
        "Group",
        "GroupMember",
        "GroupMembers",
        "GroupsPage",
        "GroupType",
        "MemberChange",
        "MemberType",
        "Name",
        "Organization",
        "OrganizationsPage",
        "Removed",
        "ShortDepartment",
        "ShortExternalContact",
        "ShortGroup",
        "ShortSharedMailbox",
        "ShortUser",
        "User",
        "UserBrief",
        "UserBriefsPage",
        "UsersPage",
        "UserTwoFA",
    ),
    ".disk": (
        "Access",
        "AccessibleResourcesPage",
        "AccessRight",
        "AccessType",
        "Link",
        "PublicResourcesList",
        "PublicSettings",
        "Resource",
        "ResourceShort",
        "ResourceShortList",
        "ResourceType",
    ),
    ".security": (
        "Domain2FA",
        "DomainSessions",
        "PasswordPolicy",
        "ServiceApplication",
        "ServiceApplications",
    ),
    ".service_apps": (
        "ServiceAppToken",
    ),
    ".tracker": (
        "TrackerGroup",
        "TrackerGroupRef",
        "TrackerRelativePage",
        "TrackerUser",
    ),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

# ruff: noqa: F401 - the imports below exist for type checkers only
if TYPE_CHECKING:  # what type checkers and IDEs see; a test keeps it equal to _EXPORTS
    from .audit import (
        AuditEvent,
        AuditEventsPage,
        AuditLogEvent,
        AuditService,
        AuditStatus,
        DiskEvent,
        DiskEventsPage,
        DiskEventType,
        FolderType,
        MailEvent,
        MailEventsPage,
        MailEventType,
    )
    from .common import (
        ApiModel,
        SafeEnum,
        SnakeModel,
    )
    from .directory import (
        AliasRemoved,
        AuthType,
        Contact,
        ContactType,
        Department,
        DepartmentsPage,
        Gender,
        Group,
        GroupMember,
        GroupMembers,
        GroupsPage,
        GroupType,
        MemberChange,
        MemberType,
        Name,
        Organization,
        OrganizationsPage,
        Removed,
        ShortDepartment,
        ShortExternalContact,
        ShortGroup,
        ShortSharedMailbox,
        ShortUser,
        User,
        UserBrief,
        UserBriefsPage,
        UsersPage,
        UserTwoFA,
    )
    from .disk import (
        Access,
        AccessibleResourcesPage,
        AccessRight,
        AccessType,
        Link,
        PublicResourcesList,
        PublicSettings,
        Resource,
        ResourceShort,
        ResourceShortList,
        ResourceType,
    )
    from .security import (
        Domain2FA,
        DomainSessions,
        PasswordPolicy,
        ServiceApplication,
        ServiceApplications,
    )
    from .service_apps import (
        ServiceAppToken,
    )
    from .tracker import (
        TrackerGroup,
        TrackerGroupRef,
        TrackerRelativePage,
        TrackerUser,
    )
