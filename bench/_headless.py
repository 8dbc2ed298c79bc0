"""A headless Textual app around the real ``ThreadList``, that knows when a frame was painted.

``run_test`` uses the headless driver, which skips turning a frame into terminal bytes; this app
does that step itself (``render_segments``, as the real driver would) so its cost is inside every
measurement, and stamps the time each frame was finished. A figure then measures
"input → frame on its way to the terminal", the latency a rep feels.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.screen import Screen

import noxtui.tui.widgets.thread_list as thread_list_module
from bench._constants import COLS, LINES, NOW
from noxtui.domain.rows import ThreadRow
from noxtui.tui.widgets.thread_list import ThreadList

LIST_CSS = Path(thread_list_module.__file__).with_suffix(".tcss")
SIZE = (COLS, LINES)


class ListApp(App[None]):
    """Just the thread list, full screen, with frame accounting."""

    CSS_PATH = [LIST_CSS]

    def __init__(self, rows: Sequence[ThreadRow]) -> None:
        super().__init__()
        self._initial = rows
        self.frames = 0
        self.frame_bytes: list[int] = []
        self.last_frame = 0.0

    def compose(self) -> ComposeResult:
        yield ThreadList(clock=lambda: NOW, id="threads")

    def on_mount(self) -> None:
        listing = self.query_one(ThreadList)
        listing.set_rows(self._initial)
        listing.focus()

    @property
    def thread_list(self) -> ThreadList:
        return self.query_one(ThreadList)

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if renderable is None or self._batch_count:
            return
        if isinstance(renderable, CompositorUpdate):
            self.frame_bytes.append(len(renderable.render_segments(self.console).encode("utf-8")))
        self.frames += 1
        self.last_frame = time.perf_counter()


async def until_painted(app: ListApp, act: Callable[[], object], timeout: float = 5.0) -> float:
    """Run ``act`` (sync, or returning an awaitable) and return ms until the next frame is done."""
    before = app.frames
    started = time.perf_counter()
    result = act()
    if asyncio.iscoroutine(result):
        await result
    deadline = started + timeout
    while app.frames == before:
        if time.perf_counter() > deadline:
            raise TimeoutError("no frame was painted")
        await asyncio.sleep(0)
    return (app.last_frame - started) * 1000


async def settle(app: ListApp) -> None:
    """Let every pending frame go out, so the next measurement starts from a still screen."""
    for _ in range(5):
        before = app.frames
        await asyncio.sleep(0.025)
        if app.frames == before:
            return
