"""The SQL pieces ``listing.py`` chooses between, each run as it is told.

A set filter in its two forms (a list, or a per-row probe), the keyword as a trigram phrase or an
escaped ``LIKE``, and the keyword plans' passes: count (and list, when few) the matches one way or
the other, then fetch the page from the list or by the newest-first walk. Which piece runs, and
when, is decided in ``listing.py`` from measured sizes; nothing here chooses.

All values are bound parameters; the SQL text is built only from fixed fragments.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from noxtui.sandbox.database import placeholders
from noxtui.sandbox.nox.thread_filters import ThreadFilters


@dataclass
class SetFilter:
    """A filter that names a set of thread rows, in two forms: as a list, and as a per-row probe."""

    size: int
    in_sql: str
    in_params: list[Any]
    probe_sql: str
    probe_params: list[Any]


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
TEXT_PROBE = "EXISTS (SELECT 1 FROM thread_text x WHERE x.seq = t.seq AND x.search_text LIKE ? ESCAPE '\\')"


def label_filter(conn: sqlite3.Connection, label_id: str) -> SetFilter:
    size = conn.execute("SELECT COUNT(*) FROM thread_labels WHERE label_id = ?", (label_id,)).fetchone()[0]
    return SetFilter(
        size,
        "t.seq IN (SELECT thread_seq FROM thread_labels WHERE label_id = ?)",
        [label_id],
        "EXISTS (SELECT 1 FROM thread_labels l WHERE l.thread_seq = t.seq AND l.label_id = ?)",
        [label_id],
    )


def projects_filter(conn: sqlite3.Connection, project_ids: tuple[str, ...]) -> SetFilter:
    marks = placeholders(len(project_ids))
    size = conn.execute(
        f"SELECT COUNT(*) FROM thread_projects WHERE project_id IN ({marks})", list(project_ids)
    ).fetchone()[0]
    return SetFilter(
        size,
        f"t.seq IN (SELECT thread_seq FROM thread_projects WHERE project_id IN ({marks}))",
        list(project_ids),
        f"EXISTS (SELECT 1 FROM thread_projects p WHERE p.thread_seq = t.seq AND p.project_id IN ({marks}))",
        list(project_ids),
    )


def fts_matches(conn: sqlite3.Connection, needle: str) -> int:
    """How many threads (live or archived) contain ``needle`` (three characters or more), counted
    by the trigram index (a few ms, and no rows read)."""
    return int(
        conn.execute(
            "SELECT COUNT(*) FROM thread_search WHERE thread_search MATCH ?", (keyword_phrase(needle),)
        ).fetchone()[0]
    )


def probe_only_keyword(keyword: str) -> SetFilter:
    pattern = like_pattern(keyword.lower())
    return SetFilter(-1, TEXT_PROBE, [pattern], TEXT_PROBE, [pattern])


def broad_keyword_page(
    conn: sqlite3.Connection, keyword: str, matches: int, offset: int, page_size: int
) -> tuple[list[int], int]:
    """A keyword alone that matches a large share of the workspace (think "the").

    The FTS index already counted every match (live and archived); subtract the archived ones
    (few, probed one by one) instead of building a list of tens of thousands of rows. The page
    walks the newest-first index and stops as soon as it has enough matches.
    """
    pattern = like_pattern(keyword.lower())
    probe = TEXT_PROBE
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
class Pass:
    """One counting pass over a keyword's candidates: where the rows come from (``t`` is always
    ``ix_threads_by_seq``), the keyword's own condition, and about how many rows it reads."""

    source: str
    condition: str
    params: list[Any]
    rows: int


def fts_pass(needle: str, matches: int) -> Pass:
    """The keyword's trigram matches, in row order, each looked up in ``ix_threads_by_seq``."""
    return Pass(
        "thread_search s CROSS JOIN threads t INDEXED BY ix_threads_by_seq ON t.seq = s.rowid",
        "thread_search MATCH ?",
        [keyword_phrase(needle)],
        matches,
    )


def text_pass(pattern: str, rows: int) -> Pass:
    """``ix_threads_by_seq`` walked in row order; each entry passing the other filters reads its
    ``thread_text`` row (looked up in the same order, so the reads are near-sequential)."""
    return Pass(
        "threads t INDEXED BY ix_threads_by_seq CROSS JOIN thread_text x ON x.seq = t.seq",
        "x.search_text LIKE ? ESCAPE '\\'",
        [pattern],
        rows,
    )


def count_pass(
    conn: sqlite3.Connection, f: ThreadFilters, sets: list[SetFilter], source: Pass, few_limit: int
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


def page_after_count(
    conn: sqlite3.Connection,
    f: ThreadFilters,
    sets: list[SetFilter],
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
        return page_of_listed(conn, few, offset, page_size), total
    flat, flat_params = f.flat_where()
    page_clauses, page_params = list(flat), list(flat_params)
    for s in sets:
        page_clauses.append(s.probe_sql)
        page_params.extend(s.probe_params)
    page_clauses.append(TEXT_PROBE)
    page_params.append(like_pattern((f.keyword or "").lower()))
    rows = conn.execute(
        f"SELECT t.seq FROM threads t INDEXED BY ix_threads_live_wide WHERE {' AND '.join(page_clauses)} "
        "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        [*page_params, page_size, offset],
    )
    return [r[0] for r in rows], total


def thread_bound(conn: sqlite3.Connection) -> int:
    """An instant upper bound for the number of threads (the highest row number)."""
    return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM threads").fetchone()[0])


def count_text_only(conn: sqlite3.Connection, pattern: str, few_limit: int) -> tuple[int, str | None]:
    """A keyword alone that trigrams cannot index: count the matching text rows and take away the
    archived ones (few — the caller checks — each probed), which skips looking up 100,000 index
    entries. The listed matches may include archived rows; ``page_of_listed`` drops them."""
    matches, few = conn.execute(
        "SELECT COUNT(*), CASE WHEN COUNT(*) <= ? THEN json_group_array(seq) END "
        "FROM thread_text WHERE search_text LIKE ? ESCAPE '\\'",
        (few_limit, pattern),
    ).fetchone()
    archived = conn.execute(
        f"SELECT COUNT(*) FROM threads t INDEXED BY ix_threads_live_wide WHERE t.archived = 1 AND {TEXT_PROBE}",
        (pattern,),
    ).fetchone()[0]
    return int(matches) - int(archived), few


def archived_count(conn: sqlite3.Connection) -> int:
    """How many threads are archived (a range count on the index ``archived`` leads)."""
    return int(
        conn.execute("SELECT COUNT(*) FROM threads INDEXED BY ix_threads_live_wide WHERE archived = 1").fetchone()[0]
    )


def page_of_listed(conn: sqlite3.Connection, listed: str, offset: int, page_size: int) -> list[int]:
    """One page of the live threads in ``listed`` (a JSON array of row numbers, in ``seq`` order).

    The list drives: each row is looked up in ``ix_threads_by_seq`` (narrow, and visited in order)
    for the sort key, and SQLite keeps only the top ``offset + page_size``."""
    rows = conn.execute(
        "SELECT t.seq FROM json_each(?) j CROSS JOIN threads t INDEXED BY ix_threads_by_seq ON t.seq = j.value "
        "WHERE t.archived = 0 ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        (listed, page_size, offset),
    )
    return [r[0] for r in rows]
