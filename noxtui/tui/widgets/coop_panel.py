"""Coop status side panel: the pipeline in order, the thread's current status marked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from noxtui.domain.models import CoopStatus
from noxtui.domain.text import sanitize


class CoopPanel(Vertical):
    BINDINGS = [Binding("escape", "close", "Close", show=True)]

    class Apply(Message):
        def __init__(self, status: CoopStatus) -> None:
            self.status = status
            super().__init__()

    class Closed(Message):
        pass

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._statuses: list[CoopStatus] = []

    def compose(self) -> ComposeResult:
        yield Static("Coop status", classes="panel-title", markup=False)
        yield Static("enter plans the change · esc closes", classes="panel-hint", markup=False)
        yield OptionList(id="coop-list")

    def show(self, statuses: list[CoopStatus], current: str | None, title: str = "Coop status") -> None:
        self.query_one(".panel-title", Static).update(title)
        self._statuses = list(statuses)
        listing = self.query_one("#coop-list", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(("● " if s.code == current else "  ") + sanitize(s.name), id=s.code) for s in self._statuses
        )
        codes = [s.code for s in self._statuses]
        listing.highlighted = codes.index(current) if current in codes else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next(s for s in self._statuses if s.code == event.option.id)
        self.post_message(self.Apply(chosen))

    def action_close(self) -> None:
        self.post_message(self.Closed())
