"""``ThreadCache``: the offline copy of every thread summary, and of the threads the rep opened.

What it is for: the app paints the list from here at start-up (before the network answers), keeps
working offline, and answers every filter locally — the server is only asked what changed since
the last sync (``sync.py``). So three paths must be fast at 100,000 threads:

* **a filter toggle** — SQL picks and orders the matching rows by walking one covering index and
  returns only their integer keys (one JSON array, decoded in C); the ``ThreadRow`` tuples come
  from an in-memory map filled from the columns the first time a row is needed and refreshed by
  every write. Building 100,000 tuples from SQLite costs ~0.6 s; fetching 100,000 keys ~20 ms.
  The tuples are the same objects the list widget holds, so the map costs no extra memory.
* **a keystroke in the search box** — the keyword is a substring test over the lower-cased search
  texts kept beside the rows (10–25 ms at 100,000 on the 2-core reference machine), applied to the
  key list of the other filters, which is remembered until the next write (so typing never
  repeats the SQL, and each further character only re-tests the previous matches).
* **a sync batch** — one transaction per page, ``executemany`` for every table.

Rules: parameterised SQL only; one connection guarded by a lock, so a thread worker may call in;
an older copy of a thread never overwrites a newer one (pages of a sync arrive out of order); the
file is private (``files.py``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from noxtui.domain.models import Thread, ThreadQuery, ThreadSummary
from noxtui.domain.rows import ThreadRow
from noxtui.storage.cache import files
from noxtui.storage.cache.columns import (
    ROW_SELECT,
    THREAD_COLUMNS,
    FlatThread,
    flatten,
    row_from_columns,
)
from noxtui.storage.cache.query import ORDER_BY, compile_query, needle, one_byte
from noxtui.storage.cache.rowmap import RowMap
from noxtui.storage.cache.schema import DROP_ALL, INDEXES, SCHEMA_VERSION, TABLES
from noxtui.storage.cache.scope import CacheScope

REMEMBERED_RESULTS = 8
"""Filter results (key lists) kept until the next write: typing a keyword re-runs no SQL, and
toggling back to the previous filter is a dictionary hit."""

MAX_FULL_THREADS = 2_000
"""Opened threads kept for offline reading; the least recently fetched are dropped beyond this."""

_EVERYTHING = ThreadQuery()

_ResultKey = tuple[int, ThreadQuery, str]
"""(scope id, the query without its keyword, the keyword as matched) -> matching keys."""

_UPSERT = (
    f"INSERT INTO threads(scope_id, {', '.join(THREAD_COLUMNS)}) VALUES (?, {', '.join('?' * len(THREAD_COLUMNS))}) "
    "ON CONFLICT(scope_id, thread_id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in THREAD_COLUMNS[1:])
)


def _flatten_batch(summaries: Iterable[ThreadSummary]) -> list[FlatThread]:
    """Flatten outside the write transaction (it is the CPU-heavy part); the last copy of an id wins."""
    latest: dict[str, FlatThread] = {}
    for summary in summaries:
        latest[summary.thread_id] = flatten(summary)
    return list(latest.values())


class CacheError(Exception):
    """The cache file cannot be opened or used (corrupt, not a database, unwritable)."""


class ThreadCache:
    """One cache file (``Paths.cache_dir / "threads.sqlite3"``) shared by every profile."""

    def __init__(self, path: str | Path, *, max_full_threads: int = MAX_FULL_THREADS) -> None:
        self.path = Path(path)
        self.max_full_threads = max_full_threads
        self._lock = threading.RLock()
        self._scopes: dict[CacheScope, int] = {}
        self._map = RowMap()
        self._results: OrderedDict[_ResultKey, list[int]] = OrderedDict()
        conn: sqlite3.Connection | None = None
        try:
            files.ensure_private_file(self.path)
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10.0)
            self._conn = conn
            self._setup()
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            raise CacheError(f"The thread cache at {self.path} cannot be used: {exc}") from exc
        files.tighten(self.path)

    @classmethod
    def open_or_rebuild(cls, path: str | Path, *, check: bool = False, **kwargs: int) -> ThreadCache:
        """Open the cache; if the file is unusable, delete it and start empty (the next sync refills it).

        ``check=True`` also runs ``health()`` (SQLite's ``quick_check``) and rebuilds on damage. It is
        off by default because it reads the whole file: ~0.2 s for 100,000 threads when the file is
        in the OS cache, several seconds when it is not — too slow before the first paint. Run it
        from ``doctor`` or from a worker after the list is on screen instead.
        """
        try:
            cache = cls(path, **kwargs)
        except CacheError:
            files.remove_database(Path(path))
            return cls(path, **kwargs)
        if not check:
            return cache
        ok, _ = cache.health()
        if ok:
            return cache
        cache.close()
        files.remove_database(Path(path))
        return cls(path, **kwargs)

    def _setup(self) -> None:
        conn = self._conn
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA temp_store=MEMORY")
        # 16 MB of page cache: the filter indexes of 100,000 threads fit (~12 MB); more only adds RSS.
        conn.execute("PRAGMA cache_size=-16384")
        conn.execute("PRAGMA foreign_keys=OFF")
        version = None
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cache_meta'").fetchone():
            found = conn.execute("SELECT value FROM cache_meta WHERE key = 'schema_version'").fetchone()
            version = found[0] if found else None
        if version is not None and version != str(SCHEMA_VERSION):
            conn.executescript(DROP_ALL)
        conn.executescript(TABLES)
        conn.executescript(INDEXES)
        conn.execute(
            "INSERT OR IGNORE INTO cache_meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    # --- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent). The WAL is folded into the main file first."""
        with self._lock:
            conn = getattr(self, "_conn", None)
            if conn is None:
                return
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            conn.close()
            self._conn = None  # type: ignore[assignment]
            self._map.clear()
            self._results.clear()

    def __enter__(self) -> ThreadCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One immediate write transaction; rolls back whole on any error."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                self._scopes.clear()  # a scope row created in this transaction is gone again
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot, so keys and the rows they name come from one state of the file."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    # --- scopes ---------------------------------------------------------------------------------

    def _scope_id(self, scope: CacheScope, *, create: bool) -> int | None:
        known = self._scopes.get(scope)
        if known is not None:
            return known
        conn = self._conn
        found = conn.execute(
            "SELECT scope_id FROM scopes WHERE provider = ? AND account = ?", (scope.provider, scope.account)
        ).fetchone()
        if found is None:
            if not create:
                return None
            cursor = conn.execute("INSERT INTO scopes(provider, account) VALUES (?, ?)", (scope.provider, scope.account))
            scope_id = int(cursor.lastrowid or 0)
        else:
            scope_id = int(found[0])
        self._scopes[scope] = scope_id
        return scope_id

    def scopes(self) -> list[CacheScope]:
        """Every account the cache holds threads for (``doctor`` and logout list them)."""
        with self._lock:
            rows = self._conn.execute("SELECT provider, account FROM scopes ORDER BY scope_id").fetchall()
        return [CacheScope(provider, account) for provider, account in rows]

    # --- summaries ------------------------------------------------------------------------------

    def upsert_summaries(self, scope: CacheScope, summaries: Iterable[ThreadSummary]) -> int:
        """Write a batch of summaries in one transaction; returns how many rows were written.

        A summary older than the cached copy (by ``updated_at``) is skipped: pages of a sync are
        fetched concurrently and may land after a fresher copy from ``message get``.
        """
        batch = _flatten_batch(summaries)
        if not batch:
            return 0
        with self._lock:
            with self._tx() as conn:
                written = self._upsert(conn, scope, batch)
            self._remember(written)
        return len(written)

    def _upsert(
        self, conn: sqlite3.Connection, scope: CacheScope, batch: list[FlatThread]
    ) -> list[tuple[int, FlatThread]]:
        """Write inside the caller's transaction; the row map is updated only after it commits."""
        scope_id = self._scope_id(scope, create=True)
        assert scope_id is not None
        flats = self._newer_only(conn, scope_id, batch)
        if not flats:
            return []
        return list(zip(self._write_flats(conn, scope_id, flats), flats))

    def _remember(self, written: list[tuple[int, FlatThread]]) -> None:
        """Put freshly written rows in the row map and drop remembered results (they may be stale)."""
        if not written:
            return
        self._results.clear()
        for key, flat in written:
            self._map.put(key, flat.row, one_byte(flat.search))

    def _newer_only(self, conn: sqlite3.Connection, scope_id: int, flats: list[FlatThread]) -> list[FlatThread]:
        ids = json.dumps([flat.thread_id for flat in flats])
        cached = dict(
            conn.execute(
                "SELECT thread_id, updated_ms FROM threads WHERE scope_id = ? "
                "AND thread_id IN (SELECT value FROM json_each(?))",
                (scope_id, ids),
            ).fetchall()
        )
        out: list[FlatThread] = []
        for flat in flats:
            before = cached.get(flat.thread_id)
            if before is not None and flat.updated_ms is not None and flat.updated_ms < before:
                continue
            out.append(flat)
        return out

    def _write_flats(self, conn: sqlite3.Connection, scope_id: int, flats: list[FlatThread]) -> list[int]:
        conn.executemany(_UPSERT, [(scope_id, *flat[: len(THREAD_COLUMNS)]) for flat in flats])
        key_of = dict(
            conn.execute(
                "SELECT thread_id, k FROM threads WHERE scope_id = ? AND thread_id IN (SELECT value FROM json_each(?))",
                (scope_id, json.dumps([flat.thread_id for flat in flats])),
            ).fetchall()
        )
        keys = [int(key_of[flat.thread_id]) for flat in flats]
        key_list = json.dumps(keys)
        conn.executemany(
            "INSERT OR REPLACE INTO thread_json(k, summary) VALUES (?, ?)",
            [(key, flat.summary_json) for key, flat in zip(keys, flats)],
        )
        conn.execute("DELETE FROM thread_labels WHERE k IN (SELECT value FROM json_each(?))", (key_list,))
        conn.execute("DELETE FROM thread_projects WHERE k IN (SELECT value FROM json_each(?))", (key_list,))
        conn.executemany(
            "INSERT OR IGNORE INTO thread_labels(k, label_id) VALUES (?, ?)",
            [(key, label) for key, flat in zip(keys, flats) for label in flat.label_list],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO thread_projects(k, project_id) VALUES (?, ?)",
            [(key, project) for key, flat in zip(keys, flats) for project in flat.project_list],
        )
        return keys

    def rows(self, scope: CacheScope, query: ThreadQuery | None = None) -> list[ThreadRow]:
        """Every cached thread matching ``query``, newest message first, as list rows."""
        with self._lock:
            return self._map.rows(self._matching_keys(scope, query or _EVERYTHING))

    def thread_ids(self, scope: CacheScope, query: ThreadQuery | None = None) -> list[str]:
        """The ids ``rows`` would return, in the same order."""
        return [row.thread_id for row in self.rows(scope, query)]

    def count(self, scope: CacheScope, query: ThreadQuery | None = None) -> int:
        """How many cached threads match ``query`` (what the filter bar's "N threads" shows offline)."""
        with self._lock:
            return len(self._matching_keys(scope, query or _EVERYTHING))

    def _matching_keys(self, scope: CacheScope, query: ThreadQuery) -> list[int]:
        """Keys of the matching rows in list order; every one of them is in the row map on return.

        SQL does every filter but the keyword (an index walk, see ``query.py``); the keyword is a
        substring test over the in-memory search texts of those rows. Results are remembered until
        the next write, and a keyword that extends a remembered one (the rep typing on) only
        re-tests that one's matches, so each keystroke scans fewer rows than the last.
        """
        scope_id = self._scope_id(scope, create=False)
        if scope_id is None:
            return []
        flat = query.model_copy(update={"keyword": None}) if query.keyword is not None else query
        text = needle(query)
        found = self._recall((scope_id, flat, text))
        if found is not None:
            return found
        if not text:
            return self._remember_result((scope_id, flat, ""), self._flat_keys(scope_id, flat))
        base = self._narrowest((scope_id, flat), text)
        if base is None:
            base = self._matching_keys(scope, flat)
        return self._remember_result((scope_id, flat, text), self._map.matching(base, text))

    def _recall(self, key: _ResultKey) -> list[int] | None:
        found = self._results.get(key)
        if found is not None:
            self._results.move_to_end(key)
        return found

    def _remember_result(self, key: _ResultKey, keys: list[int]) -> list[int]:
        self._results[key] = keys
        while len(self._results) > REMEMBERED_RESULTS:
            self._results.popitem(last=False)
        return keys

    def _narrowest(self, flat: tuple[int, ThreadQuery], text: str) -> list[int] | None:
        """The smallest remembered result for the same filters whose keyword ``text`` contains."""
        best: list[int] | None = None
        for (scope_id, query, known), keys in self._results.items():
            if known and (scope_id, query) == flat and known in text and (best is None or len(keys) < len(best)):
                best = keys
        return best

    def _flat_keys(self, scope_id: int, query: ThreadQuery) -> list[int]:
        """The SQL part: keys of rows matching every filter but the keyword, in list order."""
        compiled = compile_query(scope_id, query)
        with self._read() as conn:
            # One JSON array instead of one Python tuple per row: ~2x faster at 100,000 rows. The
            # aggregate keeps the sub-select's order (SQLite never flattens an ORDER BY sub-select
            # into an aggregate query).
            found = conn.execute(
                f"SELECT json_group_array(k) FROM (SELECT t.k FROM threads t INDEXED BY {compiled.index} "
                f"WHERE {compiled.where} ORDER BY {ORDER_BY})",
                compiled.params,
            ).fetchone()[0]
            keys: list[int] = json.loads(found) if found else []
            missing = self._map.missing(keys)
            if missing:
                self._load_rows(conn, missing)
        return keys

    def _load_rows(self, conn: sqlite3.Connection, keys: list[int]) -> None:
        """Fill the row map (and the search texts, see ``one_byte``) for ``keys`` from the columns."""
        put = self._map.put
        for values in conn.execute(
            f"SELECT t.k, t.search, {ROW_SELECT} FROM threads t WHERE t.k IN (SELECT value FROM json_each(?))",
            (json.dumps(keys),),
        ):
            put(values[0], row_from_columns(values[2:]), one_byte(values[1]))

    def summary(self, scope: CacheScope, thread_id: str) -> ThreadSummary | None:
        """One cached summary as the server sent it (for plans built while offline)."""
        with self._read() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return None
            found = conn.execute(
                "SELECT j.summary FROM threads t JOIN thread_json j ON j.k = t.k WHERE t.scope_id = ? AND t.thread_id = ?",
                (scope_id, thread_id),
            ).fetchone()
        return None if found is None else ThreadSummary.model_validate_json(found[0])

    def versions(self, scope: CacheScope, thread_ids: Sequence[str]) -> dict[str, tuple[float, int | None]]:
        """``(last_ts, updated_ms)`` of the given threads as cached; ids not cached are absent.

        The sync engine compares a fresh page with this to tell a new reply (``last_ts`` moved) from
        any other change (``updated_ms`` moved) from a thread it already had (neither moved).
        """
        if not thread_ids:
            return {}
        with self._read() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return {}
            found = conn.execute(
                "SELECT thread_id, last_ts, updated_ms FROM threads WHERE scope_id = ? "
                "AND thread_id IN (SELECT value FROM json_each(?))",
                (scope_id, json.dumps(list(thread_ids))),
            ).fetchall()
        return {thread_id: (float(ts), updated) for thread_id, ts, updated in found}

    def remove(self, scope: CacheScope, thread_ids: Iterable[str]) -> int:
        """Forget threads (archived, or gone from the server); returns how many were cached."""
        ids = json.dumps(list(thread_ids))
        with self._tx() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return 0
            keys = [
                int(r[0])
                for r in conn.execute(
                    "SELECT k FROM threads WHERE scope_id = ? AND thread_id IN (SELECT value FROM json_each(?))",
                    (scope_id, ids),
                )
            ]
            self._delete_keys(conn, keys)
            conn.execute(
                "DELETE FROM full_threads WHERE scope_id = ? AND thread_id IN (SELECT value FROM json_each(?))",
                (scope_id, ids),
            )
            self._forget(keys)
        return len(keys)

    def prune(self, scope: CacheScope, keep: Iterable[str]) -> list[str]:
        """Forget every thread of ``scope`` not in ``keep`` (after a full sync); returns their ids."""
        keep_json = json.dumps(list(keep))
        with self._read() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return []
            gone = [
                r[0]
                for r in conn.execute(
                    "SELECT thread_id FROM threads WHERE scope_id = ? "
                    "AND thread_id NOT IN (SELECT value FROM json_each(?))",
                    (scope_id, keep_json),
                )
            ]
        if gone:
            self.remove(scope, gone)
        return gone

    def _delete_keys(self, conn: sqlite3.Connection, keys: list[int]) -> None:
        key_list = json.dumps(keys)
        for table in ("threads", "thread_json", "thread_labels", "thread_projects"):
            # Table names are fixed literals, never input.
            conn.execute(f"DELETE FROM {table} WHERE k IN (SELECT value FROM json_each(?))", (key_list,))

    def clear(self, scope: CacheScope) -> None:
        """Drop everything cached for one account (logout, or a profile pointed elsewhere)."""
        with self._tx() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return
            keys = [int(r[0]) for r in conn.execute("SELECT k FROM threads WHERE scope_id = ?", (scope_id,))]
            self._delete_keys(conn, keys)
            conn.execute("DELETE FROM full_threads WHERE scope_id = ?", (scope_id,))
            conn.execute("DELETE FROM sync_state WHERE scope_id = ?", (scope_id,))
            self._forget(keys)

    def _forget(self, keys: list[int]) -> None:
        """Drop rows from the map (under the lock; harmless if the transaction then rolls back,
        since a missing row is simply read again from its columns)."""
        self._results.clear()
        self._map.drop(keys)

    # --- opened threads -------------------------------------------------------------------------

    def save_thread(self, scope: CacheScope, thread: Thread, *, fetched_at: datetime | None = None) -> None:
        """Keep an opened thread for offline reading; its summary refreshes the list row too.

        ``fetched_at`` defaults to now on this machine: it answers "how old is what I'm reading",
        which is about this machine's fetch, not about the server's data.
        """
        when = (fetched_at or datetime.now(timezone.utc)).timestamp()
        body = thread.model_dump_json()
        batch = _flatten_batch([thread])
        with self._lock:
            with self._tx() as conn:
                written = self._upsert(conn, scope, batch)
                scope_id = self._scope_id(scope, create=True)
                conn.execute(
                    "INSERT INTO full_threads(scope_id, thread_id, body, fetched_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(scope_id, thread_id) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
                    (scope_id, thread.thread_id, body, when),
                )
                conn.execute(
                    "DELETE FROM full_threads WHERE scope_id = ? AND thread_id NOT IN "
                    "(SELECT thread_id FROM full_threads WHERE scope_id = ? ORDER BY fetched_at DESC LIMIT ?)",
                    (scope_id, scope_id, self.max_full_threads),
                )
            self._remember(written)

    def load_thread(self, scope: CacheScope, thread_id: str) -> tuple[Thread, datetime] | None:
        """The thread as last opened and when it was fetched, or ``None`` if never opened here."""
        with self._read() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return None
            found = conn.execute(
                "SELECT body, fetched_at FROM full_threads WHERE scope_id = ? AND thread_id = ?", (scope_id, thread_id)
            ).fetchone()
        if found is None:
            return None
        return Thread.model_validate_json(found[0]), datetime.fromtimestamp(found[1], tz=timezone.utc)

    # --- sync state -----------------------------------------------------------------------------

    def watermark(self, scope: CacheScope) -> datetime | None:
        """The newest server ``updated_at`` already mirrored: the next ``updated_since``."""
        with self._lock:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is None:
                return None
            found = self._conn.execute("SELECT watermark FROM sync_state WHERE scope_id = ?", (scope_id,)).fetchone()
        return datetime.fromisoformat(found[0]) if found and found[0] else None

    def set_watermark(self, scope: CacheScope, when: datetime) -> None:
        """Advance the watermark to ``when`` (a server time); it never moves backwards."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        ms = int(round(when.timestamp() * 1000))
        with self._tx() as conn:
            scope_id = self._scope_id(scope, create=True)
            conn.execute(
                "INSERT INTO sync_state(scope_id, watermark, watermark_ms) VALUES (?, ?, ?) "
                "ON CONFLICT(scope_id) DO UPDATE SET watermark = excluded.watermark, watermark_ms = excluded.watermark_ms "
                "WHERE sync_state.watermark_ms IS NULL OR excluded.watermark_ms > sync_state.watermark_ms",
                (scope_id, when.isoformat(), ms),
            )

    def reset_watermark(self, scope: CacheScope) -> None:
        """Forget the watermark, so the next sync of this scope is a full one."""
        with self._tx() as conn:
            scope_id = self._scope_id(scope, create=False)
            if scope_id is not None:
                conn.execute("DELETE FROM sync_state WHERE scope_id = ?", (scope_id,))

    # --- health ---------------------------------------------------------------------------------

    def health(self) -> tuple[bool, str]:
        """``(ok, message)`` for ``noxtui doctor``: SQLite's quick integrity check and the file mode."""
        try:
            with self._lock:
                result = [r[0] for r in self._conn.execute("PRAGMA quick_check").fetchall()]
                threads = self._conn.execute("SELECT COUNT(*) FROM threads").fetchone()[0]
        except sqlite3.Error as exc:
            return False, f"cache unreadable: {exc}"
        if result != ["ok"]:
            return False, "cache damaged: " + "; ".join(str(r) for r in result[:3])
        mode = self.path.stat().st_mode & 0o777
        if mode & 0o077:
            return False, f"cache file {self.path} is readable by other users (mode {mode:o}); expected 600"
        return True, f"ok: {threads} threads cached in {self.path}"
