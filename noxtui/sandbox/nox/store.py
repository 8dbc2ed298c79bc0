"""The sandbox's SQLite store: connections, transactions and every query.

Rules this module keeps:

* **Parameterised SQL only.** Values always travel as ``?`` parameters; the only text ever
  assembled into SQL is fixed fragments and ``?`` placeholders counted from a list's length.
* **Thread-safe.** Starlette runs sync work in a thread pool, so each OS thread gets its own
  connection (``sqlite3`` connections must not be shared mid-statement). Writes are serialised by
  one process-wide lock and run as ``BEGIN IMMEDIATE`` transactions, so no writer ever meets
  ``SQLITE_BUSY`` and a failed request rolls back whole. WAL mode lets reads run beside a write.
* **JSON-ready output.** Readers return plain dicts shaped like ``noxtui.domain.models`` so the HTTP layer
  only wraps them in envelopes.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from noxtui.sandbox.clock import iso
from noxtui.sandbox.listing import ThreadFilters, page_of_threads, placeholders
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.schema import INDEXES, SCHEMA_VERSION, TABLES

SNIPPET_CHARS = 140
SEARCH_SEPARATOR = "\x1f"

JsonDict = dict[str, Any]

__all__ = ["Store", "ThreadFilters", "make_snippet", "make_search_text"]


def make_snippet(body: str) -> str:
    """The list-row preview: the body's first characters with whitespace runs collapsed."""
    flat = " ".join(body.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


def make_search_text(name: str, handle: str, subject: str, snippet: str) -> str:
    """What ``keyword`` is matched against (see ``schema.py`` for why it is one column)."""
    return SEARCH_SEPARATOR.join(part.lower() for part in (name, handle, subject, snippet))


class Store:
    """One sandbox database. Open it, seed it (``seed.py``), then serve it (``app.py``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path == ":memory:":
            raise ValueError("the sandbox store needs a file path: every thread opens its own connection")
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._closed = False
        conn = self._conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(TABLES)
        conn.executescript(INDEXES)
        conn.execute(
            "INSERT OR IGNORE INTO sandbox_meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    # --- connections and transactions ---------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
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

    # --- bulk loading (seed) ------------------------------------------------------------------

    def is_empty(self) -> bool:
        row = self._conn().execute("SELECT COUNT(*) FROM threads").fetchone()
        return int(row[0]) == 0

    def clear(self) -> None:
        """Delete every row of every table (``reset``), keeping the schema."""
        with self.write() as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for name in names:
                if name != "sandbox_meta" and not name.startswith(("sqlite_", "thread_search")):
                    # Table names come from sqlite_master, never from a request.
                    conn.execute(f'DELETE FROM "{name}"')
            conn.execute("INSERT INTO thread_search(thread_search) VALUES ('delete-all')")

    @contextmanager
    def bulk_load(self) -> Iterator[sqlite3.Connection]:
        """One transaction for a seed, with indexes dropped during the inserts and rebuilt after.

        Building an index once over sorted data is several times faster than maintaining it row by
        row through 100,000 inserts. No ``ANALYZE``: sampled statistics once talked the planner into a
        skip-scan over ``last_message_at``; the list query names its index instead.
        """
        conn = self._conn()
        index_names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'")
        ]
        with self.write() as tx:
            for name in index_names:
                tx.execute(f'DROP INDEX IF EXISTS "{name}"')
            yield tx
            for statement in INDEXES.split(";"):
                if statement.strip():
                    tx.execute(statement)


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

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every data table in key order: what "byte-identical seed" is checked on."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.read() as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    "AND name NOT LIKE 'thread_search%' ORDER BY name"
                )
            ]
            for name in names:
                out[name] = [tuple(r) for r in conn.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2')]

        return out

    # --- reference data -----------------------------------------------------------------------

    def coop_statuses(self) -> list[JsonDict]:
        rows = self._conn().execute("SELECT code, name, ord FROM coop_statuses ORDER BY ord")
        return [{"code": r["code"], "name": r["name"], "order": r["ord"]} for r in rows]

    def coop_status(self, code: str) -> JsonDict | None:
        row = self._conn().execute("SELECT code, name FROM coop_statuses WHERE code = ?", (code,)).fetchone()
        return None if row is None else {"code": row["code"], "name": row["name"]}

    def labels(self, *, keyword: str | None = None, page: int = 1, page_size: int = 100) -> tuple[list[JsonDict], int]:
        where, params = "1 = 1", []
        if keyword:
            where, params = "instr(lower(name), ?) > 0", [keyword.lower()]
        with self.read() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM labels WHERE {where}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT label_id, name, color FROM labels WHERE {where} ORDER BY ord, label_id LIMIT ? OFFSET ?",
                [*params, page_size, (page - 1) * page_size],
            ).fetchall()
        return [dict(r) for r in rows], int(total)

    def existing_label_ids(self, label_ids: Sequence[str]) -> set[str]:
        if not label_ids:
            return set()
        rows = self._conn().execute(
            f"SELECT label_id FROM labels WHERE label_id IN ({placeholders(len(label_ids))})", list(label_ids)
        )
        return {r[0] for r in rows}

    def labels_by_ids(self, label_ids: Sequence[str]) -> list[JsonDict]:
        if not label_ids:
            return []
        rows = self._conn().execute(
            f"SELECT label_id, name, color FROM labels WHERE label_id IN ({placeholders(len(label_ids))}) ORDER BY ord",
            list(label_ids),
        )
        return [dict(r) for r in rows]

    def team_members(self) -> list[JsonDict]:
        rows = self._conn().execute("SELECT user_uid, name FROM team_members ORDER BY ord")
        return [dict(r) for r in rows]

    def team_member(self, uid: str) -> JsonDict | None:
        row = self._conn().execute("SELECT user_uid, name, email FROM team_members WHERE user_uid = ?", (uid,)).fetchone()
        return None if row is None else dict(row)

    def senders(self) -> list[JsonDict]:
        rows = self._conn().execute("SELECT sender_auth_id, address, name, provider FROM senders ORDER BY ord")
        return [dict(r) for r in rows]

    def sender(self, sender_auth_id: str) -> JsonDict | None:
        row = self._conn().execute(
            "SELECT sender_auth_id, address, name, provider FROM senders WHERE sender_auth_id = ?", (sender_auth_id,)
        ).fetchone()
        return None if row is None else dict(row)

    # --- thread reads -------------------------------------------------------------------------

    def list_threads(self, filters: ThreadFilters, *, page: int, page_size: int) -> tuple[list[JsonDict], int]:
        """One page of live threads, newest message first, and the count of all matches."""
        with self.read() as conn:
            seqs, total = page_of_threads(conn, filters, page=page, page_size=page_size)
            summaries = self._summaries(conn, seqs)
        return summaries, total

    def thread_row(self, seq: int) -> sqlite3.Row | None:
        """The raw thread row (archived included), or ``None``."""
        row: sqlite3.Row | None = self._conn().execute("SELECT * FROM threads WHERE seq = ?", (seq,)).fetchone()
        return row

    def thread_summary(self, seq: int) -> JsonDict | None:
        with self.read() as conn:
            found = self._summaries(conn, [seq])
        return found[0] if found else None

    def thread_detail(self, seq: int) -> JsonDict | None:
        """``message get``: the summary plus messages (oldest first), composer and metadata."""
        with self.read() as conn:
            found = self._summaries(conn, [seq])
            if not found:
                return None
            detail = found[0]
            row = conn.execute("SELECT * FROM threads WHERE seq = ?", (seq,)).fetchone()
            detail["messages"] = self._messages(conn, seq)
            scheduled = None
            if row["schedule_at"] is not None:
                scheduled = {
                    "plan_send_at": iso(row["schedule_at"]),
                    "content": row["schedule_content"] or "",
                    "sender_auth_id": row["schedule_sender_auth_id"] or "",
                }
            detail["composer"] = {
                "draft_body": row["draft_body"],
                "sender_auth_id": row["draft_sender_auth_id"],
                "attachment_ids": json.loads(row["draft_attachment_ids"]),
                "updated_at": iso(row["draft_updated_at"]),
                "scheduled": scheduled,
            }
            detail["metadata"] = {
                "labels": detail["labels"],
                "coop_status": detail["coop_status"],
                "projects": self._projects(conn, seq),
            }
        return detail

    def thread_projects(self, seq: int) -> list[JsonDict]:
        with self.read() as conn:
            return self._projects(conn, seq)

    def thread_attachments(self, seq: int) -> list[JsonDict]:
        rows = self._conn().execute(
            "SELECT seq, message_seq, filename, size, content_type, created_at FROM attachments "
            "WHERE thread_seq = ? ORDER BY seq",
            (seq,),
        )
        return [self._attachment(r) for r in rows]

    def attachment_seqs_of_thread(self, thread_seq: int, attachment_seqs: Sequence[int]) -> set[int]:
        """Which of ``attachment_seqs`` belong to the thread (ids never cross threads)."""
        if not attachment_seqs:
            return set()
        rows = self._conn().execute(
            f"SELECT seq FROM attachments WHERE thread_seq = ? AND seq IN ({placeholders(len(attachment_seqs))})",
            [thread_seq, *attachment_seqs],
        )
        return {r[0] for r in rows}

    def sibling_thread_seqs(self, seq: int) -> list[int]:
        """Every live thread of the same creator, the given one included (what archive touches)."""
        rows = self._conn().execute(
            "SELECT t.seq FROM threads t JOIN threads me ON me.creator_seq = t.creator_seq "
            "WHERE me.seq = ? AND (t.archived = 0 OR t.seq = ?) ORDER BY t.seq",
            (seq, seq),
        )
        return [r[0] for r in rows]

    def message_in_thread(self, thread_seq: int, message_seq: int) -> bool:
        row = self._conn().execute(
            "SELECT 1 FROM messages WHERE seq = ? AND thread_seq = ?", (message_seq, thread_seq)
        ).fetchone()
        return row is not None

    def _summaries(self, conn: sqlite3.Connection, seqs: Sequence[int]) -> list[JsonDict]:
        if not seqs:
            return []
        marks = placeholders(len(seqs))
        rows = conn.execute(
            "SELECT t.*, c.name AS c_name, c.handle AS c_handle, c.platform AS c_platform, "
            "c.channel_url AS c_url, c.email AS c_email, cs.name AS coop_name "
            "FROM threads t JOIN creators c ON c.seq = t.creator_seq "
            "LEFT JOIN coop_statuses cs ON cs.code = t.coop_status "
            f"WHERE t.seq IN ({marks})",
            list(seqs),
        ).fetchall()
        labels: dict[int, list[JsonDict]] = {}
        for r in conn.execute(
            "SELECT tl.thread_seq, l.label_id, l.name, l.color FROM thread_labels tl "
            f"JOIN labels l ON l.label_id = tl.label_id WHERE tl.thread_seq IN ({marks}) ORDER BY l.ord",
            list(seqs),
        ):
            labels.setdefault(r[0], []).append({"label_id": r[1], "name": r[2], "color": r[3]})
        projects: dict[int, list[str]] = {}
        for r in conn.execute(
            f"SELECT thread_seq, project_id FROM thread_projects WHERE thread_seq IN ({marks}) ORDER BY project_id",
            list(seqs),
        ):
            projects.setdefault(r[0], []).append(r[1])
        by_seq = {r["seq"]: r for r in rows}
        out: list[JsonDict] = []
        for seq in seqs:
            r = by_seq.get(seq)
            if r is None:
                continue
            out.append(
                {
                    "thread_id": ids.thread_id(seq),
                    "business_kind": r["business_kind"],
                    "business_id": r["business_id"],
                    "project_ids": projects.get(seq, []),
                    "creator": {
                        "creator_id": ids.creator_id(r["creator_seq"]),
                        "name": r["c_name"],
                        "platform": r["c_platform"],
                        "channel_url": r["c_url"],
                        "email": r["c_email"],
                        "handle": r["c_handle"],
                    },
                    "subject": r["subject"],
                    "snippet": r["snippet"],
                    "last_message_at": iso(r["last_message_at"]),
                    "last_message_direction": r["last_message_direction"],
                    "needs_reply": bool(r["needs_reply"]),
                    "pending_reason": r["pending_reason"],
                    "labels": labels.get(seq, []),
                    "coop_status": {"code": r["coop_status"], "name": r["coop_name"] or r["coop_status"]},
                    "owner_uid": r["owner_uid"],
                    "message_count": r["message_count"],
                    "has_draft": bool(r["draft_body"]),
                    "scheduled_at": iso(r["schedule_at"]),
                    "updated_at": iso(r["updated_at"]),
                    "archived": bool(r["archived"]),
                }
            )
        return out

    def _messages(self, conn: sqlite3.Connection, thread_seq: int) -> list[JsonDict]:
        atts: dict[int, list[JsonDict]] = {}
        for r in conn.execute(
            "SELECT seq, message_seq, filename, size, content_type, created_at FROM attachments "
            "WHERE thread_seq = ? AND message_seq IS NOT NULL ORDER BY seq",
            (thread_seq,),
        ):
            atts.setdefault(r["message_seq"], []).append(self._attachment(r))
        out: list[JsonDict] = []
        for r in conn.execute(
            "SELECT seq, direction, sender_name, sender_address, sent_at, subject, body_text FROM messages "
            "WHERE thread_seq = ? ORDER BY sent_at, seq",
            (thread_seq,),
        ):
            out.append(
                {
                    "message_id": ids.message_id(r["seq"]),
                    "direction": r["direction"],
                    "sender": {"name": r["sender_name"], "address": r["sender_address"]},
                    "sent_at": iso(r["sent_at"]),
                    "subject": r["subject"],
                    "body_text": r["body_text"],
                    "attachments": atts.get(r["seq"], []),
                }
            )
        return out

    @staticmethod
    def _attachment(r: sqlite3.Row) -> JsonDict:
        return {
            "attachment_id": ids.attachment_id(r["seq"]),
            "filename": r["filename"],
            "size": r["size"],
            "content_type": r["content_type"],
            "message_id": ids.message_id(r["message_seq"]) if r["message_seq"] is not None else None,
            "created_at": iso(r["created_at"]),
        }

    def _task_names(self, conn: sqlite3.Connection, task_seqs: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(task_seqs))
        if not wanted:
            return {}
        rows = conn.execute(
            f"SELECT seq, name FROM email_tasks WHERE seq IN ({placeholders(len(wanted))})", wanted
        )
        return {r[0]: r[1] for r in rows}

    def _projects(self, conn: sqlite3.Connection, seq: int) -> list[JsonDict]:
        """Projects of every live thread of this thread's creator (this thread's own included)."""
        rows = conn.execute(
            "SELECT t.seq, tp.project_id, t.business_kind, t.business_id, t.needs_reply, "
            "t.last_message_direction, t.pending_reason, t.coop_status "
            "FROM threads me JOIN threads t ON t.creator_seq = me.creator_seq "
            "JOIN thread_projects tp ON tp.thread_seq = t.seq "
            "WHERE me.seq = ? AND (t.archived = 0 OR t.seq = ?) "
            "ORDER BY t.last_message_at DESC, t.seq DESC",
            (seq, seq),
        ).fetchall()
        task_seqs = [s for s in (ids.parse_id("et", r["business_id"]) for r in rows) if s is not None]
        names = self._task_names(conn, task_seqs)
        out: list[JsonDict] = []
        for r in rows:
            task_seq = ids.parse_id("et", r["business_id"])
            out.append(
                {
                    "project_id": r["project_id"],
                    "name": names.get(task_seq or 0, r["project_id"]),
                    "business_kind": r["business_kind"],
                    "business_id": r["business_id"],
                    "thread_id": ids.thread_id(r["seq"]),
                    "needs_reply": bool(r["needs_reply"]),
                    "last_message_direction": r["last_message_direction"],
                    "pending_reason": r["pending_reason"],
                    "coop_status": r["coop_status"],
                    "is_current": r["seq"] == seq,
                }
            )
        return out

    def project_options(self, owner_uids: Sequence[str]) -> list[JsonDict]:
        """Projects with live threads, optionally only those owned by ``owner_uids``."""
        where, params = "t.archived = 0", list[str]()
        if owner_uids:
            where += f" AND t.owner_uid IN ({placeholders(len(owner_uids))})"
            params.extend(owner_uids)
        with self.read() as conn:
            rows = conn.execute(
                "SELECT tp.project_id, t.business_kind, t.business_id, COUNT(*) AS n FROM thread_projects tp "
                f"JOIN threads t ON t.seq = tp.thread_seq WHERE {where} "
                "GROUP BY tp.project_id ORDER BY tp.project_id",
                params,
            ).fetchall()
            names = self._task_names(conn, [s for s in (ids.parse_id("et", r[2]) for r in rows) if s is not None])
        return [
            {
                "project_id": r["project_id"],
                "name": names.get(ids.parse_id("et", r["business_id"]) or 0, r["project_id"]),
                "business_kind": r["business_kind"],
                "business_id": r["business_id"],
                "thread_count": r["n"],
            }
            for r in rows
        ]

    # --- thread writes (callers hold ``write()``) ----------------------------------------------

    @staticmethod
    def _index_search(conn: sqlite3.Connection, seq: int, text: str) -> None:
        """Replace a thread's search text; an external-content FTS index needs the old text to forget it."""
        old = conn.execute("SELECT search_text FROM thread_text WHERE seq = ?", (seq,)).fetchone()
        if old is not None:
            conn.execute(
                "INSERT INTO thread_search(thread_search, rowid, search_text) VALUES ('delete', ?, ?)", (seq, old[0])
            )
        conn.execute("INSERT OR REPLACE INTO thread_text(seq, search_text) VALUES (?, ?)", (seq, text))
        conn.execute("INSERT INTO thread_search(rowid, search_text) VALUES (?, ?)", (seq, text))

    def rebuild_search(self) -> None:
        """Re-index all of ``thread_text`` at once (after a bulk seed)."""
        with self.write() as conn:
            conn.execute("INSERT INTO thread_search(thread_search) VALUES ('rebuild')")

    def _bump(self, conn: sqlite3.Connection, seq: int, now_ms: int) -> None:
        """Every write moves ``updated_at`` strictly forward, even with a frozen or lagging clock."""
        conn.execute("UPDATE threads SET updated_at = MAX(?, updated_at + 1) WHERE seq = ?", (now_ms, seq))

    def set_labels(self, seq: int, label_ids: Sequence[str], now_ms: int) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM thread_labels WHERE thread_seq = ?", (seq,))
            conn.executemany(
                "INSERT OR IGNORE INTO thread_labels(thread_seq, label_id) VALUES (?, ?)",
                [(seq, label_id) for label_id in label_ids],
            )
            self._bump(conn, seq, now_ms)

    def set_coop_status(self, seq: int, code: str, now_ms: int) -> None:
        with self.write() as conn:
            conn.execute("UPDATE threads SET coop_status = ? WHERE seq = ?", (code, seq))
            self._bump(conn, seq, now_ms)

    def save_draft(
        self, seq: int, body: str, sender_auth_id: str | None, attachment_seqs: Sequence[int], now_ms: int
    ) -> None:
        attachment_ids = json.dumps([ids.attachment_id(a) for a in attachment_seqs])
        with self.write() as conn:
            conn.execute(
                "UPDATE threads SET draft_body = ?, draft_sender_auth_id = ?, draft_attachment_ids = ?, "
                "draft_updated_at = ? WHERE seq = ?",
                (body, sender_auth_id, attachment_ids, now_ms, seq),
            )
            self._bump(conn, seq, now_ms)

    def append_outbound(
        self,
        seq: int,
        *,
        content: str,
        sender: JsonDict,
        sent_at_ms: int,
        now_ms: int,
        attachment_seqs: Sequence[int] = (),
        origin: str = "send",
        clear_draft: bool = True,
    ) -> int:
        """Append a sent reply and move the thread to "answered"; returns the message's row number."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT t.subject, t.last_message_at, c.name, c.handle FROM threads t "
                "JOIN creators c ON c.seq = t.creator_seq WHERE t.seq = ?",
                (seq,),
            ).fetchone()
            subject = row["subject"]
            reply_subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
            cur = conn.execute(
                "INSERT INTO messages(thread_seq, direction, sender_name, sender_address, sent_at, subject, "
                "body_text, tracked, origin) VALUES (?, 'outbound', ?, ?, ?, ?, ?, 0, ?)",
                (seq, sender["name"], sender["address"], sent_at_ms, reply_subject, content, origin),
            )
            message_seq = int(cur.lastrowid or 0)
            if attachment_seqs:
                conn.execute(
                    f"UPDATE attachments SET message_seq = ? WHERE thread_seq = ? "
                    f"AND seq IN ({placeholders(len(attachment_seqs))})",
                    [message_seq, seq, *attachment_seqs],
                )
            conn.execute("UPDATE threads SET message_count = message_count + 1 WHERE seq = ?", (seq,))
            if sent_at_ms >= row["last_message_at"]:
                snippet = make_snippet(content)
                conn.execute(
                    "UPDATE threads SET last_message_at = ?, last_message_direction = 'outbound', needs_reply = 0, "
                    "pending_reason = NULL, snippet = ? WHERE seq = ?",
                    (sent_at_ms, snippet, seq),
                )
                self._index_search(conn, seq, make_search_text(row[2], row[3], subject, snippet))
            if clear_draft:
                conn.execute(
                    "UPDATE threads SET draft_body = '', draft_sender_auth_id = NULL, draft_attachment_ids = '[]', "
                    "draft_updated_at = ? WHERE seq = ?",
                    (now_ms, seq),
                )
            self._bump(conn, seq, now_ms)
        return message_seq

    def append_inbound(self, seq: int, *, body: str, now_ms: int, pending_reason: str, tracked: bool = True) -> int:
        """A creator's reply arrives: the thread needs a reply again."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT t.subject, c.name, c.handle, c.email FROM threads t "
                "JOIN creators c ON c.seq = t.creator_seq WHERE t.seq = ?",
                (seq,),
            ).fetchone()
            subject = row["subject"]
            reply_subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
            cur = conn.execute(
                "INSERT INTO messages(thread_seq, direction, sender_name, sender_address, sent_at, subject, "
                "body_text, tracked, origin) VALUES (?, 'inbound', ?, ?, ?, ?, ?, ?, 'inbound')",
                (seq, row["name"], row["email"] or "", now_ms, reply_subject, body, 1 if tracked else 0),
            )
            snippet = make_snippet(body)
            conn.execute(
                "UPDATE threads SET message_count = message_count + 1, last_message_at = MAX(last_message_at, ?), "
                "last_message_direction = 'inbound', needs_reply = 1, pending_reason = ?, snippet = ? "
                "WHERE seq = ?",
                (now_ms, pending_reason, snippet, seq),
            )
            self._index_search(conn, seq, make_search_text(row["name"], row["handle"], subject, snippet))
            self._bump(conn, seq, now_ms)
        return int(cur.lastrowid or 0)

    def schedule_reply(self, seq: int, *, content: str, sender_auth_id: str, at_ms: int, now_ms: int) -> None:
        """Store the pending reply; the draft it came from is consumed (like a send)."""
        with self.write() as conn:
            conn.execute(
                "UPDATE threads SET schedule_at = ?, schedule_content = ?, schedule_sender_auth_id = ?, "
                "draft_body = '', draft_sender_auth_id = NULL, draft_attachment_ids = '[]', draft_updated_at = ? "
                "WHERE seq = ?",
                (at_ms, content, sender_auth_id, now_ms, seq),
            )
            self._bump(conn, seq, now_ms)

    def cancel_schedule(self, seq: int, now_ms: int) -> bool:
        """Drop the pending reply; its text goes back to the draft if the draft is empty."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT schedule_at, schedule_content, schedule_sender_auth_id, draft_body FROM threads WHERE seq = ?",
                (seq,),
            ).fetchone()
            if row is None or row["schedule_at"] is None:
                return False
            if not row["draft_body"]:
                conn.execute(
                    "UPDATE threads SET draft_body = ?, draft_sender_auth_id = ?, draft_updated_at = ? WHERE seq = ?",
                    (row["schedule_content"] or "", row["schedule_sender_auth_id"], now_ms, seq),
                )
            conn.execute(
                "UPDATE threads SET schedule_at = NULL, schedule_content = NULL, schedule_sender_auth_id = NULL "
                "WHERE seq = ?",
                (seq,),
            )
            self._bump(conn, seq, now_ms)
        return True

    def deliver_due(self, now_ms: int) -> list[int]:
        """Send every scheduled reply whose time has come; returns the threads touched.

        Cheap when nothing is due (one probe of a partial index), so it can run before every
        request — which is how "delivered on the next read" is kept without a background timer.
        """
        probe = self._conn().execute(
            "SELECT 1 FROM threads WHERE schedule_at IS NOT NULL AND schedule_at <= ? LIMIT 1", (now_ms,)
        ).fetchone()
        if probe is None:
            return []
        delivered: list[int] = []
        with self.write() as conn:
            due = conn.execute(
                "SELECT seq, schedule_at, schedule_content, schedule_sender_auth_id FROM threads "
                "WHERE schedule_at IS NOT NULL AND schedule_at <= ? ORDER BY schedule_at, seq",
                (now_ms,),
            ).fetchall()
            for r in due:
                sender = self.sender(r["schedule_sender_auth_id"] or "") or {"name": "", "address": ""}
                self.append_outbound(
                    r["seq"],
                    content=r["schedule_content"] or "",
                    sender=sender,
                    sent_at_ms=r["schedule_at"],
                    now_ms=now_ms,
                    origin="schedule",
                    clear_draft=False,
                )
                conn.execute(
                    "UPDATE threads SET schedule_at = NULL, schedule_content = NULL, schedule_sender_auth_id = NULL "
                    "WHERE seq = ?",
                    (r["seq"],),
                )
                delivered.append(r["seq"])
        return delivered

    def archive(self, seqs: Sequence[int], now_ms: int) -> None:
        with self.write() as conn:
            for seq in seqs:
                conn.execute("UPDATE threads SET archived = 1 WHERE seq = ?", (seq,))
                self._bump(conn, seq, now_ms)

    def add_attachment(
        self, thread_seq: int, *, filename: str, content_type: str, data: bytes, now_ms: int
    ) -> JsonDict:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO attachments(thread_seq, message_seq, filename, size, content_type, data, created_at) "
                "VALUES (?, NULL, ?, ?, ?, ?, ?)",
                (thread_seq, filename, len(data), content_type, data, now_ms),
            )
            self._bump(conn, thread_seq, now_ms)
            seq = int(cur.lastrowid or 0)
        return {
            "attachment_id": ids.attachment_id(seq),
            "filename": filename,
            "size": len(data),
            "content_type": content_type,
        }

    # --- templates ----------------------------------------------------------------------------

    def templates(self, language: str | None = None) -> list[JsonDict]:
        if language:
            rows = self._conn().execute(
                "SELECT * FROM templates WHERE language = ? ORDER BY seq", (language,)
            )
        else:
            rows = self._conn().execute("SELECT * FROM templates ORDER BY language, seq")
        return [self._template(r) for r in rows]

    def template(self, seq: int) -> JsonDict | None:
        row = self._conn().execute("SELECT * FROM templates WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else self._template(row)

    def create_template(self, *, name: str, language: str, subject: str | None, body: str, now_ms: int) -> JsonDict:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO templates(name, language, subject, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (name, language, subject, body, now_ms, now_ms),
            )
            seq = int(cur.lastrowid or 0)
        created = self.template(seq)
        assert created is not None
        return created

    @staticmethod
    def _template(r: sqlite3.Row) -> JsonDict:
        return {
            "template_id": ids.template_id(r["seq"]),
            "name": r["name"],
            "language": r["language"],
            "subject": r["subject"],
            "body": r["body"],
            "attachment_ids": [],
            "updated_at": iso(r["updated_at"]),
        }

    def template_context(self, thread_seq: int) -> JsonDict:
        """What a template's ``{{variables}}`` can draw on for one thread."""
        row = self._conn().execute(
            "SELECT t.subject, t.owner_uid, t.business_id, c.name, c.handle, c.platform, c.channel_url, c.email, "
            "m.name AS owner_name FROM threads t JOIN creators c ON c.seq = t.creator_seq "
            "LEFT JOIN team_members m ON m.user_uid = t.owner_uid WHERE t.seq = ?",
            (thread_seq,),
        ).fetchone()
        task_name = ""
        task_seq = ids.parse_id("et", row["business_id"])
        if task_seq is not None:
            task = self._conn().execute("SELECT name FROM email_tasks WHERE seq = ?", (task_seq,)).fetchone()
            task_name = task[0] if task else ""
        name: str = row["name"]
        return {
            "creator_name": name,
            "creator_first_name": name.split()[0] if name.split() else name,
            "creator_handle": row["handle"],
            "platform": row["platform"],
            "channel_url": row["channel_url"],
            "creator_email": row["email"] or "",
            "thread_subject": row["subject"],
            "project_name": task_name,
            "sender_name": row["owner_name"] or "",
        }

    # --- email tasks and CRM ------------------------------------------------------------------

    def email_task(self, seq: int) -> JsonDict | None:
        row = self._conn().execute(
            "SELECT e.*, s.address AS sender_address FROM email_tasks e "
            "LEFT JOIN senders s ON s.sender_auth_id = e.sender_auth_id WHERE e.seq = ?",
            (seq,),
        ).fetchone()
        if row is None:
            return None
        return {
            "task_id": ids.task_id(seq),
            "name": row["name"],
            "subject": row["subject"],
            "status": row["status"],
            "sender_auth_id": row["sender_auth_id"],
            "sender_address": row["sender_address"],
            "recipient_count": row["recipient_count"],
            "scheduled_at": iso(row["scheduled_at"]),
            "sent_at": iso(row["sent_at"]),
            "project_id": ids.project_id_for_task(ids.task_id(seq)),
        }

    def email_report(self, seq: int) -> JsonDict:
        """The three reply numbers, counted from the messages themselves (archived threads too).

        ``reply_count``: inbound messages the tracking pixel/header matched (``tracked``);
        ``replied_creator_count``: distinct creators with any inbound message;
        ``inbound_message_count``: every inbound message.
        """
        task = ids.task_id(seq)
        row = self._conn().execute(
            "SELECT COUNT(*) AS inbound, COALESCE(SUM(m.tracked), 0) AS tracked, "
            "COUNT(DISTINCT t.creator_seq) AS creators FROM threads t JOIN messages m ON m.thread_seq = t.seq "
            "WHERE t.business_kind = 'email_task' AND t.business_id = ? AND m.direction = 'inbound'",
            (task,),
        ).fetchone()
        threads = self._conn().execute(
            "SELECT COUNT(*) FROM threads WHERE business_kind = 'email_task' AND business_id = ?", (task,)
        ).fetchone()[0]
        return {
            "task_id": task,
            "reply_count": int(row["tracked"]),
            "replied_creator_count": int(row["creators"]),
            "inbound_message_count": int(row["inbound"]),
            "thread_count": int(threads),
        }

    def creator_exists(self, seq: int) -> bool:
        return self._conn().execute("SELECT 1 FROM creators WHERE seq = ?", (seq,)).fetchone() is not None

    def crm_channel(self, creator_seq: int) -> JsonDict | None:
        with self.read() as conn:
            row = conn.execute(
                "SELECT ch.*, cs.name AS coop_name, c.name AS creator_name, c.platform FROM crm_channels ch "
                "JOIN creators c ON c.seq = ch.creator_seq "
                "LEFT JOIN coop_statuses cs ON cs.code = ch.coop_status WHERE ch.creator_seq = ?",
                (creator_seq,),
            ).fetchone()
            if row is None:
                return None
            labels = self.labels_by_ids(json.loads(row["label_ids"]))
        return {
            "creator_id": ids.creator_id(creator_seq),
            "name": row["creator_name"],
            "platform": row["platform"],
            "coop_status": (
                {"code": row["coop_status"], "name": row["coop_name"] or row["coop_status"]}
                if row["coop_status"]
                else None
            ),
            "labels": labels,
            "owner_uid": row["owner_uid"],
            "email": row["email"],
            "url": row["url"],
            "notes": row["notes"],
            "updated_at": iso(row["updated_at"]),
        }

    def update_crm_channel(self, creator_seq: int, *, notes: str | None, owner_uid: str | None, now_ms: int) -> None:
        with self.write() as conn:
            if notes is not None:
                conn.execute("UPDATE crm_channels SET notes = ? WHERE creator_seq = ?", (notes, creator_seq))
            if owner_uid is not None:
                conn.execute("UPDATE crm_channels SET owner_uid = ? WHERE creator_seq = ?", (owner_uid, creator_seq))
            conn.execute(
                "UPDATE crm_channels SET updated_at = MAX(?, updated_at + 1) WHERE creator_seq = ?",
                (now_ms, creator_seq),
            )

    # --- idempotency --------------------------------------------------------------------------

    def idempotent_response(self, key: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn().execute(
            "SELECT fingerprint, method, path, status, body FROM idempotency WHERE key = ?", (key,)
        ).fetchone()
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

    # --- stats --------------------------------------------------------------------------------

    def stats(self) -> JsonDict:
        """Counts for "exactly once" assertions in tests."""
        conn = self._conn()

        def one(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        return {
            "threads": one("SELECT COUNT(*) FROM threads"),
            "live_threads": one("SELECT COUNT(*) FROM threads WHERE archived = 0"),
            "archived_threads": one("SELECT COUNT(*) FROM threads WHERE archived = 1"),
            "needs_reply": one("SELECT COUNT(*) FROM threads WHERE archived = 0 AND needs_reply = 1"),
            "messages": one("SELECT COUNT(*) FROM messages"),
            "inbound_messages": one("SELECT COUNT(*) FROM messages WHERE direction = 'inbound'"),
            "outbound_messages": one("SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"),
            "sends": one("SELECT COUNT(*) FROM messages WHERE origin = 'send'"),
            "scheduled_deliveries": one("SELECT COUNT(*) FROM messages WHERE origin = 'schedule'"),
            "simulated_inbound": one("SELECT COUNT(*) FROM messages WHERE origin = 'inbound'"),
            "scheduled_pending": one("SELECT COUNT(*) FROM threads WHERE schedule_at IS NOT NULL"),
            "drafts": one("SELECT COUNT(*) FROM threads WHERE draft_body != ''"),
            "templates": one("SELECT COUNT(*) FROM templates"),
            "attachments": one("SELECT COUNT(*) FROM attachments"),
            "uploads": one("SELECT COUNT(*) FROM attachments WHERE data IS NOT NULL"),
            "idempotency_keys": one("SELECT COUNT(*) FROM idempotency"),
            "creators": one("SELECT COUNT(*) FROM creators"),
            "crm_channels": one("SELECT COUNT(*) FROM crm_channels"),
            "email_tasks": one("SELECT COUNT(*) FROM email_tasks"),
        }
