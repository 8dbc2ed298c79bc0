"""The one-line filter summary above the list, with the match count and a keyword box on ``/``.

Driven by three reactives the screen sets (attributes down): ``filters`` (the line), ``count`` (how
many threads are loaded out of how many match) and ``marked`` (threads marked for a batch). The bar
repaints only the part whose value changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

if TYPE_CHECKING:  # the bar is on the start-up screen, painted before pydantic is loaded
    from noxtui.domain.filters import FilterState


class ListCount(NamedTuple):
    """How many threads the list holds, out of how many match (``None``: not known yet).

    Compared by value, so setting the same count again repaints nothing.
    """

    loaded: int
    total: int | None
    offline: bool = False

    def describe(self) -> str:
        if self.offline:
            return f"offline · {self.loaded:,} cached"
        if self.total is None:
            return "loading…"
        if self.loaded < self.total:
            return f"{self.loaded:,}/{self.total:,} threads"
        return f"{self.total:,} thread" + ("" if self.total == 1 else "s")


class FilterBar(Horizontal):
    """Shows the active filter as one line; hosts the keyword input while the rep types."""

    filters: reactive[FilterState | None] = reactive(None, init=False)
    """The filter the list shows (the screen binds its own ``filters`` to this)."""
    count: reactive[ListCount | None] = reactive(None, init=False)
    marked: reactive[int] = reactive(0, init=False)
    """Threads marked for a batch action; 0 hides the note."""
    _keyword_before = ""
    """The keyword when ``/`` opened the box: escape goes back to it."""

    class KeywordChanged(Message):
        def __init__(self, keyword: str, final: bool) -> None:
            self.keyword = keyword
            self.final = final
            super().__init__()

    def compose(self) -> ComposeResult:
        yield Static("▼ all threads", id="filter-line", markup=False)
        yield Input(placeholder="keyword (enter to apply, esc to close)", id="keyword")
        yield Static("", id="filter-marks", markup=False)
        yield Static("", id="filter-count", markup=False)

    def watch_filters(self, state: FilterState | None) -> None:
        if state is not None:
            self.show_line(state.describe())

    def watch_count(self, count: ListCount | None) -> None:
        self.query_one("#filter-count", Static).update(count.describe() if count is not None else "")

    def watch_marked(self, count: int) -> None:
        text = f"{count} marked (l/c apply to all, u undoes)" if count else ""
        self.query_one("#filter-marks", Static).update(text)

    def show_line(self, description: str) -> None:
        """The line as given: the start-up screen's, before any ``FilterState`` exists."""
        self.query_one("#filter-line", Static).update(f"▼ {description}")

    def show_count(self, loaded: int, total: int | None, *, offline: bool = False) -> None:
        """Shorthand for setting ``count`` (the start-up screen's way in)."""
        self.count = ListCount(loaded, total, offline)

    def open_keyword(self, current: str) -> None:
        box = self.query_one("#keyword", Input)
        box.value = current
        self._keyword_before = current
        self.add_class("-typing")
        box.focus()

    def close_keyword(self) -> None:
        self.remove_class("-typing")

    def cancel_keyword(self) -> None:
        """Escape: the list goes back to the keyword it had before ``/`` (the typing filtered live)."""
        self.close_keyword()
        self.post_message(self.KeywordChanged(self._keyword_before, final=True))

    @property
    def typing(self) -> bool:
        return self.has_class("-typing")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.KeywordChanged(event.value, final=False))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close_keyword()
        self.post_message(self.KeywordChanged(event.value, final=True))
