"""How the thread list follows its cursor: a line at a time, or a page at a time over SSH.

Over SSH every byte crosses the network. A list that scrolls a line moves every row on screen, and
a terminal's scroll region (``DECSTBM``) moves whole lines, so with the reading pane beside the
list each ``j`` past the edge rewrote the pane's rows too (~0.8 KB at 120×40, several KB with a
thread open; bench figure 7). A list that pages, as mutt does by default, only moves the cursor
until it leaves the screen, then shows the next screenful. ``scroll = "auto"`` (the default)
pages in an SSH session and scrolls by line elsewhere; ``"line"`` and ``"page"`` choose.

Standard library only: the early frame (``noxtui.prepaint``) follows the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping

SCROLL_SETTINGS = ("auto", "line", "page")

SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
"""What OpenSSH's server sets in a session it opens (and tmux or screen started in it inherit)."""


def over_ssh(environ: Mapping[str, str]) -> bool:
    """Whether this process runs in an SSH session."""
    return any(environ.get(name) for name in SSH_VARIABLES)


def pages(setting: str | None, environ: Mapping[str, str]) -> bool:
    """Whether the list pages: ``"page"``, or ``"auto"`` (and anything unknown) in an SSH session."""
    if setting == "page":
        return True
    if setting == "line":
        return False
    return over_ssh(environ)


def top_for(cursor: int, top: int, height: int, *, paging: bool) -> int:
    """The first line to show so that ``cursor`` is on screen, moving as little as the mode allows.

    By line: the list moves just enough. By page: it moves by whole screenfuls from where it is,
    so a cursor one past the bottom shows the next page with the cursor on its first line."""
    if height <= 0 or top <= cursor < top + height:
        return top
    if not paging:
        return cursor if cursor < top else cursor - height + 1
    return max(0, top + ((cursor - top) // height) * height)


def scroll_sentence(setting: str, environ: Mapping[str, str]) -> str:
    """What ``noxtui doctor`` says about scrolling: the mode in use, why, and how to change it."""
    ssh = over_ssh(environ)
    if setting == "page":
        return 'The list scrolls a page at a time (scroll = "page" in your settings).'
    if setting == "line":
        tail = ", even in this SSH session, where each j past the screen's edge sends the rows again" if ssh else ""
        return f'The list scrolls a line at a time (scroll = "line" in your settings){tail}.'
    if ssh:
        return (
            'This is an SSH session, so the list scrolls a page at a time (scroll = "auto"): far fewer '
            'bytes per key. Set scroll = "line" in your settings to scroll a line at a time.'
        )
    return (
        'The list scrolls a line at a time (scroll = "auto" and this is not an SSH session); '
        "over SSH it scrolls a page at a time, to send fewer bytes."
    )
