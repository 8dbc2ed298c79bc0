"""Coop status side panel: the pipeline in order, the thread's current status marked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from noxtui.domain.models import CoopStatus
from noxtui.tui.plain import plain_text
from noxtui.tui.widgets.side_panel import SidePanel


class CoopPanel(SidePanel):
    """Pick a status with enter; the change is planned and confirmed, never applied here."""

    TITLE = "Coop status"
    HINT = "enter plans the change · esc closes"
    BINDINGS = [Binding("escape", "close", "Close", show=True, id="coop.close")]

    class Apply(Message):
        def __init__(self, status: CoopStatus) -> None:
            self.status = status
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._statuses: list[CoopStatus] = []

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="coop-list")

    def show(self, statuses: list[CoopStatus], current: str | None, title: str = "Coop status") -> None:
        """List the statuses with ``current`` marked and highlighted, and take the focus."""
        self.heading = title
        self._statuses = list(statuses)
        listing = self.query_one("#coop-list", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(plain_text(("● " if s.code == current else "  ") + s.name), id=s.code) for s in self._statuses
        )
        codes = [s.code for s in self._statuses]
        listing.highlighted = codes.index(current) if current in codes else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next(s for s in self._statuses if s.code == event.option.id)
        self.post_message(self.Apply(chosen))
