"""The rep's ``[keymap]``: which binding ids exist, which remaps are usable, and how keys are shown.

Every ``Binding`` of noxtui carries an ``id`` (``"<scope>.<action>"``, e.g. ``inbox.send``), and the
config file's ``[keymap]`` table maps ids to Textual's comma-separated keys
(``"inbox.send" = "ctrl+enter,s"``). Textual applies the table itself (``App.set_keymap``): the
footer and every key press follow it. What Textual does not do is say that an entry is wrong: an
unknown id or a key it cannot parse is silently dropped, or worse, a binding is moved to a key no
terminal sends. So every entry is checked here first; a bad one is reported in words the rep can
act on and left out, and the app starts anyway.

Imported before the first frame (the app applies the keymap to the start-up screen), so it needs
nothing beyond Textual's binding and key tables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Protocol

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_TO_UNICODE_NAME, REPLACED_KEYS, Keys

if TYPE_CHECKING:  # a protocol class costs time to build; only the type checker needs it

    class KeyDisplay(Protocol):
        """Whatever turns a binding's key into what the rep sees (Textual's ``App.get_key_display``)."""

        def get_key_display(self, binding: Binding) -> str: ...


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@cache
def _named_keys() -> frozenset[str]:
    """Keys with a name rather than a character: enter, f5, pagedown, … (built on first use)."""
    names = {key.value.rpartition("+")[2] for key in Keys}
    return frozenset(name for name in names if not name.startswith("<")) | {"space", "enter", "tab", "backspace"}


class KeymapCheck:
    """The entries of a ``[keymap]`` that can be applied, and what is wrong with the others.

    A plain class, not a dataclass: this module loads before the first frame, and building a
    dataclass (code generated and compiled at import) is measurable there.
    """

    __slots__ = ("keymap", "problems")

    def __init__(self, keymap: dict[str, str], problems: list[str]) -> None:
        self.keymap = keymap
        self.problems = problems


def key_problem(key: str) -> str | None:
    """Why ``key`` (one key, e.g. ``ctrl+s``, ``?``, ``f2``) cannot be bound, or ``None``."""
    if not key:
        return "an empty key"
    if key != key.strip() or " " in key:
        return f"{key!r} has a space in it"
    if len(key) == 1:  # any single character, including "+" itself
        return None
    *modifiers, name = key.split("+")
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown or not name:
        return f"{key!r} is not a key (modifiers are {', '.join(sorted(MODIFIERS))}, joined with '+')"
    if len(name) == 1 or name in _named_keys() or _is_character_name(name):
        return None
    return f"{key!r} is not a key Textual knows (try e.g. 'ctrl+s', 'f2', 'question_mark' or '?')"


def _is_character_name(name: str) -> bool:
    """``question_mark``, ``slash``, ``plus``: a character written by its (Textual) name."""
    original = REPLACED_KEYS.get(name, name)  # Textual's short names: slash → solidus, plus → plus_sign
    try:
        unicodedata.lookup(KEY_TO_UNICODE_NAME.get(original, original.replace("_", " ").upper()))
    except KeyError:
        return False
    return True


def types_a_character(key: str) -> bool:
    """Whether ``key`` (one key) types a character into a text box: ``n``, ``/``, ``slash``, ``space``."""
    if len(key) == 1:
        return key.isprintable()
    return key == "space" or ("+" not in key and key not in _named_keys() and _is_character_name(key))


def split_keys(keys: str) -> list[str]:
    """``"ctrl+enter, s"`` → ``["ctrl+enter", "s"]`` (the format of ``Binding.key`` and the keymap)."""
    return [key.strip() for key in keys.split(",")]


def check_keymap(wanted: Mapping[str, str], known_ids: Iterable[str] | None = None) -> KeymapCheck:
    """Keep the entries that can be applied; say what is wrong with each of the others.

    ``known_ids`` ``None`` checks the keys only: before the first frame the screens that declare
    most ids are not loaded yet, and an unknown id costs nothing there (Textual matches no binding).
    """
    known = set(known_ids) if known_ids is not None else None
    usable: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in wanted.items():
        if known is not None and binding_id not in known:
            hint = _closest(binding_id, known)
            problems.append(f"[keymap] {binding_id!r} is not a binding id{hint}; entry ignored.")
            continue
        parts = split_keys(keys) if isinstance(keys, str) else []
        if not any(parts):
            problems.append(f"[keymap] {binding_id!r} has no keys; entry ignored (the default keys stay).")
            continue
        bad = next((problem for part in parts if (problem := key_problem(part))), None)
        if bad is not None:
            problems.append(f"[keymap] {binding_id!r}: {bad}; entry ignored (the default keys stay).")
            continue
        usable[binding_id] = ",".join(parts)
    return KeymapCheck(usable, problems)


def _closest(binding_id: str, known: set[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(binding_id, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def declared_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings noxtui's own classes give ``cls`` (its bases included), not Textual's defaults.

    Read the way Textual merges them: from the DOM classes of the MRO only (a plain mixin's
    ``BINDINGS`` bind nothing, so they are not listed either)."""
    found: list[Binding] = []
    for klass in reversed(cls.__mro__):
        if issubclass(klass, DOMNode) and klass.__module__.startswith("noxtui.") and "BINDINGS" in vars(klass):
            found.extend(binding for binding in vars(klass)["BINDINGS"] if isinstance(binding, Binding))
    return found


def loaded_binding_ids() -> set[str]:
    """The id of every binding of every widget, screen and app class loaded so far.

    Found by walking the class tree rather than from a list, so a panel that moves module or a new
    modal is covered the day it exists; the caller loads the screens first (``bootstrap``).
    """
    ids: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
                ids.update(binding.id for binding in declared_bindings(sub) if binding.id)
    return ids


def remapped(binding: Binding, keymap: Mapping[str, str]) -> Binding:
    """``binding`` with the keys the keymap gives its id (itself when the keymap leaves it alone)."""
    keys = keymap.get(binding.id) if binding.id else None
    return binding.with_key(keys, binding.key_display) if keys else binding


def keys_shown(app: KeyDisplay, binding: Binding) -> str:
    """Every key of ``binding`` as the footer shows it (``j / ↓``, ``^s``, ``?``)."""
    shown = (app.get_key_display(binding.with_key(key, binding.key_display)) for key in split_keys(binding.key))
    return " / ".join(shown)
