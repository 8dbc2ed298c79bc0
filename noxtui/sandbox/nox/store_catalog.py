"""The Nox workspace's catalogue and context: what a thread refers to rather than the thread itself.

Reference lists (coop statuses, labels, team, senders), templates and what their ``{{variables}}``
draw on, email tasks with their reply report, and CRM channels: their reads, and the two writes that
belong to them (a new template, a CRM edit). ``NoxThreadReads`` builds on this class; ``Store`` is
the whole. Readers return plain dicts in the contract's wire shape, so handlers only wrap them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from noxtui.sandbox.clock import iso
from noxtui.sandbox.database import Database, JsonDict, placeholders
from noxtui.sandbox.nox import ids


class NoxCatalog(Database):
    """Catalogue and context queries over the sandbox file (see ``Store`` for the whole)."""

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
        row = self._conn().execute(
            "SELECT user_uid, name, email FROM team_members WHERE user_uid = ?", (uid,)
        ).fetchone()
        return None if row is None else dict(row)

    def senders(self) -> list[JsonDict]:
        rows = self._conn().execute("SELECT sender_auth_id, address, name, provider FROM senders ORDER BY ord")
        return [dict(r) for r in rows]

    def sender(self, sender_auth_id: str) -> JsonDict | None:
        row = self._conn().execute(
            "SELECT sender_auth_id, address, name, provider FROM senders WHERE sender_auth_id = ?", (sender_auth_id,)
        ).fetchone()
        return None if row is None else dict(row)

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
                "INSERT INTO templates(name, language, subject, body, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
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
