"""A rep's day, finished (#16, the editor): a "modified" mark while the reply differs from what was
last saved, sent or loaded, and a footer that shows how to send and how to leave while typing."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.widgets.composer import MODIFIED_MARK
from tests.tui.support import confirm, inbox, list_loaded, make_app, server_threads, thread_opened, wait_for


async def _thread_without_draft(sandbox, token: str) -> str:
    threads = await server_threads(sandbox, token, ThreadQuery())
    async with NoxClient(sandbox.base_url, token) as client:
        for summary in threads:
            if summary.scheduled_at is None and not summary.has_draft:
                thread = await client.get_thread(summary.thread_id)
                if not thread.composer.draft_body:
                    return thread.thread_id
    raise AssertionError("the seed has no thread without a draft")


async def _open(pilot, thread_id: str) -> None:
    await list_loaded(pilot)
    inbox(pilot).thread_list.move_to(thread_id)
    await pilot.press("enter")
    await thread_opened(pilot, thread_id)


def _mark_shown(pilot) -> bool:
    mark = inbox(pilot).query_one("#composer-mark", Static)
    return mark.display and mark.region.width > 0 and MODIFIED_MARK in str(mark.render())


def _footer(pilot) -> list[tuple[str, str]]:
    """(key, description) of every footer key fully on screen, left to right."""
    width = pilot.app.size.width
    keys = [k for k in pilot.app.screen.query("FooterKey") if k.region.width and k.region.right <= width]
    return [(k.key, k.description) for k in sorted(keys, key=lambda k: k.region.x)]


async def test_typing_shows_the_mark_and_a_saved_draft_clears_it(sandbox, sandbox_token) -> None:
    thread_id = await _thread_without_draft(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, thread_id)
        assert not _mark_shown(pilot)
        await pilot.press("e", *"Hi")
        await wait_for(pilot, lambda: _mark_shown(pilot))
        await pilot.press("backspace", "backspace")  # back to the saved (empty) text: no mark
        await wait_for(pilot, lambda: not _mark_shown(pilot))
        await pilot.press(*"Rates attached")
        await wait_for(pilot, lambda: _mark_shown(pilot))
        await pilot.press("ctrl+s")
        await confirm(pilot)
        await wait_for(pilot, lambda: not _mark_shown(pilot))
        assert inbox(pilot).query_one("#draft", TextArea).text == "Rates attached"
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        assert (await client.get_thread(thread_id)).composer.draft_body == "Rates attached"


async def test_sending_from_the_editor_clears_the_mark(sandbox, sandbox_token) -> None:
    thread_id = await _thread_without_draft(sandbox, sandbox_token)
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        before = (await client.get_thread(thread_id)).message_count
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, thread_id)
        await pilot.press("e", *"Deal")
        await wait_for(pilot, lambda: _mark_shown(pilot))
        await pilot.press("ctrl+t")  # send without leaving the editor
        await confirm(pilot)
        await wait_for(pilot, lambda: not _mark_shown(pilot))
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        assert (await client.get_thread(thread_id)).message_count == before + 1


async def test_the_editors_footer_shows_send_and_leave_at_80_by_24(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.press(*"typing")
        await pilot.pause()
        shown = _footer(pilot)
        assert ("ctrl+t", "Send") in shown, shown
        assert shown[0] == ("escape", "Leave editor"), shown


async def test_the_editors_footer_offers_no_key_that_would_type_a_character(sandbox, sandbox_token) -> None:
    """While the editor has focus, ``/``, ``n``, ``d``… type themselves: a footer offering them as
    "Search", "Needs reply" would promise what the key does not do."""
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(160, 24)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.press(*"/n")
        await pilot.pause()
        shown = _footer(pilot)
        width = app.size.width
        keys = [k for k in app.screen.query("FooterKey") if k.region.width and k.region.right <= width]
        typed = [(k.key_display, k.description) for k in keys if len(k.key_display) == 1]
        assert not typed, shown
        assert app.focused.text.endswith("/n")


async def test_the_keyword_boxs_footer_offers_no_key_that_would_type_a_character(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(160, 24)) as pilot:
        await list_loaded(pilot)
        await pilot.press("slash")
        await wait_for(pilot, lambda: type(app.focused).__name__ == "Input")
        await pilot.press(*"nd")
        await pilot.pause()
        width = app.size.width
        keys = [k for k in app.screen.query("FooterKey") if k.region.width and k.region.right <= width]
        assert keys, "the footer still lists the keys that act"
        assert not [(k.key_display, k.description) for k in keys if len(k.key_display) == 1]
        assert app.focused.value.endswith("nd")
