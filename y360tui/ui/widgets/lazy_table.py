"""``LazyTable``: a Line-API table over a ``PagedList`` that renders only the rows on screen.

Why not ``DataTable``: it stores every cell in Python dicts and measures each one as rows are
added (2.2 s for 100k rows here, and ~0.9 s per filter keystroke). This widget keeps no copy of
the data: ``render_line(y)`` asks the ``PagedList`` for the row shown at line ``y`` and formats
only that row, through the ``cells(row)`` function the screen supplies. Filtering and sorting are
index operations of the ``PagedList`` (one substring test per loaded row, on change only).

What a screen gets:

- ``NeedRows(first, last, more)``: rows on screen or within one screen below have not arrived
  (``first``/``last`` are list positions, -1 if none; ``more``: the end-of-list "more" slot is
  that close). The
  screen starts a worker and calls ``refresh_rows()`` when pages land.
- ``RowsShown(positions)``: the loaded list positions now on screen (for per-row lookups such as
  a user's 2FA state, which must be fetched only for the rows an admin looks at).
- ``Activated(position, row)``: Enter (or a double click) on a loaded row.
- ``MarksChanged(count)``: space toggled a mark (marks are list positions, for bulk actions).
  A marked row starts with ``✓`` as well as taking the mark colour (``NO_COLOR`` shows it).

Columns have a preferred width and a priority; on a narrow terminal the least important columns
are dropped (priority 0 always stays), spare width goes to ``flex`` columns.

Rendering cost per frame is O(rows on screen): component styles are looked up once and kept until
Textual says the styles changed (``notify_style_update``), and each row's ``Strip`` is cached by
list position and reused while its cells, cursor and mark state and the width are the same (the
cells are compared, so a 2FA state that arrives or an edited row is redrawn without any explicit
invalidation). Strips are built at the full content width, so Textual need not pad them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...data.paged import PagedList, PageState

SEPARATOR = " "
MARK = "✓ "  # before the first cell of a marked row
FIRST_GROW = 8  # cells each growing column gets before any gets more (see ``layout``)
# Characters that may take other than one cell (wide East Asian, emoji, combining marks,
# zero-width). Latin and Cyrillic text has none, so its width is its length: a C-speed regex
# search instead of Rich's per-character width table.
_MAYBE_NOT_ONE_CELL = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1100-\u115f\u200b-\u200f\u2600-\u27bf\u2e80-\U0010ffff]")


@dataclass(frozen=True)
class Column:
    """One table column.

    ``width``: preferred width in cells. ``priority``: 0 = always shown; higher numbers are
    dropped first when the table is narrow. ``flex``: takes a share of spare width.
    ``grow``: cells it may widen by on a wide table, before flex columns take the rest (so an
    IPv6 address or a long login is not cut while space is free).
    ``sort_key``: how to order rows by this column (default: the cell text, case-folded).
    """

    label: str
    width: int
    priority: int = 0
    flex: bool = False
    grow: int = 0
    align_right: bool = False
    sort_key: Callable[[Any], Any] | None = None


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` cut with an ellipsis or padded to exactly ``width`` cells."""
    slow = not text.isascii() and _MAYBE_NOT_ONE_CELL.search(text) is not None
    length = cell_len(text) if slow else len(text)
    if length > width:
        if width <= 1:
            return set_cell_size(text, width)
        if not slow:
            return text[: width - 1] + "…"
        return set_cell_size(text, width - 1) + "…"
    if right:
        return " " * (width - length) + text
    return text + " " * (width - length)


