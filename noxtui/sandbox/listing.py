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

All values are bound parameters; the SQL text is built only from fixed fragments.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from typing import Any

# Up to this many candidates, a set drives the query; above it, the covering scan is cheaper.
SET_DRIVE_LIMIT = 20_000
# When another filter already narrows to this many rows, the keyword is only probed per row.
KEYWORD_PROBE_LIMIT = 5_000

# Costs of a counting pass (µs, measured at 100,000 threads on a 2-core machine; only their ratios
# matter). A trigram match: read from the FTS index, then its ``ix_threads_by_seq`` entry looked up.
_FTS_MATCH_US = 0.5
# Walking all of ``ix_threads_by_seq``, checking the flat filters on each entry.
_INDEX_WALK_US = 5_000.0
# A row that passes them: its ``thread_text`` row read (in row order) and matched with LIKE.
_TEXT_ROW_US = 0.4

# A set's candidates are looked up in the narrow, row-ordered covering index, not in the table.
_BY_SEQ = "INDEXED BY ix_threads_by_seq"


def placeholders(count: int) -> str:
    """``?,?,?`` for ``count`` values (the only variable text that enters SQL)."""
    return ",".join("?" * count)


@dataclass(frozen=True)
class ThreadFilters:
    """``message list`` filters, already validated; ``None`` / empty means "any"."""

    needs_reply: bool | None = None
    direction: str | None = None
    business_kind: str | None = None
    business_id: str | None = None
    coop_status: str | None = None
    project_ids: tuple[str, ...] = ()
    owner_uids: tuple[str, ...] = ()
    label_id: str | None = None
    keyword: str | None = None
    updated_since_ms: int | None = None

    def flat_where(self) -> tuple[list[str], list[Any]]:
        """Conditions on ``threads`` columns only (alias ``t``)."""
        clauses = ["t.archived = 0"]
        params: list[Any] = []
        for column, value in (
            ("t.last_message_direction", self.direction),
            ("t.business_kind", self.business_kind),
            ("t.business_id", self.business_id),
            ("t.coop_status", self.coop_status),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.needs_reply is not None:
            clauses.append("t.needs_reply = ?")
            params.append(1 if self.needs_reply else 0)
        if self.owner_uids:
            clauses.append(f"t.owner_uid IN ({placeholders(len(self.owner_uids))})")
            params.extend(self.owner_uids)
        if self.updated_since_ms is not None:
            clauses.append("t.updated_at > ?")
            params.append(self.updated_since_ms)
        return clauses, params


@dataclass
class _SetFilter:
    """A filter that names a set of thread rows, in two forms: as a list, and as a per-row probe."""

    size: int
    in_sql: str
    in_params: list[Any]
    probe_sql: str
    probe_params: list[Any]


@dataclass
class _Driver:
    size: int
    hint: str
    set_filter: _SetFilter | None = None


def keyword_phrase(keyword: str) -> str:
    """One quoted FTS5 phrase: a literal substring match (inner quotes doubled, nothing else special)."""
    return '"' + keyword.replace('"', '""') + '"'


def like_pattern(needle: str) -> str:
    """``needle`` as a ``LIKE … ESCAPE '\\'`` substring pattern: ``%``, ``_`` and ``\\`` mean themselves.

    Over the lower-cased ``thread_text`` (and a lower-cased needle) this answers exactly what
    ``instr(search_text, needle) > 0`` does — LIKE folds ASCII case only, and there is none left to
    fold — at about half the cost per row.
    """
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Does thread ``t`` contain the keyword? (one LIKE on one narrow row, found by rowid)
_TEXT_PROBE = "EXISTS (SELECT 1 FROM thread_text x WHERE x.seq = t.seq AND x.search_text LIKE ? ESCAPE '\\')"


def _label_filter(conn: sqlite3.Connection, label_id: str) -> _SetFilter:
    size = conn.execute("SELECT COUNT(*) FROM thread_labels WHERE label_id = ?", (label_id,)).fetchone()[0]
    return _SetFilter(
        size,
        "t.seq IN (SELECT thread_seq FROM thread_labels WHERE label_id = ?)",
        [label_id],
        "EXISTS (SELECT 1 FROM thread_labels l WHERE l.thread_seq = t.seq AND l.label_id = ?)",
        [label_id],
    )


def _projects_filter(conn: sqlite3.Connection, project_ids: tuple[str, ...]) -> _SetFilter:
    marks = placeholders(len(project_ids))
    size = conn.execute(
        f"SELECT COUNT(*) FROM thread_projects WHERE project_id IN ({marks})", list(project_ids)
    ).fetchone()[0]
    return _SetFilter(
        size,
        f"t.seq IN (SELECT thread_seq FROM thread_projects WHERE project_id IN ({marks}))",
        list(project_ids),
        f"EXISTS (SELECT 1 FROM thread_projects p WHERE p.thread_seq = t.seq AND p.project_id IN ({marks}))",
        list(project_ids),
    )


def _fts_matches(conn: sqlite3.Connection, needle: str) -> int:
    """How many threads (live or archived) contain ``needle`` (three characters or more), counted
    by the trigram index (a few ms, and no rows read)."""
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM thread_search WHERE thread_search MATCH ?", (keyword_phrase(needle),)
        ).fetchone()[0]
    )


