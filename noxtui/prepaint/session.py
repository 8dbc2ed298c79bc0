"""The early frame on the terminal: painted, live on its keys while Textual loads, then handed over.

The terminal is put in the state Textual puts it in (alternate screen, cursor hidden, no echo, no
line editing, no signals from keys) so Textual's driver finds nothing to undo; the settings from
before are kept for the app to restore on exit (``EarlyState.tty_attrs``). A thread reads the
keys while the main thread imports Textual: the early keys (``keys.early_actions``) move the
cursor or filter the rows from the cache and the frame is painted again; the first key that is not
one of them, and every byte after it in that read, is kept for Textual's parser, and from then on
nothing more is read: the rest waits in the terminal for Textual, in the order typed.
"""

from __future__ import annotations

import os
import select
import termios
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from noxtui.domain.scrolling import top_for
from noxtui.prepaint.frame import View, list_height, paint
from noxtui.prepaint.look import Look
from noxtui.startup import EarlyState
from noxtui.storage.cache.quick_filter import QuickFilter, QuickPage, QuickReader

ENTER = "\x1b[?1049h\x1b[?25l"
"""Alternate screen, cursor hidden: what Textual's driver writes first (it skips them after us)."""
LEAVE = "\x1b[?1049l\x1b[?25h"


def _tty_mode(attrs: list[Any]) -> list[Any]:
    """Textual's own input mode (``LinuxDriver._patch_lflag``/``_patch_iflag``): raw keys, no echo."""
    mode = list(attrs)
    mode[3] = int(mode[3]) & ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    iflag_off = termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR
    mode[0] = int(mode[0]) & ~iflag_off
    chars = list(mode[6])
    chars[termios.VMIN], chars[termios.VTIME] = 1, 0
    mode[6] = chars
    return mode


class EarlySession:
    """One early frame: its state (filter, rows, cursor, scroll) and the thread taking its keys."""

    def __init__(
        self,
        fd_in: int,
        fd_out: int,
        reader: QuickReader,
        page: QuickPage,
        *,
        title: str,
        look: Look,
        actions: Mapping[bytes, str],
        footer: list[tuple[str, str]],
        now: Callable[[], datetime],
        limit: int,
        paging: bool = False,
    ) -> None:
        self.fd_in, self.fd_out = fd_in, fd_out
        self.reader, self.limit, self.paging = reader, limit, paging
        self.state = QuickFilter()
        self.page = page
        self.cursor = self.top = 0
        self.pending = b""
        self.painted_at: float | None = None
        self._title, self._look, self._actions, self._footer, self._now = title, look, actions, footer, now
        self._attrs: list[Any] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._read_keys, name="noxtui-early-keys", daemon=True)

    def start(self) -> None:
        """Take the terminal, paint the frame and start answering keys."""
        self._attrs = termios.tcgetattr(self.fd_in)
        termios.tcsetattr(self.fd_in, termios.TCSANOW, _tty_mode(self._attrs))
        self._write(ENTER.encode() + self._frame())
        self._thread.start()

    def _size(self) -> tuple[int, int]:
        size = os.get_terminal_size(self.fd_out)
        return size.columns, size.lines

    def _frame(self) -> bytes:
        width, height = self._size()
        state = self.state
        total = self.page.total
        count = "loading…" if total is None else _count(len(self.page.rows), total)
        view = View(
            self._title, state.describe(), count, self.page.rows, self.top, self.cursor, self._footer, self._now()
        )
        return paint(view, width, height, self._look)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd_out, view) :]

    def _read_keys(self) -> None:
        while not self._stop.is_set() and not self.pending:
            ready, _, _ = select.select([self.fd_in, self._wake_r], [], [])
            if self._wake_r in ready or self._stop.is_set():
                return
            try:
                data = os.read(self.fd_in, 1024)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                if self._stop.is_set():  # Textual is taking over: it gets these bytes as they are
                    self.pending += data
                    return
                self._take(data)

    def _take(self, data: bytes) -> None:
        acted = False
        for index in range(len(data)):
            action = self._actions.get(data[index : index + 1])
            if action is None:
                self.pending = data[index:]
                break
            acted = self._act(action) or acted
        if acted:
            self._write(self._frame())

    def _act(self, action: str) -> bool:
        rows = len(self.page.rows)
        page = max(list_height(self._size()[1]) - 1, 1)
        moves = {"down": 1, "up": -1, "page_down": page, "page_up": -page, "first": -self.cursor}
        if action in moves:
            before = self.cursor
            self.cursor = max(0, min(self.cursor + moves[action], rows - 1))
            self._scroll_into_view()
            return self.cursor != before
        state = self.state.cycle_needs_reply() if action == "needs_reply" else self.state.cycle_direction()
        page_read = self.reader.page(state, self.limit)
        if page_read is None:
            return False
        self.state, self.page, self.cursor, self.top = state, page_read, 0, 0
        return True

    def _scroll_into_view(self) -> None:
        height = max(list_height(self._size()[1]), 1)
        self.top = top_for(self.cursor, self.top, height, paging=self.paging)

    def finish(self) -> EarlyState:
        """Stop taking keys (the keys after this wait in the terminal for Textual) and say where
        the rep is; the terminal stays as it is, for Textual's driver to take over."""
        with self._lock:
            self._stop.set()
            os.write(self._wake_w, b"x")
        if self._thread.ident is not None:  # started
            self._thread.join()
        os.close(self._wake_r)
        os.close(self._wake_w)
        return EarlyState(
            filter=self.state, rows=self.page.rows, total=self.page.total, cursor=self.cursor, top=self.top,
            reader=self.reader, pending=self.pending, tty_attrs=self._attrs,
        )  # fmt: skip

    def abandon(self) -> None:
        """Textual never came (an import failed): give the terminal back as it was."""
        if not self._stop.is_set():
            self.finish()
        if self._attrs is None:  # never took the terminal
            self.reader.close()
            return
        self._write(LEAVE.encode())
        if self._attrs is not None:
            termios.tcsetattr(self.fd_in, termios.TCSANOW, self._attrs)
        self.reader.close()


def _count(loaded: int, total: int) -> str:
    """As ``ListCount.describe``."""
    if loaded < total:
        return f"{loaded:,}/{total:,} threads"
    return f"{total:,} thread" + ("" if total == 1 else "s")
