"""The inbox as the cache last saw it, on screen while the rest of the app loads.

Shown for the few hundred milliseconds between the first frame and a ready ``InboxScreen`` (see
``noxtui.startup``): the same layout, the newest rows of the unfiltered list, the filter bar saying
it is still loading. It imports nothing beyond Textual and the list widget, which is the point.
The list moves at once (j/k, page up/down, first row): that needs nothing but the list widget.
Every other key is held (``StartKeys``) and replayed on the inbox, so a fast typist loses nothing;
the inbox then takes over at the same cursor and scroll position (``ListPosition``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from noxtui.domain.rows import ThreadRow
from noxtui.tui.widgets.filter_bar import FilterBar
from noxtui.tui.widgets.thread_list import ThreadList

NAVIGATION_ACTIONS = frozenset({"cursor_down", "cursor_up", "page_down", "page_up", "first"})
"""What the start-up list does itself (``ThreadList`` actions that stay within the rows it has),
on whatever keys the keymap gives them. Not ``last`` (the last thread is not loaded yet) nor
open/mark (they need the inbox)."""

QUIT_KEYS = frozenset({"ctrl+q", "ctrl+c"})
"""Never held while ``prepare`` runs: a rep who wants out must get out even if the start hangs (a
keyring prompt, a dead sandbox). Held only for the moment the inbox replaces the start-up screen,
when quitting would take apart widgets that are still being put together."""

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

    def moves_on(self, key: str) -> bool:
        """Whether ``key`` moves through the start-up list (read from the live, remapped bindings)."""
        active = self.active_bindings.get(key)
        return active is not None and active.binding.action in NAVIGATION_ACTIONS

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")


class StartKeys:
    """What happens to the keys a rep presses before the inbox is up.

    Quit, and moving through the start-up list, act at once; the rest is held and replayed in the
    order typed once the inbox is up. Once one key is held every later one is too, so keys still
    act in order (a ``j`` after a held ``n`` must move through the filtered list, not the first
    one). Nothing acts while the inbox replaces the start-up screen (``switching``).
    """

    def __init__(self) -> None:
        self.held: list[Key] = []
        self.switching = False

    def hold(self, event: Key, screen: Screen[Any]) -> bool:
        """Keep ``event`` for later unless it acts now; ``True`` when it was kept."""
        if self._acts_now(event.key, screen):
            return False
        self.held.append(event)
        return True

    def _acts_now(self, key: str, screen: Screen[Any]) -> bool:
        if self.switching:
            return False
        if key in QUIT_KEYS:
            return True
        return not self.held and isinstance(screen, BootScreen) and screen.moves_on(key)

    def release(self) -> list[Key]:
        """The held keys, oldest first, as fresh events (the originals were consumed)."""
        held, self.held = self.held, []
        return [Key(event.key, event.character) for event in held]
