"""Input checks that turn bad input into a 422 saying exactly which field is wrong and how to fix it.

Two kinds: the field checks a handler calls (numbers, choices, times, text, lists), and the checks
``endpoint.py`` runs on every request before any handler (``check_query``, ``check_document``), so
input no handler could store or echo — a lone surrogate, NUL, a number SQLite cannot hold, a body
nested a thousand deep — is refused at the door on every route, including the ones added later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from noxtui.domain.text import has_visible_text
from noxtui.sandbox.envelopes import ApiError, validation

MAX_LIST_VALUES = 100
MAX_TEXT = 100_000
MAX_DEPTH = 32  # the deepest real body is 3 levels (fault rules); 32 is generous and far from recursion
MAX_WHOLE_NUMBER = 2**63 - 1  # what an SQLite INTEGER holds
MAX_QUERY_INT = 1_000_000_000  # pages, limits: far beyond any real list, far inside SQLite's range
# Instants the store can keep as epoch milliseconds and give back as ISO 8601 in any offset.
EARLIEST = datetime(1, 1, 2, tzinfo=timezone.utc)
LATEST = datetime(9999, 12, 30, tzinfo=timezone.utc)
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_bool(name: str, raw: str | None) -> bool | None:
    if raw is None or raw == "":
        return None
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise validation(name, f"must be true or false (got {raw!r})")


def parse_int(name: str, raw: str | None, *, default: int, low: int, high: int = MAX_QUERY_INT) -> int:
    """A whole number in ASCII digits (``int`` would also take ``١٢`` or 5,000 digits) within bounds."""
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if _WHOLE.fullmatch(text) is None:
        raise validation(name, f"must be a whole number between {low} and {high} (got {raw[:40]!r})")
    value = int(text)
    if value < low or value > high:
        raise validation(name, f"must be between {low} and {high} (got {value})")
    return value


def parse_choice(name: str, raw: str | None, choices: tuple[str, ...]) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise validation(name, f"must be one of {', '.join(choices)} (got {raw!r})")
    return raw


def parse_csv(name: str, raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    values = tuple(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))
    if len(values) > MAX_LIST_VALUES:
        raise validation(name, f"at most {MAX_LIST_VALUES} values (got {len(values)})")
    return values


def parse_timestamp(name: str, raw: str | None) -> datetime | None:
    """Lenient ISO 8601 for filters: a naive time is taken as UTC."""
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip().replace("z", "Z")
    try:
        moment = datetime.fromisoformat(text) if text.isascii() else None
    except ValueError:
        moment = None
    if moment is None:
        raise validation(name, f"must be an ISO 8601 time such as 2026-11-20T09:00:00Z (got {raw[:60]!r})")
    return checked_moment(name, moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc))


def checked_moment(name: str, moment: datetime) -> datetime:
    """``moment`` if the store can hold it (between the years 1 and 9999 in every zone), else a 422."""
    if not EARLIEST <= moment <= LATEST:
        raise validation(name, f"out of range: times run from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC)")
    return moment


def body_object(body: Any) -> Mapping[str, Any]:
    """The request body as a JSON object, or a 422."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise validation("body", "must be a JSON object")
    return body


def required_text(body: Mapping[str, Any], name: str, *, allow_blank: bool = False, max_len: int = MAX_TEXT) -> str:
    value = body.get(name)
    if value is None:
        raise validation(name, "required")
    if not isinstance(value, str):
        raise validation(name, "must be a string")
    if not allow_blank and not has_visible_text(value):
        raise validation(name, "must not be empty or show only blank characters (spaces, zero-width…)")
    if len(value) > max_len:
        raise validation(name, f"too long: {len(value)} characters (limit {max_len})")
    return value


def optional_text(body: Mapping[str, Any], name: str, *, max_len: int = MAX_TEXT) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise validation(name, "must be a string or null")
    if len(value) > max_len:
        raise validation(name, f"too long: {len(value)} characters (limit {max_len})")
    return value


def string_list(body: Mapping[str, Any], name: str, *, required: bool = False) -> list[str]:
    value = body.get(name)
    if value is None:
        if required:
            raise validation(name, "required: a list of ids (an empty list is allowed)")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise validation(name, "must be a list of strings")
    if len(value) > MAX_LIST_VALUES:
        raise validation(name, f"at most {MAX_LIST_VALUES} values")
    return list(dict.fromkeys(value))


def reject_unknown(body: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(k for k in body if k not in allowed)
    if unknown:
        raise ApiError(
            "VALIDATION_ERROR",
            f"Unknown field(s): {', '.join(unknown)}",
            fields={k: f"unknown field; allowed: {', '.join(allowed)}" for k in unknown},
        )


# --- checks every request passes before its handler ----------------------------------------------


def _bad_text(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain NUL characters"
    if _SURROGATE.search(text) is not None:
        return "is not valid Unicode (a lone surrogate)"
    return None


def check_query(items: Iterable[tuple[str, str]]) -> None:
    """Every query parameter's name and value are text a store can hold and an answer can echo."""
    for name, value in items:
        problem = _bad_text(name) or _bad_text(value)
        if problem is not None:
            raise validation(_printable(name), problem)


def check_document(document: Any) -> None:
    """A parsed JSON body holds only what the store and the answers can carry, or a 422 naming where.

    Walked without recursion so that the check itself cannot be the thing a deep body overflows.
    """
    stack: list[tuple[Any, str, int]] = [(document, "body", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise validation("body", f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            problem = _bad_text(value)
            if problem is not None:
                raise validation(where, problem)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_WHOLE_NUMBER:
                raise validation(where, f"number out of range (at most {len(str(MAX_WHOLE_NUMBER))} digits)")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise validation(where, "must be a finite number")
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = _bad_text(key)
                if problem is not None:
                    raise validation(where, f"a field name {problem}")
                stack.append((item, key if depth == 1 else f"{where}.{key}", depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))


def _printable(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "\\0"))[:60]
