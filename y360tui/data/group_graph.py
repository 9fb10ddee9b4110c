"""The groups a ``links.GroupGraph`` needs, decoded compactly (no widgets).

A user's detail names their groups, direct and inherited, so the first detail loads every
group. Decoding the pages into full ``Group`` models (``GroupsPage.model_validate_json``)
validated every member entry — 101,000 at 100,000 users, most of them users, which the graph
never reads — and cost ~0.5 s of CPU and ~78 MB kept for the session. Here each page is parsed
with ``json.loads`` and each group becomes a slotted ``GraphGroup`` (not a pydantic model:
even ``Group.model_construct`` costs ~0.2 ms a group) holding what the graph and the links
read: id, name, type, members count, e-mail, ``memberOf`` and the members that are groups or
departments (the containment edges). A detail that opens a group fetches the full group by
id, as before.

``graph_groups(client)`` fetches the pages (1,000 groups each, ``concurrency`` at a time, the
first one alone for the page count). The session's Groups list (``DirectoryCache.groups``) reads
the same pages with ``fetch_page`` and keeps their compact groups too, so once it is complete
the graph is built from them (``DirectoryCache.compact_groups``) with no second download.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api.errors import DecodeError
from ..api.models import GroupType, MemberType

if TYPE_CHECKING:
    from ..api.client import Y360Client

PER_PAGE = 1000
EDGE_TYPES = {"group": MemberType.GROUP, "department": MemberType.DEPARTMENT}


@dataclass(slots=True)
class GraphMember:
    """A containment edge: a member that is a group or a department."""

    type: MemberType
    id: str


@dataclass(slots=True)
class GraphGroup:
    """What the graph and the links read of a group (duck-types ``Group`` for them)."""

    id: int
    name: str
    type: GroupType
    members_count: int
    email: str
    members: list[GraphMember]
    member_of: list[int]


def compact_group(raw: dict[str, Any]) -> GraphGroup:
    """One wire group, compact (see the module docstring)."""
    members = [GraphMember(EDGE_TYPES[m["type"]], str(m["id"]))
               for m in raw.get("members") or () if m.get("type") in EDGE_TYPES]
    return GraphGroup(int(raw["id"]), raw.get("name") or "", GroupType(raw.get("type") or
                                                                      "generic"),
                      int(raw.get("membersCount") or 0), raw.get("email") or "", members,
                      [int(g) for g in raw.get("memberOf") or ()])


def raw_group_row(raw: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    """The Groups list row (``directory.group_row``'s) of one wire group, without a model."""
    return (str(raw["id"]), raw.get("name") or "", str(raw.get("type") or "generic"),
            str(raw.get("membersCount") or 0), raw.get("email") or "",
            " ".join(str(raw.get("description") or "").split()))


async def fetch_page(client: Y360Client, number: int, per_page: int) -> dict[str, Any]:
    """One ``GET /groups`` page as parsed JSON (a ``DecodeError`` if it is not one)."""
    return await _page(client, number, per_page)


async def _page(client: Y360Client, number: int, per_page: int) -> dict[str, Any]:
    path = f"/directory/v1/org/{client.org_id}/groups"
    response = await client.send("api360", "GET", path,
                                 params={"page": number, "perPage": per_page})
    try:
        body = json.loads(response.content)
        if not isinstance(body, dict) or not isinstance(body.get("groups", []), list):
            raise ValueError("not a groups page")
    except ValueError as exc:
        raise DecodeError(f"groups page {number}: {exc}", method="GET", path=path,
                          status=response.status_code) from None
    return body


async def graph_groups(client: Y360Client, *, per_page: int = PER_PAGE,
                       concurrency: int = 4) -> list[GraphGroup]:
    """Every group of the organisation, compact (see the module docstring)."""
    first = await _page(client, 1, per_page)
    pages = int(first.get("pages") or 1)
    gate = asyncio.Semaphore(concurrency)

    async def one(number: int) -> dict[str, Any]:
        async with gate:
            return await _page(client, number, per_page)

    rest = await asyncio.gather(*(one(n) for n in range(2, pages + 1)))
    return [compact_group(raw) for body in (first, *rest) for raw in body.get("groups") or ()]
