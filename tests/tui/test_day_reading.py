"""A rep's day, the reading pane (#16 item 10): it opens with a compact header pinned above the
messages and the newest message in view; the context line never dangles and names only the
thread's own projects."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from tests.tui.support import inbox, list_loaded, make_app, plain, server_threads, thread_opened, wait_for


async def _longest_and_context(sandbox, token: str):
    """The thread with most messages, a direct thread, and one whose metadata lists siblings' projects."""
    threads = await server_threads(sandbox, token, ThreadQuery())
    longest = max(threads, key=lambda t: t.message_count)
    direct = next(t for t in threads if t.business_kind == "direct")
    async with NoxClient(sandbox.base_url, token) as client:
        for summary in threads:
            thread = await client.get_thread(summary.thread_id)
            siblings = [p for p in thread.metadata.projects if p.thread_id not in (None, thread.thread_id)]
            own = {p.name for p in thread.metadata.projects if p.thread_id in (None, thread.thread_id)}
            if siblings and any(p.name not in own for p in siblings):
                return longest, direct, thread
    raise AssertionError("the seed has no thread with sibling projects")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_a_thread_opens_with_the_header_and_the_newest_message_in_view(sandbox, sandbox_token, size) -> None:
    longest, _, _ = await _longest_and_context(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=size) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(longest.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, longest.thread_id)
        scroll = screen.query_one("#detail-scroll", VerticalScroll)
        header = screen.query_one("#detail-header", Static)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 0 and scroll.scroll_y == scroll.max_scroll_y)
        shown = plain(header)
        assert "Status:" in shown and ("needs reply" in shown or "answered" in shown)
        assert header.region.height > 0 and header.region.bottom <= scroll.region.y, "the header scrolled away"
        assert header not in scroll.query("*"), "the header must be pinned, not scrolled with the messages"


async def test_the_context_line_names_only_the_threads_own_projects(sandbox, sandbox_token) -> None:
    _, direct, with_siblings = await _longest_and_context(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(direct.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, direct.thread_id)
        shown = plain(screen.query_one("#detail-header", Static))
        assert not any(line.rstrip().endswith("·") for line in shown.splitlines()), shown
        screen.thread_list.move_to(with_siblings.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, with_siblings.thread_id)
        shown = plain(screen.query_one("#detail-header", Static))
    own = {p.name for p in with_siblings.metadata.projects if p.thread_id in (None, with_siblings.thread_id)}
    foreign = {p.name for p in with_siblings.metadata.projects} - own
    context = next(line for line in shown.splitlines() if "Context:" in line or "Status:" in line)
    assert not any(name in context for name in foreign), (context, foreign)
