"""noxtui.cache: the offline copy of the inbox and the engine that keeps it in step with the server.

``ThreadCache`` stores summaries (filtered and sorted locally), opened threads and the sync
watermark; ``SyncEngine`` fills it (one full sync, then ``updated_since`` increments) and reports
what changed. Neither touches widgets: the app paints ``ThreadCache.rows`` and reacts to
``SyncReport``.

The names are loaded on first use (PEP 562): ``first_page`` is read before the app's first frame,
and importing this package must not pull in pydantic and the sync engine for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noxtui.cache.scope import CacheScope
    from noxtui.cache.store import CacheError, ThreadCache
    from noxtui.cache.sync import SyncEngine, SyncReport

_HOMES = {
    "CacheScope": "noxtui.cache.scope",
    "CacheError": "noxtui.cache.store",
    "ThreadCache": "noxtui.cache.store",
    "SyncEngine": "noxtui.cache.sync",
    "SyncReport": "noxtui.cache.sync",
}

__all__ = ["CacheError", "CacheScope", "SyncEngine", "SyncReport", "ThreadCache"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
