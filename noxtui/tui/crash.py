"""What the app shows when something breaks that nothing else caught, and how every notice is painted.

Textual's answer to an unhandled exception is a Rich traceback with ``show_locals=True``: every
frame's local variables, printed to the terminal. At start-up those locals are the token, the
``Authorization`` header and the client; a token pasted with a zero-width space was printed ten
times. ``GuardedApp`` replaces that screen with two lines (what broke, where the log is) and puts
the traceback, without locals and with secrets masked, in the log file (``report_crash``).

It also makes every toast inert: ``notify`` messages quote names other people chose (a label, a
template, a creator), and Textual reads a toast's text as markup by default, so a name like
``Rates [/old]`` raised ``MarkupError`` and ``[VIP] Hot lead`` lost its first word.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.notifications import SeverityLevel
from textual.worker import WorkerFailed

from noxtui.logging_setup import report_crash
from noxtui.tui.terminal.output import DiffedOutput

ReturnType = TypeVar("ReturnType")


class GuardedApp(DiffedOutput[ReturnType]):
    """An ``App`` whose crash screen carries no traceback and whose toasts are never markup."""

    crash_summary: str | None = None
    """The lines printed when the app stopped on an unexpected error (``None`` when it did not)."""

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for any unhandled exception: log it in full first, then let Textual stop
        the app (its return code, and the re-raise under Pilot) and show ``_fatal_error``'s screen."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if self.crash_summary is None:  # the first error is the one that matters; the rest follow from it
            self.crash_summary = report_crash(cause, where=type(self).__name__)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Two lines on screen instead of Textual's traceback with every frame's locals."""
        self.bell()
        self.panic(Text(self.crash_summary or "noxtui stopped after an unexpected error."))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text (``markup`` is ignored): no notice here is meant as markup, and
        many quote names from a server. Widgets' and screens' ``notify`` land here too."""
        del markup
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
