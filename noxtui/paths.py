"""Where noxtui keeps its files.

Paths come from platformdirs so the app behaves like a good citizen on every OS; ``NOXTUI_HOME``
moves all of them under one folder, which is what tests, CI and throw-away SSH boxes want. Kept
apart from ``config`` (pydantic) because the app needs the cache's path before its first frame.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "noxtui"
HOME_ENV = "NOXTUI_HOME"
DEFAULT_PRODUCTION_URL = "https://api.noxinfluencer.com/v1"
"""Where a profile points when the config file does not say (kept here, beside the other
locations, so the first frame can name its cache scope without loading the settings model)."""


@dataclass(frozen=True)
class Paths:
    """The four folders noxtui writes to."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    state_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def demo_db(self) -> Path:
        return self.data_dir / "demo-workspace.sqlite3"

    @property
    def cache_db(self) -> Path:
        return self.cache_dir / "threads.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "noxtui.log"

    @classmethod
    def default(cls) -> Paths:
        home = os.environ.get(HOME_ENV)
        if home:
            root = Path(home)
            return cls(root / "config", root / "data", root / "cache", root / "state")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME)),
            Path(platformdirs.user_data_dir(APP_NAME)),
            Path(platformdirs.user_cache_dir(APP_NAME)),
            Path(platformdirs.user_state_dir(APP_NAME)),
        )


def make_private_dir(directory: Path) -> Path:
    """Create ``directory`` and every missing parent owner-only (0700), whatever the umask.

    ``Path.mkdir(parents=True, mode=...)`` gives the mode to the last folder only and creates the
    parents with ``0o777 & ~umask``: under ``umask 000`` a fresh ``NOXTUI_HOME`` would be
    world-writable, and anyone could swap its config or read its drafts. So each missing level is
    made here and ``chmod``-ed (``mkdir``'s mode is filtered by the umask). Folders that already
    exist are left as they are: they may be the rep's own (``~/.config``, a chosen home).
    """
    missing: list[Path] = []
    level = directory
    while not level.exists():
        missing.append(level)
        if level.parent == level:
            break
        level = level.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # made meanwhile (another start): not ours to change
            continue
        os.chmod(folder, PRIVATE_DIR_MODE)
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory} exists and is not a folder")
    return directory


PRIVATE_DIR_MODE = 0o700

DEFAULT_THEME = "noxtui-dark"
"""The theme a new install starts with (read before the first frame, so it lives in this light module)."""
