"""api360 per-user mail settings (issue 10 §2; reference in ``y360tui/api/mail_settings.py``).

State: ``org.mail_settings`` (``generate/mail_settings.py``), one user made when first read.
Scopes: reads need ``ya360_admin:mail_read_user_settings`` (or the write scope), writes
``ya360_admin:mail_write_user_settings``. An unknown, deleted or malformed user id answers 404
in the api360 body. Every write is visible to the next read and logs one audit event
``mail_user_settings_updated`` [uncertain name] with ``meta``: ``user_id``, ``setting``
(``sender_info``, ``user_rule_created``, ``user_rule_deleted``, ``address_book``) and what
changed. A forward to an address outside the organisation's domain answers 400, as the
reference says such forwarding is not possible (the generated outside forwards stand for
rules made before, which an admin must find).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from .. import events
from ..errors import ApiError
from ..state import Org, peek_user
from .common import JSON, caller, json_body, opt_bool, opt_str, org_of, require_scope

BASE = "/admin/v1/org/{org_id}/mail/users/{user_id}/settings"
READ = ("ya360_admin:mail_read_user_settings", "ya360_admin:mail_write_user_settings")
WRITE = ("ya360_admin:mail_write_user_settings",)
SIGN_POSITIONS = ("bottom", "under")
MAX_RULES = 50  # per user and kind [uncertain]


def _user(request: Request, scopes: tuple[str, ...]) -> tuple[Org, str, dict[str, Any]]:
    org = org_of(request)
    require_scope(request, *scopes)
    uid = request.path_params["user_id"]
    user = peek_user(org.users, uid) if uid.isdigit() else None
    if user is None or uid in org.hidden_users:
        raise ApiError(404, f"user {uid} not found")
    return org, uid, user


def _log(request: Request, org: Org, uid: str, setting: str, **meta: Any) -> None:
    events.record(org, "mail_user_settings_updated", uid=str(caller(request)["uid"]),
                  meta={"user_id": uid, "setting": setting, **meta})


def _bad(field: str, message: str) -> ApiError:
    return ApiError(400, f"{field}: {message}", field=field)


def _addresses(org: Org, user: dict[str, Any]) -> set[str]:
    """The addresses the user may send from: their e-mail and aliases on the org's domain."""
    out = {str(user.get("email", "")).lower()}
    out |= {f"{a}@{org.domain}".lower() for a in user.get("aliases") or []}
    return out - {""}


# ---------------------------------------------------------------- sender info


async def get_sender_info(request: Request) -> JSON:
    """GET …/sender_info."""
    org, uid, _ = _user(request, READ)
    return JSON(org.mail_settings.peek(uid)["sender_info"])


