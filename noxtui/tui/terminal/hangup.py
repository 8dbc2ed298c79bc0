"""Noticing that the terminal went away, so the app ends instead of spinning.

When the far end of the terminal closes (an SSH link dropped, a terminal window closed) and no
hang-up signal reaches the app (it is not the terminal's session leader, or a wrapper swallowed
the signal), every read of the terminal returns nothing at once. Textual's input thread then loops
on those empty reads: the app used a whole core for as long as it ran, and never quit, so unsent
text stayed in memory. A thread here polls the terminal for ``POLLHUP`` (which reads nothing, so
no key is taken from Textual) and, when it comes, asks the app to end the way ``q`` does: the
inbox keeps the rep's unsent text as it does on any exit.
"""

from __future__ import annotations

import select
import threading
from collections.abc import Callable

GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL
CHECK_MS = 500


class HangupWatch:
    """Calls ``on_hangup`` once, from its own thread, when ``fd``'s terminal hangs up."""

    def __init__(self, fd: int, on_hangup: Callable[[], None]) -> None:
        self.fd = fd
        self.on_hangup = on_hangup
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="noxtui-hangup", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        poller = select.poll()
        poller.register(self.fd, 0)  # no events asked for: hang-ups and errors are always reported
        while not self._stop.is_set():
            if any(mask & GONE for _, mask in poller.poll(CHECK_MS)):
                if not self._stop.is_set():
                    self.on_hangup()
                return
