"""Time for the sandbox: one injectable clock and one storage format.

The store keeps every instant as integer milliseconds since the epoch (UTC) so ``ORDER BY`` and
``updated_since`` comparisons are plain integer index walks; the wire always carries ISO 8601 with
an explicit offset. Tests pin "now" with :class:`SandboxClock` so that "in the future" and "past
due" are decided against a known instant, not against the machine's wall clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

Clock = Callable[[], datetime]

# Spans in the storage unit, for code that computes instants (the seeds).
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS


def utc_now() -> datetime:
    """The real wall clock, always timezone-aware."""
    return datetime.now(timezone.utc)


def to_ms(moment: datetime) -> int:
    """An aware datetime as epoch milliseconds; a naive one is taken as UTC (lenient for reads)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(round(moment.timestamp() * 1000))


def from_ms(ms: int) -> datetime:
    """Epoch milliseconds back to an aware UTC datetime."""
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def iso(ms: int | None) -> str | None:
    """Epoch milliseconds as ISO 8601 with an offset; milliseconds only when they are not zero."""
    if ms is None:
        return None
    moment = from_ms(ms)
    spec = "seconds" if ms % 1000 == 0 else "milliseconds"
    return moment.isoformat(timespec=spec)


class SandboxClock:
    """A clock that starts at a pinned instant and then runs at real speed.

    Running (instead of standing still) keeps ``updated_at`` increasing across writes, which the
    cache's ``updated_since`` sync depends on; pinning the start keeps seeded data and "is this in
    the future?" decisions reproducible. ``advance`` and ``set`` let tests jump over a scheduled
    reply's send time without sleeping.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._anchor = start if start is not None else utc_now()
        if self._anchor.tzinfo is None:
            self._anchor = self._anchor.replace(tzinfo=timezone.utc)
        self._mono = time.monotonic()

    def __call__(self) -> datetime:
        with self._lock:
            return self._anchor + timedelta(seconds=time.monotonic() - self._mono)

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (aware; naive is taken as UTC) and keep running from there."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        with self._lock:
            self._anchor = moment
            self._mono = time.monotonic()

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (or back, with a negative value) and return the new now."""
        current = self()
        self.set(current + timedelta(seconds=seconds))
        return self()
