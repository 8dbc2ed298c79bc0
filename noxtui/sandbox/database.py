"""One sandbox database file: connections, transactions, and the tables every faked vendor shares.

Both fakes (``nox/``, ``inbox/``) keep their rows in one SQLite file, so a write on either side
can commit together with its idempotency record (``endpoint.py``). This module is the part of that
file that knows no vendor: it opens it with a ``DatabaseSchema`` it is given, and it owns the two
tables every vendor uses, ``sandbox_meta`` and ``idempotency``. The vendor queries build on
``Database`` (``nox/store.py``) or borrow it (``inbox/store.py``).

Rules this module keeps, for every query built on it:

* **Parameterised SQL only.** Values always travel as ``?`` parameters; the only text ever
  assembled into SQL is fixed fragments and ``?`` placeholders counted from a list's length.
* **Thread-safe.** Starlette runs sync work in a thread pool, so each OS thread gets its own
  connection (``sqlite3`` connections must not be shared mid-statement). Writes are serialised by
  one process-wide lock and run as ``BEGIN IMMEDIATE`` transactions, so no writer ever meets
  ``SQLITE_BUSY`` and a failed request rolls back whole. WAL mode lets reads run beside a write.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JsonDict = dict[str, Any]

_MMAP_BYTES = 1 << 40  # "as much of the file as SQLite allows"

# Tables of the file itself, whatever vendors it fakes: its own key/value notes (schema version,
# the seed that made it) and the answers remembered per ``Idempotency-Key``.
SHARED_TABLES = """
CREATE TABLE IF NOT EXISTS sandbox_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS idempotency (
    key         TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);