def _probe_only_keyword(keyword: str) -> _SetFilter:
    pattern = like_pattern(keyword.lower())
    return _SetFilter(-1, _TEXT_PROBE, [pattern], _TEXT_PROBE, [pattern])


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
    conn: sqlite3.Connection, f: ThreadFilters, *, page: int, page_size: int
) -> tuple[list[int], int]:
    """Row numbers of one page (newest message first, ties by newest thread) and the total."""
    offset = (page - 1) * page_size
    sets: list[_SetFilter] = []
    if f.label_id is not None:
        sets.append(_label_filter(conn, f.label_id))
    if f.project_ids:
        sets.append(_projects_filter(conn, f.project_ids))
    drivers = [_Driver(s.size, _BY_SEQ, s) for s in sets] + _flat_drivers(conn, f)
    best = min(drivers, key=lambda d: d.size) if drivers else None
    if f.keyword:
        if best is None or best.size > KEYWORD_PROBE_LIMIT:
            return _keyword_page(conn, f, sets, [d.size for d in drivers], offset, page_size)
        sets.append(_probe_only_keyword(f.keyword))
    if best is not None and best.size == 0:
        return [], 0
    flat, flat_params = f.flat_where()

    if best is not None and best.size <= SET_DRIVE_LIMIT:
        clauses, params = list(flat), list(flat_params)
        for s in sets:
            chosen = s is best.set_filter
            clauses.append(s.in_sql if chosen else s.probe_sql)
            params.extend(s.in_params if chosen else s.probe_params)
        where = " AND ".join(clauses)
        # One pass: the window count rides along with the page (the sort is SQLite's top-N).
        rows = conn.execute(
            f"SELECT t.seq, COUNT(*) OVER () FROM threads t {best.hint} WHERE {where} "
            "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
            [*params, page_size, offset],
        ).fetchall()
        if rows:
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
    total = int(
        conn.execute(
            f"SELECT COUNT(*) FROM threads t INDEXED BY ix_threads_live_wide WHERE {' AND '.join(count_clauses)}",
            count_params,
        ).fetchone()[0]
    )
    if total <= offset:
        return [], total
    seqs = [
        r[0]
        for r in conn.execute(
            f"SELECT t.seq FROM threads t INDEXED BY ix_threads_live_wide WHERE {' AND '.join(page_clauses)} "
            "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
            [*page_params, page_size, offset],
        )
    ]
    return seqs, total


def _keyword_only(f: ThreadFilters) -> bool:
    return bool(f.keyword) and len(f.keyword or "") >= 3 and f == ThreadFilters(keyword=f.keyword)


def _broad_keyword_page(
    conn: sqlite3.Connection, keyword: str, matches: int, offset: int, page_size: int
) -> tuple[list[int], int]:
    """A keyword alone that matches a large share of the workspace (think "the").

    The FTS index already counted every match (live and archived); subtract the archived ones
    (few, probed one by one) instead of building a list of tens of thousands of rows. The page
    walks the newest-first index and stops as soon as it has enough matches.
    """
    pattern = like_pattern(keyword.lower())
    probe = _TEXT_PROBE
    archived = conn.execute(
        f"SELECT COUNT(*) FROM threads t INDEXED BY ix_threads_live_wide WHERE t.archived = 1 AND {probe}", (pattern,)
    ).fetchone()[0]
    total = matches - int(archived)
    if total <= offset:
        return [], total
    seqs = [
        r[0]
        for r in conn.execute(
            f"SELECT t.seq FROM threads t INDEXED BY ix_threads_live_wide WHERE t.archived = 0 AND {probe} "
            "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
            (pattern, page_size, offset),
        )
    ]
    return seqs, total


