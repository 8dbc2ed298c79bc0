"""The one-line filter summary above the list, with the match count and a keyword box on ``/``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

if TYPE_CHECKING:  # the bar is on the start-up screen, painted before pydantic is loaded
    from noxtui.domain.filters import FilterState


class FilterBar(Horizontal):
    """Shows the active filter as one line; hosts the keyword input while the rep types."""

    class KeywordChanged(Message):
        def __init__(self, keyword: str, final: bool) -> None:
            self.keyword = keyword
            self.final = final
            super().__init__()

    def compose(self) -> ComposeResult:
        yield Static("all threads", id="filter-line", markup=False)
        yield Input(placeholder="keyword (enter to apply, esc to close)", id="keyword")
        yield Static("", id="filter-marks", markup=False)
        yield Static("", id="filter-count", markup=False)

    def show(self, state: FilterState) -> None:
        self.show_line(state.describe())

    def show_line(self, description: str) -> None:
        self.query_one("#filter-line", Static).update(f"▼ {description}")

    def show_count(self, loaded: int, total: int | None, *, offline: bool = False) -> None:
        if offline:
            text = f"offline · {loaded:,} cached"
        elif total is None:
            text = "loading…"
        elif loaded < total:
            text = f"{loaded:,}/{total:,} threads"
        else:
            text = f"{total:,} thread" + ("" if total == 1 else "s")
        self.query_one("#filter-count", Static).update(text)

    def show_marks(self, count: int) -> None:
        text = f"{count} marked (l/c apply to all, u undoes)" if count else ""
        self.query_one("#filter-marks", Static).update(text)

    def open_keyword(self, current: str) -> None:
        box = self.query_one("#keyword", Input)
        box.value = current
        self.add_class("-typing")
        box.focus()

    def close_keyword(self) -> None:
        self.remove_class("-typing")

    @property
    def typing(self) -> bool:
        return self.has_class("-typing")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.KeywordChanged(event.value, final=False))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close_keyword()
        self.post_message(self.KeywordChanged(event.value, final=True))
