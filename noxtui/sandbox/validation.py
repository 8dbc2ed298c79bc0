"""Input checks that turn bad input into a 422 saying exactly which field is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from noxtui.sandbox.envelopes import ApiError, validation

MAX_LIST_VALUES = 100
MAX_TEXT = 100_000


def parse_bool(name: str, raw: str | None) -> bool | None:
    if raw is None or raw == "":
        return None
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise validation(name, f"must be true or false (got {raw!r})")


def parse_int(name: str, raw: str | None, *, default: int, low: int, high: int | None = None) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise validation(name, f"must be a whole number (got {raw!r})") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise validation(name, f"must be {bound} (got {value})")
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
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise validation(name, f"must be an ISO 8601 time such as 2026-11-20T09:00:00Z (got {raw!r})") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


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
    if not allow_blank and not value.strip():
        raise validation(name, "must not be empty or whitespace only")
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
