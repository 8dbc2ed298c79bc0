"""Every write, as one flow: plan → confirm → execute once → record for undo, or the failed-write policy.

Screens used to carry this flow in pieces, one callback per write. It lives here so that every write
(a reply, a label, a batch of fifty, an undo) goes through the same steps in the same order:

1. **Plan.** Offline? Refused, nothing queued. Bad input? The plan builder says why. Either way the
   rep is told "Nothing was sent". The plan of a write that failed before is reused (same body, same
   Idempotency-Key), so confirming it again can never write twice.
2. **Confirm.** The screen supplies the modal as an awaitable (``WriteUI.confirm``); the modal runs
   the executor this service hands it, which executes the confirmed plan once (a second ``y`` after
   it landed gets the same answer back, not a second write).
3. **Afterwards.** Applied: forget the failure, record label/status changes for ``u``. Cancelled:
   "nothing was sent". Backed out after a failure: the write may have landed, so the rep is told
   which (a 4xx is definite, anything else is unknown) and the screen re-reads the server.

Nothing here touches a widget: the screen passes a ``WriteUI`` and paints what it is told.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from noxtui.domain.errors import CapabilityError, NoxError, OfflineError, PlanError
from noxtui.domain.models import (
    CoopStatus,
    CrmChannel,
    DryRun,
    Label,
    Project,
    Template,
    Thread,
    ThreadSummary,
    WritePlan,
    WriteResult,
)
from noxtui.providers.base import Archive, Crm, DryRunning, Provider, Scheduling, ServerDrafts, ServerTemplates
from noxtui.services.batch import (
    BatchOutcome,
    LabelChange,
    fetch_threads,
    plan_label_batch,
    plan_status_batch,
    plan_undo,
    run_plans,
)

Executor = Callable[[WritePlan], Awaitable[WriteResult]]
"""Runs a confirmed plan; the confirm modal calls it on ``y`` (again on a retry)."""

BatchPlanner = Callable[[list[ThreadSummary]], list[WritePlan]]
"""Builds a batch's plans from the marked threads' current server copies."""

Previewer = Callable[[WritePlan], Awaitable[DryRun]]
"""Runs the backend tool's own dry-run of a plan (the vendor CLI without ``--force``)."""

BatchRunner = Callable[[Sequence[WritePlan], Callable[[int, int], None]], Awaitable[BatchOutcome]]
"""Runs every plan of a batch, reporting progress as (done, total)."""

Severity = Literal["information", "warning", "error"]
T = TypeVar("T")

UNDO_DEPTH = 20
"""How many label/status changes ``u`` can walk back."""


@dataclass(frozen=True)
class FailedWrite:
    """The rep backed out after the plan failed: unlike a plain cancel, it may have reached the server."""

    plan: WritePlan
    error: NoxError


@dataclass(frozen=True)
class Notice:
    """Something the rep must be told about a write (the screen shows it as a notification)."""

    message: str
    title: str = ""
    severity: Severity = "information"
    timeout: float | None = None


class WriteUI(Protocol):
    """What the flow needs from a screen: the two confirm modals, awaited, and a way to tell the rep."""

    async def confirm(
        self, plan: WritePlan, execute: Executor, preview: Previewer | None = None
    ) -> WriteResult | FailedWrite | None: ...

    async def confirm_batch(
        self, title: str, plans: Sequence[WritePlan], run: BatchRunner, preview: Previewer | None = None
    ) -> BatchOutcome | None: ...

    def tell(self, notice: Notice) -> None: ...


def failure_notice(failed: FailedWrite) -> Notice:
    """A 4xx means the server refused it (nothing changed); anything else may have been applied."""
    status = failed.error.status
    if status is not None and 400 <= status < 500:
        return Notice(f"{failed.error.what}. Nothing was changed; your text is kept.", "Not sent", "error")
    return Notice(
        f"{failed.error.what}. It may have been applied: reloading to show what the server holds. "
        "Sending the same text again reuses the same request, so it can never go out twice.",
        "Outcome unknown",
        "warning",
        10,
    )


