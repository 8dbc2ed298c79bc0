"""Queries of the sandbox's Inbox workspace, over the shared ``Database`` (same file, same locks).

A thin view: it borrows ``Database.read``/``Database.write`` so Inbox writes join the same transaction as
the idempotency record (see ``endpoint.py``), and returns JSON-ready dicts in Inbox's camelCase
wire shape (``shared/contract/inbox.md``), so handlers only validate and wrap.
SQL is parameterised; the only assembled text is fixed fragments and counted ``?`` placeholders.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from noxtui.sandbox.clock import iso
from noxtui.sandbox.database import Database, JsonDict, placeholders
from noxtui.sandbox.inbox import ids as xid
from noxtui.sandbox.inbox import shapes
from noxtui.sandbox.inbox.params import Filters

EVENT_DAYS_MS = 7 * 24 * 3_600_000  # the feed keeps 7 days

# Thread-list views (corrections: default, no-reply, requests, archived).
VIEWS: dict[str, str] = {
    "default": "t.done = 0 AND t.is_request = 0",
    "requests": "t.done = 0 AND t.is_request = 1",
    "no-reply": "t.done = 0 AND t.is_request = 0 AND t.last_message_seq IS NOT NULL AND t.last_from_contact = 0",
    "archived": "t.done = 1",
}


@dataclass(frozen=True)
class Keyset:
    """A cursor decoded: the sort value (epoch ms) and the row number of the last item seen."""

    at: int
    seq: int


@dataclass(frozen=True)
class ThreadListing:
    view: str
    limit: int
    filters: Filters = field(default_factory=Filters)
    after: Keyset | None = None
    tag_seqs: tuple[int, ...] = ()
    status_seqs: tuple[int, ...] = ()
    assignee_seqs: tuple[int, ...] = ()
    account_link_seqs: tuple[int, ...] = ()


class _Unset:
    """A field the request did not send (``None`` is a value: "clear it")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class ProspectChange:
    add_tags: tuple[int, ...] = ()
    remove_tags: tuple[int, ...] = ()
    status: Any = UNSET  # a status row number or None
    notes: Any = UNSET
    valuation: Any = UNSET
    assignee: Any = UNSET  # a member row number or None
    done: Any = UNSET


def cursor_of(at: int, seq: int, prefix: str) -> JsonDict:
    """``nextCursor {id, timestamp}``: the last item's id and its sort instant (ISO 8601)."""
    return {"id": xid.make(prefix, seq), "timestamp": iso(at)}


