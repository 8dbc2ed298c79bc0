"""A rep's day, panels (#16 items 3 and 6): a labels plan is built from exactly what the panel shows,
even when space and enter arrive in one burst, and on/off read as ``[x]`` / ``[ ]`` without colour."""

from __future__ import annotations

from rich.text import Text
from textual import events

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.widgets.check_list import CheckList
from tests.tui.support import confirm, inbox, list_loaded, make_app, server_threads, thread_opened, wait_for


def _burst(app, *keys: str) -> None:
    """Keys arriving in one read (fast typing, SSH batching)."""
    for key in keys:
        app.post_message(events.Key(key, " " if key == "space" else None))


def _lines(listing: CheckList) -> list[str]:
    prompts = [listing.get_option_at_index(i).prompt for i in range(listing.option_count)]
    return [p.plain if isinstance(p, Text) else str(p) for p in prompts]


async def test_space_and_enter_in_one_burst_plan_exactly_what_the_panel_shows(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = threads[0]
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("l")
        listing = inbox(pilot).query_one("#labels-list", CheckList)
        await wait_for(pilot, lambda: listing.has_focus and listing.option_count > 2)
        first, second = listing.get_option_at_index(0).id, listing.get_option_at_index(1).id
        _burst(app, "space", "down", "space", "enter")
        shown = await confirm(pilot)
        shown_after = _lines(listing)
    assert shown_after[0].startswith("[x]") != (first in {lb.label_id for lb in target.labels})
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        after = await fresh.get_thread(target.thread_id)
    before_ids = {label.label_id for label in target.labels}
    assert {label.label_id for label in after.labels} == before_ids ^ {first, second}, shown


async def test_labels_read_on_and_off_without_colour(sandbox, sandbox_token, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = next(t for t in threads if t.labels)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(target.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("l")
        listing = screen.query_one("#labels-list", CheckList)
        await wait_for(pilot, lambda: listing.option_count > 0)
        own = {label.label_id for label in target.labels}
        for index, line in enumerate(_lines(listing)):
            on = listing.get_option_at_index(index).id in own
            assert line.startswith("[x] " if on else "[ ] "), line
        before = _lines(listing)[0]
        await pilot.press("space")
        after = _lines(listing)[0]
        assert before[:3] != after[:3] and {before[:3], after[:3]} == {"[x]", "[ ]"}
        assert "▐X▌" not in app.export_screenshot()
