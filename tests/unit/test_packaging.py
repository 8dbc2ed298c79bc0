"""The package list in pyproject.toml is written by hand (to ship themes/); keep it complete."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_subpackage_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "noxtui").rglob("__init__.py")
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools].packages"
    assert "noxtui.themes" in listed


def test_three_themes_ship() -> None:
    from noxtui.tui.themes import load_themes

    names = {theme.name for theme in load_themes()}
    assert {"noxtui-dark", "noxtui-light", "noxtui-contrast"} <= names
