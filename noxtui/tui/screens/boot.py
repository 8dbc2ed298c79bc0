"""The inbox as the cache last saw it, live while the rest of the app loads.

Shown for the few hundred milliseconds between the first frame and a ready ``InboxScreen`` (see
``noxtui.startup``): the same layout, the newest cached rows, the count still loading. It imports
nothing beyond Textual, the list widget and the cache's stdlib reader (``quick_filter``), which is
the point, yet the keys a rep presses first act at once: the list moves (j/k, page up/down, first
row) and the needs-reply and direction toggles and the keyword (``/``) filter the cached rows.
Enter says "Opening…" at once and is held: the conversation needs the inbox. Every other key is
held (``StartKeys``) and replayed on the inbox, which takes over with the same filter, keyword,
cursor and scroll (``ListPosition``), so a fast typist loses nothing and nothing acts twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from noxtui.domain.rows import ThreadRow
from noxtui.domain.scrolling import pages
from noxtui.storage.cache.quick_filter import QuickFilter, QuickReader
from noxtui.tui.widgets.filter_bar import FilterBar
from noxtui.tui.widgets.thread_list import ThreadList

if TYPE_CHECKING:
    from noxtui.domain.filters import FilterState
    from noxtui.startup import Startup

NAVIGATION_ACTIONS = frozenset({"cursor_down", "cursor_up", "page_down", "page_up", "first"})
"""What the start-up list does itself (``ThreadList`` actions that stay within the rows it has),
on whatever keys the keymap gives them. Not ``last`` (the last thread is not loaded yet) nor
mark (it needs the inbox)."""

FILTER_ACTIONS = frozenset({"cycle_needs_reply", "cycle_direction", "keyword"})
"""What the start-up screen answers from the cache itself (its own bindings, the inbox's ids)."""

OPEN_ACTION = "select"
"""The list's enter: held for the inbox, but the start-up screen says "Opening…" at once."""

QUIT_KEYS = frozenset({"ctrl+q", "ctrl+c"})
"""Never held while ``prepare`` runs: a rep who wants out must get out even if the start hangs (a
keyring prompt, a dead sandbox). Held only for the moment the inbox replaces the start-up screen,
when quitting would take apart widgets that are still being put together."""

NARROW_WIDTH = 100
"""Below this many columns the list and the reading pane take turns instead of sharing the row
(here and on ``InboxScreen``)."""

FIRST_PAGE_ROWS = 200
"""Rows read for the start-up screen: more than any terminal shows, a sliver of a big inbox."""


@dataclass(frozen=True)
class ListPosition:
    """Where the rep left the start-up list: the thread under the cursor, the scroll offset, and
    the filter (needs reply, direction, keyword; ``typing``: the keyword box was still open)."""

    thread_id: str | None
    scroll_y: int
    needs_reply: str = "any"
    direction: str = "any"
    keyword: str = ""
    typing: bool = False

    @property
    def filtered(self) -> bool:
        return (self.needs_reply, self.direction, self.keyword) != ("any", "any", "")

    def filter_state(self) -> FilterState:
        """The inbox's filter for it (imported here: pydantic is loaded by the time the inbox asks)."""
        from noxtui.domain.filters import FilterState

        return FilterState(needs_reply=self.needs_reply, direction=self.direction, keyword=self.keyword)  # type: ignore[arg-type]


class BootScreen(Screen[None]):
    DEFAULT_CLASSES = "inbox-layout"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The inbox's ids, so a [keymap] entry moves the key on both screens.
        Binding("n", "cycle_needs_reply", "Needs reply", id="inbox.cycle-needs-reply"),
        Binding("d", "cycle_direction", "Direction", id="inbox.cycle-direction"),
        Binding("slash", "keyword", "Search", id="inbox.keyword"),
        Binding("escape", "back", "Back", show=False, id="inbox.back"),
    ]

    def __init__(
        self,
        rows: list[ThreadRow],
        *,
        clock: Callable[[], datetime],
        reader: QuickReader | None = None,
        state: QuickFilter | None = None,
        total: int | None = None,
        cursor: int = 0,
        top: int = 0,
        paging: bool = False,
    ) -> None:
        """``reader``: the cache, for the filters (none: they wait for the inbox like any key);
        ``state``, ``total``, ``cursor`` and ``top``: where the frame before Textual left the rep."""
        super().__init__()
        self.rows = rows
        self.clock = clock
        self.reader = reader
        self.state = state or QuickFilter()
        self._total = total
        self._start = (cursor, top)
        self.paging = paging

    @classmethod
    def for_startup(cls, startup: Startup, label: str, *, clock: Callable[[], datetime], use_cache: bool) -> BootScreen:
        """The start-up screen of a command-line start: where the early frame left off, or the
        newest cached rows of the profile's own account (none when that is unknown)."""
        early = startup.early
        paging = pages(startup.scroll, os.environ)
        if early is not None:
            return cls(
                early.rows, clock=clock, reader=early.reader, state=early.filter, total=early.total,
                cursor=early.cursor, top=early.top, paging=paging,
            )  # fmt: skip
        reader = None
        if use_cache and startup.provider_name and startup.base_url:
            from noxtui.storage.cache.scope import CacheScope

            scope = CacheScope.of(startup.provider_name, startup.base_url, label)
            reader = QuickReader.open(startup.paths.cache_db, scope)
        page = reader.page(QuickFilter(), FIRST_PAGE_ROWS) if reader is not None else None
        return cls(page.rows if page else [], clock=clock, reader=reader, paging=paging)

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter-bar")
        with Horizontal(id="body"):
            yield ThreadList(clock=self.clock, id="threads")
            with Vertical(id="reading"):
                yield Static("Loading the inbox…", id="boot-reading", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        listing = self.query_one(ThreadList)
        listing.empty_text = "Loading…"
        listing.paging = self.paging
        self._show(self.rows, self._total)
        cursor, top = self._start
        if cursor or top:
            listing.cursor = min(cursor, max(len(self.rows) - 1, 0))
            self.call_after_refresh(lambda: listing.scroll_to(y=top, animate=False, immediate=True))
        listing.focus()

    def _show(self, rows: list[ThreadRow], total: int | None) -> None:
        """Rows and the filter line; the count is known once filtered (unfiltered: still loading)."""
        self.rows = rows
        bar = self.query_one(FilterBar)
        bar.show_line(self.state.describe())
        bar.show_count(len(rows), total if not self.state.is_empty else None)
        self.query_one(ThreadList).set_rows(rows)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in FILTER_ACTIONS:
            return self.reader is not None
        return True

    def _apply(self, state: QuickFilter) -> None:
        if self.reader is None or state == self.state:
            return
        page = self.reader.page(state, FIRST_PAGE_ROWS)
        if page is None:  # the file failed under us: the inbox will say why; keep what is shown
            return
        self.state = state
        self._show(page.rows, page.total)

    def action_cycle_needs_reply(self) -> None:
        self._apply(self.state.cycle_needs_reply())

    def action_cycle_direction(self) -> None:
        self._apply(self.state.cycle_direction())

    def action_keyword(self) -> None:
        self.query_one(FilterBar).open_keyword(self.state.keyword)

    def action_back(self) -> None:
        bar = self.query_one(FilterBar)
        if bar.typing:
            bar.cancel_keyword()

    @on(FilterBar.KeywordChanged)
    def _keyword_changed(self, event: FilterBar.KeywordChanged) -> None:
        self._apply(self.state.with_keyword(event.keyword))
        if event.final:
            self.query_one(ThreadList).focus()

    @property
    def typing(self) -> bool:
        """The keyword box has the keys (every key but quit goes to it)."""
        return self.query_one(FilterBar).typing

    def position(self) -> ListPosition:
        listing = self.query_one(ThreadList)
        row = listing.current
        state = self.state
        return ListPosition(
            row.thread_id if row is not None else None, int(listing.scroll_offset.y),
            state.needs_reply, state.direction, state.keyword, self.typing,
        )  # fmt: skip

    def action_of(self, key: str) -> str | None:
        """The action ``key`` has here (read from the live, remapped bindings), if any."""
        active = self.active_bindings.get(key)
        return active.binding.action if active is not None else None

    def acts_on(self, key: str) -> bool:
        """Whether ``key`` acts on the start-up screen itself: it moves the list or filters it."""
        if self.typing:
            return True
        action = self.action_of(key)
        if action in FILTER_ACTIONS:
            return self.reader is not None
        return action in NAVIGATION_ACTIONS

    def opening(self) -> None:
        """Enter was held for the inbox: say so at once, on the thread under the cursor."""
        row = self.query_one(ThreadList).current
        if row is not None:
            self.query_one("#boot-reading", Static).update(f"Opening {row.creator_name}…")

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")


def _mounted(screen: Screen[Any]) -> bool:
    return isinstance(screen, BootScreen) and screen.is_mounted


def _takes_keys(screen: Screen[Any]) -> bool:
    """The screen is up, the last key posted has made its way from the focused widget up to the
    app (where screen bindings act), and focus has followed the keyword box (open: the box has
    it; closed: it does not). Textual moves focus a moment after ``/`` or enter act: a key sent
    before that would go to the widget that had it."""
    if not screen.is_mounted:
        return False
    focused = screen.focused
    path = [*(focused.ancestors_with_self if focused is not None else ()), screen, screen.app]
    if any(node.message_queue_size for node in path):  # the last key is still on its way up
        return False
    bars = screen.query(FilterBar)
    return not bars or bars.first().typing == isinstance(screen.focused, Input)


class StartKeys:
    """What happens to the keys a rep presses before the inbox is up.

    Quit, moving through the start-up list, its filters and the keyword box act at once; the rest
    is held and replayed in the order typed once the inbox is up (enter also says "Opening…").
    Once one key is held every later one is too, so keys still act in order (a ``j`` after a held
    ``space`` must move from the row it marked). Nothing acts while the inbox replaces the
    start-up screen (``switching``).

    Keys that come before the start-up screen is mounted (typed at the early frame and handed to
    Textual, or typed as Textual starts) and the held keys once the inbox is up are posted again
    one at a time, each once the one before has acted (``_takes_keys``); every key that comes
    meanwhile queues behind them, so the order typed holds.
    """

    def __init__(self) -> None:
        self.held: list[Key] = []
        self.switching = False
        self.queue: list[Key] = []
        """Keys waiting to be posted again, oldest first."""
        self._phase: str | None = "early"
        """``early`` (start-up screen not taking keys yet), ``replay`` (the inbox getting the held
        keys), ``None`` (keys act or are held as they come)."""
        self._passing: Key | None = None

    def hold(self, event: Key, screen: Screen[Any]) -> bool:
        """Keep ``event`` for later unless it acts now; ``True`` when it was kept."""
        if event is self._passing:  # a key posted again
            self._passing = None
            if self._phase == "replay":
                return False
        elif self._phase is not None and event.key not in QUIT_KEYS:
            if self.queue or self._phase == "replay" or not _mounted(screen):
                if not self.queue and self._phase == "early":
                    screen.app.call_after_refresh(self._post_next, screen.app)
                self.queue.append(event)
                return True
        if self._acts_now(event.key, screen):
            return False
        self.held.append(event)
        return True

    def replay(self, app: Any) -> None:
        """Give the inbox the held keys, in order; the app's ``start_keys`` ends once they acted."""
        self.switching = False
        self.queue += self.held
        self.held = []
        self._phase = "replay"
        app.call_after_refresh(self._post_next, app)

    def _post_next(self, app: Any) -> None:
        screen = app.screen
        if not _takes_keys(screen) or (self._phase == "early" and not _mounted(screen)):
            app.call_after_refresh(self._post_next, app)
            return
        if not self.queue:
            if self._phase == "replay" and app.start_keys is self:
                app.start_keys = None
            self._phase = None
            return
        event = self.queue.pop(0)
        self._passing = Key(event.key, event.character)
        app.post_message(self._passing)
        app.call_after_refresh(self._post_next, app)

    def _acts_now(self, key: str, screen: Screen[Any]) -> bool:
        if self.switching:
            return False
        if key in QUIT_KEYS:
            return True
        if self.held or not isinstance(screen, BootScreen):
            return False
        if screen.acts_on(key):
            return True
        if screen.action_of(key) == OPEN_ACTION:
            screen.opening()
        return False
