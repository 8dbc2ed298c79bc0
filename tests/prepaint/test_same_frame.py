"""The early frame is Textual's first frame, cell for cell, so the hand-over cannot be seen.

Textual renders the start-up screen (``noxtui.tools.early_palettes.render_start_up_screen``) and
the early frame paints the same rows; every cell must hold the same character in the same
colours and weight. The colour table the early frame reads must be the one Textual gives today.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone

import pytest
from rich.segment import Segment

from noxtui.prepaint.frame import View, paint
from noxtui.prepaint.keys import footer_items
from noxtui.prepaint.look import make_look
from noxtui.prepaint.palettes import DOWNGRADES, PALETTES
from noxtui.storage.cache.quick_filter import QuickReader
from noxtui.tools.early_palettes import build, render_start_up_screen, sample_rows

Cell = tuple[str, str | None, str | None, bool]
NOW = datetime(2026, 11, 29, tzinfo=timezone.utc)  # the tool's clock


def seen(char: str, fg: str | None, bg: str | None, bold: bool, reverse: bool) -> Cell:
    """What the eye gets: reverse swaps the colours; a blank shows no foreground and no weight."""
    if reverse:
        fg, bg = bg, fg
    return (char, None, bg, False) if char == " " else (char, fg, bg, bold)


def textual_cells(lines: list[list[Segment]]) -> list[list[Cell]]:
    grid = []
    for line in lines:
        row: list[Cell] = []
        for segment in line:
            style = segment.style
            fg = style.color.get_truecolor().hex if style and style.color else None
            bg = style.bgcolor.get_truecolor().hex if style and style.bgcolor else None
            row += [
                seen(char, fg, bg, bool(style and style.bold), bool(style and style.reverse)) for char in segment.text
            ]
        grid.append(row)
    return grid


def frame_cells(data: bytes, width: int, height: int) -> list[list[Cell]]:
    grid: list[list[Cell]] = [[(" ", None, None, False)] * width for _ in range(height)]
    y = x = 0
    fg = bg = None
    bold = reverse = False
    for token in re.split(r"(\x1b\[[0-9;]*[A-Za-z])", data.decode("utf-8")):
        if token.endswith("H") and token.startswith("\x1b["):
            y, x = (int(part) - 1 for part in token[2:-1].split(";"))
        elif token.endswith("m") and token.startswith("\x1b["):
            codes = [int(code) for code in token[2:-1].split(";") if code]
            index = 0
            while index < len(codes):
                code = codes[index]
                if code == 0:
                    fg = bg = None
                    bold = reverse = False
                elif code in (1, 7):
                    bold, reverse = (True, reverse) if code == 1 else (bold, True)
                elif code in (38, 48):
                    value = "#" + "".join(f"{part:02x}" for part in codes[index + 2 : index + 5])
                    fg, bg = (value, bg) if code == 38 else (fg, value)
                    index += 4
                index += 1
        else:
            for char in token:
                grid[y][x] = seen(char, fg, bg, bold, reverse)
                x += 1
    return grid


@pytest.mark.parametrize(("size", "count"), [((120, 40), 200), ((80, 24), 200), ((120, 40), 12)])
def test_the_early_frame_is_textuals_start_up_screen_cell_for_cell(size: tuple[int, int], count: int) -> None:
    """A long list (scrollbar and its thumb) and a short one (no scrollbar: the rows take its column)."""
    rows = sample_rows(count)
    width, height = size
    live = QuickReader(sqlite3.connect(":memory:"), 0)  # the start-up screen's filter keys are on
    textual = textual_cells(render_start_up_screen("noxtui-dark", rows, size, live))
    look = make_look("noxtui-dark", "truecolor")
    assert look is not None
    view = View("noxtui — label", "all threads", "loading…", rows, 0, 0, footer_items({}), NOW)
    early = frame_cells(paint(view, width, height, look), width, height)
    for y in range(height):
        assert early[y] == textual[y], f"line {y + 1} differs"


def test_the_colour_table_is_the_one_textual_gives_today() -> None:
    """If this fails, the theme or Textual changed: run ``python -m noxtui.tools.early_palettes``."""
    made = build()
    assert made["palettes"] == PALETTES
    assert made["downgrades"] == DOWNGRADES
