"""The early frame's colours: Textual's own, for the configured theme, in the terminal's colours.

The table (``palettes.py``) holds, per noxtui theme, the colours Textual paints each kind of cell
of the start-up screen in, read from Textual itself (``noxtui.tools.early_palettes``), and Rich's
256- and 16-colour choice for each. Which of those is decided as Textual's console decides it:
``COLORTERM``, then ``TERM``; ``NO_COLOR`` makes Textual paint every colour as its grey, and so
does the early frame. A theme that is not in the table (a Textual built-in) means no early frame.
"""

from __future__ import annotations

from collections.abc import Mapping

from noxtui.prepaint.palettes import DOWNGRADES, PALETTES

DEFAULT_THEME = "noxtui-dark"

ROLES = tuple(next(iter(PALETTES.values())))
"""Every kind of cell the start-up screen paints (header, bar_line, cursor, row, thumb, …)."""

Look = Mapping[str, str]
"""Role → the SGR sequence that paints it (reset first, so each cell's style is complete)."""

RESET = "\x1b[0m"


def colour_system(env: Mapping[str, str]) -> str:
    """``truecolor``, ``256`` or ``standard`` (16 colours), as Textual's console (Rich) decides it."""
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced in ("truecolor", "256", "standard"):
        return forced
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    suffix = env.get("TERM", "").strip().lower().rpartition("-")[2]
    return "256" if suffix in ("256color", "kitty") else "standard"


def grey(value: str) -> str:
    """Textual's monochrome version of a colour (what it paints under ``NO_COLOR``)."""
    r, g, b = (int(value[index : index + 2], 16) for index in (1, 3, 5))
    level = round(r * 0.2126 + g * 0.7152 + b * 0.0722)
    return f"#{level:02x}{level:02x}{level:02x}"


def _colour(value: str, system: str, background: bool) -> str:
    if system == "truecolor":
        r, g, b = (int(value[index : index + 2], 16) for index in (1, 3, 5))
        return f"{48 if background else 38};2;{r};{g};{b}"
    eight, standard = DOWNGRADES[value]
    if system == "256":
        return f"{48 if background else 38};5;{eight}"
    base = (40 if background else 30) if standard < 8 else (100 if background else 90)
    return str(base + standard % 8)


def make_look(theme: str | None, system: str, *, no_color: bool = False) -> Look | None:
    """The SGR of every role for ``theme`` in ``system``'s colours; ``None``: not a noxtui theme."""
    palette = PALETTES.get(theme or DEFAULT_THEME)
    if palette is None:
        return None
    look: dict[str, str] = {}
    # The thumb's ends: a partly filled cell, drawn by Textual as a track-coloured glyph on the thumb.
    roles = {**palette, "thumb_end": (palette["track"][1], palette["thumb"][0], "")}
    for role, (fg, bg, attrs) in roles.items():
        codes = ["0", *([attrs] if attrs else [])]
        for value, background in ((fg, False), (bg, True)):
            if value:
                codes.append(_colour(grey(value) if no_color else value, system, background))
        look[role] = "\x1b[" + ";".join(codes) + "m"
    return look
