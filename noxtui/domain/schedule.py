"""Send times a rep types for a scheduled reply: parsed strictly, shown in the zone they were typed in.

Shared by every provider that schedules and by the screen that asks for the time, so the rule
(explicit whole-hour offset, in the future) is one rule.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from noxtui.domain.errors import PlanError


def send_at_example(now: datetime | None = None) -> str:
    """A send time to copy from an error message: tomorrow at 09:00 (+08:00), never a past date."""
    tomorrow = (now or datetime.now(timezone.utc)) + timedelta(days=1)
    return f"{tomorrow:%Y-%m-%d}T09:00+08:00"


_MIN_OFFSET = timedelta(hours=-12)
_MAX_OFFSET = timedelta(hours=14)
# The last instant a send time may name: a day short of datetime's edge, so no offset, rounding to
# milliseconds or display in another zone can carry it past the year 9999 (where datetime ends).
LATEST_SEND_AT = datetime(9999, 12, 30, tzinfo=timezone.utc)

# The one grammar both sides accept: date, ``T`` (or a space), hours and minutes, optional seconds
# and up to six fraction digits, then an offset that must be there: ``Z``, ``+08:00``, ``+0800`` or
# ``+08``. ASCII digits only (``str.isdigit`` would let Arabic-Indic digits through).
_SEND_AT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)


def _refuse(what: str, todo: str, field: str) -> PlanError:
    return PlanError(what, todo, fields={"plan_send_at": field})


def parse_plan_send_at(text: str, now: datetime | None = None) -> datetime:
    """A future send time in ISO 8601 with an explicit whole-hour offset, as an aware datetime.

    The offset must be typed, not guessed from this machine's zone: the rep schedules for the
    creator's morning, and NoxInfluencer accepts whole-hour offsets only (contract fact). This is
    the one rule: the app checks a typed time with it and the sandbox judges ``plan_send_at`` with
    it, so a time the app lets through is never refused by the fake (or the other way round).
    """
    raw = (text or "").strip() if isinstance(text, str) else ""
    shown = repr(raw[:40])
    example = send_at_example(now)
    if not raw:
        raise _refuse("No send time is given", f"Enter a time like {example}.", "required")
    match = _SEND_AT.fullmatch(raw)
    if match is None:
        raise _refuse(
            f"{shown} is not a date and time (ISO 8601)", f"Enter a time like {example}.", "not ISO 8601"
        )
    if match.group("offset") is None:
        raise _refuse(
            f"{shown} has no time-zone offset",
            f"Add the offset of the send time, e.g. {example} or Z for UTC.",
            "offset required",
        )
    try:
        when = datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1] in "Zz" else raw)
    except ValueError:
        raise _refuse(
            f"{shown} is not a real calendar date and time",
            f"Check the month, day and hour; e.g. {example}.",
            "not a calendar time",
        ) from None
    offset = when.utcoffset() or timedelta()
    if offset % timedelta(hours=1):
        raise _refuse(
            f"The offset in {shown} is not a whole hour",
            "NoxInfluencer schedules with whole-hour offsets only (Z, +08:00, -05:00): convert the time to one.",
            "whole-hour offset only",
        )
    if not _MIN_OFFSET <= offset <= _MAX_OFFSET:
        raise _refuse(
            f"The offset in {shown} is out of range",
            "Real offsets run from -12:00 to +14:00: check the sign and the hours.",
            "offset out of range",
        )
    if when >= LATEST_SEND_AT:
        raise _refuse(f"{shown} is too far in the future", "Pick a time before 9999-12-30.", "too far ahead")
    reference = now or datetime.now(timezone.utc)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=timezone.utc)
    if when <= reference:
        raise _refuse(f"{when.isoformat()} is in the past", "Pick a time in the future.", "in the past")
    return when


def format_when(when: datetime) -> str:
    """A send time as a rep reads it, in the zone it was typed in: ``2025-06-02 09:00 UTC+8``."""
    offset = when.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    hours, minutes = divmod(int(abs(offset).total_seconds()) // 60, 60)
    zone = "UTC" if not offset else f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
    return f"{when.strftime('%Y-%m-%d %H:%M')} {zone}"
