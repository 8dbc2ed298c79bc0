"""The composer's text box: every key applied in the order it was typed.

Textual's ``TextArea`` inserts a printable key in its own handler, but runs its editing keys
(backspace, delete, arrows, undo…) as bindings, which the app resolves only after the key has
bubbled up through every parent's queue. When keys arrive in one read (fast typing, tmux or SSH
batching) the letters typed *after* a backspace are inserted before the backspace runs, and it
deletes the wrong character: composer text "garbled right after a schedule" (#16, item 5). Here the
box runs its own editing bindings at once, in its own queue, in order with the letters.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea


@cache
def _editing_actions(area: type[TextArea]) -> dict[str, str]:
    """Key → action for the text box's own bindings (the subclass's win over its bases')."""
    actions: dict[str, str] = {}
    for cls in reversed(area.__mro__):
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            actions[binding.key] = binding.action
    return actions


class DraftArea(TextArea):
    """A ``TextArea`` whose editing keys cannot overtake the letters typed before or after them."""

    async def _on_key(self, event: events.Key) -> None:
        action = None if self.read_only else _editing_actions(type(self)).get(event.key)
        if action is None:
            return  # letters and enter: TextArea's own handler inserts them, in order
        event.stop()
        event.prevent_default()
        await self.run_action(action)
