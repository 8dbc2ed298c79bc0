"""``ctrl+l`` repaints the whole screen (mutt's redraw), can be moved like any key, and is listed.

The repaint itself is checked in a real terminal by ``test_terminal_tmux.py`` (every comparison
there is against ctrl+l's full repaint); here: the binding, its id and help, and when the output
layer erases blanks."""

from __future__ import annotations

from textual.binding import Binding

from noxtui.tui.app import NoxTUI
from noxtui.tui.keymap import check_keymap, declared_bindings, loaded_binding_ids, remapped
from noxtui.tui.terminal.output import erase_paints_background


def redraw_binding() -> Binding:
    return next(binding for binding in declared_bindings(NoxTUI) if binding.id == "app.redraw")


def test_ctrl_l_redraws_everywhere_and_help_lists_it_with_its_id() -> None:
    binding = redraw_binding()
    assert (binding.key, binding.action, binding.description) == ("ctrl+l", "redraw", "Redraw")
    assert "app.redraw" in loaded_binding_ids()


def test_the_keymap_can_move_redraw_to_another_key() -> None:
    check = check_keymap({"app.redraw": "ctrl+r"}, known_ids=loaded_binding_ids())
    assert check.problems == []
    assert remapped(redraw_binding(), check.keymap).key == "ctrl+r"


def test_blanks_are_erased_except_under_gnu_screen_or_when_told_not_to() -> None:
    assert erase_paints_background({"TERM": "xterm-256color"})
    assert erase_paints_background({"TERM": "screen-256color", "TMUX": "/tmp/tmux-0/default,1,0"})
    assert not erase_paints_background({"TERM": "screen"})
    assert not erase_paints_background({"TERM": "xterm-256color", "NOXTUI_ERASE_BACKGROUND": "0"})
    assert erase_paints_background({"TERM": "screen", "NOXTUI_ERASE_BACKGROUND": "1"})
