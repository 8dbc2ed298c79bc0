"""The TUI under failure: the rep's work survives a broken server or network.

For send, draft save, labels set and the thread list, each with a 500, a 429 (Retry-After), a
dropped connection and a 401: the app keeps running, the rep is told what happened and what to do
(in the confirm modal's status for a write, as a notification for the list), the text in the
composer is exactly what the rep typed, and the server holds nothing the rep did not get to see.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from noxtui.domain.errors import NoxError
from noxtui.sandbox import ESCAPE_THREAD_ID, SandboxServer
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.inbox import InboxScreen
from tests.reliability.support import (
    SECRET_TOKEN,
    assert_actionable,
    fresh_client,
    make_tui,
    server_stats,
    tmp_paths,
)
from tests.tui.support import (
    NotificationLog,
    answer,
    confirm,
    confirm_modal,
    inbox,
    list_loaded,
    plain,
    record_notifications,
    thread_opened,
    wait_for,
)

pytestmark = pytest.mark.reliability

TYPED = "Rate card v2, sizes S/M"

FAULTS = {
    "500": ({"status": 500}, "internal server error"),
    "429": ({"status": 429, "retry_after": 0.05}, "wait 0.05 s"),
    "drop": ({"mode": "drop_before"}, "dropped"),
    "401": ({"status": 401}, "log in"),
}
ROUTES = {
    "send": ("POST", r"/send$"),
    "draft_save": ("PUT", r"/draft$"),
    "labels_set": ("PUT", r"/labels$"),
    "thread_list": ("GET", r"/messages/threads$"),
}


@pytest.fixture
def faulty(sandbox: SandboxServer) -> Iterator[SandboxServer]:
    yield sandbox
    sandbox.faults.clear()


@pytest.fixture
def app(faulty: SandboxServer, tmp_path: Path) -> NoxTUI:
    """The app as a rep runs it (offline cache and local drafts on), every file under tmp."""
    return make_tui(faulty, tmp_paths(tmp_path))


@pytest.fixture
def notes(app: NoxTUI) -> NotificationLog:
    """What the app tells the rep (its notifications), recorded from the start."""
    return record_notifications(app)


async def open_with_typed_text(pilot: Pilot) -> str:
    """Open the first thread (not the escape fixture) and type a reply in the composer."""
    await list_loaded(pilot)
    screen = inbox(pilot)
    target = next(row.thread_id for row in screen.thread_list.rows if row.thread_id != ESCAPE_THREAD_ID)
    screen.thread_list.move_to(target)
    await pilot.press("enter")
    await thread_opened(pilot, target)
    await pilot.press("e")
    area = screen.query_one("#draft", TextArea)
    area.clear()
    # Most of the text is inserted at once (each simulated key costs a frame); the tail is typed
    # for real so the keyboard path into the composer is exercised too.
    area.insert(TYPED[:-4])
    await pilot.press(*TYPED[-4:], "escape")
    assert area.text == TYPED
    return target


def notifications(notes: NotificationLog) -> list[str]:
    return [f"{n.title}: {n.message}" for n in notes]


def told(notes: NotificationLog, says: str) -> list[str]:
    """Error/warning notifications that name the fault (the list path reports through these)."""
    return [
        f"{n.title}: {n.message}"
        for n in notes
        if n.severity in ("error", "warning") and says in f"{n.title}: {n.message}".lower()
    ]


async def fail_in_the_modal(pilot: Pilot, says: str) -> NoxError:
    """Confirm the plan, let it fail, check the modal tells the rep, then back out with esc."""
    app = pilot.app
    modal = await confirm_modal(pilot)
    await pilot.press("y")
    await wait_for(pilot, lambda: modal.has_class("-failed"))
    error = modal.error
    assert error is not None
    assert_actionable(error)
    status = plain(modal.query_one("#confirm-status", Static))
    assert error.what in status.replace("\n", " ") or error.what[:40] in status
    assert error.todo[:40] in status.replace("\n", " ")
    assert says in error.message.lower()
    assert SECRET_TOKEN not in status
    await answer(pilot, modal, "escape")
    assert isinstance(app.screen, InboxScreen)
    return error


async def trigger(pilot: Pilot, op: str, says: str, notes: NotificationLog) -> None:
    """Do what the rep does for ``op`` while its route is failing, and check what the rep is told."""
    app = pilot.app
    if op == "thread_list":
        app.clear_notifications()
        notes.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: bool(told(notes, says)))
        assert all(SECRET_TOKEN not in n for n in notifications(notes))
        return
    keys = {"send": ("s",), "draft_save": ("ctrl+s",), "labels_set": ("l", "space", "enter")}[op]
    await pilot.press(*keys)
    await fail_in_the_modal(pilot, says)


@pytest.mark.parametrize("fault", list(FAULTS), ids=str)
async def test_faults_keep_the_app_running_tell_the_rep_and_keep_the_text(
    faulty: SandboxServer, app: NoxTUI, notes: NotificationLog, fault: str
) -> None:
    """One session per fault, the four operations in a row: a rep hitting one failure after another."""
    rule, says = FAULTS[fault]
    async with app.run_test(size=(120, 40)) as pilot:
        thread_id = await open_with_typed_text(pilot)
        screen = inbox(pilot)
        async with fresh_client(faulty) as fresh:
            before = await fresh.get_thread(thread_id)
        stats_before = server_stats(faulty)

        for op, (method, path) in ROUTES.items():
            faulty.faults.set_rules([{"method": method, "path": path, **rule}])
            await trigger(pilot, op, says, notes)
            assert faulty.faults.describe()[0]["hits"] >= 1, f"{op}: the fault never fired"
            faulty.faults.clear()
            # Still running, still on the inbox, and the composer holds exactly what was typed.
            assert app.is_running and app.return_code is None
            assert isinstance(app.screen, InboxScreen)
            assert screen.query_one("#draft", TextArea).text == TYPED, f"{op} lost the rep's text"

        # Usable again once the server is: reload, the thread reopens, the text is still there.
        await pilot.press("r")
        await list_loaded(pilot)
        await thread_opened(pilot, thread_id)
        assert screen.query_one("#draft", TextArea).text == TYPED

    # Nothing reached the server: every write the rep tried was refused before it was applied.
    async with fresh_client(faulty) as fresh:
        after = await fresh.get_thread(thread_id)
    assert after.message_count == before.message_count
    assert after.composer.draft_body == before.composer.draft_body
    assert {label.label_id for label in after.labels} == {label.label_id for label in before.labels}
    stats_after = server_stats(faulty)
    assert stats_after["sends"] == stats_before["sends"]
    assert stats_after["idempotency_keys"] == stats_before["idempotency_keys"]


async def test_backing_out_after_a_lost_answer_does_not_claim_nothing_was_sent(
    faulty: SandboxServer, app: NoxTUI, notes: NotificationLog
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_with_typed_text(pilot)
        sends_before = server_stats(faulty)["sends"]
        # Both attempts commit and lose the answer: the client gives up with "may have reached it".
        faulty.faults.set_rules([{"method": "POST", "path": r"/send$", "mode": "drop_after", "times": 2}])
        await pilot.press("s")
        error = await fail_in_the_modal(pilot, "dropped")
        assert "may have" in error.message.lower()
        assert server_stats(faulty)["sends"] == sends_before + 1, "the reply was sent"
        told = notifications(notes)
        assert not any("nothing was sent" in n.lower() for n in told), told


async def test_sending_again_after_a_lost_answer_does_not_send_twice(faulty: SandboxServer, app: NoxTUI) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        thread_id = await open_with_typed_text(pilot)
        sends_before = server_stats(faulty)["sends"]
        faulty.faults.set_rules([{"method": "POST", "path": r"/send$", "mode": "drop_after", "times": 2}])
        await pilot.press("s")
        await fail_in_the_modal(pilot, "dropped")
        faulty.faults.clear()
        # The rep sees their text still in the composer and sends it again.
        await pilot.press("s")
        await confirm(pilot)
    async with fresh_client(faulty) as fresh:
        after = await fresh.get_thread(thread_id)
    assert [m.body_text for m in after.messages].count(TYPED) == 1
    assert server_stats(faulty)["sends"] == sends_before + 1
