"""The status line of a list view: how much is loaded, the filter, the sort, the marks.

A mixin of ``ListScreen`` (``list_view.py``), kept apart so that file stays readable; it reads
the screen's ``data`` (a ``PagedList``), ``table``, ``COLUMNS``, ``filter_problem`` and
``sort_waiting``.
"""

from __future__ import annotations

from typing import Any

from ...api.errors import ApiError


def retryable(exc: BaseException) -> bool:
    """Whether asking again may succeed: network errors, 5xx, 429 (not a 4xx answer)."""
    status = getattr(exc, "status", None)
    if isinstance(exc, ApiError) and isinstance(status, int):
        return status >= 500 or status == 429
    return True


class ListStatus:
    """``status_text()`` for ``ListScreen``."""

    data: Any
    table: Any
    COLUMNS: Any
    filter_problem: str
    sort_waiting: int
    size: Any

    # Also read: ``loading_elsewhere()`` and ``_loading_rest()`` (``ListScreen``'s).

    def status_text(self) -> str:
        """'N of M loaded' (or 'N, more…'), the loading mark, filter, sort and marks; a filter
        or sort over a list still loading says it is partial."""
        data = self.data
        loaded = data.loaded_count
        if data.total is not None and not data.is_sequential:
            parts = [f"{loaded:,} of {data.total:,} loaded"]
        elif data.complete:
            parts = [f"{loaded:,} loaded"]
        else:
            parts = [f"{loaded:,}, more…"]
        if data.loading or self.loading_elsewhere() or self._loading_rest():  # type: ignore[attr-defined]
            parts.append("⟳ loading")
        if failed := data.failed_pages():
            again = any(retryable(e) for p in failed if (e := data.error(p)) is not None)
            parts.append(f"{len(failed)} page(s) failed" + (" (r retries)" if again else ""))
        partial_ = "" if data.complete else " so far"
        if self.filter_problem:
            parts.append(f"filter: {self.filter_problem}")
        query_at = -1
        if data.query:
            count = len(data.index or [])
            query_at = len(parts)
            parts.append(f"{count:,} match{'' if count == 1 else 'es'}{partial_} · filter "
                         f"“{data.query}”")
            if data.pending:
                parts.append(f"{self._pending_names()}: {len(data.pending):,} to fetch")
        if self.table.sort_column is not None:
            arrow = "▼" if self.table.sort_reverse else "▲"
            label = self.COLUMNS[self.table.sort_column].label
            if self.sort_waiting:
                parts.append(f"sorted by {label} {arrow} — {self.sort_waiting:,} {label} "
                             "values to fetch…")
            elif data.complete:
                parts.append(f"sorted by {label} {arrow}")
            else:
                parts.append(f"sorted {loaded:,}{self._of_total()} by {label} {arrow} — loading…")
        if self.table.marked:
            parts.append(f"{len(self.table.marked)} marked")
        return self._fit("  ·  ".join(parts), data.query, query_at >= 0)

    def _fit(self, text: str, query: str, has_query: bool) -> str:
        """The status line, its filter text cut in the middle when the line is wider than the
        screen: the counts, the sort and the marks stay readable at 80 columns."""
        over = len(text) - (self.size.width - 2)
        if over <= 0 or not has_query or self.size.width <= 0:
            return text
        keep = max(8, len(query) - over - 1)
        if keep >= len(query):
            return text
        head = (keep + 1) // 2
        short = query[:head] + "…" + query[len(query) - (keep - head):]
        return text.replace(f"“{query}”", f"“{short}”", 1)

    def _of_total(self) -> str:
        total = self.data.total
        return f" of {total:,}" if total is not None and not self.data.is_sequential else ""

    def _pending_names(self) -> str:
        query = self.data.structured
        names = [f.label for f in query.lookup_fields] if query is not None else []
        return ", ".join(names)
