"""OAuth token-exchange model (reference §12)."""

from __future__ import annotations

from ..secret import Secret
from .common import SnakeModel


class ServiceAppToken(SnakeModel):
    """A token issued to a service application for one user; ``access_token`` is a Secret."""

    access_token: Secret
    expires_in: int = 3600
    issued_token_type: str = ""
    scope: str = ""
    token_type: str = "bearer"

    @property
    def scopes(self) -> list[str]:
        """The granted scopes as a list."""
        return self.scope.split()

    @property
    def auth_scheme(self) -> str:
        """The Authorization scheme to use with this token (``Bearer``)."""
        return self.token_type.capitalize() or "Bearer"
