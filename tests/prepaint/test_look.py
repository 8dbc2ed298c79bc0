"""What the early frame decides without a terminal: colours, keys, when not to draw at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from noxtui.paths import Paths
from noxtui.prepaint import begin
from noxtui.prepaint.keys import early_actions, footer_items
from noxtui.prepaint.look import colour_system, make_look
from noxtui.startup import Startup


@pytest.mark.parametrize(
    ("env", "system"),
    [
        ({"COLORTERM": "truecolor", "TERM": "xterm"}, "truecolor"),
        ({"TERM": "xterm-256color"}, "256"),
        ({"TERM": "xterm-kitty"}, "256"),
        ({"TERM": "xterm"}, "standard"),
        ({"TERM": "screen"}, "standard"),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, "standard"),
    ],
)
def test_the_colours_are_chosen_as_textuals_console_chooses_them(env: dict[str, str], system: str) -> None:
    assert colour_system(env) == system


def test_no_color_paints_greys_and_an_unknown_theme_gets_no_early_frame() -> None:
    grey = make_look("noxtui-dark", "truecolor", no_color=True)
    assert grey is not None
    levels = [code.split(";")[-3:] for code in grey["label"].rstrip("m").split(";38;2;")[1:]]
    assert all(len(set(level)) == 1 for level in levels)  # r == g == b
    assert make_look("textual-dark", "truecolor") is None
    sixteen = make_look("noxtui-light", "standard")
    assert sixteen is not None and "38;2" not in sixteen["cursor"] and "38;5" not in sixteen["cursor"]


def test_the_keymap_moves_the_early_keys_and_the_footer() -> None:
    remapped = early_actions({"inbox.cycle-needs-reply": "N", "list.cursor-down": "ctrl+n,down"})
    assert remapped[b"N"] == "needs_reply" and b"n" not in remapped
    assert remapped[b"\x0e"] == "down" and b"j" not in remapped
    assert ("N", "Needs reply") in footer_items({"inbox.cycle-needs-reply": "N"})


def test_the_demo_or_no_terminal_means_no_early_frame_and_nothing_written(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "s")
    startup = Startup(paths, "demo", lambda: None, provider_name="nox", base_url="http://x")  # type: ignore[arg-type,return-value]
    assert begin(startup, demo=True) is None
    assert begin(startup) is None  # pytest's stdin is not a terminal
