"""What surrounds the open thread: its email task (and a jump to all the task's threads), the
creator's CRM channel (notes and owner, changed through the confirm modal), a sibling project that
still waits on the rep, and archiving the conversation.

Reads go through ``ContextService`` in workers of the ``context`` group (opening another panel
drops an answer still on its way); each edit awaits its editor or picker, then ``run_write``.
"""

from __future__ import annotations

from textual import on, work

from noxtui.domain.errors import NoxError
from noxtui.domain.filters import Choice, FilterState
from noxtui.domain.models import CrmChannel, Thread
from noxtui.tui.screens.inbox.writes import WritesMixin
from noxtui.tui.screens.notes import NotesScreen
from noxtui.tui.screens.picker import PickerResult, PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.context_panels import CrmPanel, EmailTaskPanel

UNASSIGNED = "\x00nobody"
"""The assign picker's "nobody" entry (no member id can take this value)."""


def _amount(text: str) -> float | None:
    """``1,500`` or ``1500.50`` as a number; ``None`` when it is not one."""
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


class ContextMixin(WritesMixin):
    """The email-task and CRM panels, the pending-sibling jump, and archive."""

    # --- email task -----------------------------------------------------------------------------

    def _task_id(self) -> str | None:
        thread = self.thread
        if thread is None or thread.business_kind != "email_task" or not thread.business_id:
            return None
        return thread.business_id

    def action_email_task_panel(self) -> None:
        if self.need_thread() is None:
            return
        task_id = self._task_id()
        if task_id is None:
            self.notify("This thread is not part of an email task.", severity="warning")
            return
        self.open_panel("email-task-panel")
        self.query_one(EmailTaskPanel).show_loading()
        self._load_email_task(task_id)

    @work(exclusive=True, group="context")
    async def _load_email_task(self, task_id: str) -> None:
        panel = self.query_one(EmailTaskPanel)
        try:
            task, report = await self.context.email_task(task_id)
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

    # --- CRM ------------------------------------------------------------------------------------

    def action_crm_panel(self) -> None:
        thread = self.need_thread()
        if thread is None:
            return
        self.open_panel("crm-panel")
        self._reload_crm(thread)

    def _reload_crm(self, thread: Thread) -> None:
        self.query_one(CrmPanel).show_loading(thread.creator.name)
        self._load_crm(thread.creator.creator_id)

    @work(exclusive=True, group="context")
    async def _load_crm(self, creator_id: str) -> None:
        panel = self.query_one(CrmPanel)
        try:
            channel = await self.context.crm(creator_id)
        except NoxError as exc:
            panel.show_error(exc.message)
            return
        panel.show(channel, self.catalogues.members)

    def _crm_channel(self) -> CrmChannel | None:
        """The panel's channel, or ``None`` after saying why nothing can be edited."""
        channel = self.query_one(CrmPanel).channel
        if channel is None:
            self.notify("This creator has no CRM channel, so owner and notes cannot be set.", severity="warning")
        return channel

    def _after_crm(self) -> None:
        """The panel re-reads the channel: it shows what the server now holds."""
        if self.thread is not None:
            self._reload_crm(self.thread)

    @on(CrmPanel.EditNotes)
    def _edit_crm_notes(self) -> None:
        channel = self._crm_channel()
        if channel is not None:
            self._write_crm_notes(channel)

    @work(group="write")
    async def _write_crm_notes(self, channel: CrmChannel) -> None:
        title = f"CRM notes for {self.query_one(CrmPanel).creator_name}"
        notes: str | None = await self.app.push_screen_wait(NotesScreen(title, channel.notes))
        if notes is None:
            self.notify("Notes unchanged — nothing was sent.")
            return
        if await self.run_write(lambda: self.writes.plan_crm_update(channel, notes=notes)) is not None:
            self._after_crm()

    @on(CrmPanel.EditValuation)
    def _edit_valuation(self) -> None:
        channel = self._crm_channel()
        if channel is not None:
            self._write_valuation(channel)

    @work(group="write")
    async def _write_valuation(self, channel: CrmChannel) -> None:
        current = (channel.model_extra or {}).get("valuation")
        answer = await self.app.push_screen_wait(
            PromptScreen(
                f"Valuation of {self.query_one(CrmPanel).creator_name}",
                value="" if current is None else f"{current:g}",
                placeholder="e.g. 1500 (empty clears it)",
                hint="enter: plan the change · esc: back",
                check=lambda v: None if not v.strip() or _amount(v) is not None else "Type an amount, e.g. 1500.",
            )
        )
        if answer is None:
            self.notify("Valuation unchanged — nothing was sent.")
            return
        value = _amount(answer) if answer.strip() else None
        if await self.run_write(lambda: self.context.plan_valuation(channel, value)) is not None:
            self._after_crm()

    @on(CrmPanel.ChangeOwner)
    def _change_crm_owner(self) -> None:
        channel = self._crm_channel()
        if channel is not None:
            self._write_crm_owner(channel)

    @work(group="write")
    async def _write_crm_owner(self, channel: CrmChannel) -> None:
        members = [Choice(m.user_uid, m.name) for m in self.catalogues.members]
        picker = PickerScreen("Owner of this CRM channel", members, channel.owner_uid, any_label=None)
        result: PickerResult | None = await self.app.push_screen_wait(picker)
        if result is None or result.choice is None:
            return
        owner = result.choice.value
        if await self.run_write(lambda: self.writes.plan_crm_update(channel, owner_uid=owner)) is not None:
            self._after_crm()

    # --- assignee -------------------------------------------------------------------------------

    def action_assign(self) -> None:
        """Palette: pick who the open thread is assigned to (or nobody), then confirm the plan."""
        thread = self.need_thread()
        if thread is not None:
            self._assign(thread)

    @work(group="write")
    async def _assign(self, thread: Thread) -> None:
        members = {m.user_uid: m for m in self.catalogues.members}
        choices = [Choice(UNASSIGNED, "Nobody (unassign)")] + [Choice(m.user_uid, m.name) for m in members.values()]
        picker = PickerScreen("Assign this thread to", choices, thread.owner_uid or UNASSIGNED, any_label=None)
        result: PickerResult | None = await self.app.push_screen_wait(picker)
        if result is None or result.choice is None:
            return
        member = members.get(result.choice.value)
        if await self.run_write(lambda: self.context.plan_assign(thread, member)) is not None:
            self.refresh_list(keep=thread.thread_id)
            self.open_thread(thread.thread_id)

    # --- siblings and archive -------------------------------------------------------------------

    def action_open_sibling(self) -> None:
        sibling = self.pending_sibling
        if sibling is None or sibling.thread_id is None:
            self.notify("No sibling project with pending work for this creator.")
            return
        self.thread_list.move_to(sibling.thread_id)
        self.open_thread(sibling.thread_id, sibling.name)

    def action_archive(self) -> None:
        """Palette only: archive the conversation, listing every thread (siblings too) first."""
        thread = self.need_thread()
        if thread is not None:
            self._archive(thread)

    @work(group="write")
    async def _archive(self, thread: Thread) -> None:
        try:
            siblings = await self.context.siblings(thread.thread_id)
        except NoxError as exc:
            self.notify(exc.message, title="Could not list the sibling threads; nothing was sent", severity="error")
            return
        if await self.run_write(lambda: self.writes.plan_archive(thread, siblings)) is not None:
            self.thread = None
            self.refresh_list()
