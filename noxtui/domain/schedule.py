"""Send times a rep types for a scheduled reply: parsed strictly, shown in the zone they were typed in.

Shared by every provider that schedules and by the screen that asks for the time, so the rule
(explicit whole-hour offset, in the future) is one rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from noxtui.domain.errors import PlanError

SEND_AT_EXAMPLE = "2025-06-01T09:00+08:00"
_MIN_OFFSET = timedelta(hours=-12)
_MAX_OFFSET = timedelta(hours=14)


def parse_plan_send_at(text: str, now: datetime | None = None) -> datetime:
    """A future send time in ISO 8601 with an explicit whole-hour offset, as an aware datetime.

    The offset must be typed, not guessed from this machine's zone: the rep schedules for the
    creator's morning, and NoxInfluencer accepts whole-hour offsets only (contract fact).
    """
    raw = (text or "").strip()
    if not raw:
        raise PlanError(
            "No send time is given", f"Enter a time like {SEND_AT_EXAMPLE}.", fields={"plan_send_at": "required"}
        )
    try:
        when = datetime.fromisoformat(raw)
    except ValueError:
        raise PlanError(
            f"{raw[:40]!r} is not a date and time",
            f"Enter a time like {SEND_AT_EXAMPLE}.",
            fields={"plan_send_at": "not ISO 8601"},
        ) from None
    offset = when.utcoffset()
    if offset is None:
        raise PlanError(
            f"{raw[:40]!r} has no time-zone offset",
            f"Add the offset of the send time, e.g. {SEND_AT_EXAMPLE} or Z for UTC.",
            fields={"plan_send_at": "offset required"},
        )
    if offset % timedelta(hours=1):
        raise PlanError(
            f"The offset in {raw[:40]!r} is not a whole hour",
            "NoxInfluencer schedules with whole-hour offsets only (Z, +08:00, -05:00): convert the time to one.",
            fields={"plan_send_at": "whole-hour offset only"},
        )
    if not _MIN_OFFSET <= offset <= _MAX_OFFSET:
        raise PlanError(
            f"The offset in {raw[:40]!r} is out of range",
            "Real offsets run from -12:00 to +14:00: check the sign and the hours.",
            fields={"plan_send_at": "offset out of range"},
        )
    reference = now or datetime.now(timezone.utc)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=timezone.utc)
    if when <= reference:
        raise PlanError(
            f"{when.isoformat()} is in the past",
            "Pick a time in the future.",
            fields={"plan_send_at": "in the past"},
        )
    return when


def format_when(when: datetime) -> str:
    """A send time as a rep reads it, in the zone it was typed in: ``2025-06-02 09:00 UTC+8``."""
    offset = when.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    hours, minutes = divmod(int(abs(offset).total_seconds()) // 60, 60)
    zone = "UTC" if not offset else f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
    return f"{when.strftime('%Y-%m-%d %H:%M')} {zone}"
