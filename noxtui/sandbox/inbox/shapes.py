"""Inbox's wire shapes, built from the sandbox's ``inbox_*`` rows exactly as the v1 document has them.

Every schema's required fields are present (``Thread``, ``Prospect`` + ``context``, ``Message``,
``AccountLink``, ``Member``, ``Status``, ``Tag``, ``Team``), nullable ones are null where the
sandbox has nothing to say, and nothing the document lacks is added — so a client that reads these
reads the real service. Profile numbers (followers…) are derived from the row number: the sandbox
does not model them, but they must be there and well-typed. Each function takes the connection of
the caller's transaction, so a page is shaped from one snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from noxtui.sandbox.clock import iso
from noxtui.sandbox.database import JsonDict, placeholders
from noxtui.sandbox.inbox import ids as xid

TWITTER = "twitter"
TEAM_CREATED_MS = 1_735_689_600_000  # 2025-01-01


def tag(row: sqlite3.Row) -> JsonDict:
    return {"id": xid.make("xg", row["seq"]), "name": row["name"], "color": row["color"]}


def status(row: sqlite3.Row) -> JsonDict:
    created = iso(TEAM_CREATED_MS)
    return {"id": xid.make("xs", row["seq"]), "name": row["name"], "color": row["color"], "createdAt": created}


def member(row: sqlite3.Row) -> JsonDict:
    return {
        "id": xid.make("xu", row["seq"]),
        "userId": xid.make("xi", row["seq"]),
        "name": row["name"],
        "email": row["email"],
        "image": None,
        "role": row["role"],
        "createdAt": iso(row["created_at"]),
        "updatedAt": None,
    }


def account_link(row: sqlite3.Row) -> JsonDict:
    return {
        "id": xid.make("xa", row["seq"]),
        "platform": TWITTER,
        "platformId": row["platform_id"],
        "name": row["display_name"],
        "username": row["username"],
        "image": f"https://pbs.twimg.com/profile_images/{row['platform_id']}/avatar.jpg",
        "createdAt": iso(row["created_at"]),
        "status": row["status"],
        "syncedAt": iso(row["created_at"] + 3_600_000) if row["status"] != "paused" else None,
    }


def team(name: str) -> JsonDict:
    return {
        "id": xid.TEAM_ID,
        "name": name,
        "slug": "-".join(name.lower().split()),
        "image": None,
        "createdAt": iso(TEAM_CREATED_MS),
        "updatedAt": None,
        "currency": "USD",
        "allowSupportAccess": False,
    }


def external_id(row: sqlite3.Row) -> str | None:
    """A prospect's Inbox id, null until it is imported."""
    return xid.make("xp", row["seq"]) if row["imported"] else None


def _profile(r: sqlite3.Row) -> JsonDict:
    seq, username = r["seq"], r["username"]
    return {
        "platform": TWITTER,
        "platformId": r["platform_id"],
        "externalId": external_id(r),
        "documentId": 850_000_000 + seq if r["imported"] else None,
        "displayName": r["display_name"],
        "username": username,
        "handle": f"@{username}",
        "image": None,
        "imageNormalized": None,
        "bio": None,
        "location": None,
        "profileUrl": f"https://x.com/{username}",
        "websiteUrl": None,
        "websiteDomain": None,
        "verified": "none",
        "profileType": "personal",
        "isProtected": False,
        "followerCount": 1_000 + seq * 37,
        "followingCount": 100 + seq,
        "postCount": 200 + seq * 3,
        "engagementCount": None,
        "listedCount": None,
        "platformCreatedAt": None,
        "firstSeenAt": iso(r["updated_at"]) if r["imported"] else None,
        "lastUpdatedAt": iso(r["updated_at"]),
        "lastEnrichedAt": None,
        "lastActiveAt": None,
        "source": "cached",
        "isFresh": True,
        "isStale": False,
        "confidence": 0.9,
        "platformData": {
            "isVerifiedBlue": False,
            "isVerifiedGold": False,
            "isVerifiedGray": False,
            "professionalCategory": None,
            "urlEntities": [],
            "bannerUrl": None,
            "tweetsCount": 200 + seq * 3,
            "favoritesCount": 50 + seq,
            "rawData": None,
        },
    }


def prospects(conn: sqlite3.Connection, seqs: Sequence[int], *, with_threads: bool = False) -> dict[int, JsonDict]:
    """Prospects by row number with their ``context`` (tag ids; the threads too when asked)."""
    if not seqs:
        return {}
    marks = placeholders(len(seqs))
    tags: dict[int, list[str]] = {}
    for r in conn.execute(
        f"SELECT prospect_seq, tag_seq FROM inbox_prospect_tags WHERE prospect_seq IN ({marks}) ORDER BY tag_seq",
        list(seqs),
    ):
        tags.setdefault(r[0], []).append(xid.make("xg", r[1]))
    threads: dict[int, list[JsonDict]] = {}
    if with_threads:
        for t in conn.execute(
            "SELECT seq, prospect_seq, account_link_seq, last_message_seq, last_message_at, created_at "
            f"FROM inbox_threads WHERE prospect_seq IN ({marks}) ORDER BY seq",
            list(seqs),
        ):
            threads.setdefault(t["prospect_seq"], []).append(
                {
                    "id": xid.make("xt", t["seq"]),
                    "accountLinkId": xid.make("xa", t["account_link_seq"]),
                    "lastMessageTimestamp": iso(t["last_message_at"]) if t["last_message_seq"] is not None else None,
                    "createdAt": iso(t["created_at"]),
                }
            )
    out: dict[int, JsonDict] = {}
    for r in conn.execute(f"SELECT * FROM inbox_prospects WHERE seq IN ({marks})", list(seqs)):
        context: JsonDict = {
            "tags": tags.get(r["seq"], []),
            "statusId": xid.make("xs", r["status_seq"]) if r["status_seq"] is not None else None,
            "valuation": r["valuation"],
            "notes": r["notes"],
        }
        if with_threads:
            context["threads"] = threads.get(r["seq"], [])
        out[r["seq"]] = {**_profile(r), "context": context}
    return out


