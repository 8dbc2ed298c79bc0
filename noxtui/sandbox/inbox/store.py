"""Queries of the sandbox's Inbox workspace, over the shared ``Database`` (same file, same locks).

A thin view: it borrows ``Database.read``/``Database.write`` so Inbox writes join the same transaction as
the idempotency record (see ``endpoint.py``), and returns JSON-ready dicts in Inbox's camelCase
wire shape (``shared/contract/inbox.md``), so handlers only validate and wrap.
SQL is parameterised; the only assembled text is fixed fragments and counted ``?`` placeholders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from noxtui.sandbox.clock import iso
from noxtui.sandbox.database import Database, JsonDict, placeholders
from noxtui.sandbox.inbox import ids as xid
from noxtui.sandbox.inbox import shapes

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
    descending: bool = True
    after: Keyset | None = None
    tag_seqs: tuple[int, ...] = ()
    assignee_seqs: tuple[int, ...] = ()
    status_seqs: tuple[int, ...] = ()
    account_link_seqs: tuple[int, ...] = ()


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
            team = conn.execute("SELECT seq, name FROM inbox_team ORDER BY seq LIMIT 1").fetchone()
            users = conn.execute("SELECT seq, name, email FROM inbox_users ORDER BY seq").fetchall()
            links = conn.execute("SELECT * FROM inbox_account_links ORDER BY seq").fetchall()
        return {
            "id": xid.TEAM_ID,
            "name": team["name"] if team else "",
            "members": [{"id": xid.make("xu", u["seq"]), "name": u["name"], "email": u["email"]} for u in users],
            "accountLinks": [
                {
                    "id": xid.make("xa", a["seq"]),
                    "platform": "twitter",
                    "platformId": a["platform_id"],
                    "username": a["username"],
                    "displayName": a["display_name"],
                }
                for a in links
            ],
        }

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
        if listing.after is not None:
            op = "<" if listing.descending else ">"
            where.append(f"(t.last_message_at {op} ? OR (t.last_message_at = ? AND t.seq {op} ?))")
            params += [listing.after.at, listing.after.at, listing.after.seq]
        if listing.tag_seqs:
            where.append(
                "t.prospect_seq IN (SELECT prospect_seq FROM inbox_prospect_tags "
                f"WHERE tag_seq IN ({placeholders(len(listing.tag_seqs))}))"
            )
            params += list(listing.tag_seqs)
        for column, values in (
            ("t.assignee_seq", listing.assignee_seqs),
            ("t.account_link_seq", listing.account_link_seqs),
            ("p.status_seq", listing.status_seqs),
        ):
            if values:
                where.append(f"{column} IN ({placeholders(len(values))})")
                params += list(values)
        order = "DESC" if listing.descending else "ASC"
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
        with self.store.read() as conn:
            return conn.execute("SELECT 1 FROM inbox_prospects WHERE seq = ?", (seq,)).fetchone() is not None

    def prospect(self, seq: int) -> JsonDict | None:
        with self.store.read() as conn:
            found = shapes.prospects(conn, [seq])
        return found.get(seq)

    # --- messages -----------------------------------------------------------------------------

    def messages(self, thread_seq: int, *, limit: int, after: Keyset | None) -> tuple[list[JsonDict], JsonDict | None]:
        """Oldest first; the cursor walks forward in time."""
        where, params = "m.thread_seq = ?", [thread_seq]
        if after is not None:
            where += " AND (m.created_at > ? OR (m.created_at = ? AND m.seq > ?))"
            params += [after.at, after.at, after.seq]
        with self.store.read() as conn:
            thread = conn.execute("SELECT * FROM inbox_threads WHERE seq = ?", (thread_seq,)).fetchone()
            rows = conn.execute(
                f"SELECT m.* FROM inbox_messages m WHERE {where} ORDER BY m.created_at, m.seq LIMIT ?",
                [*params, limit + 1],
            ).fetchall()
            context = shapes.message_context(conn, thread)
        page = rows[:limit]
        following = None
        if len(rows) > limit:
            following = cursor_of(page[-1]["created_at"], page[-1]["seq"], "xm")
        return [shapes.message(r, context) for r in page], following

    def message_thread(self, message_seq: int) -> int | None:
        with self.store.read() as conn:
            row = conn.execute("SELECT thread_seq FROM inbox_messages WHERE seq = ?", (message_seq,)).fetchone()
        return None if row is None else int(row[0])

    def message_count(self, thread_seq: int) -> int:
        with self.store.read() as conn:
            row = conn.execute("SELECT COUNT(*) FROM inbox_messages WHERE thread_seq = ?", (thread_seq,)).fetchone()
        return int(row[0])

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
            return shapes.message(row, shapes.message_context(conn, thread))

    def update_thread(self, thread_seq: int, *, done: bool | None, assignee: int | None | bool, now_ms: int) -> None:
        """``assignee``: a user row number, ``None`` to unassign, ``False`` to leave it alone."""
        with self.store.write() as conn:
            if done is not None:
                conn.execute("UPDATE inbox_threads SET done = ? WHERE seq = ?", (int(done), thread_seq))
            if assignee is not False:
                conn.execute("UPDATE inbox_threads SET assignee_seq = ? WHERE seq = ?", (assignee, thread_seq))
            conn.execute("UPDATE inbox_threads SET updated_at = ? WHERE seq = ?", (now_ms, thread_seq))

    def update_prospect(
        self,
        prospect_seq: int,
        *,
        add_tags: Sequence[int],
        remove_tags: Sequence[int],
        status: int | None | bool,
        notes: str | None,
        now_ms: int,
    ) -> None:
        """``status``: a status row number, ``None`` to clear it, ``False`` to leave it alone."""
        with self.store.write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO inbox_prospect_tags(prospect_seq, tag_seq) VALUES (?, ?)",
                [(prospect_seq, tag) for tag in add_tags],
            )
            conn.executemany(
                "DELETE FROM inbox_prospect_tags WHERE prospect_seq = ? AND tag_seq = ?",
                [(prospect_seq, tag) for tag in remove_tags],
            )
            if status is not False:
                conn.execute("UPDATE inbox_prospects SET status_seq = ? WHERE seq = ?", (status, prospect_seq))
            if notes is not None:
                conn.execute("UPDATE inbox_prospects SET notes = ? WHERE seq = ?", (notes, prospect_seq))
            conn.execute("UPDATE inbox_prospects SET updated_at = ? WHERE seq = ?", (now_ms, prospect_seq))
            conn.execute("UPDATE inbox_threads SET updated_at = ? WHERE prospect_seq = ?", (now_ms, prospect_seq))

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
