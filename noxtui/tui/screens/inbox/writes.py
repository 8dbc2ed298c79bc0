"""The screen's half of every write: the confirm modals, awaited, and what is re-read afterwards.

The flow itself (plan, refuse offline, reuse a failed plan's key, execute once, record for undo,
tell the rep) is ``WriteService``'s; this part hands it the screen as its ``WriteUI`` and then
shows what the server holds now. A write action elsewhere reads top to bottom in a worker::

    result = await self.run_write(lambda: self.writes.plan_send(thread, text, sender))
    if result is not None:
        ...  # what this write changes on screen
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import work

from noxtui.domain.models import WritePlan, WriteResult
from noxtui.services.batch import BatchOutcome
from noxtui.services.writes import BatchRunner, Executor, FailedWrite, Previewer
from noxtui.tui.screens.batch_confirm import BatchConfirmScreen
from noxtui.tui.screens.confirm import ConfirmScreen
from noxtui.tui.screens.inbox.base import InboxBase

PlanBuilder = Callable[[], WritePlan]
"""Builds the plan when the write starts (a ``PlanError`` there means nothing was sent)."""


class WritesMixin(InboxBase):
    """Runs writes through ``WriteService`` with the screen's modals; refreshes after each."""

    # --- WriteUI: what WriteService awaits of the screen ------------------------------------------

    async def confirm(
        self, plan: WritePlan, execute: Executor, preview: Previewer | None = None
    ) -> WriteResult | FailedWrite | None:
        """The confirm modal for one plan, with the sender's address, the message replied to and,
        for the vendor CLI, the tool's own dry-run."""
        label = self.service.sender_address(plan.sender) if plan.sender else None
        quoted = self._quoted(plan.reply_to)
        modal = ConfirmScreen(plan, execute, sender_label=label, reply_to_text=quoted, preview=preview)
        answer: WriteResult | FailedWrite | None = await self.app.push_screen_wait(modal)
        return answer

    async def confirm_batch(
        self, title: str, plans: Sequence[WritePlan], run: BatchRunner, preview: Previewer | None = None
    ) -> BatchOutcome | None:
        """One modal for many plans: listed (and dry-run by the vendor tool), run on ``y`` with progress,
        then the report."""
        modal = BatchConfirmScreen(title, plans, run, preview=preview)
        outcome: BatchOutcome | None = await self.app.push_screen_wait(modal)
        return outcome

    def _quoted(self, message_id: str | None) -> str | None:
        """The creator's message a reply answers, as the modal quotes it."""
        if message_id is None or self.thread is None:
            return None
        message = next((m for m in self.thread.messages if m.message_id == message_id), None)
        if message is None:
            return None
        who = message.sender.name or message.sender.address or "creator"
        return f"{who}, {message.sent_at:%Y-%m-%d %H:%M}: {message.body_text}"

    # --- running writes -------------------------------------------------------------------------

    async def run_write(self, build: PlanBuilder) -> WriteResult | None:
        """Plan, confirm and run one write (call it from a worker). The applied result, or ``None``
        when it was refused, cancelled or failed: the rep has been told, and after a failure the
        screen already shows what the server holds."""
        self.stash_unsent()
        answer = await self.writes.write(build, self)
        if isinstance(answer, FailedWrite):
            self._after_failed_write(answer)
            return None
        return answer

    def write(self, build: PlanBuilder) -> None:
        """A write whose only follow-up is re-reading the thread and the list."""
        self._write_then_reread(build)

    @work(group="write")
    async def _write_then_reread(self, build: PlanBuilder) -> None:
        result = await self.run_write(build)
        if result is not None:
            self.after_write(result)

    def action_undo(self) -> None:
        """Plan the inverse of the last label/status change and confirm it like any write."""
        self._undo()

    @work(group="write")
    async def _undo(self) -> None:
        answer = await self.writes.undo(self)
        if isinstance(answer, BatchOutcome):
            self.after_batch(answer, clear_marks=False)
        elif isinstance(answer, FailedWrite):
            self._after_failed_write(answer)
        elif answer is not None:
            self.after_write(answer)

    # --- afterwards: show what the server holds -------------------------------------------------

    def after_write(self, result: WriteResult) -> None:
        """Re-read from the server: what the rep sees after a write is what the server holds."""
        self.close_panels()
        self.mark_rows()
        thread_id = result.plan.thread_id
        self.refresh_list(keep=thread_id or self._wanted_thread)
        if thread_id:
            self.open_thread(thread_id)

    def _after_failed_write(self, failed: FailedWrite) -> None:
        """The write may have landed (the rep was told which): reload the list and the thread."""
        self.refresh_list(keep=failed.plan.thread_id or self._wanted_thread)
        if failed.plan.thread_id:
            self.open_thread(failed.plan.thread_id)

    def after_batch(self, outcome: BatchOutcome | None, *, clear_marks: bool) -> None:
        """After a batch ran: failed threads stay marked for a retry, the rest is re-read."""
        if outcome is None:
            return
        if clear_marks:
            failed_ids = {plan.thread_id for plan, _ in outcome.failed}
            self.thread_list.marked.intersection_update(failed_ids)
            self.filter_bar.marked = len(self.thread_list.marked)
        self.close_panels()
        self.refresh_list(keep=self._wanted_thread)
        if self.thread is not None:
            self.open_thread(self.thread.thread_id, self.thread.creator.name)
