"""Audit events that writes produce, as the real organisation would log them (§10.3)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from .state import Org, peek_user


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def record(org: Org, event_type: str, *, uid: str, meta: dict[str, Any] | None = None,
           service: str = "Api", ip: str = "127.0.0.1", status: str = "Success",
           occurred_at: str | None = None) -> dict[str, Any]:
    """Prepend one audit event (the list is newest first) and return it.

    ``uid`` is the initiator (the caller's uid); the actor's login and name come from the org.
    """
    actor = peek_user(org.users, uid, {})
    name = actor.get("name") or {}
    item = {
        "user_login": actor.get("email", ""),
        "user_name": " ".join(p for p in (name.get("last"), name.get("first")) if p),
        "event": {
            "type": event_type,
            "status": status,
            "service": service,
            "uid": int(uid) if uid.isdigit() else 0,
            "org_id": org.id,
            "ip": ip,
            "occurred_at": occurred_at or now_iso(),
            "is_system": False,
            "idempotency_id": str(uuid.uuid4()),
            "request_id": uuid.uuid4().hex,
            "meta": meta or {},
        },
    }
    with org.lock:
        org.audit_events.insert(0, item)
    return item
