"""The help screen, built from the live bindings so it can never drift from what the keys do.

Each key is listed as the footer shows it (``app.get_key_display``: ``ctrl+s`` is ``^s``,
``question_mark`` is ``?``) and after the rep's ``[keymap]``, so a remapped key is listed where the
rep will press it; beside it the binding's id, the name a ``[keymap]`` entry moves it by.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from noxtui.tui.keymap import declared_bindings, keys_shown, remapped

HelpGroups = list[tuple[str, list[Binding]]]


def help_groups(app: App[Any], screen: Screen[Any], keymap: Mapping[str, str]) -> HelpGroups:
    """Every key the rep can press on ``screen`` (the inbox under any modal), grouped by where it
    applies: the list, the screen (what its ``check_action`` allows), the side panels it holds, the
    confirm modal and the app. Bindings come back with the keymap's keys."""
    from noxtui.tui.screens.confirm import ConfirmScreen
    from noxtui.tui.screens.views_picker import ViewsPickerScreen
    from noxtui.tui.widgets.thread_list import ThreadList

    def keyed(bindings: Iterable[Binding]) -> list[Binding]:
        return [remapped(binding, keymap) for binding in bindings]

    allowed = [b for b in declared_bindings(type(screen)) if screen.check_action(b.action, ()) is not False]
    return [
        ("Thread list", keyed(declared_bindings(ThreadList))),
        ("Inbox", keyed(allowed)),
        ("Side panels", _panel_bindings(screen, keymap, skip=ThreadList)),
        ("Confirm modal", keyed(declared_bindings(ConfirmScreen))),
        ("Saved views (v)", keyed(declared_bindings(ViewsPickerScreen))),
        (
            "Everywhere",
            [
                *keyed(declared_bindings(type(app))),
                Binding("tab", "focus_next", "Next pane"),
                Binding("ctrl+p", "command_palette", "Command palette (every action)"),
            ],
        ),
    ]


def _panel_bindings(screen: Screen[Any], keymap: Mapping[str, str], *, skip: type) -> list[Binding]:
    """The keys of every panel on ``screen`` (whatever is mounted there with bindings of its own),
    each key and description once: every panel closes on escape, help says so once."""
    seen: set[tuple[str, str]] = set()
    found: list[Binding] = []
    for widget in screen.query("*"):
        if isinstance(widget, skip):
            continue
        for binding in declared_bindings(type(widget)):
            binding = remapped(binding, keymap)
            if (binding.key, binding.description) not in seen:
                seen.add((binding.key, binding.description))
                found.append(binding)
    return found


def bindings_table(app: App[Any], groups: Iterable[tuple[str, Iterable[Binding]]]) -> Table:
    """Key → action, and the binding's id (what ``[keymap]`` moves it by), one section per group."""
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("action", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    for title, bindings in groups:
        table.add_row(Text(title, style="bold underline"), "", "")
        for binding in bindings:
            action = Text(binding.description or binding.action)
            table.add_row(Text(keys_shown(app, binding)), action, Text(binding.id or ""))
        table.add_row("", "", "")
    return table


def legend_table() -> Table:
    """What every symbol of a list row means (the row is painted from the same ``LEGEND``)."""
    from noxtui.tui.widgets.thread_line import LEGEND

    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column("symbol", style="bold", no_wrap=True)
    table.add_column("meaning", ratio=1)
    table.add_row(Text("List symbols", style="bold underline"), "")
    for symbol, meaning in LEGEND:
        table.add_row(Text(symbol), Text(meaning))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help", show=True, id="help.close")]

    def __init__(self, groups: HelpGroups) -> None:
        super().__init__()
        self.groups = groups

    @classmethod
    def of_app(cls, app: App[Any], keymap: Mapping[str, str]) -> HelpScreen:
        """Help for where the rep is: the inbox's keys, even under a modal (the palette opens help anywhere)."""
        from noxtui.tui.screens.inbox import InboxScreen

        under = next((s for s in reversed(app.screen_stack) if isinstance(s, InboxScreen)), app.screen)
        return cls(help_groups(app, under, keymap))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("noxtui — keys", id="help-title", markup=False)
            yield Static(bindings_table(self.app, self.groups), id="help-table")
            yield Static(legend_table(), id="help-legend")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
