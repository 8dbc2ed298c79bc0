"""What the terminal shows, line by line, and the frame Textual asks for next.

Textual hands its driver either a full frame (``LayoutUpdate``: every line of the screen) or the
changed spans of some lines (``ChopsUpdate``). The shadow keeps the last frame written as cells,
so the next one can be written as a difference. Until it knows every line (at start, after a
reset: a redraw, a resize, a resume from a suspend), it knows nothing, and Textual's own output is
used; the next full frame makes it whole again.
"""

from __future__ import annotations

from itertools import chain

from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate

from noxtui.tui.terminal.cells import Line, StyleTable, Unmodelled, cells_of, splice, strip_cells


class Shadow:
    """The terminal's screen as cells (``lines``), or ``None`` when it is not known."""

    def __init__(self) -> None:
        self.lines: list[Line] | None = None
        self.width = 0

    def reset(self) -> None:
        """Forget the screen: the next frames go out as Textual writes them, until a full one."""
        self.lines = None

    def frame_after(self, update: CompositorUpdate, width: int, height: int, table: StyleTable) -> list[Line]:
        """Every line of the screen once ``update`` is applied (this shadow is left as it is).

        Raises ``Unmodelled`` for anything this model does not describe; the caller then resets."""
        if isinstance(update, LayoutUpdate):
            region = update.region
            if (region.x, region.y, region.width, region.height) != (0, 0, width, height):
                raise Unmodelled("a full update that is not the whole screen")
            lines = [cells_of(chain.from_iterable(strips), table) for strips in update.strips]
            if len(lines) != height or any(len(line.chars) != width for line in lines):
                raise Unmodelled("a full update of another size")
            return lines
        if not isinstance(update, ChopsUpdate):
            raise Unmodelled(f"{type(update).__name__} is not modelled")
        if self.lines is None or self.width != width or len(self.lines) != height or len(update.chops) != height:
            raise Unmodelled("a partial update over an unknown or resized screen")
        lines = list(self.lines)
        for y, x1, x2 in update.spans:
            line = lines[y]
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                stop = min(end, x2)
                if stop <= x:
                    continue
                cells = strip_cells(strip, table)
                if len(cells.chars) < stop - x:
                    raise Unmodelled("a chop narrower than its span")
                if len(cells.chars) > stop - x:
                    cells = Line(cells.chars[: stop - x], cells.styles[: stop - x], cells.simple)
                line = splice(line, x, cells)
            lines[y] = line
        return lines

    def adopt(self, lines: list[Line], width: int) -> None:
        """The terminal now shows ``lines``."""
        self.lines = lines
        self.width = width
