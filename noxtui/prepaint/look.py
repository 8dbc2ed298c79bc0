"""The early frame's colours: the configured noxtui theme, in the colours the terminal can show.

Textual derives its colours from the theme (``themes/*.toml``); the few the start-up screen uses
are worked out here the same way, closely enough that Textual's first frame repaints the same
cells in the same colours. Which escape codes is decided as Rich decides it (``NO_COLOR``,
``COLORTERM``, ``TERM``), so a 16-colour terminal or ``NO_COLOR`` gets the same kind of frame
Textual draws there. A theme that is not one of noxtui's own files is unknown here: no early frame.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_THEME = "noxtui-dark"

RGB = tuple[int, int, int]


def _hex(text: object) -> RGB | None:
    if not isinstance(text, str) or len(text) != 7 or not text.startswith("#"):
        return None
    try:
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
    except ValueError:
        return None


def _blend(top: RGB, under: RGB, alpha: float) -> RGB:
    return tuple(round(a * alpha + b * (1 - alpha)) for a, b in zip(top, under, strict=True))  # type: ignore[return-value]


def colour_system(env: os._Environ[str] | dict[str, str]) -> str:
    """``none``, ``standard`` (16 colours), ``256`` or ``truecolor``, read as Rich reads it."""
    if "NO_COLOR" in env:
        return "none"
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    term = env.get("TERM", "").strip().lower()
    if term.endswith(("256color", "256")):
        return "256"
    return "standard"


def _theme_files() -> list[Path]:
    """The packaged themes, and the checkout's ``themes/`` (as ``noxtui.tui.themes`` finds them)."""
    package = Path(__file__).resolve().parents[1]
    return [folder for folder in (package / "themes", package.parent / "themes") if folder.is_dir()]


def read_theme(name: str | None) -> dict[str, RGB] | None:
    """The colours of noxtui's theme ``name`` (default: noxtui-dark), or ``None`` if it is not one."""
    wanted = name or DEFAULT_THEME
    for folder in _theme_files():
        for file in sorted(folder.glob("*.toml")):
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if data.get("name") == wanted:
                colours = {key: _hex(value) for key, value in data.items()}
                return {key: value for key, value in colours.items() if value is not None}
    return None


@dataclass(frozen=True)
class Look:
    """One SGR prefix per kind of cell the start-up screen paints (``""``: the terminal's default)."""

    bar: str
    bar_bold: str
    bar_muted: str
    key: str
    row: str
    strong: str
    muted: str
    label: str
    status: str
    marker: str
    cursor: str
    border: str
    pane: str
    pane_muted: str
    reset: str = "\x1b[0m"


def make_look(theme: dict[str, RGB], system: str) -> Look:
    """The frame's styles in ``system``'s colours (``none``: bold and reverse only, as NO_COLOR is)."""
    if system in ("none", "standard"):
        bold, rev = "\x1b[0;1m", "\x1b[0;1;7m"
        plain = "\x1b[0m"
        tint = (lambda code: f"\x1b[0;{code}m") if system == "standard" else (lambda code: plain)
        return Look(
            bar=rev, bar_bold=rev, bar_muted=rev, key=rev, row=plain, strong=bold, muted=plain,
            label=tint("33"), status=tint("35"), marker=tint("1;33"), cursor=rev, border=plain,
            pane=plain, pane_muted=plain,
        )  # fmt: skip
    background = theme.get("background", (20, 23, 28))
    foreground = theme.get("foreground", (230, 230, 230))
    surface = theme.get("surface", background)
    panel = theme.get("panel", surface)
    primary = theme.get("primary", foreground)

    def sgr(fg: RGB, bg: RGB, *styles: str) -> str:
        return "\x1b[" + ";".join(("0", *styles, _colour(38, fg, system), _colour(48, bg, system))) + "m"

    muted_on = _blend(foreground, surface, 0.6)
    return Look(
        bar=sgr(foreground, panel),
        bar_bold=sgr(foreground, panel, "1"),
        bar_muted=sgr(_blend(foreground, panel, 0.6), panel),
        key=sgr(theme.get("accent", foreground), panel, "1"),
        row=sgr(foreground, surface),
        strong=sgr(foreground, surface, "1"),
        muted=sgr(muted_on, surface),
        label=sgr(theme.get("accent", foreground), surface),
        status=sgr(theme.get("secondary", foreground), surface),
        marker=sgr(theme.get("warning", foreground), surface, "1"),
        cursor=sgr(foreground, primary, "1"),
        border=sgr(_blend(primary, surface, 0.5), surface),
        pane=sgr(foreground, background),
        pane_muted=sgr(_blend(foreground, background, 0.6), background),
    )


def _colour(base: int, rgb: RGB, system: str) -> str:
    if system == "truecolor":
        return f"{base};2;{rgb[0]};{rgb[1]};{rgb[2]}"
    return f"{base};5;{_to_256(rgb)}"


def _to_256(rgb: RGB) -> int:
    """The nearest of the 6×6×6 cube and the grey ramp (xterm's 256 colours)."""
    steps = (0, 95, 135, 175, 215, 255)

    def level(value: int) -> int:
        return min(range(6), key=lambda index: abs(steps[index] - value))

    r, g, b = (level(value) for value in rgb)
    cube = (steps[r], steps[g], steps[b])
    grey_index = min(23, max(0, round((sum(rgb) / 3 - 8) / 10)))
    grey = 8 + grey_index * 10

    def distance(other: tuple[int, int, int]) -> int:
        return sum((a - b) ** 2 for a, b in zip(rgb, other, strict=True))

    if distance((grey, grey, grey)) < distance(cube):
        return 232 + grey_index
    return 16 + 36 * r + 6 * g + b
