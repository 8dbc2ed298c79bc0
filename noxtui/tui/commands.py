"""The command palette (ctrl+p): every action of the inbox, saved views, help, provider and theme.

A function the app's ``get_system_commands`` yields from, not a separate command ``Provider``:
Textual already feeds ``get_system_commands`` to its own system-commands provider (fuzzy search,
help text, the app's own Quit and Keys entries), so one list stays one list, in one order, and the
tests and the palette read the same commands. A second provider would have to repeat that search
and would list "Help" or "Quit" twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import SystemCommand
from textual.binding import Binding

from noxtui.tui.keymap import declared_bindings, keys_shown, remapped

if TYPE_CHECKING:
    from textual.screen import Screen

    from noxtui.services.inbox import InboxService
    from noxtui.storage.settings import Settings
    from noxtui.tui.screens.inbox import InboxScreen


class PaletteHost(Protocol):
    """What the palette needs of the app (a protocol: the app imports this module, not back)."""

    @property
    def settings(self) -> Settings | None: ...

    @property
    def keymap(self) -> Mapping[str, str]: ...

    @property
    def services(self) -> Sequence[InboxService]: ...

    def get_key_display(self, binding: Binding) -> str: ...

    def action_help(self) -> None: ...

    def action_switch_provider(self) -> None: ...

    def action_cycle_theme(self) -> None: ...


def palette_commands(host: PaletteHost, screen: Screen[Any]) -> Iterator[SystemCommand]:
    """The noxtui commands for ``screen`` (the inbox's actions only where the inbox is)."""
    from noxtui.tui.screens.inbox import InboxScreen

    if isinstance(screen, InboxScreen) and host.settings is not None:
        for binding in declared_bindings(InboxScreen):
            if screen.check_action(binding.action, ()) is False or binding.action == "quit_asking":
                continue  # (q is the app's Quit in the palette: listed once, by Textual)
            shown = keys_shown(host, remapped(binding, host.keymap))
            help_text = f"{binding.description} (key: {shown})"
            yield SystemCommand(binding.description, help_text, _runs(screen, binding.action))
        if screen.check_action("archive", ()):
            yield SystemCommand(
                "Archive conversation…",
                "Archive the open thread and its sibling task threads (not the CRM archive); confirm first",
                screen.action_archive,
            )
        if screen.context.can_assign:
            yield SystemCommand(
                "Assign thread…",
                "Assign the open thread to a team member, or unassign it; confirm first",
                screen.action_assign,
            )
        for name in sorted(host.settings.views):
            yield SystemCommand(f"View: {name}", "Apply this saved view", _applies(screen, name))
        if host.settings.views:
            yield SystemCommand(
                "Rename a saved view…", "Pick a saved view, then type its new name", screen.action_rename_view
            )
            yield SystemCommand(
                "Delete a saved view…", "Pick a saved view, then delete it (asks first)", screen.action_delete_view
            )
    yield SystemCommand("Help", "Show every key binding", host.action_help)
    if len(host.services) > 1:
        other = "Show the other account's inbox (NoxInfluencer / Inbox X DMs)"
        yield SystemCommand("Switch provider", other, host.action_switch_provider)
    yield SystemCommand("Next theme", "Cycle noxtui-dark / light / contrast", host.action_cycle_theme)


def _runs(screen: InboxScreen, action: str) -> Callable[[], object]:
    return lambda: screen.run_action(action)


def _applies(screen: InboxScreen, view: str) -> Callable[[], object]:
    return lambda: screen.apply_view(view)
