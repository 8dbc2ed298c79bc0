"""A one-field modal with validation as you type (schedule time, template name)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

Check = Callable[[str], str | None]
"""Returns an error message for invalid text, ``None`` when it is acceptable."""

Preview = Callable[[str], str]
"""What acceptable text will mean (a send time typed as ``tomorrow 9`` → the exact ISO time sent)."""


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Back (nothing is sent)", show=True, id="prompt.cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        check: Check | None = None,
        preview: Preview | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.placeholder = placeholder
        self.hint = hint
        self.check = check
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(self.title_text, id="prompt-title", markup=False)
            yield Input(self.initial, placeholder=self.placeholder, id="prompt-input")
            yield Static(self.hint, id="prompt-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._validate(self.initial)

    def _validate(self, value: str) -> str | None:
        problem = self.check(value) if self.check else None
        hint = self.query_one("#prompt-hint", Static)
        shown = problem or (self.preview(value) if self.preview else "") or self.hint or "enter: continue"
        hint.update(shown)
        hint.set_class(problem is not None, "-invalid")
        self.query_one(Input).set_class(problem is not None, "-invalid")
        return problem

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._validate(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._validate(event.value) is None:
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
