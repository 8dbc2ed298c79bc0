"""The thread list: a virtual list that paints only the lines on screen.

DataTable, OptionList and ListView build a renderable (or a widget) per row and fall over at tens
of thousands of threads (see DESIGN.md). Here a row is a plain tuple and ``render_line`` turns only
the visible ones into strips, so 100,000 threads cost what 40 do to paint. What one line looks
like is ``thread_line.py``; this module holds the rows, the cursor and marks, and decides which
lines to paint and which painted strips to reuse.

The rows are any ``Sequence`` (``thread_rows.py``): a list, or the cache's window over a filter
result, which reads only the rows that are painted, so a million cached threads cost the list
what a screenful does.

Every key has a binding id (``list.<action>``) so a user keymap can rebind it by that name.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from noxtui.domain.rows import ThreadRow
from noxtui.domain.scrolling import top_for
from noxtui.tui.widgets.scrollbar_thumb import move_scrollbar
from noxtui.tui.widgets.thread_line import Columns, RowStyles, paint_message, paint_prose, paint_row
from noxtui.tui.widgets.thread_rows import ThreadRows


class _Paint:
    """What every line of one paint shares, read once per paint instead of once per line.

    ``rich_style`` walks every ancestor and blends colours, and the scroll offset, content width
    and clock are properties too: per line they were a large share of a page-down.
    """

    __slots__ = ("top", "width", "base", "now")

    def __init__(self, top: int, width: int, base: Style, now: datetime) -> None:
        self.top = top
        self.width = width
        self.base = base
        self.now = now


class ThreadList(ScrollView, can_focus=True):
    """One line per thread; j/k move, enter opens, space marks."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.cursor-down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.cursor-up"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="list.page-down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="list.page-up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", show=True, id="list.select"),
        Binding("space", "toggle_mark", "Mark", show=True, id="list.toggle-mark"),
        Binding("V", "mark_all", "Mark all matching", show=False, id="list.mark-all"),
    ]

    COMPONENT_CLASSES = {
        "thread-list--cursor",
        "thread-list--needs-reply",
        "thread-list--label",
        "thread-list--status",
        "thread-list--marker",
        "thread-list--empty",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to a thread (the detail pane may follow it)."""

        def __init__(self, row: ThreadRow | None) -> None:
            self.row = row
            super().__init__()

    class MarksChanged(Message):
        """The set of marked threads changed (batch actions apply to these)."""

        def __init__(self, count: int) -> None:
            self.count = count
            super().__init__()

    class Selected(Message):
        """The rep asked to open the highlighted thread."""

        def __init__(self, row: ThreadRow) -> None:
            self.row = row
            super().__init__()

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows = ThreadRows()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._strip_cache: LRUCache[tuple[int, int, bool], Strip] = LRUCache(256)
        self.marked: set[str] = set()
        self._styles: dict[tuple[Style, bool], RowStyles] = {}
        self._columns: dict[int, Columns] = {}
        self._paint: _Paint | None = None
        self._ahead_due = False
        self.paging = False
        """Past the screen's edge the cursor shows the next screenful, not the next line (over SSH:
        ``domain/scrolling.py``)."""
        self.empty_text = "No threads match this filter."
        self._problem: list[str] = []
        self.fresh: set[str] = set()
        """Threads with a new reply since the rep last looked (painted ``N``)."""
        self.unsent: set[str] = set()
        """Threads holding text the rep typed and has not saved (painted ``✎``)."""

    @property
    def problem(self) -> list[str]:
        """Why nothing can be listed (a refused token), shown in place of the rows until it is fixed."""
        return list(self._problem)

    def set_flags(self, *, fresh: set[str], unsent: set[str]) -> None:
        """Which rows carry the new-reply and unsent-text markers; repaints only on a change."""
        if fresh == self.fresh and unsent == self.unsent:
            return
        self.fresh, self.unsent = set(fresh), set(unsent)
        self._strip_cache.clear()
        self.refresh()

    def show_problem(self, lines: Sequence[str] | None) -> None:
        """Say, where the rows would be, why there are none and what to do; ``None`` clears it."""
        self._problem = list(lines or ())
        self._strip_cache.clear()
        self.refresh()

    # --- data -----------------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[ThreadRow]:
        return self._rows.rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def current(self) -> ThreadRow | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows.at(self.cursor)
        return None

    def set_rows(self, rows: Sequence[ThreadRow] | Iterable[ThreadRow], *, keep: str | None = None) -> None:
        """Replace every row; the cursor stays on thread ``keep`` when it is still listed.

        A list or a cache window is held as it is (a window is never copied); any other iterable
        is made a list.
        """
        self._rows = ThreadRows(rows)
        self._strip_cache.clear()
        self.virtual_size = Size(self.size.width, len(self._rows))
        target = (self._rows.place_of(keep) or 0) if keep else 0
        if self._rows.is_list and len(self._rows) >= 5000:
            # Tens of thousands of long-lived row tuples: keep them out of every full GC pass
            # (each would otherwise pause the UI for ~100 ms).
            gc.freeze()
        self.cursor = min(target, max(len(self._rows) - 1, 0))
        self.refresh()

    def append_rows(self, rows: Iterable[ThreadRow]) -> None:
        """Add a page at the end without moving the cursor (pages arrive while the rep reads)."""
        self._rows.append(rows)
        self.virtual_size = Size(self.size.width, len(self._rows))
        self.refresh()

    def replace_row(self, row: ThreadRow) -> None:
        """Repaint one thread in place after a write changed it."""
        position = self._rows.replace(row)
        if position is None:
            return
        self._strip_cache.clear()
        self.refresh_line(position)

    def marked_rows(self) -> list[ThreadRow]:
        """Marked threads in list order; marks on threads the filter hides are kept but not returned."""
        return self._rows.marked(self.marked)

    def clear_marks(self) -> None:
        self.marked.clear()
        self._strip_cache.clear()
        self.refresh()
        self.post_message(self.MarksChanged(0))

    def action_toggle_mark(self) -> None:
        row = self.current
        if row is None:
            return
        self.marked.symmetric_difference_update({row.thread_id})
        self._strip_cache.clear()
        self.refresh_line(self.cursor)
        self.post_message(self.MarksChanged(len(self.marked)))
        self.cursor += 1

    def action_mark_all(self) -> None:
        """Mark every thread the current filter lists; pressed again, clear the marks."""
        visible = set(self._rows.thread_ids())
        if visible and visible <= self.marked:
            self.marked -= visible
        else:
            self.marked |= visible
        self._strip_cache.clear()
        self.refresh()
        self.post_message(self.MarksChanged(len(self.marked)))

    def index_of(self, thread_id: str) -> int | None:
        return self._rows.place_of(thread_id)

    def move_to(self, thread_id: str) -> bool:
        position = self._rows.place_of(thread_id)
        if position is None:
            return False
        self.cursor = position
        return True

    # --- cursor ---------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted(self.current))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """ScrollView's watcher, except that the scrollbar is repainted only when its thumb moves
        (``scrollbar_thumb.py`` says why)."""
        if self.show_vertical_scrollbar:
            move_scrollbar(self.vertical_scrollbar, new_value)
        if round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def _scroll_cursor_into_view(self) -> None:
        if not self.paging:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)
            return
        top = round(self.scroll_offset.y)
        wanted = top_for(self.cursor, top, self.scrollable_content_region.height, paging=True)
        if wanted != top:
            self.scroll_to(y=wanted, animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 1, 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        if (row := self.current) is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: events.Click) -> None:
        line = event.y + self.scroll_offset.y
        if 0 <= line < len(self._rows):
            self.cursor = line
            if event.chain >= 2:
                self.action_select()

    def on_resize(self, event: events.Resize) -> None:
        self._strip_cache.clear()
        self.virtual_size = Size(event.size.width, len(self._rows))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip_cache.clear()
        self._styles.clear()

    def _row_styles(self, base: Style, is_cursor: bool) -> RowStyles:
        """The styles of a row, resolved once per theme change: looking up six component styles
        for each of 40 rows made a page-down cost a frame."""
        found = self._styles.get((base, is_cursor))
        if found is not None:
            return found
        style = base + self.get_component_rich_style("thread-list--cursor") if is_cursor else base
        strong = style + self.get_component_rich_style("thread-list--needs-reply", partial=True)
        if is_cursor:
            # One solid bar: accent colours on the cursor background would lose contrast.
            resolved = RowStyles(style, strong, style, style, style)
        else:
            resolved = RowStyles(
                style,
                strong,
                style + self.get_component_rich_style("thread-list--label", partial=True),
                style + self.get_component_rich_style("thread-list--status", partial=True),
                style + self.get_component_rich_style("thread-list--marker", partial=True),
            )
        self._styles[(base, is_cursor)] = resolved
        return resolved

    # --- painting -------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint with the per-paint values (``_Paint``) read once for all the lines of ``crop``."""
        self._paint = self._paint_values()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None
            if not self._ahead_due:
                self._ahead_due = True
                self.call_later(self._paint_ahead)  # runs once this frame has gone out

    def _paint_ahead(self) -> None:
        """Paint the screenful below and the one above into the strip cache between frames.

        A page key, or j held past the edge, then finds its lines already painted, and the frame
        costs only composing them (bench figure 3: page-down ~21 → ~15 ms at 100,000 threads). A
        line already cached costs a lookup, so after a cursor move this is about free.
        """
        self._ahead_due = False
        height = self.scrollable_content_region.height
        if not self._rows or self._problem or height <= 0:
            return
        self._paint = paint = self._paint_values()
        try:
            for y in (*range(height, 2 * height), *range(-1, -height - 1, -1)):
                line = paint.top + y
                if 0 <= line < len(self._rows) and (line, paint.width, line == self.cursor) not in self._strip_cache:
                    self.render_line(y)
        finally:
            self._paint = None

    def _paint_values(self) -> _Paint:
        return _Paint(self.scroll_offset.y, self.scrollable_content_region.width, self.rich_style, self._clock())

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_values()
        line = paint.top + y
        width = paint.width
        base = paint.base
        if self._problem:
            return paint_prose(self._problem, y, width, base + self.get_component_rich_style("thread-list--empty"))
        if not self._rows:
            if y == 0:
                style = base + self.get_component_rich_style("thread-list--empty")
                return paint_message(self.empty_text, width, style)
            return Strip.blank(width, base)
        if line >= len(self._rows):
            return Strip.blank(width, base)
        is_cursor = line == self.cursor
        key = (line, width, is_cursor)
        cached = self._strip_cache.get(key)
        if cached is not None:
            return cached
        row = self._rows.at(line)
        strip = paint_row(
            row,
            width,
            self._columns_at(width),
            self._row_styles(base, is_cursor),
            marked=row.thread_id in self.marked,
            now=paint.now,
            fresh=row.thread_id in self.fresh,
            unsent=row.thread_id in self.unsent,
        )
        self._strip_cache[key] = strip
        return strip

    def _columns_at(self, width: int) -> Columns:
        found = self._columns.get(width)
        if found is None:
            found = self._columns[width] = Columns(width)
        return found
