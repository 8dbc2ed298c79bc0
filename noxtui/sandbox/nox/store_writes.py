"""The Nox workspace's thread writes: labels, status, drafts, sends, replies, schedules, archive.

Every write runs in one ``write()`` transaction (re-entrant, so an endpoint can wrap it together
with its idempotency record) and moves the thread's ``updated_at`` strictly forward (``_bump``),
which is what ``updated_since`` sync relies on. A write that changes the newest message also
refreshes the thread's snippet and search text (``thread_text.py``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from noxtui.sandbox.database import JsonDict, placeholders
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.store_threads import NoxThreadReads
from noxtui.sandbox.nox.thread_text import make_search_text, make_snippet


class NoxThreadWrites(NoxThreadReads):
    """Thread writes, on top of the reads (see ``Store`` for the whole)."""

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

    def schedule_reply(
        self,
        seq: int,
        *,
        content: str,
        sender_auth_id: str,
        at_ms: int,
        now_ms: int,
        attachment_seqs: Sequence[int] = (),
    ) -> None:
        """Store the pending reply with its files; the draft it came from is consumed (like a send)."""
        files = json.dumps([ids.attachment_id(a) for a in attachment_seqs])
        with self.write() as conn:
            conn.execute(
                "UPDATE threads SET schedule_at = ?, schedule_content = ?, schedule_sender_auth_id = ?, "
                "schedule_attachment_ids = ?, draft_body = '', draft_sender_auth_id = NULL, "
                "draft_attachment_ids = '[]', draft_updated_at = ? WHERE seq = ?",
                (at_ms, content, sender_auth_id, files, now_ms, seq),
            )
            self._bump(conn, seq, now_ms)

    def cancel_schedule(self, seq: int, now_ms: int) -> bool:
        """Drop the pending reply; its text and files go back to the draft if the draft is empty."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT schedule_at, schedule_content, schedule_sender_auth_id, schedule_attachment_ids, draft_body, "
                "draft_attachment_ids FROM threads WHERE seq = ?",
                (seq,),
            ).fetchone()
            if row is None or row["schedule_at"] is None:
                return False
            if not row["draft_body"] and row["draft_attachment_ids"] in ("[]", ""):
                conn.execute(
                    "UPDATE threads SET draft_body = ?, draft_sender_auth_id = ?, draft_attachment_ids = ?, "
                    "draft_updated_at = ? WHERE seq = ?",
                    (
                        row["schedule_content"] or "",
                        row["schedule_sender_auth_id"],
                        row["schedule_attachment_ids"] or "[]",
                        now_ms,
                        seq,
                    ),
                )
            conn.execute(
                "UPDATE threads SET schedule_at = NULL, schedule_content = NULL, schedule_sender_auth_id = NULL, "
                "schedule_attachment_ids = '[]' WHERE seq = ?",
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
                "SELECT seq, schedule_at, schedule_content, schedule_sender_auth_id, schedule_attachment_ids "
                "FROM threads WHERE schedule_at IS NOT NULL AND schedule_at <= ? ORDER BY schedule_at, seq",
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
                    attachment_seqs=self._seqs(r["schedule_attachment_ids"]),
                )
                conn.execute(
                    "UPDATE threads SET schedule_at = NULL, schedule_content = NULL, schedule_sender_auth_id = NULL, "
                    "schedule_attachment_ids = '[]' WHERE seq = ?",
                    (r["seq"],),
                )
                delivered.append(r["seq"])
        return delivered

    def archive(self, seqs: Sequence[int], now_ms: int) -> None:
        with self.write() as conn:
            for seq in seqs:
                conn.execute("UPDATE threads SET archived = 1 WHERE seq = ?", (seq,))
                self._bump(conn, seq, now_ms)

    @staticmethod
    def _seqs(attachment_ids: str | None) -> list[int]:
        found = (ids.parse_id("att", a) for a in json.loads(attachment_ids or "[]"))
        return [seq for seq in found if seq is not None]

    def unsent_attachment_seqs(self, thread_seq: int, attachment_seqs: Sequence[int]) -> set[int]:
        """Which of ``attachment_seqs`` belong to the thread and have not gone out with a reply."""
        if not attachment_seqs:
            return set()
        rows = self._conn().execute(
            f"SELECT seq FROM attachments WHERE thread_seq = ? AND message_seq IS NULL "
            f"AND seq IN ({placeholders(len(attachment_seqs))})",
            [thread_seq, *attachment_seqs],
        )
        return {r[0] for r in rows}

    def attachment_content(self, thread_seq: int, attachment_seq: int) -> tuple[JsonDict, bytes] | None:
        """One file of the thread and its bytes (a seeded file, stored without bytes, gets a
        placeholder of its stated size), or ``None`` when the thread has no such file."""
        row = self._conn().execute(
            "SELECT seq, message_seq, filename, size, content_type, created_at, data FROM attachments "
            "WHERE seq = ? AND thread_seq = ?",
            (attachment_seq, thread_seq),
        ).fetchone()
        if row is None:
            return None
        data = row["data"]
        if data is None:
            head = f"%PDF-1.4\n% noxtui sandbox placeholder for {row['filename']}\n".encode()
            data = (head + b"0" * max(0, row["size"] - len(head)))[: max(row["size"], 1)]
        return self._attachment(row), bytes(data)

    def add_attachment(
        self, thread_seq: int, *, filename: str, content_type: str, data: bytes, now_ms: int
    ) -> JsonDict:
        """Store an uploaded file and put it on the thread's draft (uploads are draft files)."""
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO attachments(thread_seq, message_seq, filename, size, content_type, data, created_at) "
                "VALUES (?, NULL, ?, ?, ?, ?, ?)",
                (thread_seq, filename, len(data), content_type, data, now_ms),
            )
            seq = int(cur.lastrowid or 0)
            draft = conn.execute("SELECT draft_attachment_ids FROM threads WHERE seq = ?", (thread_seq,)).fetchone()
            files = [*json.loads(draft[0] or "[]"), ids.attachment_id(seq)]
            conn.execute(
                "UPDATE threads SET draft_attachment_ids = ?, draft_updated_at = ? WHERE seq = ?",
                (json.dumps(files), now_ms, thread_seq),
            )
            self._bump(conn, thread_seq, now_ms)
        return {
            "attachment_id": ids.attachment_id(seq),
            "filename": filename,
            "size": len(data),
            "content_type": content_type,
        }

    def delete_draft_attachment(self, thread_seq: int, attachment_seq: int, now_ms: int) -> bool:
        """Delete a file not yet sent and drop it from the draft; ``False`` if it went out with a reply."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT message_seq FROM attachments WHERE seq = ? AND thread_seq = ?", (attachment_seq, thread_seq)
            ).fetchone()
            if row is None or row["message_seq"] is not None:
                return False
            conn.execute("DELETE FROM attachments WHERE seq = ?", (attachment_seq,))
            lists = conn.execute(
                "SELECT draft_attachment_ids, schedule_attachment_ids FROM threads WHERE seq = ?", (thread_seq,)
            ).fetchone()
            gone = ids.attachment_id(attachment_seq)
            draft, scheduled = ([a for a in json.loads(kept or "[]") if a != gone] for kept in lists)
            conn.execute(
                "UPDATE threads SET draft_attachment_ids = ?, schedule_attachment_ids = ? WHERE seq = ?",
                (json.dumps(draft), json.dumps(scheduled), thread_seq),
            )
            self._bump(conn, thread_seq, now_ms)
        return True

    def update_crm_fields(self, creator_seq: int, fields: JsonDict, now_ms: int) -> None:
        """Set the CRM channel's ``coop_status``, ``label_ids``, ``email`` and/or ``url`` (checked by
        the handler); ``email`` ``""`` clears it."""
        columns = {"coop_status": "coop_status", "label_ids": "label_ids", "email": "email", "url": "url"}
        with self.write() as conn:
            for name, column in columns.items():
                if name not in fields:
                    continue
                value = fields[name]
                if name == "label_ids":
                    value = json.dumps(list(value))
                elif name == "email":
                    value = value or None
                conn.execute(f"UPDATE crm_channels SET {column} = ? WHERE creator_seq = ?", (value, creator_seq))
            conn.execute(
                "UPDATE crm_channels SET updated_at = MAX(?, updated_at + 1) WHERE creator_seq = ?",
                (now_ms, creator_seq),
            )

    def mark_read(self, seq: int) -> None:
        """Remember the newest message a ``message get`` showed (read state; ``updated_at`` stays)."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO thread_reads(thread_seq, seen_last_message_at) "
                "SELECT seq, last_message_at FROM threads WHERE seq = ? "
                "ON CONFLICT(thread_seq) DO UPDATE SET seen_last_message_at = excluded.seen_last_message_at",
                (seq,),
            )
