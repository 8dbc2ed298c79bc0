"""Text helpers shared by screens: safe display of untrusted text and relative times."""

from __future__ import annotations

import re
from datetime import datetime, timezone

# C0 controls except tab/newline, DEL and C1 controls: a creator's message must never be able to
# move the cursor, set the clipboard (OSC 52) or retitle the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _caret(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 32:
        return "^" + chr(code + 64)
    if code == 127:
        return "^?"
    return "\ufffd"


def sanitize(text: str) -> str:
    """Make untrusted text inert: control characters are shown in caret notation (ESC as ``^[``)."""
    if text.isprintable():  # the common case, checked in C: no regex pass per painted line
        return text
    return _CONTROL.sub(_caret, text)


def one_line(text: str) -> str:
    """Collapse whitespace so a snippet fits a single list line."""
    return " ".join(sanitize(text).split())


def relative_time(ts: float, now: datetime) -> str:
    """``5m``, ``3h``, ``2d``, then a short date: what a mail client shows in a narrow column."""
    seconds = now.timestamp() - ts
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 86400 * 7:
        return f"{int(seconds // 86400)}d"
    when = datetime.fromtimestamp(ts, tz=now.tzinfo or timezone.utc)
    if when.year == now.year:
        return when.strftime("%b %d").replace(" 0", " ")
    return when.strftime("%Y-%m")


def format_timestamp(when: datetime, now: datetime) -> str:
    """Absolute time in the clock's zone plus the relative hint, for message headers."""
    local = when.astimezone(now.tzinfo or timezone.utc)
    return f"{local:%Y-%m-%d %H:%M} ({relative_time(when.timestamp(), now)})"
