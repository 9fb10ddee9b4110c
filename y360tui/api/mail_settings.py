"""Per-user mail settings sub-client (issue 10 §2).

Reference (public API 360 documentation, ``yandex.ru/dev/api360/doc/ru/ref/MailUserSettingsService``
"Настройки почты сотрудников", and peer clients that call it: the ``yandex_360`` Python
package, a C# and a TypeScript client; host api360, or the family's own host through
``family_urls["mail_settings"]``). The service works for accounts created on the
organisation's domain. Scopes (confirmed in the docs' service page):
``ya360_admin:mail_read_user_settings`` (read) and ``ya360_admin:mail_write_user_settings``
(manage; the emulator lets it read too). Nothing here pages: each call reads or writes one
user's settings.

Endpoints (all under ``/admin/v1/org/{orgId}/mail/users/{userId}/settings``; ``userId`` a
numeric string):

- ``GET /sender_info`` -> ``{"defaultFrom": str, "fromName": str, "signPosition": str,
  "signs": [{"emails": [str], "isDefault": bool, "lang": str, "text": str}]}``;
  ``POST /sender_info`` with the same object sets it and answers it.
  **[uncertain]** ``signPosition`` values: ``bottom`` (at the very bottom, below the quoted
  text) and ``under`` (right under the reply) are assumed; another value is kept as it is
  (``SignPosition`` is tolerant). **[uncertain]** ``lang`` values: ISO codes (``ru``, ``en``)
  are assumed. **[uncertain]** whether a POST may omit fields: this client always sends the
  whole object (``set_sender_info`` takes one), so a partial write never clears a field.
- ``GET /user_rules`` -> ``{"autoreplies": [{"ruleId": int, "ruleName": str, "text": str}],
  "forwards": [{"ruleId": int, "ruleName": str, "address": str, "withStore": bool}]}``.
  The docs' note (quoted by the C# client): rules the employee made themselves are **not**
  listed — only those an administrator set up. So an empty list does not prove that the user
  forwards nothing.
- ``POST /user_rules`` with ``{"forward": {"address", "ruleName", "withStore"}}`` or
  ``{"autoreply": {"ruleName", "text"}}`` creates one rule -> ``{"ruleId": int}``. The docs:
  forwarding is possible only to domains of the organisation, and needs no confirmation from
  the recipient. **[uncertain]** the error for an address outside them: a 400 is assumed (the
  emulator answers 400 naming ``forward.address``). **[uncertain]** a body with both
  ``forward`` and ``autoreply``: this client refuses it before sending.
- ``DELETE /user_rules/{ruleId}`` removes one rule -> ``{}``. **[uncertain]** an unknown rule
  id: 404 assumed.
- ``GET /address_book`` -> ``{"collectAddresses": bool}`` (whether addresses of outgoing mail
  are added to the user's address book automatically); ``POST /address_book`` with the same
  object sets it and answers it.

Errors: the api360 body ``{"code", "message", "details"}`` for 401/403/404/500, typed by
``client.call``; 404 for an unknown user.
"""

from __future__ import annotations

from typing import Any

from ._base import SubClient, check_str, user_id, wire
from .models.mail_settings import AddressBook, RuleCreated, SenderInfo, UserRules

MAX_RULE_NAME = 255  # [uncertain]: the docs give no limit; a generous one for our own checks


def check_address(value: Any, name: str = "address") -> str:
    """An e-mail address: ``local@domain.tld`` without spaces, else a ValueError."""
    text = check_str(name, value).strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or domain.startswith(".") \
            or domain.endswith(".") or any(c.isspace() for c in text):
        raise ValueError(f"{name} must be an e-mail address, got {value!r}")
    return text


def check_rule_id(value: Any) -> int:
    """A rule id: a positive int (a digit string is accepted)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"rule_id must be a positive integer, got {value!r}")
    return value


class MailSettingsApi(SubClient):
    """One employee's mail settings in ``client.org_id`` (see the module docstring)."""

    family = "mail_settings"

    def _path(self, uid: str | int, suffix: str) -> str:
        return f"/admin/v1/org/{self.org_id}/mail/users/{user_id(uid)}/settings{suffix}"

    # -- sender info and signatures ---------------------------------------------------------

    async def sender_info(self, uid: str | int) -> SenderInfo:
        """The default From address, the sender name and the signatures of ``uid``."""
        return await self._call("GET", self._path(uid, "/sender_info"), SenderInfo)

    async def set_sender_info(self, uid: str | int, info: SenderInfo | dict[str, Any]
                              ) -> SenderInfo:
        """Set the whole sender info of ``uid`` (read it, change it, send it back). Returns
        the server's answer."""
        model = info if isinstance(info, SenderInfo) else SenderInfo.model_validate(info)
        if model.default_from:
            check_address(model.default_from, "default_from")
        for i, sign in enumerate(model.signs):
            for address in sign.emails:
                check_address(address, f"signs[{i}].emails")
        return await self._call("POST", self._path(uid, "/sender_info"), SenderInfo,
                                json_body=wire(model))

    # -- forwarding and auto-reply rules ----------------------------------------------------

    async def rules(self, uid: str | int) -> UserRules:
        """The forwarding and auto-reply rules an administrator set up for ``uid``."""
        return await self._call("GET", self._path(uid, "/user_rules"), UserRules)

    async def add_forward(self, uid: str | int, address: str, *, name: str = "",
                          keep_copy: bool = True) -> int:
        """Forward every message of ``uid`` to ``address`` (on one of the organisation's
        domains); ``keep_copy`` leaves a copy in the mailbox. Returns the new rule's id."""
        body = {"forward": {"address": check_address(address), "ruleName": _name(name),
                            "withStore": _flag(keep_copy)}}
        created = await self._call("POST", self._path(uid, "/user_rules"), RuleCreated,
                                   json_body=body)
        return created.rule_id

    async def add_autoreply(self, uid: str | int, text: str, *, name: str = "") -> int:
        """Answer every message of ``uid`` with ``text``. Returns the new rule's id."""
        body = {"autoreply": {"ruleName": _name(name), "text": check_str("text", text)}}
        created = await self._call("POST", self._path(uid, "/user_rules"), RuleCreated,
                                   json_body=body)
        return created.rule_id

    async def delete_rule(self, uid: str | int, rule_id: int | str) -> None:
        """Remove one forwarding or auto-reply rule of ``uid``."""
        path = self._path(uid, f"/user_rules/{check_rule_id(rule_id)}")
        await self._call("DELETE", path, None)

    # -- address book -----------------------------------------------------------------------

    async def address_book(self, uid: str | int) -> AddressBook:
        """Whether addresses of ``uid``'s outgoing mail are collected into the address book."""
        return await self._call("GET", self._path(uid, "/address_book"), AddressBook)

    async def set_address_book(self, uid: str | int, collect: bool) -> AddressBook:
        """Turn the automatic collection of addresses on or off. Returns the new state."""
        body = {"collectAddresses": _flag(collect, "collect")}
        return await self._call("POST", self._path(uid, "/address_book"), AddressBook,
                                json_body=body)


def _name(value: Any) -> str:
    text = check_str("name", value, empty=True)
    if len(text) > MAX_RULE_NAME:
        raise ValueError(f"name must be at most {MAX_RULE_NAME} characters")
    return text


def _flag(value: Any, name: str = "keep_copy") -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be a bool, got {type(value).__name__}")
    return value
