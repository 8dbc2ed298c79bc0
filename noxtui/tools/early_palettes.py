"""Write ``noxtui/prepaint/palettes.py``: the start-up screen's colours, as Textual paints them.

The frame painted before Textual (``noxtui.prepaint``) must show the cells Textual's first frame
paints a moment later, in the same colours, or the hand-over shows as a flicker of colour. Those
colours come out of Textual's design system (blends, contrast-chosen text, tints) and cannot be
worked out without Textual, which is the point of the early frame. So they are read here, once,
from the real start-up screen rendered by Textual for every noxtui theme, and written out as a
plain table; the colours for 256- and 16-colour terminals are Rich's own downgrades, and the grey
of each (what Textual shows under ``NO_COLOR``) is there too. ``tests/prepaint`` renders the
screen again and fails if the table is out of date: run ``python -m noxtui.tools.early_palettes``.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style

from noxtui.domain.rows import ThreadRow
from noxtui.paths import Paths
from noxtui.startup import EarlyState, LaunchError, Prepared, Startup
from noxtui.storage.cache.quick_filter import QuickFilter, QuickReader

TARGET = Path(__file__).resolve().parents[1] / "prepaint" / "palettes.py"

Spec = tuple[str, str, str]
"""Foreground hex (``""``: none), background hex, SGR attributes (``"1"``, ``"7"``, ``"1;7"``)."""


def spec(style: Style | None) -> Spec:
    style = style or Style()
    attrs = ";".join(code for code, on in (("1", style.bold), ("7", style.reverse)) if on)
    fg = style.color.get_truecolor().hex if style.color is not None else ""
    bg = style.bgcolor.get_truecolor().hex if style.bgcolor is not None else ""
    return fg, bg, attrs


def _find(line: list[Segment], test: Callable[[str], bool]) -> Style | None:
    for segment in line:
        if test(segment.text):
            return segment.style
    raise LookupError("the start-up screen no longer has that cell")


def _before_border(line: list[Segment]) -> Style | None:
    """The scrollbar's cell: the one just before the list's right border."""
    border = next(index for index, segment in enumerate(line) if segment.text == "│")
    return line[border - 1].style


def sample_rows(count: int = 200) -> list[ThreadRow]:
    """Rows that show every kind of cell: the second one needs a reply and has a label and status."""
    rows = [
        ThreadRow(f"t{n}", f"Creator {n}", "YT", "A plain snippet", False, False, "", "", "", 0.0, False, False, "", "")
        for n in range(count)
    ]
    rows[1] = ThreadRow(
        "t1", "Waiting", "TT", "Snippet", True, True, "Hot", "Interested", "i", 0.0, False, False, "", ""
    )
    return rows


def roles(lines: list[list[Segment]]) -> dict[str, Spec]:
    """The styles of each kind of cell, read off the rendered start-up screen of ``sample_rows``."""
    header, bar, cursor_row, row, far_row, footer = lines[0], lines[1], lines[2], lines[3], lines[30], lines[-1]
    found: dict[str, Style | None] = {
        "header": header[0].style,
        "header_title": _find(header, lambda text: "noxtui" in text),
        "header_sub": _find(header, lambda text: "—" in text),
        "bar": bar[0].style,
        "bar_line": _find(bar, lambda text: "▼" in text),
        "bar_count": _find(bar, lambda text: "loading" in text),
        "cursor": cursor_row[0].style,
        "marker": _find(row, lambda text: "●" in text),
        "row": _find(row, lambda text: "Snippet" in text),  # platform and snippet: one plain segment
        "strong": _find(row, lambda text: "Waiting" in text),
        "label": _find(row, lambda text: "[Hot" in text),
        "status": _find(row, lambda text: "Interes" in text),
        "thumb": _before_border(row),
        "track": _before_border(far_row),
        "border": _find(row, lambda text: text == "│"),
        "pane": cursor_row[-1].style,
        "pane_text": _find(cursor_row, lambda text: "Loading" in text),
        "footer": footer[-1].style,
        "footer_key": _find(footer, lambda text: text.strip() == "⏎"),
        "footer_desc": _find(footer, lambda text: text.startswith("Open")),
        "footer_sep": _find(footer, lambda text: text == "▏"),
    }
    return {name: spec(style) for name, style in found.items()}


def _held_at_start() -> type[Any]:
    from textual.events import Mount

    from noxtui.tui.app import NoxTUI

    class HeldAtStart(NoxTUI):
        """The app kept on its start-up screen: the inbox (and every module it needs) never loads."""

        def on_mount(self, event: Mount) -> None:  # type: ignore[override]  # Textual passes the event
            event.prevent_default()  # NoxTUI.on_mount would start loading the inbox

    return HeldAtStart


def render_start_up_screen(
    theme: str, rows: list[ThreadRow], size: tuple[int, int] = (120, 40), reader: QuickReader | None = None
) -> list[list[Segment]]:
    """The start-up screen's lines as Textual composes them (before output filters); with a
    ``reader`` its filter keys are live (and in the footer)."""

    def prepare() -> Prepared:
        raise LaunchError("never called: the inbox is not loaded")

    root = Path(tempfile.mkdtemp(prefix="noxtui-palettes-"))
    paths = Paths(root / "config", root / "data", root / "cache", root / "state")
    early = EarlyState(QuickFilter(), rows, len(rows), 0, 0, reader=reader)
    startup = Startup(paths, "label", prepare, theme=theme, early=early)
    app = _held_at_start()(
        startup=startup, clock=lambda: datetime(2026, 11, 29, tzinfo=timezone.utc), persist_settings=False
    )
    lines: list[list[Segment]] = []

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            for _ in range(200):  # until the footer has listed its keys (it fills in after mount)
                await pilot.pause(0.05)
                strips = app.screen._compositor.render_strips()  # a tool reading Textual's own output
                if "Open" in "".join(segment.text for segment in strips[-1]):
                    break
            lines.extend(list(strip) for strip in strips)

    asyncio.run(run())
    return lines


def downgrades(hexes: set[str]) -> dict[str, tuple[int, int]]:
    """Rich's 256- and 16-colour choice for each colour."""
    table: dict[str, tuple[int, int]] = {}
    for value in sorted(hexes):
        colour = RichColor.parse(value)
        eight = colour.downgrade(ColorSystem.EIGHT_BIT).number
        standard = colour.downgrade(ColorSystem.STANDARD).number
        table[value] = (eight or 0, standard or 0)
    return table


