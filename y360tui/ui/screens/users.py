"""Users: every employee, page by page; 2FA fetched only for the rows on screen."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from ...api.errors import Unauthorized
from ...data.directory import (
    U_ADMIN,
    U_DEPT,
    U_ID,
    U_LOGIN,
    U_NAME,
    U_POSITION,
    U_STATUS,
    UserRow,
    two_fa_text,
)
from ...data.fields import two_fa_wanted, user_fields
from ...data.paged import PagedList
from ...data.query import Field
from ..forms.actions import UserEditActions
from ..widgets.lazy_table import Column
from .list_view import ListScreen


class UsersScreen(UserEditActions, ListScreen):
    """Login, name, department, position, status, admin, 2FA (the sign-in method is not in
    the API's user object, so it is not a column: only the detail screen says what is known)."""

    TITLE = "Users"
    DETAIL_KIND = "user"
    COLUMNS = [
        Column("Login", 18, priority=0, flex=True),
        Column("Name", 22, priority=0, flex=True),
        Column("Department", 18, priority=1, flex=True),
        Column("Status", 9, priority=0),
        Column("Admin", 5, priority=2),
        Column("2FA", 3, priority=1),
        Column("Position", 20, priority=3, flex=True),
    ]

    _two_fa_warned = False

    def make_list(self) -> PagedList[Any]:
        """The session's shared users list (the palette and Departments use it too)."""
        return self.app.directory.users  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        """Draw the first page the app requested early (``Y360App.on_load``): the list does
        not ask again for a page in flight, and asks once more if it failed (a rejected token
        excepted). Its first chunk is a screenful; the rest of the page, and the lookups the
        app held, start after the frame that shows it."""
        self.run_worker(self._first_rows, group="pages", exit_on_error=False)

    async def _first_rows(self) -> None:
        try:
            await self.data.wait_loading(0)
        except Unauthorized as exc:
            self.report_load_error(exc)
        except Exception:  # once more, through the path that reports errors (r retries)
            self.request_pages([0])
        finally:
            self._rows_landed()
            self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.app.directory.open_lookups()  # type: ignore[attr-defined]
        if self.is_active:  # a view left meanwhile asks again when it is back
            self.request_pages(self.data.pages_needed(0, self.table.page_rows))

    def fields(self) -> list[Field]:
        """Every user field (``data.fields.user_fields``), 2FA from the session's cache."""
        return user_fields(self.app.directory.two_fa)  # type: ignore[attr-defined]

    async def fetch_values(self, rows: list[Any], fields: list[Field]) -> None:
        """The 2FA states a ``2fa:`` filter waits for."""
        cache = self.app.directory.two_fa  # type: ignore[attr-defined]
        await cache.load(row[U_ID] for row in rows if two_fa_wanted(row))

    def loading_elsewhere(self) -> bool:
        """The app loads the whole directory in the background."""
        return self.app.directory.syncing  # type: ignore[attr-defined]

    def cells(self, row: UserRow) -> Sequence[str]:
        """The row's columns, with the 2FA state from the per-user cache."""
        if row[U_STATUS] == "dismissed":
            two_fa = "—"  # not asked: a dismissed account has no sign-in to protect
        else:
            two_fa = two_fa_text(self.app.directory.two_fa.get(row[U_ID]))  # type: ignore[attr-defined]
        return (row[U_LOGIN], row[U_NAME], row[U_DEPT], row[U_STATUS], row[U_ADMIN],
                two_fa, row[U_POSITION])

    def search_key(self, row: UserRow) -> str:
        """Unused: the shared list builds its own keys (``data.directory.user_key``)."""
        return "\t".join(row)

    def detail_target(self, row: UserRow) -> tuple[str, str]:
        """Open the user by id, labelled by login."""
        return row[U_ID], row[U_LOGIN]

    def rows_shown(self, rows: list[Any]) -> None:
        """Fetch 2FA for the rows on screen that have none yet (bounded concurrency)."""
        cache = self.app.directory.two_fa  # type: ignore[attr-defined]
        missing = cache.missing(row[U_ID] for row in rows if row[U_STATUS] != "dismissed")
        if missing:
            # After the frame that shows the rows: the first paint does not wait for these.
            self.call_after_refresh(self._start_two_fa, missing)

    def _start_two_fa(self, uids: list[str]) -> None:
        if self.is_attached:
            self.run_worker(partial(self._load_two_fa, uids), group="two-fa", exit_on_error=False)

    async def _load_two_fa(self, uids: list[str]) -> None:
        cache = self.app.directory.two_fa  # type: ignore[attr-defined]
        if await cache.load(uids):
            self.table.refresh()
        failed = [uid for uid in uids if uid in cache.errors]
        if failed and not self._two_fa_warned:
            self._two_fa_warned = True  # once per screen: scrolling must not repeat it
            self.notify(f"2FA state unavailable for {len(failed)} user(s): "
                        f"{cache.errors[failed[0]]}", severity="warning", timeout=5)
