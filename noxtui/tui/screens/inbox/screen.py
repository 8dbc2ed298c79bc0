"""The inbox: filter bar, thread list, reading pane, composer and the side panels.

This module is the layout and the routing: what is on screen, which key does what, and which
actions the provider allows. What the keys do lives in the parts ``InboxScreen`` is made of (see
``base.py`` for the split). The screen turns keys into plans and plans into confirm modals; it never
builds HTTP itself, and it reaches the backend only through its ``InboxService``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.events import Resize
from textual.widgets import Footer, Header

from noxtui.providers.base import (
    Archive,
    AttachmentDownloads,
    Crm,
    DraftAttachments,
    EmailTasks,
    ProjectFilter,
    Scheduling,
    Senders,
    ServerDrafts,
    ServerTemplates,
    SiblingProjects,
    TeamFilter,
)
from noxtui.tui.screens.boot import NARROW_WIDTH
from noxtui.tui.screens.inbox.absent import AbsentKeysMixin
from noxtui.tui.screens.inbox.attachments import AttachmentsMixin
from noxtui.tui.screens.inbox.context import ContextMixin
from noxtui.tui.screens.inbox.crm_fields import CrmFieldsMixin
from noxtui.tui.screens.inbox.footer_order import FooterOrderMixin
from noxtui.tui.screens.inbox.leaving import LeavingMixin
from noxtui.tui.screens.inbox.loading import LoadingMixin
from noxtui.tui.screens.inbox.navigation import NavigationMixin
from noxtui.tui.screens.inbox.panels import PanelsMixin
from noxtui.tui.screens.inbox.replies import RepliesMixin
from noxtui.tui.screens.inbox.templates import TemplatesMixin
from noxtui.tui.widgets.batch_labels_panel import BatchLabelsPanel
from noxtui.tui.widgets.composer import Composer
from noxtui.tui.widgets.context_panels import CrmPanel, EmailTaskPanel
from noxtui.tui.widgets.coop_panel import CoopPanel
from noxtui.tui.widgets.filter_bar import FilterBar, ListCount
from noxtui.tui.widgets.labels_panel import LabelsPanel
from noxtui.tui.widgets.sync_progress import SyncProgressBar
from noxtui.tui.widgets.templates_panel import TemplatesPanel
from noxtui.tui.widgets.thread_detail import ThreadDetail
from noxtui.tui.widgets.thread_list import ThreadList

NEEDS: dict[str, type] = {
    "schedule": Scheduling,
    "cancel_schedule": Scheduling,
    "save_draft": ServerDrafts,
    "pick_project": ProjectFilter,
    "pick_member": TeamFilter,
    "templates_panel": ServerTemplates,
    "email_task_panel": EmailTasks,
    "task_jump": EmailTasks,
    "crm_panel": Crm,
    "open_sibling": SiblingProjects,
    "archive": Archive,
    "attach_file": DraftAttachments,
    "remove_file": DraftAttachments,
    "download_file": AttachmentDownloads,
    "go_task": EmailTasks,
    "change_sender": Senders,
}
"""The capability an action needs from the provider; an action not listed is always there."""

FILTER_OF: dict[str, str] = {
    "pick_label": "label",
    "pick_status": "coop_status",
    "pick_project": "projects",
    "pick_member": "members",
    "task_jump": "task",
    "go_task": "task",
}
"""The list filter an action sets; hidden when the backend as installed lacks it (the vendor CLI's schema)."""


class InboxScreen(
    FooterOrderMixin,
    LeavingMixin,
    LoadingMixin,
    NavigationMixin,
    PanelsMixin,
    ContextMixin,
    CrmFieldsMixin,
    RepliesMixin,
    AttachmentsMixin,
    TemplatesMixin,
    AbsentKeysMixin,
):
    """The rep's inbox for one account (the app keeps one per account and switches between them)."""

    DEFAULT_CLASSES = "inbox-layout"
    """Layout rules (``inbox.tcss``) shared with the start-up screen, which must look the same."""

    BINDINGS = [
        Binding("n", "cycle_needs_reply", "Needs reply", id="inbox.cycle-needs-reply"),
        Binding("d", "cycle_direction", "Direction", id="inbox.cycle-direction"),
        Binding("slash", "keyword", "Search", id="inbox.keyword"),
        Binding("f", "cycle_view", "Server views (deal, unread, no reply…)", show=False, id="inbox.cycle-view"),
        Binding("L", "pick_label", "Filter label", show=False, id="inbox.pick-label"),
        Binding("S", "pick_status", "Filter status", show=False, id="inbox.pick-status"),
        Binding("P", "pick_project", "Filter project", show=False, id="inbox.pick-project"),
        Binding("M", "pick_member", "Filter member", show=False, id="inbox.pick-member"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="inbox.clear-filters"),
        Binding("v", "views", "Saved views", id="inbox.views"),
        Binding("l", "labels_panel", "Labels", id="inbox.labels-panel"),
        Binding("c", "coop_panel", "Status", id="inbox.coop-panel"),
        Binding("T", "templates_panel", "Templates", id="inbox.templates-panel"),
        Binding("i", "email_task_panel", "Email task", id="inbox.email-task-panel"),
        Binding("p", "crm_panel", "CRM", id="inbox.crm-panel"),
        Binding("J", "task_jump", "Task threads / back", show=False, id="inbox.task-jump"),
        Binding("number_sign", "go_task", "Go to an email task by id", show=False, id="inbox.go-task"),
        Binding("F", "change_sender", "From (sender)", id="inbox.change-sender"),
        Binding("O", "open_sibling", "Open pending sibling", show=False, id="inbox.open-sibling"),
        Binding("e", "edit", "Edit reply", id="inbox.edit"),
        Binding("E", "external_editor", "Edit in $EDITOR", show=False, id="inbox.external-editor"),
        Binding("ctrl+s", "save_draft", "Save draft", id="inbox.save-draft"),
        Binding("s", "send", "Send", id="inbox.send"),
        Binding("R", "send_reply_to", "Send as reply to their last message", show=False, id="inbox.send-reply-to"),
        Binding("w", "schedule", "Schedule", id="inbox.schedule"),
        Binding("C", "cancel_schedule", "Cancel schedule", show=False, id="inbox.cancel-schedule"),
        Binding("a", "attach_file", "Attach file", show=False, id="inbox.attach-file"),
        Binding("X", "remove_file", "Remove a draft file", show=False, id="inbox.remove-file"),
        Binding("D", "download_file", "Save a message's file", show=False, id="inbox.download-file"),
        Binding("u", "undo", "Undo label/status change", id="inbox.undo"),
        Binding("r", "refresh", "Refresh", id="inbox.refresh"),
        Binding("escape", "back", "Back", show=False, id="inbox.back"),
        Binding("q", "quit_asking", "Quit", show=False, id="inbox.quit"),
    ]

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter-bar").data_bind(InboxScreen.filters)
        yield SyncProgressBar(id="sync-progress")
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

    def on_mount(self) -> None:
        # A provider without server-side senders (Inbox sends from the thread's own X account).
        self.composer.can_choose_sender = self.service.supports(Senders)
        self.detail.labels_title = self.traits.labels_title
        self.report_local_saving()
        self.thread_list.paging = self.paging
        self.thread_list.focus()
        self.load_catalogues()
        start = self._start_at
        if start is not None and start.filtered:  # as the rep left the start-up screen's filter
            self.filters = start.filter_state()
        if not self.service.cached:
            self.load_list()
            return
        # Paint what the cache holds before any network answer, then reconcile with the server.
        self.paint_from_cache(start.thread_id if start else None)
        if start is not None:  # once laid out: before that the list has no height
            self.call_after_refresh(lambda: self.thread_list.scroll_to(y=start.scroll_y, animate=False))
            if start.typing:
                self.filter_bar.open_keyword(self.filters.keyword)
        if not self.service.has_synced():
            self.filter_bar.count = ListCount(self.thread_list.row_count, None)
            self.sync_now()
            return
        self.load_list(painted=True)

    def on_unmount(self) -> None:
        try:
            self.stash_unsent()
        except NoMatches:  # the app is ending and the composer went first
            self.keep_last_typed()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide what the provider cannot do (footer, palette, help and the key itself)."""
        if action == "keyword":
            return self.traits.keyword_filter
        if action == "cycle_view":
            return bool(self.traits.views) and "view" not in self.traits.missing_filters
        if FILTER_OF.get(action) in self.traits.missing_filters:
            return False
        needed = NEEDS.get(action)
        return True if needed is None else self.service.supports(needed)

    # --- routing: keys that move focus or start over --------------------------------------------

    @on(ThreadList.Selected)
    def _open_selected(self, event: ThreadList.Selected) -> None:
        self.open_thread(event.row.thread_id, event.row.creator_name)
        if self.has_class("-narrow"):
            # The reading pane replaces the list: it takes the keys (j/k scroll, esc goes back).
            self.add_class("-reading")
            self.query_one("#detail-scroll").focus()
        # Wide: focus stays on the list so j/k + enter keep triaging; tab reaches the reading pane.

    def action_edit(self) -> None:
        if self.need_thread() is not None:
            if self.has_class("-narrow"):
                self.add_class("-reading")
            self.composer.focus_editor()

    def action_back(self) -> None:
        if self.panel_open:
            self.close_panels()
            return
        if self.filter_bar.typing:
            self.filter_bar.cancel_keyword()
        self.remove_class("-reading")
        self.thread_list.focus()

    def action_refresh(self) -> None:
        self.load_catalogues()
        if self.service.cached:
            self._poll_delay = self.poll_interval
            self.sync_now()
        self.load_list(keep=self.thread_list.current.thread_id if self.thread_list.current else None)
        if self.thread is not None:
            self.open_thread(self.thread.thread_id, self.thread.creator.name)
