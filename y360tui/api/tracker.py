"""Yandex Tracker sub-client (reference §13); every request carries ``X-Org-ID``."""

from __future__ import annotations

from ._base import SubClient, check_int_range, check_str
from .client import decode
from .models.tracker import TrackerGroup, TrackerRelativePage, TrackerUser
from .paging import NumberedPager, Page, Pager, header_page, relative_page


class TrackerApi(SubClient):
    """Tracker users and groups of the organization (API v3)."""

    host = "tracker"

    async def myself(self) -> TrackerUser:
        """The Tracker user of the token's owner."""
        return await self._call("GET", "/v3/myself", TrackerUser)

    def users(self, per_page: int = 50, *, start: int = 1) -> NumberedPager[TrackerUser]:
        """Tracker users (paging style e2: totals in ``X-Total-Count``/``X-Total-Pages``)."""
        check_int_range("per_page", per_page, 1, 1000)
        check_int_range("start", start, 1)

        async def fetch(number: int) -> Page[TrackerUser]:
            response = await self._client.send(self.host, "GET", "/v3/users",
                                               params={"page": number, "perPage": per_page})
            users = decode(response, list[TrackerUser])
            return header_page(users, number, response.headers)

        return NumberedPager(fetch, start)

    def users_relative(self, per_page: int = 50, *, expand_groups: bool = False,
                       start: int | None = None) -> Pager[TrackerUser]:
        """Tracker users by ascending uid (paging style e1). ``per_page``: 1-100;
        ``start``: continue after this uid."""
        check_int_range("per_page", per_page, 1, 100)
        if start is not None:
            check_int_range("start", start, 0)

        async def fetch(after: int | None) -> Page[TrackerUser]:
            body = await self._call("GET", "/v3/users/_relative", TrackerRelativePage, params={
                "perPage": per_page, "id": after,
                "expand": "groups" if expand_groups else None})
            last = body.users[-1].uid if body.users else after
            return relative_page(body.users, body.has_next, last)

        return Pager(fetch, start)

    async def get_user(self, uid: int) -> TrackerUser:
        """One Tracker user by uid."""
        check_int_range("uid", uid, 1)
        return await self._call("GET", f"/v3/users/{uid}", TrackerUser)

    async def get_user_by_login(self, login: str) -> TrackerUser:
        """One Tracker user by login (an all-digit login is sent as ``login:<digits>``)."""
        check_str("login", login)
        key = f"login:{login}" if login.isdigit() else login
        return await self._call("GET", f"/v3/users/{key}", TrackerUser)

    async def groups(self) -> list[TrackerGroup]:
        """Every Tracker group."""
        return await self._call("GET", "/v3/groups", list[TrackerGroup])
