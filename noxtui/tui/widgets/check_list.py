"""A list of things that are on or off, each line starting ``[x]`` or ``[ ]``.

Textual's ``SelectionList`` marks both states with the same ``▐X▌`` and tells them apart by colour
alone, so under ``NO_COLOR``, in a plain capture or through a screen reader every label read as
checked. It also toggled on space through a message it posts to itself, so a space and an enter
arriving in one read (fast typing, SSH batching) planned from the selection *before* the toggle.
Here space flips the state at once, and enter asks for the plan through the list's own queue, after
every key that came before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from noxtui.domain.text import sanitize

ON = "[x]"
OFF = "[ ]"


@dataclass
class Check:
    """One line: the value it stands for, the name shown (inert text), and whether it is on."""

    value: str
    name: str
    on: bool


class CheckList(OptionList):
    """Space (or a click) toggles the highlighted line; enter posts ``Submitted`` with the lines as shown."""

    BINDINGS = [
        Binding("space", "toggle_check", "Toggle", show=False),
        Binding("enter", "submit", "Apply", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    class Submitted(Message):
        """The rep asked for the plan; ``selected`` is exactly what the list showed at that key."""

        def __init__(self, check_list: CheckList, selected: list[str]) -> None:
            self.check_list = check_list
            self.selected = selected
            super().__init__()

        @property
        def control(self) -> CheckList:
            return self.check_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._checks: list[Check] = []

    @property
    def selected(self) -> list[str]:
        """The values that are on, in the list's order."""
        return [check.value for check in self._checks if check.on]

    def set_checks(self, checks: Iterable[Check]) -> None:
        """Replace every line; the highlight goes to the first."""
        self._checks = list(checks)
        self.clear_options()
        self.add_options(Option(self._prompt(check), id=check.value) for check in self._checks)
        self.highlighted = 0 if self._checks else None

    @staticmethod
    def _prompt(check: Check) -> Text:
        text = Text(f"{ON if check.on else OFF} ", style="bold" if check.on else "")
        text.append(sanitize(check.name))
        return text

    def action_toggle_check(self) -> None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self._checks):
            return
        check = self._checks[index]
        check.on = not check.on
        self.replace_option_prompt_at_index(index, self._prompt(check))

    def action_select(self) -> None:
        """A click lands here (OptionList's own path): it toggles, like space."""
        self.action_toggle_check()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.selected))
