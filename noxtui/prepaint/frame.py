"""The start-up screen's layout as terminal bytes, without Textual: header, filter bar, list, footer.

Same cells as ``BootScreen`` where practical: the list is 45 % of the width (at least 40) beside
the reading pane from 100 columns, the whole width below that; each row has the columns of
``thread_line.Columns`` (marker, arrow, creator, platform, snippet, labels, status, age). Text from
the server is made inert first (``sanitize``): the frame is written straight to the terminal.
Every line is written at an absolute position and to its full width, so a repaint (a key, or
Textual's own first frame over it) needs no clear.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from noxtui.domain.rows import ThreadRow
from noxtui.domain.text import relative_time, sanitize
from noxtui.prepaint.look import RESET, Look

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


def crop(text: str, width: int) -> str:
    """``text`` cut (no ellipsis) or padded to exactly ``width`` cells, as a Strip is cropped."""
    if text.isascii():
        return text[:width].ljust(width)
    out, used = [], 0
    for char in text:
        char_width = cell_width(char)
        if used + char_width > width:
            break
        out.append(char)
        used += char_width
    return "".join(out) + " " * (width - used)


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
    """The list's outer width (scrollbar and border included), as the start-up screen's CSS lays it out."""
    return width if width < NARROW_WIDTH else max(40, width * 45 // 100)


def list_height(height: int) -> int:
    return max(height - 3, 0)


def paint(view: View, width: int, height: int, look: Look) -> bytes:
    """The whole screen, each line at its own position and full width (no clear anywhere)."""
    lines = [_header(view.title, width, look), _bar(view.line, view.count, width, look)]
    outer = list_width(width)
    wide = outer < width
    rows_shown = list_height(height)
    bar = scrollbar(rows_shown, len(view.rows), view.top)
    inner = outer - len(bar[:1]) - (1 if wide else 0)  # the scrollbar if any, then the border if wide
    columns = Columns.at(inner)
    for y in range(rows_shown):
        index = view.top + y
        row = view.rows[index] if index < len(view.rows) else None
        if row is None:
            text = look["row"] + " " * inner
        else:
            text = _row(row, inner, columns, look, cursor=index == view.cursor, now=view.now)
        if bar:
            glyph, role = bar[y]
            text += look[role] + glyph
        if wide:
            text += look["border"] + "│" + _pane(" Loading the inbox…" if y == 0 else "", width - outer, look)
        lines.append(text)
    lines.append(_footer(view.footer, width, look))
    out = [f"\x1b[{number};1H{line}{RESET}" for number, line in enumerate(lines[:height], start=1)]
    return "".join(out).encode("utf-8", "replace")


EIGHTHS = "▁▂▃▄▅▆▇ "
"""A cell of scrollbar filled from the bottom by 1..7 eighths (then none), as Textual draws its ends."""


def scrollbar(size: int, rows: int, top: int) -> list[tuple[str, str]]:
    """Each cell of the list's vertical scrollbar, (glyph, role), or none when every row fits.
    Textual's bar, worked out in eighths of a cell: a thumb as long as the window is of the list,
    where the window is."""
    if rows <= size or size <= 0:
        return []  # everything fits: Textual shows no scrollbar (the rows get its column)
    thumb = max(1.0, size * size / rows)
    offset = (size - thumb) * (top / (rows - size))
    start = int(offset * 8)
    end = start + math.ceil(thumb * 8)
    first, first_eighth = divmod(start, 8)
    last, last_eighth = divmod(end, 8)
    cells = [(" ", "track")] * size
    cells[first:last] = [(" ", "thumb")] * (last - first)
    if first < size and EIGHTHS[7 - first_eighth] != " ":
        cells[first] = (EIGHTHS[7 - first_eighth], "thumb_end")
    if last < size and EIGHTHS[7 - last_eighth] != " ":
        cells[last] = (EIGHTHS[7 - last_eighth], "thumb_end")
    return cells


def _pane(text: str, width: int, look: Look) -> str:
    if not text:
        return look["pane"] + " " * width
    return look["pane"] + " " + look["pane_text"] + fit(text.strip(), width - 2) + look["pane"] + " "


def _header(title: str, width: int, look: Look) -> str:
    """Icon at the left, ``noxtui — label`` centred between the icon's 8 cells and the clock's 10."""
    name, _, label = title.partition(" — ")
    shown = fit(title, max(width - 18, 0)).rstrip()
    pad = max(width - 18 - len(shown), 0) // 2
    text = look["header"] + " " + look["header_title"] + "⭘" + look["header"] + " " * (6 + pad)
    if label and shown == title:
        text += look["header_title"] + name + look["header_sub"] + " — " + label
    else:
        text += look["header_title"] + shown
    return text + look["header"] + " " * max(width - 8 - pad - len(shown), 0)


def _bar(line: str, count: str, width: int, look: Look) -> str:
    right = f"{count} " if count else ""
    left = fit(f"▼ {sanitize(line)}", max(width - len(right) - 2, 0))
    return look["bar"] + " " + look["bar_line"] + left + look["bar"] + " " + look["bar_count"] + right


def _footer(items: Sequence[tuple[str, str]], width: int, look: Look) -> str:
    """The keys, cut where the command palette's ``▏^p palette`` (right-aligned) begins."""
    room = max(width - 12, 0)
    text, used = "", 0
    for key, description in items:
        for part, role in ((f" {key} ", "footer_key"), (f"{description} ", "footer_desc")):
            if used >= room:
                break
            part = part[: room - used]
            text += look[role] + part
            used += len(part)
    text += look["footer"] + " " * (room - used)
    return (
        text
        + look["footer_sep"]
        + "▏"
        + look["footer_key"]
        + "^p"
        + look["footer_desc"]
        + " palette"
        + look["footer"]
        + " "
    )


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
        return look["cursor"] + crop("".join(parts) + age, width)
    plain = look["row"]
    text = look["marker"] + (" ●" if row.needs_reply else "  ") + plain + ("←" if row.inbound else "→")
    if row.needs_reply:
        text += look["strong"] + " " + fit(sanitize(row.creator_name), columns.name) + " " + plain
    else:
        text += " " + fit(sanitize(row.creator_name), columns.name) + " "
    text += fit(row.platform, 3) + fit(flags + sanitize(row.snippet), columns.snippet)
    if columns.label:
        text += look["label"] + " " + fit(sanitize(_chips(row)), columns.label)
    if columns.status:
        text += look["status"] + " " + fit(sanitize(row.coop_name), columns.status)
    used = 3 + 1 + columns.name + 1 + 3 + columns.snippet
    used += (columns.label + 1 if columns.label else 0) + (columns.status + 1 if columns.status else 0)
    return text + plain + crop(age, width - used)


def _chips(row: ThreadRow) -> str:
    return f"[{row.labels.replace(', ', ',')}]" if row.labels else ""
