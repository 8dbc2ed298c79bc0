"""The confirm modal with the vendor CLI: the tool's own dry-run beside the plan, ``y`` refused when
the tool refused it, and a failed or hung tool losing no text. Real processes, real sandbox."""

from __future__ import annotations

import pytest
from textual.widgets import Static, TextArea

from noxtui.providers.nox_cli.runner import CliRunner
from tests.cli_support import FakeCli, make_cli_app
from tests.tui.support import confirm_modal, inbox, list_loaded, plain, thread_opened, wait_for, writes_done


async def _open_and_type(pilot, text: str) -> str:
    await list_loaded(pilot)
    screen = inbox(pilot)
    row = screen.thread_list.current
    assert row is not None
    await pilot.press("enter")
    await thread_opened(pilot, row.thread_id)
    await pilot.press("e")
    screen.query_one("#draft", TextArea).clear()
    await pilot.press(*text, "escape")
    return row.thread_id


async def test_the_modal_shows_the_tools_dry_run_and_y_runs_it_once(fake_cli: FakeCli) -> None:
    app = make_cli_app(fake_cli)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_and_type(pilot, "Sounds great, see you Friday.")
        await pilot.press("s")
        modal = await confirm_modal(pilot)
        shown = plain(modal.query_one("#confirm-dry-run", Static))
        assert "message send" in shown and "--body-file" in shown and "dry-run accepted" in shown
        assert "Sounds great, see you Friday." in shown, "the body file's contents are shown"
        assert not fake_cli.forced()
        await pilot.press("y")
        await wait_for(pilot, lambda: pilot.app.screen is not modal)
        await writes_done(pilot)
    sends = [run for run in fake_cli.forced() if run["argv"][:2] == ["message", "send"]]
    assert len(sends) == 1 and "--idempotency-key" in sends[0]["argv"]


async def test_a_refused_dry_run_refuses_y_and_keeps_the_text(
    fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_cli_app(fake_cli)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_and_type(pilot, "Please hold the invoice.")
        monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT", "exit:2")
        monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT_ON", "send")
        await pilot.press("s")
        modal = await confirm_modal(pilot)
        assert modal.dry_run is not None and not modal.dry_run.ok
        assert "DRY-RUN REFUSED" in plain(modal.query_one("#confirm-dry-run", Static))
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.screen is modal and not fake_cli.forced()
        assert "y is refused" in plain(modal.query_one("#confirm-status", Static))
        await pilot.press("escape")
        await writes_done(pilot)
        assert inbox(pilot).query_one("#draft", TextArea).text == "Please hold the invoice."


async def test_a_hung_tool_is_stopped_the_rep_told_and_the_text_kept(
    fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_cli_app(fake_cli)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_and_type(pilot, "Confirming the rate card.")
        screen = inbox(pilot)
        runner = getattr(screen.service.provider, "runner", None)
        assert isinstance(runner, CliRunner)
        runner.timeout = 1.5
        monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT", "hang")
        monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT_ON", "send --force")
        await pilot.press("s")
        modal = await confirm_modal(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: modal.error is not None, timeout=15)
        assert "did not answer within 1.5 s" in plain(modal.query_one("#confirm-status", Static))
        await pilot.press("escape")
        await writes_done(pilot)
        assert screen.query_one("#draft", TextArea).text == "Confirming the rate card."
