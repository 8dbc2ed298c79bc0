"""Screen lines as cells: one character (or grapheme) and one style number per terminal column.

The output layer compares what the terminal shows with the frame Textual wants, line by line and
cell by cell, so both are kept in one shape: a ``Line`` of parallel tuples (C-speed equality and
hashing, so a line that moved is found by a dictionary look-up). A wide character takes two
cells, its second one ``""``. A line holding anything but single-width characters is *complex*:
it is always written whole from its first column, as Textual writes it, so a width the terminal
measures differently can never shift the cells after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rich.cells import cell_len, split_graphemes
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from noxtui.tui.terminal.sgr import DEFAULT, Sgr

try:  # Rich's own "every character is one cell" test: a C-level frozenset check
    from rich.cells import _is_single_cell_widths as _single_cells
except ImportError:  # pragma: no cover - a Rich without it: measure every string
    _single_cells = None  # type: ignore[assignment]


class Unmodelled(Exception):
    """A frame holds something the cell model does not describe (a control segment, a tab, a
    newline): the caller falls back to Textual's own output for it."""


class Line(NamedTuple):
    chars: tuple[str, ...]
    styles: tuple[int, ...]
    simple: bool
    """Every cell one single-width character (cells may then be written one run at a time)."""


def blank_line(width: int, style: int = 0) -> Line:
    return Line((" ",) * width, (style,) * width, True)


class StyleTable:
    """Numbers for styles: equal terminal output, equal number, whatever Rich ``Style`` made it.

    Textual's styles carry ``meta`` (click targets and offsets), so many distinct ``Style`` objects
    render the same; they are mapped to one number through what they render to."""

    _MAX_STYLES = 8192

    def __init__(self, color_system: ColorSystem | None) -> None:
        self.color_system = color_system or ColorSystem.TRUECOLOR
        self.sgrs: list[Sgr] = [DEFAULT]
        self.blank_keys: list[object] = [DEFAULT.blank_key]
        """Per style number, what a space in it looks like (``Sgr.blank_key``)."""
        self._by_render: dict[tuple[str, str | None], int] = {("", None): 0}
        self._by_style: dict[Style, int] = {}
        self.segment_cells: dict[tuple[str, Style | None], tuple[tuple[str, ...], tuple[int, ...], bool]] = {}
        """Segments already split into cells and style numbers (they repeat from frame to frame)."""
        self.strip_lines: dict[int, tuple[Strip, Line]] = {}
        """Strips already turned into cells, by identity (the strip is kept so its id stays its own)."""

    def number(self, style: Style | None) -> int:
        if style is None:
            return 0
        found = self._by_style.get(style)
        if found is not None:
            return found
        if len(self._by_style) > self._MAX_STYLES:
            self._by_style.clear()
        ansi = style._ansi if style._ansi is not None else Strip.render_ansi(style, self.color_system)
        key = (ansi, style.link)
        number = self._by_render.get(key)
        if number is None:
            number = len(self.sgrs)
            sgr = Sgr.parse(ansi, style.link)
            self.sgrs.append(sgr)
            self.blank_keys.append(sgr.blank_key)
            self._by_render[key] = number
        self._by_style[style] = number
        return number


def cells_of(segments: Iterable[Segment], table: StyleTable) -> Line:
    """The cells a run of segments paints, from its first column."""
    chars: list[str] = []
    styles: list[int] = []
    simple = True
    known = table.segment_cells
    for text, style, control in segments:
        if control:
            raise Unmodelled("control segment")
        if not text:
            continue
        found = known.get((text, style))
        if found is None:
            found = _segment_cells(text, table.number(style))
            if len(known) > 20_000:
                known.clear()
            known[text, style] = found
        chars.extend(found[0])
        styles.extend(found[1])
        simple = simple and found[2]
    return Line(tuple(chars), tuple(styles), simple)


def _segment_cells(text: str, sid: int) -> tuple[tuple[str, ...], tuple[int, ...], bool]:
    if text.isascii():
        if not text.isprintable():
            raise Unmodelled("control character in text")
        return tuple(text), (sid,) * len(text), True
    cells, single = _text_cells(text)
    return cells, (sid,) * len(cells), single


def strip_cells(strip: Strip, table: StyleTable) -> Line:
    """``cells_of`` a strip, remembered for the strip: Textual hands the same ``Strip`` objects
    frame after frame for lines that did not change, so most of a frame is found, not rebuilt."""
    remembered = table.strip_lines.get(id(strip))
    if remembered is not None and remembered[0] is strip:
        return remembered[1]
    line = cells_of(strip, table)
    if len(table.strip_lines) > 4096:
        table.strip_lines.clear()
    table.strip_lines[id(strip)] = (strip, line)
    return line


def _text_cells(text: str) -> tuple[tuple[str, ...], bool]:
    """One segment's non-ASCII text as cells, and whether each is one single-width character."""
    if _single_cells is not None and _single_cells(text):
        return tuple(text), True
    if not text.isprintable():
        raise Unmodelled("control character in text")
    cells: list[str] = []
    single = True
    spans, _width = split_graphemes(text)
    for start, end, width in spans:
        grapheme = text[start:end]
        if width == 1 and end - start == 1:
            cells.append(grapheme)
            continue
        single = False
        if width == 0:
            if not cells:
                raise Unmodelled("zero-width text at a segment's start")
            cells[-1] += grapheme
            continue
        cells.append(grapheme)
        cells.extend([""] * (width - 1))
    return tuple(cells), single


def splice(line: Line, start: int, new: Line) -> Line:
    """``line`` with ``new``'s cells from column ``start`` on (``new`` fits inside ``line``)."""
    end = start + len(new.chars)
    chars = line.chars[:start] + new.chars + line.chars[end:]
    styles = line.styles[:start] + new.styles + line.styles[end:]
    if line.simple and new.simple:
        return Line(chars, styles, True)
    chars = _mend_wide(chars)
    return Line(chars, styles, _all_single(chars))


def _all_single(chars: tuple[str, ...]) -> bool:
    text = "".join(chars)
    return len(text) == len(chars) and cell_len(text) == len(text)


def _mend_wide(chars: tuple[str, ...]) -> tuple[str, ...]:
    """Blank half-covered wide characters (a head without its tail, a tail without its head), as
    a terminal does when one half is overwritten."""
    mended = list(chars)
    index = 0
    while index < len(mended):
        char = mended[index]
        width = 1 if char.isascii() else cell_len(char)
        if char == "":
            mended[index] = " "
        elif width > 1:
            tail = mended[index + 1 : index + width]
            if len(tail) == width - 1 and not any(tail):
                index += width
                continue
            mended[index] = " "
        index += 1
    return tuple(mended)
