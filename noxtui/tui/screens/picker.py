"""A small modal that picks one value from a list (filter pickers); returns the choice or ``None``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from noxtui.domain.filters import Choice
from noxtui.tui.plain import plain_text

ANY = "\x00any"


class PickerResult:
    """Distinguishes "picked Any" (clear the filter) from "backed out" (``None`` result)."""

    def __init__(self, choice: Choice | None) -> None:
        self.choice = choice


class PickerScreen(ModalScreen[PickerResult | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Back", show=True, id="picker.cancel"),
        Binding("j", "down", "Down", show=False, id="picker.down"),
        Binding("k", "up", "Up", show=False, id="picker.up"),
    ]

    def __init__(
        self,
        title: str,
        choices: list[Choice],
        current: str | None = None,
        *,
        any_label: str | None = "Any (clear this filter)",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current
        self.any_label = any_label

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(self.title_text, id="picker-title", markup=False)
            options = [Option(self.any_label, id=ANY)] if self.any_label else []
            options += [
                Option(plain_text(("● " if c.value == self.current else "  ") + c.name), id=c.value)
                for c in self.choices
            ]
            yield OptionList(*options, id="picker-list")

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        values = [c.value for c in self.choices]
        offset = 1 if self.any_label else 0
        listing.highlighted = values.index(self.current) + offset if self.current in values else 0
        listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == ANY:
            self.dismiss(PickerResult(None))
            return
        choice = next(c for c in self.choices if c.value == event.option.id)
        self.dismiss(PickerResult(choice))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
