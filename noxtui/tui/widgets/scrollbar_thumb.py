"""Moving a scrollbar without repainting it when its thumb stays put.

Over 100,000 threads a page moves the thumb by 1/65 of a cell, so it stays on the same eighth of a
cell (the finest step the bar draws) for about eight pages; yet every new ``position`` re-rendered
the whole bar through Rich (~2 ms of each page-down on the 2-core reference machine). Kept apart
from the thread list because it is about Textual's bar, not about threads.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.scrollbar import ScrollBar


def move_scrollbar(bar: ScrollBar, position: float) -> None:
    """Keep the bar's ``position`` exact (a drag starts from it); repaint it only if the thumb moved."""
    before = thumb_cells(bar)
    bar.set_reactive(type(bar).position, bar.validate_position(position))
    if thumb_cells(bar) != before:
        bar.refresh()


def thumb_cells(bar: ScrollBar) -> list[Segment]:
    """The bar's cells at its current position, as its renderer would paint them."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    drawn = bar.renderer.render_bar(
        size=bar.size.height,
        virtual_size=bar.window_virtual_size,
        window_size=window,
        position=bar.position,
        thickness=bar.thickness,
        vertical=bar.vertical,
    )
    return drawn.segments
