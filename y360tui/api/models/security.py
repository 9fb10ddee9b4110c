"""Security-settings models (reference §9)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from .common import ApiModel


class Domain2FA(ApiModel):
    """Mandatory 2FA for the domain; ``scope`` is filled by the v2 endpoints only."""

    enabled: bool = False
    duration: int = 0
    enabled_at: datetime | None = None
    scope: str | None = None

    @field_validator("enabled_at", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        # A domain where 2FA was never enabled answers ``"enabledAt": ""``.
        return None if value == "" else value


class DomainSessions(ApiModel):
    """Cookie session lifetime, in seconds."""

    auth_ttl: int = Field(0, alias="authTTL")


class PasswordPolicy(ApiModel):
    """Password policy; only ``enabled`` is confirmed by sources, other keys are kept as extras."""

    enabled: bool = False


class ServiceApplication(ApiModel):
    """A registered service application: its OAuth ClientID and the scopes it may request."""

    id: str
    scopes: list[str] = Field(default_factory=list)


class ServiceApplications(ApiModel):
    """The organization's service-application registry."""

    applications: list[ServiceApplication] = Field(default_factory=list)
