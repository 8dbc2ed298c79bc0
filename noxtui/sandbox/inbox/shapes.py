"""Inbox's camelCase wire shapes, built from the sandbox's ``inbox_*`` rows.

Written field by field from the contract (``shared/contract/inbox.md``): a thread with its prospect
and last message, a prospect with its tags, a message as the send operation returns it. Each takes
the connection of the caller's transaction, so a page is shaped from one snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from noxtui.sandbox.clock import iso
from noxtui.sandbox.database import JsonDict, placeholders
from noxtui.sandbox.inbox import ids as xid


def tag(row: sqlite3.Row) -> JsonDict:
    return {"id": xid.make("xg", row["seq"]), "name": row["name"], "color": row["color"]}

def prospects(conn: sqlite3.Connection, seqs: Sequence[int]) -> dict[int, JsonDict]:
    """Prospects by row number, each with its tags (two queries for any number of them)."""
    if not seqs:
        return {}
    marks = placeholders(len(seqs))
    tags: dict[int, list[JsonDict]] = {}
    for r in conn.execute(
        "SELECT pt.prospect_seq, g.seq, g.name, g.color FROM inbox_prospect_tags pt "
        f"JOIN inbox_tags g ON g.seq = pt.tag_seq WHERE pt.prospect_seq IN ({marks}) ORDER BY g.seq",
        list(seqs),
    ):
        tags.setdefault(r[0], []).append(tag(r))
    out: dict[int, JsonDict] = {}
    for r in conn.execute(f"SELECT * FROM inbox_prospects WHERE seq IN ({marks})", list(seqs)):
        out[r["seq"]] = {
            "id": xid.make("xp", r["seq"]),
            "platform": "twitter",
            "platformId": r["platform_id"],
            "username": r["username"],
            "displayName": r["display_name"],
            "tags": tags.get(r["seq"], []),
            "statusId": xid.make("xs", r["status_seq"]) if r["status_seq"] is not None else None,
            "notes": r["notes"],
            "updatedAt": iso(r["updated_at"]),
        }
    return out

def threads(conn: sqlite3.Connection, seqs: Sequence[int]) -> list[JsonDict]:
    """Threads in the order of ``seqs`` (missing ones skipped), with prospect and last message."""
    if not seqs:
        return []
    marks = placeholders(len(seqs))
    rows = {
        r["seq"]: r
        for r in conn.execute(
            "SELECT t.*, a.platform_id AS link_platform_id, p.platform_id AS contact_platform_id "
            "FROM inbox_threads t JOIN inbox_account_links a ON a.seq = t.account_link_seq "
            f"JOIN inbox_prospects p ON p.seq = t.prospect_seq WHERE t.seq IN ({marks})",
            list(seqs),
        )
    }
    by_prospect = prospects(conn, [r["prospect_seq"] for r in rows.values()])
    last_seqs = [r["last_message_seq"] for r in rows.values() if r["last_message_seq"] is not None]
    last: dict[int, sqlite3.Row] = {}
    if last_seqs:
        for m in conn.execute(
            f"SELECT * FROM inbox_messages WHERE seq IN ({placeholders(len(last_seqs))})", last_seqs
        ):
            last[m["seq"]] = m
    out: list[JsonDict] = []
    for seq in seqs:
        r = rows.get(seq)
        if r is None:
            continue
        last_message = last.get(r["last_message_seq"]) if r["last_message_seq"] is not None else None
        out.append(
            {
                "id": xid.make("xt", seq),
                "teamId": xid.TEAM_ID,
                "platform": "twitter",
                "externalId": r["contact_platform_id"],
                "accountLinkId": xid.make("xa", r["account_link_seq"]),
                "done": bool(r["done"]),
                "assigneeId": xid.make("xu", r["assignee_seq"]) if r["assignee_seq"] is not None else None,
                "status": "idle" if r["done"] else "active",
                "isRequest": bool(r["is_request"]),
                "isSyncing": False,
                "lastMessageAt": iso(r["last_message_at"]) if last_message is not None else None,
                "lastMessage": None
                if last_message is None
                else {
                    "id": xid.make("xm", last_message["seq"]),
                    "content": last_message["content"],
                    "createdAt": iso(last_message["created_at"]),
                    "authorId": author(last_message["from_contact"], r["contact_platform_id"], r["account_link_seq"]),
                    "origin": last_message["origin"],
                },
                "createdAt": iso(r["created_at"]),
                "updatedAt": iso(r["updated_at"]),
                "prospect": by_prospect[r["prospect_seq"]],
            }
        )
    return out

def author(from_contact: int, contact_platform_id: str, account_link_seq: int) -> str:
    """``authorId``: the thread's ``externalId`` for the contact, its ``accountLinkId`` for us."""
    if from_contact:
        return str(contact_platform_id)
    return xid.make("xa", account_link_seq)

def message_context(conn: sqlite3.Connection, thread: sqlite3.Row) -> JsonDict:
    contact = conn.execute(
        "SELECT platform_id FROM inbox_prospects WHERE seq = ?", (thread["prospect_seq"],)
    ).fetchone()
    return {
        "thread_seq": thread["seq"],
        "contact_platform_id": contact["platform_id"],
        "account_link_seq": thread["account_link_seq"],
    }

def message(row: sqlite3.Row, context: JsonDict) -> JsonDict:
    """The full message shape of the contract's send operation (fact)."""
    reply_to = row["reply_to_seq"]
    return {
        "platform": "twitter",
        "teamId": xid.TEAM_ID,
        "threadId": xid.make("xt", row["thread_seq"]),
        "id": xid.make("xm", row["seq"]),
        "userId": xid.make("xu", row["user_seq"]) if row["user_seq"] is not None else None,
        "createdAt": iso(row["created_at"]),
        "updatedAt": None,
        "platformId": str(1_850_000_000_000_000_000 + row["seq"]),
        "content": row["content"],
        "campaignId": None,
        "authorId": author(row["from_contact"], context["contact_platform_id"], context["account_link_seq"]),
        "origin": row["origin"],
        "replyData": {"messageId": xid.make("xm", reply_to)} if reply_to is not None else None,
        "forwardData": None,
        "entities": {"urls": [], "mentions": [], "hashtags": [], "tweets": []},
        "attachment": None,
        "reactions": [],
        "isEncrypted": False,
        "isEdited": False,
        "deletedAt": None,
        "platformDeletedAt": None,
    }
