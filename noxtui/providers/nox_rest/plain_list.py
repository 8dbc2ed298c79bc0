"""``message list`` read without models, for a first sync of a very large inbox.

Why: at a million threads every microsecond a summary costs is a second of the first sync, and
building a pydantic model per summary (then flattening it into the cache's columns and dumping
it back to JSON) was more than half the client's time. A plain page — the shape the contract
documents, every field of exactly the JSON type the model keeps as it is — is read into dicts by
the standard library, each item's own text kept as the server sent it, and the cache flattens
those directly (``domain.rows.row_from_plain``).

Exactness: an item is *plain* only if ``ThreadSummary`` would read it to the very same values,
so nothing a rep sees depends on which way a page took. Anything else — a coercion pydantic
would make (``1`` for ``true``, a stamp without offset), a field of the wrong type, a missing
one, an escaped surrogate, an answer that is not a plain success — makes ``read`` return
``None`` and the page goes through ``envelope.decode_thread_list``, which validates it and
refuses it exactly as before.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from json.scanner import make_scanner
from typing import Any, cast

import httpx

from noxtui.api.responses import looks_like_html
from noxtui.domain.models import PageMeta, ThreadSummary
from noxtui.domain.rows import PlainSummaries
from noxtui.providers.nox_rest.envelope import decode_thread_list

_decoder = json.JSONDecoder()
_value_at = _decoder.raw_decode
_scan_value = make_scanner(cast(Any, _decoder))  # typeshed types the context as a scanner
"""The C scanner ``raw_decode`` wraps, called directly: ``_items`` calls it once per item."""
_SPACE = " \t\n\r"
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, at: int) -> int:
    """The offset of the first character at or after ``at`` that is not JSON whitespace."""
    found = _WHITESPACE.match(text, at)
    return found.end() if found is not None else at


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)\Z").match
"""RFC 3339 with an offset: what ``datetime.fromisoformat`` and pydantic read to the same instant."""

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}").finditer
"""An escaped UTF-16 surrogate. The pattern starts with a literal, which the regex engine finds by a
fast scan; the one it replaced (an alternation behind a look-behind) tried every offset of the
page: ~3 ms for a page holding one emoji, where this takes microseconds."""


def _lone_surrogate(text: str) -> bool:
    """Whether ``text`` escapes a UTF-16 surrogate outside a pair: the standard library decodes it,
    pydantic refuses it. (A pair, as ``ensure_ascii`` encoders write every emoji, is one character
    to both.) An escaped backslash before ``u`` may be taken for an escape: that only sends the
    page the validating way, which is exact."""
    pending_high = -1  # where the last high surrogate's escape ended, if it still wants its low half
    for found in _SURROGATE_ESCAPE(text):
        high = found.group()[3] in "89abAB"
        if pending_high >= 0:
            if high or found.start() != pending_high:
                return True
            pending_high = -1
        elif high:
            pending_high = found.end()
        else:
            return True
    return pending_high >= 0


_OPTIONAL_TEXT = ("business_kind", "business_id", "subject", "snippet")
_NULLABLE_TEXT = ("pending_reason", "owner_uid")


def read(response: httpx.Response) -> PlainSummaries | None:
    """The page's summaries as checked plain items, or ``None`` to take the validating way."""
    if not response.is_success or looks_like_html(response):
        return None
    try:
        text = response.content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\\u" in text and _lone_surrogate(text):
        return None
    try:
        fields = _envelope(text)
    except ValueError:  # json.JSONDecodeError included
        return None
    if fields is None:
        return None
    meta, items, texts = fields
    if not all(map(plain_summary, items)):
        return None
    page, page_size, total = meta.get("page"), meta.get("page_size"), meta.get("total")
    if not (type(page) is int and type(page_size) is int and type(total) is int and min(page, page_size) >= 1):
        return None
    return PlainSummaries(items, texts, page, page_size, total)


def decode(response: httpx.Response, write: bool) -> PlainSummaries | tuple[list[ThreadSummary], PageMeta]:
    """A plain page as ``PlainSummaries``; any other answer as ``decode_thread_list`` reads (or refuses) it."""
    plain = read(response)
    return plain if plain is not None else decode_thread_list(response, write)


def _envelope(text: str) -> tuple[dict[str, Any], list[Any], list[str]] | None:
    """``meta``, the ``data`` items and each item's text, reading the top object key by key.

    Only ``{"success": true, "data": [...], "meta": {...}, ...}`` (any order, any other keys) is
    read; the ``data`` items are decoded one at a time so each one's own text can be kept.
    """
    at = _skip(text, 0)
    if text[at : at + 1] != "{":
        return None
    found: dict[str, Any] = {}
    items: list[Any] = []
    texts: list[str] = []
    at = _skip(text, at + 1)
    while text[at : at + 1] != "}":
        key, at = _value_at(text, at)
        at = _skip(text, at)
        if not isinstance(key, str) or key in found or text[at : at + 1] != ":":
            return None
        at = _skip(text, at + 1)
        if key == "data" and text[at : at + 1] == "[":
            at = _items(text, at + 1, items, texts)
            found[key] = items
        else:
            found[key], at = _value_at(text, at)
        at = _skip(text, at)
        if text[at : at + 1] == ",":
            at = _skip(text, at + 1)
        elif text[at : at + 1] != "}":
            return None
    if _skip(text, at + 1) != len(text):
        return None
    meta = found.get("meta")
    if (
        found.get("success") is not True
        or found.get("data") is not items
        or type(found.get("summary", "")) is not str
        or type(meta) is not dict
        or (meta.get("request_id") is not None and type(meta["request_id"]) is not str)
    ):
        return None
    return meta, items, texts


