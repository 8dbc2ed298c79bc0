"""The bytes that turn what the terminal shows into the next frame, as few as it takes.

Two steps. ``plan_scrolls`` looks for blocks of lines that moved up or down (the list scrolled)
and moves them with the terminal's own scroll regions (``DECSTBM`` + ``SU``/``SD``), which scroll
whole lines: a block only counts where whole lines moved, so a list beside a blank pane scrolls,
and rows beside pane text are left to the cell diff when that is cheaper. Then ``Writer`` writes
only the cells that still differ, with the shortest cursor moves and style changes, and erases a
line's trailing blanks (``EL``) where the terminal paints erased cells with the current background
(``bce``, which xterm, tmux, VTE, kitty and most others do; not GNU screen by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import ne, or_

from noxtui.tui.terminal.cells import Line
from noxtui.tui.terminal.sgr import DEFAULT, Sgr

SCROLL_OVERHEAD = 16
"""What a scroll costs, in cells (``ESC[t;br``, ``ESC[S``, ``ESC[r`` and the cursor move after)."""
MAX_SCROLLS = 4


@dataclass(frozen=True)
class Scroll:
    """Lines ``top``..``bottom`` (0-based, inclusive) move up by ``amount`` (down when negative)."""

    top: int
    bottom: int
    amount: int

    def sequence(self) -> str:
        count = abs(self.amount)
        command = "S" if self.amount > 0 else "T"
        return f"\x1b[{self.top + 1};{self.bottom + 1}r\x1b[{count if count > 1 else ''}{command}"


def apply_scroll(lines: list[Line | None], scroll: Scroll) -> None:
    """Scroll ``lines`` in place as the terminal does; the lines scrolled in are unknown (``None``)."""
    top, bottom, amount = scroll.top, scroll.bottom, scroll.amount
    block = lines[top : bottom + 1]
    count = abs(amount)
    blanks: list[Line | None] = [None] * count
    moved = block[count:] + blanks if amount > 0 else blanks + block[:-count]
    lines[top : bottom + 1] = moved


def cost(old: Line | None, new: Line) -> int:
    """Roughly the bytes to turn ``old`` into ``new``: the differing cells' text, a cursor move and a
    style (the whole line when ``old`` is unknown)."""
    if old is None or not (old.simple and new.simple):
        return len("".join(new.chars).encode()) + 8
    if old == new:
        return 0
    differs = map(or_, map(ne, old.chars, new.chars), map(ne, old.styles, new.styles))
    return len("".join(compress(new.chars, differs)).encode()) + 8


def plan_scrolls(old: list[Line | None], new: list[Line]) -> list[Scroll]:
    """Scrolls worth doing before the cell diff, best first; ``old`` is scrolled in place."""
    scrolls: list[Scroll] = []
    for _ in range(MAX_SCROLLS):
        best = _best_scroll(old, new)
        if best is None:
            break
        apply_scroll(old, best)
        scrolls.append(best)
    return scrolls


def _best_scroll(old: list[Line | None], new: list[Line]) -> Scroll | None:
    height = len(new)
    now = [cost(old[y], new[y]) for y in range(height)]
    if not any(now):
        return None
    where: dict[Line, list[int]] = {}
    for y, line in enumerate(old):
        if line is not None:
            where.setdefault(line, []).append(y)
    votes: dict[int, int] = {}
    for y, line in enumerate(new):
        if now[y]:
            for source in where.get(line, [])[:4]:
                if source != y:
                    votes[source - y] = votes.get(source - y, 0) + 1
    best: tuple[int, Scroll] | None = None
    for amount in sorted(votes, key=votes.__getitem__, reverse=True)[:4]:
        found = _best_region(old, new, now, amount)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best[1] if best is not None and best[0] > SCROLL_OVERHEAD else None


def _best_region(old: list[Line | None], new: list[Line], now: list[int], amount: int) -> tuple[int, Scroll] | None:
    """The region that gains most from scrolling by ``amount``: (gain in cells, the scroll).

    Rows that receive a moved line gain what their diff no longer costs; the rows scrolled in at the
    region's edge lose (they are written whole). Prefix sums make every region one pass."""
    height = len(new)
    count = abs(amount)
    if count >= height:
        return None
    vacated = [0]
    for y in range(height):
        vacated.append(vacated[-1] + now[y] - cost(None, new[y]))
    received = [0]
    for y in range(height):
        source = y + amount
        value = now[y] - cost(old[source], new[y]) if 0 <= source < height else -(10**9)
        received.append(received[-1] + value)
    best: tuple[int, Scroll] | None = None
    if amount > 0:  # rows top..edge-1 receive old[y + count], rows edge..edge+count-1 are scrolled in
        low, low_at = received[0], 0
        for edge in range(height - count + 1):
            if received[edge] < low:
                low, low_at = received[edge], edge
            total = received[edge] - low + vacated[edge + count] - vacated[edge]
            if (best is None or total > best[0]) and edge + count - 1 > low_at:  # DECSTBM needs 2 lines
                best = (total, Scroll(low_at, edge + count - 1, amount))
        return best
    # rows top..top+count-1 are scrolled in, rows top+count..bottom receive old[y - count]
    high, high_at = received[height], height
    for top in range(height - count, -1, -1):
        edge = top + count
        if received[edge] > high:
            high, high_at = received[edge], edge
        total = vacated[edge] - vacated[top] + high - received[edge]
        if (best is None or total > best[0]) and high_at - 1 > top:  # DECSTBM needs 2 lines
            best = (total, Scroll(top, high_at - 1, amount))
    return best


class Writer:
    """Terminal output with the cursor and style it leaves behind tracked, so neither is repeated."""

    def __init__(
        self,
        sgrs: list[Sgr],
        blank_keys: list[object],
        width: int,
        height: int,
        cursor: tuple[int, int] | None = None,
        erase: bool = True,
    ) -> None:
        self.sgrs = sgrs
        self.blank_keys = blank_keys
        self.width = width
        self.height = height
        self.cursor = cursor
        self.erase = erase
        self.sgr = DEFAULT
        self.parts: list[str] = []

    def text(self) -> str:
        return "".join(self.parts)

    def scrolls(self, scrolls: list[Scroll]) -> None:
        if scrolls:
            self.parts.extend(scroll.sequence() for scroll in scrolls)
            self.parts.append("\x1b[r")
            self.cursor = None  # DECSTBM homes the cursor; not every terminal is relied on for that

    def move(self, x: int, y: int) -> None:
        cursor = self.cursor
        if cursor == (x, y):
            return
        choices = [f"\x1b[{y + 1}H" if x == 0 else f"\x1b[{y + 1};{x + 1}H"]
        if cursor is not None:
            cx, cy = cursor
            if cy == y:
                choices.append(f"\x1b[{x + 1}G")
                if x > cx:
                    choices.append(f"\x1b[{x - cx}C" if x - cx > 1 else "\x1b[C")
                elif x == 0:
                    choices.append("\r")
            elif y == cy + 1 and x == 0:
                choices.append("\r\n")
        self.parts.append(min(choices, key=len))
        self.cursor = (x, y)

    def style(self, sgr: Sgr) -> None:
        if sgr.link != self.sgr.link:
            if self.sgr.link is not None:
                self.parts.append("\x1b]8;;\x1b\\")
            if sgr.link is not None:
                self.parts.append(f"\x1b]8;id={sgr.link_id};{sgr.link}\x1b\\")
        change = sgr.change_from(self.sgr)
        if change:
            self.parts.append(change)
        self.sgr = sgr

    def cells(self, line: Line, start: int, end: int) -> None:
        """Write ``line``'s cells ``start``..``end`` (exclusive) at the cursor, which is at ``start``."""
        sgrs, keys = self.sgrs, self.blank_keys
        chars, styles = line.chars, line.styles
        run = start
        while run < end:
            sid = styles[run]
            stop = run + 1
            while stop < end and styles[stop] == sid:
                stop += 1
            text = "".join(chars[run:stop])
            # Blanks show only their background: written in the style in force when that one looks
            # the same, so a space between two coloured fields costs no style change.
            blank = not text.strip(" ")
            if not blank or keys[sid] != self.sgr.blank_key:
                wanted = sgrs[sid]
                self.style(wanted.blank_after(self.sgr) if blank and wanted.erasable else wanted)
            self.parts.append(text)
            run = stop
        if self.cursor is not None:
            self.cursor = (end, self.cursor[1]) if end < self.width and line.simple else None

    def erasable_tail(self, line: Line) -> int:
        """Where the line's trailing run of erasable blanks in one style starts (``width``: none)."""
        if not self.erase or not line.simple:
            return self.width
        chars, styles, keys = line.chars, line.styles, self.blank_keys
        x = self.width
        key = keys[styles[-1]]
        if not self.sgrs[styles[-1]].erasable:
            return self.width
        while x > 0 and chars[x - 1] == " " and keys[styles[x - 1]] == key:
            x -= 1
        return x

    def erase_to_end(self, line: Line, x: int, y: int) -> None:
        self.move(x, y)
        if self.blank_keys[line.styles[x]] != self.sgr.blank_key:
            wanted = self.sgrs[line.styles[x]]
            self.style(wanted.blank_after(self.sgr) if wanted.erasable else wanted)
        self.parts.append("\x1b[K")

    def whole_line(self, line: Line, y: int) -> None:
        tail = self.erasable_tail(line)
        if self.width - tail < 4:
            tail = self.width
        self.move(0, y)
        self.cells(line, 0, tail)
        if not line.simple:
            self.cursor = None
        if tail < self.width:
            self.erase_to_end(line, tail, y)

    def changed_cells(self, old: Line, new: Line, y: int) -> None:
        """Write the cells where ``new`` differs from ``old`` (both simple, same width)."""
        differs = list(map(or_, map(ne, old.chars, new.chars), map(ne, old.styles, new.styles)))
        keys = self.blank_keys
        for x in compress(range(len(differs)), differs):
            if new.chars[x] == " " == old.chars[x] and keys[old.styles[x]] == keys[new.styles[x]]:
                differs[x] = False  # a blank looks the same whatever its foreground
        tail = self.erasable_tail(new)
        erase_from = next((x for x in range(tail, self.width) if differs[x]), self.width)
        if self.width - erase_from < 4:
            erase_from = self.width
        runs: list[list[int]] = []
        x = 0
        while x < erase_from:
            if not differs[x]:
                x += 1
                continue
            stop = x + 1
            while stop < erase_from and differs[stop]:
                stop += 1
            if runs and self._cheaper_to_rewrite(new, runs[-1][1], x):
                runs[-1][1] = stop
            else:
                runs.append([x, stop])
            x = stop
        for start, stop in runs:
            self.move(start, y)
            self.cells(new, start, stop)
        if erase_from < self.width:
            self.erase_to_end(new, erase_from, y)

    def _cheaper_to_rewrite(self, line: Line, gap_start: int, gap_end: int) -> bool:
        """Whether writing the unchanged cells between two runs costs less than a cursor move."""
        if gap_end - gap_start > 3:
            return False
        if any(style != line.styles[gap_start - 1] for style in line.styles[gap_start:gap_end]):
            return False
        return len("".join(line.chars[gap_start:gap_end]).encode()) < 4


def encode(
    old: list[Line | None],
    new: list[Line],
    writer: Writer,
) -> str:
    """The bytes that turn a terminal showing ``old`` into one showing ``new`` (same size).

    ``old`` is scrolled in place by the scrolls chosen; ``writer`` holds the cursor and style the
    terminal is in, and is left with the ones the bytes leave behind."""
    writer.parts = []
    writer.scrolls(plan_scrolls(old, new))
    for y, after in enumerate(new):
        before = old[y]
        if before == after:
            continue
        if before is None or not (before.simple and after.simple):
            writer.whole_line(after, y)
        else:
            writer.changed_cells(before, after, y)
    return writer.text()
