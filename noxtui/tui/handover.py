"""Textual's terminal driver, taking over from the frame painted before Textual was imported.

``LinuxDriver.start_application_mode`` writes ``ESC[?1049h`` (switch to the alternate screen),
which a terminal already on it answers by clearing it: the rep would see the early frame blink
out before Textual's first frame. The early frame already did that switch, so it is not written
again; everything else the driver writes (mouse, focus, paste, sync queries) clears nothing.
The terminal settings saved for the exit are the ones from before the early frame (the driver
would otherwise save the raw mode it finds and leave the shell in it), and the keys the early
frame read but did not act on go through Textual's own parser before any key read after them.
"""

from __future__ import annotations

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from noxtui.startup import EarlyState

ALT_SCREEN = "\x1b[?1049h"


def handover_driver(early: EarlyState) -> type[LinuxDriver]:
    """A driver class for one start, bound to where the early frame left the terminal."""

    class HandoverDriver(LinuxDriver):
        _skip_alt_screen = True

        def write(self, data: str) -> None:
            if self._skip_alt_screen and data == ALT_SCREEN:
                self._skip_alt_screen = False  # a later start (after suspend) switches as usual
                return
            super().write(data)

        def start_application_mode(self) -> None:
            if early.pending:  # before the input thread starts: they were typed first
                for event in parsed(early.pending):
                    self.process_message(event)
                early.pending = b""
            super().start_application_mode()
            if early.tty_attrs is not None:
                self.attrs_before = early.tty_attrs

    return HandoverDriver


def parsed(data: bytes) -> list[Message]:
    """The keys (and anything else) in ``data``, as Textual's input thread would have made them;
    a lone escape at the end is the escape key (nothing more is coming for it)."""
    parser = XTermParser()
    events = list(parser.feed(data.decode("utf-8", "replace")))
    try:
        events += parser.feed("")
    except (EOFError, ParseError):
        pass
    return events