class InboxStore:
    """The Inbox tables of one sandbox database (the ``Store`` the Nox routes use: one file serves both)."""

    def __init__(self, store: Database) -> None:
        self.store = store

    # --- reference data -----------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.store.read() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM inbox_threads").fetchone()[0]) == 0

    def team(self) -> JsonDict:
        with self.store.read() as conn:
            row = conn.execute("SELECT seq, name FROM inbox_team ORDER BY seq LIMIT 1").fetchone()
        return shapes.team(row["name"] if row else "")

    def members(self) -> list[JsonDict]:
        with self.store.read() as conn:
            return [shapes.member(r) for r in conn.execute("SELECT * FROM inbox_users ORDER BY seq")]

    def account_links(self) -> list[JsonDict]:
        with self.store.read() as conn:
            return [shapes.account_link(r) for r in conn.execute("SELECT * FROM inbox_account_links ORDER BY seq")]

    def statuses(self) -> list[JsonDict]:
        with self.store.read() as conn:
            return [shapes.status(r) for r in conn.execute("SELECT * FROM inbox_statuses ORDER BY seq")]

    def tags(self) -> list[JsonDict]:
        with self.store.read() as conn:
            rows = conn.execute("SELECT seq, name, color FROM inbox_tags ORDER BY seq").fetchall()
        return [shapes.tag(r) for r in rows]

    def existing(self, table: str, seqs: Sequence[int]) -> set[int]:
        """Which of ``seqs`` exist in ``table`` (one of the fixed Inbox tables)."""
        if table not in {"inbox_tags", "inbox_users", "inbox_statuses", "inbox_account_links"}:
            raise ValueError(f"not an Inbox reference table: {table}")
        if not seqs:
            return set()
        with self.store.read() as conn:
            rows = conn.execute(f"SELECT seq FROM {table} WHERE seq IN ({placeholders(len(seqs))})", list(seqs))
            return {r[0] for r in rows}

    # --- threads ------------------------------------------------------------------------------

    def list_threads(self, listing: ThreadListing) -> tuple[list[JsonDict], JsonDict | None]:
        """One page in keyset order and the cursor of the next page (``None`` on the last one)."""
        where = [VIEWS[listing.view]]
        params: list[Any] = []
        descending = listing.filters.sort_order == "desc"
        if listing.after is not None:
            op = "<" if descending else ">"
            where.append(f"(t.last_message_at {op} ? OR (t.last_message_at = ? AND t.seq {op} ?))")
            params += [listing.after.at, listing.after.at, listing.after.seq]
        if listing.filters.selected["tags"] and not listing.tag_seqs:
            where.append("0")
        if listing.tag_seqs:
            where.append(
                "t.prospect_seq IN (SELECT prospect_seq FROM inbox_prospect_tags "
                f"WHERE tag_seq IN ({placeholders(len(listing.tag_seqs))}))"
            )
            params += list(listing.tag_seqs)
        none_of = listing.filters.none_of
        if none_of["tags"]:
            where.append("t.prospect_seq NOT IN (SELECT prospect_seq FROM inbox_prospect_tags)")
        if none_of["statuses"]:
            where.append("p.status_seq IS NULL")
        if none_of["assignees"]:
            where.append("t.assignee_seq IS NULL")
        if listing.filters.selected["campaigns"]:
            where.append("0")  # the sandbox team runs no campaigns
        for column, values, asked in (
            ("t.assignee_seq", listing.assignee_seqs, listing.filters.selected["assignees"]),
            ("t.account_link_seq", listing.account_link_seqs, listing.filters.account_link_ids),
            ("p.status_seq", listing.status_seqs, listing.filters.selected["statuses"]),
        ):
            if asked:
                where.append(f"{column} IN ({placeholders(len(values))})" if values else "0")
                params += list(values)
        order = "DESC" if descending else "ASC"
        sql = (
            "SELECT t.seq, t.last_message_at FROM inbox_threads t JOIN inbox_prospects p ON p.seq = t.prospect_seq "
            f"WHERE {' AND '.join(where)} ORDER BY t.last_message_at {order}, t.seq {order} LIMIT ?"
        )
        with self.store.read() as conn:
            rows = conn.execute(sql, [*params, listing.limit + 1]).fetchall()
            page = rows[: listing.limit]
            threads = shapes.threads(conn, [r["seq"] for r in page])
        following = None
        if len(rows) > listing.limit:
            last = page[-1]
            following = cursor_of(last["last_message_at"], last["seq"], "xt")
        return threads, following

    def thread_row(self, seq: int) -> sqlite3.Row | None:
        with self.store.read() as conn:
            row: sqlite3.Row | None = conn.execute("SELECT * FROM inbox_threads WHERE seq = ?", (seq,)).fetchone()
            return row

    def thread(self, seq: int) -> JsonDict | None:
        with self.store.read() as conn:
            found = shapes.threads(conn, [seq])
        return found[0] if found else None

    def prospect_exists(self, seq: int) -> bool:
        """An *imported* prospect (only those have an ``externalId`` to be addressed by)."""
        with self.store.read() as conn:
            row = conn.execute("SELECT imported FROM inbox_prospects WHERE seq = ?", (seq,)).fetchone()
            return row is not None and bool(row[0])

    def prospect(self, seq: int) -> JsonDict | None:
        with self.store.read() as conn:
            found = shapes.prospects(conn, [seq], with_threads=True)
        return found.get(seq)

    def threads_of_username(self, username: str, link_seqs: Sequence[int] | None) -> list[JsonDict]:
        """``lookup-by-username``: every thread of the prospect with exactly that username."""
        where = "p.username = ?"
        params: list[Any] = [username.lower()]
        if link_seqs is not None:
            where += f" AND t.account_link_seq IN ({placeholders(len(link_seqs))})" if link_seqs else " AND 0"
            params += list(link_seqs)
        with self.store.read() as conn:
            seqs = [
                r[0]
                for r in conn.execute(
                    f"SELECT t.seq FROM inbox_threads t JOIN inbox_prospects p ON p.seq = t.prospect_seq WHERE {where} "
                    "ORDER BY t.last_message_at DESC, t.seq DESC",
                    params,
                )
            ]
            return shapes.threads(conn, seqs)

    # --- messages -----------------------------------------------------------------------------

    def messages(
        self, thread_seq: int, *, limit: int, after: Keyset | None
    ) -> tuple[list[JsonDict], JsonDict | None, bool]:
        """Oldest first; the cursor walks forward in time. ``isSyncing`` counts down one per read."""
        where, params = "m.thread_seq = ?", [thread_seq]
        if after is not None:
            where += " AND (m.created_at > ? OR (m.created_at = ? AND m.seq > ?))"
            params += [after.at, after.at, after.seq]
        with self.store.write() as conn:
            thread = conn.execute("SELECT * FROM inbox_threads WHERE seq = ?", (thread_seq,)).fetchone()
            syncing = int(thread["syncing_reads"]) > 0
            if syncing:
                conn.execute("UPDATE inbox_threads SET syncing_reads = syncing_reads - 1 WHERE seq = ?", (thread_seq,))
            rows = conn.execute(
                f"SELECT m.* FROM inbox_messages m WHERE {where} ORDER BY m.created_at, m.seq LIMIT ?",
                [*params, limit + 1],
            ).fetchall()
            context = shapes.message_context(conn, thread)
        page = rows[:limit]
        following = None
        if len(rows) > limit:
            following = cursor_of(page[-1]["created_at"], page[-1]["seq"], "xm")
        return [shapes.message(r, context) for r in page], following, syncing

    def message_thread(self, message_seq: int) -> int | None:
        with self.store.read() as conn:
            row = conn.execute("SELECT thread_seq FROM inbox_messages WHERE seq = ?", (message_seq,)).fetchone()
        return None if row is None else int(row[0])

    # --- the change feed ----------------------------------------------------------------------

    def events(self, after_seq: int, limit: int, now_ms: int) -> JsonDict:
        """``GET /events``: events after ``after_seq`` from the last 7 days, oldest first."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT * FROM inbox_events WHERE seq > ? AND created_at >= ? ORDER BY seq LIMIT ?",
                (after_seq, now_ms - EVENT_DAYS_MS, limit + 1),
            ).fetchall()
        page = rows[:limit]
        events = [
            {
                "id": xid.make("xe", r["seq"]),
                "seq": r["seq"],
                "teamId": xid.TEAM_ID,
                "type": r["type"],
                "timestamp": iso(r["created_at"]),
                "version": "1.0",
                "data": json.loads(r["data"]),
            }
            for r in page
        ]
        return {"events": events, "hasMore": len(rows) > limit, "lastSeq": page[-1]["seq"] if page else None}

    @staticmethod
    def _event(conn: sqlite3.Connection, kind: str, now_ms: int, **data: Any) -> None:
        conn.execute(
            "INSERT INTO inbox_events(type, created_at, data) VALUES (?, ?, ?)", (kind, now_ms, json.dumps(data))
        )

    # --- writes (call inside ``store.write()``) -----------------------------------------------

    def append_outbound(self, thread_seq: int, content: str, reply_to_seq: int | None, now_ms: int) -> JsonDict:
        """A DM sent through the API: origin ``api``, no Inbox user; the thread is ours to wait on."""
        with self.store.write() as conn:
            thread = conn.execute("SELECT * FROM inbox_threads WHERE seq = ?", (thread_seq,)).fetchone()
            at = max(now_ms, int(thread["last_message_at"]) + 1)
            cur = conn.execute(
                "INSERT INTO inbox_messages(thread_seq, from_contact, user_seq, content, origin, reply_to_seq, "
                "created_at) VALUES (?, 0, NULL, ?, 'api', ?, ?)",
                (thread_seq, content, reply_to_seq, at),
            )
            seq = int(cur.lastrowid or 0)
            conn.execute(
                "UPDATE inbox_threads SET last_message_at = ?, last_message_seq = ?, last_from_contact = 0, "
                "is_request = 0, updated_at = ? WHERE seq = ?",
                (at, seq, now_ms, thread_seq),
            )
            row = conn.execute("SELECT * FROM inbox_messages WHERE seq = ?", (seq,)).fetchone()
            thread = conn.execute("SELECT * FROM inbox_threads WHERE seq = ?", (thread_seq,)).fetchone()
            ids = {"threadId": xid.make("xt", thread_seq), "messageId": xid.make("xm", seq)}
            self._event(conn, "message.created", now_ms, **ids)
            return shapes.message(row, shapes.message_context(conn, thread))

    def update_thread(self, thread_seq: int, *, done: bool | None, assignee: int | None | bool, now_ms: int) -> None:
        """``assignee``: a member row number, ``None`` to unassign, ``False`` to leave it alone."""
        thread_id = xid.make("xt", thread_seq)
        with self.store.write() as conn:
            if done is not None:
                conn.execute("UPDATE inbox_threads SET done = ? WHERE seq = ?", (int(done), thread_seq))
                self._event(conn, "thread.archived" if done else "thread.unarchived", now_ms, threadId=thread_id)
            if assignee is not False:
                conn.execute("UPDATE inbox_threads SET assignee_seq = ? WHERE seq = ?", (assignee, thread_seq))
                kind = "thread.unassigned" if assignee is None else "thread.assigned"
                self._event(conn, kind, now_ms, threadId=thread_id)
            conn.execute("UPDATE inbox_threads SET updated_at = ? WHERE seq = ?", (now_ms, thread_seq))

    def update_prospect(self, prospect_seq: int, change: ProspectChange, now_ms: int) -> None:
        """Apply a ``PATCH /prospects/{id}/context`` (fields left ``UNSET`` are not touched)."""
        prospect_id = xid.make("xp", prospect_seq)
        with self.store.write() as conn:
            if change.add_tags or change.remove_tags:
                conn.executemany(
                    "INSERT OR IGNORE INTO inbox_prospect_tags(prospect_seq, tag_seq) VALUES (?, ?)",
                    [(prospect_seq, tag) for tag in change.add_tags],
                )
                conn.executemany(
                    "DELETE FROM inbox_prospect_tags WHERE prospect_seq = ? AND tag_seq = ?",
                    [(prospect_seq, tag) for tag in change.remove_tags],
                )
                self._event(conn, "prospect.tagsChanged", now_ms, prospectId=prospect_id)
            for column, value, kind in (
                ("status_seq", change.status, "prospect.statusChanged"),
                ("notes", change.notes, "prospect.notesChanged"),
                ("valuation", change.valuation, "prospect.valuationChanged"),
            ):
                if value is not UNSET:
                    conn.execute(f"UPDATE inbox_prospects SET {column} = ? WHERE seq = ?", (value, prospect_seq))
                    self._event(conn, kind, now_ms, prospectId=prospect_id)
            conn.execute("UPDATE inbox_prospects SET updated_at = ? WHERE seq = ?", (now_ms, prospect_seq))
            conn.execute("UPDATE inbox_threads SET updated_at = ? WHERE prospect_seq = ?", (now_ms, prospect_seq))
        thread_seqs = self.prospect_threads(prospect_seq)
        for thread_seq in thread_seqs:
            if change.done is not UNSET or change.assignee is not UNSET:
                done = change.done if isinstance(change.done, bool) else None
                assignee = change.assignee if change.assignee is not UNSET else False
                self.update_thread(thread_seq, done=done, assignee=assignee, now_ms=now_ms)

    def prospect_threads(self, prospect_seq: int) -> list[int]:
        with self.store.read() as conn:
            return [r[0] for r in conn.execute("SELECT seq FROM inbox_threads WHERE prospect_seq = ?", (prospect_seq,))]

    def stats(self) -> JsonDict:
        """Counts for "exactly once" assertions in tests."""
        with self.store.read() as conn:

            def one(sql: str) -> int:
                return int(conn.execute(sql).fetchone()[0])

            return {
                "threads": one("SELECT COUNT(*) FROM inbox_threads"),
                "open_threads": one("SELECT COUNT(*) FROM inbox_threads WHERE done = 0"),
                "done_threads": one("SELECT COUNT(*) FROM inbox_threads WHERE done = 1"),
                "requests": one("SELECT COUNT(*) FROM inbox_threads WHERE done = 0 AND is_request = 1"),
                "empty_threads": one("SELECT COUNT(*) FROM inbox_threads WHERE last_message_seq IS NULL"),
                "needs_reply": one(
                    "SELECT COUNT(*) FROM inbox_threads WHERE done = 0 AND last_message_seq IS NOT NULL "
                    "AND last_from_contact = 1"
                ),
                "messages": one("SELECT COUNT(*) FROM inbox_messages"),
                "api_messages": one("SELECT COUNT(*) FROM inbox_messages WHERE origin = 'api'"),
                "prospects": one("SELECT COUNT(*) FROM inbox_prospects"),
                "tags": one("SELECT COUNT(*) FROM inbox_tags"),
            }
