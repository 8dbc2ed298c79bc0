"""Labels side panel: every label with the thread's own checked; space toggles, enter plans the change.

On and off read ``[x]`` / ``[ ]`` (``CheckList``), and the plan is built from the list's own answer to
enter, so a space and an enter typed in one burst plan exactly what the panel shows."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message

from noxtui.domain.models import Label
from noxtui.tui.widgets.check_list import Check, CheckList
from noxtui.tui.widgets.side_panel import SidePanel


class LabelsPanel(SidePanel):
    """The open thread's labels as a checklist; the change is planned only on enter."""

    TITLE = "Labels"
    HINT = "space toggles · enter plans the change · esc closes"
    BINDINGS = [
        Binding("enter", "apply", "Plan label change", show=True, id="labels.apply"),
        Binding("escape", "close", "Close", show=True, id="labels.close"),
    ]

    class Apply(Message):
        def __init__(self, label_ids: list[str]) -> None:
            self.label_ids = label_ids
            super().__init__()

    def compose_body(self) -> ComposeResult:
        yield CheckList(id="labels-list")

    def show(self, labels: Iterable[Label], checked: Iterable[str], title: str = "Labels") -> None:
        """Fill the checklist and take the focus (the rep toggles at once)."""
        self.heading = title
        chosen = set(checked)
        listing = self.query_one("#labels-list", CheckList)
        listing.set_checks(Check(label.label_id, label.name, label.label_id in chosen) for label in labels)
        listing.focus()

    def on_check_list_submitted(self, event: CheckList.Submitted) -> None:
        event.stop()
        self.post_message(self.Apply(event.selected))

    def action_apply(self) -> None:
        """Enter remapped to another key: the list has handled every key before it, in order."""
        self.post_message(self.Apply(self.query_one("#labels-list", CheckList).selected))
