"""``NearEndOnly``: a guard for cursor-paged (sequential) list views.

``LazyTable`` posts ``NeedRows(more=True)`` when the end-of-list slot is near the viewport. A
message posted while the first page was in flight is handled after that page has landed, and
``ListScreen`` then fetches the *next* page although the end slot is now far below the screen;
each load refreshes the table and the stale request repeats, so a cursor list loaded every page
(2,000 Tracker users for one screen; on a 100k org, a thousand requests and every audit event of
the window). This mixin re-checks, when pages are requested, that the end of what is loaded is
within two screens of the viewport (or of the cursor), and drops the request otherwise,
letting the table ask again later.
"""

from __future__ import annotations


class NearEndOnly:
    """Mix into a ``ListScreen`` with a sequential list (before ``ListScreen`` in the bases)."""

    def request_pages(self, pages: list[int]) -> None:
        """Drop a next-page request whose end-of-list slot is no longer near the screen."""
        data = self.data  # type: ignore[attr-defined]
        table = self.table  # type: ignore[attr-defined]
        if pages and data.is_sequential and data.loaded_count and not data.filtered:
            # The cursor counts too: a jump to the end may not have scrolled yet.
            reach = max(int(table.scroll_y), table.cursor) + 2 * table.page_rows + 1
            if data.view_count - 1 > reach:
                pages = []
                table.forget_requests()  # so the table asks again when the end is near
        super().request_pages(pages)  # type: ignore[misc]
