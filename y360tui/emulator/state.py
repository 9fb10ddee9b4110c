"""The in-memory organisation the emulator serves.

Every collection holds objects already in their **wire format** (the JSON dicts of
``shared/y360-api.md``), so a read is a slice plus ``json`` encoding and nothing else.

Collections and their wire shapes:

- ``users``: uid (str) -> v1User dict (§6.1), insertion order == id ascending (the paging order).
  Users removed by ``DELETE /users/{id}`` stay here with ``isDismissed: true`` and their uid in
  ``hidden_users``; lists skip them.
- ``departments``: id (int) -> v1Department dict (§7.1); id 1 is the root "All employees".
- ``groups``: id (int) -> v1Group dict (§8.1), members as ``[{"type", "id": str}]``.
- ``auth_types``: uid -> "portal" | "idp" (never exposed in the User object, §6.1).
- ``two_fa``: uid -> {"has2fa": bool, "hasSecurityPhone": bool}.
- ``mail_events``: list of v1MailEvent dicts (§10.1), **newest first**.
- ``disk_events``: list of DiskEvent dicts (§10.2), newest first.
- ``audit_events``: list of ``{"user_login", "user_name", "event": {...}}`` (§10.3), newest first.
- ``disk``: uid -> list of resource records, each
  ``{"name", "path" ("disk:/…"), "type", "created", "modified", "mime_type", "size",
  "public_key" (str|None), "public_url" (str|None), "resource_id",
  "public_settings": {"available_until", "accesses": [...]}}``.
- ``tracker_users``: list of Tracker User dicts (§13.2) sorted by ``uid``, without ``self``
  (added per request from the request's base URL).
- ``tracker_groups``: list of Tracker group dicts.
- ``service_apps``: list of ``{"id", "scopes"}``; ``service_app_secrets``: client id -> secret.
- ``tokens``: token -> {"uid": str, "scopes": set[str] | None (None = every scope)}.
  ``admin_token`` is the demo token printed by ``demo-server``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Org:
    id: int
    name: str
    domain: str
    admin_token: str
    admin_uid: str
    now: str  # the generator's "now" (ISO, UTC): events never lie after it
    organization: dict[str, Any] = field(default_factory=dict)  # §5 object
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    hidden_users: set[str] = field(default_factory=set)
    departments: dict[int, dict[str, Any]] = field(default_factory=dict)
    groups: dict[int, dict[str, Any]] = field(default_factory=dict)
    auth_types: dict[str, str] = field(default_factory=dict)
    two_fa: dict[str, dict[str, bool]] = field(default_factory=dict)
    mail_events: list[dict[str, Any]] = field(default_factory=list)
    disk_events: list[dict[str, Any]] = field(default_factory=list)
    audit_events: list[dict[str, Any]] = field(default_factory=list)
    disk: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tracker_users: list[dict[str, Any]] = field(default_factory=list)
    tracker_groups: list[dict[str, Any]] = field(default_factory=list)
    service_apps: list[dict[str, Any]] = field(default_factory=list)
    service_app_secrets: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Other demo tokens by role, e.g. {"readonly": token, "user": token} (see generate.py).
    extra_tokens: dict[str, str] = field(default_factory=dict)
    domain_2fa: dict[str, Any] = field(default_factory=dict)
    domain_sessions: dict[str, Any] = field(default_factory=lambda: {"authTTL": 1209600})
    domain_passwords: dict[str, Any] = field(default_factory=lambda: {"enabled": False})
    service_apps_active: bool = True
    # Writes come from request handlers that may run on several server threads.
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
