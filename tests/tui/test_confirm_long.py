"""A long reply in the confirm modal at 80×24: it scrolls to its last line, the key line stays on
screen, and ``y`` is refused (saying how much is below) until the whole text has been shown once."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from noxtui.providers.nox_rest.client import NoxClient
from tests.tui.support import confirm_modal, inbox, list_loaded, make_app, plain, thread_opened, wait_for, writes_done

LONG = "\n".join(f"Line {n:02d} of the usage terms we agreed on." for n in range(1, 61))


async def test_a_long_reply_must_be_read_to_its_end_before_y_sends_it(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        row = screen.thread_list.current
        assert row is not None
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)
        assert screen.thread is not None
        before = screen.thread.message_count
        await pilot.press("e")
        screen.query_one("#draft", TextArea).load_text(LONG)
        await pilot.press("escape", "s")
        modal = await confirm_modal(pilot)
        await wait_for(pilot, lambda: modal.rows_below > 0)
        status = modal.query_one("#confirm-status", Static)
        assert status.region.bottom <= pilot.app.size.height - 1, "the key line is on screen at 80×24"
        assert "more rows below" in plain(status)

        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.screen is modal and "Not sent" in plain(status)
        async with NoxClient(sandbox.base_url, sandbox_token) as client:
            assert (await client.get_thread(row.thread_id)).message_count == before

        await pilot.press("space")
        await pilot.press("G")
        await wait_for(pilot, lambda: modal.rows_below == 0)
        assert "Line 60" in plain(modal.query_one("#confirm-plan", Static))
        assert "y / enter: run it" in plain(status)
        await pilot.press("y")
        await wait_for(pilot, lambda: pilot.app.screen is not modal)
        await writes_done(pilot)
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        after = await client.get_thread(row.thread_id)
    assert after.message_count == before + 1
    assert after.messages[-1].body_text.endswith("Line 60 of the usage terms we agreed on.")


async def test_the_cancel_modal_offers_to_keep_the_schedule(sandbox, sandbox_token) -> None:
    from noxtui.domain.models import ThreadQuery
    from tests.tui.support import server_threads

    scheduled = next(t for t in await server_threads(sandbox, sandbox_token, ThreadQuery()) if t.scheduled_at)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(scheduled.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, scheduled.thread_id)
        await pilot.press("C")
        modal = await confirm_modal(pilot)
        await wait_for(pilot, lambda: "keep the schedule" in plain(modal.query_one("#confirm-status", Static)))
        await pilot.press("escape")


async def test_esc_stops_waiting_on_a_rate_limited_send_and_says_the_outcome_is_unknown(
    sandbox, sandbox_token
) -> None:
    """A 429 asks for a 20 s wait: the rep is not held hostage by it (issue #17, 'let the rep cancel')."""
    from tests.tui.support import record_notifications

    app = make_app(sandbox, sandbox_token)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.press("e")
        screen.query_one("#draft", TextArea).load_text("Happy to adjust the timeline.")
        sandbox.faults.set_rules([{"method": "POST", "path": "/send$", "status": 429, "retry_after": 20}])
        await pilot.press("escape", "s")
        modal = await confirm_modal(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: sandbox.faults.describe()[0]["hits"] >= 1)
        assert modal.running
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is not modal, timeout=3)
        await writes_done(pilot)
        assert any(note.title == "Outcome unknown" for note in notes)
        assert screen.query_one("#draft", TextArea).text == "Happy to adjust the timeline."