def _signs(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise _bad("signs", "must be an array")
    out = []
    for i, sign in enumerate(value):
        where = f"signs[{i}]"
        if not isinstance(sign, dict):
            raise _bad(where, "must be an object")
        text, lang = sign.get("text", ""), sign.get("lang", "")
        emails, default = sign.get("emails", []), sign.get("isDefault", False)
        if not isinstance(text, str):
            raise _bad(f"{where}.text", "must be a string")
        if not isinstance(lang, str):
            raise _bad(f"{where}.lang", "must be a string")
        if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
            raise _bad(f"{where}.emails", "must be an array of strings")
        if not isinstance(default, bool):
            raise _bad(f"{where}.isDefault", "must be a boolean")
        out.append({"emails": list(emails), "isDefault": default, "lang": lang, "text": text})
    return out


async def set_sender_info(request: Request) -> JSON:
    """POST …/sender_info: the fields given replace the stored ones; answers the result."""
    org, uid, user = _user(request, WRITE)
    body = await json_body(request)
    change: dict[str, Any] = {}
    default_from = opt_str(body, "defaultFrom")
    if default_from is not None:
        if default_from.lower() not in _addresses(org, user):
            raise _bad("defaultFrom", f"{default_from!r} is not an address of user {uid}")
        change["defaultFrom"] = default_from
    from_name = opt_str(body, "fromName")
    if from_name is not None:
        change["fromName"] = from_name
    position = opt_str(body, "signPosition")
    if position is not None:
        if position not in SIGN_POSITIONS:
            raise _bad("signPosition", f"must be one of {', '.join(SIGN_POSITIONS)}")
        change["signPosition"] = position
    if "signs" in body:
        change["signs"] = _signs(body["signs"])
    with org.lock:
        info = org.mail_settings.take(uid)["sender_info"]
        before = {k: info.get(k) for k in change if k != "signs"}
        info.update(change)
        result = dict(info)
    _log(request, org, uid, "sender_info", fields=sorted(change), before=before)
    return JSON(result)


# ---------------------------------------------------------------- rules


async def get_rules(request: Request) -> JSON:
    """GET …/user_rules."""
    org, uid, _ = _user(request, READ)
    rules = org.mail_settings.peek(uid)["rules"]
    return JSON({"autoreplies": rules["autoreplies"], "forwards": rules["forwards"]})


def _org_address(org: Org, address: str) -> bool:
    host = address.rpartition("@")[2].lower()
    return host == org.domain or host.endswith("." + org.domain)


def _new_rule(org: Org, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(kind, fields) of the rule a POST body asks for; 400 for anything malformed."""
    kinds = [k for k in ("forward", "autoreply") if body.get(k) is not None]
    if len(kinds) != 1:
        raise ApiError(400, "exactly one of forward or autoreply is required")
    kind = kinds[0]
    spec = body[kind]
    if not isinstance(spec, dict):
        raise _bad(kind, "must be an object")
    name = opt_str(spec, "ruleName") or ""
    if kind == "autoreply":
        text = opt_str(spec, "text")
        if not text or not text.strip():
            raise _bad("autoreply.text", "is required")
        return "autoreplies", {"ruleName": name, "text": text}
    address = (opt_str(spec, "address") or "").strip()
    local, at, host = address.rpartition("@")
    if not local or not at or "." not in host or " " in address:
        raise _bad("forward.address", "must be an e-mail address")
    if not _org_address(org, address):
        raise _bad("forward.address",
                   f"forwarding is possible only to the organisation's domains ({org.domain})")
    keep = opt_bool(spec, "withStore")
    return "forwards", {"ruleName": name, "address": address,
                        "withStore": bool(keep) if keep is not None else False}


async def create_rule(request: Request) -> JSON:
    """POST …/user_rules: ``{"forward": {...}}`` or ``{"autoreply": {...}}`` -> ``{"ruleId"}``."""
    org, uid, _ = _user(request, WRITE)
    kind, fields = _new_rule(org, await json_body(request))
    with org.lock:
        record = org.mail_settings.take(uid)
        if len(record["rules"][kind]) >= MAX_RULES:
            raise ApiError(400, f"at most {MAX_RULES} rules of this kind")
        rule_id = record["next_rule"]
        record["next_rule"] += 1
        record["rules"][kind] = [*record["rules"][kind], {"ruleId": rule_id, **fields}]
    _log(request, org, uid, "user_rule_created", rule_id=rule_id, kind=kind,
         address=fields.get("address", ""))
    return JSON({"ruleId": rule_id})


async def delete_rule(request: Request) -> JSON:
    """DELETE …/user_rules/{rule_id}: removes a forward or an auto-reply -> ``{}``."""
    org, uid, _ = _user(request, WRITE)
    raw = request.path_params["rule_id"]
    if not raw.isdigit():
        raise ApiError(400, f"invalid rule id {raw!r}", field="ruleId")
    rule_id = int(raw)
    with org.lock:
        rules = org.mail_settings.peek(uid)["rules"]
        found = [(kind, r) for kind in ("forwards", "autoreplies") for r in rules[kind]
                 if r["ruleId"] == rule_id]
        if not found:
            raise ApiError(404, f"rule {rule_id} of user {uid} not found")
        kind, rule = found[0]
        record = org.mail_settings.take(uid)
        record["rules"][kind] = [r for r in record["rules"][kind] if r["ruleId"] != rule_id]
    _log(request, org, uid, "user_rule_deleted", rule_id=rule_id, kind=kind,
         address=rule.get("address", ""), with_store=rule.get("withStore"))
    return JSON({})


# ---------------------------------------------------------------- address book


async def get_address_book(request: Request) -> JSON:
    """GET …/address_book."""
    org, uid, _ = _user(request, READ)
    return JSON(dict(org.mail_settings.peek(uid)["address_book"]))


async def set_address_book(request: Request) -> JSON:
    """POST …/address_book: ``{"collectAddresses": bool}``; answers the new state."""
    org, uid, _ = _user(request, WRITE)
    body = await json_body(request)
    collect = opt_bool(body, "collectAddresses")
    if collect is None:
        raise ApiError(400, "field collectAddresses is required", field="collectAddresses")
    with org.lock:
        book = org.mail_settings.take(uid)["address_book"]
        before = book["collectAddresses"]
        book["collectAddresses"] = collect
    _log(request, org, uid, "address_book", before=before, after=collect)
    return JSON({"collectAddresses": collect})


routes = [
    Route(BASE + "/sender_info", get_sender_info, methods=["GET"]),
    Route(BASE + "/sender_info", set_sender_info, methods=["POST"]),
    Route(BASE + "/user_rules", get_rules, methods=["GET"]),
    Route(BASE + "/user_rules", create_rule, methods=["POST"]),
    Route(BASE + "/user_rules/{rule_id}", delete_rule, methods=["DELETE"]),
    Route(BASE + "/address_book", get_address_book, methods=["GET"]),
    Route(BASE + "/address_book", set_address_book, methods=["POST"]),
]
