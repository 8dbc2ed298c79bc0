"""A modal multi-line editor (CRM notes); ctrl+s continues to the plan, esc backs out unchanged."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea


class NotesScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "done", "Plan the change", show=True, priority=True, id="notes.done"),
        Binding("escape", "cancel", "Back (nothing is sent)", show=True, id="notes.cancel"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(self.title_text, id="prompt-title", markup=False)
            yield TextArea(self.text, id="notes-editor", soft_wrap=True)
            yield Static("ctrl+s: plan the change · esc: back", id="prompt-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