"""


def placeholders(count: int) -> str:
    """``?,?,?`` for ``count`` values (the only variable text that enters SQL)."""
    return ",".join("?" * count)


@dataclass(frozen=True)
class DatabaseSchema:
    """What a ``Database`` creates in its file, besides ``SHARED_TABLES``.

    ``indexes`` are the ``ix_*`` indexes ``bulk_load`` drops and rebuilds around a seed.
    ``search_indexes`` name FTS5 tables kept over other tables' text: ``dump`` leaves them (and
    their shadow tables) out, ``clear`` empties them with FTS5's own ``'delete-all'``.
    """

    tables: str
    indexes: str
    version: int
    search_indexes: tuple[str, ...] = ()


class Database:
    """One sandbox file, opened (and its schema created) by the constructor."""

    def __init__(self, path: str | Path, schema: DatabaseSchema) -> None:
        self.path = str(path)
        if self.path == ":memory:":
            raise ValueError("the sandbox store needs a file path: every thread opens its own connection")
        self.schema = schema
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._closed = False
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SHARED_TABLES)
        conn.executescript(schema.tables)
        self._rebuild_changed_indexes(conn)
        conn.executescript(schema.indexes)
        conn.execute(
            "INSERT OR IGNORE INTO sandbox_meta(key, value) VALUES ('schema_version', ?)", (str(schema.version),)
        )

    def _rebuild_changed_indexes(self, conn: sqlite3.Connection) -> None:
        """Drop every index whose definition in the file is not the schema's (it is then created
        again from the schema): a workspace seeded by an older version — a million-thread bench
        database takes half an hour to seed — gets the current indexes in a minute, data untouched."""
        wanted: dict[str, tuple[str, str]] = {}  # name: (as the file keeps it, the statement)
        for statement in self.schema.indexes.split(";"):
            words = statement.split()
            if len(words) > 5 and words[:5] == ["CREATE", "INDEX", "IF", "NOT", "EXISTS"]:
                wanted[words[5]] = (" ".join(["CREATE", "INDEX", *words[5:]]), statement)
        existing = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        stale = [
            name
            for name, sql in conn.execute(existing).fetchall()
            if name in wanted and " ".join(sql.split()) != wanted[name][0]
        ]
        if not stale:
            return
        conn.execute("BEGIN IMMEDIATE")  # one transaction: no reader ever finds the index missing
        for name in stale:
            conn.execute(f'DROP INDEX "{name}"')  # names and statements come from the schema (code)
            conn.execute(wanted[name][1])
        conn.execute("COMMIT")

    # --- connections and transactions ---------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        if self._closed:
            raise RuntimeError("store is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA cache_size=-65536")
            conn.execute("PRAGMA temp_store=MEMORY")
            # Read pages straight from the OS's page cache instead of copying each into this
            # connection's own cache: a first sync reads every thread once in list order, i.e. in
            # random row order, so nearly every row is a cache miss (a million-thread file is 2.9 GB;
            # each thread's connection caches 64 MB). Measured on a 100,000-thread walk: ~80 -> ~62 µs
            # of sandbox CPU a thread. SQLite caps the size at its build's limit (2 GB here).
            conn.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")
            self._local.conn = conn
            self._local.depth = 0
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """An immediate write transaction, re-entrant within one thread; rolls back on any error."""
        with self._write_lock:
            conn = self._conn()
            depth: int = self._local.depth
            if depth == 0:
                conn.execute("BEGIN IMMEDIATE")
            self._local.depth = depth + 1
            try:
                yield conn
            except BaseException:
                self._local.depth = depth
                if depth == 0:
                    conn.execute("ROLLBACK")
                raise
            self._local.depth = depth
            if depth == 0:
                conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot, so a page and its total come from the same state of the data."""
        conn = self._conn()
        depth: int = self._local.depth
        if depth == 0:
            conn.execute("BEGIN")
        self._local.depth = depth + 1
        try:
            yield conn
        finally:
            self._local.depth = depth
            if depth == 0:
                conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row ``sql`` answers, for tests and tools that check the data behind the routes.

        Read-only for real: the statement runs with ``PRAGMA query_only`` on, so a stray write
        raises ``sqlite3.OperationalError`` instead of changing what the sandbox serves.
        """
        with self.read() as conn:
            conn.execute("PRAGMA query_only = ON")
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.execute("PRAGMA query_only = OFF")

    def checkpoint(self) -> None:
        """Fold the WAL into the main file, so the database is one self-contained file (for copies)."""
        self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close every connection any thread opened (the server calls this on stop)."""
        with self._conns_lock:
            conns, self._conns = self._conns, []
        self._closed = True
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:  # pragma: no cover - a connection mid-use in a dying thread
                pass

    # --- the whole file -----------------------------------------------------------------------

    def _is_search_table(self, name: str) -> bool:
        return name.startswith(self.schema.search_indexes) if self.schema.search_indexes else False

    def clear(self) -> None:
        """Delete every row of every table (``reset``), keeping the schema."""
        with self.write() as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for name in names:
                if name != "sandbox_meta" and not name.startswith("sqlite_") and not self._is_search_table(name):
                    # Table names come from sqlite_master, never from a request.
                    conn.execute(f'DELETE FROM "{name}"')
            for index in self.schema.search_indexes:
                # Names come from the schema (code), never from a request.
                conn.execute(f'INSERT INTO "{index}"("{index}") VALUES (\'delete-all\')')

    @contextmanager
    def bulk_load(self) -> Iterator[sqlite3.Connection]:
        """One transaction for a seed, with indexes dropped during the inserts and rebuilt after.

        Building an index once over sorted data is several times faster than maintaining it row by
        row through 100,000 inserts. No ``ANALYZE``: sampled statistics once talked the planner into a
        skip-scan over ``last_message_at``; the list query names its index instead.
        """
        conn = self._conn()
        index_names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'")
        ]
        with self.write() as tx:
            for name in index_names:
                tx.execute(f'DROP INDEX IF EXISTS "{name}"')
            yield tx
            for statement in self.schema.indexes.split(";"):
                if statement.strip():
                    tx.execute(statement)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every data table in key order: what "byte-identical seed" is checked on."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.read() as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            for name in names:
                if not self._is_search_table(name):
                    out[name] = [tuple(r) for r in conn.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2')]
        return out

    # --- shared tables ------------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO sandbox_meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM sandbox_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def idempotent_response(self, key: str) -> sqlite3.Row | None:
        """The answer remembered for ``key``, if a write with it succeeded before."""
        row: sqlite3.Row | None = (
            self._conn()
            .execute("SELECT fingerprint, method, path, status, body FROM idempotency WHERE key = ?", (key,))
            .fetchone()
        )
        return row

    def remember_response(
        self, key: str, *, fingerprint: str, method: str, path: str, status: int, body: bytes, now_ms: int
    ) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO idempotency(key, fingerprint, method, path, status, body, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, fingerprint, method, path, status, body, now_ms),
            )
