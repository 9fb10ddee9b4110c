"""Security-settings sub-client (reference §9): domain 2FA, sessions, passwords, service apps."""

from __future__ import annotations

from typing import Any

from ._base import SubClient, camel_body, check_int_range, check_str, user_id
from .models.security import (
    Domain2FA,
    DomainSessions,
    PasswordPolicy,
    ServiceApplication,
    ServiceApplications,
)

MAX_SERVICE_APPS = 20


class SecurityApi(SubClient):
    """Organization-wide security settings of ``client.org_id``."""

    def _path(self, suffix: str, version: int = 1) -> str:
        return f"/security/v{version}/org/{self.org_id}{suffix}"

    async def get_domain_2fa(self, *, v2: bool = False) -> Domain2FA:
        """Mandatory-2FA status; ``v2=True`` also returns its ``scope``."""
        return await self._call("GET", self._path("/domain_2fa", 2 if v2 else 1), Domain2FA)

    async def enable_domain_2fa(self, duration: int, *, logout_users: bool = False,
                                validation_method: str = "default",
                                scope: str | None = None) -> Domain2FA:
        """Require 2FA on the domain. ``duration``: grace period in seconds (>= 0);
        ``logout_users`` closes every session; ``scope`` (e.g. ``per_domain``) uses the v2
        endpoint. Returns the new status."""
        check_int_range("duration", duration, 0)
        check_str("validation_method", validation_method)
        if scope is not None:
            check_str("scope", scope)
        body = camel_body(duration=duration, logout_users=logout_users,
                          validation_method=validation_method, scope=scope)
        path = self._path("/domain_2fa", 2 if scope is not None else 1)
        return await self._call("POST", path, Domain2FA, json_body=body)

    async def disable_domain_2fa(self, *, v2: bool = False) -> Domain2FA:
        """Stop requiring 2FA on the domain. Returns the new status."""
        return await self._call("DELETE", self._path("/domain_2fa", 2 if v2 else 1), Domain2FA)

    async def get_session_ttl(self) -> DomainSessions:
        """Cookie session lifetime (``auth_ttl`` seconds)."""
        return await self._call("GET", self._path("/domain_sessions"), DomainSessions)

    async def set_session_ttl(self, auth_ttl: int) -> DomainSessions:
        """Set the cookie session lifetime in seconds (> 0). Returns the new value."""
        check_int_range("auth_ttl", auth_ttl, 1)
        return await self._call("POST", self._path("/domain_sessions"), DomainSessions,
                                json_body={"authTTL": auth_ttl})

    async def logout_user(self, uid: str | int) -> None:
        """Close every session of one employee on all devices."""
        path = self._path(f"/domain_sessions/users/{user_id(uid)}/logout")
        await self._call("PUT", path, None)

    async def get_password_policy(self) -> PasswordPolicy:
        """The domain password policy."""
        return await self._call("GET", self._path("/domain_passwords"), PasswordPolicy)

    async def set_password_policy(self, enabled: bool, **extra: Any) -> PasswordPolicy:
        """Set the password policy (``enabled`` plus any further fields, camelCased)."""
        if not isinstance(enabled, bool):
            raise ValueError("enabled must be a bool")
        body = camel_body(enabled=enabled, **extra)
        return await self._call("PUT", self._path("/domain_passwords"), PasswordPolicy,
                                json_body=body)

    async def service_applications(self) -> ServiceApplications:
        """The service-application registry."""
        return await self._call("GET", self._path("/service_applications"), ServiceApplications)

    async def set_service_applications(
        self, applications: list[ServiceApplication | dict[str, Any]]
    ) -> ServiceApplications:
        """Replace the whole registry (at most 20 apps, each ``{id, scopes}``). Returns it."""
        apps = [a if isinstance(a, ServiceApplication) else ServiceApplication.model_validate(a)
                for a in applications]
        if len(apps) > MAX_SERVICE_APPS:
            raise ValueError(f"at most {MAX_SERVICE_APPS} service applications, got {len(apps)}")
        for app in apps:
            check_str("application id", app.id)
        body = {"applications": [{"id": a.id, "scopes": list(a.scopes)} for a in apps]}
        return await self._call("POST", self._path("/service_applications"),
                                ServiceApplications, json_body=body)

    async def clear_service_applications(self) -> ServiceApplications:
        """Remove every service application. Returns the (empty) registry."""
        return await self._call("DELETE", self._path("/service_applications"),
                                ServiceApplications)

    async def activate_service_applications(self) -> None:
        """Turn the service-applications feature on."""
        await self._call("POST", self._path("/service_applications/activate"), None,
                         json_body={})

    async def deactivate_service_applications(self) -> None:
        """Turn the service-applications feature off."""
        await self._call("POST", self._path("/service_applications/deactivate"), None,
                         json_body={})
