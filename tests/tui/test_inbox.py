"""The inbox, driven by keys against the live sandbox: what the rep does, what the server holds."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Static, TextArea

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.confirm import ConfirmScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.check_list import CheckList
from tests.tui.support import (
    answer,
    confirm,
    confirm_modal,
    inbox,
    list_loaded,
    make_app,
    plain,
    server_threads,
    thread_opened,
    wait_for,
)


async def test_list_shows_every_thread_newest_first(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        expected = await server_threads(sandbox, sandbox_token, ThreadQuery())
        shown = [row.thread_id for row in inbox(pilot).thread_list.rows]
        assert shown == [t.thread_id for t in expected]
        stamps = [row.last_ts for row in inbox(pilot).thread_list.rows]
        assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("use_cache", [True, False], ids=["cache-backed", "server-paged"])
async def test_filter_toggles_show_exactly_the_servers_matches(sandbox, sandbox_token, use_cache: bool) -> None:
    app = make_app(sandbox, sandbox_token, use_cache=use_cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n")  # needs reply
        await list_loaded(pilot)
        needs = await server_threads(sandbox, sandbox_token, ThreadQuery(needs_reply=True))
        assert [r.thread_id for r in inbox(pilot).thread_list.rows] == [t.thread_id for t in needs]
        assert all(r.needs_reply for r in inbox(pilot).thread_list.rows)

        await pilot.press("d")  # + inbound
        await list_loaded(pilot)
        both = await server_threads(
            sandbox, sandbox_token, ThreadQuery(needs_reply=True, last_message_direction="inbound")
        )
        assert [r.thread_id for r in inbox(pilot).thread_list.rows] == [t.thread_id for t in both]
        line = plain(inbox(pilot).query_one("#filter-line", Static))
        assert "needs reply · inbound" in line
        count = plain(inbox(pilot).query_one("#filter-count", Static))
        assert f"{len(both)} thread" in count

        await pilot.press("n")  # answered
        await list_loaded(pilot)
        answered = await server_threads(
            sandbox, sandbox_token, ThreadQuery(needs_reply=False, last_message_direction="inbound")
        )
        assert [r.thread_id for r in inbox(pilot).thread_list.rows] == [t.thread_id for t in answered]


async def test_keyword_search_goes_to_the_server(sandbox, sandbox_token) -> None:
    everything = await server_threads(sandbox, sandbox_token, ThreadQuery())
    name = everything[3].creator.name.split()[0]
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("slash", *name, "enter")
        await list_loaded(pilot)
        matches = await server_threads(sandbox, sandbox_token, ThreadQuery(keyword=name))
        assert matches, "the keyword must match at least the thread it came from"
        assert [r.thread_id for r in inbox(pilot).thread_list.rows] == [t.thread_id for t in matches]


async def test_opening_a_thread_shows_messages_and_composer(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        full = [await client.get_thread(t.thread_id) for t in threads[:40]]
    with_draft = next(t for t in full if t.composer.draft_body and len(t.messages) >= 2)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(with_draft.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, with_draft.thread_id)
        header = plain(screen.query_one("#detail-header", Static))
        assert with_draft.creator.name in header
        conversation = plain(screen.query_one("#detail-messages", Static))
        for message in with_draft.messages:
            first_line = message.body_text.strip().splitlines()[0][:30]
            assert first_line in conversation
        assert screen.query_one("#draft", TextArea).text == with_draft.composer.draft_body


async def test_label_toggle_and_confirm_changes_labels_on_the_server(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = threads[0]
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("l")
        selection = inbox(pilot).query_one("#labels-list", CheckList)
        first = selection.get_option_at_index(0).id
        await pilot.press("space", "enter")
        await confirm(pilot)
        await thread_opened(pilot, target.thread_id)
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    before_ids = {label.label_id for label in target.labels}
    after_ids = {label.label_id for label in after.labels}
    assert after_ids == before_ids ^ {first}


async def test_escape_in_the_confirm_modal_sends_nothing(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = threads[0]
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("c", "down", "enter")
        await confirm(pilot, "escape")
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    assert after.coop_status == target.coop_status
    assert after.updated_at == target.updated_at


async def test_send_moves_the_thread_out_of_needs_reply(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n")
        await list_loaded(pilot)
        target = inbox(pilot).thread_list.current
        assert target is not None and target.needs_reply
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("e", "ctrl+a")
        inbox(pilot).query_one("#draft", TextArea).clear()
        await pilot.press(*"Thanks, sending the brief today.", "escape")
        await pilot.press("s")
        plan_text = await confirm(pilot)
        assert "Thanks, sending the brief today." in plan_text
        await list_loaded(pilot)
        assert target.thread_id not in [r.thread_id for r in inbox(pilot).thread_list.rows]
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    assert after.needs_reply is False
    assert after.last_message_direction == "outbound"
    assert after.messages[-1].body_text == "Thanks, sending the brief today."


async def test_a_bad_schedule_time_shows_the_error_and_sends_nothing(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = threads[0]
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("e", *"See you soon", "escape", "w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        prompt = app.screen
        box = prompt.query_one("#prompt-input")
        box.value = ""
        await pilot.press(*"2030-01-01T09:00+05:30")
        hint = plain(prompt.query_one("#prompt-hint", Static))
        assert "whole-hour" in hint.lower() or "whole hour" in hint.lower()
        await pilot.press("enter")
        assert app.screen is prompt, "an invalid time must not go on to the confirm modal"
        await pilot.press("escape")
        assert inbox(pilot).query_one("#draft", TextArea).text.endswith("See you soon")
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    assert after.scheduled_at == target.scheduled_at
    assert after.message_count == target.message_count


async def test_a_server_error_during_send_keeps_the_draft(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = threads[0]
    sandbox.faults.set_rules([{"method": "POST", "path": r"/send$", "status": 500}])
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("e")
        inbox(pilot).query_one("#draft", TextArea).clear()
        await pilot.press(*"Rate card attached", "escape", "s")
        modal = await confirm_modal(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen.has_class("-failed"))
        status = plain(app.screen.query_one("#confirm-status", Static))
        assert "draft is kept" in status.lower() or "try again" in status.lower()
        await answer(pilot, modal, "escape")
        assert inbox(pilot).query_one("#draft", TextArea).text == "Rate card attached"
    sandbox.faults.clear()
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    assert after.message_count == target.message_count


async def test_schedule_then_cancel_through_the_confirm_modal(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = next(t for t in threads if t.scheduled_at is None)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(target.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"Following up tomorrow morning.", "escape", "w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"2030-01-02T09:00+08:00", "enter")
        shown = await confirm(pilot)
        assert "Send at: 2030-01-02T09:00:00+08:00" in shown and "Following up tomorrow morning." in shown
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.composer.scheduled is not None)
        async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
            scheduled = (await fresh.get_thread(target.thread_id)).composer.scheduled
        assert scheduled is not None and scheduled.content == "Following up tomorrow morning."

        await pilot.press("C")
        await confirm(pilot)
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    assert after.composer.scheduled is None and after.message_count == target.message_count


async def test_send_pressed_twice_in_one_burst_asks_once_and_sends_once(sandbox, sandbox_token) -> None:
    """Over SSH two ``s`` can arrive in one read: the second must not queue a second confirm modal
    (answering both would send the reply twice, under two keys)."""
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n")
        await list_loaded(pilot)
        target = inbox(pilot).thread_list.current
        assert target is not None
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
            before = len((await fresh.get_thread(target.thread_id)).messages)
        await pilot.press("e", "ctrl+a")
        inbox(pilot).query_one("#draft", TextArea).clear()
        await pilot.press(*"Only once, please.", "escape")
        app.post_message(events.Key("s", "s"))
        app.post_message(events.Key("s", "s"))
        modal = await confirm_modal(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is not modal)

        def settled() -> bool:  # every write finished, or (the defect) a second modal is up
            writing = any(w.group == "write" and not w.is_finished for w in app.workers)
            return not writing or isinstance(app.screen, ConfirmScreen)

        await wait_for(pilot, settled)
        assert not isinstance(app.screen, ConfirmScreen), "a second confirm modal was queued"
        await list_loaded(pilot)
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    assert len(after.messages) == before + 1
    assert after.messages[-1].body_text == "Only once, please."
