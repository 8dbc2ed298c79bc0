"""A rep's day, navigation a mutt or aerc user expects (#16): j/k in the filter pickers, escape on
``/`` restores the keyword, the reading pane pages with j/k/space/g/G, the header says which pane
has focus, and ``q`` with an unsaved reply asks (save / keep / discard)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static, TextArea

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.choice import ChoiceScreen
from noxtui.tui.screens.picker import PickerScreen
from tests.tui.support import confirm, inbox, list_loaded, make_app, plain, server_threads, thread_opened, wait_for


async def test_pickers_take_j_and_k(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        second = screen.catalogues.labels[1]
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("j", "j", "j", "k", "enter")
        await wait_for(pilot, lambda: screen.filters.label is not None)
        assert screen.filters.label.value == second.label_id


async def test_escape_on_the_keyword_box_restores_the_keyword_before(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("slash", *"rate", "enter")
        await wait_for(pilot, lambda: screen.filters.keyword == "rate")
        await list_loaded(pilot)
        shown = screen.thread_list.row_count
        await pilot.press("slash", *"zzzz", "escape")
        await wait_for(pilot, lambda: not screen.filter_bar.typing and screen.filters.keyword == "rate")
        await list_loaded(pilot)
        assert screen.thread_list.row_count == shown


async def test_the_reading_pane_pages_like_a_mail_reader_and_the_header_names_the_pane(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    longest = max(threads, key=lambda t: t.message_count)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(100, 30)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        assert "focus: thread list" in screen.sub_title
        screen.thread_list.move_to(longest.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, longest.thread_id)
        scroll = screen.query_one("#detail-scroll", VerticalScroll)
        scroll.focus()
        await wait_for(pilot, lambda: "reading pane" in screen.sub_title and scroll.max_scroll_y > 0)
        await pilot.press("g")
        await wait_for(pilot, lambda: scroll.scroll_y == 0)
        await pilot.press("j")
        await wait_for(pilot, lambda: scroll.scroll_y == 1)
        await pilot.press("space")
        await wait_for(pilot, lambda: scroll.scroll_y > 1)
        await pilot.press("G")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y)


async def _type_then_quit(pilot, text: str) -> None:
    screen = inbox(pilot)
    await list_loaded(pilot)
    await pilot.press("enter")
    await thread_opened(pilot)
    await pilot.press("e")
    screen.query_one("#draft", TextArea).clear()
    await pilot.press(*text, "escape")
    await wait_for(pilot, lambda: "thread list" in screen.sub_title)
    await pilot.press("q")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceScreen))


async def test_q_with_an_unsaved_reply_asks_and_k_keeps_it_here(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_then_quit(pilot, "Kept for tomorrow")
        screen = inbox(pilot)
        thread_id = screen.thread.thread_id
        service = screen.service
        await pilot.press("k")
        await wait_for(pilot, lambda: not app.is_running)
    kept = service.unsent(thread_id)
    assert kept is not None and kept.body == "Kept for tomorrow"


async def test_q_with_an_unsaved_reply_and_s_saves_the_draft_on_the_server(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_then_quit(pilot, "Saved before quitting")
        screen = inbox(pilot)
        thread_id = screen.thread.thread_id
        await pilot.press("s")
        await confirm(pilot)
        await wait_for(pilot, lambda: not app.is_running)
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        assert (await client.get_thread(thread_id)).composer.draft_body == "Saved before quitting"
    # Saved on the server: the ending app keeps no local copy of it (it would come back "unsent").
    assert thread_id not in screen.service.unsent_thread_ids()


async def test_the_reading_pane_says_when_the_filter_no_longer_lists_its_thread(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        first = screen.thread_list.current
        await pilot.press("enter")
        await thread_opened(pilot, first.thread_id)
        unlisted = screen.query_one("#detail-unlisted", Static)
        assert plain(unlisted).strip() == ""
        await pilot.press(*("d", "d") if first.inbound else ("d",))  # the other direction only
        await list_loaded(pilot)
        await wait_for(pilot, lambda: "Not in the list any more" in plain(unlisted))
        await pilot.press("x")
        await list_loaded(pilot)
        await wait_for(pilot, lambda: plain(unlisted).strip() == "")
