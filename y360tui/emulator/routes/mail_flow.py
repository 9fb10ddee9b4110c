"""api360 mail flow (issue 10 §3; reference in ``y360tui/api/mail_flow.py``): routing rules,
sender allow/deny policies (with a revision) and the anti-spam IP allow list.

Every write replaces the whole list, is visible to the next read and logs one audit event
(``ya360_b2bplatform_organization_updated`` with ``meta.setting`` naming the list, as the
security settings do). A malformed list answers 400 naming the first bad item
(``rules[2].actions[0].data.email``), before anything changes. Scopes: routing rules and
policies ``ya360_admin:mail_read_routing_rules`` / ``…_write_routing_rules``; the allow list
``ya360_admin:mail_read_antispam_settings`` / ``…_write_antispam_settings`` (a write scope
also reads).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from .. import events
from ..errors import ApiError
from ..state import Org
from .common import JSON, caller, json_body, opt_int, opt_list, org_of, require_scope

BASE = "/admin/v1/org/{org_id}/mail"
RULES_READ = ("ya360_admin:mail_read_routing_rules", "ya360_admin:mail_write_routing_rules")
RULES_WRITE = ("ya360_admin:mail_write_routing_rules",)
ANTISPAM_READ = ("ya360_admin:mail_read_antispam_settings",
                 "ya360_admin:mail_write_antispam_settings")
ANTISPAM_WRITE = ("ya360_admin:mail_write_antispam_settings",)
ACTIONS = ("drop", "forward")
DIRECTIONS = ("inbound", "outbound")
COMPOSITE = ("$or", "$and")
POLICY_FILTERS = ("ip_filter", "domain_filter", "email_from_filter")
POLICY_TYPES = ("accept", "reject")
FORCES = ("spam", "ham")
MAX_POLICY_ENTRIES = 200
MAX_RULES = 1000


def _org(request: Request, scopes: tuple[str, ...]) -> Org:
    org = org_of(request)
    require_scope(request, *scopes)
    return org


def _bad(field: str, message: str) -> ApiError:
    return ApiError(400, f"{field}: {message}", field=field)


def _log(request: Request, org: Org, setting: str, **meta: Any) -> None:
    events.record(org, "ya360_b2bplatform_organization_updated", uid=caller(request)["uid"],
                  meta={"setting": setting, **meta})


def _rules_field(body: dict[str, Any]) -> list[Any]:
    rules = opt_list(body, "rules")
    if rules is None:
        raise ApiError(400, "field rules is required", field="rules")
    if len(rules) > MAX_RULES:
        raise _bad("rules", f"at most {MAX_RULES} rules")
    return rules


# ---------------------------------------------------------------- routing rules


def _condition(value: Any, field: str) -> Any:
    """A condition: an object whose keys are ``address:from``-like tests (a non-empty string
    each), ``$or``/``$and`` (a non-empty list of conditions) or ``$not`` (a condition)."""
    if not isinstance(value, dict) or not value:
        raise _bad(field, "must be a non-empty object")
    for key, sub in value.items():
        where = f"{field}.{key}"
        if key in COMPOSITE:
            if not isinstance(sub, list) or not sub:
                raise _bad(where, "must be a non-empty array of conditions")
            for i, item in enumerate(sub):
                _condition(item, f"{where}[{i}]")
        elif key == "$not":
            _condition(sub, where)
        elif key.startswith("$") or ":" not in key:
            raise _bad(where, "unknown condition")
        elif not isinstance(sub, str) or not sub.strip():
            raise _bad(where, "must be a non-empty string")
    return value


def _routing_rule(raw: Any, i: int) -> dict[str, Any]:
    field = f"rules[{i}]"
    if not isinstance(raw, dict):
        raise _bad(field, "must be an object")
    terminal = raw.get("terminal", False)
    if not isinstance(terminal, bool):
        raise _bad(f"{field}.terminal", "must be a boolean")
    condition = raw.get("condition")
    if condition is not None:
        _condition(condition, f"{field}.condition")
    actions = raw.get("actions")
    if not isinstance(actions, list) or not actions:
        raise _bad(f"{field}.actions", "must be a non-empty array")
    out_actions = []
    for j, action in enumerate(actions):
        where = f"{field}.actions[{j}]"
        if not isinstance(action, dict) or action.get("action") not in ACTIONS:
            raise _bad(f"{where}.action", f"must be one of {', '.join(ACTIONS)}")
        if action["action"] == "forward":
            data = action.get("data")
            email = data.get("email") if isinstance(data, dict) else None
            if not isinstance(email, str) or "@" not in email.strip("@"):
                raise _bad(f"{where}.data.email", "a forward needs an e-mail address")
            out_actions.append({"action": "forward", "data": {"email": email.strip()}})
        else:
            out_actions.append({"action": action["action"]})
    scope = raw.get("scope") or {"direction": "inbound"}
    if not isinstance(scope, dict) or scope.get("direction", "inbound") not in DIRECTIONS:
        raise _bad(f"{field}.scope.direction", f"must be one of {', '.join(DIRECTIONS)}")
    return {"terminal": terminal, "condition": condition, "actions": out_actions,
            "scope": {"direction": scope.get("direction", "inbound")}}


async def get_rules(request: Request) -> JSON:
    """GET …/mail/routing/rules: ``{"rules": [...]}``."""
    org = _org(request, RULES_READ)
    return JSON({"rules": org.mail_routing_rules})


async def set_rules(request: Request) -> JSON:
    """PUT …/mail/routing/rules: the whole list is replaced; ``{}``."""
    org = _org(request, RULES_WRITE)
    rules = [_routing_rule(r, i) for i, r in enumerate(_rules_field(await json_body(request)))]
    with org.lock:
        before = len(org.mail_routing_rules)
        org.mail_routing_rules = rules
    _log(request, org, "mail_routing_rules", rules_before=before, rules_after=len(rules))
    return JSON({})


# ---------------------------------------------------------------- sender policies


def _entry_ok(kind: str, value: str) -> bool:
    if kind == "ip_filter":
        try:
            ipaddress.ip_network(value, strict=True)
        except ValueError:
            return False
        return True
    if kind == "domain_filter":
        return "." in value and "@" not in value and " " not in value
    return "@" in value.strip("@") and " " not in value


def _policy_rule(raw: Any, i: int) -> dict[str, Any]:
    field = f"rules[{i}]"
    if not isinstance(raw, dict):
        raise _bad(field, "must be an object")
    for key in ("name", "description"):
        if not isinstance(raw.get(key, ""), str):
            raise _bad(f"{field}.{key}", "must be a string")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _bad(f"{field}.enabled", "must be a boolean")
    condition = raw.get("condition")
    if not isinstance(condition, dict):
        raise _bad(f"{field}.condition", "must be an object")
    given = [k for k in POLICY_FILTERS if condition.get(k) is not None]
    if len(given) != 1:
        raise _bad(f"{field}.condition", f"needs exactly one of {', '.join(POLICY_FILTERS)}")
    kind = given[0]
    entries = condition[kind].get("list") if isinstance(condition[kind], dict) else None
    where = f"{field}.condition.{kind}.list"
    if not isinstance(entries, list) or not entries:
        raise _bad(where, "must be a non-empty array")
    if len(entries) > MAX_POLICY_ENTRIES:
        raise _bad(where, f"at most {MAX_POLICY_ENTRIES} entries")
    for j, entry in enumerate(entries):
        if not isinstance(entry, str) or not _entry_ok(kind, entry.strip()):
            raise _bad(f"{where}[{j}]", f"{entry!r} is not valid here")
    action = raw.get("action")
    if not isinstance(action, dict) or action.get("type") not in POLICY_TYPES:
        raise _bad(f"{field}.action.type", f"must be one of {', '.join(POLICY_TYPES)}")
    out_action: dict[str, Any] = {"type": action["type"]}
    options = action.get("options")
    if isinstance(options, dict) and options.get("force") is not None:
        if options["force"] not in FORCES or action["type"] != "accept":
            raise _bad(f"{field}.action.options.force",
                       f"must be one of {', '.join(FORCES)}, with accept")
        out_action["options"] = {"force": options["force"]}
    return {"name": raw.get("name", ""), "description": raw.get("description", ""),
            "enabled": enabled, "condition": {kind: {"list": [e.strip() for e in entries]}},
            "action": out_action}


async def get_policies(request: Request) -> JSON:
    """GET …/mail/routing/policies: ``{"rules": [...], "revision": n}``."""
    org = _org(request, RULES_READ)
    with org.lock:
        state = org.sender_policies
        return JSON({"rules": state["rules"], "revision": state["revision"]})


async def set_policies(request: Request) -> JSON:
    """PUT …/mail/routing/policies: the whole list is replaced and the revision goes up;
    a ``revision`` in the body that is not the current one answers 409 ([uncertain])."""
    org = _org(request, RULES_WRITE)
    body = await json_body(request)
    revision = opt_int(body, "revision")
    rules = [_policy_rule(r, i) for i, r in enumerate(_rules_field(body))]
    with org.lock:
        state = org.sender_policies
        if revision is not None and revision != state["revision"]:
            raise ApiError(409, f"revision {revision} is stale: the policies are at revision "
                           f"{state['revision']}", field="revision")
        org.sender_policies = {"rules": rules, "revision": state["revision"] + 1}
        now = org.sender_policies["revision"]
    _log(request, org, "mail_sender_policies", revision=now, rules_after=len(rules))
    return JSON({})


# ---------------------------------------------------------------- anti-spam allow list


def _ip_entry(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(field, "must be an IP address or a CIDR range")
    text = value.strip()
    try:
        if "/" in text:
            ipaddress.ip_network(text, strict=True)
        else:
            ipaddress.ip_address(text)
    except ValueError:
        raise _bad(field, f"{text!r} is not a valid IP address or CIDR range") from None
    return text


async def get_allowlist(request: Request) -> JSON:
    """GET …/mail/antispam/allowlist/ips: ``{"allowList": [...]}``."""
    org = _org(request, ANTISPAM_READ)
    return JSON({"allowList": org.antispam_allowlist})


async def set_allowlist(request: Request) -> JSON:
    """POST …/mail/antispam/allowlist/ips: create or replace the whole list; ``{}``."""
    org = _org(request, ANTISPAM_WRITE)
    raw = opt_list(await json_body(request), "allowList")
    if raw is None:
        raise ApiError(400, "field allowList is required", field="allowList")
    entries: list[str] = []
    for i, value in enumerate(raw):
        entry = _ip_entry(value, f"allowList[{i}]")
        if entry in entries:
            raise _bad(f"allowList[{i}]", f"{entry} is listed twice")
        entries.append(entry)
    with org.lock:
        before = list(org.antispam_allowlist)
        org.antispam_allowlist = entries
    _log(request, org, "antispam_allowlist",
         added=[e for e in entries if e not in before],
         removed=[e for e in before if e not in entries])
    return JSON({})


async def delete_allowlist(request: Request) -> JSON:
    """DELETE …/mail/antispam/allowlist/ips: the list is emptied; ``{}``."""
    org = _org(request, ANTISPAM_WRITE)
    with org.lock:
        before = list(org.antispam_allowlist)
        org.antispam_allowlist = []
    _log(request, org, "antispam_allowlist", added=[], removed=before)
    return JSON({})


routes = [
    Route(BASE + "/routing/rules", get_rules, methods=["GET"]),
    Route(BASE + "/routing/rules", set_rules, methods=["PUT"]),
    Route(BASE + "/routing/policies", get_policies, methods=["GET"]),
    Route(BASE + "/routing/policies", set_policies, methods=["PUT"]),
    Route(BASE + "/antispam/allowlist/ips", get_allowlist, methods=["GET"]),
    Route(BASE + "/antispam/allowlist/ips", set_allowlist, methods=["POST"]),
    Route(BASE + "/antispam/allowlist/ips", delete_allowlist, methods=["DELETE"]),
]
