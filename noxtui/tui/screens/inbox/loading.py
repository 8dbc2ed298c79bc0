"""The inbox's reads: the list (from the cache or streamed), live sync, the open thread, catalogues.

Each load runs in an exclusive worker of its own group, so an answer for a filter or thread the rep
has already left is dropped (the worker was cancelled, or ``_wanted_thread`` moved on) instead of
painted. Nothing here writes; after a write the ``writes`` part calls ``refresh_list``.
"""

from __future__ import annotations

from textual import work

from noxtui.domain.errors import AuthError, ForbiddenError, NoxError, TransportError
from noxtui.domain.models import Thread
from noxtui.domain.rows import row_from_summary
from noxtui.tui.screens.inbox.base import InboxBase
from noxtui.tui.widgets.filter_bar import ListCount
from noxtui.tui.widgets.sync_progress import SyncProgressBar

MAX_POLL_BACKOFF = 300.0
"""Longest wait between sync attempts while the server keeps failing (seconds)."""


def refused_token_lines(error: NoxError) -> list[str] | None:
    """What the list says instead of rows when the server refuses the token: a wrong or expired token
    used to look exactly like an empty inbox. ``None`` for any other failure (a toast says those)."""
    if isinstance(error, AuthError):
        what = "The server refused your token: it is wrong or has expired."
    elif isinstance(error, ForbiddenError):
        what = "The server refused this account access to the inbox."
    else:
        return None
    return [
        what,
        "Nothing is listed because nothing could be read: your inbox is not empty.",
        f"To fix it: {error.todo} Then start noxtui again (q quits; r tries again).",
    ]


