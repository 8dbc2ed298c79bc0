"""The early frame's keys: which bytes act on it, and what its footer says, after the ``[keymap]``.

The keys a rep presses first are plain characters (j/k, n, d, g) or control keys (ctrl+f/b); those
act on the early frame itself. Anything else (arrows and other escape sequences, enter, ``/``,
unknown bytes) is not decoded here: it is handed to Textual's own parser, which knows every
terminal's encodings. Binding ids and default keys are the app's (``ThreadList``, ``BootScreen``,
``NoxTUI``); ``tests/prepaint`` checks they still match.
"""

from __future__ import annotations

from collections.abc import Mapping

EARLY_BINDINGS: tuple[tuple[str, str, str], ...] = (
    ("list.cursor-down", "j,down", "down"),
    ("list.cursor-up", "k,up", "up"),
    ("list.page-down", "pagedown,ctrl+f", "page_down"),
    ("list.page-up", "pageup,ctrl+b", "page_up"),
    ("list.first", "g,home", "first"),
    ("inbox.cycle-needs-reply", "n", "needs_reply"),
    ("inbox.cycle-direction", "d", "direction"),
)
"""Binding id, its default keys, and what the early frame does on it."""

FOOTER: tuple[tuple[str, str, str], ...] = (
    ("list.select", "enter", "Open"),
    ("list.toggle-mark", "space", "Mark"),
    ("inbox.cycle-needs-reply", "n", "Needs reply"),
    ("inbox.cycle-direction", "d", "Direction"),
    ("inbox.keyword", "slash", "Search"),
    ("app.help", "question_mark", "Help"),
    ("app.cycle-theme", "t", "Theme"),
    ("app.quit", "q", "Quit"),
)
"""The start-up screen's footer, in Textual's order (focused list, screen, app)."""

_NAMED = {"space": " ", "slash": "/", "question_mark": "?", "number_sign": "#", "comma": ",", "full_stop": "."}
_SHOWN = {"enter": "⏎", "slash": "/", "question_mark": "?", "number_sign": "#", "comma": ",", "full_stop": "."}


def _keys_of(binding_id: str, default: str, keymap: Mapping[str, str]) -> list[str]:
    return [key.strip() for key in keymap.get(binding_id, default).split(",") if key.strip()]


def key_byte(name: str) -> bytes | None:
    """The one byte a terminal sends for Textual key ``name``, if it is that simple."""
    if len(name) == 1 and name.isprintable():
        return name.encode()
    if name in _NAMED:
        return _NAMED[name].encode()
    if name.startswith("ctrl+") and len(name) == 6 and name[5].isalpha():
        return bytes([ord(name[5].lower()) - 96])
    return None


def early_actions(keymap: Mapping[str, str]) -> dict[bytes, str]:
    """Byte → early action, after the keymap (a rebound id loses its default keys, as in Textual)."""
    actions: dict[bytes, str] = {}
    for binding_id, default, action in EARLY_BINDINGS:
        for name in _keys_of(binding_id, default, keymap):
            byte = key_byte(name)
            if byte is not None:
                actions.setdefault(byte, action)
    return actions


def shown_key(name: str) -> str:
    if name in _SHOWN:
        return _SHOWN[name]
    if name.startswith("ctrl+"):
        return "^" + name[5:]
    return name


def footer_items(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key as shown, description) for the footer, each binding under its first (remapped) key."""
    items = []
    for binding_id, default, description in FOOTER:
        keys = _keys_of(binding_id, default, keymap)
        if keys:
            items.append((shown_key(keys[0]), description))
    return items
