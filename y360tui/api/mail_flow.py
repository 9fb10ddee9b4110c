"""Mail flow sub-client (issue 10 §3): routing rules, sender policies, anti-spam allow list.

Reference (public API 360 documentation, ``yandex.ru/dev/api360/doc/ru/ref/RoutingService``,
``…/ref/DomainPolicies``, ``…/ref/MailAntispamIpAllowlistService``; host api360, or the
family's own host through ``family_urls["mail_flow"]``). None of these lists pages: each
call reads or writes the whole list, so nothing here uses ``api.paging``.

Routing rules ("правила обработки писем") — scopes ``ya360_admin:mail_read_routing_rules``
(read) and ``ya360_admin:mail_write_routing_rules`` (read and write):

- ``GET /admin/v1/org/{orgId}/mail/routing/rules`` -> ``{"rules": [Rule]}``;
- ``PUT /admin/v1/org/{orgId}/mail/routing/rules`` with ``{"rules": [Rule]}``: **replaces the
  whole list** (order matters: rules run top to bottom, a ``terminal`` rule stops the rest).
- ``Rule``: ``terminal`` (bool), ``condition`` (a JSON object; the docs' example is
  ``{"address:from": "spam@example.com"}``), ``actions`` (``[{"action": "drop"|"forward",
  "data": {"email": …}}]``, ``email`` only for ``forward``), ``scope`` (``{"direction":
  "inbound"}``).
- **[uncertain]** the condition language beyond the documented ``address:from`` key: this
  client and the emulator also read ``address:to``, ``header:subject`` and the composite keys
  ``$or``/``$and`` (lists of conditions) and ``$not``; other keys are shown as they are.
- **[uncertain]** ``direction`` values other than ``inbound``: ``outbound`` is assumed.
- **[uncertain]** the PUT reply: the docs show no body; ``{}`` is assumed and ignored.
- The rules list has no revision: a caller guarding against concurrent changes compares the
  contents (``data.edits.mail_flow`` does).

Sender allow/deny policies ("разрешенные и запрещенные отправители", domain policy rules) —
the same two scopes:

- ``GET /admin/v1/org/{orgId}/mail/routing/policies`` -> ``{"rules": [PolicyRule],
  "revision": int}``;
- ``PUT`` on the same path with ``{"rules": [...]}`` replaces the whole list ("the list can
  only be updated whole"). Each rule: ``name``, ``description``, ``enabled``, ``condition``
  with exactly one of ``ip_filter``/``domain_filter``/``email_from_filter`` (each
  ``{"list": [str]}``, at most 200 entries), ``action`` ``{"type": "accept"|"reject",
  "options": {"force": "spam"|"ham"}}`` (accept as spam / accept as not spam).
- **[uncertain]** whether the PUT body carries ``revision`` and what a stale one answers:
  this client sends the revision it read when given one; the emulator then answers 409
  (``code`` 6, "revision … is stale") if it differs, and bumps the revision on every write.
- **[uncertain]** the PUT reply: ``{}`` assumed.

Anti-spam IP allow list ("список антиспама") — scopes **[uncertain]**
``ya360_admin:mail_read_antispam_settings`` / ``ya360_admin:mail_write_antispam_settings``
(the docs say only "read/manage anti-spam settings"):

- ``GET /admin/v1/org/{orgId}/mail/antispam/allowlist/ips`` -> ``{"allowList": [str]}``;
- ``POST`` on the same path with ``{"allowList": [str]}`` creates **or replaces** the list
  (answer ``{}``); ``DELETE`` removes it. Entries are IPv4/IPv6 addresses or CIDR ranges
  (``"77.88.21.249"``, ``"77.88.54.0/23"``, ``"2a02:6b8::/32"``).
- **[uncertain]** whether the server refuses a CIDR with host bits set (``10.0.0.1/24``): this
  client refuses it before sending, naming the network meant (``10.0.0.0/24``).

Errors: the api360 body ``{"code", "message", "details"}`` for 400/401/403/404/409, typed by
``client.call`` (``api.errors``).

Not implemented: outbound relays (``cloud: POST /v1/mail/organizations/{org_id}/routes/search``
and ``…/routes/set``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from ._base import SubClient, wire
from .models.mail_flow import AllowList, PolicyRule, RoutingRule, RoutingRules, SenderPolicies

MAX_POLICY_ENTRIES = 200  # per filter list (reference)


def normalize_ip(text: Any) -> str:
    """An allow-list entry in its canonical form: an address (``2001:db8::1``) or a network
    (``198.51.100.0/24``); a single-host network (``/32``, ``/128``) becomes the address.
    ValueError (with a readable message) for anything else, or a CIDR with host bits set."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("an IP address or CIDR range is required")
    value = text.strip()
    if "/" not in value:
        try:
            return ipaddress.ip_address(value).compressed
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or CIDR range") from None
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address or CIDR range") from None
    if network.network_address != ipaddress.ip_interface(value).ip:
        raise ValueError(f"{value!r} has host bits set: the range is {network.with_prefixlen}")
    if network.num_addresses == 1:
        return network.network_address.compressed
    return network.with_prefixlen


