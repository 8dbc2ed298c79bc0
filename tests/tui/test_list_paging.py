"""Over SSH the list pages, as mutt does by default: the cursor walks the screen, and one past the
edge shows the next screenful (``scroll = "auto"``; ``domain/scrolling.py``)."""

from __future__ import annotations

import pytest

from noxtui.tui.widgets.thread_list import ThreadList
from tests.tui.support import inbox, list_loaded, make_app
from tests.tui.test_list_paint_ahead import ListOnly, shown

SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")


async def test_a_paging_list_shows_the_next_screenful_one_past_the_bottom() -> None:
    app = ListOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.query_one(ThreadList)
        listing.paging = True
        height = listing.scrollable_content_region.height
        for _ in range(height - 1):
            await pilot.press("j")
        assert listing.scroll_offset.y == 0, "inside the screen only the cursor moves"
        await pilot.press("j")
        await pilot.pause()
        assert (listing.cursor, listing.scroll_offset.y) == (height, height)
        assert shown(listing)[0].split()[1:3] == ["Creator", str(height)]
        await pilot.press("k")
        await pilot.pause()
        assert (listing.cursor, listing.scroll_offset.y) == (height - 1, 0), "one above the top: the page before"
        await pilot.press("G")
        await pilot.pause()
        assert listing.scroll_offset.y <= listing.cursor < listing.scroll_offset.y + height


async def test_a_line_list_moves_a_line() -> None:
    app = ListOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.query_one(ThreadList)
        height = listing.scrollable_content_region.height
        for _ in range(height):
            await pilot.press("j")
        await pilot.pause()
        assert listing.scroll_offset.y == 1


@pytest.mark.parametrize(
    ("ssh", "setting", "expected"), [(True, None, True), (False, None, False), (True, "line", False)]
)
async def test_the_inbox_pages_in_an_ssh_session_unless_told_otherwise(
    sandbox, sandbox_token, monkeypatch, ssh: bool, setting: str | None, expected: bool
) -> None:
    for name in SSH_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    if ssh:
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 52814 10.0.0.1 22")
    app = make_app(sandbox, sandbox_token, scroll=setting or "auto")
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        assert inbox(pilot).thread_list.paging is expected