class WriteService:
    """The one way the app writes: plans built here, confirmed by the screen, run and recorded here."""

    def __init__(self, provider: Provider, *, is_offline: Callable[[], bool]) -> None:
        """``is_offline``: whether the last read failed on the network (writes are then refused)."""
        self.provider = provider
        self._is_offline = is_offline
        self._failed_plans: dict[str, WritePlan] = {}
        self._in_flow = False
        self.undo_stack: list[list[WritePlan]] = []
        """Applied label/status changes, oldest first; each entry is one single or batch change."""
        self.preview: Previewer | None = provider.dry_run if isinstance(provider, DryRunning) else None
        """The backend's own dry-run, shown in the confirm modal beside the plan (the vendor CLI)."""

    # --- the flow -------------------------------------------------------------------------------

    async def _alone(self, ui: WriteUI, flow: Callable[[], Awaitable[T]]) -> T | None:
        """Run one write flow, refusing any other until it has ended.

        Two keys can arrive in one read over SSH (``s s``, ``enter enter`` in a panel): each starts
        a flow before the first one's modal is up, and answering both modals would write twice
        under two keys. The flag is set before the first ``await``, so the second flow always sees it.
        """
        if self._in_flow:
            ui.tell(Notice("A write is already waiting for your answer; this one was not started.", "Nothing was sent"))
            return None
        self._in_flow = True
        try:
            return await flow()
        finally:
            self._in_flow = False

    async def write(
        self, build: Callable[[], WritePlan], ui: WriteUI, *, record: bool = True
    ) -> WriteResult | FailedWrite | None:
        """Plan, confirm and run one write. Returns what became of it: applied, failed, or ``None``
        (refused or cancelled; the rep has been told either way)."""
        return await self._alone(ui, lambda: self._write(build, ui, record=record))

    async def _write(
        self, build: Callable[[], WritePlan], ui: WriteUI, *, record: bool
    ) -> WriteResult | FailedWrite | None:
        try:
            self.refuse_if_offline()
            plan = self.with_retry_key(build())
        except (PlanError, OfflineError, CapabilityError) as exc:
            ui.tell(Notice(exc.message, "Nothing was sent", "error", 8))
            return None
        return await self._confirm(plan, ui, record=record)

    async def _confirm(self, plan: WritePlan, ui: WriteUI, *, record: bool) -> WriteResult | FailedWrite | None:
        answer = await ui.confirm(plan, self._once(plan), self.preview)
        if answer is None:
            ui.tell(Notice("Cancelled — nothing was sent.", plan.summary))
            return None
        if isinstance(answer, FailedWrite):
            self.remember_failed(answer.plan)
            ui.tell(failure_notice(answer))
            return answer
        self.forget_failed(plan)
        if record:
            self.record_done([answer.plan])
        ui.tell(Notice(answer.summary or plan.summary, "Done"))
        return answer

    def _once(self, plan: WritePlan) -> Executor:
        """The executor for one confirmed plan: one execution at a time, none after it landed."""
        lock = asyncio.Lock()
        landed: list[WriteResult] = []

        async def execute(confirmed: WritePlan) -> WriteResult:
            if confirmed.idempotency_key != plan.idempotency_key:
                raise PlanError("This is not the plan that was confirmed", "Plan the write again.")
            async with lock:
                if not landed:
                    landed.append(await self.provider.execute(plan))
                return landed[0]

        return execute

    async def label_batch(
        self, thread_ids: Sequence[str], change: LabelChange, catalogue: Sequence[Label], ui: WriteUI
    ) -> BatchOutcome | None:
        """Add/remove labels on every marked thread, each from its current server copy."""
        return await self._batch(
            thread_ids, lambda threads: plan_label_batch(self.provider, threads, change, catalogue), "Change labels", ui
        )

    async def status_batch(self, thread_ids: Sequence[str], status: CoopStatus, ui: WriteUI) -> BatchOutcome | None:
        """Move every marked thread to ``status``."""
        return await self._batch(
            thread_ids, lambda threads: plan_status_batch(self.provider, threads, status), f"Set {status.name}", ui
        )

    async def _batch(
        self, thread_ids: Sequence[str], build: BatchPlanner, title: str, ui: WriteUI
    ) -> BatchOutcome | None:
        """Fetch the marked threads' current state, plan one write each, and ask once for all."""
        return await self._alone(ui, lambda: self._prepare_batch(thread_ids, build, title, ui))

    async def _prepare_batch(
        self, thread_ids: Sequence[str], build: BatchPlanner, title: str, ui: WriteUI
    ) -> BatchOutcome | None:
        ui.tell(Notice(f"Preparing {len(thread_ids)} threads…", timeout=2))
        try:
            self.refuse_if_offline()
            plans = build(await fetch_threads(self.provider, thread_ids))
        except (PlanError, OfflineError) as exc:
            ui.tell(Notice(exc.message, "Nothing was sent", "error", 8))
            return None
        except NoxError as exc:
            ui.tell(Notice(exc.message, "Could not prepare the batch; nothing was sent", "error", 8))
            return None
        if not plans:
            ui.tell(Notice("Every marked thread is already like that; nothing to change."))
            return None
        return await self._run_batch(f"{title}: {len(plans)} threads", plans, ui, for_marks=True)

    async def _run_batch(
        self, title: str, plans: list[WritePlan], ui: WriteUI, *, for_marks: bool = False, is_undo: bool = False
    ) -> BatchOutcome | None:
        async def run(todo: Sequence[WritePlan], progress: Callable[[int, int], None]) -> BatchOutcome:
            return await run_plans(self.provider, todo, on_progress=progress)

        outcome = await ui.confirm_batch(title, plans, run, self.preview)
        if outcome is None:
            ui.tell(Notice("Cancelled — nothing was sent."))
            return None
        if not is_undo:
            self.record_done([result.plan for result in outcome.applied])
        elif not outcome.failed:
            self.undo_stack.pop()
        marks = " — failed threads stay marked." if outcome.failed and for_marks else ""
        ui.tell(Notice(outcome.summary + marks, title, "warning" if outcome.failed else "information"))
        return outcome

    async def undo(self, ui: WriteUI) -> WriteResult | FailedWrite | BatchOutcome | None:
        """Plan the inverse of the last label/status change and confirm it like any write."""
        return await self._alone(ui, lambda: self._undo(ui))

    async def _undo(self, ui: WriteUI) -> WriteResult | FailedWrite | BatchOutcome | None:
        if not self.undo_stack:
            ui.tell(Notice("Nothing to undo: only label and status changes can be undone; sends never can."))
            return None
        try:
            self.refuse_if_offline()
            inverse = plan_undo(self.provider, self.undo_stack[-1])
        except (PlanError, OfflineError) as exc:
            ui.tell(Notice(exc.message, "Cannot undo", "error"))
            return None
        if len(inverse) > 1:
            return await self._run_batch(f"Undo: {len(inverse)} threads", inverse, ui, is_undo=True)
        answer = await self._confirm(inverse[0], ui, record=False)
        if isinstance(answer, WriteResult):
            self.undo_stack.pop()
        return answer

    # --- state: offline, failed plans, undo ------------------------------------------------------

    def refuse_if_offline(self) -> None:
        """Writes are never queued: while offline they are refused, with what to do instead."""
        if self._is_offline():
            raise OfflineError("You are offline, so nothing was sent or queued")

    @staticmethod
    def _fingerprint(plan: WritePlan) -> str:
        """The write's identity for retry purposes: the same text to the same place. The sender is left
        out on purpose: a reload may preselect another sender, and that must not make it a new send."""
        body = {k: v for k, v in (plan.body or {}).items() if k != "sender_auth_id"}
        return json.dumps([plan.kind, plan.method, plan.path, body], sort_keys=True, default=str)

    def remember_failed(self, plan: WritePlan) -> None:
        """A write failed (its answer may be lost): the same write again must be that same request."""
        self._failed_plans[self._fingerprint(plan)] = plan

    def with_retry_key(self, plan: WritePlan) -> WritePlan:
        """For the very write that failed before, return that earlier plan (same body, same
        Idempotency-Key): the server replays the first result if it did commit, never writes twice."""
        return self._failed_plans.get(self._fingerprint(plan), plan)

    def forget_failed(self, plan: WritePlan) -> None:
        self._failed_plans.pop(self._fingerprint(plan), None)

    def record_done(self, plans: Sequence[WritePlan]) -> None:
        """Remember an applied label/status change (single or batch) so ``u`` can undo it."""
        undoable = [plan for plan in plans if plan.undoable]
        if undoable:
            self.undo_stack.append(undoable)
            del self.undo_stack[:-UNDO_DEPTH]

    # --- plans: what the screens may ask for, each checked against the provider's capabilities ----

    def _cannot(self, what: str) -> CapabilityError:
        return CapabilityError(f"{self.provider.display_name} cannot {what}")

    def plan_labels(self, thread: Thread, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
        return self.provider.plan_labels(thread, label_ids, catalogue)

    def plan_coop(self, thread: Thread, status: CoopStatus) -> WritePlan:
        return self.provider.plan_coop(thread, status)

    def plan_send(self, thread: Thread, body: str, sender: str | None, reply_to: str | None = None) -> WritePlan:
        return self.provider.plan_send(thread, body, sender, reply_to)

    def plan_draft(self, thread: Thread, body: str, sender: str | None) -> WritePlan:
        if not isinstance(self.provider, ServerDrafts):
            raise self._cannot("save drafts on the server")
        return self.provider.plan_draft(thread, body, sender)

    def plan_schedule(self, thread: Thread, body: str, sender: str | None, send_at: str) -> WritePlan:
        if not isinstance(self.provider, Scheduling):
            raise self._cannot("schedule messages")
        return self.provider.plan_schedule(thread, body, sender, send_at)

    def plan_cancel(self, thread: Thread) -> WritePlan:
        if not isinstance(self.provider, Scheduling):
            raise self._cannot("cancel a scheduled message")
        return self.provider.plan_cancel(thread)

    def plan_template_use(
        self, thread: Thread, template: Template, variables: Mapping[str, str] | None = None
    ) -> WritePlan:
        if not isinstance(self.provider, ServerTemplates):
            raise self._cannot("use server templates")
        return self.provider.plan_template_use(thread, template, variables)

    def plan_template_save(self, name: str, language: str, body: str, subject: str | None = None) -> WritePlan:
        if not isinstance(self.provider, ServerTemplates):
            raise self._cannot("save server templates")
        return self.provider.plan_template_save(name, language, body, subject)

    def plan_crm_update(
        self, channel: CrmChannel, *, notes: str | None = None, owner_uid: str | None = None
    ) -> WritePlan:
        if not isinstance(self.provider, Crm):
            raise self._cannot("update a CRM channel")
        return self.provider.plan_crm_update(channel, notes=notes, owner_uid=owner_uid)

    def plan_archive(self, thread: Thread, siblings: Sequence[Project]) -> WritePlan:
        if not isinstance(self.provider, Archive):
            raise self._cannot("archive a conversation")
        return self.provider.plan_archive(thread, siblings)