@dataclass(frozen=True)
class _Pass:
    """One counting pass over a keyword's candidates: where the rows come from (``t`` is always
    ``ix_threads_by_seq``), the keyword's own condition, and about how many rows it reads."""

    source: str
    condition: str
    params: list[Any]
    rows: int


def _keyword_page(
    conn: sqlite3.Connection,
    f: ThreadFilters,
    sets: list[_SetFilter],
    sizes: list[int],
    offset: int,
    page_size: int,
) -> tuple[list[int], int]:
    """A keyword, and no other filter small enough to drive with the keyword probed per row.

    Why two passes to choose from: a trigram keyword's matches, listed by the FTS index in row
    order, cost ~0.5 µs each; reading the text of every row that passes the other filters costs
    ~0.4 µs a row after a ~5 ms index walk. A common keyword with a narrowing filter (``collab``,
    24,000 matches, and a 14,000-thread label) is cheaper the second way; the same keyword with
    only weak filters, or any rarer one, the first. A keyword of one or two characters has only the
    second — and then no combination reads all 100,000 texts unless nothing narrows at all, where
    the text alone answers (``_count_text_only``). ``sizes`` are the exact sizes of the other
    filters already counted (label, projects, task, updated since): the bound on the second pass.
    """
    needle = (f.keyword or "").lower()
    threads = _thread_bound(conn)
    few_limit = _few_limit(threads, offset, page_size)
    text_rows = min([threads, *sizes])
    if len(needle) >= 3:
        matches = _fts_matches(conn, needle)
        if matches == 0:
            return [], 0
        if _keyword_only(f) and matches > SET_DRIVE_LIMIT:
            return _broad_keyword_page(conn, f.keyword or "", matches, offset, page_size)
        if matches * _FTS_MATCH_US <= _INDEX_WALK_US + text_rows * _TEXT_ROW_US:
            counted = _count_pass(conn, f, sets, _fts_pass(needle, matches), few_limit)
            return _page_after_count(conn, f, sets, counted, offset, page_size)
    pattern = like_pattern(needle)
    if not sets and f == ThreadFilters(keyword=f.keyword) and _archived(conn) <= KEYWORD_PROBE_LIMIT:
        counted = _count_text_only(conn, pattern, few_limit)
    else:
        counted = _count_pass(conn, f, sets, _text_pass(pattern, text_rows), few_limit)
    return _page_after_count(conn, f, sets, counted, offset, page_size)


def _fts_pass(needle: str, matches: int) -> _Pass:
    """The keyword's trigram matches, in row order, each looked up in ``ix_threads_by_seq``."""
    return _Pass(
        "thread_search s CROSS JOIN threads t INDEXED BY ix_threads_by_seq ON t.seq = s.rowid",
        "thread_search MATCH ?",
        [keyword_phrase(needle)],
        matches,
    )


def _text_pass(pattern: str, rows: int) -> _Pass:
    """``ix_threads_by_seq`` walked in row order; each entry passing the other filters reads its
    ``thread_text`` row (looked up in the same order, so the reads are near-sequential)."""
    return _Pass(
        "threads t INDEXED BY ix_threads_by_seq CROSS JOIN thread_text x ON x.seq = t.seq",
        "x.search_text LIKE ? ESCAPE '\\'",
        [pattern],
        rows,
    )


def _count_pass(
    conn: sqlite3.Connection, f: ThreadFilters, sets: list[_SetFilter], source: _Pass, few_limit: int
) -> tuple[int, str | None]:
    """Every match counted in one pass over ``source``, and listed (JSON) when ``few_limit`` or fewer.

    ``CROSS JOIN`` pins the order: ``ix_threads_by_seq`` entries are visited in row order, so the
    flat filters are checked on the narrow entry before anything else is read. A set filter is one
    list (built once) unless it is much larger than the rows the pass reads; then a probe per row.
    """
    flat, flat_params = f.flat_where()
    clauses, params = [source.condition, *flat], [*source.params, *flat_params]
    for s in sets:
        listed = s.size <= 4 * source.rows
        clauses.append(s.in_sql if listed else s.probe_sql)
        params.extend(s.in_params if listed else s.probe_params)
    total, few = conn.execute(
        "SELECT COUNT(*), CASE WHEN COUNT(*) <= ? THEN json_group_array(t.seq) END "
        f"FROM {source.source} WHERE {' AND '.join(clauses)}",
        [few_limit, *params],
    ).fetchone()
    return int(total), few


