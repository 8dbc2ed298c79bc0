"""The first sync's progress line: how many threads are in, out of how many, and about how long is left.

A first sync of a large inbox (a million threads is a minute or two) fills the cache page by page
while the list still shows what was cached before, so without a word the rep would wonder whether
anything is happening. This line says it, in text that needs no colour and no mouse:

    Syncing 412,300 / 1,000,000 · 41% · about 70 s left  [████████░░░░░░░░░░░░]

It takes no focus (every key keeps working on the list) and is hidden whenever no full sync runs.
The screen feeds it ``SyncProgress`` values (the sync engine's, one per page written) through
``show``, and calls ``finish`` when the sync ends, however it ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:  # the screen's module is imported before pydantic; the sync engine pulls it in
    from noxtui.storage.cache.sync import SyncProgress

BAR_CELLS = 20
"""Cells of the ``[████░░░░]`` bar when the line has room for it."""


def seconds_left_text(seconds: float | None) -> str:
    """``about 70 s left`` / ``about 3 min left``, rounded the way a person would say it."""
    if seconds is None:
        return "estimating time left"
    if seconds < 1.5:
        return "almost done"
    if seconds < 100:
        return f"about {round(seconds)} s left"
    return f"about {round(seconds / 60)} min left"


def progress_text(progress: SyncProgress) -> str:
    """The words of the line (the bar is drawn beside them when there is room)."""
    if progress.total <= 0:
        return "Syncing · counting threads…"
    percent = int(progress.fraction * 100)
    return (
        f"Syncing {min(progress.done, progress.total):,} / {progress.total:,} · {percent}% · "
        f"{seconds_left_text(progress.seconds_left)}"
    )


def progress_bar(fraction: float, cells: int = BAR_CELLS) -> str:
    """``[████░░░░]``: filled and empty blocks, so the bar reads the same without colour."""
    filled = int(max(0.0, min(1.0, fraction)) * cells)
    return "[" + "█" * filled + "░" * (cells - filled) + "]"


class SyncProgressBar(Widget):
    """One line above the list while a full sync runs; hidden otherwise."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    progress: reactive[SyncProgress | None] = reactive(None)
    """The latest progress; ``None`` while no full sync runs (the line is hidden)."""

    def show(self, progress: SyncProgress) -> None:
        """A page was written: say how far the sync has come (what ``sync`` is given to call)."""
        self.progress = progress

    def finish(self) -> None:
        """The sync ended (done, failed or cancelled): the line goes away."""
        self.progress = None

    @property
    def text(self) -> str:
        """What the line says now (empty when hidden), the bar left out."""
        return "" if self.progress is None else progress_text(self.progress)

    def watch_progress(self, progress: SyncProgress | None) -> None:
        self.display = progress is not None

    def render(self) -> Text:
        progress = self.progress
        if progress is None:
            return Text()
        words = progress_text(progress)
        room = self.size.width - len(words) - 2
        if progress.total > 0 and room >= BAR_CELLS + 2:
            return Text(f"{words}  {progress_bar(progress.fraction)}", no_wrap=True, overflow="ellipsis")
        return Text(words, no_wrap=True, overflow="ellipsis")