def grey(value: str) -> str:
    """Textual's monochrome (``NO_COLOR``) version of a colour."""
    r, g, b = (int(value[index : index + 2], 16) for index in (1, 3, 5))
    level = round(r * 0.2126 + g * 0.7152 + b * 0.0722)
    return f"#{level:02x}{level:02x}{level:02x}"


def build() -> dict[str, Any]:
    from noxtui.tui.themes import load_themes

    rows = sample_rows()
    palettes = {theme.name: roles(render_start_up_screen(theme.name, rows)) for theme in load_themes()}
    colours = {value for table in palettes.values() for fg, bg, _ in table.values() for value in (fg, bg) if value}
    colours |= {grey(value) for value in colours}
    return {"palettes": palettes, "downgrades": downgrades(colours)}


def source(data: dict[str, Any]) -> str:
    lines = [
        '"""Generated by ``python -m noxtui.tools.early_palettes``: do not edit (see that module)."""',
        "",
        "PALETTES: dict[str, dict[str, tuple[str, str, str]]] = {",
    ]
    for name, table in sorted(data["palettes"].items()):
        lines.append(f"    {name!r}: {{")
        lines += [f"        {role!r}: {value!r}," for role, value in table.items()]
        lines.append("    },")
    lines += ["}", "", "DOWNGRADES: dict[str, tuple[int, int]] = {"]
    lines += [f"    {value!r}: {numbers!r}," for value, numbers in sorted(data["downgrades"].items())]
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    TARGET.write_text(source(build()), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
