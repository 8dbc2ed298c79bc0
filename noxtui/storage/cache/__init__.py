"""noxtui.storage.cache: the offline copy of the inbox and the engine that keeps it in step with the server.

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
    from noxtui.storage.cache.connection import CacheError
    from noxtui.storage.cache.scope import CacheScope
    from noxtui.storage.cache.store import ThreadCache
    from noxtui.storage.cache.sync import SyncEngine, SyncReport

_HOMES = {
    "CacheScope": "noxtui.storage.cache.scope",
    "CacheError": "noxtui.storage.cache.connection",
    "ThreadCache": "noxtui.storage.cache.store",
    "SyncEngine": "noxtui.storage.cache.sync",
    "SyncReport": "noxtui.storage.cache.sync",
}

__all__ = ["CacheError", "CacheScope", "SyncEngine", "SyncReport", "ThreadCache"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
