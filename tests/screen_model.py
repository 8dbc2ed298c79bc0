"""A small terminal (the VT subset the output layer and Textual write) for checking bytes by effect.

Tests feed it what an app wrote and compare the cells it ends with: the output layer must leave
the same screen as Textual's own full repaint. It is written from the VT/xterm rules, not from the
output layer, so the two do not share a mistake: cursor moves, ``SGR``, erase in line with the
current background (``bce``), scroll regions (``DECSTBM``) with ``SU``/``SD``, pending wrap, wide
characters. Anything else is an error, so an unexpected sequence fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.cells import cell_len

Attrs = tuple[frozenset[str], str | None, str | None]
"""(attributes, foreground, background) of a cell."""
PLAIN: Attrs = (frozenset(), None, None)
_OFF = {"22": {"1", "2"}, "23": {"3"}, "24": {"4", "21"}, "25": {"5", "6"}, "27": {"7"}, "28": {"8"}, "29": {"9"}}
_SHOW_ON_BLANK = {"4", "21", "7", "8", "9", "53"}
_TOKEN = re.compile(
    r"\x1b\[([?>=]?)([0-9;:]*)([ -/]*)([@-~])"  # CSI
    r"|\x1b\](.*?)(?:\x1b\\|\x07)"  # OSC
    r"|\x1b([78])"  # save / restore cursor
    r"|\x1b\(([0-9A-Za-z])"  # character set
    r"|([\r\n\x07\x08])"
    r"|([^\x1b\r\n\x07\x08]+)",
    re.S,
)


@dataclass
class Screen:
    width: int
    height: int
    x: int = 0
    y: int = 0
    pending_wrap: bool = False
    attrs: Attrs = PLAIN
    top: int = 0
    bottom: int = -1
    saved: tuple[int, int, Attrs] = (0, 0, PLAIN)
    cells: list[list[tuple[str, Attrs]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bottom = self.height - 1
        self.cells = [self._blank_line(PLAIN) for _ in range(self.height)]

    def _blank_line(self, attrs: Attrs) -> list[tuple[str, Attrs]]:
        return [(" ", (frozenset(), None, attrs[2]))] * self.width

    # --- feeding ------------------------------------------------------------------------------

    def feed(self, data: str) -> Screen:
        position = 0
        while position < len(data):
            match = _TOKEN.match(data, position)
            if match is None:
                raise ValueError(f"unparsed output at {position}: {data[position : position + 20]!r}")
            position = match.end()
            private, params, _inter, final, osc, save, charset, control, text = match.groups()
            if final is not None:
                self._csi(private, params, final)
            elif osc is not None or charset is not None:
                continue
            elif save is not None:
                if save == "7":
                    self.saved = (self.x, self.y, self.attrs)
                else:
                    self.x, self.y, self.attrs = self.saved
                    self.pending_wrap = False
            elif control is not None:
                self._control(control)
            else:
                for char in _graphemes(text):
                    self._put(char)
        return self

    def _control(self, control: str) -> None:
        if control == "\r":
            self.x, self.pending_wrap = 0, False
        elif control == "\n":
            self._line_feed()
        elif control == "\x08":
            self.x, self.pending_wrap = max(0, self.x - 1), False

    def _line_feed(self) -> None:
        self.pending_wrap = False
        if self.y == self.bottom:
            self._scroll_up(1)
        elif self.y < self.height - 1:
            self.y += 1

    def _put(self, char: str) -> None:
        width = cell_len(char)
        if width == 0:
            line = self.cells[self.y]
            column = max(0, self.x - 1)
            previous, attrs = line[column]
            line[column] = (previous + char, attrs)
            return
        if self.pending_wrap or self.x + width > self.width:
            self.x = 0
            self._line_feed()
        line = self.cells[self.y]
        self._break_wide(line, self.x)
        line[self.x] = (char, self.attrs)
        for extra in range(1, width):
            self._break_wide(line, self.x + extra)
            line[self.x + extra] = ("", self.attrs)
        self.x += width
        if self.x >= self.width:
            self.x, self.pending_wrap = self.width - 1, True

    def _break_wide(self, line: list[tuple[str, Attrs]], x: int) -> None:
        """Overwriting half of a wide character blanks its other half."""
        char, attrs = line[x]
        if char == "" and x > 0:
            line[x - 1] = (" ", line[x - 1][1])
        elif char and cell_len(char) > 1 and x + 1 < self.width:
            line[x + 1] = (" ", attrs)

    def _csi(self, private: str, params: str, final: str) -> None:
        numbers = [int(part) if part else 0 for part in params.split(";")] if params else []

        def arg(index: int, default: int) -> int:
            return numbers[index] if len(numbers) > index and numbers[index] else default

        if private:
            if final in "hlm" or final in "pqun":
                return
            raise ValueError(f"unmodelled private CSI {private}{params}{final}")
        if final == "m":
            self._sgr(params)
            return
        self.pending_wrap = False if final not in "KX" else self.pending_wrap
        if final in "Hf":
            self.y = min(self.height - 1, arg(0, 1) - 1)
            self.x = min(self.width - 1, arg(1, 1) - 1)
        elif final == "G":
            self.x = min(self.width - 1, arg(0, 1) - 1)
        elif final == "d":
            self.y = min(self.height - 1, arg(0, 1) - 1)
        elif final == "C":
            self.x = min(self.width - 1, self.x + arg(0, 1))
        elif final == "D":
            self.x = max(0, self.x - arg(0, 1))
        elif final == "A":
            self.y = max(0, self.y - arg(0, 1))
        elif final == "B":
            self.y = min(self.height - 1, self.y + arg(0, 1))
        elif final == "K" and arg(0, 0) == 0:
            self.pending_wrap = False
            line = self.cells[self.y]
            self._break_wide(line, self.x)
            line[self.x :] = self._blank_line(self.attrs)[self.x :]
        elif final == "J" and arg(0, 0) == 2:
            self.cells = [self._blank_line(self.attrs) for _ in range(self.height)]
        elif final == "r":  # a region of fewer than two lines is ignored, as xterm does
            top, bottom = arg(0, 1) - 1, min(arg(1, self.height), self.height) - 1
            if top < bottom:
                self.top, self.bottom = top, bottom
            self.x = self.y = 0
        elif final == "S":
            self._scroll_up(arg(0, 1))
        elif final == "T":
            self._scroll_down(arg(0, 1))
        else:
            raise ValueError(f"unmodelled CSI {params}{final}")

    def _scroll_up(self, count: int) -> None:
        block = self.cells[self.top : self.bottom + 1]
        count = min(count, len(block))
        self.cells[self.top : self.bottom + 1] = block[count:] + [self._blank_line(self.attrs) for _ in range(count)]

    def _scroll_down(self, count: int) -> None:
        block = self.cells[self.top : self.bottom + 1]
        count = min(count, len(block))
        kept = block[: len(block) - count]
        self.cells[self.top : self.bottom + 1] = [self._blank_line(self.attrs) for _ in range(count)] + kept

    def _sgr(self, params: str) -> None:
        codes = params.split(";") if params else ["0"]
        attributes, foreground, background = self.attrs
        attributes = set(attributes)
        index = 0
        while index < len(codes):
            code = codes[index] or "0"
            number = int(code)
            if code in ("38", "48"):
                length = 3 if codes[index + 1] == "5" else 5
                colour = ";".join(codes[index : index + length])
                if code == "38":
                    foreground = colour
                else:
                    background = colour
                index += length
                continue
            if number == 0:
                attributes, foreground, background = set(), None, None
            elif code in _OFF:
                attributes -= _OFF[code]
            elif code == "55":
                attributes.discard("53")
            elif 30 <= number <= 37 or 90 <= number <= 97:
                foreground = code
            elif number == 39:
                foreground = None
            elif 40 <= number <= 47 or 100 <= number <= 107:
                background = code
            elif number == 49:
                background = None
            else:
                attributes.add(code)
            index += 1
        self.attrs = (frozenset(attributes), foreground, background)

    # --- reading ------------------------------------------------------------------------------

    def visible(self) -> list[list[tuple[object, ...]]]:
        """The screen as a person sees it: a blank shows only its background (and the attributes
        that draw on blanks), whatever its foreground or boldness."""
        rows = []
        for line in self.cells:
            row: list[tuple[object, ...]] = []
            for char, (attributes, foreground, background) in line:
                if char == " ":
                    shown = frozenset(attributes & _SHOW_ON_BLANK)
                    row.append((" ", background, shown, foreground if shown else None))
                else:
                    row.append((char, background, attributes, foreground))
            rows.append(row)
        return rows

    def text(self) -> list[str]:
        return ["".join(char for char, _ in line) for line in self.cells]


def _graphemes(text: str) -> list[str]:
    """Characters with their zero-width followers (combining marks, joiners) kept together."""
    out: list[str] = []
    for char in text:
        if out and cell_len(char) == 0:
            out[-1] += char
        else:
            out.append(char)
    return out
