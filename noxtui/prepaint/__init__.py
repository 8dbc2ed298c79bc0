"""A first frame before Textual is imported: the cached inbox on screen in the time Python starts.

``import textual.app`` alone takes longer than a terminal mail reader's whole start. So the command
line paints the start-up screen's layout itself first, with the standard library only (termios,
``os.write`` of ANSI, ``sqlite3`` through ``storage.cache.quick_filter``, the config peeked with
``tomllib``), and answers the first keys from the cache while Textual loads in the main thread.
Textual then takes over the same alternate screen without clearing it (``noxtui.tui.handover``)
and its start-up screen opens where the rep got to (``startup.EarlyState``).

Nothing here may import Textual, pydantic or httpx (``tests/prepaint`` checks it in a fresh
interpreter). Anything odd (no terminal, a tiny one, ``TERM=dumb``, no cached rows, a theme that is
not one of noxtui's files, the demo) means no early frame: the start goes on as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from noxtui.domain.scrolling import pages
from noxtui.prepaint.keys import early_actions, footer_items
from noxtui.prepaint.look import colour_system, make_look
from noxtui.prepaint.session import EarlySession
from noxtui.startup import Startup
from noxtui.storage.cache.quick_filter import QuickFilter, QuickReader
from noxtui.storage.cache.scope import CacheScope

__all__ = ["EarlySession", "begin"]

MIN_SIZE = (40, 10)
"""Below this the early frame is not drawn (Textual lays out a tiny terminal its own way)."""

FIRST_PAGE_ROWS = 200
"""As ``boot.FIRST_PAGE_ROWS``: the rows the start-up screen holds."""

OFF_SWITCH = "NOXTUI_EARLY_FRAME"
"""``0`` turns the early frame off (a terminal that misbehaves with it)."""


def wanted(fd_in: int = 0, fd_out: int = 2) -> bool:
    """Whether this is a terminal the early frame can be drawn on (``fd_out``: stderr, where Textual
    writes its frames too)."""
    if os.name != "posix" or os.environ.get(OFF_SWITCH) == "0" or os.environ.get("TEXTUAL_DRIVER"):
        return False
    if os.environ.get("TERM", "dumb") in ("", "dumb") or not (os.isatty(fd_in) and os.isatty(fd_out)):
        return False
    try:
        size = os.get_terminal_size(fd_out)
    except OSError:
        return False
    return size.columns >= MIN_SIZE[0] and size.lines >= MIN_SIZE[1]


def begin(
    startup: Startup,
    *,
    demo: bool = False,
    now: Callable[[], datetime] | None = None,
    fd_in: int = 0,
    fd_out: int = 2,
) -> EarlySession | None:
    """Paint the early frame and start taking its keys; ``None`` (nothing written) when it is not
    for this start. Call ``finish`` once Textual is imported, ``abandon`` if it never will be."""
    if demo or not (startup.provider_name and startup.base_url) or not wanted(fd_in, fd_out):
        return None
    look = make_look(startup.theme, colour_system(os.environ), no_color="NO_COLOR" in os.environ)
    if look is None:
        return None
    reader = QuickReader.open(
        startup.paths.cache_db, CacheScope.of(startup.provider_name, startup.base_url, startup.label)
    )
    if reader is None:
        return None
    page = reader.page(QuickFilter(), FIRST_PAGE_ROWS)
    if page is None or not page.rows:
        reader.close()
        return None
    session = EarlySession(
        fd_in, fd_out, reader, page,
        title=f"noxtui — {startup.label}" if startup.label else "noxtui",
        look=look,
        actions=early_actions(startup.keymap),
        footer=footer_items(startup.keymap),
        now=now or (lambda: datetime.now().astimezone()),
        limit=FIRST_PAGE_ROWS,
        paging=pages(startup.scroll, os.environ),
    )  # fmt: skip
    try:
        session.start()
    except OSError:
        session.abandon()
        return None
    return session
