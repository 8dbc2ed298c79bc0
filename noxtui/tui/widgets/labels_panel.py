"""Labels side panel: every label with the thread's own checked; space toggles, enter plans the change."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from noxtui.domain.models import Label
from noxtui.domain.text import sanitize


class LabelsPanel(Vertical):
    BINDINGS = [
        Binding("enter", "apply", "Plan label change", show=True, priority=True),
        Binding("escape", "close", "Close", show=True),
    ]

    class Apply(Message):
        def __init__(self, label_ids: list[str]) -> None:
            self.label_ids = label_ids
            super().__init__()

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Static("Labels", classes="panel-title", markup=False)
        yield Static("space toggles · enter plans the change · esc closes", classes="panel-hint", markup=False)
        yield SelectionList[str](id="labels-list")

    def show(self, labels: Iterable[Label], checked: Iterable[str], title: str = "Labels") -> None:
        self.query_one(".panel-title", Static).update(title)
        chosen = set(checked)
        selections = [Selection(sanitize(label.name), label.label_id, label.label_id in chosen) for label in labels]
        listing = self.query_one("#labels-list", SelectionList)
        listing.clear_options()
        listing.add_options(selections)
        listing.highlighted = 0 if selections else None
        listing.focus()

    def action_apply(self) -> None:
        self.post_message(self.Apply(list(self.query_one("#labels-list", SelectionList).selected)))

    def action_close(self) -> None:
        self.post_message(self.Closed())
