"""Unsent reply text, kept on disk per thread so a crash, a kill or a dropped SSH session loses nothing.

The composer writes here on every pause in typing. Text is removed only when the server holds it
(draft saved, reply sent or scheduled). On the next start the text comes back, marked when it
differs from the server's saved draft so the rep knows which one they are looking at.

The disk is not always there for it. A full disk, a read-only data folder or a damaged file must
never cost the rep the text they typed, nor the app its start:

- a write that fails keeps the text in memory (``load`` returns it), is tried again at the next
  save, and ``problem`` says what failed so the app can tell the rep (and offer the server draft);
- a folder that cannot be written is opened read-only when the file is there, so earlier unsent
  text is still offered; ``problem`` says local saving is off;
- a damaged file is moved aside (``*.damaged-<time>``, never deleted), what could still be read
  from it is copied into a fresh file, and ``notice`` says so once.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from noxtui.storage.cache.files import SIDECARS, ensure_private_file, tighten

_SCHEMA = """
CREATE TABLE IF NOT EXISTS local_drafts (
    scope TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    body TEXT NOT NULL,
    server_body TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (scope, thread_id)
)
"""
_COLUMNS = "scope, thread_id, body, server_body, saved_at"
_UPSERT = (
    f"INSERT INTO local_drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (scope, thread_id) DO UPDATE SET body = excluded.body, "
    "server_body = excluded.server_body, saved_at = excluded.saved_at"
)
_DELETE = "DELETE FROM local_drafts WHERE scope = ? AND thread_id = ?"
SERVER_DRAFT_HINT = "ctrl+s saves it as a server draft"


@dataclass(frozen=True)
class LocalDraft:
    body: str
    server_body: str
    saved_at: datetime


def describe_failure(exc: BaseException) -> str:
    """A disk failure in words a rep can act on (``disk full``, ``read-only``), not an errno."""
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text:
        return "the disk is full"
    if code == errno.EFBIG or "too large" in text:
        return "the file size limit is reached"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text:
        return "the folder is read-only"
    if "disk i/o error" in text:  # what SQLite says when a write is refused past a file-size limit, too
        return "the disk refused a write (disk I/O error: full, or a size limit reached)"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class LocalDrafts:
    """A tiny SQLite store (WAL, 0600). Writes are synchronous: they are small and must hit disk."""

    def __init__(self, path: Path | str, scope: str) -> None:
        self.path = Path(path)
        self.scope = scope
        self._lock = threading.Lock()
        self._pending: dict[str, LocalDraft | None] = {}
        """Changes the disk refused, newest per thread (``None``: a discard): what ``load`` trusts first."""
        self.problem: str | None = None
        """Why local saving is not working right now (``None`` when it is): for the composer."""
        self.notice: str | None = None
        """Something the rep should hear once at start (a damaged file moved aside)."""
        self.writable = True
        self._conn = self._open()

    # --- opening -------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        try:
            return self._connect()
        except sqlite3.OperationalError as exc:  # full, read-only, cannot open: not the file's fault
            return self._read_only(exc)
        except sqlite3.DatabaseError:  # "file is not a database", "malformed": the file is damaged
            return self._replace_damaged()
        except OSError as exc:
            return self._read_only(exc)

    def _connect(self) -> sqlite3.Connection:
        ensure_private_file(self.path)
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {check[0] if check else 'no answer'}")
        except BaseException:
            conn.close()
            raise
        tighten(self.path)
        return conn

    def _read_only(self, exc: BaseException) -> sqlite3.Connection | None:
        """Local saving is off; earlier text on disk is still offered when the file can be read."""
        self.writable = False
        self.problem = (
            f"Local drafts are off: {self.path.parent} cannot be written ({describe_failure(exc)}). "
            f"Unsent text is kept in memory only until you quit; {SERVER_DRAFT_HINT}."
        )
        if not self.path.is_file():
            return None
        # A WAL file needs its -shm beside it to be read; in a folder that cannot be written, reading
        # it as immutable is the only way (what an unfinished -wal holds is then not seen).
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(f"{self.path.as_uri()}?{options}", uri=True, check_same_thread=False)
            except sqlite3.Error:
                continue
            try:
                conn.execute("SELECT 1 FROM local_drafts LIMIT 1").fetchall()
            except sqlite3.Error:
                conn.close()
                continue
            return conn
        return None

    def _replace_damaged(self) -> sqlite3.Connection | None:
        """Keep what can be read, move the damaged file aside (never delete it), start a fresh one."""
        rows = _salvage(self.path)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            for suffix in ("", *SIDECARS):
                source = self.path.with_name(self.path.name + suffix)
                if source.exists():
                    os.replace(source, aside.with_name(aside.name + suffix))
            conn = self._connect()
            with self._lock:
                conn.executemany(f"INSERT OR REPLACE INTO local_drafts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)", rows)
        except (OSError, sqlite3.Error) as exc:
            for row in rows:
                if row[0] == self.scope:
                    self._pending[row[1]] = LocalDraft(row[2], row[3], _when(row[4]))
            return self._read_only(exc)
        kept = f"{len(rows)} unsent draft(s) were recovered from it" if rows else "nothing in it could be read"
        self.notice = f"The local drafts file was damaged. It was moved to {aside} (not deleted); {kept}."
        return conn

    # --- reading and writing -------------------------------------------------------------------

    def save(self, thread_id: str, body: str, server_body: str) -> None:
        """Remember what the rep typed; identical to the server's draft means nothing to keep.

        Never raises for a disk failure: the text stays in memory, ``problem`` says why, and the
        next save tries the disk again (with everything still waiting).
        """
        draft = None if body == server_body else LocalDraft(body, server_body, datetime.now(timezone.utc))
        with self._lock:
            self._pending[thread_id] = draft
            self._flush()

    def _flush(self) -> None:
        """Write every change waiting in memory; on failure they stay there and ``problem`` is set."""
        if self._conn is None or not self.writable:
            return
        try:
            for thread_id, draft in list(self._pending.items()):
                if draft is None:
                    write(self._conn, _DELETE, (self.scope, thread_id))
                else:
                    values = (self.scope, thread_id, draft.body, draft.server_body, draft.saved_at.isoformat())
                    write(self._conn, _UPSERT, values)
                del self._pending[thread_id]
        except (OSError, sqlite3.Error) as exc:
            self.problem = (
                f"Local saving failed: {describe_failure(exc)}. Your text is kept in memory and saving is "
                f"retried as you type; {SERVER_DRAFT_HINT}."
            )
            return
        self.problem = None

    def load(self, thread_id: str) -> LocalDraft | None:
        with self._lock:
            if thread_id in self._pending:
                return self._pending[thread_id]
            if self._conn is None:
                return None
            try:
                row = self._conn.execute(
                    "SELECT body, server_body, saved_at FROM local_drafts WHERE scope = ? AND thread_id = ?",
                    (self.scope, thread_id),
                ).fetchone()
            except sqlite3.Error:
                return None
        if row is None:
            return None
        return LocalDraft(row[0], row[1], _when(row[2]))

    def discard(self, thread_id: str) -> None:
        """The server now holds this text (saved, sent or scheduled): forget the local copy."""
        with self._lock:
            self._pending[thread_id] = None  # (read-only: stays, and hides the copy on disk from ``load``)
            self._flush()

    def thread_ids(self) -> list[str]:
        with self._lock:
            ids: list[str] = []
            if self._conn is not None:
                try:
                    rows = self._conn.execute(
                        "SELECT thread_id FROM local_drafts WHERE scope = ?", (self.scope,)
                    ).fetchall()
                    ids = [row[0] for row in rows]
                except sqlite3.Error:
                    ids = []
            kept = [tid for tid in ids if self._pending.get(tid, True) is not None]
            return kept + [tid for tid, draft in self._pending.items() if draft is not None and tid not in ids]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()


def write(conn: sqlite3.Connection, sql: str, params: tuple[str, ...]) -> None:
    """The one place a draft reaches the disk (tests make it fail as a full disk would)."""
    conn.execute(sql, params)


def _when(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return datetime.now(timezone.utc)


def _salvage(path: Path) -> list[tuple[str, str, str, str, str]]:
    """Every row still readable from a damaged drafts file (none when nothing is)."""
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            for row in conn.execute(f"SELECT {_COLUMNS} FROM local_drafts"):
                if all(isinstance(value, str) for value in row):
                    rows.append((row[0], row[1], row[2], row[3], row[4]))
    except sqlite3.Error:
        pass  # what was read before the damage is kept
    return rows
