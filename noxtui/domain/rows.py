"""Compact rows for the thread list.

A list of 100,000 pydantic models costs hundreds of MB; a tuple of plain values per thread costs a
fraction of that and is all the list needs to paint a line. The full ``Thread`` is fetched only
for the one the rep opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

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
