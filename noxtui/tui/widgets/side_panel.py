"""The base of the six panels docked at the inbox's right edge (labels, status, templates, batch
labels, email task, CRM).

Each panel used to repeat the same frame: a title, a hint line, an "open" class toggled by the
screen, an escape binding and its own ``Closed`` message. That frame lives here once; a panel adds
its body (``compose_body``), its own keys and the messages that say what the rep chose. Styles are
in ``panels.tcss`` (one ``SidePanel`` rule docks them all).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class SidePanel(Vertical):
    """A panel beside the reading pane: hidden until the screen sets ``is_open``.

    Subclasses set ``TITLE`` and ``HINT`` and list their own bindings, escape → ``close`` included
    (each under its own id, so the rep's keymap can move one panel's keys without the others).
    """

    TITLE: ClassVar[str] = ""
    HINT: ClassVar[str] = ""

    is_open: reactive[bool] = reactive(False, init=False)
    """Shown (the ``-open`` class) or hidden; the screen keeps at most one open."""
    heading: reactive[str] = reactive("", init=False)
    """The title line, when it says more than ``TITLE`` (e.g. "Tags for 5 marked threads")."""

    class Closed(Message):
        """The rep closed the panel (escape): the screen closes every panel and returns to the list."""

    def compose(self) -> ComposeResult:
        yield Static(self.TITLE, classes="panel-title", markup=False)
        yield Static(self.HINT, classes="panel-hint", markup=False)
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        """The panel's own widgets, below the title and the hint."""
        yield from ()

    def watch_is_open(self, is_open: bool) -> None:
        self.set_class(is_open, "-open")

    def watch_heading(self, heading: str) -> None:
        self.query_one(".panel-title", Static).update(heading)

    def action_close(self) -> None:
        self.post_message(self.Closed())
