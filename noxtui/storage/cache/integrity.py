"""The cache's health for ``noxtui doctor``: SQLite's integrity check and the file's privacy.

``quick_check`` reads the whole file (~0.2 s for 100,000 threads when it is in the OS cache,
seconds when not), so it runs only when asked: from ``doctor``, or ``open_or_rebuild(check=True)``.
"""

from __future__ import annotations

import sqlite3

from noxtui.storage.cache.connection import CacheConnection


def check(db: CacheConnection) -> tuple[bool, str]:
    """``(ok, message)``: damaged or unreadable, readable by other users, or how many threads it holds."""
    try:
        with db.lock:
            result = [found[0] for found in db.conn.execute("PRAGMA quick_check").fetchall()]
            threads = db.conn.execute("SELECT COUNT(*) FROM threads").fetchone()[0]
    except sqlite3.Error as exc:
        return False, f"cache unreadable: {exc}"
    if result != ["ok"]:
        return False, "cache damaged: " + "; ".join(str(r) for r in result[:3])
    mode = db.path.stat().st_mode & 0o777
    if mode & 0o077:
        return False, f"cache file {db.path} is readable by other users (mode {mode:o}); expected 600"
    return True, f"ok: {threads} threads cached in {db.path}"
