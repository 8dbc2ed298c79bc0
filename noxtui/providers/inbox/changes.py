"""What changed since a moment, from Inbox's change feed (``GET /events``), for an incremental sync.

The feed keeps 7 days of events (``message.created``, ``thread.archived``, ``prospect.tagsChanged``…),
each with a ``seq``; a page is ``{events, hasMore, lastSeq}`` and ``lastSeq`` is the next
``afterSeq``. ``ChangeFeed.since`` turns "changed since T" into the threads and prospects the events
after T name, continuing from the last ``seq`` it read when it can. It answers ``None`` — "walk
every thread instead" — when the feed cannot vouch for the whole stretch: its oldest event is newer
than T while older events have already expired (the 7-day window has passed), or an event changes
what every row shows (a tag or status renamed or deleted).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from noxtui.domain.errors import NotFoundError
from noxtui.domain.models import ThreadPage, ThreadQuery, ThreadSummary
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.catalogue import InboxCatalogue, parse
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.inbox.mapping import summary_of
from noxtui.providers.inbox.pager import CursorThreadPage
from noxtui.providers.inbox.wire import InboxEvent, InboxEventList, InboxProspect, InboxThread

PAGE = 1_000
MAX_PAGES = 100
EVERY_ROW = frozenset({"tag.updated", "tag.deleted", "status.updated", "status.deleted"})
"""Events that change how every row reads: the feed cannot list the threads they touch."""


@dataclass
class ChangeSet:
    """Threads and prospects named by the events after a moment, with when each last changed."""

    threads: dict[str, datetime] = field(default_factory=dict)
    prospects: dict[str, datetime] = field(default_factory=dict)

    def touch(self, event: InboxEvent) -> None:
        data: Any = event.data if isinstance(event.data, dict) else {}
        stamp = event.timestamp
        if stamp is None:
            return
        for key, into in (("threadId", self.threads), ("prospectId", self.prospects)):
            value = data.get(key)
            if isinstance(value, str) and routes.ID_RE.fullmatch(value):
                into[value] = max(into.get(value, stamp), stamp)


@dataclass(frozen=True)
class _Mark:
    """A point of the feed already read: a ``seq`` and the newest event time up to it."""

    seq: int
    stamp: datetime


MAX_MARKS = 64


class ChangeFeed:
    """Reads ``GET /events`` forward, remembering where each read ended (checkpoints)."""

    def __init__(self, http: InboxHttp) -> None:
        self.http = http
        self._marks: list[_Mark] = []

    async def _page(self, after: int | None) -> InboxEventList:
        data = await self.http.get_object(routes.EVENTS, routes.event_params(after, PAGE), what="event list")
        return parse(InboxEventList, data, "event list")

    def _start(self, moment: datetime) -> int | None:
        """The furthest checkpoint not after ``moment``: every event past it is read, none before."""
        usable = [mark.seq for mark in self._marks if mark.stamp <= moment]
        return max(usable) if usable else None

    async def since(self, moment: datetime) -> ChangeSet | None:
        """What changed after ``moment``; ``None`` when only a walk of every thread can tell.

        The feed is read to its end either way, so the next call can start from a checkpoint.
        """
        after = self._start(moment)
        changes = ChangeSet()
        vouched = after is not None
        every_row = False
        for number in range(MAX_PAGES):
            page = await self._page(after)
            if number == 0 and not vouched:
                vouched = _covers(page.events, moment)
            for event in page.events:
                if event.timestamp is None or event.timestamp <= moment:
                    continue
                every_row = every_row or event.type in EVERY_ROW
                changes.touch(event)
            stamps = [event.timestamp for event in page.events if event.timestamp is not None]
            if page.last_seq is not None and stamps:
                self._remember(_Mark(page.last_seq, max(stamps)))
                after = page.last_seq
            if not page.has_more:
                break
        else:
            return None  # more than MAX_PAGES × PAGE events to read: a walk is cheaper
        return changes if vouched and not every_row else None

    def _remember(self, mark: _Mark) -> None:
        self._marks.append(mark)
        del self._marks[:-MAX_MARKS]


def _covers(first_page: list[InboxEvent], moment: datetime) -> bool:
    """Read from the feed's start, does it reach back to ``moment`` (nothing since has expired)?

    An empty feed vouches for nothing: it may be empty because everything in it expired.
    """
    if not first_page:
        return False
    oldest = first_page[0]
    return oldest.seq <= 1 or (oldest.timestamp is not None and oldest.timestamp <= moment)


class ChangedThreads:
    """``list_threads(ThreadQuery(updated_since=T))`` answered from the feed: the threads it names.

    Page 1 reads the feed and every named thread (a prospect's event names all its threads, through
    ``GET /prospects/{id}``); later pages of the same query are cut from that answer. ``page``
    answers ``None`` when the feed cannot tell, and the provider walks every thread instead.
    """

    def __init__(self, http: InboxHttp, catalogue: InboxCatalogue) -> None:
        self.http = http
        self.catalogue = catalogue
        self.feed = ChangeFeed(http)
        self._rows: dict[ThreadQuery, list[ThreadSummary]] = {}

    async def page(self, query: ThreadQuery, page: int, page_size: int) -> ThreadPage | None:
        rows = self._rows.get(query) if page > 1 else None
        if rows is None:
            assert query.updated_since is not None
            found = await self.feed.since(query.updated_since)
            if found is None:
                return None
            rows = await self._read(found)
            self._rows = {query: rows}
        start = (page - 1) * page_size
        chunk = rows[start : start + page_size]
        more = start + page_size < len(rows)
        return CursorThreadPage(threads=chunk, page=page, page_size=page_size, total=start + len(chunk), more=more)

    async def _read(self, found: ChangeSet) -> list[ThreadSummary]:
        stamps = dict(found.threads)
        prospects = await asyncio.gather(*(self._optional(routes.prospect(pid), "prospect") for pid in found.prospects))
        for stamp, raw in zip(found.prospects.values(), prospects, strict=True):
            refs = parse(InboxProspect, raw, "prospect").context.threads if raw is not None else None
            for ref in refs or []:
                stamps[ref.id] = max(stamps.get(ref.id, stamp), stamp)
        raws, directory = await asyncio.gather(
            asyncio.gather(*(self._optional(routes.thread(tid), "thread") for tid in stamps)),
            self.catalogue.directory(),
        )
        rows: list[ThreadSummary] = []
        for stamp, raw in zip(stamps.values(), raws, strict=True):
            if raw is None:
                continue  # deleted since: the next full walk prunes it
            row = summary_of(parse(InboxThread, raw, "thread"), directory)
            rows.append(row.model_copy(update={"updated_at": max(stamp, row.updated_at or stamp)}))
        return sorted(rows, key=lambda r: (r.last_message_at, r.thread_id), reverse=True)

    async def _optional(self, path: str, what: str) -> dict[str, Any] | None:
        try:
            return await self.http.get_object(path, what=what)
        except NotFoundError:
            return None


__all__ = ["EVERY_ROW", "ChangeFeed", "ChangeSet", "ChangedThreads"]
