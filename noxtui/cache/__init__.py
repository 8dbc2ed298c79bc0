"""noxtui.cache: the offline copy of the inbox and the engine that keeps it in step with the server.

``ThreadCache`` stores summaries (filtered and sorted locally), opened threads and the sync
watermark; ``SyncEngine`` fills it (one full sync, then ``updated_since`` increments) and reports
what changed. Neither touches widgets: the app paints ``ThreadCache.rows`` and reacts to
``SyncReport``.
"""

from noxtui.cache.scope import CacheScope
from noxtui.cache.store import CacheError, ThreadCache
from noxtui.cache.sync import SyncEngine, SyncReport

__all__ = ["CacheError", "CacheScope", "SyncEngine", "SyncReport", "ThreadCache"]