def author(from_contact: int, prospect: sqlite3.Row, account_link_seq: int) -> str:
    """``authorId``: the prospect's ``externalId`` (its X id until imported, a legacy id) or our link's id."""
    if from_contact:
        return external_id(prospect) or str(prospect["platform_id"])
    return xid.make("xa", account_link_seq)


def conversation_id(link_platform_id: str, prospect_platform_id: str) -> str:
    """X's DM conversation id: both user ids sorted numerically, smaller first."""
    low, high = sorted((link_platform_id, prospect_platform_id), key=int)
    return f"{low}:{high}"


def threads(conn: sqlite3.Connection, seqs: Sequence[int]) -> list[JsonDict]:
    """Threads in the order of ``seqs`` (missing ones skipped), with prospect and last message."""
    if not seqs:
        return []
    marks = placeholders(len(seqs))
    rows = {
        r["seq"]: r
        for r in conn.execute(
            "SELECT t.*, a.platform_id AS link_platform_id FROM inbox_threads t "
            f"JOIN inbox_account_links a ON a.seq = t.account_link_seq WHERE t.seq IN ({marks})",
            list(seqs),
        )
    }
    prospect_seqs = sorted({r["prospect_seq"] for r in rows.values()})
    by_prospect = prospects(conn, prospect_seqs)
    prospect_rows = {
        r["seq"]: r
        for r in conn.execute(
            f"SELECT * FROM inbox_prospects WHERE seq IN ({placeholders(len(prospect_seqs))})", prospect_seqs
        )
    } if prospect_seqs else {}
    last_seqs = [r["last_message_seq"] for r in rows.values() if r["last_message_seq"] is not None]
    last: dict[int, sqlite3.Row] = {}
    if last_seqs:
        for m in conn.execute(f"SELECT * FROM inbox_messages WHERE seq IN ({placeholders(len(last_seqs))})", last_seqs):
            last[m["seq"]] = m
    out: list[JsonDict] = []
    for seq in seqs:
        r = rows.get(seq)
        if r is None:
            continue
        prospect = prospect_rows[r["prospect_seq"]]
        m = last.get(r["last_message_seq"]) if r["last_message_seq"] is not None else None
        both_wrote = conn.execute(
            "SELECT COUNT(DISTINCT from_contact) FROM inbox_messages WHERE thread_seq = ?", (seq,)
        ).fetchone()[0] == 2
        out.append(
            {
                "id": xid.make("xt", seq),
                "platform": TWITTER,
                "platformId": conversation_id(r["link_platform_id"], prospect["platform_id"]),
                "done": bool(r["done"]),
                "assigneeId": xid.make("xu", r["assignee_seq"]) if r["assignee_seq"] is not None else None,
                "lastMessageTimestamp": iso(m["created_at"]) if m is not None else None,
                "computedSortTimestamp": iso(r["last_message_at"]),
                "createdAt": iso(r["created_at"]),
                "status": "active",
                "variant": "xChat" if both_wrote else "unencrypted",
                "accountLinkId": xid.make("xa", r["account_link_seq"]),
                "isSyncing": bool(r["syncing_reads"]),
                "isRequest": bool(r["is_request"]),
                "typingIndicatorsEnabled": None,
                "lastMessage": None
                if m is None
                else {
                    "id": xid.make("xm", m["seq"]),
                    "content": m["content"],
                    "authorId": author(m["from_contact"], prospect, r["account_link_seq"]),
                    "createdAt": iso(m["created_at"]),
                    "userId": xid.make("xi", m["user_seq"]) if m["user_seq"] is not None else None,
                    "campaignId": None,
                },
                "prospect": by_prospect[r["prospect_seq"]],
            }
        )
    return out


def message_context(conn: sqlite3.Connection, thread: sqlite3.Row) -> JsonDict:
    prospect = conn.execute("SELECT * FROM inbox_prospects WHERE seq = ?", (thread["prospect_seq"],)).fetchone()
    return {"thread_seq": thread["seq"], "prospect": prospect, "account_link_seq": thread["account_link_seq"]}


def message(row: sqlite3.Row, context: JsonDict) -> JsonDict:
    """The ``Message`` schema, every required field present."""
    reply_to = row["reply_to_seq"]
    return {
        "platform": TWITTER,
        "teamId": xid.TEAM_ID,
        "threadId": xid.make("xt", row["thread_seq"]),
        "id": xid.make("xm", row["seq"]),
        "userId": xid.make("xi", row["user_seq"]) if row["user_seq"] is not None else None,
        "createdAt": iso(row["created_at"]),
        "updatedAt": None,
        "platformId": str(1_850_000_000_000_000_000 + row["seq"]),
        "content": row["content"],
        "campaignId": None,
        "authorId": author(row["from_contact"], context["prospect"], context["account_link_seq"]),
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
