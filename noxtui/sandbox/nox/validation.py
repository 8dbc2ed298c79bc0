"""The Nox contract's own input rule: when a scheduled reply may be sent (``plan_send_at``).

The generic checks (numbers, choices, text, lists) are shared by both fakes in ``sandbox/validation.py``;
this one is the Nox ``message schedule`` rule, written from its contract: an explicit whole-hour offset,
and strictly in the future by the sandbox's clock.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from noxtui.sandbox.envelopes import validation

# Date, time, optional fraction, then an offset that MUST be present: Z or ±HH:MM.
_PLAN_RE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}:\d{2})?$"
)
_EXAMPLE = "2026-11-21T09:00:00+08:00"


def parse_plan_send_at(raw: Any, now: datetime) -> datetime:
    """``plan_send_at``: ISO 8601 with an explicit whole-hour offset, strictly in the future."""
    name = "plan_send_at"
    if not isinstance(raw, str) or not raw.strip():
        raise validation(name, f"required: an ISO 8601 time with a whole-hour offset, e.g. {_EXAMPLE}")
    match = _PLAN_RE.match(raw.strip())
    if match is None:
        raise validation(name, f"not an ISO 8601 time (got {raw!r}); use e.g. {_EXAMPLE}")
    offset = match.group(3)
    if offset is None:
        raise validation(
            name, f"needs an explicit UTC offset such as Z, +08:00 or -05:00 (got {raw!r}); use e.g. {_EXAMPLE}"
        )
    if offset != "Z":
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if minutes != 0:
            raise validation(
                name, f"the offset must be a whole hour such as +08:00 or -05:00 (got {offset}); convert the time first"
            )
        if hours > 14:
            raise validation(name, f"the offset {offset} is out of range (-12:00 … +14:00)")
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise validation(name, f"not a valid calendar time (got {raw!r}); use e.g. {_EXAMPLE}") from None
    if moment <= now:
        raise validation(
            name,
            f"must be in the future (got {raw}; the server time is {now.isoformat(timespec='seconds')})",
        )
    return moment
