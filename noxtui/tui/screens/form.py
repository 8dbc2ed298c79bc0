"""A modal form: several labelled fields answered at once (template variables, a template's name,
language and subject). Tab moves between fields, enter submits from any of them, esc backs out."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


@dataclass(frozen=True)
class FormField:
    """One field: its key in the answer, what the rep reads, what it starts with."""

    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    required: bool = False


class FormScreen(ModalScreen[dict[str, str] | None]):
    """Returns every field's text by key, or ``None`` when the rep backs out."""

    CSS_PATH = "form.tcss"
    BINDINGS = [Binding("escape", "cancel", "Back (nothing is sent)", show=True, id="form.cancel")]

    def __init__(self, title: str, fields: list[FormField], *, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.hint = hint or "tab: next field · enter: continue · esc: back"

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(self.title_text, id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):
                for index, field in enumerate(self.fields):
                    yield Label(field.label + (" *" if field.required else ""), markup=False)
                    yield Input(field.value, placeholder=field.placeholder, id=f"form-field-{index}")
            yield Static(self.hint, id="form-hint", markup=False)

    def on_mount(self) -> None:
        first_empty = next((i for i, f in enumerate(self.fields) if not f.value), 0)
        if self.fields:
            self.query_one(f"#form-field-{first_empty}", Input).focus()

    def answers(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#form-field-{i}", Input).value for i, f in enumerate(self.fields)}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        answers = self.answers()
        missing = [f.label for f in self.fields if f.required and not answers[f.key].strip()]
        hint = self.query_one("#form-hint", Static)
        if missing:
            hint.update(f"Fill in: {', '.join(missing)}")
            hint.add_class("-invalid")
            return
        self.dismiss(answers)

    def action_cancel(self) -> None:
        self.dismiss(None)
