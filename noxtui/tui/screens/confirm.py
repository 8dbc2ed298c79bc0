"""The confirm modal: the app's stand-in for the CLI's ``--force``.

It shows the plan exactly as it will be sent and runs it only on ``y``/enter. A failure stays in
the modal with the typed error, so the rep can retry the very same plan (same Idempotency-Key,
so a retry can never write twice) or back out with the draft untouched.

With the vendor CLI, opening the modal runs the tool's own dry-run of the same command line (no
``--force``) and shows its answer beside the plan; ``y`` waits for it and is refused when the tool
refused the dry-run, since the forced run would fail the same way.
"""

from __future__ import annotations

import json

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from noxtui.domain.errors import NoxError, TransportError
from noxtui.domain.models import DryRun, WritePlan, WriteResult
from noxtui.domain.text import sanitize
from noxtui.services.writes import Executor, FailedWrite, Previewer

__all__ = ["ConfirmScreen", "Executor", "FailedWrite", "describe_plan"]


def _t(text: object, style: str = "") -> Text:
    return Text(sanitize(str(text)), style=style)


def describe_plan(plan: WritePlan, sender_label: str | None = None, reply_to_text: str | None = None) -> RenderableType:
    """Everything the rep must see before saying yes: target, diff, sender, time, exact body."""
    parts: list[RenderableType] = [_t(plan.summary, "bold")]
    target = f"Thread {plan.thread_id}" if plan.thread_id else "Workspace"
    if plan.creator_name:
        target += f" · {plan.creator_name}"
    parts.append(_t(target, "dim"))
    if plan.argv:
        parts.append(_t("noxinfluencer " + " ".join(plan.argv) + " --force", "dim"))
    else:
        parts.append(_t(f"{plan.method} {plan.path}", "dim"))
    diff = plan.diff
    if diff.labels:
        for label in diff.labels.added:
            parts.append(_t(f"  + {label.name}", "bold green"))
        for label in diff.labels.removed:
            parts.append(_t(f"  − {label.name}", "bold red"))
        if diff.labels.kept:
            parts.append(_t("    kept: " + ", ".join(label.name for label in diff.labels.kept), "dim"))
    if diff.status:
        before = diff.status.before.name or diff.status.before.code if diff.status.before else "none"
        parts.append(_t(f"  status: {before} → {diff.status.after.name or diff.status.after.code}", "bold"))
    if plan.kind in ("send", "schedule"):
        parts.append(_t(f"From: {sender_label or plan.sender or '(no sender)'}", "bold"))
    if plan.send_at is not None:
        parts.append(_t(f"Send at: {plan.send_at.isoformat()}", "bold"))
    if plan.reply_to:
        parts.append(_t(f"In reply to message {plan.reply_to}:", "bold"))
        if reply_to_text:
            quote = reply_to_text if len(reply_to_text) <= 300 else reply_to_text[:299] + "…"
            parts.append(Panel(_t(quote, "italic"), title="their message", title_align="left"))
    body_text = _body_text(plan)
    if body_text is not None:
        parts.append(Panel(_t(body_text or "(empty)"), title="exact text", title_align="left", expand=True))
    elif plan.body:
        request = _t(json.dumps(plan.body, ensure_ascii=False, indent=1))
        parts.append(Panel(request, title="request body", title_align="left"))
    for warning in plan.warnings:
        parts.append(_t(f"! {warning}", "bold"))
    if plan.kind == "send":
        parts.append(_t("A sent message cannot be undone.", "bold italic"))
    elif plan.kind == "schedule":
        parts.append(_t("Until it goes out, C cancels it (its text comes back to you).", "bold italic"))
    elif plan.undoable:
        parts.append(_t("Undo is possible afterwards with u.", "italic dim"))
    return Group(*parts)


def describe_dry_run(dry_run: DryRun) -> RenderableType:
    """The tool's own dry-run: the exact command, the body file it read, and what it answered."""
    parts: list[RenderableType] = [_t("$ " + dry_run.command, "bold")]
    if dry_run.body_file is not None:
        parts.append(Panel(_t(dry_run.body_file), title="body file", title_align="left", expand=True))
    verdict = "dry-run accepted" if dry_run.ok else "DRY-RUN REFUSED"
    parts.append(_t(f"{verdict}: {dry_run.answer}", "bold" if dry_run.ok else "bold red"))
    return Panel(Group(*parts), title="noxinfluencer dry-run (nothing sent yet)", title_align="left", expand=True)


def _body_text(plan: WritePlan) -> str | None:
    if plan.diff.text is not None:
        return plan.diff.text.after
    if plan.body is None:
        return None
    for key in ("content", "body"):
        value = plan.body.get(key)
        if isinstance(value, str):
            return value
    return None


