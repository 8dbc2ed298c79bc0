"""What a rep may type as a send time, read in their own time zone.

``schedule.parse_plan_send_at`` is the one rule for what is *sent*: ISO 8601 with an explicit
whole-hour offset, in the future. Reps think in their own clock, so the prompt also takes local
times and short forms, and turns them into exactly that ISO text (shown before anything is planned):

- ``2026-11-24T09:00+08:00``: as typed (the strict rule applies);
- ``2026-11-24 09:00``: that time in the rep's zone;
- ``9``, ``17:30``: today at that time, or tomorrow when it has passed;
- ``tomorrow 9``, ``today 17:00``, ``mon 10:00``, ``friday 9``: that day (the next one ahead);
- ``+2h``, ``+30m``, ``+1d``, ``+1h30m``: from now, to the minute.

The zone is ``now``'s: the app's clock runs in the rep's zone (``TZ``, the system's, or the config's).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, tzinfo

from noxtui.domain.errors import PlanError
from noxtui.domain.schedule import parse_plan_send_at, send_at_example

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = r"(?P<hour>[0-9]{1,2})(?::(?P<minute>[0-9]{2}))?"
_DAY_AND_CLOCK = re.compile(rf"(?:(?P<day>[a-z]+)\s+)?{_CLOCK}")
_FROM_NOW = re.compile(r"\+\s*(?:(?P<d>[0-9]+)d)?\s*(?:(?P<h>[0-9]+)h)?\s*(?:(?P<m>[0-9]+)m)?")
_LOCAL_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")
_HAS_OFFSET = re.compile(r"(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)$")


def zone_name(now: datetime) -> str:
    """The zone as a rep knows it: ``Asia/Shanghai`` for a named zone, else its abbreviation."""
    zone = now.tzinfo
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else (now.tzname() or "UTC")


def _refuse(what: str, now: datetime) -> PlanError:
    return PlanError(
        what,
        f"Type e.g. tomorrow 9, mon 10:00, +2h, 17:30, or a full time like {send_at_example(now)}.",
        fields={"plan_send_at": "not understood"},
    )


def _in_zone(day: datetime, hour: int, minute: int, zone: tzinfo | None, now: datetime) -> datetime:
    if hour > 23 or minute > 59:
        raise _refuse(f"{hour}:{minute:02d} is not a time of day", now)
    naive = datetime.combine(day.date(), time(hour, minute))
    return naive.replace(tzinfo=zone) if zone is not None else naive


def _day_offset(word: str | None, now: datetime) -> int | None:
    """Days from today for ``today``, ``tomorrow`` or a weekday (the next one; today counts)."""
    if word is None:
        return None
    if word in ("today", "tod"):
        return 0
    if word in ("tomorrow", "tmr", "tom"):
        return 1
    for index, day in enumerate(_DAYS):
        if word.startswith(day):
            return (index - now.weekday()) % 7
    raise _refuse(f"{word!r} is not a day (today, tomorrow, mon…sun)", now)


def _interpret(raw: str, now: datetime) -> datetime:
    text = " ".join(raw.lower().split())
    zone = now.tzinfo
    if match := _FROM_NOW.fullmatch(text):
        if not any(match.group(k) for k in "dhm"):
            raise _refuse(f"{raw!r} says no amount (e.g. +2h)", now)
        delta = timedelta(
            days=int(match.group("d") or 0), hours=int(match.group("h") or 0), minutes=int(match.group("m") or 0)
        )
        return (now + delta).replace(second=0, microsecond=0)
    if _LOCAL_ISO.fullmatch(raw.strip()):
        return datetime.fromisoformat(raw.strip().replace(" ", "T")).replace(tzinfo=zone)
    match = _DAY_AND_CLOCK.fullmatch(text)
    if match is None:
        raise _refuse(f"{raw!r} is not a time noxtui understands", now)
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    days = _day_offset(match.group("day"), now)
    when = _in_zone(now + timedelta(days=days or 0), hour, minute, zone, now)
    if days is None and when <= now:  # a bare clock time that has passed today: tomorrow
        when = _in_zone(now + timedelta(days=1), hour, minute, zone, now)
    elif days == 0 and when <= now and match.group("day") not in ("today", "tod"):
        when = _in_zone(now + timedelta(days=7), hour, minute, zone, now)  # "mon 9" on a Monday at 10
    return when


def send_time(raw: str, now: datetime) -> datetime:
    """The send time ``raw`` means, in ``now``'s zone, checked by the one send-time rule.

    Raises ``PlanError`` (with what to type instead) for text it cannot read, for a zone whose
    offset is not a whole hour (NoxInfluencer accepts whole hours only: type an explicit offset),
    and for anything ``parse_plan_send_at`` refuses (the past, a bad offset)."""
    stripped = (raw or "").strip()
    if re.match(r"[0-9]{4}-", stripped) and _HAS_OFFSET.search(stripped):
        return parse_plan_send_at(stripped, now)  # fully explicit: the strict rule, as typed
    if not stripped:
        return parse_plan_send_at(stripped, now)
    try:
        when = _interpret(stripped, now)
    except ValueError:
        raise _refuse(f"{raw!r} is not a real calendar date and time", now) from None
    offset = when.utcoffset() or timedelta()
    if offset % timedelta(hours=1):
        raise PlanError(
            f"Your time zone ({zone_name(now)}) is {offset} from UTC, not a whole hour",
            f"NoxInfluencer schedules with whole-hour offsets only: type the time with one, e.g. "
            f"{send_at_example(now)}.",
            fields={"plan_send_at": "whole-hour offset only"},
        )
    return parse_plan_send_at(iso_send_time(when), now)


def iso_send_time(when: datetime) -> str:
    """The exact text sent: ISO 8601 to the minute with its offset (``Z`` for UTC)."""
    return when.isoformat(timespec="minutes").replace("+00:00", "Z")


__all__ = ["iso_send_time", "send_time", "zone_name"]
