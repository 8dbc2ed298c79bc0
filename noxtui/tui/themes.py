"""Load the themes shipped in ``themes/`` (packaged as ``noxtui/themes``) into Textual ``Theme``s.

Themes are data, not code: a TOML file per theme, so a designer can add one without touching Python.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

_FIELDS = (
    "primary", "secondary", "accent", "foreground", "background", "surface", "panel", "warning", "error", "success",
)


def _theme_dirs() -> list[Path]:
    """The packaged themes, and the repository's ``themes/`` when running from a checkout."""
    found: list[Path] = []
    try:
        packaged = Path(str(resources.files("noxtui") / "themes"))
        if packaged.is_dir():
            found.append(packaged)
    except (ModuleNotFoundError, TypeError):
        pass
    checkout = Path(__file__).resolve().parents[2] / "themes"
    if checkout.is_dir() and checkout not in found:
        found.append(checkout)
    return found


def load_themes() -> list[Theme]:
    themes: dict[str, Theme] = {}
    for folder in _theme_dirs():
        for file in sorted(folder.glob("*.toml")):
            data = tomllib.loads(file.read_text(encoding="utf-8"))
            name = data["name"]
            if name in themes:
                continue
            colours = {key: data[key] for key in _FIELDS if key in data}
            themes[name] = Theme(name=name, dark=bool(data.get("dark", True)), **colours)
    return list(themes.values())


def register_themes(app: App[Any]) -> list[str]:
    """Register every shipped theme on ``app``; their names, in the order ``t`` cycles through."""
    names: list[str] = []
    for theme in load_themes():
        app.register_theme(theme)
        names.append(theme.name)
    return names


def pick_theme(names: list[str], wanted: str | None) -> str:
    """``wanted`` if it is one of ours, else the first of ours (a config may name a removed theme)."""
    if wanted is not None and wanted in names:
        return wanted
    return names[0] if names else "textual-dark"


def next_theme(names: list[str], current: str) -> str:
    """The theme after ``current`` in the cycle (the first one when ``current`` is not ours)."""
    names = names or [current]
    position = names.index(current) if current in names else -1
    return names[(position + 1) % len(names)]