def min_width(column: Column) -> int:
    """How narrow a flex column may get to make room for a must-have (priority 0) one."""
    return column.width if not column.flex else max(6, column.width * 2 // 3)


def layout(columns: Sequence[Column], width: int) -> list[tuple[int, int]]:
    """Which columns fit in ``width`` cells and how wide each is: ``[(column index, width)]``
    in column order.

    Columns are taken by value (priority, then position) while they fit. A must-have column
    (priority 0) that does not fit narrows the flex columns already taken (down to
    ``min_width``) rather than give way; once a column is left out, no column of less value
    is shown (a narrow Users view keeps Status, not 2FA and Admin instead of it)."""
    order = sorted(range(len(columns)), key=lambda i: (columns[i].priority, i))
    chosen: list[int] = []
    widths: dict[int, int] = {}
    used = 0
    dropped: int | None = None  # the most valuable priority left out so far
    for i in order:
        column = columns[i]
        if dropped is not None and column.priority > dropped:
            continue
        need = column.width + (len(SEPARATOR) if chosen else 0)
        over = used + need - width
        if over > 0 and (chosen or column.priority > 0):
            slack = sum(widths[j] - min_width(columns[j]) for j in chosen)
            if column.priority > 0 or over > slack:
                dropped = column.priority  # ``order`` ascends: the first one dropped counts
                continue
            # Narrow the flex columns, the one with most room first, a cell at a time.
            for _ in range(over):
                j = max(chosen, key=lambda k: widths[k] - min_width(columns[k]))
                widths[j] -= 1
            used -= over
        chosen.append(i)
        widths[i] = column.width
        used += need
    chosen.sort()
    spare = width - used
    flex = [i for i in chosen if columns[i].flex]
    flexible = flex or chosen[-1:]  # with no flex column, the last one takes what is left
    # Flex columns may first double; only a wide table's spare beyond that lets columns grow.
    growable = spare - sum(widths[i] for i in flex)
    # Two rounds, by priority: first every growing column gets up to FIRST_GROW cells (a
    # short service name is not cut while a long type takes all), then the rest of its grow.
    by_priority = sorted(chosen, key=lambda i: (columns[i].priority, i))
    for cap in (FIRST_GROW, None):
        for i in by_priority:
            want = columns[i].grow - (widths[i] - columns[i].width)
            if cap is not None:
                want = min(want, cap)
            extra = min(want, max(0, growable))
            widths[i] += extra
            growable -= extra
            spare -= extra
    for n, i in enumerate(flexible):
        share = spare // len(flexible) + (1 if n < spare % len(flexible) else 0)
        widths[i] += max(0, share)
    return [(i, widths[i]) for i in chosen]


# Rows whose strips are kept (a few screens' worth: scrolling back is free, memory is bounded).
_STRIP_CACHE_ROWS = 512


class LazyTable(ScrollView, can_focus=True):
    """A keyboard-first table over a ``PagedList`` (see the module docstring)."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "activate", "Open"),
        Binding("space", "toggle_mark", "Mark", show=False),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]

    COMPONENT_CLASSES = {
        "lazy-table--header",
        "lazy-table--cursor",
        "lazy-table--mark",
        "lazy-table--placeholder",
        "lazy-table--error",
    }

    class NeedRows(Message):
        """Rows ``first..last`` (list positions) or the "more" slot are on screen but missing."""

        def __init__(self, table: LazyTable, first: int, last: int, more: bool) -> None:
            super().__init__()
            self.table = table
            self.first = first
            self.last = last
            self.more = more

        @property
        def control(self) -> LazyTable:
            """The table that needs rows."""
            return self.table

    class RowsShown(Message):
        """The loaded list positions now on screen."""

        def __init__(self, table: LazyTable, positions: list[int]) -> None:
            super().__init__()
            self.table = table
            self.positions = positions

        @property
        def control(self) -> LazyTable:
            """The table showing the rows."""
            return self.table

    class Activated(Message):
        """Enter on a loaded row."""

        def __init__(self, table: LazyTable, position: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.position = position
            self.row = row

        @property
        def control(self) -> LazyTable:
            """The table whose row was activated."""
            return self.table

    class Sorted(Message):
        """The rows were ordered by another column (None: the list's own order)."""

        def __init__(self, table: LazyTable, column: int | None, reverse: bool) -> None:
            super().__init__()
            self.table = table
            self.column = column
            self.reverse = reverse

        @property
        def control(self) -> LazyTable:
            """The table that was sorted."""
            return self.table

    class MarksChanged(Message):
        """The set of marked rows changed."""

        def __init__(self, table: LazyTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> LazyTable:
            """The table whose marks changed."""
            return self.table

    def __init__(self, columns: Sequence[Column], data: PagedList[Any],
                 cells: Callable[[Any], Sequence[str]], *, placeholder: str = "loading…",
                 empty: str = "nothing here", name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.data = data
        self.cells = cells
        self.placeholder = placeholder
        self.empty = empty
        self.cursor = 0
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.marked: set[int] = set()
        # Space marks rows only where something acts on marked rows (a bulk edit).
        self.markable = False
        self._layout: list[tuple[int, int]] = []
        self._layout_width = -1
        self._styles: dict[str, Style] = {}
        self._width = 0  # width for the columns, read once per frame in render_lines
        self._line_width = 0  # full content width (the scrollbar's column included)
        # list position -> (cells, cursor?, marked?, strip); bounded by _STRIP_CACHE_ROWS
        self._strips: dict[int, tuple[Sequence[str], bool, bool, Strip]] = {}
        self._header_strip: tuple[tuple[Any, ...], Strip] | None = None
        self._last_need: tuple[int, int, bool, int] | None = None
        self._last_shown: tuple[int, int, int] | None = None  # first, last, count

    # ------------------------------------------------------------------ geometry

    @property
    def page_rows(self) -> int:
        """Data rows that fit on screen (the header takes one line)."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def visible_columns(self) -> list[tuple[int, int]]:
        """``[(column index, width)]`` of the columns shown at the current width."""
        width = self._width or self.scrollable_content_region.width
        if width != self._layout_width:
            self._layout = layout(self.columns, width)
            self._layout_width = width
        return self._layout

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(0, self.data.view_count + 1)

    def on_mount(self) -> None:
        """Size the scroll range to the data."""
        self._update_virtual_size()
        self.call_after_refresh(self.check_rows)

    def on_resize(self, event: events.Resize) -> None:
        """Re-lay the columns and ask for rows the bigger window shows."""
        self._layout_width = -1
        self._scroll_cursor_into_view()
        self.call_after_refresh(self.check_rows)

    # ------------------------------------------------------------------ data changes

    def refresh_rows(self) -> None:
        """Redraw after pages arrived or the view changed; keeps the cursor in range."""
        self._update_virtual_size()
        count = self.data.view_count
        if self.cursor >= count:
            self.cursor = max(0, count - 1)
        self.refresh()
        self.check_rows()

    def set_filter(self, text: str) -> None:
        """Filter the rows (substring of the pre-lowered search key); keeps the cursor row."""
        keep = self.cursor_index
        self.data.set_query(text)
        self._after_view_change(keep)

    def set_query(self, query: Any) -> None:
        """Filter the rows by a parsed ``data.query.Query``; keeps the cursor row."""
        keep = self.cursor_index
        self.data.set_filter(query)
        self._after_view_change(keep)

    def sort_by(self, column: int | None, reverse: bool = False) -> None:
        """Order loaded rows by ``column`` (None = the list's own order); the cursor goes to
        the top of the new order."""
        self.sort_column = column
        self.sort_reverse = reverse
        self.data.set_sort(self._sort_key(column) if column is not None else None, reverse)
        self._after_view_change(-1)
        self.post_message(self.Sorted(self, column, reverse))

    def resort(self) -> None:
        """Sort again by the same column (values it sorts on arrived); the cursor stays on
        the same view position."""
        if self.sort_column is not None:
            self.data.set_sort(self._sort_key(self.sort_column), self.sort_reverse)
            self.refresh_rows()

    def _sort_key(self, column: int) -> Callable[[Any], Any]:
        key = self.columns[column].sort_key
        if key is not None:
            return key
        cells = self.cells
        return lambda row: cells(row)[column].casefold()

    def _after_view_change(self, keep: int) -> None:
        """Keep the cursor on list position ``keep`` if still shown, else go to the top."""
        pos = self.data.view_pos(keep) if keep >= 0 else None
        self.cursor = pos if pos is not None else 0
        self._update_virtual_size()
        if pos is None:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_cursor_into_view(center=pos is not None)
        self.refresh()
        self.check_rows()

    # ------------------------------------------------------------------ cursor

    @property
    def cursor_index(self) -> int:
        """The list position under the cursor (-1 on a placeholder)."""
        if self.data.view_count == 0:
            return -1
        return self.data.view_row(self.cursor)

    @property
    def cursor_item(self) -> Any:
        """The row under the cursor, or None if it has not arrived."""
        index = self.cursor_index
        return self.data.row(index) if index >= 0 else None

    def move_cursor(self, pos: int) -> None:
        """Put the cursor on view position ``pos`` (clamped) and scroll it into view."""
        count = self.data.view_count
        pos = max(0, min(pos, count - 1)) if count else 0
        if pos == self.cursor:
            return
        old = self.cursor
        self.cursor = pos
        if not self._scroll_cursor_into_view():
            self._refresh_line(old)
            self._refresh_line(pos)
        self.check_rows()

    def restore_cursor(self, index: int) -> None:
        """Put the cursor on list position ``index`` if it is shown."""
        pos = self.data.view_pos(index)
        if pos is not None:
            self.move_cursor(pos)

    def _refresh_line(self, pos: int) -> None:
        y = pos - int(self.scroll_y) + 1
        region = self.scrollable_content_region
        if 1 <= y < region.height:
            self.refresh(Region(0, y, region.width, 1))

    def _scroll_cursor_into_view(self, center: bool = False) -> bool:
        """Scroll so the cursor is visible; True if the view scrolled."""
        top = int(self.scroll_y)
        rows = self.page_rows
        if top <= self.cursor < top + rows and not center:
            return False
        target = self.cursor - rows // 2 if center else (
            self.cursor if self.cursor < top else self.cursor - rows + 1)
        height = self.scrollable_content_region.height
        target = max(0, min(target, self.data.view_count + 1 - height))
        if target == top:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Scrolling (keys, wheel, scrollbar) may reveal rows that are still missing."""
        super().watch_scroll_y(old, new)
        self.check_rows()

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        """Move the cursor one screen up."""
        self.move_cursor(self.cursor - self.page_rows)

    def action_page_down(self) -> None:
        """Move the cursor one screen down."""
        self.move_cursor(self.cursor + self.page_rows)

    def action_first(self) -> None:
        """Move the cursor to the first row."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Move the cursor to the last row (loading the pages it shows)."""
        self.move_cursor(self.data.view_count - 1)

    def action_activate(self) -> None:
        """Open the row under the cursor."""
        row = self.cursor_item
        if row is not None:
            self.post_message(self.Activated(self, self.cursor_index, row))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space (mark) only in a table whose marks something uses."""
        if action == "toggle_mark" and not self.markable:
            return False
        return super().check_action(action, parameters)

    def action_toggle_mark(self) -> None:
        """Mark or unmark the row under the cursor, then move down."""
        index = self.cursor_index
        if not self.markable or index < 0 or self.data.row(index) is None:
            return
        self.marked.symmetric_difference_update({index})
        self.post_message(self.MarksChanged(self, len(self.marked)))
        self._refresh_line(self.cursor)
        self.move_cursor(self.cursor + 1)

    def marked_items(self) -> list[Any]:
        """The marked rows, in list order."""
        return [r for i in sorted(self.marked) if (r := self.data.row(i)) is not None]

    def clear_marks(self) -> None:
        """Unmark every row."""
        self.marked.clear()
        self.post_message(self.MarksChanged(self, 0))
        self.refresh()

    def action_sort_next(self) -> None:
        """Sort by the next column shown (after the last one: back to the list order)."""
        shown = [i for i, _ in self.visible_columns]
        if self.sort_column is None:
            self.sort_by(shown[0] if shown else None)
        elif self.sort_column in shown and shown.index(self.sort_column) + 1 < len(shown):
            self.sort_by(shown[shown.index(self.sort_column) + 1], self.sort_reverse)
        else:
            self.sort_by(None)

    def action_sort_reverse(self) -> None:
        """Reverse the sort order (sorting by the first column if unsorted)."""
        column = self.sort_column
        if column is None:
            column = self.visible_columns[0][0] if self.visible_columns else 0
        self.sort_by(column, not self.sort_reverse)

    # ------------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        """Header click sorts (again: reverses); a row click moves the cursor there."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                reverse = not self.sort_reverse if column == self.sort_column else False
                self.sort_by(column, reverse)
            return
        self.move_cursor(int(self.scroll_y) + offset.y - 1)
        if event.chain >= 2:
            self.action_activate()

    def _column_at(self, x: int) -> int | None:
        left = 0
        for i, width in self.visible_columns:
            if left <= x < left + width + len(SEPARATOR):
                return i
            left += width + len(SEPARATOR)
        return None

    # ------------------------------------------------------------------ lazy loading

    def check_rows(self) -> None:
        """Post ``NeedRows`` for missing rows on screen or within one screen below it, and
        ``RowsShown`` for the loaded rows on screen (each only when its answer changed)."""
        if not self.is_mounted:
            return
        data = self.data
        top = int(self.scroll_y)
        count = data.view_count
        bottom = min(count, top + self.page_rows) - 1
        ahead = min(count - 1, bottom + self.page_rows + 1)
        missing: list[int] = []
        more = False
        shown: list[int] = []
        for pos in range(top, ahead + 1):
            index = data.view_row(pos)
            if index < 0:
                more = True
            elif data.row(index) is None:
                missing.append(index)
            elif pos <= bottom:
                shown.append(index)
        if missing or more:
            first = min(missing) if missing else -1
            last = max(missing) if missing else -1
            need = (first, last, more, data.loaded_count)
            if need != self._last_need:
                self._last_need = need
                self.post_message(self.NeedRows(self, first, last, more))
        shown_key = (shown[0], shown[-1], len(shown)) if shown else None
        if shown and shown_key != self._last_shown:
            self._last_shown = shown_key
            self.post_message(self.RowsShown(self, shown))

    def forget_requests(self) -> None:
        """Ask again for missing rows on the next check (after workers were cancelled)."""
        self._last_need = None
        self._last_shown = None

    # ------------------------------------------------------------------ rendering

    def notify_style_update(self) -> None:
        """Styles changed (theme, focus, CSS): look them up again, redraw every row."""
        super().notify_style_update()
        self._styles = {}
        self._forget_strips()

    def _forget_strips(self) -> None:
        self._strips.clear()
        self._header_strip = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """Read the styles and widths once per frame, not once per line."""
        if not self._styles:
            self._styles = {
                name: self.get_component_rich_style(name, partial=True)
                for name in self.COMPONENT_CLASSES
            }
            self._styles["base"] = self.rich_style
        width = self.scrollable_content_region.width
        line_width = max(width, self.content_region.width)
        if (width, line_width) != (self._width, self._line_width):
            self._width, self._line_width = width, line_width
            self._forget_strips()
        if len(self._strips) > _STRIP_CACHE_ROWS:
            self._strips.clear()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; line ``y`` shows view position ``scroll_y + y - 1``."""
        width = self._width or self.scrollable_content_region.width
        line_width = max(width, self._line_width)
        base = self._styles.get("base") or self.rich_style
        if y == 0:
            return self._header(width, line_width, base)
        pos = int(self.scroll_y) + y - 1
        data = self.data
        count = data.view_count
        if pos >= count:
            if pos == 0 and data.complete:
                text = fit(self.empty if not data.query else "no rows match the filter",
                           line_width)
                return Strip([Segment(text, base + self._style("lazy-table--placeholder"))],
                             line_width)
            return Strip.blank(line_width, base)
        index = data.view_row(pos)
        row = data.row(index) if index >= 0 else None
        on_cursor = pos == self.cursor
        if row is None:
            text, style = self._placeholder(index)
            style = base + style
            if on_cursor:
                style += self._style("lazy-table--cursor")
            return Strip([Segment(fit(text, line_width), style)], line_width)
        return self._row_strip(index, row, on_cursor, width, line_width, base)

    def _row_strip(self, index: int, row: Any, on_cursor: bool, width: int, line_width: int,
                   base: Style) -> Strip:
        """The strip of a loaded row, from the cache when nothing it shows has changed."""
        cells = self.cells(row)
        marked = index in self.marked
        cached = self._strips.get(index)
        if cached is not None and cached[1] == on_cursor and cached[2] == marked \
                and cached[0] == cells:
            return cached[3]
        text = self._format(cells, width, marked)
        if line_width > width:
            text += " " * (line_width - width)
        style = base
        if marked:
            style += self._style("lazy-table--mark")
        if on_cursor:
            style += self._style("lazy-table--cursor")
        strip = Strip([Segment(text, style)], line_width)
        self._strips[index] = (cells, on_cursor, marked, strip)
        return strip

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def _placeholder(self, index: int) -> tuple[str, Style]:
        data = self.data
        page = data.page_of(index) if index >= 0 else data.next_missing_page()
        if page is not None and data.state(page) is PageState.FAILED:
            error = data.error(page)
            reason = getattr(error, "message", "") or str(error)
            status = getattr(error, "status", None)
            if isinstance(status, int) and 400 <= status < 500 and status != 429:
                # The same request would get the same answer: no "retry" (the notification
                # says what to fix).
                return (f"  page {page + 1} failed: {status}: {reason}",
                        self._style("lazy-table--error"))
            return (f"  page {page + 1} failed — press r to retry ({reason})",
                    self._style("lazy-table--error"))
        return f"  {self.placeholder}", self._style("lazy-table--placeholder")

    def _format(self, cells: Sequence[str], width: int, marked: bool = False) -> str:
        parts = [fit(cells[i], w, self.columns[i].align_right) for i, w in self.visible_columns]
        if marked and parts:  # a glyph, not only a colour: marks show with NO_COLOR too
            i, w = self.visible_columns[0]
            parts[0] = fit(MARK + cells[i], w, self.columns[i].align_right)
        return fit(SEPARATOR.join(parts), width)

    def _header(self, width: int, line_width: int, base: Style) -> Strip:
        state = (width, line_width, self.sort_column, self.sort_reverse)
        if self._header_strip is not None and self._header_strip[0] == state:
            return self._header_strip[1]
        parts = []
        for i, w in self.visible_columns:
            label = self.columns[i].label
            if i == self.sort_column:
                label = f"{label} {'▼' if self.sort_reverse else '▲'}"
            parts.append(fit(label, w, self.columns[i].align_right))
        text = fit(SEPARATOR.join(parts), width) + " " * (line_width - width)
        strip = Strip([Segment(text, base + self._style("lazy-table--header"))], line_width)
        self._header_strip = (state, strip)
        return strip
