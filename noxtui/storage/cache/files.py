"""Private files for the cache: the directory 0700, the database (and its WAL/SHM) 0600.

The cache holds creators' names, e-mail addresses and whole conversations, so it must not be
readable by other users of a shared SSH box. SQLite creates the database with the process umask
(usually 0644) and gives ``-wal``/``-shm`` the database's mode, so the file is created here first,
with ``os.open(..., 0o600)``, before SQLite ever opens it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from noxtui.paths import make_private_dir

DIR_MODE = 0o700
FILE_MODE = 0o600
SIDECARS = ("-wal", "-shm", "-journal")


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) owner-only; an existing one is left as it is.

    Only a directory this call creates is forced to 0700: the cache may live under a folder the
    user chose (or ``/tmp`` in a test), and changing the mode of someone's existing folder would be
    a surprise. ``mkdir``'s mode is filtered by the umask, hence the explicit ``chmod``.
    """
    make_private_dir(directory)  # every missing level 0700, parents included


def ensure_private_file(path: Path) -> None:
    """Create ``path`` with mode 0600 if missing; tighten it (and any sidecars) if it exists."""
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    os.close(fd)
    tighten(path)


def tighten(path: Path) -> None:
    """Force 0600 on the database and the SQLite sidecar files that exist right now."""
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SIDECARS)):
        try:
            if stat.S_IMODE(candidate.stat().st_mode) != FILE_MODE:
                os.chmod(candidate, FILE_MODE)
        except FileNotFoundError:
            continue


def remove_database(path: Path) -> None:
    """Delete the database and its sidecars (a cache is disposable: rebuilt by the next sync)."""
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SIDECARS)):
        try:
            candidate.unlink()
        except FileNotFoundError:
            continue
