"""Service-application sub-client (reference §12): token exchange on oauth.yandex.ru."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import SubClient, check_str, exclusive, user_id
from .models.service_apps import ServiceAppToken
from .secret import Secret

if TYPE_CHECKING:
    from .client import Y360Client

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
UID_TOKEN = "urn:yandex:params:oauth:token-type:uid"
EMAIL_TOKEN = "urn:yandex:params:oauth:token-type:email"


class ServiceAppsApi(SubClient):
    """Get a token for any employee through a registered service application."""

    host = "oauth"

    async def exchange(self, client_id: str, client_secret: str | Secret, *,
                       uid: str | int | None = None, email: str | None = None
                       ) -> ServiceAppToken:
        """Exchange the app's credentials for a one-hour token of the employee given by
        exactly one of ``uid`` or ``email``. Returns a ServiceAppToken (secret hidden)."""
        check_str("client_id", client_id)
        secret = Secret(client_secret)
        if not secret:
            raise ValueError("client_secret must not be empty")
        exclusive(uid=uid, email=email)
        if uid is None and email is None:
            raise ValueError("give exactly one of uid or email")
        if uid is not None:
            subject, kind = user_id(uid, "uid"), UID_TOKEN
        else:
            subject, kind = check_str("email", email), EMAIL_TOKEN
            if "@" not in subject:
                raise ValueError(f"email must be an address, got {subject!r}")
        form = {"grant_type": GRANT_TYPE, "client_id": client_id,
                "client_secret": secret.reveal(), "subject_token": subject,
                "subject_token_type": kind}
        return await self._call("POST", "/token", ServiceAppToken, form=form)

    async def client_for(self, client_id: str, client_secret: str | Secret, *,
                         uid: str | int | None = None, email: str | None = None) -> Y360Client:
        """A new Y360Client acting as the employee (see ``exchange``); close it when done."""
        token = await self.exchange(client_id, client_secret, uid=uid, email=email)
        return self._client.with_token(token)
