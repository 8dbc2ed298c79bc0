"""The start-up screen's layout as terminal bytes, without Textual: header, filter bar, list, footer.

Same cells as ``BootScreen`` where practical: the list is 45 % of the width (at least 40) beside
the reading pane from 100 columns, the whole width below that; each row has the columns of
``thread_line.Columns`` (marker, arrow, creator, platform, snippet, labels, status, age). Text from
the server is made inert first (``sanitize``): the frame is written straight to the terminal.
Every line is written at an absolute position and to its full width, so a repaint (a key, or
Textual's own first frame over it) needs no clear.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from noxtui.domain.rows import ThreadRow
from noxtui.domain.text import relative_time, sanitize
from noxtui.prepaint.look import Look

NARROW_WIDTH = 100
"""As ``boot.NARROW_WIDTH``: below it the list takes the whole width."""


def cell_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` cropped (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if text.isascii():
        return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
    widths = [cell_width(char) for char in text]
    if sum(widths) <= width:
        return text + " " * (width - sum(widths))
    out, used = [], 0
    for char, char_width in zip(text, widths, strict=True):
        if used + char_width > width - 1:
            break
        out.append(char)
        used += char_width
    return "".join(out) + "…" + " " * (width - 1 - used)


@dataclass(frozen=True)
class Columns:
    """``thread_line.Columns`` at one list width."""

    name: int
    status: int
    label: int
    snippet: int

    @classmethod
    def at(cls, width: int) -> Columns:
        name = 18 if width >= 56 else 12
        status = 12 if width >= 70 else 8 if width >= 44 else 0
        label = 12 if width >= 90 else 8 if width >= 44 else 0
        fixed = 3 + 1 + name + 1 + 3 + (label + 1 if label else 0) + (status + 1 if status else 0) + 5
        return cls(name, status, label, max(width - fixed, 0))


@dataclass(frozen=True)
class View:
    """What the frame shows: the rows from ``top``, the cursor, the filter line and the count."""

    title: str
    line: str
    count: str
    rows: Sequence[ThreadRow]
    top: int
    cursor: int
    footer: Sequence[tuple[str, str]]
    now: datetime


def list_width(width: int) -> int:
    """The list's outer width (border included), as the start-up screen's CSS lays it out."""
    return width if width < NARROW_WIDTH else max(40, width * 45 // 100)


def list_height(height: int) -> int:
    return max(height - 3, 0)


def paint(view: View, width: int, height: int, look: Look) -> bytes:
    """The whole screen, each line at its own position (no clear anywhere)."""
    lines = [_header(view.title, width, look), _bar(view.line, view.count, width, look)]
    outer = list_width(width)
    wide = outer < width
    inner = outer - 1 - (1 if wide else 0)  # scrollbar, then the border on a wide screen
    columns = Columns.at(inner)
    for y in range(list_height(height)):
        index = view.top + y
        row = view.rows[index] if index < len(view.rows) else None
        text = (
            _row(row, inner, columns, look, cursor=index == view.cursor, now=view.now)
            if row
            else look.row + " " * inner
        )
        text += look.row + " "  # the scrollbar's column (Textual paints its thumb over it)
        if wide:
            pane = " Loading the inbox…" if y == 0 else ""
            text += look.border + "│" + look.pane_muted + fit(pane, width - outer)
        lines.append(text)
    lines.append(_footer(view.footer, width, look))
    out = [f"\x1b[{number};1H{line}{look.reset}" for number, line in enumerate(lines[:height], start=1)]
    return "".join(out).encode("utf-8", "replace")


def _header(title: str, width: int, look: Look) -> str:
    left = " ⭘"
    middle = fit(title, max(width - 2 * 8, 0)).strip()
    start = max((width - len(middle) - 1) // 2, len(left) + 1)
    return look.bar + fit(left + " " * (start - len(left)) + middle, width)


def _bar(line: str, count: str, width: int, look: Look) -> str:
    right = f" {count} " if count else ""
    left = fit(f" ▼ {sanitize(line)}", max(width - len(right), 0))
    return look.bar_bold + left + look.bar_muted + right


def _footer(items: Sequence[tuple[str, str]], width: int, look: Look) -> str:
    text, used = look.bar, 0
    for key, description in items:
        part_width = len(key) + len(description) + 3
        if used + part_width > width - 12:
            break
        text += f"{look.key} {key} {look.bar}{description} "
        used += part_width
    return text + look.bar + fit("", width - used - 12) + "▏^p palette "


def _row(row: ThreadRow, width: int, columns: Columns, look: Look, *, cursor: bool, now: datetime) -> str:
    """One thread, laid out as ``thread_line.paint_row`` lays it out."""
    flags = ("+" if row.has_draft else "") + ("⏲" if row.scheduled else "")
    age = " " + relative_time(row.last_ts, now).rjust(4)
    if cursor:
        parts = [(" ●" if row.needs_reply else "  ") + ("←" if row.inbound else "→") + " "]
        parts += [fit(sanitize(row.creator_name), columns.name), " ", fit(row.platform, 3)]
        parts.append(fit(flags + sanitize(row.snippet), columns.snippet))
        if columns.label:
            parts += [" ", fit(sanitize(_chips(row)), columns.label)]
        if columns.status:
            parts += [" ", fit(sanitize(row.coop_name), columns.status)]
        return look.cursor + fit("".join(parts) + age, width)
    name_style = look.strong if row.needs_reply else look.row
    text = look.marker + (" ●" if row.needs_reply else "  ") + look.muted + ("←" if row.inbound else "→")
    text += look.row + " " + name_style + fit(sanitize(row.creator_name), columns.name) + look.row + " "
    text += look.muted + fit(row.platform, 3) + (look.row if row.needs_reply else look.muted)
    text += fit(flags + sanitize(row.snippet), columns.snippet)
    if columns.label:
        text += look.row + " " + look.label + fit(sanitize(_chips(row)), columns.label)
    if columns.status:
        text += look.row + " " + look.status + fit(sanitize(row.coop_name), columns.status)
    used = 3 + 1 + columns.name + 1 + 3 + columns.snippet
    used += (columns.label + 1 if columns.label else 0) + (columns.status + 1 if columns.status else 0)
    return text + look.muted + fit(age, width - used)


def _chips(row: ThreadRow) -> str:
    return f"[{row.labels.replace(', ', ',')}]" if row.labels else ""
