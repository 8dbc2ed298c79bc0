"""A rep's day, list rows (#16 item 11): at 120 columns a row shows its labels and status (the
snippet gives way first), a new reply and unsent local text are marked per row, and help explains
every row symbol."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from noxtui.domain.models import ThreadQuery
from noxtui.tui.screens.help import HelpScreen
from noxtui.tui.widgets.thread_line import LEGEND
from tests.tui.support import inbox, list_loaded, make_app, plain, server_threads, thread_opened, wait_for


def _line(listing, thread_id: str) -> str:
    index = next(i for i, row in enumerate(listing.rows) if row.thread_id == thread_id)
    return listing.render_line(index - int(listing.scroll_offset.y)).text


async def test_at_120_columns_rows_show_labels_and_status(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = next(t for t in threads if t.labels and t.coop_status)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        listing = inbox(pilot).thread_list
        listing.move_to(target.thread_id)
        await pilot.pause()
        line = _line(listing, target.thread_id)
        first_label = target.labels[0].name
        status = target.coop_status.name or target.coop_status.code
        assert f"[{first_label[:3]}" in line, line
        assert status[:4] in line, line


async def test_rows_mark_new_replies_and_unsent_text(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        listing = screen.thread_list
        first = listing.current
        await pilot.press("enter")
        await thread_opened(pilot, first.thread_id)
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"not saved yet", "escape")
        await wait_for(pilot, lambda: first.thread_id in listing.unsent)
        assert "✎" in _line(listing, first.thread_id)
        other = listing.rows[1].thread_id
        screen.new_replies.add(other)
        screen.mark_rows()
        await pilot.pause()
        assert _line(listing, other)[1] == "N"
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        legend = plain(app.screen.query_one("#help-legend", Static))
        for symbol, _ in LEGEND:
            assert symbol in legend
        for symbol in ("●", "N", "✎", "⏲", "+", "*"):
            assert any(symbol == s for s, _ in LEGEND)
