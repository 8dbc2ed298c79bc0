"""Saved views: save the current filter by name, find it in the picker and the palette, in the config."""

from __future__ import annotations

from noxtui.domain.models import ThreadQuery
from noxtui.storage.settings import Paths, load_settings
from noxtui.tui.screens.picker import PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from tests.tui.support import inbox, list_loaded, make_app, server_threads, wait_for, workers_done


async def test_save_a_view_and_apply_it_again(sandbox, sandbox_token, tmp_path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "s")
    app = make_app(sandbox, sandbox_token)
    app.paths = paths
    app.persist_settings = True
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("n", "d")
        await list_loaded(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("enter")  # first entry: save the current filter
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press(*"Waiting on us", "enter")
        await workers_done(pilot, "pickers")
        stored = load_settings(paths).views["Waiting on us"]
        assert (stored.needs_reply, stored.direction) == ("needs", "inbound")

        await pilot.press("x")  # clear filters
        await list_loaded(pilot)
        assert inbox(pilot).filters.is_empty

        palette = {c.title for c in app.get_system_commands(inbox(pilot))}
        assert "View: Waiting on us" in palette

        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen))
        await pilot.press("down", "enter")
        await workers_done(pilot, "pickers")
        await list_loaded(pilot)
        waiting = ThreadQuery(needs_reply=True, last_message_direction="inbound")
        expected = await server_threads(sandbox, sandbox_token, waiting)
        assert [r.thread_id for r in inbox(pilot).thread_list.rows] == [t.thread_id for t in expected]
