"""Public Inbox ids <-> integer primary keys, in Inbox's id alphabet ``^[0-9a-z]+$``.

Same idea as ``ids.py`` (an id is derived from its row number, so no text index is needed) but
without the underscore, which Inbox ids never contain. Parsing is strict — an id either round-trips
exactly or names nothing — and well-formedness is checked separately so the routes can answer 422
for a malformed id and 404 for a well-formed one that does not exist.
"""

from __future__ import annotations

import re

ID_RE = re.compile(r"^[0-9a-z]+$")
MAX_ID_CHARS = 128

_WIDTHS: dict[str, int] = {
    "xw": 3,  # team (workspace)
    "xu": 3,  # team members (``Member.id``: what a thread is assigned to)
    "xi": 3,  # Inbox users (``Member.userId``, a message's ``userId``)
    "xa": 3,  # account links (the team's own X accounts)
    "xg": 4,  # tags
    "xs": 3,  # prospect statuses
    "xp": 6,  # prospects
    "xt": 6,  # threads
    "xm": 7,  # messages
    "xe": 7,  # events of the change feed
}
_PARTS_RE = re.compile(r"^([a-z]+)([0-9]{1,18})$")  # 18 digits fit an SQLite INTEGER: more names nothing


def make(prefix: str, seq: int) -> str:
    """``make("xt", 42) == "xt000042"``."""
    return f"{prefix}{seq:0{_WIDTHS[prefix]}d}"


def well_formed(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS and ID_RE.fullmatch(value) is not None


def parse(prefix: str, value: str | None) -> int | None:
    """The row number behind ``value`` if it is exactly a ``prefix`` id, else ``None``."""
    if not value:
        return None
    match = _PARTS_RE.match(value)
    if match is None or match.group(1) != prefix:
        return None
    seq = int(match.group(2))
    if seq <= 0 or make(prefix, seq) != value:
        return None
    return seq


TEAM_ID = make("xw", 1)
