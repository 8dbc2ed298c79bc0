"""The saved-views picker (``v``): apply a view, or rename or delete the highlighted one.

A picker like the filter pickers, with two keys of its own shown in its footer (and in help):
``r`` renames the highlighted view and ``d`` deletes it. The picker only says which view and what
to do with it; the inbox asks for the new name or the confirmation, and stores the change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList

from noxtui.domain.filters import Choice
from noxtui.tui.screens.picker import PickerResult, PickerScreen

ViewEdit = Literal["rename", "delete"]


class ViewAction(PickerResult):
    """The rep asked to rename or delete ``choice`` (a saved view) rather than apply it."""

    def __init__(self, choice: Choice, edit: ViewEdit) -> None:
        super().__init__(choice)
        self.edit: ViewEdit = edit


class ViewsPickerScreen(PickerScreen):
    """Saved views, with rename (``r``) and delete (``d``) on the highlighted one."""

    BINDINGS = [
        Binding("r", "edit_view('rename')", "Rename view", id="views.rename"),
        Binding("d,delete", "edit_view('delete')", "Delete view", id="views.delete"),
    ]

    def __init__(self, title: str, choices: list[Choice], views: Collection[str]) -> None:
        super().__init__(title, choices, any_label=None)
        self.views = set(views)
        """The entries that are saved views (not "save the current filter"): the ones r and d act on."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Footer()

    def action_edit_view(self, edit: ViewEdit) -> None:
        index = self.query_one(OptionList).highlighted
        choice = self.choices[index] if index is not None and 0 <= index < len(self.choices) else None
        if choice is None or choice.value not in self.views:
            verb = "rename" if edit == "rename" else "delete"
            self.notify(f"Highlight a saved view to {verb} (j/k), then press the key again.", severity="warning")
            return
        self.dismiss(ViewAction(choice, edit))
