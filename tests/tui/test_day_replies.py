"""A rep's day, replies (#16 items 1, 2, 5): no reply twice after a schedule, a cancelled schedule
keeps its text, and typing right after a schedule lands where it was typed. Every write is checked
on the sandbox's server state."""

from __future__ import annotations

from textual import events
from textual.widgets import Static, TextArea

from noxtui.domain.models import Thread, ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.choice import ChoiceScreen
from noxtui.tui.screens.confirm import ConfirmScreen
from noxtui.tui.screens.prompt import PromptScreen
from tests.tui.support import (
    confirm,
    confirm_modal,
    inbox,
    list_loaded,
    make_app,
    plain,
    record_notifications,
    server_threads,
    thread_opened,
    wait_for,
    workers_done,
    writes_done,
)

LATER = "2030-01-02T09:00+08:00"


async def _unscheduled(sandbox, token: str) -> Thread:
    """A thread with nothing scheduled and no draft, as the server holds it."""
    threads = await server_threads(sandbox, token, ThreadQuery())
    async with NoxClient(sandbox.base_url, token) as client:
        for summary in threads:
            if summary.scheduled_at is None and not summary.has_draft:
                thread = await client.get_thread(summary.thread_id)
                if not thread.composer.draft_body:
                    return thread
    raise AssertionError("the seed has no thread without a schedule and a draft")


async def _schedule_on_server(sandbox, token: str, thread_id: str, text: str, draft: str = "") -> Thread:
    """Put a scheduled reply (and, after it, a draft) on a thread, the way another session would."""
    async with NoxClient(sandbox.base_url, token) as client:
        sender = (await client.senders())[0].sender_auth_id
        await client.schedule(thread_id, text, sender, LATER)
        if draft:
            await client.save_draft(thread_id, draft, sender)
        return await client.get_thread(thread_id)


async def _server(sandbox, token: str, thread_id: str) -> Thread:
    async with NoxClient(sandbox.base_url, token) as client:
        return await client.get_thread(thread_id)


async def _open(pilot, thread_id: str) -> None:
    await list_loaded(pilot)
    inbox(pilot).thread_list.move_to(thread_id)
    await pilot.press("enter")
    await thread_opened(pilot, thread_id)


async def _type_reply(pilot, text: str) -> None:
    await pilot.press("e")
    inbox(pilot).query_one("#draft", TextArea).clear()
    await pilot.press(*text, "escape")


async def _schedule_through_the_prompt(pilot) -> str:
    app = pilot.app
    await pilot.press("w")
    await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
    app.screen.query_one("#prompt-input").value = ""
    await pilot.press(*LATER, "enter")
    return await confirm(pilot)


# --- 1. a scheduled reply is never sent a second time at once ---------------------------------------


async def test_after_a_schedule_the_composer_is_empty_and_s_sends_nothing(sandbox, sandbox_token) -> None:
    target = await _unscheduled(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(app)
        await _open(pilot, target.thread_id)
        screen = inbox(pilot)
        await _type_reply(pilot, "See you at the launch.")
        await _schedule_through_the_prompt(pilot)
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.composer.scheduled is not None)
        await workers_done(pilot, "detail")
        assert screen.query_one("#draft", TextArea).text == ""
        assert "RESTORED" not in plain(screen.query_one("#composer-state", Static))
        notes.clear()
        await pilot.press("s")
        await writes_done(pilot)
        assert not isinstance(app.screen, ChoiceScreen)
        assert any("empty" in n.message.lower() for n in notes), [n.message for n in notes]
    after = await _server(sandbox, sandbox_token, target.thread_id)
    assert after.message_count == target.message_count, "the scheduled text went out a second time"
    assert after.composer.scheduled is not None and after.composer.scheduled.content == "See you at the launch."


async def test_a_send_beside_a_scheduled_reply_asks_and_r_replaces_it(sandbox, sandbox_token) -> None:
    target = await _unscheduled(sandbox, sandbox_token)
    await _schedule_on_server(sandbox, sandbox_token, target.thread_id, "Old plan for Friday.")
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, target.thread_id)
        await _type_reply(pilot, "New plan: Thursday.")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        asked = app.screen
        question = plain(asked.query_one("#choice-question", Static)) + plain(asked.query_one("#choice-quoted", Static))
        assert "already" in question and "Old plan for Friday." in question
        await pilot.press("r")
        cancelling = await confirm_modal(pilot)  # first: the cancel, showing the text it drops
        assert "Old plan for Friday." in plain(cancelling.query_one("#confirm-plan", Static))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen is not cancelling)
        send_shown = await confirm(pilot)  # then: the send
        assert "New plan: Thursday." in send_shown and "already scheduled" not in send_shown
    after = await _server(sandbox, sandbox_token, target.thread_id)
    assert after.composer.scheduled is None and after.scheduled_at is None
    assert after.message_count == target.message_count + 1
    assert after.messages[-1].body_text == "New plan: Thursday."


