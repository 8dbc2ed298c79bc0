"""Batch label panel: each label is kept as is, added to every marked thread, or removed from every one.

A full replacement set would silently wipe labels that differ between threads; add/remove per label
changes only what the rep asked for.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from noxtui.domain.models import Label
from noxtui.services.batch import LabelChange
from noxtui.tui.plain import plain_text
from noxtui.tui.widgets.side_panel import SidePanel

_STATES = ("keep", "add", "remove")
_MARK = {"keep": "[ ]", "add": "[+]", "remove": "[-]"}


class BatchLabelsPanel(SidePanel):
    """Labels for every marked thread: space cycles keep → add → remove, enter plans the batch."""

    TITLE = "Labels for marked threads"
    HINT = "space: keep → add → remove · enter plans it · esc closes"
    BINDINGS = [
        Binding("space", "cycle", "keep / add / remove", show=True, priority=True, id="batch-labels.cycle"),
        Binding("enter", "apply", "Plan batch change", show=True, priority=True, id="batch-labels.apply"),
        Binding("escape", "close", "Close", show=True, id="batch-labels.close"),
    ]

    class Apply(Message):
        def __init__(self, change: LabelChange) -> None:
            self.change = change
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._labels: list[Label] = []
        self._state: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="batch-labels-list")

    def show(self, labels: list[Label], count: int, title: str = "Labels") -> None:
        """Every label at "keep", for ``count`` marked threads; takes the focus."""
        self.heading = f"{title} for {count} marked threads"
        self._labels = list(labels)
        self._state = {label.label_id: "keep" for label in labels}
        listing = self.query_one("#batch-labels-list", OptionList)
        listing.clear_options()
        listing.add_options(Option(self._prompt(label), id=label.label_id) for label in self._labels)
        listing.highlighted = 0 if self._labels else None
        listing.focus()

    def _prompt(self, label: Label) -> Text:
        return plain_text(f"{_MARK[self._state[label.label_id]]} {label.name}")

    def action_cycle(self) -> None:
        listing = self.query_one("#batch-labels-list", OptionList)
        if listing.highlighted is None:
            return
        label = self._labels[listing.highlighted]
        state = self._state[label.label_id]
        self._state[label.label_id] = _STATES[(_STATES.index(state) + 1) % len(_STATES)]
        listing.replace_option_prompt_at_index(listing.highlighted, self._prompt(label))

    def action_apply(self) -> None:
        change = LabelChange(
            add=frozenset(k for k, v in self._state.items() if v == "add"),
            remove=frozenset(k for k, v in self._state.items() if v == "remove"),
        )
        self.post_message(self.Apply(change))