def _items(text: str, at: int, items: list[Any], texts: list[str]) -> int:
    """Decode the array's items from ``at`` (just past ``[``); returns the offset past ``]``.

    Called per page, looping per item (a million times in a first sync of a million threads): it
    calls the decoder's C scanner itself (``raw_decode`` is a Python wrapper around it) and looks
    for whitespace only when the next character is some.
    """
    at = _skip(text, at)
    if text[at : at + 1] == "]":
        return at + 1
    add_item, add_text = items.append, texts.append
    while True:
        try:
            item, end = _scan_value(text, at)
        except StopIteration:  # how the scanner says "no JSON value here"
            raise ValueError("not a JSON value") from None
        add_item(item)
        add_text(text[at:end])
        after = text[end : end + 1]
        if after in _SPACE:  # also at the end of the text, where ``after`` is ""
            end = _skip(text, end)
            after = text[end : end + 1]
        if after == "]":
            return end + 1
        if after != ",":
            raise ValueError("not a JSON array")
        at = end + 1
        if text[at : at + 1] in _SPACE:
            at = _skip(text, at)


def plain_summary(item: Any) -> bool:
    """Whether ``ThreadSummary`` would read ``item`` to exactly its own values (see the module doc).

    The types of an item's fields are checked once per *layout* (its keys and their values'
    types, which a server repeats on every item: a few dozen layouts in a million threads); what
    every item needs checked is its values (direction, stamps, creator, labels, projects, status).
    """
    if type(item) is not dict:
        return False
    layout = (*item, *map(type, item.values()))
    if layout not in _LAYOUTS:
        if not _typed(item):
            return False
        if len(_LAYOUTS) >= _LAYOUTS_MOST:
            _LAYOUTS.clear()
        _LAYOUTS[layout] = None
    get = item.get
    updated, scheduled, coop = get("updated_at"), get("scheduled_at"), get("coop_status")
    return (
        item["last_message_direction"] in _DIRECTIONS
        and _stamp(item["last_message_at"])
        and (updated is None or _stamp(updated))
        and (scheduled is None or _stamp(scheduled))
        and _creator(item["creator"])
        and ("project_ids" not in item or all(type(value) is str for value in item["project_ids"]))
        and ("labels" not in item or _labels(item["labels"]))
        and (coop is None or (type(coop.get("code")) is str and type(coop.get("name", "")) is str))
    )


_LAYOUTS: dict[tuple[Any, ...], None] = {}
_LAYOUTS_MOST = 4_096
_DIRECTIONS = frozenset(("inbound", "outbound"))


def _typed(item: dict[str, Any]) -> bool:
    """The type of every field ``ThreadSummary`` reads (values are ``plain_summary``'s to check)."""
    get = item.get
    if not (
        type(get("thread_id")) is str
        and type(get("last_message_direction")) is str
        and type(get("needs_reply")) is bool
        and type(get("last_message_at")) is str
        and type(get("creator")) is dict
    ):
        return False
    for name in _OPTIONAL_TEXT:
        if name in item and type(item[name]) is not str:
            return False
    for name in (*_NULLABLE_TEXT, "updated_at", "scheduled_at"):
        value = get(name)
        if value is not None and type(value) is not str:
            return False
    coop = get("coop_status")
    return (
        ("has_draft" not in item or type(item["has_draft"]) is bool)
        and ("message_count" not in item or type(item["message_count"]) is int)
        and ("project_ids" not in item or type(item["project_ids"]) is list)
        and ("labels" not in item or type(item["labels"]) is list)
        and (coop is None or type(coop) is dict)
    )


def _stamp(value: Any) -> bool:
    if type(value) is not str or _STAMP(value) is None:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:  # e.g. a 13th month: pydantic refuses it too
        return False
    return True


def _creator(creator: Any) -> bool:
    if type(creator) is not dict:
        return False
    get = creator.get
    return (
        type(get("creator_id")) is str
        and type(get("name")) is str
        and type(get("platform")) is str
        and type(get("channel_url", "")) is str
        and (get("email") is None or type(get("email")) is str)
        and (get("handle") is None or type(get("handle")) is str)
    )


def _labels(labels: Any) -> bool:
    if type(labels) is not list:
        return False
    for label in labels:
        if not (
            type(label) is dict
            and type(label.get("label_id")) is str
            and type(label.get("name")) is str
            and type(label.get("color", "")) is str
        ):
            return False
    return True


__all__ = ["decode", "plain_summary", "read"]
