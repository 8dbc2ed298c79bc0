"""``message list`` as SQL: filters, and the choice of plan that keeps every combination fast.

Why a planner at all: SQLite's own choice (without statistics, or with sampled ones) can walk the
wrong index and sort 85,000 rows for one page. Here the plan is picked from cheap, exact sizes:

* **driven by a small set** — the smallest of: the label's threads, the projects' threads, the
  task's threads (``business_id``), or the threads updated since a time. Its candidates are looked
  up once (a label's in ``ix_threads_by_seq``, a narrow covering entry, not the table row), the
  other filters are checked per row, and the page and the total (a window ``COUNT(*) OVER ()``)
  come from that one pass. Cost: ~1 µs per candidate.
* **the covering scan** — when no filter is selective, ``ix_threads_live_wide`` (newest first,
  holding every flat filter column) is walked index-only: ``COUNT(*)`` reads it once and the
  page stops after ``offset + page_size`` matches.
* **a keyword with nothing small to drive** (``_keyword_page``): one counting pass, driven by
  whichever is cheaper — the keyword's trigram matches (in row order, each looked up in
  ``ix_threads_by_seq``) or the rows passing every other filter (``ix_threads_by_seq`` walked,
  each passing row's text read in the same row order). A keyword of one or two characters, which
  trigrams cannot index, always takes the second. The same pass lists the matches when they are
  few, so the page is sorted from them; when they are many, the newest-first walk finds it early.

From ``INDEX_FROM_THREADS`` threads on, every one of these visits too many rows (a million-thread
workspace: 0.1–3 s for a broad filter, a two-letter keyword, or only the total), so lists come
from the list index instead (``list_index.py``, ``index_page.py``): the same answers from sets
intersected in memory, built once per state of the data.

This module decides; ``listing_passes.py`` holds the SQL pieces it decides between. The tuning
below (limits and costs) lives here alone, so a test can move it to force each plan in turn.
All values are bound parameters; the SQL text is built only from fixed fragments.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass

from noxtui.sandbox.nox import listing_passes as passes
from noxtui.sandbox.nox.index_page import index_page
from noxtui.sandbox.nox.list_index import kept_list_index
from noxtui.sandbox.nox.paging_memory import AFTER_MARK_SQL, ListWalk, PagingMemory, after_mark_params
from noxtui.sandbox.nox.thread_filters import ThreadFilters

# Up to this many candidates, a set drives the query; above it, the covering scan is cheaper. A
# candidate looked up costs about as much as four entries of the covering scan, so the line moves
# with the workspace: a quarter of its threads (a 137,000-thread label at 1,000,000: 0.25 s, not 0.9 s).
SET_DRIVE_LIMIT = 20_000
SET_DRIVE_SHARE = 0.25
# When another filter already narrows to this many rows, the keyword is only probed per row.
KEYWORD_PROBE_LIMIT = 5_000
# From this many threads on, lists are answered from the list index (``index_page.py``): every SQL
# plan here visits the rows a broad filter matches (and even sizing the drivers counts up to 30%
# of the workspace), ~0.1–3 s at 1,000,000 threads and 30–80 ms at 100,000 on a loaded 2-core
# machine (a two-letter keyword across a broad filter), where the index answers in under 10 ms.
# Below this size the SQL plans stay inside the 50 ms budget (half the cost at 100,000) with no
# index to rebuild after each write. The index is built once per state of the data (~0.5 s at
# 100,000, ~5 s at a million): until it is, a list with a filter narrowing it to
# ``INDEX_UNLESS_DRIVER`` rows takes the SQL plan instead.
INDEX_FROM_THREADS = 50_000
INDEX_UNLESS_DRIVER = 5_000

# Costs of a counting pass (µs, measured at 100,000 threads on a 2-core machine; only their ratios
# matter). A trigram match: read from the FTS index, then its ``ix_threads_by_seq`` entry looked up.
_FTS_MATCH_US = 0.5
# Walking ``ix_threads_by_seq``, checking the flat filters on each entry (5 ms for all of 100,000:
# the walk grows with the workspace, so it is costed per entry).
_INDEX_ENTRY_US = 0.05
# A row that passes them: its ``thread_text`` row read (in row order) and matched with LIKE.
_TEXT_ROW_US = 0.4

# A set's candidates are looked up in the narrow, row-ordered covering index, not in the table.
_BY_SEQ = "INDEXED BY ix_threads_by_seq"


@dataclass
class _Driver:
    size: int
    hint: str
    set_filter: passes.SetFilter | None = None


def _flat_drivers(conn: sqlite3.Connection, f: ThreadFilters) -> list[_Driver]:
    drivers: list[_Driver] = []
    if f.business_id is not None:
        size = conn.execute(
            "SELECT COUNT(*) FROM threads INDEXED BY ix_threads_live_business WHERE archived = 0 AND business_id = ?",
            (f.business_id,),
        ).fetchone()[0]
        drivers.append(_Driver(size, "INDEXED BY ix_threads_live_business"))
    if f.updated_since_ms is not None:
        size = conn.execute(
            "SELECT COUNT(*) FROM threads INDEXED BY ix_threads_live_updated WHERE archived = 0 AND updated_at > ?",
            (f.updated_since_ms,),
        ).fetchone()[0]
        drivers.append(_Driver(size, "INDEXED BY ix_threads_live_updated"))
    return drivers


def page_of_threads(
    conn: sqlite3.Connection, f: ThreadFilters, *, page: int, page_size: int, memory: PagingMemory | None = None
) -> tuple[list[int], int]:
    """Row numbers of one page (newest message first, ties by newest thread) and the total.

    ``memory`` (the connection's, outside write transactions) lets a later page of the same list
    start where an earlier one ended instead of re-walking and recounting (``paging_memory.py``).
    """
    offset = (page - 1) * page_size
    large = passes.thread_bound(conn) >= INDEX_FROM_THREADS
    kept = kept_list_index(conn) if large else None
    if kept is not None:
        return index_page(conn, f, offset=offset, page_size=page_size, index=kept)
    walk = memory.walk(conn, f) if memory is not None and offset > 0 else None
    sets: list[passes.SetFilter] = []
    if f.label_id is not None:
        sets.append(passes.label_filter(conn, f.label_id))
    if f.project_ids:
        sets.append(passes.projects_filter(conn, f.project_ids))
    drivers = [_Driver(s.size, _BY_SEQ, s) for s in sets] + _flat_drivers(conn, f)
    best = min(drivers, key=lambda d: d.size) if drivers else None
    if large and (best is None or best.size > INDEX_UNLESS_DRIVER):
        return index_page(conn, f, offset=offset, page_size=page_size)
    if f.keyword:
        if best is None or best.size > KEYWORD_PROBE_LIMIT:
            return _keyword_page(conn, f, sets, [d.size for d in drivers], offset, page_size)
        sets.append(passes.probe_only_keyword(f.keyword))
    if best is not None and best.size == 0:
        return [], 0
    flat, flat_params = f.flat_where()

    if best is not None and best.size <= max(SET_DRIVE_LIMIT, int(passes.thread_bound(conn) * SET_DRIVE_SHARE)):
        clauses, params = list(flat), list(flat_params)
        for s in sets:
            chosen = s is best.set_filter
            clauses.append(s.in_sql if chosen else s.probe_sql)
            params.extend(s.in_params if chosen else s.probe_params)
        if walk is not None:
            return _ordered_page(conn, best.hint, clauses, params, offset, page_size, walk), walk.total
        where = " AND ".join(clauses)
        # One pass: the window count rides along with the page (the sort is SQLite's top-N).
        rows = conn.execute(
            f"SELECT t.seq, COUNT(*) OVER (), t.last_message_at FROM threads t {best.hint} WHERE {where} "
            "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
            [*params, page_size, offset],
        ).fetchall()
        if rows:
            if memory is not None:
                memory.start(conn, f, int(rows[0][1])).remember(offset + len(rows), (rows[-1][2], rows[-1][0]))
            return [r[0] for r in rows], int(rows[0][1])
        if offset == 0:
            return [], 0
        total = conn.execute(f"SELECT COUNT(*) FROM threads t {best.hint} WHERE {where}", params).fetchone()[0]
        return [], int(total)

    # Covering scan. The total uses each set as one list (built once); the page, which stops
    # early, probes row by row instead of building the lists again.
    count_clauses, count_params = list(flat), list(flat_params)
    page_clauses, page_params = list(flat), list(flat_params)
    for s in sets:
        count_clauses.append(s.in_sql)
        count_params.extend(s.in_params)
        page_clauses.append(s.probe_sql)
        page_params.extend(s.probe_params)
    if walk is None:
        total = int(
            conn.execute(
                f"SELECT COUNT(*) FROM threads t INDEXED BY ix_threads_live_wide WHERE {' AND '.join(count_clauses)}",
                count_params,
            ).fetchone()[0]
        )
        if memory is not None:
            walk = memory.start(conn, f, total)
    else:
        total = walk.total
    if total <= offset:
        return [], total
    hint = "INDEXED BY ix_threads_live_wide"
    return _ordered_page(conn, hint, page_clauses, page_params, offset, page_size, walk), total


def _ordered_page(
    conn: sqlite3.Connection,
    hint: str,
    clauses: list[str],
    params: list[object],
    offset: int,
    page_size: int,
    walk: ListWalk | None,
) -> list[int]:
    """One page in list order: from the nearest mark of ``walk`` when there is one (skipping only
    the rows between it and ``offset``), else from the top; notes where the page ended."""
    skip = offset
    nearest = walk.nearest(offset) if walk is not None else None
    if nearest is not None:
        at, mark = nearest
        skip = offset - at
        clauses = [*clauses, AFTER_MARK_SQL]
        params = [*params, *after_mark_params(mark)]
    rows = conn.execute(
        f"SELECT t.seq, t.last_message_at FROM threads t {hint} WHERE {' AND '.join(clauses)} "
        "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        [*params, page_size, skip],
    ).fetchall()
    if walk is not None and rows:
        walk.remember(offset + len(rows), (rows[-1][1], rows[-1][0]))
    return [r[0] for r in rows]


def _keyword_only(f: ThreadFilters) -> bool:
    return bool(f.keyword) and len(f.keyword or "") >= 3 and f == ThreadFilters(keyword=f.keyword)


def _keyword_page(
    conn: sqlite3.Connection,
    f: ThreadFilters,
    sets: list[passes.SetFilter],
    sizes: list[int],
    offset: int,
    page_size: int,
) -> tuple[list[int], int]:
    """A keyword, and no other filter small enough to drive with the keyword probed per row.

    Why two passes to choose from: a trigram keyword's matches, listed by the FTS index in row
    order, cost ~0.5 µs each; reading the text of every row that passes the other filters costs
    ~0.4 µs a row after an index walk (~5 ms at 100,000 threads). A common keyword with a
    narrowing filter (``collab``, 24,000 matches, and a 14,000-thread label) is cheaper the second
    way; the same keyword with only weak filters, or any rarer one, the first. A keyword of one or
    two characters has only the second — and then no combination reads all the texts unless
    nothing narrows at all, where the text alone answers (``passes.count_text_only``). ``sizes``
    are the exact sizes of the other filters already counted (label, projects, task, updated
    since): the bound on the second pass.
    """
    needle = (f.keyword or "").lower()
    threads = passes.thread_bound(conn)
    few_limit = _few_limit(threads, offset, page_size)
    text_rows = min([threads, *sizes])
    if len(needle) >= 3:
        matches = passes.fts_matches(conn, needle)
        if matches == 0:
            return [], 0
        if _keyword_only(f) and matches > SET_DRIVE_LIMIT:
            return passes.broad_keyword_page(conn, f.keyword or "", matches, offset, page_size)
        if matches * _FTS_MATCH_US <= threads * _INDEX_ENTRY_US + text_rows * _TEXT_ROW_US:
            counted = passes.count_pass(conn, f, sets, passes.fts_pass(needle, matches), few_limit)
            return passes.page_after_count(conn, f, sets, counted, offset, page_size)
    pattern = passes.like_pattern(needle)
    if not sets and f == ThreadFilters(keyword=f.keyword) and passes.archived_count(conn) <= KEYWORD_PROBE_LIMIT:
        counted = passes.count_text_only(conn, pattern, few_limit)
    else:
        counted = passes.count_pass(conn, f, sets, passes.text_pass(pattern, text_rows), few_limit)
    return passes.page_after_count(conn, f, sets, counted, offset, page_size)


def _few_limit(threads: int, offset: int, page_size: int) -> int:
    """Up to how many matches sorting them all beats the newest-first walk that probes each row.

    Sorting ``n`` listed matches costs ~``n`` lookups; the walk, with matches spread evenly, reads
    about ``(offset + page_size) · threads / n`` rows before the page is full. The two cross at
    ``n = sqrt(2 · (offset + page_size) · threads)`` (a row walked and probed costs about two
    lookups): ~3,200 at 100,000 threads for the first page, more for deeper pages, which the walk
    would reach only late.
    """
    return max(page_size, math.isqrt(2 * (offset + page_size) * threads))
