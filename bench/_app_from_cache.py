"""Bench-only launcher: the real ``NoxTUI`` with a filled cache and a provider that never answers.

``python -m bench._app_from_cache CACHE`` is what the cold-start and SSH figures run in a pty; the
memory figure builds the same app in-process with ``build_app``. It is *not* ``noxtui --demo``
(which seeds and serves a sandbox): here the network is dead on purpose, so whatever the list shows
came from the cache.

Two paint paths, reported in the table's notes (``paint_mode``):

* ``app`` — ``NoxTUI`` opens its own cache (``use_cache``, the lead's wiring): the filled file is
  hard-linked to ``<home>/cache/threads.sqlite3`` and the app paints from it at start-up exactly as
  it will for a rep.
* ``set_rows`` — an app without cache support: the inbox screen is subclassed to hand the cached
  rows to ``ThreadList.set_rows`` right after it mounts, the call the app would make.
"""

from __future__ import annotations

import argparse
import inspect
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from noxtui.config import Paths, Settings
from noxtui.services.rows import ThreadRow

from bench._constants import NOW, SCOPE
from bench._silent import SilentProvider

if TYPE_CHECKING:
    from noxtui.tui.app import NoxTUI

LABEL = "bench"
BASE_URL = "http://127.0.0.1/v1"
"""With ``LABEL`` this gives ``CacheScope.of("nox", BASE_URL, LABEL) == SCOPE``: the app's own scope
for the silent provider is the one the bench caches are filled under."""


def paint_mode() -> str:
    """``app`` when ``NoxTUI`` opens the cache itself, else ``set_rows`` (see the module docstring)."""
    from noxtui.tui.app import NoxTUI

    return "app" if "use_cache" in inspect.signature(NoxTUI).parameters else "set_rows"


def paint_note() -> str:
    if paint_mode() == "app":
        return "painted by NoxTUI from its own cache at start-up (provider never answers)"
    return (
        "the app does not paint from the cache yet: cached rows are handed to ThreadList.set_rows in the "
        "inbox screen's on_mount (the call the app will make)"
    )


def _patch_inbox(load_rows: Callable[[], list[ThreadRow]]) -> None:
    """Make the app's inbox screen paint ``load_rows()`` as soon as it is mounted."""
    import noxtui.tui.app as app_module
    from noxtui.tui.screens.inbox import InboxScreen

    class CachePaintedInbox(InboxScreen):
        def on_mount(self) -> None:
            # Runs before InboxScreen.on_mount (Textual calls every handler up the MRO);
            # call_later puts the paint after it, once the widgets exist.
            self.call_later(self._paint_from_bench_cache)

        def _paint_from_bench_cache(self) -> None:
            self.thread_list.set_rows(load_rows())

    app_module.InboxScreen = CachePaintedInbox  # type: ignore[misc]


def _link_or_copy(source: Path, target: Path) -> None:
    """The filled cache at the app's cache path: a hard link (instant, no space), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


@dataclass
class BenchApp:
    """The app, and what to release after it exits."""

    app: NoxTUI
    mode: str
    _cleanup: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for step in reversed(self._cleanup):
            step()
        self._cleanup.clear()


def build_app(cache_path: Path, *, home: Path | None = None) -> BenchApp:
    """The real app over a silent provider, painting ``SCOPE``'s cached rows at start-up."""
    from noxtui.tui.app import NoxTUI

    root = home or Path(tempfile.mkdtemp(prefix="noxtui-bench-home-"))
    paths = Paths(root / "config", root / "data", root / "cache", root / "state")
    provider = SilentProvider(base_url=BASE_URL)
    common = dict(settings=Settings(), paths=paths, clock=lambda: NOW, label=LABEL, persist_settings=False)
    mode = paint_mode()
    cleanup: list[Callable[[], None]] = []
    if home is None:
        cleanup.append(lambda: shutil.rmtree(root, ignore_errors=True))
    if mode == "app":
        _link_or_copy(cache_path, paths.cache_dir / "threads.sqlite3")
        app = NoxTUI(provider=provider, **common)  # type: ignore[arg-type]
    else:
        from noxtui.cache import ThreadCache

        cache = ThreadCache(cache_path)
        cleanup.append(cache.close)
        _patch_inbox(lambda: cache.rows(SCOPE))
        app = NoxTUI(provider=provider, **common)  # type: ignore[arg-type]
    return BenchApp(app, mode, cleanup)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cache", type=Path, help="a ThreadCache file filled by bench._data")
    args = parser.parse_args(argv)
    bench = build_app(args.cache)
    try:
        bench.app.run()
    finally:
        bench.close()


if __name__ == "__main__":
    main()
