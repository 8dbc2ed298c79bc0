"""The app's way to the terminal: each frame written as the difference from the last one.

Textual writes every changed line whole, so a list that scrolls by one line rewrites every
visible row (~9 KB at 120×40): over SSH, holding ``j`` on a slow link became a slideshow.
``DiffedOutput`` takes over ``App._display`` for a real terminal and writes instead what the
terminal lacks: scroll regions for lines that moved, then only the cells that differ
(``diff.py``), and no cursor move a hidden cursor does not need. Anything it does not model (a
suspend, a resize, an inline app, a frame with control codes, an error of its own) goes out as
Textual writes it and resets the shadow, so what the terminal shows never depends on the
optimisation; ``ctrl+l`` does that on demand.
"""

from __future__ import annotations

import os
from time import monotonic
from typing import ClassVar, TypeVar

from rich.console import Console, RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from noxtui.tui.terminal.cells import StyleTable, Unmodelled
from noxtui.tui.terminal.diff import Writer, encode
from noxtui.tui.terminal.hangup import HangupWatch, end_on_signals
from noxtui.tui.terminal.shadow import Shadow

ReturnType = TypeVar("ReturnType")


def erase_paints_background(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    """Whether erased cells take the current background (``bce``): every terminal in use does,
    except GNU screen without ``defbce on`` (``TERM=screen*`` outside tmux).
    ``NOXTUI_ERASE_BACKGROUND=0`` writes blanks instead, for a terminal that gets this wrong."""
    forced = environ.get("NOXTUI_ERASE_BACKGROUND")
    if forced in ("0", "1"):
        return forced == "1"
    return not (environ.get("TERM", "").startswith("screen") and "TMUX" not in environ)


def _is_terminal_driver(driver: object) -> bool:
    """Textual's driver for a real terminal (or a subclass of it): not the web or Windows driver,
    whose far ends this layer has not been checked against."""
    try:
        from textual.drivers.linux_driver import LinuxDriver
    except ImportError:  # pragma: no cover - no termios (Windows)
        return False
    return isinstance(driver, LinuxDriver)


class DiffedOutput(App[ReturnType]):
    """An ``App`` whose frames reach the terminal as differences (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "redraw", "Redraw", show=False, id="app.redraw"),
    ]

    diffed_output: bool = os.environ.get("NOXTUI_DIFFED_OUTPUT", "1") != "0"
    """Off (``NOXTUI_DIFFED_OUTPUT=0``): every frame as Textual writes it, for comparing the two."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._shadow = Shadow()
        self._style_table: StyleTable | None = None
        self._terminal_writer: Writer | None = None
        self._last_full_frame_request = 0.0
        self._watching_resume = False
        self._hangup_watch: HangupWatch | None = None
        self._parked: tuple[int, int] | None = None

    def action_redraw(self) -> None:
        """Repaint the whole screen as Textual writes it (mutt's ``ctrl+l``): for a terminal garbled by
        a noisy link or another program's output."""
        self._forget_screen()
        self.screen.refresh()

    def _forget_screen(self) -> None:
        """The next frame goes out whole, as Textual writes it. The writer is kept until then: its
        style may still be on in the terminal, and Textual writes a segment without a style as bare
        text, which would take that style (a reverse blank at the top left after ``ctrl+l``)."""
        self._shadow.reset()

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        driver = self._driver
        if not (
            isinstance(renderable, CompositorUpdate)
            and self.diffed_output
            and driver is not None
            and not driver.is_inline
            and _is_terminal_driver(driver)
        ):
            super()._display(screen, renderable)
            return
        if self._batch_count or not self._running or self._closed:
            return  # what Textual's own ``_display`` skips too
        try:
            text = self.frame_bytes(renderable, self.console) + self._park_cursor()
        except Exception as error:  # as Textual handles an error while rendering a frame
            self._handle_exception(error)
            return
        if not text:
            return  # a frame with nothing new costs no bytes at all (Textual parks the cursor again)
        self._begin_update()
        try:
            driver.write(text)
        finally:
            self._end_update()

    def _park_cursor(self) -> str:
        """Move the (hidden) cursor where the app wants it, only when that matters.

        Textual ends every frame with an absolute move to ``cursor_position``, 6+ bytes on each key
        and on every idle frame. The cursor is hidden; its place matters only to an input method,
        which composes text where a text field's cursor is. So it is moved when a widget that
        reports its text cursor (``cursor_screen_offset``: an input, a text area) has focus, or
        when the wanted place changed; otherwise it stays where the frame's last cell left it."""
        position = self.screen.outer_size.clamp_offset(self.cursor_position)
        self._previous_cursor_position = position
        wanted = (position.x, position.y)
        writer = self._terminal_writer
        focused = self.focused
        text_cursor = focused is not None and hasattr(type(focused), "cursor_screen_offset")
        if writer is None:  # Textual's own frame: park as Textual does
            self._parked = wanted
            return f"\x1b[{position.y + 1};{position.x + 1}H"
        if not text_cursor and wanted == self._parked:
            return ""
        self._parked = wanted
        before = len(writer.parts)
        writer.move(*wanted)
        return "".join(writer.parts[before:])

    def frame_bytes(self, update: CompositorUpdate, console: Console) -> str:
        """The bytes for one frame; Textual's own when the shadow cannot describe it."""
        if not self._watching_resume:  # a signal takes subscribers only once the app runs
            self._watching_resume = True
            self.app_resume_signal.subscribe(self, lambda _app: self._forget_screen())
            self._watch_for_hangup()
        width, height = self.size.width, self.size.height
        table = self._style_table
        if table is None or table.color_system != (console._color_system or table.color_system):
            table = self._style_table = StyleTable(console._color_system)
            self._shadow.reset()
        writer = self._terminal_writer
        was_known = writer is not None
        try:
            lines = self._shadow.frame_after(update, width, height, table)
            if self._shadow.lines is None or writer is None or (writer.width, writer.height) != (width, height):
                # A full frame after a reset: Textual's own bytes, and the shadow starts over from them.
                text = self._textual_bytes(update, console)
                self._shadow.adopt(lines, width)
                self._terminal_writer = Writer(
                    table.sgrs, table.blank_keys, width, height, None, erase_paints_background()
                )
                return text
            text = encode(list(self._shadow.lines), lines, writer)
        except Exception as error:  # the optimisation must never break the screen
            text = self._textual_bytes(update, console)
            if not isinstance(error, Unmodelled) or was_known:  # not merely waiting for a full frame
                self._ask_full_frame()
            return text
        self._shadow.adopt(lines, width)
        return text

    def _watch_for_hangup(self) -> None:
        """End the app when its terminal goes away (``hangup.py`` says why)."""
        fileno = getattr(self._driver, "fileno", None)
        if isinstance(fileno, int) and self._hangup_watch is None:
            self._hangup_watch = HangupWatch(fileno, self._terminal_gone)
            self._hangup_watch.start()
            end_on_signals(lambda signum: self.exit(None, 128 + signum))

    def _terminal_gone(self) -> None:
        """From the watch's thread: quit as ``q`` would (screens keep unsent text as they unmount)."""
        try:
            self.call_from_thread(self.exit, None, 129)
        except RuntimeError:  # the app is already ending
            pass

    def _textual_bytes(self, update: CompositorUpdate, console: Console) -> str:
        """Textual's own bytes for ``update``, after a reset of any style this layer left on."""
        writer, self._terminal_writer = self._terminal_writer, None
        self._shadow.reset()
        prefix = ""
        if writer is not None:  # its style may be on (a failed frame may have left it half-tracked)
            prefix = ("\x1b]8;;\x1b\\" if writer.sgr.link is not None else "") + "\x1b[0m"
        return prefix + update.render_segments(console)

    def _ask_full_frame(self) -> None:
        """After a frame the shadow could not follow, one full repaint puts it back in step (once:
        a frame that keeps failing leaves Textual's output on rather than repainting every time)."""
        now = monotonic()
        if now - self._last_full_frame_request > 2.0:
            self._last_full_frame_request = now
            self.call_later(self.screen.refresh)
