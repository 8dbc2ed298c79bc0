"""What every part of the inbox screen shares: its state, its widgets, and the calls between parts.

``InboxScreen`` is put together from one mixin per job, each in its own module and each a subclass
of ``InboxBase`` (Textual finds a mixin's ``@on`` handlers and ``@work`` methods only on a DOM class):

- ``screen``: layout and routing: compose, bindings, ``check_action``, keys that only move focus.
- ``loading``: everything that reads: the list, the open thread, sync, catalogues.
- ``filtering``: the filter keys, pickers and saved views (they change ``filters``, nothing else).
- ``panels``: opening and closing the side panels, and the label/status changes made from them.
- ``context``: what surrounds a thread: email task, CRM, sibling projects, archive.
- ``replies``: the composer's writes (send, schedule, draft, templates) and ``$EDITOR``.
- ``writes``: the screen's half of ``WriteService``: the confirm modals it awaits, and what the
  screen re-reads after a write, a batch or a failure.

The split follows what changes together: a new filter touches ``filtering``, a new write
``replies`` or ``context``, a new read ``loading``. Parts call each other only through the methods
declared at the end of this class, each implemented by the one part that owns it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from noxtui.domain.filters import FilterState
from noxtui.domain.models import Project, Thread
from noxtui.services.inbox import Catalogues, InboxService
from noxtui.services.writes import Notice
from noxtui.tui.screens.boot import ListPosition
from noxtui.tui.widgets.composer import Composer
from noxtui.tui.widgets.filter_bar import FilterBar
from noxtui.tui.widgets.thread_detail import ThreadDetail
from noxtui.tui.widgets.thread_list import ThreadList

if TYPE_CHECKING:
    from noxtui.storage.settings import SavedView, Settings


class ViewStore(Protocol):
    """Where saved views live: the app, since they are part of its settings and saved with them."""

    @property
    def settings(self) -> Settings | None: ...

    def store_views(self, views: dict[str, SavedView]) -> bool: ...


class InboxBase(Screen[None]):
    """The inbox's state and widgets; see the module docstring for the parts built on it."""

    filters: reactive[FilterState] = reactive(FilterState(), init=False)
    """The filter the list shows; the filter bar is bound to it."""

    def __init__(
        self,
        service: InboxService,
        *,
        clock: Callable[[], datetime],
        default_sender: str | None = None,
        poll_interval: float = 30.0,
        start_at: ListPosition | None = None,
        paging: bool = False,
    ) -> None:
        """``start_at``: where the rep was in the start-up screen's list (cursor and scroll),
        so taking over from it does not move them; ``paging``: the list pages (``domain/scrolling.py``)."""
        super().__init__()
        self.service = service
        self.writes = service.writes
        self.context = service.context
        self.traits = service.capabilities
        self.clock = clock
        self.default_sender = default_sender
        self.poll_interval = poll_interval
        self.paging = paging
        self.thread: Thread | None = None
        """The open thread, as the server last sent it."""
        self.pending_sibling: Project | None = None
        """A sibling project of the open (answered) thread that still waits on the rep."""
        self.new_replies: set[str] = set()
        self._start_at = start_at
        self._poll_delay = poll_interval
        self._poll_timer: Timer | None = None
        self._autosave_timer: Timer | None = None
        self._typed_since_stash: tuple[str, str, str] | None = None
        """(thread, text, server draft) as typed since the last stash: what an ending app keeps."""
        self._wanted_thread: str | None = None
        self._total: int | None = None
        self._batch_status = False
        self._before_jump: FilterState | None = None
        self._composer_filled: tuple[str | None, str] = (None, "")
        """The thread and text the app last put in the composer: text that differs was typed since."""

    # --- widgets and shared state ----------------------------------------------------------------

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def detail(self) -> ThreadDetail:
        return self.query_one(ThreadDetail)

    @property
    def catalogues(self) -> Catalogues:
        """Labels, statuses, senders, members, projects, templates: what the pickers and panels list."""
        return self.service.catalogues

    @property
    def total(self) -> int | None:
        """How many threads the current filter matches, once known (``None`` while it is loading)."""
        return self._total

    @property
    def view_store(self) -> ViewStore:
        return cast(ViewStore, self.app)

    def tell(self, notice: Notice) -> None:
        """Show what a service says the rep must know."""
        self.notify(notice.message, title=notice.title, severity=notice.severity, timeout=notice.timeout)

    def need_thread(self) -> Thread | None:
        """The open thread, or ``None`` after telling the rep to open one."""
        if self.thread is None:
            self.notify("Open a thread first (j/k, then enter).", severity="warning")
        return self.thread

    def stash_unsent(self) -> None:
        """Keep what the rep typed in the composer (a local draft) before anything replaces it."""
        if self.thread is not None and self.composer.thread_id == self.thread.thread_id:
            self._typed_since_stash = None
            self.service.remember_unsent(self.thread.thread_id, self.composer.text, self.composer.server_draft)
            self.report_local_saving()
            self.mark_rows()

    def forget_unsent(self, thread_id: str) -> None:
        """The typed text is on the server now, or discarded: no local copy, now or as the app ends."""
        self._typed_since_stash = None
        self.service.forget_unsent(thread_id)

    def mark_rows(self) -> None:
        """The list's per-row markers: a new reply since the rep looked, unsent text kept here."""
        self.thread_list.set_flags(fresh=self.new_replies, unsent=self.service.unsent_thread_ids())
        thread = self.thread
        gone = thread is not None and self.total is not None and self.thread_list.index_of(thread.thread_id) is None
        self.detail.show_unlisted(self.filters.describe() if gone else None)

    _told_local_problem: str | None = None

    def report_local_saving(self) -> None:
        """Say when local drafts fail or work again (a toast once, the composer's line meanwhile), and
        what the drafts store found at start (a damaged file moved aside)."""
        drafts = self.service.drafts
        if drafts is None:
            return
        if drafts.notice:
            self.notify(drafts.notice, title="Local drafts", severity="warning", timeout=30)
            drafts.notice = None
        if drafts.problem != self._told_local_problem:
            if drafts.problem:
                self.notify(drafts.problem, title="Local saving", severity="error", timeout=20)
            else:
                self.notify("Local saving works again: your unsent text is on disk.", title="Local saving")
            self._told_local_problem = drafts.problem
        self.composer.local_problem = drafts.problem

    def fill_composer(self, text: str, *, saved: bool) -> None:
        """Put ``text`` in the composer as the app's doing, not the rep's typing; ``saved``: the
        server's draft now holds exactly this text."""
        self.composer.set_text(text)
        if saved:
            self.composer.mark_saved(text)
        self._composer_filled = (self.composer.thread_id, text)
        self._typed_since_stash = None

    def typed_since_filled(self, thread_id: str) -> bool:
        """Whether the rep has typed in ``thread_id``'s composer since the app last filled it.

        A re-read of the open thread (after a write, a sync) must not reload that text: loading
        replaces the text and moves the cursor to the top while keys are still arriving, which
        garbled a reply typed right after a schedule (a backspace landed on the wrong character)."""
        filled_for, filled = self._composer_filled
        composer = self.composer
        return composer.thread_id == thread_id == filled_for and composer.text != filled

    # --- calls between parts (each implemented by the part named) --------------------------------

    def load_list(self, keep: str | None = None, *, painted: bool = False) -> object:
        """``loading``: the list for the current filters (a worker)."""
        raise NotImplementedError

    def sync_now(self) -> object:
        """``loading``: one sync pass with the server (a worker)."""
        raise NotImplementedError

    def refresh_list(self, keep: str | None = None) -> None:
        """``loading``: after a write, re-read the list from the server."""
        raise NotImplementedError

    def open_thread(self, thread_id: str, name: str = "thread") -> None:
        """``loading``: show ``thread_id`` in the reading pane."""
        raise NotImplementedError

    def apply_filters(self, state: FilterState) -> None:
        """``filtering``: show the list for ``state``."""
        raise NotImplementedError

    def open_panel(self, panel_id: str, *, batch: bool = False) -> bool:
        """``panels``: open one side panel (closing the others); ``False`` when it needs a thread."""
        raise NotImplementedError

    def close_panels(self) -> None:
        """``panels``: close every side panel and give the list the focus."""
        raise NotImplementedError
