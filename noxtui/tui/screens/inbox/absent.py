"""Keys of actions the provider cannot do: hidden from the footer, help and palette, and when one is
pressed anyway, one line saying so instead of silence.

``InboxScreen.check_action`` answers False for them, so Textual runs nothing and the key reaches
``on_key`` here: if it is (as the rep's keymap has it) the key of such an action, the rep reads
"Schedule: not available on Inbox (X DMs)". Typing in the composer or a prompt is left alone.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input, TextArea

from noxtui.tui.keymap import declared_bindings, remapped, split_keys
from noxtui.tui.screens.inbox.base import InboxBase


class AbsentKeysMixin(InboxBase):
    """Says which action a pressed key would run, and that this provider cannot run it."""

    def absent_binding(self, key: str) -> Binding | None:
        """The binding ``key`` would run were its action available; ``None`` when it is (or is no key)."""
        keymap = getattr(self.app, "keymap", {})
        for declared in declared_bindings(type(self)):
            binding = remapped(declared, keymap)
            if key in split_keys(binding.key) and self.check_action(binding.action, ()) is False:
                return binding
        return None

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, (Input, TextArea)):
            return
        binding = self.absent_binding(event.key)
        if binding is None:
            return
        event.stop()
        event.prevent_default()
        provider = self.service.provider.display_name
        self.notify(f"{binding.description}: not available on {provider}", severity="warning", timeout=4, markup=False)


__all__ = ["AbsentKeysMixin"]
