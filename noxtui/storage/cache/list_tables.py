"""SQL over the summary tables (``threads`` and its side tables ``thread_json``, labels, projects).

Each function runs inside a transaction or snapshot the caller opened (``CacheConnection.tx`` or
``read``) and takes the scope id, never the scope: which account a row belongs to is decided once,
by the caller. The in-memory rows (``filtering.py``) are updated by the caller after the
transaction commits, so a rollback never leaves the memory ahead of the file.

Why batches: a sync page is one ``executemany`` per table, and id lists go into SQL as one JSON
array read back with ``json_each`` — one parameter whatever the batch size, and never spliced text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from noxtui.domain.models import ThreadSummary
from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache import search_index
from noxtui.storage.cache.columns import ROW_SELECT, THREAD_COLUMNS, FlatThread, flatten, row_from_columns

Written = list[tuple[int, FlatThread]]
"""(row key, what was written) for every row a write changed: what the row map is refreshed from."""

_UPSERT = (
    f"INSERT INTO threads(k, scope_id, {', '.join(THREAD_COLUMNS)}) "
    f"VALUES (?, ?, {', '.join('?' * len(THREAD_COLUMNS))}) "
    "ON CONFLICT(k) DO UPDATE SET " + ", ".join(f"{column} = excluded.{column}" for column in THREAD_COLUMNS[1:])
)

_KEYED_TABLES = ("threads", "thread_json", "thread_labels", "thread_projects")


def flatten_batch(summaries: Iterable[ThreadSummary]) -> list[FlatThread]:
    """Flatten outside the write transaction (it is the CPU-heavy part); see ``newest_copies``."""
    return newest_copies(map(flatten, summaries))


def newest_copies(flats: Iterable[FlatThread]) -> list[FlatThread]:
    """Of two copies of an id (a batch of several pages, the list shifted between them) the newer
    by ``updated_at`` wins, as it would have written page by page; on a tie, the later one."""
    latest: dict[str, FlatThread] = {}
    for flat in flats:
        kept = latest.get(flat.thread_id)
        if kept is not None and kept.updated_ms is not None and flat.updated_ms is not None:
            if flat.updated_ms < kept.updated_ms:
                continue
        latest[flat.thread_id] = flat
    return list(latest.values())


def write_newer(conn: sqlite3.Connection, scope_id: int, batch: list[FlatThread]) -> Written:
    """Write every row of ``batch`` that is not older (by ``updated_at``) than the cached copy.

    Pages of a sync are fetched concurrently and may land after a fresher copy from ``message
    get``: an older copy of a thread must never overwrite a newer one.
    """
    cached = {
        thread_id: (key, updated)
        for thread_id, key, updated in conn.execute(
            "SELECT thread_id, k, updated_ms FROM threads WHERE scope_id = ? "
            "AND thread_id IN (SELECT value FROM json_each(?))",
            (scope_id, json.dumps([flat.thread_id for flat in batch])),
        )
    }
    keys: list[int] = []
    flats: list[FlatThread] = []
    rewritten: list[int] = []
    next_key = 0
    for flat in batch:
        found = cached.get(flat.thread_id)
        if found is None:  # a new row: its key is chosen here, so no query has to find it again
            if not next_key:
                next_key = int(conn.execute("SELECT coalesce(max(k), 0) + 1 FROM threads").fetchone()[0])
            key, next_key = next_key, next_key + 1
        elif found[1] is not None and flat.updated_ms is not None and flat.updated_ms < found[1]:
            continue  # older than the cached copy
        else:
            key = found[0]
            rewritten.append(key)
        keys.append(key)
        flats.append(flat)
    if flats:
        write_rows(conn, scope_id, keys, flats, rewritten=rewritten)
    return list(zip(keys, flats, strict=True))


def write_rows(
    conn: sqlite3.Connection, scope_id: int, keys: list[int], flats: list[FlatThread], *, rewritten: list[int]
) -> None:
    """Upsert the rows under their keys, then write their JSON, labels and projects (``rewritten``:
    the keys of rows that were already cached, whose labels and projects are replaced)."""
    width = len(THREAD_COLUMNS)
    conn.executemany(_UPSERT, [(key, scope_id, *flat[:width]) for key, flat in zip(keys, flats, strict=True)])
    conn.executemany(
        "INSERT OR REPLACE INTO thread_json(k, summary) VALUES (?, ?)",
        [(key, flat.summary_json) for key, flat in zip(keys, flats, strict=True)],
    )
    if rewritten:
        key_list = json.dumps(rewritten)
        conn.execute("DELETE FROM thread_labels WHERE k IN (SELECT value FROM json_each(?))", (key_list,))
        conn.execute("DELETE FROM thread_projects WHERE k IN (SELECT value FROM json_each(?))", (key_list,))
    conn.executemany(
        "INSERT OR IGNORE INTO thread_labels(k, label_id) VALUES (?, ?)",
        [(key, label) for key, flat in zip(keys, flats, strict=True) for label in flat.label_list],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO thread_projects(k, project_id) VALUES (?, ?)",
        [(key, project) for key, flat in zip(keys, flats, strict=True) for project in flat.project_list],
    )
    search_index.refresh(conn, keys)


def keys_of(conn: sqlite3.Connection, scope_id: int, thread_ids: Sequence[str]) -> list[int]:
    """The row keys of those of ``thread_ids`` that are cached."""
    return [
        int(found[0])
        for found in conn.execute(
            "SELECT k FROM threads WHERE scope_id = ? AND thread_id IN (SELECT value FROM json_each(?))",
            (scope_id, json.dumps(list(thread_ids))),
        )
    ]


def rows_by_key(conn: sqlite3.Connection, keys: list[int]) -> dict[int, ThreadRow]:
    """The list rows of ``keys`` (one indexed query; keys not cached are absent)."""
    return {
        values[0]: row_from_columns(values[1:])
        for values in conn.execute(
            f"SELECT t.k, {ROW_SELECT} FROM threads t WHERE t.k IN (SELECT value FROM json_each(?))",
            (json.dumps(keys),),
        )
    }


def count(conn: sqlite3.Connection, scope_id: int) -> int:
    """How many threads the scope holds."""
    return int(conn.execute("SELECT count(*) FROM threads WHERE scope_id = ?", (scope_id,)).fetchone()[0])


def all_keys(conn: sqlite3.Connection, scope_id: int) -> list[int]:
    """Every row key of the scope."""
    return [int(found[0]) for found in conn.execute("SELECT k FROM threads WHERE scope_id = ?", (scope_id,))]


def ids_not_in(conn: sqlite3.Connection, scope_id: int, keep: Iterable[str]) -> list[str]:
    """The cached thread ids of the scope that ``keep`` does not name."""
    return [
        found[0]
        for found in conn.execute(
            "SELECT thread_id FROM threads WHERE scope_id = ? AND thread_id NOT IN (SELECT value FROM json_each(?))",
            (scope_id, json.dumps(list(keep))),
        )
    ]


def delete_keys(conn: sqlite3.Connection, keys: list[int]) -> None:
    """Delete the rows and everything keyed by them."""
    key_list = json.dumps(keys)
    for table in _KEYED_TABLES:
        # Table names are fixed literals, never input.
        conn.execute(f"DELETE FROM {table} WHERE k IN (SELECT value FROM json_each(?))", (key_list,))
    search_index.refresh(conn, keys)


def read_summary(conn: sqlite3.Connection, scope_id: int, thread_id: str) -> ThreadSummary | None:
    """One summary as the server sent it (unknown fields kept), or ``None``."""
    found = conn.execute(
        "SELECT j.summary FROM threads t JOIN thread_json j ON j.k = t.k WHERE t.scope_id = ? AND t.thread_id = ?",
        (scope_id, thread_id),
    ).fetchone()
    return None if found is None else ThreadSummary.model_validate_json(found[0])


def read_versions(
    conn: sqlite3.Connection, scope_id: int, thread_ids: Sequence[str]
) -> dict[str, tuple[float, int | None]]:
    """``(last_ts, updated_ms)`` of those of ``thread_ids`` that are cached."""
    found = conn.execute(
        "SELECT thread_id, last_ts, updated_ms FROM threads WHERE scope_id = ? "
        "AND thread_id IN (SELECT value FROM json_each(?))",
        (scope_id, json.dumps(list(thread_ids))),
    ).fetchall()
    return {thread_id: (float(ts), updated) for thread_id, ts, updated in found}
