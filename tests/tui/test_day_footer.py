"""A rep's day, footer and help (#16 item 12): the focused pane's keys come first in the footer and
fit at 120 columns; help names keys as the footer does; the palette lists each action once."""

from __future__ import annotations

from collections import Counter

from textual.widgets import TextArea

from noxtui.tui.screens.help import HelpScreen
from tests.tui.support import inbox, list_loaded, make_app, plain, thread_opened, wait_for


def _visible_keys(pilot) -> list[str]:
    """The footer keys fully on screen, left to right."""
    width = pilot.app.size.width
    keys = [key for key in pilot.app.screen.query("FooterKey") if key.region.width and key.region.right <= width]
    return [key.key for key in sorted(keys, key=lambda k: k.region.x)]


async def test_the_footer_leads_with_the_focused_panes_keys_at_120_columns(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.pause()
        shown = _visible_keys(pilot)
        for key in ("e", "s", "R", "w"):
            assert key in shown, shown
        assert shown[0] == "enter", shown
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.pause()
        in_editor = _visible_keys(pilot)
        assert in_editor[:3] == ["escape", "ctrl+t", "ctrl+s"], in_editor


async def test_help_names_keys_as_the_footer_and_the_palette_lists_each_action_once(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(inbox(pilot))]
        assert [t for t, n in Counter(titles).items() if n > 1] == []
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = plain(app.screen.query_one("#help-table"))
        assert "slash" not in table and "question_mark" not in table
        assert "/ " in table and "?" in table
