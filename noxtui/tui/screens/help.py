"""The help screen, built from the live bindings so it can never drift from what the keys do."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


def _key_label(key: str) -> str:
    return " / ".join(part.strip() for part in key.split(","))


def bindings_table(groups: Iterable[tuple[str, Iterable[Binding]]]) -> Table:
    """A two-column key → action table; one section per group of bindings."""
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("action")
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            table.add_row(Text(_key_label(binding.key)), Text(binding.description or binding.action))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help", show=True)]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("noxtui — keys", id="help-title", markup=False)
            yield Static(bindings_table(self.groups), id="help-table")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