class ConfirmScreen(ModalScreen[WriteResult | FailedWrite | None]):
    """Shows one plan; y/enter executes it, n/esc dismisses with nothing sent."""

    BINDINGS = [
        Binding("y,enter", "confirm", "Confirm (run it)", show=True, priority=True, id="confirm.yes"),
        Binding("n,escape", "cancel", "Cancel (send nothing)", show=True, priority=True, id="confirm.no"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="confirm.scroll-down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="confirm.scroll-up"),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=True, id="confirm.page-down"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="confirm.page-up"),
        Binding("G,end", "scroll('end')", "To the end", show=False, id="confirm.end"),
        Binding("g,home", "scroll('home')", "To the top", show=False, id="confirm.home"),
    ]

    CHROME_ROWS = 9
    """Rows around the plan's scrolling body: borders, title, the key line (up to 3 rows), footer."""

    def __init__(
        self,
        plan: WritePlan,
        executor: Executor,
        *,
        sender_label: str | None = None,
        reply_to_text: str | None = None,
        preview: Previewer | None = None,
    ) -> None:
        super().__init__()
        self.plan = plan
        self.executor = executor
        self.sender_label = sender_label
        self.reply_to_text = reply_to_text
        self.preview = preview
        self.dry_run: DryRun | None = None
        """The tool's dry-run answer once it is in (``None`` while it runs, or without a tool)."""
        self.running = False
        self.error: NoxError | None = None
        self.seen_to = 0
        """How far down the plan the rep has seen (rows of the body): ``y`` waits for all of it."""

    @property
    def rows_below(self) -> int:
        """Rows of the plan not yet shown once (0 when the rep has seen the whole of it)."""
        body = self.query_one("#confirm-body", VerticalScroll)
        return max(0, body.virtual_size.height - self.seen_to)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(f"Confirm {self.plan.kind.replace('_', ' ')}", id="confirm-title", markup=False)
            with VerticalScroll(id="confirm-body"):
                described = describe_plan(self.plan, self.sender_label, self.reply_to_text)
                yield Static(described, id="confirm-plan", markup=False)
                if self.preview is not None:
                    yield Static(_t("Asking noxinfluencer for its dry-run…", "italic"), id="confirm-dry-run")
            yield Static(self._keys_line(), id="confirm-status", markup=False)
        yield Footer()

    def _keys_line(self) -> str:
        back = "n / esc: keep the schedule" if self.plan.kind == "cancel" else "n / esc: cancel, nothing is sent"
        if self.preview is not None and self.dry_run is None:
            return f"waiting for the tool's dry-run…    {back}"
        if self.is_mounted and self.rows_below:
            below = f"↓ {self.rows_below} more rows below: space / j to read them; y works once you have seen it all"
            return f"{below}    {back}"
        return f"y / enter: run it    {back}"

    def on_mount(self) -> None:
        body = self.query_one("#confirm-body", VerticalScroll)
        body.focus()
        self.watch(body, "scroll_y", self._scrolled, init=False)
        self.call_after_refresh(self._fit)
        if self.preview is not None:
            self._run_dry_run()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Give the plan the rows the screen has (at 80×24 too), keeping the key line on screen."""
        body = self.query_one("#confirm-body", VerticalScroll)
        body.styles.max_height = max(3, self.size.height - self.CHROME_ROWS)
        self.call_after_refresh(self._scrolled)

    def _scrolled(self, _value: float | None = None) -> None:
        body = self.query_one("#confirm-body", VerticalScroll)
        self.seen_to = max(self.seen_to, int(body.scroll_y) + body.size.height)
        if not self.running and self.error is None and not self.has_class("-failed"):
            self._status(self._keys_line(), "")

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#confirm-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "end": body.scroll_end,
            "home": body.scroll_home,
        }[where](animate=False)

    @work(exclusive=True, group="confirm-dry-run")
    async def _run_dry_run(self) -> None:
        assert self.preview is not None
        dry_run = await self.preview(self.plan)
        self.dry_run = dry_run
        self.query_one("#confirm-dry-run", Static).update(describe_dry_run(dry_run))
        if dry_run.ok:
            self.call_after_refresh(self._scrolled)
        else:
            self.add_class("-failed")
            self._status("The tool refused this write, so y is refused: nothing was sent.    n / esc: back", "bold red")

    def action_confirm(self) -> None:
        if self.running:
            return
        if self.preview is not None and (self.dry_run is None or not self.dry_run.ok):
            waiting = self.dry_run is None
            self.app.bell()
            if waiting:
                self._status("Still waiting for the tool's dry-run; y works once it has answered.", "bold")
            return
        if self.rows_below:
            self.app.bell()
            self._status(
                f"Not sent: {self.rows_below} rows of this plan are below the fold. "
                "Read them (space / j / G), then y.",
                "bold",
            )
            return
        self.running = True
        self._status("Working…", "bold")
        self._run()

    def action_cancel(self) -> None:
        if self.running:
            # The rep stops waiting (a long rate-limit wait, a slow server): the request may already
            # have landed, so this is a failed write with an unknown outcome, never a silent cancel.
            # The plan (and its key) is kept: sending it again cannot write twice.
            self.workers.cancel_group(self, "confirm")
            self.running = False
            stopped = TransportError(
                "You stopped waiting for the answer", "It may have been applied: check the thread before resending."
            )
            self.dismiss(FailedWrite(self.plan, stopped))
            return
        self.dismiss(FailedWrite(self.plan, self.error) if self.error is not None else None)

    @work(exclusive=True, group="confirm")
    async def _run(self) -> None:
        try:
            result = await self.executor(self.plan)
        except NoxError as exc:
            self.error = exc
            self.running = False
            retry = "y: try again (same request, never sent twice) · esc: back"
            self._status(f"{exc.what}\n{exc.todo}\n{retry}", "bold red")
            self.add_class("-failed")
            return
        self.running = False
        self.dismiss(result)

    def _status(self, text: str, style: str) -> None:
        self.query_one("#confirm-status", Static).update(_t(text, style))
