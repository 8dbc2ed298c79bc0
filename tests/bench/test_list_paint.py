"""The thread list's paint shortcuts (issue #6, figure 3) change how fast a line is made, not what it shows.

* ``fit`` slices text whose characters are all one cell wide instead of measuring each one: the
  result must be exactly the character-by-character fit's, wide and zero-width characters included.
* A row's adjacent parts in one style are merged into one segment: the cells must not change.
* The scrollbar is repainted only when its thumb moves: after any number of page-downs the bar on
  screen must be the one a forced repaint draws, and its ``position`` (where a drag starts) exact.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from bench._constants import NOW
from bench._headless import SIZE, ListApp, settle
from noxtui.domain.rows import ThreadRow
from noxtui.tui.widgets.thread_line import fit, fit_measured, merged

TEXTS = [
    "",
    "Brooke Foster",
    "Hi — I don’t manage this channel anymore. “Quoted” text… and more words to crop here",
    "李小龙的频道名字很长很长",
    "テスト — mixed 混合 text with wide ones",
    "emoji ❤️ and 👍🏽 and a family 👩‍👩‍👧 here",
    "combining a\u0301 e\u0301 marks",
    "^[ caret notation after sanitize",
    "x" * 300,
    "é" * 40,
    "\u200d\u200d",
    "T\x01",  # platform codes are not sanitized: a control character has no width
]


def _reference_fit(text: str, width: int) -> str:
    """The fit as it was before the shortcut: measure, then crop one character at a time."""
    return "" if width <= 0 else fit_measured(text, width)


@pytest.mark.parametrize("text", TEXTS)
def test_fit_is_the_character_by_character_fit(text: str) -> None:
    for width in range(0, 70):
        assert fit(text, width) == _reference_fit(text, width), (text, width)


def _cells(segments: list[Segment]) -> list[tuple[str, Style | None]]:
    return [(char, segment.style) for segment in segments for char in segment.text]


def test_merging_keeps_every_cell_and_style() -> None:
    plain, bold = Style(), Style(bold=True)
    parts = [("*", bold), ("●", bold), ("←", plain), (" ", plain), ("name", bold), (" ", plain), ("x", plain)]
    joined = merged(parts)
    assert _cells(joined) == _cells([Segment(text, style) for text, style in parts])
    assert [segment.text for segment in joined] == ["*●", "← ", "name", " x"]


def _rows(count: int) -> list[ThreadRow]:
    start = NOW.timestamp()
    return [
        ThreadRow(
            thread_id=f"th_{i:06d}",
            creator_name=TEXTS[i % 7] or "Someone",
            platform="YT",
            snippet=TEXTS[(i + 2) % 9],
            needs_reply=i % 3 == 0,
            inbound=i % 2 == 0,
            labels="Wrong contact" if i % 4 else "",
            coop_name="Declined" if i % 5 else "",
            coop_code="declined",
            last_ts=start - timedelta(hours=i).total_seconds(),
            has_draft=i % 11 == 0,
            scheduled=i % 13 == 0,
            business_kind="direct",
            business_id="",
        )
        for i in range(count)
    ]


async def test_rows_fill_the_width_exactly_in_few_segments() -> None:
    app = ListApp(_rows(300))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.thread_list
        width = listing.scrollable_content_region.width
        for y in range(SIZE[1]):
            strip = listing.render_line(y)
            assert strip.cell_length == width
            assert all(a.style is not b.style for a, b in zip(strip, list(strip)[1:], strict=False))


def _bar_column(app: ListApp) -> list[tuple[str, Style | None]]:
    """The rightmost cell of every screen line, as the compositor paints it now."""
    strips: list[Strip] = app.screen._compositor.render_strips()
    width = SIZE[0]
    return [(seg.text, seg.style) for strip in strips for seg in strip.crop(width - 1, width)]


async def test_the_scrollbar_on_screen_is_never_stale() -> None:
    app = ListApp(_rows(5_000))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await settle(app)
        listing = app.thread_list
        bar = listing.vertical_scrollbar
        first = _bar_column(app)
        for _ in range(40):
            await pilot.press("pagedown")
            await settle(app)
            painted = _bar_column(app)
            assert bar.position == bar.validate_position(listing.scroll_y)
            bar.refresh()
            await settle(app)
            assert _bar_column(app) == painted
        assert painted != first  # the thumb did travel, so repaints were needed and made
