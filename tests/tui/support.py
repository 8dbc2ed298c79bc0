"""Helpers for driving the app with Pilot against a live sandbox."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator

from rich.console import Console
from textual.app import App
from textual.notifications import Notification, SeverityLevel
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.batch_confirm import BatchConfirmScreen
from noxtui.tui.screens.confirm import ConfirmScreen
from noxtui.tui.screens.inbox import InboxScreen
from tests.sandbox_support import SANDBOX_NOW


def make_app(
    sandbox, token: str, *, theme: str = "noxtui-dark", use_cache: bool = True, scroll: str = "auto"
) -> NoxTUI:
    """The real app on the real client, frozen at the sandbox's clock so relative times are stable."""
    client = NoxClient(sandbox.base_url, token, backoff=0.01, max_retries=1)
    return NoxTUI(
        provider=NoxProvider(client, clock=lambda: SANDBOX_NOW),
        settings=Settings(theme=theme, scroll=scroll),  # type: ignore[arg-type]  # a test passes any mode
        clock=lambda: SANDBOX_NOW,
        label="test",
        persist_settings=False,
        use_cache=use_cache,
    )


async def wait_for(pilot: Pilot, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let workers run until ``predicate`` holds; fail loudly instead of hanging."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)
    await pilot.pause()


def inbox(pilot: Pilot) -> InboxScreen:
    screen = pilot.app.screen_stack[1] if len(pilot.app.screen_stack) > 1 else pilot.app.screen
    assert isinstance(screen, InboxScreen)
    return screen


async def list_loaded(pilot: Pilot) -> None:
    """Wait until every page of the current filter is in the list."""
    await wait_for(pilot, lambda: len(pilot.app.screen_stack) > 1 and not _loading(pilot))


def _loading(pilot: Pilot) -> bool:
    screen = inbox(pilot)
    workers = [w for w in screen.workers if w.group in ("list", "sync") and w.is_running]
    return bool(workers) or screen.total is None or screen.thread_list.row_count < screen.total


async def thread_opened(pilot: Pilot, thread_id: str | None = None) -> None:
    def ready() -> bool:
        screen = inbox(pilot)
        return screen.thread is not None and (thread_id is None or screen.thread.thread_id == thread_id)

    await wait_for(pilot, ready)


async def server_threads(sandbox, token: str, query: ThreadQuery) -> list[ThreadSummary]:
    """Every thread the server matches, read through a fresh client (the ground truth)."""
    async with NoxClient(sandbox.base_url, token) as client:
        found: list[ThreadSummary] = []
        page = 1
        while True:
            result = await client.list_threads(query, page=page, page_size=100)
            found.extend(result.threads)
            if not result.has_more:
                return found
            page += 1


# --- the confirm flow -----------------------------------------------------------------------------

WRITE_GROUPS = ("write", "batch")
"""The inbox's worker groups that carry a write from its plan to the re-read after it."""


async def workers_done(pilot: Pilot, *groups: str) -> None:
    """Wait until the inbox's workers of these groups have finished (``detail``, ``context``…)."""
    screen = inbox(pilot)
    pending = [w for w in pilot.app.workers if w.node is screen and w.group in groups and not w.is_finished]
    if pending:  # (an empty list would make Textual wait for every worker of the app)
        await pilot.app.workers.wait_for_complete(pending)
    await pilot.pause()


async def writes_done(pilot: Pilot) -> None:
    """Wait until no write of the inbox is in flight: its modal answered and what follows started."""
    await workers_done(pilot, *WRITE_GROUPS)


async def confirm_modal(pilot: Pilot) -> ConfirmScreen:
    """The confirm modal, once it is up (and, for the vendor CLI, once the tool's dry-run is in)."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    modal = pilot.app.screen
    assert isinstance(modal, ConfirmScreen)
    await wait_for(pilot, lambda: modal.preview is None or modal.dry_run is not None, timeout=20)
    return modal


async def batch_modal(pilot: Pilot) -> BatchConfirmScreen:
    """The batch confirm modal, once it is up."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BatchConfirmScreen))
    modal = pilot.app.screen
    assert isinstance(modal, BatchConfirmScreen)
    await wait_for(pilot, lambda: modal.state != "checking", timeout=30)  # the vendor CLI's dry-runs
    return modal


async def run_batch(pilot: Pilot, modal: BatchConfirmScreen) -> None:
    """Confirm a batch and wait for its report (the modal stays open on it)."""
    await pilot.press("y")
    await wait_for(pilot, lambda: modal.state == "done")


async def answer(pilot: Pilot, modal: Screen, key: str = "y") -> None:
    """Press ``key`` in ``modal`` and wait until it has closed and the write's worker has finished.

    A plan taller than the modal is read to its end first (``G``), as ``y`` asks of the rep."""
    if key == "y" and isinstance(modal, ConfirmScreen) and modal.rows_below:
        await pilot.press("G")
        await wait_for(pilot, lambda: modal.rows_below == 0)
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.screen is not modal)
    await writes_done(pilot)


async def confirm(pilot: Pilot, key: str = "y") -> str:
    """The whole confirm flow: wait for the modal, answer it with ``key`` (y: run it, escape: send
    nothing), wait for the write to finish. Returns the plan text the modal showed."""
    modal = await confirm_modal(pilot)
    shown = plain(modal.query_one("#confirm-plan", Static))
    await answer(pilot, modal, key)
    return shown


# --- notifications --------------------------------------------------------------------------------


class NotificationLog:
    """Every notification the app showed since it was recorded (or last cleared), oldest first."""

    def __init__(self) -> None:
        self.seen: list[Notification] = []

    def __iter__(self) -> Iterator[Notification]:
        return iter(list(self.seen))

    def clear(self) -> None:
        self.seen.clear()


def record_notifications(app: App) -> NotificationLog:
    """Record what ``app.notify`` is asked to show (the toasts still appear as usual)."""
    log = NotificationLog()
    show = app.notify

    def notify(
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        log.seen.append(Notification(message, title, severity, timeout or app.NOTIFICATION_TIMEOUT, markup))
        show(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return log


def plain(widget: Static) -> str:
    """The text a Static shows, as plain characters (whatever renderable it was given)."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


def make_inbox_app(sandbox, token: str, *, use_cache: bool = True) -> NoxTUI:
    """The same app and screens on the Inbox (X DM) provider, served by the same sandbox."""
    from noxtui.providers.inbox.provider import InboxProvider

    provider = InboxProvider(f"{sandbox.root_url}/inbox/api/v1", token, backoff=0.01, max_retries=1)
    return NoxTUI(
        provider=provider,
        settings=Settings(),
        clock=lambda: SANDBOX_NOW,
        label="test",
        persist_settings=False,
        use_cache=use_cache,
    )


async def inbox_threads(sandbox, token: str, query: ThreadQuery) -> list[ThreadSummary]:
    """Every Inbox thread the provider lists for ``query``, walking its cursor pages."""
    from noxtui.providers.inbox.provider import InboxProvider

    provider = InboxProvider(f"{sandbox.root_url}/inbox/api/v1", token)
    try:
        found: list[ThreadSummary] = []
        page = 1
        while True:
            result = await provider.list_threads(query, page=page, page_size=100)
            found.extend(result.threads)
            if not result.has_more:
                return found
            page += 1
    finally:
        await provider.aclose()
