"""What an HTTP answer means before any vendor reads its body: retry hints, redirects, unreadable bodies.

Both HTTP providers need the same judgement here (a redirect is refused, a web page is not data, a
``Retry-After`` may be a date), while what a *readable* body means stays with each provider
(NoxInfluencer's envelope, Inbox's raw JSON and error bodies). Nothing here sees request headers,
which is one of the reasons a token cannot reach an error message.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from noxtui.domain.errors import ProtocolError

RETRYABLE_STATUSES = frozenset({429, 502, 503})
"""Statuses that say "not now" rather than "no": asking again later may succeed."""

MAYBE_APPLIED = "The change may have been applied: press r to reload the thread before trying again."


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds; the header may be delta-seconds or an HTTP date (RFC 9110)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if not math.isfinite(seconds):
        # "inf"/"nan"/"1e400" parse as floats: a wait no one can honour is no instruction at all
        # (and "Wait inf s" is not something to show a rep).
        return None
    return max(0.0, seconds)


def looks_like_html(response: httpx.Response) -> bool:
    """A proxy's, portal's or gateway's page: says so in its type or starts with a tag."""
    ctype = response.headers.get("content-type", "").lower()
    head = response.content[:64].lstrip()
    return "html" in ctype or head.startswith(b"<")


def unreadable(response: httpx.Response, *, write: bool, reason: str) -> ProtocolError:
    """A ``ProtocolError`` that names the symptom, never the body (it may be a whole HTML page)."""
    what = f"{reason} (HTTP {response.status_code})"
    todo = MAYBE_APPLIED if write and response.is_success else None
    return ProtocolError(what, todo, status=response.status_code)


def not_json(response: httpx.Response, *, write: bool) -> ProtocolError:
    """The refusal for a body that does not parse: a web page, or JSON cut off on the way."""
    if looks_like_html(response):
        return unreadable(
            response,
            write=write,
            reason="The server answered with a web page instead of data (a proxy, login portal or wrong base URL?)",
        )
    return unreadable(response, write=write, reason="The server's answer was cut off or is not valid JSON")


def json_document(response: httpx.Response, *, write: bool) -> Any:
    """The body parsed as JSON, or a ``ProtocolError`` that says what is wrong with it.

    Both providers parse with this, so a hostile or broken server gets the same clear answer on
    each: a body nested thousands deep (which overflows the parser's recursion) and a number too
    long to convert (Python refuses integers of over 4,300 digits) are unreadable answers, not
    crashes; a web page and cut-off JSON are named as such.
    """
    try:
        return json.loads(response.content)
    except RecursionError:
        reason = "The server's answer is nested too deeply to read"
    except UnicodeDecodeError:
        reason = "The server's answer is not UTF-8 text"
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            reason = "The server's answer holds a number too long to read"
        else:
            raise not_json(response, write=write) from None
    raise unreadable(response, write=write, reason=reason) from None


def refuse_redirect(response: httpx.Response) -> None:
    """Redirects are never followed: the bearer token must only go to the configured server."""
    if response.is_redirect:
        raise ProtocolError(
            f"The server redirected the request elsewhere (HTTP {response.status_code})",
            "Check the base URL in your profile with `noxtui doctor` (http vs https, trailing /v1).",
            status=response.status_code,
        )


__all__ = [
    "MAYBE_APPLIED",
    "json_document",
    "RETRYABLE_STATUSES",
    "looks_like_html",
    "not_json",
    "parse_retry_after",
    "refuse_redirect",
    "unreadable",
]
