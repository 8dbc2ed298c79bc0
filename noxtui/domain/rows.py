"""Compact rows for the thread list.

A list of 100,000 pydantic models costs hundreds of MB; a tuple of plain values per thread costs a
fraction of that and is all the list needs to paint a line. The full ``Thread`` is fetched only
for the one the rep opens.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # the row type is read before first paint, pydantic is not
    from noxtui.domain.models import ThreadSummary

PLATFORM_SHORT = {"youtube": "YT", "tiktok": "TT", "instagram": "IG", "twitter": "X"}


class ThreadRow(NamedTuple):
    thread_id: str
    creator_name: str
    platform: str
    snippet: str
    needs_reply: bool
    inbound: bool
    labels: str
    coop_name: str
    coop_code: str
    last_ts: float
    has_draft: bool
    scheduled: bool
    business_kind: str
    business_id: str


def row_from_summary(thread: ThreadSummary) -> ThreadRow:
    """Flatten what one list line shows; everything else stays on the server until opened."""
    coop = thread.coop_status
    return ThreadRow(
        thread_id=thread.thread_id,
        creator_name=thread.creator.name,
        platform=PLATFORM_SHORT.get(thread.creator.platform, thread.creator.platform[:2].upper()),
        snippet=" ".join(thread.snippet.split()),
        needs_reply=thread.needs_reply,
        inbound=thread.last_message_direction == "inbound",
        labels=", ".join(label.name for label in thread.labels),
        coop_name=coop.name or coop.code if coop else "",
        coop_code=coop.code if coop else "",
        last_ts=thread.last_message_at.timestamp(),
        has_draft=thread.has_draft,
        scheduled=thread.scheduled_at is not None,
        business_kind=thread.business_kind,
        business_id=thread.business_id,
    )


class PlainSummaries(NamedTuple):
    """A page of ``message list`` read without models: what a first sync of a million threads reads.

    ``items`` are the summaries as decoded JSON objects, each already checked by the provider to
    be *plain*: every field ``ThreadSummary`` reads is present or absent as its model allows, of
    exactly the JSON type the model keeps as it is (strings, ``true``/``false``, integers,
    RFC 3339 stamps with an offset), so reading an item here gives what the model would hold.
    ``texts`` are the items' own JSON texts, as the server sent them (kept for offline reads).
    A page holding anything else is read through the models instead.
    """

    items: list[dict[str, Any]]
    texts: list[str]
    page: int
    page_size: int
    total: int


def row_from_plain(item: dict[str, Any]) -> ThreadRow:
    """``row_from_summary`` for a checked plain item (``PlainSummaries``): the same line, no model.

    Kept beside ``row_from_summary`` so the two definitions of a line stay one; a test compares
    them on awkward values (unicode, nulls, empty lists, markup-like text, missing fields).
    """
    creator = item["creator"]
    platform = creator["platform"]
    coop = item.get("coop_status")
    labels = item.get("labels")
    return _new_row(ThreadRow, (
        item["thread_id"],
        creator["name"],
        PLATFORM_SHORT.get(platform) or platform[:2].upper(),
        " ".join(item.get("snippet", "").split()),
        item["needs_reply"],
        item["last_message_direction"] == "inbound",
        ", ".join([label["name"] for label in labels]) if labels else "",
        (coop.get("name") or coop["code"]) if coop else "",
        coop["code"] if coop else "",
        datetime.fromisoformat(item["last_message_at"]).timestamp(),
        item.get("has_draft", False),
        item.get("scheduled_at") is not None,
        item.get("business_kind", ""),
        item.get("business_id", ""),
    ))  # fmt: skip


_new_row = tuple.__new__
"""Builds a ``ThreadRow`` from a tuple without the named tuple's keyword ``__new__`` (a million calls)."""
