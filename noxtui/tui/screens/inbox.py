"""The inbox: filter bar, thread list, reading pane, composer and the side panels.

This screen turns keys into plans and plans into confirm modals; it never builds HTTP itself. The
list and the reading pane load in exclusive workers, so a response for a thread or filter the rep
has already left is dropped instead of painted.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Header

from noxtui.domain.errors import NoxError, OfflineError, PlanError, TransportError
from noxtui.domain.filters import Choice, FilterState
from noxtui.domain.models import Project, Thread, WritePlan, WriteResult
from noxtui.domain.rows import row_from_summary
from noxtui.domain.schedule import parse_plan_send_at
from noxtui.services.batch import (
    LabelChange,
    fetch_threads,
    plan_label_batch,
    plan_status_batch,
    plan_undo,
    run_plans,
)
from noxtui.services.inbox import InboxService
from noxtui.storage.views import from_saved_view, to_saved_view
from noxtui.tui.screens.batch_confirm import BatchConfirmScreen
from noxtui.tui.screens.boot import NARROW_WIDTH, ListPosition
from noxtui.tui.screens.confirm import ConfirmScreen, FailedWrite
from noxtui.tui.screens.notes import NotesScreen
from noxtui.tui.screens.picker import PickerResult, PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.batch_labels_panel import BatchLabelsPanel
from noxtui.tui.widgets.composer import Composer
from noxtui.tui.widgets.context_panels import CrmPanel, EmailTaskPanel
from noxtui.tui.widgets.coop_panel import CoopPanel
from noxtui.tui.widgets.filter_bar import FilterBar
from noxtui.tui.widgets.labels_panel import LabelsPanel
from noxtui.tui.widgets.templates_panel import TemplatesPanel
from noxtui.tui.widgets.thread_detail import ThreadDetail
from noxtui.tui.widgets.thread_list import ThreadList

PANELS = ("labels-panel", "coop-panel", "templates-panel", "batch-labels-panel", "email-task-panel", "crm-panel")



def default_schedule_text(now: datetime) -> str:
    """The next whole hour, tomorrow morning style: a valid starting point the rep edits."""
    local = now.astimezone()
    offset = local.utcoffset() or timedelta(0)
    if offset.total_seconds() % 3600:
        local = now.astimezone(timezone.utc)
    start = (local + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    text = start.isoformat()
    return text.replace("+00:00", "Z")


class InboxScreen(Screen[None]):
    DEFAULT_CLASSES = "inbox-layout"
    """Layout rules (``inbox.tcss``) shared with the start-up screen, which must look the same."""

    BINDINGS = [
        Binding("n", "cycle_needs_reply", "Needs reply"),
        Binding("d", "cycle_direction", "Direction"),
        Binding("slash", "keyword", "Search"),
        Binding("L", "pick_label", "Filter label", show=False),
        Binding("S", "pick_status", "Filter status", show=False),
        Binding("P", "pick_project", "Filter project", show=False),
        Binding("M", "pick_member", "Filter member", show=False),
        Binding("x", "clear_filters", "Clear filters", show=False),
        Binding("v", "views", "Saved views"),
        Binding("l", "labels_panel", "Labels"),
        Binding("c", "coop_panel", "Status"),
        Binding("T", "templates_panel", "Templates"),
        Binding("i", "email_task_panel", "Email task"),
        Binding("p", "crm_panel", "CRM"),
        Binding("J", "task_jump", "Task threads / back", show=False),
        Binding("O", "open_sibling", "Open pending sibling", show=False),
        Binding("e", "edit", "Edit reply"),
        Binding("E", "external_editor", "Edit in $EDITOR", show=False),
        Binding("ctrl+s", "save_draft", "Save draft"),
        Binding("s", "send", "Send"),
        Binding("R", "send_reply_to", "Send as reply to their last message", show=False),
        Binding("w", "schedule", "Schedule"),
        Binding("C", "cancel_schedule", "Cancel schedule", show=False),
        Binding("u", "undo", "Undo label/status change"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape", "back", "Back", show=False),
    ]

    MAX_POLL_BACKOFF = 300.0

    def __init__(
        self,
        service: InboxService,
        *,
        clock: Callable[[], datetime],
        default_sender: str | None = None,
        poll_interval: float = 30.0,
        start_at: ListPosition | None = None,
    ) -> None:
        """``start_at``: where the rep was in the start-up screen's list (cursor and scroll),
        so taking over from it does not move them."""
        super().__init__()
        self.service = service
        self._start_at = start_at
        self.clock = clock
        self.poll_interval = poll_interval
        self._poll_delay = poll_interval
        self._poll_timer = None
        self.new_replies: set[str] = set()
        self.default_sender = default_sender
        self.filters = FilterState()
        self.thread: Thread | None = None
        self._wanted_thread: str | None = None
        self._total: int | None = None
        self._batch_status = False
        self._before_jump: FilterState | None = None
        self._autosave_timer = None
        self.pending_sibling: Project | None = None

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter-bar")
        with Horizontal(id="body"):
            yield ThreadList(clock=self.clock, id="threads")
            with Vertical(id="reading"):
                yield ThreadDetail(clock=self.clock, id="detail")
                yield Composer(clock=self.clock, id="composer")
            yield LabelsPanel(id="labels-panel")
            yield CoopPanel(id="coop-panel")
            yield TemplatesPanel(id="templates-panel")
            yield BatchLabelsPanel(id="batch-labels-panel")
            yield EmailTaskPanel(clock=self.clock, id="email-task-panel")
            yield CrmPanel(id="crm-panel")
        yield Footer()

    def on_unmount(self) -> None:
        from textual.css.query import NoMatches

        try:
            self._stash_unsent()
        except NoMatches:
            pass

    def on_mount(self) -> None:
        # A provider without server-side senders (Inbox sends from the thread's own X account).
        self.composer.query_one("#sender").display = self.service.capabilities.senders
        self.query_one(ThreadDetail).labels_title = self.service.capabilities.labels_title
        self.query_one(FilterBar).show(self.filters)
        self.query_one(ThreadList).focus()
        self.load_catalogues()
        if self.service.cached:
            # Paint what the cache holds before any network answer, then reconcile with the server.
            self._paint_from_cache(self._start_at.thread_id if self._start_at else None)
            if self._start_at is not None:  # once laid out: before that the list has no height
                scroll_y = self._start_at.scroll_y
                self.call_after_refresh(lambda: self.thread_list.scroll_to(y=scroll_y, animate=False))
            if not self.service.has_synced():
                self.query_one(FilterBar).show_count(self.thread_list.row_count, None)
                self.sync_now()
                return
            self.load_list(painted=True)
            return
        self.load_list()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        caps = self.service.capabilities
        if action in ("schedule", "cancel_schedule"):
            return caps.scheduling
        if action == "save_draft":
            return caps.server_drafts
        if action == "keyword":
            return caps.keyword_filter
        if action == "pick_project":
            return caps.project_filter
        if action == "pick_member":
            return caps.team_filter
        if action in ("templates_panel",):
            return caps.server_templates
        if action in ("email_task_panel", "task_jump"):
            return caps.email_tasks
        if action == "crm_panel":
            return caps.crm
        if action == "open_sibling":
            return caps.sibling_projects
        if action == "archive":
            return caps.archive
        return True

    # --- loading --------------------------------------------------------------------------------

    @work(exclusive=True, group="catalogues")
    async def load_catalogues(self) -> None:
        try:
            catalogues = await self.service.load_catalogues()
        except NoxError as exc:
            self.notify(exc.message, title="Could not load labels and statuses", severity="error")
            return
        self.composer.set_senders(catalogues.senders)
        if self.thread is None or self.composer.sender_auth_id is None:
            self.composer.choose_sender(self._fallback_sender())

    def _paint_from_cache(self, keep: str | None = None) -> int:
        rows = self.service.cached_rows(self.filters.to_query())
        self.thread_list.set_rows(rows, keep=keep)
        self.query_one(FilterBar).show_count(len(rows), len(rows), offline=self.service.online is False)
        return len(rows)

    @work(exclusive=True, group="list")
    async def load_list(self, keep: str | None = None, *, painted: bool = False) -> None:
        """The list for the current filters: from the cache (then checked with the server), or
        streamed from the server. ``painted``: the cache's rows are already on screen."""
        bar = self.query_one(FilterBar)
        listing = self.thread_list
        query = self.filters.to_query()
        if self.service.cached:
            shown = listing.row_count if painted else self._paint_from_cache(keep)
            self._total = shown
            try:
                total = await self.service.server_total(query)
            except TransportError as exc:
                self._went_offline(exc)
                return
            except NoxError as exc:
                self.notify(exc.message, title="Could not check the filter with the server", severity="error")
                return
            if total != shown:
                self._total = None
                self.sync_now()
            return
        bar.show_count(0, None)
        try:
            async for batch in self.service.stream_rows(query):
                if batch.first:
                    self._total = batch.total
                    listing.set_rows(batch.rows, keep=keep)
                else:
                    listing.append_rows(batch.rows)
                bar.show_count(listing.row_count, batch.total)
        except NoxError as exc:
            bar.show_count(listing.row_count, listing.row_count)
            self.notify(exc.message, title="Could not load threads", severity="error", timeout=8)

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
        try:
            report = await self.service.sync()
        except NoxError as exc:
            self._poll_delay = min(self._poll_delay * 2, self.MAX_POLL_BACKOFF)
            if isinstance(exc, TransportError):
                self._went_offline(exc)
            else:
                self.notify(exc.message, title="Sync failed", severity="error")
            self._schedule_sync(self._poll_delay)
            return
        self._poll_delay = self.poll_interval
        reading = self.thread_list.current.thread_id if self.thread_list.current else None
        self._total = self._paint_from_cache(keep=reading)
        fresh = [tid for tid in report.new_inbound_ids if tid != (self.thread.thread_id if self.thread else None)]
        if fresh and not first_fill:
            self.new_replies.update(fresh)
            count = len(fresh)
            self.notify(f"{count} new repl{'y' if count == 1 else 'ies'} from creators.", title="Inbox updated")
        self._show_new_count()
        self._schedule_sync(self.poll_interval)

    def _went_offline(self, error: NoxError) -> None:
        self.query_one(FilterBar).show_count(self.thread_list.row_count, self.thread_list.row_count, offline=True)
        self.notify(
            f"{error.what}. Showing the cached inbox; writes are refused until the server answers again.",
            title="Offline",
            severity="warning",
            timeout=6,
        )

    def _show_new_count(self) -> None:
        self.app.title = f"noxtui ({len(self.new_replies)} new)" if self.new_replies else "noxtui"

    def apply_filters(self, state: FilterState) -> None:
        self.filters = state
        self.query_one(FilterBar).show(state)
        self.load_list(keep=self._wanted_thread)

    @on(ThreadList.Selected)
    def _open_selected(self, event: ThreadList.Selected) -> None:
        self.open_thread(event.row.thread_id, event.row.creator_name)
        if self.has_class("-narrow"):
            # The reading pane replaces the list: it takes the keys (j/k scroll, esc goes back).
            self.add_class("-reading")
            self.query_one("#detail-scroll").focus()
        # Wide: focus stays on the list so j/k + enter keep triaging; tab reaches the reading pane.

    AUTOSAVE_PAUSE = 0.4
    """Seconds of no typing after which the composer text is written to the local drafts store."""

    @on(Composer.Edited)
    def _draft_edited(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(self.AUTOSAVE_PAUSE, self._stash_unsent)

    def _stash_unsent(self) -> None:
        if self.thread is not None and self.composer.thread_id == self.thread.thread_id:
            self.service.remember_unsent(self.thread.thread_id, self.composer.text, self.composer.server_draft)

    def open_thread(self, thread_id: str, name: str = "thread") -> None:
        self._stash_unsent()
        self._wanted_thread = thread_id
        self.query_one(ThreadDetail).show_loading(name)
        self._load_thread(thread_id)

    @work(exclusive=True, group="detail")
    async def _load_thread(self, thread_id: str) -> None:
        try:
            thread, cached_at = await self.service.open_thread(thread_id)
        except NoxError as exc:
            if self._wanted_thread == thread_id:
                self.query_one(ThreadDetail).show_error(exc.message)
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
            projects = await self.service.siblings(thread_id)
        except NoxError:
            return
        thread = self.thread
        pending = None
        if thread is not None and thread.thread_id == thread_id and not thread.needs_reply:
            pending = next((p for p in projects if p.thread_id not in (None, thread_id) and p.needs_reply), None)
        self.pending_sibling = pending
        self.query_one(ThreadDetail).show_projects(thread_id, projects, pending=pending)

    def _show_thread(self, thread: Thread, *, notice: str | None = None) -> None:
        if self.thread is None or self.thread.thread_id != thread.thread_id:
            self.pending_sibling = None
        self.thread = thread
        self.query_one(ThreadDetail).show_thread(thread, notice=notice)
        self.composer.load(thread, unsent=self.service.unsent(thread.thread_id), default_sender=self._fallback_sender())
        self.thread_list.replace_row(row_from_summary(thread))

    def _fallback_sender(self) -> str | None:
        """The profile's default sender, else the team's first: the confirm modal shows it in bold."""
        if self.default_sender:
            return self.default_sender
        senders = self.service.catalogues.senders
        return senders[0].sender_auth_id if senders else None

    # --- filters --------------------------------------------------------------------------------

    def action_cycle_needs_reply(self) -> None:
        self.apply_filters(self.filters.cycle_needs_reply())

    def action_cycle_direction(self) -> None:
        self.apply_filters(self.filters.cycle_direction())

    def action_keyword(self) -> None:
        self.query_one(FilterBar).open_keyword(self.filters.keyword)

    @on(FilterBar.KeywordChanged)
    def _keyword_changed(self, event: FilterBar.KeywordChanged) -> None:
        if event.keyword.strip() != self.filters.keyword:
            self.apply_filters(self.filters.with_keyword(event.keyword))
        if event.final:
            self.thread_list.focus()

    def action_clear_filters(self) -> None:
        self.apply_filters(FilterState())

    SAVE_VIEW = "\x00save"

    def action_views(self) -> None:
        """Pick a saved view to apply, or save the current filter under a name."""
        views = self.app.settings.views  # type: ignore[attr-defined]
        choices = [Choice(self.SAVE_VIEW, f"+ Save the current filter ({self.filters.describe()}) as a view…")]
        choices += [Choice(name, f"{name}: {from_saved_view(view).describe()}") for name, view in sorted(views.items())]

        def chosen(result: PickerResult | None) -> None:
            if result is None or result.choice is None:
                return
            if result.choice.value == self.SAVE_VIEW:
                self._save_view()
            else:
                self.apply_view(result.choice.value)

        self.app.push_screen(PickerScreen("Saved views", choices, any_label=None), chosen)

    def apply_view(self, name: str) -> None:
        view = self.app.settings.views.get(name)  # type: ignore[attr-defined]
        if view is None:
            self.notify(f"No saved view named {name!r}.", severity="warning")
            return
        self.apply_filters(from_saved_view(view))
        self.notify(f"View {name}: {self.filters.describe()}")

    def _save_view(self) -> None:
        state = self.filters

        def named(name: str | None) -> None:
            if name is None:
                return
            message = self.app.save_view(name.strip(), to_saved_view(state))  # type: ignore[attr-defined]
            self.notify(message)

        self.app.push_screen(
            PromptScreen(
                "Name this view",
                placeholder="e.g. Hot leads waiting on us",
                hint=f"saves: {state.describe()} · enter: save · esc: back",
                check=lambda v: None if v.strip() else "Give the view a name.",
            ),
            named,
        )

    def _pick(self, field: str, title: str, choices: list[Choice]) -> None:
        current: Choice | None = getattr(self.filters, field)

        def chosen(result: PickerResult | None) -> None:
            if result is not None:
                self.apply_filters(self.filters.with_choice(field, result.choice))

        self.app.push_screen(PickerScreen(title, choices, current.value if current else None), chosen)

    def action_pick_label(self) -> None:
        labels = self.service.catalogues.labels
        self._pick("label", "Filter by label", [Choice(label.label_id, label.name) for label in labels])

    def action_pick_status(self) -> None:
        statuses = self.service.catalogues.statuses
        self._pick("coop_status", "Filter by coop status", [Choice(s.code, s.name) for s in statuses])

    def action_pick_project(self) -> None:
        projects = self.service.catalogues.projects
        self._pick("project", "Filter by project", [Choice(p.project_id, p.name) for p in projects])

    def action_pick_member(self) -> None:
        members = self.service.catalogues.members
        self._pick("member", "Filter by team member", [Choice(m.user_uid, m.name) for m in members])

    # --- panels ---------------------------------------------------------------------------------

    def _open_panel(self, panel_id: str, *, batch: bool = False) -> bool:
        if self.thread is None and not batch and panel_id != "templates-panel":
            self.notify("Open a thread first (j/k, then enter), or mark threads with space.", severity="warning")
            return False
        for other in PANELS:
            self.query_one(f"#{other}").set_class(other == panel_id, "-open")
        return True

    def _close_panels(self) -> None:
        for panel in PANELS:
            self.query_one(f"#{panel}").remove_class("-open")
        self._batch_status = False
        self.thread_list.focus()

    @property
    def marked_count(self) -> int:
        return len(self.thread_list.marked_rows())

    def action_labels_panel(self) -> None:
        if self.marked_count:
            if self._open_panel("batch-labels-panel", batch=True):
                title = self.service.capabilities.labels_title
                self.query_one(BatchLabelsPanel).show(self.service.catalogues.labels, self.marked_count, title)
            return
        if self._open_panel("labels-panel") and self.thread is not None:
            title = self.service.capabilities.labels_title
            self.query_one(LabelsPanel).show(
                self.service.catalogues.labels, [label.label_id for label in self.thread.labels], title
            )

    def action_coop_panel(self) -> None:
        if self.marked_count:
            if self._open_panel("coop-panel", batch=True):
                self._batch_status = True
                title = f"{self.service.capabilities.status_title} for {self.marked_count} marked threads"
                self.query_one(CoopPanel).show(self.service.catalogues.statuses, None, title)
            return
        self._batch_status = False
        if self._open_panel("coop-panel") and self.thread is not None:
            current = self.thread.coop_status.code if self.thread.coop_status else None
            title = self.service.capabilities.status_title
            self.query_one(CoopPanel).show(self.service.catalogues.statuses, current, title)

    def action_templates_panel(self) -> None:
        if self._open_panel("templates-panel"):
            self.query_one(TemplatesPanel).show(self.service.catalogues.templates)

    @on(LabelsPanel.Closed)
    @on(CoopPanel.Closed)
    @on(TemplatesPanel.Closed)
    @on(BatchLabelsPanel.Closed)
    def _panel_closed(self) -> None:
        self._close_panels()

    @on(LabelsPanel.Apply)
    def _apply_labels(self, event: LabelsPanel.Apply) -> None:
        thread = self._need_thread()
        if thread is None:
            return
        catalogue = self.service.catalogues.labels
        self.confirm(lambda: self.service.provider.plan_labels(thread, event.label_ids, catalogue), self._after_write)

    @on(CoopPanel.Apply)
    def _apply_coop(self, event: CoopPanel.Apply) -> None:
        if self._batch_status:
            status = event.status
            self._prepare_batch(lambda threads: plan_status_batch(self.service.provider, threads, status), f"Set {status.name}")
            return
        thread = self._need_thread()
        if thread is None:
            return
        self.confirm(lambda: self.service.provider.plan_coop(thread, event.status), self._after_write)

    @on(BatchLabelsPanel.Apply)
    def _apply_batch_labels(self, event: BatchLabelsPanel.Apply) -> None:
        if event.change.empty:
            self.notify("Mark labels to add (+) or remove (-) with space first.", severity="warning")
            return
        change: LabelChange = event.change
        catalogue = self.service.catalogues.labels
        self._prepare_batch(lambda threads: plan_label_batch(self.service.provider, threads, change, catalogue), "Change labels")

    @on(ThreadList.MarksChanged)
    def _marks_changed(self, event: ThreadList.MarksChanged) -> None:
        self.query_one(FilterBar).show_marks(event.count)

    @work(exclusive=True, group="batch")
    async def _prepare_batch(self, build, title: str) -> None:  # noqa: ANN001 - build: Callable[[list[Thread]], list[WritePlan]]
        """Fetch the marked threads' current state, plan one write each, and ask once for all."""
        ids = [row.thread_id for row in self.thread_list.marked_rows()]
        self.notify(f"Preparing {len(ids)} threads…", timeout=2)
        try:
            self.service.refuse_if_offline()
            threads = await fetch_threads(self.service.provider, ids)
            plans = build(threads)
        except (PlanError, OfflineError) as exc:
            self.notify(exc.message, title="Nothing was sent", severity="error", timeout=8)
            return
        except NoxError as exc:
            self.notify(exc.message, title="Could not prepare the batch; nothing was sent", severity="error", timeout=8)
            return
        if not plans:
            self.notify("Every marked thread is already like that; nothing to change.")
            return
        self._confirm_many(f"{title}: {len(plans)} threads", plans, clear_marks=True)

    def _confirm_many(self, title: str, plans: list[WritePlan], *, clear_marks: bool = False, is_undo: bool = False) -> None:
        async def runner(todo, progress):  # noqa: ANN001, ANN202
            return await run_plans(self.service.provider, todo, on_progress=progress)

        def done(outcome) -> None:  # noqa: ANN001
            if outcome is None:
                self.notify("Cancelled — nothing was sent.")
                return
            if not is_undo:
                self.service.record_done([result.plan for result in outcome.applied])
            elif not outcome.failed:
                self.service.undo_stack.pop()
            if clear_marks:
                failed_ids = {plan.thread_id for plan, _ in outcome.failed}
                self.thread_list.marked.intersection_update(failed_ids)
                self.query_one(FilterBar).show_marks(len(self.thread_list.marked))
            severity = "warning" if outcome.failed else "information"
            self.notify(outcome.summary + (" — failed threads stay marked." if outcome.failed and clear_marks else ""), title=title, severity=severity)
            self._close_panels()
            self._refresh_list(keep=self._wanted_thread)
            if self.thread is not None:
                self.open_thread(self.thread.thread_id, self.thread.creator.name)

        self.app.push_screen(BatchConfirmScreen(title, plans, runner), done)

    def action_undo(self) -> None:
        """Plan the inverse of the last label/status change and confirm it like any write."""
        if not self.service.undo_stack:
            self.notify("Nothing to undo: only label and status changes can be undone; sends never can.")
            return
        last = self.service.undo_stack[-1]
        try:
            self.service.refuse_if_offline()
            inverse = plan_undo(self.service.provider, last)
        except (PlanError, OfflineError) as exc:
            self.notify(exc.message, title="Cannot undo", severity="error")
            return
        if len(inverse) == 1:
            def after(result: WriteResult) -> None:
                self.service.undo_stack.pop()
                self._after_write(result)

            self._confirm_plan(inverse[0], after, record=False)
            return
        self._confirm_many(f"Undo: {len(inverse)} threads", inverse, is_undo=True)

    # --- context: email task, CRM, siblings, archive -----------------------------------------------

    def _task_id(self) -> str | None:
        thread = self.thread
        if thread is None or thread.business_kind != "email_task" or not thread.business_id:
            return None
        return thread.business_id

    def action_email_task_panel(self) -> None:
        if self._need_thread() is None:
            return
        task_id = self._task_id()
        if task_id is None:
            self.notify("This thread is not part of an email task.", severity="warning")
            return
        self._open_panel("email-task-panel")
        self.query_one(EmailTaskPanel).show_loading()
        self._load_email_task(task_id)

    @work(exclusive=True, group="context")
    async def _load_email_task(self, task_id: str) -> None:
        panel = self.query_one(EmailTaskPanel)
        try:
            task, report = await self.service.email_context(task_id)
        except NoxError as exc:
            panel.show_error(exc.message)
            return
        panel.show(task, report)

    @on(EmailTaskPanel.Jump)
    def action_task_jump(self) -> None:
        """Filter the list to every thread of the open thread's email task; pressed again, go back."""
        if self._before_jump is not None:
            previous, self._before_jump = self._before_jump, None
            self.apply_filters(previous)
            self.notify(f"Back to: {previous.describe()}")
            return
        task_id = self._task_id()
        if task_id is None:
            self.notify("Open a thread of an email task first.", severity="warning")
            return
        self._before_jump = self.filters
        self.apply_filters(FilterState(business_kind="email_task", business_id=task_id))
        self.notify(f"All threads of email task {task_id}; press J again to go back.")

    def action_crm_panel(self) -> None:
        thread = self._need_thread()
        if thread is None:
            return
        self._open_panel("crm-panel")
        self.query_one(CrmPanel).show_loading(thread.creator.name)
        self._load_crm(thread.creator.creator_id)

    @work(exclusive=True, group="context")
    async def _load_crm(self, creator_id: str) -> None:
        panel = self.query_one(CrmPanel)
        try:
            channel = await self.service.crm(creator_id)
        except NoxError as exc:
            panel.show_error(exc.message)
            return
        panel.show(channel, self.service.catalogues.members)

    def _crm_channel(self):  # noqa: ANN202 - CrmChannel | None, with a message when absent
        channel = self.query_one(CrmPanel).channel
        if channel is None:
            self.notify("This creator has no CRM channel, so owner and notes cannot be set.", severity="warning")
        return channel

    def _after_crm(self, result: WriteResult) -> None:
        thread = self.thread
        if thread is not None:
            self.query_one(CrmPanel).show_loading(thread.creator.name)
            self._load_crm(thread.creator.creator_id)

    @on(CrmPanel.EditNotes)
    def _edit_crm_notes(self) -> None:
        channel = self._crm_channel()
        if channel is None:
            return

        def edited(notes: str | None) -> None:
            if notes is None:
                self.notify("Notes unchanged — nothing was sent.")
                return
            self.confirm(lambda: self.service.provider.plan_crm_update(channel, notes=notes), self._after_crm)

        self.app.push_screen(NotesScreen(f"CRM notes for {self.query_one(CrmPanel).creator_name}", channel.notes), edited)

    @on(CrmPanel.ChangeOwner)
    def _change_crm_owner(self) -> None:
        channel = self._crm_channel()
        if channel is None:
            return
        members = [Choice(m.user_uid, m.name) for m in self.service.catalogues.members]

        def chosen(result: PickerResult | None) -> None:
            if result is None or result.choice is None:
                return
            owner = result.choice.value
            self.confirm(lambda: self.service.provider.plan_crm_update(channel, owner_uid=owner), self._after_crm)

        self.app.push_screen(PickerScreen("Owner of this CRM channel", members, channel.owner_uid, any_label=None), chosen)

    @on(EmailTaskPanel.Closed)
    @on(CrmPanel.Closed)
    def _context_closed(self) -> None:
        self._close_panels()

    def action_open_sibling(self) -> None:
        sibling = self.pending_sibling
        if sibling is None or sibling.thread_id is None:
            self.notify("No sibling project with pending work for this creator.")
            return
        self.thread_list.move_to(sibling.thread_id)
        self.open_thread(sibling.thread_id, sibling.name)

    def action_archive(self) -> None:
        """Palette only: archive the conversation, listing every thread (siblings too) first."""
        thread = self._need_thread()
        if thread is None:
            return
        self._plan_archive(thread)

    @work(exclusive=True, group="context")
    async def _plan_archive(self, thread: Thread) -> None:
        try:
            siblings = await self.service.siblings(thread.thread_id)
        except NoxError as exc:
            self.notify(exc.message, title="Could not list the sibling threads; nothing was sent", severity="error")
            return

        def after(result: WriteResult) -> None:
            self.thread = None
            self._refresh_list()

        self.confirm(lambda: self.service.provider.plan_archive(thread, siblings), after)

    @on(TemplatesPanel.Use)
    def _use_template(self, event: TemplatesPanel.Use) -> None:
        thread = self._need_thread()
        if thread is None:
            return

        def after(result: WriteResult) -> None:
            body = result.data.get("body") if isinstance(result.data, dict) else None
            self.service.forget_unsent(thread.thread_id)
            if isinstance(body, str):
                self.composer.set_text(body)
                self.composer.mark_saved(body)
            self._after_write(result)
            self.composer.focus_editor()

        self.confirm(lambda: self.service.provider.plan_template_use(thread, event.template), after)

    @on(TemplatesPanel.SaveDraft)
    def _save_as_template(self) -> None:
        body = self.composer.text

        def named(name: str | None) -> None:
            if name is None:
                return
            language, _, title = name.partition(":") if ":" in name else ("en", "", name)

            def after(result: WriteResult) -> None:
                self.reload_templates()

            self.confirm(
                lambda: self.service.provider.plan_template_save(title.strip(), language.strip() or "en", body),
                after,
            )

        self.app.push_screen(
            PromptScreen(
                "Save the current draft as a template",
                placeholder="language:name, e.g. en:Rate follow-up",
                hint="enter: plan the save · esc: back",
                check=lambda v: None if v.strip() and v.partition(":")[-1].strip() else "Give the template a name.",
            ),
            named,
        )

    @work(exclusive=True, group="templates")
    async def reload_templates(self) -> None:
        try:
            templates = await self.service.reload_templates()
        except NoxError as exc:
            self.notify(exc.message, severity="error")
            return
        if self.query_one(TemplatesPanel).has_class("-open"):
            self.query_one(TemplatesPanel).show(templates)

    # --- composer and writes --------------------------------------------------------------------

    def _need_thread(self) -> Thread | None:
        if self.thread is None:
            self.notify("Open a thread first (j/k, then enter).", severity="warning")
        return self.thread

    def action_edit(self) -> None:
        if self._need_thread() is not None:
            if self.has_class("-narrow"):
                self.add_class("-reading")
            self.composer.focus_editor()

    def action_back(self) -> None:
        if any(self.query_one(f"#{p}").has_class("-open") for p in PANELS):
            self._close_panels()
            return
        if self.query_one(FilterBar).typing:
            self.query_one(FilterBar).close_keyword()
        self.remove_class("-reading")
        self.thread_list.focus()

    def action_external_editor(self) -> None:
        """Edit the draft in $EDITOR with the app suspended, the way mutt and aerc do."""
        if self._need_thread() is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w+", suffix=".txt", delete=False, encoding="utf-8") as handle:
            handle.write(self.composer.text)
            path = handle.name
        try:
            os.chmod(path, 0o600)
            with self.app.suspend():
                completed = subprocess.run([*shlex.split(editor), path], check=False)
            if completed.returncode != 0:
                self.notify(f"{editor} exited with {completed.returncode}; the draft was not changed.", severity="warning")
                return
            with open(path, encoding="utf-8") as handle:
                self.composer.set_text(handle.read().rstrip("\n"))
        except (OSError, RuntimeError) as exc:
            self.notify(f"Could not run {editor}: {exc}. Set $EDITOR, or edit here with e.", severity="error")
        finally:
            try:
                os.unlink(path)
            except OSError:
                pass

    def action_save_draft(self) -> None:
        thread = self._need_thread()
        if thread is None:
            return
        text = self.composer.text
        sender = self.composer.sender_auth_id

        def after(result: WriteResult) -> None:
            self.composer.mark_saved(text)
            self.service.forget_unsent(thread.thread_id)
            self._after_write(result)

        self.confirm(lambda: self.service.provider.plan_draft(thread, text, sender), after)

    def action_send_reply_to(self) -> None:
        """Send the composer text as a reply to (quoting) the creator's latest message."""
        thread = self._need_thread()
        if thread is None:
            return
        last_inbound = next((m for m in reversed(thread.messages) if m.direction == "inbound"), None)
        if last_inbound is None:
            self.notify("The creator has not written in this thread yet; use s to send.", severity="warning")
            return
        self.action_send(reply_to=last_inbound.message_id)

    def action_send(self, reply_to: str | None = None) -> None:
        thread = self._need_thread()
        if thread is None:
            return
        text = self.composer.text
        sender = self.composer.sender_auth_id

        def after(result: WriteResult) -> None:
            self.service.forget_unsent(thread.thread_id)
            self.composer.set_text("")
            self.composer.mark_saved("")
            self._after_write(result)

        self.confirm(lambda: self.service.provider.plan_send(thread, text, sender, reply_to), after)

    def action_schedule(self) -> None:
        thread = self._need_thread()
        if thread is None:
            return
        text = self.composer.text
        sender = self.composer.sender_auth_id

        def check(value: str) -> str | None:
            try:
                parse_plan_send_at(value, self.clock())
            except PlanError as exc:
                return exc.message
            return None

        def chosen(when: str | None) -> None:
            if when is None:
                self.notify("Schedule cancelled — nothing was sent.")
                return

            def after(result: WriteResult) -> None:
                self.service.forget_unsent(thread.thread_id)
                self._after_write(result)

            self.confirm(lambda: self.service.provider.plan_schedule(thread, text, sender, when), after)

        self.app.push_screen(
            PromptScreen(
                "Schedule this reply",
                value=default_schedule_text(self.clock()),
                placeholder="2026-11-24T09:00+08:00",
                hint="ISO 8601 with a whole-hour offset (Z, +08:00, -05:00), in the future · enter: plan",
                check=check,
            ),
            chosen,
        )

    def action_cancel_schedule(self) -> None:
        thread = self._need_thread()
        if thread is None:
            return
        self.confirm(lambda: self.service.provider.plan_cancel(thread), self._after_write)

    def action_refresh(self) -> None:
        self.load_catalogues()
        if self.service.cached:
            self._poll_delay = self.poll_interval
            self.sync_now()
        self.load_list(keep=self.thread_list.current.thread_id if self.thread_list.current else None)
        if self.thread is not None:
            self.open_thread(self.thread.thread_id, self.thread.creator.name)

    def confirm(self, build: Callable[[], WritePlan], after: Callable[[WriteResult], None]) -> None:
        """Build the plan (refusing bad input before anything is sent), then ask for the --force."""
        self._stash_unsent()
        try:
            self.service.refuse_if_offline()
            plan = self.service.with_retry_key(build())
        except (PlanError, OfflineError) as exc:
            self.notify(exc.message, title="Nothing was sent", severity="error", timeout=8)
            return
        self._confirm_plan(plan, after)

    def _confirm_plan(self, plan: WritePlan, after: Callable[[WriteResult], None], *, record: bool = True) -> None:
        def done(result: WriteResult | FailedWrite | None) -> None:
            if result is None:
                self.notify("Cancelled — nothing was sent.", title=plan.summary)
                return
            if isinstance(result, FailedWrite):
                self._after_failed_write(result)
                return
            self.service.forget_failed(plan)
            if record:
                self.service.record_done([result.plan])
            self.notify(result.summary or plan.summary, title="Done")
            after(result)

        label = self.service.sender_address(plan.sender) if plan.sender else None
        quoted = None
        if plan.reply_to and self.thread is not None:
            message = next((m for m in self.thread.messages if m.message_id == plan.reply_to), None)
            if message is not None:
                who = message.sender.name or message.sender.address or "creator"
                quoted = f"{who}, {message.sent_at:%Y-%m-%d %H:%M}: {message.body_text}"
        self.app.push_screen(ConfirmScreen(plan, self.service.execute, sender_label=label, reply_to_text=quoted), done)

    def _after_failed_write(self, failed: FailedWrite) -> None:
        """Backing out after a failure is not a cancel: the write may have landed. Say so, keep the
        plan's key for an identical retry, and reload so the rep sees what the server holds."""
        self.service.remember_failed(failed.plan)
        definite = failed.error.status is not None and 400 <= failed.error.status < 500
        if definite:
            self.notify(f"{failed.error.what}. Nothing was changed; your text is kept.", title="Not sent", severity="error")
        else:
            self.notify(
                f"{failed.error.what}. It may have been applied: reloading to show what the server holds. "
                "Sending the same text again reuses the same request, so it can never go out twice.",
                title="Outcome unknown",
                severity="warning",
                timeout=10,
            )
        self._refresh_list(keep=failed.plan.thread_id or self._wanted_thread)
        if failed.plan.thread_id:
            self.open_thread(failed.plan.thread_id)

    def _refresh_list(self, keep: str | None = None) -> None:
        """After a write: the cache learns it through a sync; without a cache, the list is re-read."""
        if self.service.cached:
            self.sync_now()
        else:
            self.load_list(keep=keep)

    def _after_write(self, result: WriteResult) -> None:
        """Re-read from the server: what the rep sees after a write is what the server holds."""
        self._close_panels()
        thread_id = result.plan.thread_id
        self._refresh_list(keep=thread_id or self._wanted_thread)
        if thread_id:
            self.open_thread(thread_id)
