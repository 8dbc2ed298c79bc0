"""The side panels: which one is open, and the label and status changes planned from them.

With threads marked in the list, ``l`` and ``c`` act on all of them (a batch, one confirm for all);
otherwise on the open thread. Templates, email task and CRM panels are opened here too, but what
they do is in ``replies`` and ``context``.
"""

from __future__ import annotations

from textual import on, work

from noxtui.domain.models import CoopStatus
from noxtui.services.batch import LabelChange
from noxtui.tui.screens.inbox.writes import WritesMixin
from noxtui.tui.widgets.batch_labels_panel import BatchLabelsPanel
from noxtui.tui.widgets.coop_panel import CoopPanel
from noxtui.tui.widgets.labels_panel import LabelsPanel
from noxtui.tui.widgets.side_panel import SidePanel
from noxtui.tui.widgets.templates_panel import TemplatesPanel
from noxtui.tui.widgets.thread_list import ThreadList


class PanelsMixin(WritesMixin):
    """Opens and closes the panels; turns the labels and status panels' choices into writes."""

    def open_panel(self, panel_id: str, *, batch: bool = False) -> bool:
        if self.thread is None and not batch and panel_id != "templates-panel":
            self.notify("Open a thread first (j/k, then enter), or mark threads with space.", severity="warning")
            return False
        for panel in self.query(SidePanel):
            panel.is_open = panel.id == panel_id
        return True

    def close_panels(self) -> None:
        for panel in self.query(SidePanel):
            panel.is_open = False
        self._batch_status = False
        self.thread_list.focus()

    @property
    def panel_open(self) -> bool:
        return any(panel.is_open for panel in self.query(SidePanel))

    @on(SidePanel.Closed)
    def _panel_closed(self) -> None:
        self.close_panels()

    @property
    def marked_count(self) -> int:
        return len(self.thread_list.marked_rows())

    @on(ThreadList.MarksChanged)
    def _marks_changed(self, event: ThreadList.MarksChanged) -> None:
        self.filter_bar.marked = event.count

    # --- labels and status --------------------------------------------------------------------

    def action_labels_panel(self) -> None:
        title = self.traits.labels_title
        if self.marked_count:
            if self.open_panel("batch-labels-panel", batch=True):
                self.query_one(BatchLabelsPanel).show(self.catalogues.labels, self.marked_count, title)
            return
        if self.open_panel("labels-panel") and self.thread is not None:
            checked = [label.label_id for label in self.thread.labels]
            self.query_one(LabelsPanel).show(self.catalogues.labels, checked, title)

    def action_coop_panel(self) -> None:
        statuses = self.catalogues.statuses
        if self.marked_count:
            if self.open_panel("coop-panel", batch=True):
                self._batch_status = True
                title = f"{self.traits.status_title} for {self.marked_count} marked threads"
                self.query_one(CoopPanel).show(statuses, None, title)
            return
        self._batch_status = False
        if self.open_panel("coop-panel") and self.thread is not None:
            current = self.thread.coop_status.code if self.thread.coop_status else None
            self.query_one(CoopPanel).show(statuses, current, self.traits.status_title)

    def action_templates_panel(self) -> None:
        if self.open_panel("templates-panel"):
            self.query_one(TemplatesPanel).show(self.catalogues.templates)

    @on(LabelsPanel.Apply)
    def _apply_labels(self, event: LabelsPanel.Apply) -> None:
        thread = self.need_thread()
        if thread is None:
            return
        catalogue = self.catalogues.labels
        self.write(lambda: self.writes.plan_labels(thread, event.label_ids, catalogue))

    @on(CoopPanel.Apply)
    def _apply_coop(self, event: CoopPanel.Apply) -> None:
        if self._batch_status:
            self._status_batch(event.status)
            return
        thread = self.need_thread()
        if thread is None:
            return
        self.write(lambda: self.writes.plan_coop(thread, event.status))

    @on(BatchLabelsPanel.Apply)
    def _apply_batch_labels(self, event: BatchLabelsPanel.Apply) -> None:
        if event.change.empty:
            self.notify("Mark labels to add (+) or remove (-) with space first.", severity="warning")
            return
        self._label_batch(event.change)

    def _marked_ids(self) -> list[str]:
        return [row.thread_id for row in self.thread_list.marked_rows()]

    @work(exclusive=True, group="batch")
    async def _label_batch(self, change: LabelChange) -> None:
        catalogue = self.catalogues.labels
        outcome = await self.writes.label_batch(self._marked_ids(), change, catalogue, self)
        self.after_batch(outcome, clear_marks=True)

    @work(exclusive=True, group="batch")
    async def _status_batch(self, status: CoopStatus) -> None:
        outcome = await self.writes.status_batch(self._marked_ids(), status, self)
        self.after_batch(outcome, clear_marks=True)
