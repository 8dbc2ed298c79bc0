"""The inbox as the cache last saw it, on screen while the rest of the app loads.

Shown for the few hundred milliseconds between the first frame and a ready ``InboxScreen`` (see
``noxtui.startup``): the same layout, the newest rows of the unfiltered list, the filter bar saying
it is still loading. It imports nothing beyond Textual and the list widget, which is the point.
The list moves at once (j/k, page up/down, first row): that needs nothing but the list widget.
Every other key is held by the app and replayed on the inbox, so a fast typist loses nothing; the
inbox then takes over at the same cursor and scroll position (``ListPosition``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from noxtui.domain.rows import ThreadRow
from noxtui.tui.widgets.filter_bar import FilterBar
from noxtui.tui.widgets.thread_list import ThreadList

NAVIGATION_KEYS = frozenset({"j", "down", "k", "up", "pagedown", "ctrl+f", "pageup", "ctrl+b", "g", "home"})
"""Keys the start-up list acts on itself (``ThreadList``'s bindings that stay within the rows it
has). Not ``G``/end (the last thread is not loaded yet) nor enter/space (they need the inbox)."""

NARROW_WIDTH = 100
"""Below this many columns the list and the reading pane take turns instead of sharing the row
(here and on ``InboxScreen``)."""


@dataclass(frozen=True)
class ListPosition:
    """The thread under the cursor and the list's scroll offset."""

    thread_id: str
    scroll_y: int


class BootScreen(Screen[None]):
    DEFAULT_CLASSES = "inbox-layout"

    def __init__(self, rows: list[ThreadRow], *, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.rows = rows
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter-bar")
        with Horizontal(id="body"):
            yield ThreadList(clock=self.clock, id="threads")
            with Vertical(id="reading"):
                yield Static("Loading the inbox…", id="boot-reading", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        bar = self.query_one(FilterBar)
        bar.show_line("all threads")
        bar.show_count(len(self.rows), None)
        listing = self.query_one(ThreadList)
        listing.empty_text = "Loading…"
        listing.set_rows(self.rows)
        listing.focus()

    def position(self) -> ListPosition | None:
        listing = self.query_one(ThreadList)
        row = listing.current
        return ListPosition(row.thread_id, int(listing.scroll_offset.y)) if row is not None else None

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
