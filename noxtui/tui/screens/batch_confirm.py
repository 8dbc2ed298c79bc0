"""One confirm modal for many writes: every thread and its diff listed, then progress, then a report.

Used for batch triage and for undo. Nothing runs until ``y``; afterwards the modal stays open with
the outcome (which threads failed and why) until the rep closes it. With the vendor CLI, the tool
dry-runs every plan first (a few at a time) and ``y`` waits for them, refused if any was refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, ProgressBar, Static

from noxtui.domain.models import DryRun, WritePlan
from noxtui.domain.text import sanitize
from noxtui.services.batch import BatchOutcome
from noxtui.services.writes import BatchRunner, Previewer


def _t(text: object, style: str = "") -> Text:
    return Text(sanitize(str(text)), style=style)


def _diff_line(plan: WritePlan) -> RenderableType:
    line = _t(f"{plan.creator_name or plan.thread_id}  ", "bold")
    if plan.diff.labels is not None:
        for label in plan.diff.labels.added:
            line.append_text(_t(f"+{label.name} ", "green"))
        for label in plan.diff.labels.removed:
            line.append_text(_t(f"−{label.name} ", "red"))
    if plan.diff.status is not None:
        before = plan.diff.status.before
        line.append_text(_t(f"{(before.name or before.code) if before else 'none'} → {plan.diff.status.after.name}"))
    return line


class BatchConfirmScreen(ModalScreen[BatchOutcome | None]):
    BINDINGS = [
        Binding("y,enter", "confirm", "Confirm (run all)", show=True, priority=True, id="batch-confirm.yes"),
        Binding("n,escape", "cancel", "Cancel / close", show=True, priority=True, id="batch-confirm.no"),
    ]

    def __init__(
        self,
        title: str,
        plans: Sequence[WritePlan],
        runner: BatchRunner,
        *,
        note: str = "",
        preview: Previewer | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.plans = list(plans)
        self.runner = runner
        self.note = note
        self.preview = preview
        self.dry_runs: list[DryRun] | None = None
        """The tool's dry-run of every plan, once all are in (vendor CLI only)."""
        self.state = "checking" if preview is not None else "ready"  # (checking →) ready → running → done
        self.outcome: BatchOutcome | None = None

    def on_mount(self) -> None:
        if self.preview is not None:
            self.query_one("#confirm-status", Static).update(_t("Asking noxinfluencer to dry-run each write…", "bold"))
            self._dry_run_all()

    @work(exclusive=True, group="batch-dry-run")
    async def _dry_run_all(self) -> None:
        assert self.preview is not None
        preview = self.preview
        self.dry_runs = list(await asyncio.gather(*(preview(plan) for plan in self.plans)))
        refused = [(plan, dry) for plan, dry in zip(self.plans, self.dry_runs, strict=True) if not dry.ok]
        status = self.query_one("#confirm-status", Static)
        if refused:
            plan, dry = refused[0]
            self.state = "refused"
            self.add_class("-failed")
            status.update(
                _t(
                    f"The tool refused {len(refused)} of {len(self.plans)} dry-runs "
                    f"({plan.creator_name or plan.thread_id}: {dry.answer}), so y is refused: nothing was sent. "
                    "n / esc: back",
                    "bold red",
                )
            )
            return
        self.state = "ready"
        status.update(
            _t(f"The tool's dry-run accepted all {len(self.plans)} writes · y / enter: run all · n / esc: cancel")
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.title_text, id="confirm-title", markup=False)
            with VerticalScroll(id="confirm-body"):
                yield Static(self._listing(), id="confirm-plan", markup=False)
            yield ProgressBar(total=len(self.plans), show_eta=False, id="batch-progress")
            hint = f"{len(self.plans)} writes, one per thread · y / enter: run all · n / esc: cancel, nothing is sent"
            yield Static(hint, id="confirm-status", markup=False)
        yield Footer()

    def _listing(self) -> RenderableType:
        lines: list[RenderableType] = [_diff_line(plan) for plan in self.plans]
        if self.note:
            lines.append(_t(self.note, "italic"))
        lines.append(_t("Undo is possible afterwards with u." if all(p.undoable for p in self.plans) else "", "dim"))
        return Group(*lines)

    def action_confirm(self) -> None:
        if self.state == "done":
            self.dismiss(self.outcome)
            return
        if self.state != "ready":
            if self.state in ("checking", "refused"):
                self.app.bell()
            return
        self.state = "running"
        self.query_one("#confirm-status", Static).update(_t("Working…", "bold"))
        self._run()

    def action_cancel(self) -> None:
        if self.state == "running":
            return
        self.dismiss(self.outcome if self.state == "done" else None)

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(progress=done, total=total)

    @work(exclusive=True, group="batch")
    async def _run(self) -> None:
        outcome = await self.runner(self.plans, self._progress)
        self.outcome = outcome
        self.state = "done"
        report: list[RenderableType] = [_t(f"Done: {outcome.summary}.", "bold")]
        for plan, error in outcome.failed:
            report.append(_t(f"✗ {plan.creator_name or plan.thread_id}: {error.what} — {error.todo}", "bold red"))
        if outcome.failed:
            retry = "The other threads stay changed. Press r to refresh, then retry the failed ones."
            report.append(_t(retry, "italic"))
        report.append(_t("enter / esc: close", "dim"))
        self.query_one("#confirm-status", Static).update(Group(*report))
        self.set_class(bool(outcome.failed), "-failed")
