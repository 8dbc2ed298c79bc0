"""``message list`` answered from the list index: filters as sets, the total as a bit count.

Each filter becomes the set of ranks it matches (``list_index.py``) and the sets are intersected;
the page is the matches at ``offset`` … in rank order, i.e. newest message first, ties by newest
thread — the order SQL gives. The keyword is applied last, because how depends on what is left:

* its set is already kept (a rep toggling filters under one keyword) — one more intersection;
* the other filters leave few threads (``PROBE_LIMIT``) — each one's text is matched, ~0.5 µs a row;
* else its set is made once (the trigram index's matches, or for one or two characters a ``LIKE``
  over ``thread_text``) and kept for the next lists with that keyword.

Same answers as the SQL plans (``listing.py``): ``tests/sandbox/test_list_index.py`` checks them against plain SQL.
"""

from __future__ import annotations

import json
import sqlite3

from noxtui.sandbox.nox import bitmaps
from noxtui.sandbox.nox.list_index import ListIndex, list_index
from noxtui.sandbox.nox.listing_passes import keyword_phrase, like_pattern
from noxtui.sandbox.nox.thread_filters import ThreadFilters

# Up to this many threads left by the other filters, a keyword is matched against each one's text
# (~0.5 µs a row) rather than its whole set made (up to ~1 s at 1,000,000 threads for ``ma``).
PROBE_LIMIT = 30_000


def index_page(
    conn: sqlite3.Connection, f: ThreadFilters, *, offset: int, page_size: int, index: ListIndex | None = None
) -> tuple[list[int], int]:
    """Row numbers of one page and the total, from ``index`` (by default the index of ``conn``'s
    snapshot, built now unless it is kept)."""
    if index is None:
        index = list_index(conn)
    matches = _without_keyword(conn, index, f)
    if matches is index.everything and not f.keyword:
        # No filter (a first sync's 10,000 pages at a million): the page is ranks offset … on.
        return index.seqs_at(range(offset, min(offset + page_size, index.size))), index.size
    if f.keyword and matches:
        matches &= _keyword(conn, index, f.keyword, matches)
    total = matches.bit_count()
    if total <= offset:
        return [], total
    return index.seqs_at(bitmaps.window(matches, offset, page_size)), total


def _without_keyword(conn: sqlite3.Connection, index: ListIndex, f: ThreadFilters) -> int:
    matches = index.everything
    for column, value in (
        ("last_message_direction", f.direction),
        ("business_kind", f.business_kind),
        ("coop_status", f.coop_status),
        ("needs_reply", None if f.needs_reply is None else int(f.needs_reply)),
    ):
        if value is not None:
            matches &= index.equals(conn, column, value)
    if f.owner_uids:
        owned = 0
        for owner in f.owner_uids:
            owned |= index.equals(conn, "owner_uid", owner)
        matches &= owned
    if f.business_id is not None:
        matches &= _business(conn, index, f.business_id)
    if f.updated_since_ms is not None:
        matches &= index.updated_after(conn, f.updated_since_ms)
    if f.view is not None:
        matches &= _view(conn, index, f.view)
    if f.label_id is not None:
        label = f.label_id
        matches &= index.kept(
            ("label", label),
            lambda: index.of_query(
                conn,
                "SELECT thread_seq FROM thread_labels INDEXED BY ix_thread_labels_label WHERE label_id = ?",
                [label],
            ),
        )
    if f.project_ids:
        projects = 0
        for project in f.project_ids:
            projects |= _project(conn, index, project)
        matches &= projects
    return matches


def _business(conn: sqlite3.Connection, index: ListIndex, business_id: str) -> int:
    return index.kept(
        ("business", business_id),
        lambda: index.of_query(
            conn,
            "SELECT seq FROM threads INDEXED BY ix_threads_live_business WHERE archived = 0 AND business_id = ?",
            [business_id],
        ),
    )


def _project(conn: sqlite3.Connection, index: ListIndex, project_id: str) -> int:
    return index.kept(
        ("project", project_id),
        lambda: index.of_query(
            conn,
            "SELECT thread_seq FROM thread_projects INDEXED BY ix_thread_projects_project WHERE project_id = ?",
            [project_id],
        ),
    )


def _view(conn: sqlite3.Connection, index: ListIndex, view: str) -> int:
    """The CLI's ``--status`` views (``thread_filters.VIEWS``) as sets."""
    if view == "deal":
        return index.equals(conn, "last_message_direction", "inbound")
    if view == "unread":
        seen = index.of_query(
            conn,
            "SELECT r.thread_seq FROM thread_reads r JOIN threads t ON t.seq = r.thread_seq "
            "WHERE r.seen_last_message_at >= t.last_message_at",
        )
        return index.equals(conn, "last_message_direction", "inbound") & ~seen
    if view == "draft":
        return index.of_query(conn, "SELECT seq FROM threads INDEXED BY ix_threads_drafted WHERE draft_body != ''")
    if view == "scheduled":
        return index.of_query(
            conn, "SELECT seq FROM threads INDEXED BY ix_threads_schedule WHERE schedule_at IS NOT NULL"
        )
    raise ValueError(f"unknown view {view!r}")


def _keyword(conn: sqlite3.Connection, index: ListIndex, keyword: str, others: int) -> int:
    """The threads among ``others`` whose text holds ``keyword`` (a superset is fine outside them)."""
    needle = keyword.lower()
    key = ("keyword", needle)
    if not index.is_kept(key) and others.bit_count() <= PROBE_LIMIT:
        seqs = index.seqs_at(bitmaps.positions(others))
        return index.of_query(
            conn,
            "SELECT x.seq FROM json_each(?) j JOIN thread_text x ON x.seq = j.value "
            "WHERE x.search_text LIKE ? ESCAPE '\\'",
            [json.dumps(seqs), like_pattern(needle)],
        )
    if len(needle) >= 3:
        sql, params = "SELECT rowid FROM thread_search WHERE thread_search MATCH ?", [keyword_phrase(needle)]
    else:
        sql, params = "SELECT seq FROM thread_text WHERE search_text LIKE ? ESCAPE '\\'", [like_pattern(needle)]
    return index.kept(key, lambda: index.of_query(conn, sql, params))
