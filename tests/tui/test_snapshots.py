"""Layout snapshots of every screen the rep sees (regenerate with ``pytest --snapshot-update``)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.help import HelpScreen
from tests.tui.support import confirm_modal, list_loaded, make_app, thread_opened, wait_for, workers_done


async def _loaded(pilot: Pilot) -> None:
    await list_loaded(pilot)


async def _opened(pilot: Pilot) -> None:
    await list_loaded(pilot)
    await pilot.press("j", "j", "enter")
    await thread_opened(pilot)
    await workers_done(pilot, "detail", "catalogues")  # sibling projects, senders


def _then(*keys: str):
    async def run(pilot: Pilot) -> None:
        await _opened(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run


def test_inbox_120x40(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=_loaded)


def test_inbox_80x24(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(80, 24), run_before=_loaded)


def test_detail_pane(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=_opened)


def test_detail_pane_80x24(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(80, 24), run_before=_opened)


def test_labels_panel(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=_then("l"))


def test_coop_panel(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=_then("c"))


def test_templates_panel(snap_compare, sandbox, sandbox_token) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=_then("T"))


def test_confirm_modal_for_send(snap_compare, sandbox, sandbox_token) -> None:
    async def run(pilot: Pilot) -> None:
        await _opened(pilot)
        await pilot.press("e", *" See you Monday.", "escape", "s")
        await confirm_modal(pilot)

    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=run)


def test_help_screen(snap_compare, sandbox, sandbox_token) -> None:
    async def run(pilot: Pilot) -> None:
        await list_loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))

    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=run)


@pytest.mark.parametrize("theme", ["noxtui-dark", "noxtui-light", "noxtui-contrast"])
def test_theme(snap_compare, sandbox, sandbox_token, theme: str) -> None:
    assert snap_compare(make_app(sandbox, sandbox_token, theme=theme), terminal_size=(120, 40), run_before=_opened)


def test_no_color_80x24(snap_compare, sandbox, sandbox_token, monkeypatch) -> None:
    """With NO_COLOR the cursor, markers and arrows must still carry the meaning."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(80, 24), run_before=_loaded)


def _context(key: str, creator_id: str | None = None, email_task: bool = False):
    async def run(pilot: Pilot) -> None:
        from tests.tui.support import inbox

        await list_loaded(pilot)
        screen = inbox(pilot)
        rows = screen.thread_list.rows
        if email_task:
            target = next(r for r in rows if r.business_kind == "email_task")
            screen.thread_list.move_to(target.thread_id)
        elif creator_id:
            async with NoxClient(pilot.app.provider.client.base_url, "noxtui-sandbox") as client:  # type: ignore[attr-defined]
                for row in rows:
                    if (await client.get_thread(row.thread_id)).creator.creator_id == creator_id:
                        screen.thread_list.move_to(row.thread_id)
                        break
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.press(key)
        await workers_done(pilot, "context")  # the panel's task or channel is in

    return run


def test_email_task_panel(snap_compare, sandbox, sandbox_token) -> None:
    run = _context("i", email_task=True)
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=run)


def test_crm_panel(snap_compare, sandbox, sandbox_token) -> None:
    run = _context("p", "cr_000001")
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=run)


def test_crm_panel_without_channel(snap_compare, sandbox, sandbox_token) -> None:
    run = _context("p", "cr_000002")
    assert snap_compare(make_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=run)


def test_inbox_on_the_inbox_provider(snap_compare, sandbox, sandbox_token) -> None:
    from tests.tui.support import make_inbox_app

    assert snap_compare(make_inbox_app(sandbox, sandbox_token), terminal_size=(120, 40), run_before=_opened)
