"""A modal that asks one question with a few lettered answers (replace a scheduled reply? keep
unsent text?) and returns the answer's value, or ``None`` on escape.

Unlike the confirm modal it never writes anything itself: the caller plans and confirms whatever
the answer leads to, so every write still goes through its own confirm modal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from noxtui.domain.text import sanitize


@dataclass(frozen=True)
class Answer:
    """One answer: the key that picks it, what it says, and the value the modal returns."""

    key: str
    label: str
    value: str


class ChoiceScreen(ModalScreen[str | None]):
    """The question, the text it is about (inert: it may come from a server), one line per answer."""

    BINDINGS = [Binding("escape", "cancel", "Back (nothing changes)", show=True, id="choice.cancel")]

    def __init__(self, title: str, question: str, answers: Sequence[Answer], *, quoted: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.answers = list(answers)
        self.quoted = quoted

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.title_text, id="choice-title", markup=False)
            with VerticalScroll(id="choice-body"):
                yield Static(Text(sanitize(self.question)), id="choice-question")
                if self.quoted is not None:
                    yield Static(Text(sanitize(self.quoted or "(empty)"), style="italic"), id="choice-quoted")
            lines = [f"{answer.key}: {answer.label}" for answer in self.answers]
            lines.append("esc: back, nothing changes")
            yield Static(Text("\n".join(lines), style="bold"), id="choice-keys")

    def on_key(self, event: events.Key) -> None:
        """An answer's key picks it; every other key (but escape) is ignored, so a stray key
        typed in a burst never picks anything by accident."""
        answer = next((a for a in self.answers if a.key == event.character), None)
        if answer is not None:
            event.stop()
            self.dismiss(answer.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
