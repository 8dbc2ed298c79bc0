"""Noticing that the terminal went away, so the app ends instead of spinning.

When the far end of the terminal closes (an SSH link dropped, a terminal window closed) and no
hang-up signal reaches the app (it is not the terminal's session leader, or a wrapper swallowed
the signal), every read of the terminal returns nothing at once. Textual's input thread then loops
on those empty reads: the app used a whole core for as long as it ran, and never quit, so unsent
text stayed in memory. A thread here polls the terminal for ``POLLHUP`` (which reads nothing, so
no key is taken from Textual) and, when it comes, asks the app to end the way ``q`` does: the
inbox keeps the rep's unsent text as it does on any exit.

When the signal does come (``SIGHUP`` as sshd sends it when the link drops, or ``SIGTERM``), the
default was to die at once: text typed in the last 0.4 s, before the editor's autosave, was lost.
``end_on_signals`` makes either signal end the app the same way; a second one ends it at once.
"""

from __future__ import annotations

import asyncio
import select
import signal
import threading
from collections.abc import Callable

GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL
ENDING_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
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


def end_on_signals(on_signal: Callable[[int], None]) -> None:
    """Call ``on_signal(signum)`` in the running loop for the first ``SIGHUP``/``SIGTERM``; after
    it both signals have their default effect again, so a second one ends the process at once."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return

    def handle(signum: int) -> None:
        for each in ENDING_SIGNALS:
            loop.remove_signal_handler(each)
        on_signal(signum)

    for signum in ENDING_SIGNALS:
        try:
            loop.add_signal_handler(signum, handle, signum)
        except (ValueError, RuntimeError, NotImplementedError):  # not the main thread, or no signals here
            return
