"""A deterministic X-DM workspace for the sandbox's Inbox routes.

Same rule as the Nox seed (``nox/seed.py``): one ``random.Random`` drawn in a fixed order and every instant computed
from ``now``, so the same ``(seed, now)`` writes the same rows. The shape covers what the Inbox
provider and its screens must handle:

* contacts with @handles (some display names with emoji), tags on some of them, assignees;
* conversations in both directions, some ending with the contact (needs a reply), some with us;
* message requests (the contact wrote first and was never answered, ``isRequest``);
* threads nobody has written in yet — sending there is an *outbound-first* message, which the
  sandbox refuses with 402 (no Outbound Messages add-on), as the contract describes;
* some threads marked ``done``; a few long conversations (more than one page of messages);
* prospects with a thread on each of the team's two X accounts (siblings), prospects not imported
  yet (no ``externalId``), pipeline statuses, notes and valuations, one account link offline.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from noxtui.sandbox.clock import from_ms, to_ms
from noxtui.sandbox.database import Database
from noxtui.sandbox.inbox.schema import INBOX_TABLE_NAMES, INBOX_TABLES, SCHEMA_MARK

INBOX_THREADS = 60
_MINUTE = 60_000
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR

TEAM_NAME = "Glowbrook Social"
USERS = (
    ("Maya Ortiz", "maya@glowbrook.example"),
    ("Theo Park", "theo@glowbrook.example"),
    ("Ines Duarte", "ines@glowbrook.example"),
)
ACCOUNT_LINKS = (
    ("1288000000000000001", "glowbrook", "Glowbrook", "active"),
    ("1288000000000000002", "glowbrook_collabs", "Glowbrook Collabs", "offline"),
)
ROLES = ("owner", "admin", "user")
TAGS = (
    ("VIP", "#f5a623"),
    ("Hot lead", "#d0021b"),
    ("Needs brief", "#4a90e2"),
    ("Paid", "#7ed321"),
    ("Gifted", "#bd10e0"),
    ("Follow up", "#9b9b9b"),
)
STATUSES = (("Contacted", "#3b82f6"), ("Negotiating", "#f59e0b"), ("Signed", "#10b981"), ("Declined", None))
_FIRST = ("Mia", "Leo", "Ava", "Kai", "Zoe", "Noah", "Lina", "Omar", "Ivy", "Ezra", "Nia", "Finn", "Sara", "Jude")
_LAST = ("Chen", "Rossi", "Okafor", "Silva", "Novak", "Haddad", "Kim", "Berg", "Lopez", "Tanaka", "Walsh", "Mehta")
_FLAIR = ("", "", "", " ✨", " 🎮", " 📸", " | tech reviews")
_NICHES = ("tech", "fitness", "gaming", "cooking", "travel", "beauty", "finance")
_PRODUCTS = ("the Glowbrook desk lamp", "the Aero earbuds", "our protein bars", "the trail backpack")

_OPENERS = (
    "Hi {first}! I'm Maya from Glowbrook — we love your {niche} posts. Open to a paid collab on {product}?",
    "Hey {first}, big fan of your {niche} threads. Would you be up for a sponsored post about {product}?",
)
_INBOUND = (
    "Hey! Thanks for reaching out — what did you have in mind?",
    "Love {product} honestly. What's the budget?",
    "My rate for one thread plus two quote posts is ${fee}. Usage rights extra.",
    "Can you send the brief? I'm booked until the 15th but could fit it after.",
    "Sorry for the slow reply, DMs got buried 🙈",
    "Is this paid or gifted?",
    "I'd need the usage rights spelled out before I sign anything.",
    "Sounds good — send the contract to my manager at mgmt@{handle}.example",
    "Posted! Here's the link: https://x.com/{handle}/status/{post}",
    "Quick question: can I mention that I've used a competitor before?",
)
_OUTBOUND = (
    "Totally fair. We can do ${fee} for one thread plus a quote post, 30-day usage.",
    "Here's the brief: https://glowbrook.example/briefs/{post}. Timing is flexible.",
    "Following up on this — still keen to work together if the timing works!",
    "Great, the contract is on its way. Anything else you need from us?",
    "Thanks for posting! Payment goes out within 7 days.",
    "Gifted to start, with a paid follow-up if it performs — does that work?",
)
_REQUESTS = (
    "Hi Glowbrook team! I make {niche} content (48k followers) — any creator programs open?",
    "Saw you're working with creators on {product}, I'd love to be considered 🙏",
    "Hello! Do you send review units? I cover {niche} on X and YouTube.",
)

# (kind, how many of INBOX_THREADS): the rest are ordinary conversations.
_KINDS = (("empty", 6), ("request", 5), ("inbound_only", 5), ("long", 2))


@dataclass
class _Rows:
    prospects: list[tuple[Any, ...]]
    prospect_tags: list[tuple[int, int]]
    threads: list[tuple[Any, ...]]
    messages: list[tuple[Any, ...]]


class _InboxSeeder:
    def __init__(self, threads: int, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed * 7919 + 104729)
        now_ms = to_ms(now)
        self.now = now_ms - now_ms % 1000
        self.n_threads = threads
        self.rows = _Rows([], [], [], [])
        self.message_seq = 0
        self.handles: set[str] = set()

    def handle(self, first: str, last: str) -> str:
        rng = self.rng
        while True:
            style = rng.randrange(3)
            base = f"{first}{last}" if style == 0 else f"{first}_{last}" if style == 1 else f"{first}{last[:3]}"
            candidate = f"{base.lower()}{rng.randrange(10, 99) if rng.random() < 0.5 else ''}"
            if candidate not in self.handles:
                self.handles.add(candidate)
                return candidate

    def kinds(self) -> list[str]:
        kinds = [kind for kind, count in _KINDS for _ in range(count)]
        kinds += ["conversation"] * max(0, self.n_threads - len(kinds))
        kinds = kinds[: self.n_threads]
        self.rng.shuffle(kinds)
        return kinds

    def text(self, pool: tuple[str, ...], ctx: dict[str, str]) -> str:
        return self.rng.choice(pool).format(**ctx)

    def script(self, kind: str, ctx: dict[str, str]) -> list[tuple[bool, str]]:
        """(from_contact, content) in order."""
        rng = self.rng
        if kind == "empty":
            return []
        if kind == "request":
            return [(True, self.text(_REQUESTS, ctx)) for _ in range(rng.randint(1, 2))]
        if kind == "inbound_only":
            return [(True, self.text(_REQUESTS + _INBOUND[:2], ctx)) for _ in range(rng.randint(1, 3))]
        count = rng.randint(110, 130) if kind == "long" else rng.randint(2, 8)
        out: list[tuple[bool, str]] = [(False, self.text(_OPENERS, ctx))]
        contact = True
        while len(out) < count:
            out.append((contact, self.text(_INBOUND if contact else _OUTBOUND, ctx)))
            if rng.random() < 0.8:
                contact = not contact
        return out

    def thread(self, seq: int, kind: str) -> None:
        rng = self.rng
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        handle = self.handle(first, last)
        display = f"{first} {last}{rng.choice(_FLAIR)}"
        ctx = {
            "first": first,
            "handle": handle,
            "niche": rng.choice(_NICHES),
            "product": rng.choice(_PRODUCTS),
            "fee": str(rng.randrange(4, 40) * 50),
            "post": str(1_860_000_000_000_000_000 + seq * 1013),
        }
        platform_id = str(1_400_000_000 + seq * 7_919 + rng.randrange(1000))
        status = rng.choice((None, None, 1, 2, 3, 4))
        created = self.now - rng.randrange(2 * _DAY, 90 * _DAY, 1000)
        valuation = rng.choice((None, None, rng.randrange(2, 60) * 50))
        notes = rng.choice((None, None, f"Prefers {ctx['niche']} briefs; rate card asked."))
        imported = 0 if kind == "request" and rng.random() < 0.5 else 1
        self.rows.prospects.append((seq, platform_id, handle, display, status, notes, valuation, imported, created))
        for tag in sorted(rng.sample(range(1, len(TAGS) + 1), rng.choice((0, 0, 1, 1, 2)))):
            self.rows.prospect_tags.append((seq, tag))
        script = self.script(kind, ctx)
        span = max(self.now - 15 * _MINUTE - created, _HOUR)
        times = sorted(created + rng.randrange(0, span, 1000) for _ in script)
        last_seq: int | None = None
        last_from_contact = 0
        last_at = created
        for index, ((from_contact, content), at) in enumerate(zip(script, times, strict=True)):
            self.message_seq += 1
            at = max(at, last_at + 1000) if index else at
            user = None if from_contact else rng.choice((1, 2, 3))
            origin = "external" if from_contact else rng.choice(("internal", "internal", "external"))
            reply_to = last_seq if last_seq is not None and rng.random() < 0.15 else None
            self.rows.messages.append((self.message_seq, seq, int(from_contact), user, content, origin, reply_to, at))
            last_seq, last_from_contact, last_at = self.message_seq, int(from_contact), at
        done = int(kind in ("conversation", "long") and rng.random() < 0.25)
        assignee = rng.choice((None, 1, 2, 3))
        link = 1 if rng.random() < 0.75 else 2
        syncing = 2 if kind == "long" else 0  # still loading its history from X for two reads
        self.rows.threads.append(
            (seq, link, seq, done, int(kind == "request"), assignee, last_at, last_seq, last_from_contact, syncing,
             created, last_at)
        )

    def share_prospects(self) -> None:
        """In every 20 threads, the first one nobody has written in yet goes to the previous thread's
        prospect, from the team's other account: a prospect with threads on both accounts
        (``context.threads``, the sibling list) whose conversations still read as theirs."""
        threads = self.rows.threads
        for block in range(0, len(threads), 20):
            span = range(max(block, 1), min(block + 20, len(threads)))
            empty = next((i for i in span if threads[i][7] is None), None)  # no last message
            if empty is None:
                continue
            other = threads[empty - 1]
            row = list(threads[empty])
            row[1], row[2] = 3 - other[1], other[2]  # the other account link, the same prospect
            threads[empty] = tuple(row)
            prospect = list(self.rows.prospects[other[2] - 1])
            prospect[7] = 1  # imported: its threads are listed on the prospect (it has an externalId)
            self.rows.prospects[other[2] - 1] = tuple(prospect)

    def run(self, store: Database) -> dict[str, int]:
        for seq, kind in enumerate(self.kinds(), start=1):
            self.thread(seq, kind)
        self.share_prospects()
        with store.write() as conn:
            conn.execute("INSERT INTO inbox_team(seq, name) VALUES (1, ?)", (TEAM_NAME,))
            joined = self.now - 400 * _DAY
            conn.executemany(
                "INSERT INTO inbox_users(seq, name, email, role, created_at) VALUES (?, ?, ?, ?, ?)",
                [(i, *u, ROLES[min(i - 1, 2)], joined) for i, u in enumerate(USERS, 1)],
            )
            conn.executemany(
                "INSERT INTO inbox_account_links(seq, platform_id, username, display_name, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(i, *a, joined) for i, a in enumerate(ACCOUNT_LINKS, 1)],
            )
            conn.executemany(
                "INSERT INTO inbox_tags(seq, name, color) VALUES (?, ?, ?)", [(i, *t) for i, t in enumerate(TAGS, 1)]
            )
            conn.executemany(
                "INSERT INTO inbox_statuses(seq, name, color) VALUES (?, ?, ?)",
                [(i, *st) for i, st in enumerate(STATUSES, 1)],
            )
            conn.executemany(
                "INSERT INTO inbox_prospects(seq, platform_id, username, display_name, status_seq, notes, valuation, "
                "imported, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.rows.prospects,
            )
            conn.executemany(
                "INSERT INTO inbox_prospect_tags(prospect_seq, tag_seq) VALUES (?, ?)", self.rows.prospect_tags
            )
            conn.executemany(
                "INSERT INTO inbox_threads(seq, account_link_seq, prospect_seq, done, is_request, assignee_seq, "
                "last_message_at, last_message_seq, last_from_contact, syncing_reads, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self.rows.threads,
            )
            conn.executemany(
                "INSERT INTO inbox_messages(seq, thread_seq, from_contact, user_seq, content, origin, reply_to_seq, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self.rows.messages,
            )
        return {"inbox_threads": self.n_threads, "inbox_messages": self.message_seq}


def seed_inbox(store: Database, *, seed: int = 7, now: datetime, threads: int = INBOX_THREADS) -> dict[str, int]:
    """Fill the empty Inbox tables of ``store``; deterministic in ``(seed, now, threads)``."""
    if threads < 1:
        raise ValueError("threads must be at least 1")
    with store.read() as conn:
        if int(conn.execute("SELECT COUNT(*) FROM inbox_threads").fetchone()[0]):
            raise ValueError("the store already holds an Inbox workspace; clear it before seeding")
    return _InboxSeeder(threads, seed, now).run(store)


def _statements() -> list[str]:
    """``INBOX_TABLES`` one statement at a time (``executescript`` would commit the open transaction)."""
    return [part.strip() for part in INBOX_TABLES.split(";") if part.strip()]


def _current(conn: sqlite3.Connection) -> bool:
    table, column = SCHEMA_MARK
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def ensure_inbox(store: Database, *, seed: int, now: datetime) -> dict[str, int]:
    """Seed the Inbox workspace of a database made before it existed; a no-op once seeded.

    A workspace written by an older sandbox (without the v1 document's fields) is dropped and seeded
    again: it is sample data, and serving it would answer in a shape the routes no longer have.
    The seed and "now" recorded by the Nox seed (``sandbox_meta``) win over the arguments, so an
    old demo database gets the same Inbox rows every time it is opened.
    """
    with store.write() as conn:
        if not _current(conn):
            for name in INBOX_TABLE_NAMES:
                conn.execute(f"DROP TABLE IF EXISTS {name}")
            for statement in _statements():
                conn.execute(statement)
    with store.read() as conn:
        if int(conn.execute("SELECT COUNT(*) FROM inbox_threads").fetchone()[0]):
            return {}
    recorded_seed, recorded_now = store.get_meta("seed"), store.get_meta("seed_now")
    if recorded_seed is not None and recorded_seed.lstrip("-").isdigit():
        seed = int(recorded_seed)
    if recorded_now is not None and recorded_now.isdigit():
        now = from_ms(int(recorded_now))
    return seed_inbox(store, seed=seed, now=now)
