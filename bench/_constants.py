"""Constants shared by the bench modules and the launcher (kept import-light on purpose: the
cold-start figure counts every import the launcher makes)."""

from __future__ import annotations

from datetime import datetime, timezone

from noxtui.storage.cache.scope import CacheScope

SEED = 7
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
"""The seeded workspace's "now" (as in the tests), so relative times in the list are stable."""
SCOPE = CacheScope("nox", "bench@http://127.0.0.1/v1")
COLS, LINES = 120, 40
"""The terminal size of the pty figures (the brief's 120×40)."""