async def test_send_both_is_warned_in_the_modal_and_escape_sends_nothing(sandbox, sandbox_token) -> None:
    target = await _unscheduled(sandbox, sandbox_token)
    await _schedule_on_server(sandbox, sandbox_token, target.thread_id, "Old plan for Friday.")
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, target.thread_id)
        await _type_reply(pilot, "Also: a question.")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("b")
        shown = await confirm(pilot, "escape")
        assert "already scheduled" in shown and "gets both" in shown
    after = await _server(sandbox, sandbox_token, target.thread_id)
    assert after.message_count == target.message_count
    assert after.composer.scheduled is not None and after.composer.scheduled.content == "Old plan for Friday."


# --- 2. cancelling a schedule keeps its text --------------------------------------------------------


async def test_cancel_shows_the_scheduled_text_and_puts_it_back_in_the_composer(sandbox, sandbox_token) -> None:
    target = await _unscheduled(sandbox, sandbox_token)
    await _schedule_on_server(sandbox, sandbox_token, target.thread_id, "Rate card on Monday.")
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(app)
        await _open(pilot, target.thread_id)
        screen = inbox(pilot)
        await pilot.press("C")
        shown = await confirm(pilot)
        assert "Rate card on Monday." in shown and "(empty)" not in shown
        assert "back to the draft" in shown
        await workers_done(pilot, "detail")
        assert screen.query_one("#draft", TextArea).text == "Rate card on Monday."
        assert any("back in the draft" in n.message for n in notes)
    after = await _server(sandbox, sandbox_token, target.thread_id)
    assert after.composer.scheduled is None
    assert after.composer.draft_body == "Rate card on Monday."


async def test_cancel_beside_a_draft_keeps_the_scheduled_text_in_the_composer(sandbox, sandbox_token) -> None:
    target = await _unscheduled(sandbox, sandbox_token)
    await _schedule_on_server(sandbox, sandbox_token, target.thread_id, "Rate card on Monday.", draft="Half a thought")
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        notes = record_notifications(app)
        await _open(pilot, target.thread_id)
        screen = inbox(pilot)
        assert screen.query_one("#draft", TextArea).text == "Half a thought"
        await pilot.press("C")
        shown = await confirm(pilot)
        assert "Rate card on Monday." in shown and "composer below your text" in shown
        await workers_done(pilot, "detail")
        text = screen.query_one("#draft", TextArea).text
        assert text == "Half a thought\n\nRate card on Monday."
        kept = screen.service.unsent(target.thread_id)
        assert kept is not None and kept.body == text, "the text must survive a restart (local drafts)"
        said = " ".join(n.message for n in notes)
        assert "in the composer below yours" in said and "back in the draft" not in said
    after = await _server(sandbox, sandbox_token, target.thread_id)
    assert after.composer.scheduled is None
    assert after.composer.draft_body == "Half a thought"


# --- 5. typing right after a schedule ---------------------------------------------------------------


def _burst(app, *keys: str) -> None:
    """Keys arriving in one read, as fast typing over SSH delivers them."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_typing_fast_right_after_a_schedule_lands_in_order(sandbox, sandbox_token) -> None:
    target = await _unscheduled(sandbox, sandbox_token)
    # The re-read after the schedule is slow, so it arrives while the rep is typing.
    sandbox.faults.set_rules([{"method": "GET", "path": rf"/threads/{target.thread_id}$", "latency_ms": 400}])
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, target.thread_id)
        screen = inbox(pilot)
        draft = screen.query_one("#draft", TextArea)
        await _type_reply(pilot, "Booked for Friday.")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*LATER, "enter")
        modal = await confirm_modal(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is not modal)
        await pilot.press("e")
        await wait_for(pilot, lambda: draft.has_focus)
        _burst(app, *"Thanks!", "x")
        await wait_for(pilot, lambda: "x" in draft.text)
        await workers_done(pilot, "detail", "write")  # the slow re-read has landed meanwhile
        _burst(app, "backspace", *" See you")
        await wait_for(pilot, lambda: "See you" in draft.text)
        await pilot.pause()
        assert draft.text == "Thanks! See you"
        assert screen.thread is not None and screen.thread.composer.scheduled is not None
    sandbox.faults.clear()
    after = await _server(sandbox, sandbox_token, target.thread_id)
    assert after.composer.scheduled is not None and after.composer.scheduled.content == "Booked for Friday."
    assert after.message_count == target.message_count
