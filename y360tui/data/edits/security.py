"""Sign-in edits of one user: auth type (portal <-> idp), 2FA reset, sign-out everywhere."""

from __future__ import annotations

from typing import Any

from . import calls, rules
from .base import UNKNOWN, Change, FieldSpec, Plan, mismatches
from .users import UserEdit

DIRECTIONS = (("idp -> portal (login and password)", "portal"),
              ("portal -> idp (single sign-on)", "idp"))
NOT_READABLE = "the API exposes no read path for the sign-in method; not verifiable"


class SetAuthType(UserEdit):
    """PATCH ``/users/{id}/auth_type`` by the reference's §6.11 rules.

    The API cannot tell the current method, so the admin states the direction. A password is
    required going to ``portal`` and is never kept beyond the request: the plan and the journal
    only say that one was set.
    """

    action = "user.auth-type"
    title = "Change sign-in method"
    unverifiable = NOT_READABLE
    fields = (
        FieldSpec("authType", "Switch", kind="select", options=DIRECTIONS),
        FieldSpec("password", "New password", kind="password",
                  help="required for idp -> portal; never shown or stored"),
        FieldSpec("passwordConfirm", "Repeat password", kind="password"),
        FieldSpec("passwordChangeRequired", "Change at next sign-in", kind="switch",
                  help="portal only"),
        FieldSpec("dropOtp", "Drop OTP (2FA setup)", kind="switch", help="idp only"),
    )

    def initial(self) -> dict[str, Any]:
        return {"authType": "portal", "password": "", "passwordConfirm": "",
                "passwordChangeRequired": False, "dropOtp": False}

    def check(self) -> dict[str, str]:
        to = self.values.get("authType")
        secret = str(self.values.get("password") or "")
        if to not in ("portal", "idp"):
            return {"authType": "choose portal or idp"}
        if to == "idp":
            errors = {}
            if secret or self.values.get("passwordConfirm"):
                errors["password"] = "no password when switching to idp (sign-in goes via SSO)"
            if self.values.get("passwordChangeRequired"):
                errors["passwordChangeRequired"] = "only applies when switching to portal"
            return errors
        message = rules.password(secret)
        if message:
            return {"password": message}
        if secret != self.values.get("passwordConfirm"):
            return {"passwordConfirm": "the two passwords differ"}
        if self.values.get("dropOtp"):
            return {"dropOtp": "only applies when switching to idp"}
        return {}

    def plan(self) -> Plan:
        to = str(self.values.get("authType"))
        changes = [Change("authType", UNKNOWN, to)]
        notes = [NOT_READABLE]
        if to == "portal":
            changes.append(Change("passwordChangeRequired", UNKNOWN,
                                  bool(self.values.get("passwordChangeRequired"))))
            notes.insert(0, "a new password is set (it is not shown or recorded)")
        else:
            changes.append(Change("dropOtp", False, bool(self.values.get("dropOtp"))))
        return self.new_plan(changes, notes)

    async def apply(self, client: Any) -> None:
        to = str(self.values.get("authType"))
        try:
            if to == "portal":
                await calls.set_auth_type(
                    client, self.uid, "portal", password=str(self.values["password"]),
                    password_change_required=bool(self.values.get("passwordChangeRequired")))
            else:
                await calls.set_auth_type(client, self.uid, "idp",
                                          drop_otp=bool(self.values.get("dropOtp")))
        finally:
            # The password's job is done, whatever the answer: drop it so nothing later
            # (a traceback, a retry of a failed item) can leak or resend it.
            self.values["password"] = self.values["passwordConfirm"] = ""


class Reset2fa(UserEdit):
    """DELETE ``/users/{id}/2fa``: resets the user's personal 2FA setup and security phone."""

    action = "user.2fa-reset"
    title = "Reset 2FA"
    bulk = True

    async def load(self, client: Any) -> None:
        await super().load(client)
        self.current["2fa"] = await calls.get_2fa(client, self.uid)

    def plan(self) -> Plan:
        state = self.current.get("2fa") or {}
        before = {k: state.get(k, UNKNOWN) for k in ("has2fa", "hasSecurityPhone")}
        return self.new_plan([Change(k, v, False) for k, v in before.items()])

    async def apply(self, client: Any) -> None:
        await calls.reset_2fa(client, self.uid)

    async def verify(self, client: Any) -> list[str]:
        return mismatches({"has2fa": False, "hasSecurityPhone": False},
                          await calls.get_2fa(client, self.uid))


class SignOut(UserEdit):
    """PUT ``domain_sessions/users/{id}/logout``: closes every session on every device."""

    action = "user.sign-out"
    title = "Sign out everywhere"
    bulk = True
    unverifiable = "sessions cannot be read back"

    def plan(self) -> Plan:
        return self.new_plan([Change("sessions", "open", "all closed")],
                             ["sessions cannot be read back; not verifiable"])

    async def apply(self, client: Any) -> None:
        await calls.logout(client, self.uid)
