"""The footer leads with the keys of the pane that has the focus.

Textual's footer lists every shown key from the focused widget up to the app, in declaration
order, and cuts the rest at the screen's edge: at 120 columns the inbox's filter keys filled it and
``e``, ``s``, ``R`` and ``w`` (what a rep reading a thread presses next) were cut (#16, item 12). Here
the screen hands the footer its bindings in the focused pane's order (shown even where the binding
itself is not, with a short label); the keys themselves work as before. While a text box has the
focus, keys that type a character are left out: there they type.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on
from textual.binding import ActiveBinding
from textual.widgets import Input, TextArea

from noxtui.tui.keymap import types_a_character
from noxtui.tui.screens.inbox.base import InboxBase
from noxtui.tui.widgets.composer import Composer
from noxtui.tui.widgets.side_panel import SidePanel
from noxtui.tui.widgets.thread_detail import ThreadDetail
from noxtui.tui.widgets.thread_list import ThreadList

READING = ("select", "edit", "send", "send_reply_to", "schedule", "labels_panel", "coop_panel", "cycle_needs_reply")
"""List and reading pane: open, then what a rep does with the open thread, then the main filter."""

PANE_FIRST: dict[str, tuple[str, ...]] = {
    "list": ("select", "toggle_mark", *READING[1:]),
    "reading": READING,
    "composer": ("back", "screen.send", "save_draft", "external_editor"),
    "panel": (),
}
"""Per focused pane, the actions the footer shows first, in this order."""

PANE_NAMES = {
    "list": "focus: thread list",
    "reading": "focus: reading pane",
    "composer": "focus: reply editor",
    "panel": "focus: side panel",
}
"""The status line (the header's subtitle) says which pane has the keys."""

SHORT: dict[str, str] = {"send_reply_to": "Reply to last", "back": "Leave editor", "external_editor": "$EDITOR"}
"""Footer labels for keys whose full description (help, palette) is too long for it."""


class FooterOrderMixin(InboxBase):
    """Orders ``active_bindings`` (what the footer reads) by the focused pane."""

    def focused_pane(self) -> str:
        """Which pane has the focus: ``list``, ``reading``, ``composer`` or ``panel``."""
        node = self.focused
        while node is not None:
            if isinstance(node, ThreadList):
                return "list"
            if isinstance(node, Composer):
                return "composer"
            if isinstance(node, ThreadDetail):
                return "reading"
            if isinstance(node, SidePanel):
                return "panel"
            node = node.parent  # type: ignore[assignment]
        return "list"

    @on(events.DescendantFocus)
    def _say_focused_pane(self) -> None:
        self.sub_title = " · ".join(part for part in (self.app.sub_title, PANE_NAMES[self.focused_pane()]) if part)

    def typing_here(self) -> bool:
        """Whether the focus is in a text box (the reply editor, the keyword box): there ``n``,
        ``/`` and ``space`` type themselves, so the footer must not offer them as actions."""
        focused = self.focused
        return isinstance(focused, Input) or (isinstance(focused, TextArea) and not focused.read_only)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings
        if self.typing_here():
            bindings = {key: active for key, active in bindings.items() if not types_a_character(key)}
        first = PANE_FIRST[self.focused_pane()]
        rank = {action: index for index, action in enumerate(first)}

        def shown(active: ActiveBinding) -> ActiveBinding:
            action = active.binding.action
            if action not in rank:
                return active
            label = SHORT.get(action, active.binding.description)
            return active._replace(binding=replace(active.binding, show=True, description=label))

        ordered = sorted(bindings.items(), key=lambda item: rank.get(item[1].binding.action, len(rank)))
        return {key: shown(active) for key, active in ordered}
