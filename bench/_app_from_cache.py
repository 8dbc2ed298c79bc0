"""Bench-only launcher: the real ``NoxTUI`` with a filled cache and a provider that never answers.

``python -m bench._app_from_cache CACHE`` is what the cold-start and SSH figures run in a pty; the
memory figure builds the same app in-process with ``build_app``. It is *not* ``noxtui --demo``
(which seeds and serves a sandbox): here the network is dead on purpose, so whatever the list shows
came from the cache.

It starts the app the way ``noxtui.launch`` does (a ``Startup`` and ``open_app``): the filled file is
hard-linked to ``<home>/cache/threads.sqlite3``, the early frame is painted from it before Textual
is imported (when on a terminal), then Textual's start-up screen takes over, and the slow half
(``_prepare``: pydantic settings, the provider) runs in the app's start-up thread — so this module
imports nothing the real command line would not have imported by then.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench._constants import NOW
from noxtui.launch import open_app
from noxtui.paths import Paths
from noxtui.startup import Prepared, Startup, pause_gc

if TYPE_CHECKING:
    from noxtui.tui.app import NoxTUI

LABEL = "bench"
BASE_URL = "http://127.0.0.1/v1"
"""With ``LABEL`` this gives ``CacheScope.of("nox", BASE_URL, LABEL) == SCOPE``: the app's own scope
for the silent provider is the one the bench caches are filled under."""


def paint_mode() -> str:
    return "startup"


def paint_note() -> str:
    return (
        "NoxTUI started as the command line starts it: a frame painted from its own cache before Textual "
        "is imported, then Textual's start-up screen, then the inbox (provider never answers)"
    )


def _link_or_copy(source: Path, target: Path) -> None:
    """The filled cache at the app's cache path: a hard link (instant, no space), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _prepare() -> Prepared:
    """The slow half, as ``launch._prepare`` does it: settings model and provider."""
    from bench._silent import SilentProvider
    from noxtui.storage.settings import Settings

    return Prepared(settings=Settings(), provider=SilentProvider(base_url=BASE_URL), base_url=BASE_URL, label=LABEL)


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
    root = home or Path(tempfile.mkdtemp(prefix="noxtui-bench-home-"))
    paths = Paths(root / "config", root / "data", root / "cache", root / "state")
    cleanup: list[Callable[[], None]] = []
    if home is None:
        cleanup.append(lambda: shutil.rmtree(root, ignore_errors=True))
    _link_or_copy(cache_path, paths.cache_db)
    startup = Startup(paths, LABEL, _prepare, provider_name="nox", base_url=BASE_URL)
    # As the command line opens it: the early frame first when on a terminal, then Textual.
    app = open_app(startup, now=lambda: NOW, persist_settings=False)
    return BenchApp(app, paint_mode(), cleanup)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("cache", type=Path, help="a ThreadCache file filled by bench._data")
    args = parser.parse_args(argv)
    pause_gc()  # as the command line does (cli._run_tui)
    bench = build_app(args.cache)
    try:
        bench.app.run()
    finally:
        bench.close()


if __name__ == "__main__":
    main()