class LoadingMixin(InboxBase):
    """Reads the list, the open thread and the catalogues; keeps the cache in sync."""

    @work(exclusive=True, group="catalogues")
    async def load_catalogues(self) -> None:
        try:
            catalogues = await self.service.load_catalogues()
        except NoxError as exc:
            self.notify(exc.message, title="Could not load labels and statuses", severity="error")
            return
        self.composer.set_senders(catalogues.senders)
        if self.thread is None or self.composer.sender_auth_id is None:
            self.composer.choose_sender(self.fallback_sender())

    def paint_from_cache(self, keep: str | None = None) -> int:
        """The cache's rows for the current filters, painted at once; returns how many.

        A server view (deal, unread) or an ``@handle`` lookup is not the cache's to answer: the list is
        read again instead."""
        if self.filters.server_only:
            self.load_list(keep=keep)
            return self.thread_list.row_count
        rows = self.service.cached_rows(self.filters.to_query())
        self.thread_list.set_rows(rows, keep=keep)
        self.filter_bar.count = ListCount(len(rows), len(rows), offline=self.service.online is False)
        self._total = len(rows)
        self.mark_rows()
        return len(rows)

    @work(exclusive=True, group="list")
    async def load_list(self, keep: str | None = None, *, painted: bool = False) -> None:
        """The list for the current filters: from the cache (then checked with the server), or
        streamed from the server. ``painted``: the cache's rows are already on screen."""
        bar = self.filter_bar
        listing = self.thread_list
        query = self.filters.to_query()
        if self.service.cached and not self.filters.server_only:
            shown = listing.row_count if painted else self.paint_from_cache(keep)
            self._total = shown
            try:
                agrees = await self.service.cache_agrees(query, shown)
            except TransportError as exc:
                self._went_offline(exc)
                return
            except NoxError as exc:
                if not self._token_refused(exc):
                    self.notify(exc.message, title="Could not check the filter with the server", severity="error")
                return
            if not agrees:
                self._total = None
                self.sync_now()
            return
        bar.count = ListCount(0, None)
        try:
            async for batch in self.service.stream_rows(query):
                if batch.first:
                    self._total = batch.total
                    listing.set_rows(batch.rows, keep=keep)
                else:
                    listing.append_rows(batch.rows)
                bar.count = ListCount(listing.row_count, batch.total)
        except NoxError as exc:
            bar.count = ListCount(listing.row_count, listing.row_count)
            if not self._token_refused(exc):
                self.notify(exc.message, title="Could not load threads", severity="error", timeout=8)
            return
        listing.show_problem(None)
        self.mark_rows()

    def _token_refused(self, error: NoxError) -> bool:
        """Say it where the list would be, until a read succeeds again; ``False``: not a token problem."""
        lines = refused_token_lines(error)
        if lines is None:
            return False
        self.thread_list.show_problem(lines)
        self.notify(error.message, title="The server refused the token", severity="error", timeout=8)
        return True

    def refresh_list(self, keep: str | None = None) -> None:
        """After a write: the cache learns it through a sync; without a cache, the list is re-read."""
        if self.service.cached:
            self.sync_now()
        else:
            self.load_list(keep=keep)

    # --- live sync ------------------------------------------------------------------------------

    def _schedule_sync(self, delay: float) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self.set_timer(delay, self.sync_now)

    @work(exclusive=True, group="sync")
    async def sync_now(self) -> None:
        """Pull what changed since the last sync; new inbound replies appear without moving the cursor."""
        if not self.service.cached:
            return
        first_fill = not self.service.has_synced()
        # A full sync of a large inbox takes a while: a line above the list says how far it is.
        progress = self.query_one(SyncProgressBar) if first_fill else None
        try:
            report = await self.service.sync(progress.show if progress is not None else None)
        except NoxError as exc:
            self._poll_delay = min(self._poll_delay * 2, MAX_POLL_BACKOFF)
            if isinstance(exc, TransportError):
                self._went_offline(exc)
            elif not self._token_refused(exc):
                self.notify(exc.message, title="Sync failed", severity="error")
            self._schedule_sync(self._poll_delay)
            return
        finally:
            if progress is not None:
                progress.finish()
        self._poll_delay = self.poll_interval
        self.thread_list.show_problem(None)
        reading = self.thread_list.current.thread_id if self.thread_list.current else None
        self._total = self.paint_from_cache(keep=reading)
        fresh = [tid for tid in report.new_inbound_ids if tid != (self.thread.thread_id if self.thread else None)]
        if fresh and not first_fill:
            self.new_replies.update(fresh)
            count = len(fresh)
            self.notify(f"{count} new repl{'y' if count == 1 else 'ies'} from creators.", title="Inbox updated")
        self._show_new_count()
        self._schedule_sync(self.poll_interval)

    def _went_offline(self, error: NoxError) -> None:
        self.filter_bar.count = ListCount(self.thread_list.row_count, self.thread_list.row_count, offline=True)
        self.notify(
            f"{error.what}. Showing the cached inbox; writes are refused until the server answers again.",
            title="Offline",
            severity="warning",
            timeout=6,
        )

    def _show_new_count(self) -> None:
        self.mark_rows()
        self.app.title = f"noxtui ({len(self.new_replies)} new)" if self.new_replies else "noxtui"

    # --- the open thread ------------------------------------------------------------------------

    def open_thread(self, thread_id: str, name: str = "thread") -> None:
        self.stash_unsent()
        self._wanted_thread = thread_id
        self.detail.show_loading(name)
        self._load_thread(thread_id)

    @work(exclusive=True, group="detail")
    async def _load_thread(self, thread_id: str) -> None:
        try:
            thread, cached_at = await self.service.open_thread(thread_id)
        except NoxError as exc:
            if self._wanted_thread == thread_id:
                self.detail.show_error(exc.message)
            return
        if self._wanted_thread != thread_id:
            return
        notice = None
        if cached_at is not None:
            notice = f"offline — showing cached copy from {cached_at.astimezone():%H:%M}"
        self.new_replies.discard(thread_id)
        self._show_new_count()
        self._show_thread(thread, notice=notice)
        if cached_at is not None:
            return
        try:
            projects = await self.context.siblings(thread_id)
        except NoxError:
            return
        shown = self.thread
        pending = None
        if shown is not None and shown.thread_id == thread_id and not shown.needs_reply:
            pending = next((p for p in projects if p.thread_id not in (None, thread_id) and p.needs_reply), None)
        self.pending_sibling = pending
        self.detail.show_projects(thread_id, projects, pending=pending)

    def _show_thread(self, thread: Thread, *, notice: str | None = None) -> None:
        if self.thread is None or self.thread.thread_id != thread.thread_id:
            self.pending_sibling = None
        self.thread = thread
        self.detail.show_thread(thread, notice=notice)
        if self.typed_since_filled(thread.thread_id):
            self.composer.mark_saved(thread.composer.draft_body)  # the rep's typing stays where it is
            self.composer.show_state(thread)
        else:
            unsent = self.service.unsent(thread.thread_id)
            self.composer.load(thread, unsent=unsent, default_sender=self.fallback_sender())
            self._composer_filled = (thread.thread_id, self.composer.text)
        self.thread_list.replace_row(row_from_summary(thread))

    def fallback_sender(self) -> str | None:
        """The profile's default sender, else the team's first: the confirm modal shows it in bold."""
        if self.default_sender:
            return self.default_sender
        senders = self.catalogues.senders
        return senders[0].sender_auth_id if senders else None