def normalize_allowlist(entries: Iterable[Any]) -> list[str]:
    """Every entry normalised (``normalize_ip``); a duplicate is refused (ValueError)."""
    if isinstance(entries, (str, bytes)):
        raise ValueError("the allow list must be a list of entries, not a single string")
    out: list[str] = []
    for entry in entries:
        value = normalize_ip(entry)
        if value in out:
            raise ValueError(f"{value} is listed twice")
        out.append(value)
    return out


def _rules(items: Sequence[Any], model: type) -> list[dict[str, Any]]:
    if isinstance(items, (str, bytes, dict)):
        raise ValueError("rules must be a list of rules")
    return [wire(r if isinstance(r, model) else model.model_validate(r)) for r in items]


class MailFlowApi(SubClient):
    """Organisation-wide mail flow settings of ``client.org_id`` (see the module docstring)."""

    family = "mail_flow"

    def _path(self, suffix: str) -> str:
        return f"/admin/v1/org/{self.org_id}/mail{suffix}"

    # -- routing rules ---------------------------------------------------------------------

    async def routing_rules(self) -> RoutingRules:
        """The whole ordered list of routing (mail-processing) rules."""
        return await self._call("GET", self._path("/routing/rules"), RoutingRules)

    async def set_routing_rules(self, rules: Sequence[RoutingRule | dict[str, Any]]) -> None:
        """Replace the whole list of routing rules with ``rules`` (in order)."""
        body = {"rules": _rules(rules, RoutingRule)}
        await self._call("PUT", self._path("/routing/rules"), None, json_body=body)

    # -- sender policies -------------------------------------------------------------------

    async def sender_policies(self) -> SenderPolicies:
        """The sender allow/deny rules of the domain policy and the list's revision."""
        return await self._call("GET", self._path("/routing/policies"), SenderPolicies)

    async def set_sender_policies(self, rules: Sequence[PolicyRule | dict[str, Any]], *,
                                  revision: int | None = None) -> None:
        """Replace the whole list of sender policy rules; ``revision`` (the one read) lets
        the server refuse the write if the list changed since ([uncertain], see above)."""
        wired = _rules(rules, PolicyRule)
        for i, rule in enumerate(wired):
            lists = [v for v in (rule.get("condition") or {}).values()
                     if isinstance(v, dict)]
            if len(lists) != 1:
                raise ValueError(f"rule {i + 1}: the condition needs exactly one filter list")
            if len(lists[0].get("list") or []) > MAX_POLICY_ENTRIES:
                raise ValueError(f"rule {i + 1}: at most {MAX_POLICY_ENTRIES} entries per list")
        body: dict[str, Any] = {"rules": wired}
        if revision is not None:
            if not isinstance(revision, int) or isinstance(revision, bool):
                raise ValueError("revision must be an int")
            body["revision"] = revision
        await self._call("PUT", self._path("/routing/policies"), None, json_body=body)

    # -- anti-spam allow list --------------------------------------------------------------

    async def allowlist(self) -> AllowList:
        """The anti-spam allow list: IP addresses and CIDR ranges never treated as spam."""
        return await self._call("GET", self._path("/antispam/allowlist/ips"), AllowList)

    async def set_allowlist(self, entries: Iterable[str]) -> None:
        """Create or replace the whole allow list. Entries are checked and normalised
        before anything is sent (``normalize_allowlist``)."""
        body = {"allowList": normalize_allowlist(entries)}
        await self._call("POST", self._path("/antispam/allowlist/ips"), None, json_body=body)

    async def clear_allowlist(self) -> None:
        """Remove the whole allow list."""
        await self._call("DELETE", self._path("/antispam/allowlist/ips"), None)
