"""One thread as one line of cells: the layout and segment building behind ``ThreadList.render_line``.

Kept apart from the widget because it is the hot path of every scroll (bench figure 3) and has
no state of its own: given a row, the width, the resolved styles and the clock, it returns the
``Strip``. The widget decides *which* lines to paint and caches the strips; this decides what a
line looks like, and does it without measuring text it can slice.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from noxtui.domain.rows import ThreadRow
from noxtui.domain.text import relative_time, sanitize

_NARROW: set[str] = {chr(code) for code in range(0x20, 0x7F)}
"""Characters known to be one cell wide on their own, grown as texts are painted."""

_CONTEXTUAL = frozenset("\u200d\ufe0f")
"""Zero-width joiner and emoji presentation selector: they change the width of their neighbours."""


def all_narrow(text: str) -> bool:
    """Whether every character of ``text`` is one cell wide, whatever its neighbours.

    Then ``cell_len(text) == len(text)`` and a crop is a slice. Most snippets hold a dash or a
    curly quote, which Rich's own single-cell fast path does not cover; measuring them character
    by character made fitting text the largest part of painting a page.
    """
    if _NARROW.issuperset(text):
        return True
    for char in set(text).difference(_NARROW):
        if char in _CONTEXTUAL or cell_len(char) != 1:
            return False
        _NARROW.add(char)
    return True


def fit(text: str, width: int) -> str:
    """Crop or pad ``text`` to exactly ``width`` cells, marking a crop with an ellipsis."""
    if width <= 0:
        return ""
    if all_narrow(text):
        if len(text) <= width:
            return text + " " * (width - len(text))
        return text[: width - 1] + "…"
    return fit_measured(text, width)


def fit_measured(text: str, width: int) -> str:
    """``fit`` for any text: measures every character (wide, zero-width, emoji joiners)."""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    out: list[str] = []
    used = 0
    for char in text:
        char_width = cell_len(char)
        if used + char_width > width - 1:
            break
        out.append(char)
        used += char_width
    return "".join(out) + "…" + " " * (width - 1 - used)


def merged(parts: list[tuple[str, Style]]) -> list[Segment]:
    """Adjacent parts painted in the same style object become one segment.

    Every later pass over a line (Textual's line styling and filters, the compositor's cuts, the
    terminal encoding) walks its segments, so a row of 13 parts costs less as 9-11 segments (a
    cursor row, nearly one style throughout, becomes 1-3). The cells are unchanged.
    """
    segments: list[Segment] = []
    text, style = parts[0]
    for part_text, part_style in parts[1:]:
        if part_style is style:
            text += part_text
        else:
            segments.append(Segment(text, style))
            text, style = part_text, part_style
    segments.append(Segment(text, style))
    return segments


LEGEND: tuple[tuple[str, str], ...] = (
    ("*", "marked for a batch (space)"),
    ("●", "needs your reply"),
    ("N", "a new reply from the creator since you last looked"),
    ("← / →", "the last message came from the creator / from you"),
    ("+", "a draft is saved on the server"),
    ("✎", "text you typed here is not saved yet (kept on this machine)"),
    ("⏲", "a reply is scheduled"),
    ("[a,b]", "the thread's labels, cut to fit"),
)
"""Every symbol a list row can show, for the help screen (``?``)."""


class Columns:
    """Column widths of a row at one list width (computed once per width, not per row).

    Labels and status come before the snippet: the snippet is the part that shrinks first, so at a
    120-column terminal (a list of about 52 cells) a row still shows its labels and status."""

    __slots__ = ("name", "status", "label", "fixed", "snippet")

    def __init__(self, width: int) -> None:
        wide = width >= 70
        self.name = 18 if width >= 56 else 12
        self.status = 12 if wide else 8 if width >= 44 else 0
        self.label = 12 if width >= 90 else 8 if width >= 44 else 0
        fixed = 3 + 1 + self.name + 1 + 3 + (self.label + 1 if self.label else 0)
        self.fixed = fixed + (self.status + 1 if self.status else 0) + 5
        self.snippet = max(width - self.fixed, 0)


class RowStyles(NamedTuple):
    """The five styles a line is painted in, resolved by the widget once per theme (and cursor state).

    There is no muted role: the arrow, platform, snippet and age are plain text. Textual resolved
    ``$text-muted`` (an alpha over whatever is behind) for a component style to opaque white, so
    those parts were brighter than the names in the dark themes and white on white in the light
    one. A real grey would cost each row two more colour changes on the wire (bench figure 7);
    the marker, the bold name of a thread awaiting a reply, the label and the status carry the row."""

    plain: Style
    strong: Style
    label: Style
    status: Style
    marker: Style


def paint_row(
    row: ThreadRow,
    width: int,
    columns: Columns,
    styles: RowStyles,
    *,
    marked: bool,
    now: datetime,
    fresh: bool = False,
    unsent: bool = False,
) -> Strip:
    """Lay out one thread: marker, arrow, creator, platform, snippet, labels, status, age.

    ``fresh``: a new reply since the rep last looked (``N``); ``unsent``: text typed here and not
    saved (``✎``). Every symbol is in ``LEGEND``."""
    style, strong, label_style, status_style, marker_style = styles
    flags = ("✎" if unsent else "") + ("+" if row.has_draft else "") + ("⏲" if row.scheduled else "")
    # Each separating space rides on a neighbouring part, in that part's style: a space looks the same
    # in any foreground, and every style change costs a segment in each later pass over the line
    # and an SGR sequence on the wire (bench figures 3 and 7).
    parts = [
        (("*" if marked else " ") + ("N" if fresh else "●" if row.needs_reply else " "), marker_style),
        ("←" if row.inbound else "→", style),
        (" " + fit(sanitize(row.creator_name), columns.name) + " ", strong if row.needs_reply else style),
        (fit(row.platform, 3), style),
        (fit(flags + sanitize(row.snippet), columns.snippet), style),
    ]
    if columns.label:
        chips = f"[{row.labels.replace(', ', ',')}]" if row.labels else ""
        parts.append((" " + fit(sanitize(chips), columns.label), label_style))
    if columns.status:
        parts.append((" " + fit(sanitize(row.coop_name), columns.status), status_style))
    age_text = " " + relative_time(row.last_ts, now).rjust(4)
    parts.append((age_text, style))
    segments = merged(parts)
    if columns.fixed + columns.snippet == width and len(age_text) == 5:
        return Strip(segments, width)  # laid out to the exact width: one strip, no cropping pass
    return Strip(segments).crop_extend(0, width, style)


def paint_prose(paragraphs: list[str], y: int, width: int, style: Style) -> Strip:
    """Line ``y`` of a few paragraphs wrapped across the list (why nothing can be listed)."""
    lines = [part for text in paragraphs for part in (textwrap.wrap(text, max(width - 2, 10)) or [""])]
    return paint_message(lines[y], width, style) if y < len(lines) else Strip.blank(width, style)


def paint_message(text: str, width: int, style: Style) -> Strip:
    """A line of prose across the list (the empty-filter notice), indented one cell."""
    return Strip([Segment(fit(" " + text, width), style)], width)
