"""A ``ThreadSummary`` flattened into the cache's ``threads`` columns.

The list row (``ThreadRow``) is computed here once, at write time, by the same function the app
uses for rows from the network (``row_from_summary``), so a row read back from the cache is
identical to one built from a fresh page — there is one definition of what a line shows.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from noxtui.domain.rows import PlainSummaries, ThreadRow, row_from_plain, row_from_summary

if TYPE_CHECKING:  # read before first paint (first_page.py); pydantic is not
    from noxtui.domain.models import ThreadPage, ThreadSummary

SEARCH_SEPARATOR = "\x1f"
"""Joins the searchable fields so a keyword can never match across two of them."""


def search_text(summary: ThreadSummary) -> str:
    """What a keyword is matched against: creator name, handle, subject and snippet, lower-cased.

    The same fields and the same folding (``str.lower``) as ``message list --keyword`` on the
    server, so a local filter and a server filter agree.
    """
    creator = summary.creator
    parts = (creator.name, creator.handle or "", summary.subject, summary.snippet)
    return SEARCH_SEPARATOR.join(part.lower() for part in parts)


def epoch_ms(summary: ThreadSummary) -> int | None:
    """``updated_at`` as epoch milliseconds (the watermark's unit), or ``None`` if not sent."""
    if summary.updated_at is None:
        return None
    return int(round(summary.updated_at.timestamp() * 1000))


class FlatThread(NamedTuple):
    """One ``threads`` row without its key, plus what goes into the side tables."""

    thread_id: str
    needs_reply: int
    direction: str
    coop_code: str
    owner_uid: str | None
    business_kind: str
    business_id: str
    label_ids: str
    project_ids: str
    last_ts: float
    updated_ms: int | None
    search: str
    creator_name: str
    platform: str
    snippet: str
    labels: str
    coop_name: str
    has_draft: int
    scheduled: int
    # side tables (not columns of ``threads``)
    label_list: tuple[str, ...]
    project_list: tuple[str, ...]
    summary_json: str


THREAD_COLUMNS = FlatThread._fields[:19]
"""The ``threads`` columns ``FlatThread`` fills, in order (everything before the side tables)."""


def flatten(summary: ThreadSummary) -> FlatThread:
    """Every column the cache stores for one summary (a ``Thread`` is stored as its summary part)."""
    row = row_from_summary(summary)
    label_list = tuple([label.label_id for label in summary.labels])
    project_list = tuple(summary.project_ids)
    return FlatThread(
        thread_id=summary.thread_id,
        needs_reply=1 if summary.needs_reply else 0,
        direction=summary.last_message_direction,
        coop_code=row.coop_code,
        owner_uid=summary.owner_uid,
        business_kind=summary.business_kind,
        business_id=summary.business_id,
        label_ids=id_list_json(label_list),
        project_ids=id_list_json(project_list),
        last_ts=row.last_ts,
        updated_ms=epoch_ms(summary),
        search=search_text(summary),
        creator_name=row.creator_name,
        platform=row.platform,
        snippet=row.snippet,
        labels=row.labels,
        coop_name=row.coop_name,
        has_draft=1 if row.has_draft else 0,
        scheduled=1 if row.scheduled else 0,
        label_list=label_list,
        project_list=project_list,
        summary_json=summary_json(summary),
    )


def flatten_plain(item: dict[str, Any], text: str) -> FlatThread:
    """``flatten`` for a checked plain item of ``PlainSummaries`` (no model): the same columns, and
    the item's own JSON text as its stored summary. A test compares the two on awkward values."""
    row = row_from_plain(item)
    labels = item.get("labels")
    label_list = tuple([label["label_id"] for label in labels]) if labels else ()
    projects = item.get("project_ids")
    project_list = tuple(projects) if projects else ()
    creator = item["creator"]
    updated = item.get("updated_at")
    # Lower-cased whole: the separator is neither cased nor case-ignorable, so each part lowers as
    # it would alone (a final sigma included; a test holds it) for one call instead of four.
    search = SEARCH_SEPARATOR.join(
        (creator["name"], creator.get("handle") or "", item.get("subject", ""), item.get("snippet", ""))
    ).lower()
    return _new_flat(FlatThread, (
        row.thread_id, 1 if row.needs_reply else 0, item["last_message_direction"], row.coop_code,
        item.get("owner_uid"), row.business_kind, row.business_id, id_list_json(label_list),
        id_list_json(project_list), row.last_ts,
        None if updated is None else int(round(datetime.fromisoformat(updated).timestamp() * 1000)),
        search, row.creator_name, row.platform, row.snippet, row.labels, row.coop_name,
        1 if row.has_draft else 0, 1 if row.scheduled else 0, label_list, project_list, text,
    ))  # fmt: skip


_new_flat = tuple.__new__
"""Builds a ``FlatThread`` from a tuple without the named tuple's keyword ``__new__`` (a million calls)."""


class FlatPage(NamedTuple):
    """A page of a sync, flattened: the live threads, the ids it says are archived, the newest stamp."""

    live: list[FlatThread]
    archived: list[str]
    newest: datetime | None


def flatten_page(page: ThreadPage | PlainSummaries) -> FlatPage:
    """Flatten a page either way it was read (models, or plain items); ``archived: true`` is not live."""
    live: list[FlatThread] = []
    archived: list[str] = []
    newest: datetime | None = None
    if isinstance(page, PlainSummaries):
        newest_ms, stamps = -1, list[str]()  # the stamps of the newest millisecond seen
        for item, text in zip(page.items, page.texts, strict=True):
            if item.get("archived") is True:
                archived.append(item["thread_id"])
                continue
            flat = flatten_plain(item, text)
            live.append(flat)
            if flat.updated_ms is not None and flat.updated_ms >= newest_ms:
                if flat.updated_ms > newest_ms:
                    newest_ms, stamps = flat.updated_ms, []
                stamps.append(item["updated_at"])
        # Milliseconds narrow it down; the newest stamp to the microsecond is what is kept.
        return FlatPage(live, archived, max(map(datetime.fromisoformat, stamps)) if stamps else None)
    for summary in page.threads:
        if (summary.model_extra or {}).get("archived") is True:
            archived.append(summary.thread_id)
            continue
        live.append(flatten(summary))
        updated = summary.updated_at
        if updated is not None and (newest is None or updated > newest):
            newest = updated
    return FlatPage(live, archived, newest)


_ID_LISTS: dict[tuple[str, ...], str] = {}
_ID_LISTS_MAX = 50_000


def id_list_json(ids: tuple[str, ...]) -> str:
    """``json.dumps(ids)``, remembered: a workspace has a few hundred label and project sets shared
    by a million threads, and encoding each again was a tenth of a first sync's write path."""
    found = _ID_LISTS.get(ids)
    if found is None:
        if len(_ID_LISTS) >= _ID_LISTS_MAX:  # a bound, should every thread have its own set
            _ID_LISTS.clear()
        found = _ID_LISTS[ids] = json.dumps(ids)
    return found


def summary_json(summary: ThreadSummary) -> str:
    """The summary as the server sent it (unknown fields kept), without a ``Thread``'s conversation."""
    # A ``Thread`` is stored by its summary part, so the list table never carries conversations.
    # Asking pydantic to exclude costs more than the whole dump (~15 µs a row), so a plain summary,
    # which has none of those fields, is dumped as it is — the same text either way.
    if _DETAIL_FIELDS.isdisjoint(type(summary).model_fields) and _DETAIL_FIELDS.isdisjoint(summary.model_extra or ()):
        return summary.model_dump_json()
    return summary.model_dump_json(exclude=_DETAIL_FIELDS)


_DETAIL_FIELDS = {"messages", "composer", "metadata"}


ROW_SELECT = (
    "t.thread_id, t.creator_name, t.platform, t.snippet, t.needs_reply, t.direction = 'inbound', t.labels, "
    "t.coop_name, t.coop_code, t.last_ts, t.has_draft, t.scheduled, t.business_kind, t.business_id"
)
"""The ``ThreadRow`` fields, in order, as a select list over ``threads t``."""


_SHARED: dict[str, str] = {}
_share = _SHARED.setdefault
"""One string object per distinct value of the few-valued columns (platform, labels, status,
business kind and id). SQLite hands back a new ``str`` per row, so without this 100,000 rows carry
100,000 copies of "YT" and "Negotiating": ~30 MB at 100,000 threads."""


def row_from_columns(values: tuple[Any, ...]) -> ThreadRow:
    """A ``ThreadRow`` from ``ROW_SELECT`` columns; SQLite's 0/1 become real booleans."""
    (tid, name, platform, snippet, needs, inbound, labels, coop_name, coop_code, ts, draft, sched, kind, bid) = values
    return ThreadRow(
        tid, name, _share(platform, platform), snippet, needs == 1, inbound == 1, _share(labels, labels),
        _share(coop_name, coop_name), _share(coop_code, coop_code), ts, draft == 1, sched == 1,
        _share(kind, kind), _share(bid, bid),
    )  # fmt: skip
