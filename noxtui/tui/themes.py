"""Load the themes shipped in ``themes/`` (packaged as ``noxtui/themes``) into Textual ``Theme``s.

Themes are data, not code: a TOML file per theme, so a designer can add one without touching Python.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from textual.theme import Theme

_FIELDS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel", "warning", "error", "success")


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
