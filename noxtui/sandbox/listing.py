"""``message list`` as SQL: filters, and the choice of plan that keeps every combination fast.

Why a planner at all: SQLite's own choice (without statistics, or with sampled ones) can walk the
wrong index and sort 85,000 rows for one page. Here the plan is picked from cheap, exact sizes:

* **driven by a small set** — the smallest of: the label's threads, the projects' threads, the
  keyword's matches, the task's threads (``business_id``), or the threads updated since a time.
  Its candidates are looked up once (a label's or a keyword's in ``ix_threads_by_seq``, a narrow
  covering entry, not the table row), the other filters are checked per row, and the page and the
  total (a window ``COUNT(*) OVER ()``) come from that one pass. Cost: ~1 µs per candidate.
* **the covering scan** — when no filter is selective, ``ix_threads_live_wide`` (newest first,
  holding every flat filter column) is walked index-only: ``COUNT(*)`` reads it once and the
  page stops after ``offset + page_size`` matches.
* **a short keyword** (one or two characters, which trigrams cannot index) with nothing small to
  drive: one scan of the text, joined in row order to ``ix_threads_by_seq``, counts everything
  (``_short_keyword_page``).

All values are bound parameters; the SQL text is built only from fixed fragments.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

# Up to this many candidates, a set drives the query; above it, the covering scan is cheaper.
SET_DRIVE_LIMIT = 20_000
# When another filter already narrows to this many rows, the keyword is only probed per row.
KEYWORD_PROBE_LIMIT = 5_000


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


def _keyword_filter(conn: sqlite3.Connection, keyword: str) -> _SetFilter:
    """A keyword of three characters or more as a set, sized by the trigram index (a few ms); done
    only when no cheaper filter is already small enough to drive. Shorter keywords never come here
    (``_short_keyword_page``)."""
    needle = keyword.lower()
    phrase = keyword_phrase(needle)
    size = conn.execute("SELECT COUNT(*) FROM thread_search WHERE thread_search MATCH ?", (phrase,)).fetchone()[0]
    return _SetFilter(
        size,
        "t.seq IN (SELECT rowid FROM thread_search WHERE thread_search MATCH ?)",
        [phrase],
        _TEXT_PROBE,
        [like_pattern(needle)],
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
        if best is not None and best.size <= KEYWORD_PROBE_LIMIT:
            sets.append(_probe_only_keyword(f.keyword))
        elif len(f.keyword.lower()) < 3:
            return _short_keyword_page(conn, f, sets, offset, page_size)
        else:
            keyword = _keyword_filter(conn, f.keyword)
            sets.append(keyword)
            if best is None or keyword.size < best.size:
                best = _Driver(keyword.size, _BY_SEQ, keyword)
    if best is not None and best.size == 0:
        return [], 0
    flat, flat_params = f.flat_where()
    if best is not None and best.size > SET_DRIVE_LIMIT and _keyword_only(f):
        return _broad_keyword_page(conn, f.keyword or "", best.size, offset, page_size)

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


def _short_keyword_page(
    conn: sqlite3.Connection, f: ThreadFilters, sets: list[_SetFilter], offset: int, page_size: int
) -> tuple[list[int], int]:
    """A keyword of one or two characters (trigrams cannot index it) and no small set to drive.

    The text has to be scanned once, so that one scan does all the counting: ``thread_text`` and
    ``ix_threads_by_seq`` (every flat filter, in row order) are walked side by side, the other
    sets are probed, and the same pass hands back the matching rows when there are few of them.
    Few → the page is sorted from that list; many → the newest-first walk finds its page within a
    few hundred rows, probing the text per row.
    """
    pattern = like_pattern((f.keyword or "").lower())
    flat, flat_params = f.flat_where()
    clauses, params = list(flat), list(flat_params)
    for s in sets:
        clauses.append(s.in_sql)
        params.extend(s.in_params)
    total, few = conn.execute(
        "SELECT COUNT(*), CASE WHEN COUNT(*) <= ? THEN json_group_array(t.seq) END "
        "FROM threads t INDEXED BY ix_threads_by_seq JOIN thread_text x ON x.seq = t.seq "
        f"WHERE x.search_text LIKE ? ESCAPE '\\' AND {' AND '.join(clauses)}",
        [SET_DRIVE_LIMIT, pattern, *params],
    ).fetchone()
    total = int(total)
    if total <= offset:
        return [], total
    if few is not None:
        rows = conn.execute(
            "SELECT t.seq FROM threads t WHERE t.seq IN (SELECT value FROM json_each(?)) "
            "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
            (few, page_size, offset),
        )
        return [r[0] for r in rows], total
    page_clauses, page_params = list(flat), list(flat_params)
    for s in sets:
        page_clauses.append(s.probe_sql)
        page_params.extend(s.probe_params)
    page_clauses.append(_TEXT_PROBE)
    page_params.append(pattern)
    rows = conn.execute(
        f"SELECT t.seq FROM threads t INDEXED BY ix_threads_live_wide WHERE {' AND '.join(page_clauses)} "
        "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        [*page_params, page_size, offset],
    )
    return [r[0] for r in rows], total
