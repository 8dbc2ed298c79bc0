"""The Nox workspace's thread reads: the list page, one thread in full, and what hangs off it.

Thread rows become the contract's ``message list`` / ``message get`` shapes here (creator, labels,
projects, messages with their attachments, the composer). A page's summaries are one query that
SQLite answers as JSON text (``summary_json.py``); the list route sends that text as it is. Which
rows make the page is ``listing.py``'s job.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from noxtui.sandbox.clock import iso
from noxtui.sandbox.database import JsonDict, placeholders
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.listing import page_of_threads
from noxtui.sandbox.nox.paging_memory import PagingMemory
from noxtui.sandbox.nox.store_catalog import NoxCatalog
from noxtui.sandbox.nox.summary_json import summaries_array, summary_texts
from noxtui.sandbox.nox.thread_filters import ThreadFilters


class NoxThreadReads(NoxCatalog):
    """Thread reads, on top of the catalogue (see ``Store`` for the whole)."""

    def list_threads(self, filters: ThreadFilters, *, page: int, page_size: int) -> tuple[list[JsonDict], int]:
        """One page of live threads, newest message first, and the count of all matches."""
        with self.read() as conn:
            seqs, total = page_of_threads(conn, filters, page=page, page_size=page_size, memory=self._paging_memory())
            summaries = self._summaries(conn, seqs)
        return summaries, total

    def list_threads_json(self, filters: ThreadFilters, *, page: int, page_size: int) -> tuple[bytes, int, int]:
        """``list_threads`` as the wire has it: the page's JSON array (UTF-8), how many threads it
        holds, and the count of all matches — what SQLite wrote, never parsed (the route sends it)."""
        with self.read() as conn:
            seqs, total = page_of_threads(conn, filters, page=page, page_size=page_size, memory=self._paging_memory())
            array, shown = summaries_array(conn, seqs)
        return array, shown, total

    def _paging_memory(self) -> PagingMemory | None:
        """This thread's connection's memory of the lists it paged; none inside a write, whose
        changes could still roll back under marks noted from them."""
        if self._local.depth > 1:  # this read() is nested in a write() or another read()
            return None
        memory: PagingMemory | None = getattr(self._local, "paging", None)
        if memory is None:
            memory = self._local.paging = PagingMemory()
        return memory

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
                    "attachment_ids": json.loads(row["schedule_attachment_ids"] or "[]"),
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
        """The summaries as dicts, parsed from the same JSON the list serves (``summary_json.py``)."""
        return [json.loads(text) for text in summary_texts(conn, seqs)]

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
