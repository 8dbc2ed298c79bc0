"""The output layer's bytes, applied to a model terminal, leave exactly the frame Textual asked for.

Each test renders an old frame the way Textual writes it (``LayoutUpdate.render_segments``), feeds
it to ``tests/screen_model.Screen``, then feeds the output layer's difference for the new frame and
compares the cells with a fresh screen that got Textual's full render of the new frame.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from noxtui.tui.terminal.cells import StyleTable, Unmodelled, cells_of
from noxtui.tui.terminal.diff import Writer, encode
from noxtui.tui.terminal.shadow import Shadow
from tests.screen_model import Screen

WIDTH, HEIGHT = 30, 12
STYLES = [
    None,
    Style(color="color(254)", bgcolor="color(235)"),
    Style(bold=True, color="color(179)", bgcolor="color(235)"),
    Style(color="color(231)", bgcolor="color(16)"),
    Style(bold=True, color="color(16)", bgcolor="color(74)"),
    Style(reverse=True, color="color(23)", bgcolor="color(235)"),
    Style(underline=True, color="color(139)"),
    Style(italic=True, dim=True, color="#ff8800", bgcolor="#102030"),
]
Row = list[tuple[str, int]]
"""A frame line as (text, style index) pieces, exactly WIDTH cells wide."""


def console() -> Console:
    return Console(color_system="256", force_terminal=True, width=WIDTH, height=HEIGHT)


def strip(row: Row) -> Strip:
    return Strip([Segment(text, STYLES[index]) for text, index in row])


def full_update(rows: list[Row]) -> LayoutUpdate:
    return LayoutUpdate([[strip(row)] for row in rows], Region(0, 0, WIDTH, HEIGHT))


def textual_bytes(rows: list[Row]) -> str:
    return full_update(rows).render_segments(console())


class Terminal:
    """A model terminal driven by the output layer, frame after frame."""

    def __init__(self, first: list[Row], erase: bool = True) -> None:
        self.table = StyleTable(console()._color_system)
        self.shadow = Shadow()
        self.shadow.adopt(self.shadow.frame_after(full_update(first), WIDTH, HEIGHT, self.table), WIDTH)
        self.writer = Writer(self.table.sgrs, self.table.blank_keys, WIDTH, HEIGHT, None, erase)
        self.screen = Screen(WIDTH, HEIGHT).feed(textual_bytes(first))
        self.written: list[str] = []

    def show(self, update: LayoutUpdate | ChopsUpdate) -> str:
        assert self.shadow.lines is not None
        lines = self.shadow.frame_after(update, WIDTH, HEIGHT, self.table)
        out = encode(list(self.shadow.lines), lines, self.writer)
        self.shadow.adopt(lines, WIDTH)
        self.screen.feed(out)
        self.written.append(out)
        return out


def assert_shows(terminal: Terminal, rows: list[Row]) -> None:
    expected = Screen(WIDTH, HEIGHT).feed(textual_bytes(rows))
    assert terminal.screen.text() == expected.text()
    assert terminal.screen.visible() == expected.visible()


def list_row(n: int, highlighted: bool = False) -> Row:
    if highlighted:
        return [(f" {n:03d} Name {n % 7} Subject".ljust(WIDTH - 1), 4), ("▆", 5)]
    return [(" ●", 2), (f" {n:03d} ", 1), (f"Name {n % 7} ", 2), ("Subject".ljust(WIDTH - 15), 1), ("│", 3)]


def listing(first: int, cursor: int, header: Row | None = None) -> list[Row]:
    rows = [header or [("header".ljust(WIDTH), 3)]]
    rows += [list_row(first + y, highlighted=y == cursor) for y in range(HEIGHT - 2)]
    rows.append([("footer", 6), (" " * (WIDTH - 6), 3)])
    return rows


def test_a_list_that_scrolls_a_line_is_moved_by_a_scroll_region_and_two_rows_written() -> None:
    before = listing(0, HEIGHT - 3)
    terminal = Terminal(before)
    after = listing(1, HEIGHT - 3)
    out = terminal.show(full_update(after))
    assert "\x1b[2;10r\x1b[S" in out  # rows 2..10 (1-based) up by one; the highlighted row 11 stays
    assert_shows(terminal, after)
    assert len(out.encode()) < len(textual_bytes(after).encode()) / 4


def test_a_scroll_down_uses_reverse_scroll() -> None:
    terminal = Terminal(listing(5, 0))
    after = listing(4, 0)
    out = terminal.show(full_update(after))
    assert "T" in out.split("r", 1)[1][:4]
    assert_shows(terminal, after)


def test_a_cursor_move_writes_only_the_two_rows_that_changed() -> None:
    terminal = Terminal(listing(0, 3))
    after = listing(0, 4)
    out = terminal.show(full_update(after))
    assert_shows(terminal, after)
    assert "r" not in out.replace("\x1b[", "")[:0] and "\x1b[S" not in out
    rows_addressed = {int(part.split(";")[0].split("H")[0]) for part in out.split("\x1b[")[1:] if "H" in part[:6]}
    assert rows_addressed <= {5, 6}


def test_a_changed_cell_is_written_alone_and_blank_tails_are_erased() -> None:
    before = listing(0, 0)
    terminal = Terminal(before)
    after = [list(row) for row in before]
    after[5] = [(" ●", 2), (" 00X ", 1), *after[5][2:]]
    out = terminal.show(full_update(after))
    assert_shows(terminal, after)
    assert len(out) < 30
    tail = [list(row) for row in after]
    tail[HEIGHT - 1] = [("f", 6), (" " * (WIDTH - 1), 3)]
    out = terminal.show(full_update(tail))
    assert out.endswith("\x1b[K") or "\x1b[K" in out
    assert_shows(terminal, tail)


def test_blanks_change_only_the_background_and_the_text_after_them_changes_colour_once() -> None:
    """A row that starts with blanks in a bold colour (the list's empty marker column) is written as
    a background change and the blanks; the colour is set once, where text starts."""
    before = listing(0, 0)
    terminal = Terminal(before)
    after = [list(row) for row in before]
    after[3] = [("  ", 2), ("text".ljust(WIDTH - 2), 1)]
    out = terminal.show(full_update(after))
    assert_shows(terminal, after)
    assert "38;5;179" not in out  # the blanks' foreground is never written: it shows nowhere


def test_without_background_erase_blanks_are_written() -> None:
    before = listing(0, 0)
    terminal = Terminal(before, erase=False)
    after = [[("x", 1), (" " * (WIDTH - 1), 3)] for _ in range(HEIGHT)]
    out = terminal.show(full_update(after))
    assert "\x1b[K" not in out
    assert_shows(terminal, after)


def test_wide_characters_are_written_whole_and_half_covered_ones_cleared() -> None:
    before = [[("中文名字 " + "x" * (WIDTH - 9), 1)] for _ in range(HEIGHT)]
    terminal = Terminal(before)
    after = [list(row) for row in before]
    after[2] = [("x中文名字 " + "x" * (WIDTH - 10), 2)]
    after[3] = [("é" * WIDTH, 1)]
    after[4] = [("e\u0301" * WIDTH, 3)]
    terminal.show(full_update(after))
    assert_shows(terminal, after)
    terminal.show(full_update(before))
    assert_shows(terminal, before)


def test_a_partial_update_changes_only_its_spans() -> None:
    before = listing(0, 2)
    terminal = Terminal(before)
    after = listing(0, 3)
    chops: list[dict[int, Strip | None]] = [{0: None} for _ in range(HEIGHT)]
    spans = []
    for y in (3, 4):
        chops[y] = {0: strip(after[y])}
        spans.append((y, 0, WIDTH))
    terminal.show(ChopsUpdate(chops, spans, [[WIDTH] for _ in range(HEIGHT)]))
    assert_shows(terminal, after)


def test_control_characters_are_not_modelled() -> None:
    table = StyleTable(console()._color_system)
    for text in ("a\tb", "line\n", "\x1b[31m"):
        try:
            cells_of([Segment(text, None)], table)
        except Unmodelled:
            continue
        raise AssertionError(f"{text!r} was modelled")


_pieces = st.lists(
    st.tuples(st.text(alphabet="ab ─●中", min_size=1, max_size=6), st.integers(0, len(STYLES) - 1)),
    min_size=1,
    max_size=6,
)


def _fit(pieces: list[tuple[str, int]]) -> Row:
    """Pieces cut or padded to exactly WIDTH cells (a wide character never split)."""
    row: Row = []
    used = 0
    for text, index in pieces:
        kept = ""
        for char in text:
            width = 2 if char == "中" else 1
            if used + width > WIDTH:
                break
            kept += char
            used += width
        if kept:
            row.append((kept, index))
    row.append((" " * (WIDTH - used), pieces[-1][1]))
    return [piece for piece in row if piece[0]]


_frames = st.lists(_pieces.map(_fit), min_size=HEIGHT, max_size=HEIGHT)


@st.composite
def _next_frame(draw: st.DrawFn, rows: list[Row]) -> list[Row]:
    """The frame after ``rows``: a block scrolled, some rows replaced, some cells restyled."""
    new = [list(row) for row in rows]
    if draw(st.booleans()):
        top = draw(st.integers(0, HEIGHT - 2))
        bottom = draw(st.integers(top + 1, HEIGHT - 1))
        amount = draw(st.integers(-(bottom - top), bottom - top))
        block = new[top : bottom + 1]
        fresh = [draw(_pieces.map(_fit)) for _ in range(abs(amount))]
        if amount > 0:
            block = block[amount:] + fresh
        elif amount < 0:
            block = fresh + block[: len(block) + amount]
        new[top : bottom + 1] = block
    for _ in range(draw(st.integers(0, 3))):
        new[draw(st.integers(0, HEIGHT - 1))] = draw(_pieces.map(_fit))
    for _ in range(draw(st.integers(0, 3))):
        y = draw(st.integers(0, HEIGHT - 1))
        text, _style = new[y][0]
        new[y][0] = (text, draw(st.integers(0, len(STYLES) - 1)))
    return new


@settings(max_examples=150, deadline=None)
@given(data=st.data(), first=_frames, erase=st.booleans())
def test_any_sequence_of_frames_ends_on_the_last_frame(data: st.DataObject, first: list[Row], erase: bool) -> None:
    terminal = Terminal(first, erase=erase)
    rows = first
    for _ in range(data.draw(st.integers(1, 4))):
        rows = data.draw(_next_frame(rows))
        terminal.show(full_update(rows))
        assert_shows(terminal, rows)
