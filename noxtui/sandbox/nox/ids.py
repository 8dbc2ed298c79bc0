"""Public ids <-> integer primary keys.

Ids are derived from row numbers (``th_000042`` is thread row 42) so the store needs no text index
per id. Parsing is strict: ``th_42`` or ``th_0000042`` is *not* ``th_000042`` — an id either round-
trips exactly or it names nothing (404), which keeps ids opaque-looking and unambiguous.
All ids match ``^[a-z0-9_]+$``.
"""

from __future__ import annotations

import re

_WIDTHS: dict[str, int] = {
    "th": 6,  # threads
    "cr": 6,  # creators
    "msg": 7,  # messages
    "att": 6,  # thread attachments
    "tp": 4,  # templates
    "et": 4,  # email tasks
}

# At most 18 digits: every such number fits an SQLite INTEGER, so a 20-digit id names nothing (404)
# instead of overflowing the query; ASCII digits only (``\d`` would match ``١٢``).
_ID_RE = re.compile(r"^([a-z]+)_([0-9]{1,18})$")


def make_id(prefix: str, seq: int) -> str:
    """``make_id("th", 42) == "th_000042"``."""
    return f"{prefix}_{seq:0{_WIDTHS[prefix]}d}"


def parse_id(prefix: str, value: str | None) -> int | None:
    """The row number behind ``value`` if it is a well-formed ``prefix`` id, else ``None``."""
    if not value:
        return None
    match = _ID_RE.match(value)
    if match is None or match.group(1) != prefix:
        return None
    seq = int(match.group(2))
    if seq <= 0 or make_id(prefix, seq) != value:
        return None
    return seq


def thread_id(seq: int) -> str:
    return make_id("th", seq)


def creator_id(seq: int) -> str:
    return make_id("cr", seq)


def message_id(seq: int) -> str:
    return make_id("msg", seq)


def attachment_id(seq: int) -> str:
    return make_id("att", seq)


def template_id(seq: int) -> str:
    return make_id("tp", seq)


def task_id(seq: int) -> str:
    return make_id("et", seq)


def project_id_for_task(task: str) -> str:
    """The ``project_ids`` form of an email task: ``email_task:<task_id>``."""
    return f"email_task:{task}"
