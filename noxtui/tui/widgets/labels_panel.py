"""Labels side panel: every label with the thread's own checked; space toggles, enter plans the change."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from noxtui.domain.models import Label
from noxtui.tui.plain import plain_text
from noxtui.tui.widgets.side_panel import SidePanel


class LabelsPanel(SidePanel):
    """The open thread's labels as a checklist; the change is planned only on enter."""

    TITLE = "Labels"
    HINT = "space toggles · enter plans the change · esc closes"
    BINDINGS = [
        Binding("enter", "apply", "Plan label change", show=True, priority=True, id="labels.apply"),
        Binding("escape", "close", "Close", show=True, id="labels.close"),
    ]

    class Apply(Message):
        def __init__(self, label_ids: list[str]) -> None:
            self.label_ids = label_ids
            super().__init__()

    def compose_body(self) -> ComposeResult:
        yield SelectionList[str](id="labels-list")

    def show(self, labels: Iterable[Label], checked: Iterable[str], title: str = "Labels") -> None:
        """Fill the checklist and take the focus (the rep toggles at once)."""
        self.heading = title
        chosen = set(checked)
        selections = [Selection(plain_text(label.name), label.label_id, label.label_id in chosen) for label in labels]
        listing = self.query_one("#labels-list", SelectionList)
        listing.clear_options()
        listing.add_options(selections)
        listing.highlighted = 0 if selections else None
        listing.focus()

    def action_apply(self) -> None:
        self.post_message(self.Apply(list(self.query_one("#labels-list", SelectionList).selected)))
