"""The house stays in shape: small modules, and the package list that ships them.

Layers and cycles are import-linter's job (contracts in pyproject.toml, run by .ci/run); what it
cannot see is size, so that one is checked here.
"""

from __future__ import annotations

from pathlib import Path

import noxtui

PACKAGE = Path(noxtui.__file__).parent
MAX_LINES = 400
"""The brief's "no module over ~400 lines": a module that grows past it has more than one job."""


def test_no_module_of_noxtui_is_over_the_size_limit() -> None:
    oversized = {
        str(path.relative_to(PACKAGE)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert oversized == {}, f"split these modules (lines > {MAX_LINES}): {oversized}"


def test_the_inbox_screen_rooms_are_small() -> None:
    """The issue that split the inbox asked for rooms under ~300 lines: the screen is where code piles up."""
    rooms = PACKAGE / "tui" / "screens" / "inbox"
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in rooms.glob("*.py")}
    assert sizes, "the inbox screen is a package of small modules"
    assert all(count <= 300 for count in sizes.values()), sizes


def test_the_app_module_is_small() -> None:
    lines = len((PACKAGE / "tui" / "app.py").read_text(encoding="utf-8").splitlines())
    assert lines <= 250, f"tui/app.py has {lines} lines: wiring goes to bootstrap.py, the palette to commands.py"
