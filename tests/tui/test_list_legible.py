"""Every piece of text the thread list paints is legible in every theme: its colour stands out from
its background (WCAG contrast ≥ 3:1, the floor for text a rep must read at a glance).

The row's arrow, platform, read snippets and age used to be painted in ``$text-muted``, which a
component style resolves to opaque white: white on the light theme's near-white list, where the
inbound/outbound arrow and the age could not be seen at all. The empty-list message is resolved
as a whole style (its alpha blended), and is checked as well."""

from __future__ import annotations

import pytest
from rich.color import Color
from rich.segment import Segment

from tests.tui.support import inbox, list_loaded, make_app, wait_for

THEMES = ["noxtui-dark", "noxtui-light", "noxtui-contrast"]


def _luminance(colour: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = colour.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def _contrast(segment: Segment) -> float:
    style = segment.style
    assert style is not None and style.color is not None and style.bgcolor is not None, segment
    fg, bg = (_luminance(colour) for colour in (style.color, style.bgcolor))
    if style.reverse:
        fg, bg = bg, fg
    light, dark = max(fg, bg), min(fg, bg)
    return (light + 0.05) / (dark + 0.05)


def _illegible(segments: list[Segment]) -> list[tuple[str, float]]:
    return [
        (segment.text, round(_contrast(segment), 2))
        for segment in segments
        if segment.text.strip() and _contrast(segment) < 3.0
    ]


@pytest.mark.parametrize("theme", THEMES)
async def test_every_row_part_and_the_empty_message_stand_out(sandbox, sandbox_token, theme: str) -> None:
    app = make_app(sandbox, sandbox_token, theme=theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        listing = inbox(pilot).thread_list
        assert listing.row_count > 5
        for y in range(min(listing.row_count, 20)):
            segments = list(listing.render_line(y))
            assert "←" in "".join(s.text for s in segments) or "→" in "".join(s.text for s in segments)
            assert not _illegible(segments), (theme, y, _illegible(segments))
        await pilot.press("slash", *"zqxjzqxj", "enter")
        await wait_for(pilot, lambda: listing.row_count == 0 and "No threads" in listing.render_line(0).text)
        segments = list(listing.render_line(0))
        assert not _illegible(segments), (theme, _illegible(segments))