def _page_after_count(
    conn: sqlite3.Connection,
    f: ThreadFilters,
    sets: list[_SetFilter],
    counted: tuple[int, str | None],
    offset: int,
    page_size: int,
) -> tuple[list[int], int]:
    """The page once the matches are counted: sorted from their list when few; when many, found by
    the newest-first walk of ``ix_threads_live_wide`` (probing the text per row), which then stops
    within a few hundred rows."""
    total, few = counted
    if total <= offset:
        return [], total
    if few is not None:
        return _page_of_listed(conn, few, offset, page_size), total
    flat, flat_params = f.flat_where()
    page_clauses, page_params = list(flat), list(flat_params)
    for s in sets:
        page_clauses.append(s.probe_sql)
        page_params.extend(s.probe_params)
    page_clauses.append(_TEXT_PROBE)
    page_params.append(like_pattern((f.keyword or "").lower()))
    rows = conn.execute(
        f"SELECT t.seq FROM threads t INDEXED BY ix_threads_live_wide WHERE {' AND '.join(page_clauses)} "
        "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        [*page_params, page_size, offset],
    )
    return [r[0] for r in rows], total


def _thread_bound(conn: sqlite3.Connection) -> int:
    """An instant upper bound for the number of threads (the highest row number)."""
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM threads").fetchone()[0])


def _few_limit(threads: int, offset: int, page_size: int) -> int:
    """Up to how many matches sorting them all beats the newest-first walk that probes each row.

    Sorting ``n`` listed matches costs ~``n`` lookups; the walk, with matches spread evenly, reads
    about ``(offset + page_size) · threads / n`` rows before the page is full. The two cross at
    ``n = sqrt(2 · (offset + page_size) · threads)`` (a row walked and probed costs about two
    lookups): ~3,200 at 100,000 threads for the first page, more for deeper pages, which the walk
    would reach only late.
    """
    return max(page_size, math.isqrt(2 * (offset + page_size) * threads))


def _count_text_only(conn: sqlite3.Connection, pattern: str, few_limit: int) -> tuple[int, str | None]:
    """A keyword alone that trigrams cannot index: count the matching text rows and take away the
    archived ones (few — the caller checks — each probed), which skips looking up 100,000 index
    entries. The listed matches may include archived rows; ``_page_of_listed`` drops them."""
    matches, few = conn.execute(
        "SELECT COUNT(*), CASE WHEN COUNT(*) <= ? THEN json_group_array(seq) END "
        "FROM thread_text WHERE search_text LIKE ? ESCAPE '\\'",
        (few_limit, pattern),
    ).fetchone()
    archived = conn.execute(
        f"SELECT COUNT(*) FROM threads t INDEXED BY ix_threads_live_wide WHERE t.archived = 1 AND {_TEXT_PROBE}",
        (pattern,),
    ).fetchone()[0]
    return int(matches) - int(archived), few


def _archived(conn: sqlite3.Connection) -> int:
    """How many threads are archived (a range count on the index ``archived`` leads)."""
    return int(
        conn.execute("SELECT COUNT(*) FROM threads INDEXED BY ix_threads_live_wide WHERE archived = 1").fetchone()[0]
    )


def _page_of_listed(conn: sqlite3.Connection, listed: str, offset: int, page_size: int) -> list[int]:
    """One page of the live threads in ``listed`` (a JSON array of row numbers, in ``seq`` order).

    The list drives: each row is looked up in ``ix_threads_by_seq`` (narrow, and visited in order)
    for the sort key, and SQLite keeps only the top ``offset + page_size``."""
    rows = conn.execute(
        "SELECT t.seq FROM json_each(?) j CROSS JOIN threads t INDEXED BY ix_threads_by_seq ON t.seq = j.value "
        "WHERE t.archived = 0 ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        (listed, page_size, offset),
    )
    return [r[0] for r in rows]
