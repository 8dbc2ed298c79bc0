"""Starting the app in two steps: the first frame from what is cheap to know, then everything else.

A rep opens noxtui many times a day, so the list should be on screen about as soon as a terminal
mail reader's. What the first frame needs is small: where the cache is, whose rows to show (the
cache scope), the theme, the profile's name and the rep's ``[keymap]`` (so the first frame's
footer and keys are already the remapped ones). What it does not need is slow to get: pydantic
(the settings and every model), httpx and its TLS context, the OS keyring, the demo's sandbox
server. So a start is described by a ``Startup``: the cheap facts, read here with the standard
library only, and a ``prepare`` callable that the app runs in a thread once the first frame is up.

Keys the rep presses before ``prepare`` has finished are held by the app and replayed in order,
so nothing typed at start-up is lost. A start that cannot go on (a broken config file, no token)
raises ``LaunchError`` from ``prepare``; the app exits and the command line prints the message,
as it did when those checks ran before the app.
"""

from __future__ import annotations

import gc
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from noxtui.paths import DEFAULT_PRODUCTION_URL, Paths

if TYPE_CHECKING:
    from noxtui.domain.rows import ThreadRow
    from noxtui.providers.base import Provider
    from noxtui.storage.cache.quick_filter import QuickFilter, QuickReader
    from noxtui.storage.settings import Settings


_gc_paused = False


def pause_gc() -> None:
    """Hold Python's cyclic garbage collector until the inbox is up (``resume_gc``).

    A start allocates a few hundred thousand objects that live for the whole session (modules,
    classes, Textual's styles, the rows); every automatic collection during the start walks all
    of them again, about 20 ms of a 300 ms first paint here. What a start leaves for the collector
    is small, and it runs again from ``resume_gc`` on.
    """
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> None:
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.enable()


class LaunchError(Exception):
    """The app cannot start as asked; the message says what to do instead."""


@dataclass
class Prepared:
    """Everything the inbox needs that is slow to get, made by ``Startup.prepare`` in a thread."""

    settings: Settings
    provider: Provider
    base_url: str
    """The account the cache rows and local drafts are keyed by: the provider's base URL, or a
    stable name where the URL changes between starts (the demo's sandbox port)."""
    label: str
    alternates: Sequence[tuple[Provider, str]] = ()
    """Other accounts shown behind ``A`` (the demo's Inbox workspace): provider and base URL."""
    default_sender: str | None = None
    warnings: list[str] = field(default_factory=list)
    """Shown to the rep once the inbox is up (e.g. TLS verification switched off)."""


@dataclass
class EarlyState:
    """What the frame painted before Textual showed, and where the rep got to on it.

    Made by ``noxtui.prepaint``; the start-up screen opens exactly here (filter, rows, cursor,
    scroll), reusing the reader, and Textual's driver takes the terminal over as it was left.
    """

    filter: QuickFilter
    rows: list[ThreadRow]
    total: int | None
    cursor: int
    top: int
    reader: QuickReader | None
    pending: bytes = b""
    """Keys read from the terminal but not acted on by the early frame: Textual parses them first."""
    tty_attrs: list[Any] | None = None
    """The terminal's settings before the early frame changed them: what the app restores on exit."""


@dataclass
class Startup:
    """The cheap facts the first frame is painted from, and how to get the rest."""

    paths: Paths
    label: str
    prepare: Callable[[], Prepared]
    theme: str | None = None
    provider_name: str | None = None
    base_url: str | None = None
    """With ``provider_name`` this names the cache scope the first page is read from; ``None``
    (the demo, whose sandbox picks its port when it starts) means the first frame has no rows."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """The config file's ``[keymap]`` as read by ``peek_config``: applied to the first frame, then
    checked against every binding id once the screens are loaded (``noxtui.tui.keymap``)."""
    early: EarlyState | None = None
    """Set when a frame was painted before Textual was imported (``noxtui.prepaint``)."""
    scroll: str | None = None
    """The config file's ``scroll`` as peeked (``domain/scrolling.py``): the first frames page
    over SSH as the inbox will."""


@dataclass(frozen=True)
class ConfigPeek:
    """What the first frame needs from the config file, read without validating it."""

    theme: str | None = None
    profile: str = "default"
    provider: str = "nox"
    base_url: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    scroll: str | None = None


def peek_config(paths: Paths, profile: str | None) -> ConfigPeek:
    """The theme, the keymap and the chosen profile's provider and URL, best effort.

    The full, validated read (``config.load_settings``) happens in ``prepare``; a file it refuses
    stops the start there with a clear message. Here anything odd just means "not known yet".
    """
    try:
        raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        raw = {}
    theme = raw.get("theme")
    keymap = _peek_keymap(raw.get("keymap"))
    scroll = raw.get("scroll") if isinstance(raw.get("scroll"), str) else None
    default = raw.get("default_profile")
    name = profile or (default if isinstance(default, str) else "default")
    profiles = raw.get("profiles")
    entry: Any
    if profiles is None:  # no [profiles] table: only the built-in "default" profile exists
        entry = {} if name == "default" else None
    else:
        entry = profiles.get(name) if isinstance(profiles, dict) else None
    if not isinstance(entry, dict):
        return ConfigPeek(theme=theme if isinstance(theme, str) else None, profile=name, keymap=keymap, scroll=scroll)
    provider = entry.get("provider", "nox")
    url = entry.get("base_url", DEFAULT_PRODUCTION_URL)
    return ConfigPeek(
        theme=theme if isinstance(theme, str) else None,
        profile=name,
        provider=provider if isinstance(provider, str) else "nox",
        base_url=url if isinstance(url, str) else None,
        keymap=keymap,
        scroll=scroll,
    )


def _peek_keymap(table: object) -> dict[str, str]:
    """The ``[keymap]`` entries whose value is at least a string (the settings model refuses the rest)."""
    if not isinstance(table, dict):
        return {}
    return {binding_id: keys for binding_id, keys in table.items() if isinstance(keys, str)}
