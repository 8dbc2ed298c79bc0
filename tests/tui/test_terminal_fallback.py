"""The app's output layer falls back to Textual's own bytes for what it does not model, and picks
up again from the next full frame: the terminal ends on the right screen either way."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from noxtui.tui.terminal.output import DiffedOutput
from tests.screen_model import Screen

WIDTH, HEIGHT = 40, 10
STYLE = Style(color="color(254)", bgcolor="color(235)")


def frame(first: int, tab_on_row: int | None = None) -> LayoutUpdate:
    rows = []
    for y in range(HEIGHT):
        text = f"row {first + y:04d}".ljust(WIDTH)
        if y == tab_on_row:
            text = "a\tb".ljust(WIDTH)
        rows.append([Strip([Segment(text, STYLE)])])
    return LayoutUpdate(rows, Region(0, 0, WIDTH, HEIGHT))


async def test_an_unmodelled_frame_goes_out_as_textual_writes_it_then_diffs_resume() -> None:
    app: DiffedOutput[None] = DiffedOutput()
    async with app.run_test(size=(WIDTH, HEIGHT)):
        console = app.console
        screen = Screen(WIDTH, HEIGHT)
        first = frame(0)
        out = app.frame_bytes(first, console)
        assert out == first.render_segments(console)  # the first full frame: Textual's own bytes
        screen.feed(out)

        scrolled = frame(1)
        out = app.frame_bytes(scrolled, console)
        assert "\x1b[S" in out and len(out) < len(scrolled.render_segments(console)) / 2
        screen.feed(out)
        assert screen.text() == Screen(WIDTH, HEIGHT).feed(scrolled.render_segments(console)).text()

        odd = frame(2, tab_on_row=3)  # a tab: not modelled
        out = app.frame_bytes(odd, console)
        assert out == "\x1b[0m" + odd.render_segments(console)

        again = frame(3)
        out = app.frame_bytes(again, console)
        assert out == again.render_segments(console)  # the shadow starts over from a full frame
        out = app.frame_bytes(frame(4), console)
        assert "\x1b[S" in out  # and differences resume


async def test_a_repaint_after_redraw_starts_from_the_default_style() -> None:
    """A frame can end with a style on (here reverse); ctrl+l's full repaint is Textual's own bytes,
    whose unstyled segments are bare text: they must not take the style left on."""
    reverse = Style(reverse=True, color="color(23)")

    def framed(first: int) -> LayoutUpdate:
        rows = [
            [Strip([Segment(" "), Segment(f"row {first + y:04d}".ljust(WIDTH - 2), STYLE), Segment(" ", reverse)])]
            for y in range(HEIGHT)
        ]
        return LayoutUpdate(rows, Region(0, 0, WIDTH, HEIGHT))

    app: DiffedOutput[None] = DiffedOutput()
    async with app.run_test(size=(WIDTH, HEIGHT)):
        console = app.console
        screen = Screen(WIDTH, HEIGHT)
        screen.feed(app.frame_bytes(framed(0), console))
        screen.feed(app.frame_bytes(framed(5), console))  # ends on a reverse cell, its style left on
        app.action_redraw()
        repaint = framed(9)
        screen.feed(app.frame_bytes(repaint, console))
        assert screen.visible() == Screen(WIDTH, HEIGHT).feed(repaint.render_segments(console)).visible()
