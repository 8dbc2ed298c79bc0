"""The rep's clock: now, in their own time zone.

Times used to be shown in UTC whatever ``TZ`` said (#16, item 7). The zone is, in order: the
config's ``timezone`` (an IANA name such as ``Asia/Shanghai``), the ``TZ`` environment variable when
it names one, else the system's local zone. Every time on screen is shown in the clock's zone, and
the schedule prompt reads the times a rep types in it.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _named(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name.lstrip(":"))
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_zone(configured: str | None = None) -> tzinfo | None:
    """The zone to show times in; ``None``: the system's local zone (``astimezone()``)."""
    return _named(configured) or _named(os.environ.get("TZ"))


def local_now(configured: str | None = None) -> datetime:
    """Now, aware, in the rep's zone."""
    zone = local_zone(configured)
    return datetime.now(zone) if zone is not None else datetime.now().astimezone()
