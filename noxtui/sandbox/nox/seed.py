"""A deterministic demo workspace: the same ``(threads, seed, now)`` always writes the same rows.

Everything random comes from one ``random.Random(seed)`` drawn in a fixed order, and every instant
is computed from ``now`` — never from the wall clock — so a test (or a screenshot script) can pin
the data. Rows are generated in chunks and bulk-inserted inside one transaction with the indexes
dropped (see ``Store.bulk_load``), so 100,000 threads seed in seconds.

Data shape (what the demo and the tests rely on):

* creators on youtube/tiktok/instagram, some with threads in two or more email tasks (sibling
  projects); about two thirds have a CRM channel;
* email-task threads (``business_kind="email_task"``, ``business_id=<task_id>``,
  ``project_ids=["email_task:<task_id>"]``) plus some ``business_kind="direct"`` threads;
* conversations of 1–8 messages following the coop pipeline, in English and some Spanish,
  Portuguese and Japanese;
* inbound replies that still need an answer (``needs_reply`` with a ``pending_reason``), outbound
  threads whose follow-up is due, drafts, scheduled replies (future ones, and past-due ones when
  there are enough threads), labels and every coop status;
* ``ESCAPE_THREAD_ID``: one inbound body with a terminal escape and Rich markup.

The work is split by what is made: the catalogue and email tasks (``seed_catalog.py``), creators
and their CRM channels (``seed_creators.py``), the threads and their messages (``seed_threads.py``),
all from the words in ``corpus/``; this module runs them in order. ``seed_workspace`` then seeds
the Inbox workspace too (``inbox/seed.py``): the Nox ``Store`` owns the one file both vendors share.
"""

from __future__ import annotations

import random
from datetime import datetime

from noxtui.sandbox.clock import to_ms
from noxtui.sandbox.inbox.seed import seed_inbox
from noxtui.sandbox.nox.seed_catalog import Tasks, insert_catalogue
from noxtui.sandbox.nox.seed_creators import Creators
from noxtui.sandbox.nox.seed_threads import ESCAPE_THREAD_ID, ESCAPE_THREAD_SEQ, Conversations, Rows
from noxtui.sandbox.nox.store import Store

__all__ = ["ESCAPE_THREAD_ID", "ESCAPE_THREAD_SEQ", "seed_workspace"]

_CHUNK = 5_000


def _seed_nox(store: Store, threads: int, seed: int, now: datetime) -> dict[str, int]:
    """The Nox workspace in one bulk transaction; every draw from one RNG, in a fixed order."""
    rng = random.Random(seed)
    now_ms = to_ms(now)
    now_ms -= now_ms % 1000
    with store.bulk_load() as conn:
        insert_catalogue(conn, now_ms)
        tasks = Tasks(rng, now_ms, threads)
        creators = Creators(rng, tasks)
        conversations = Conversations(rng, now_ms, threads, creators)
        rows = Rows()
        for seq in range(1, threads + 1):
            conversations.thread(seq, rows)
            if len(rows.threads) >= _CHUNK:
                rows.insert(conn)
                rows = Rows()
        rows.insert(conn)
        conn.executemany(
            "INSERT INTO email_tasks(seq, name, subject, status, sender_auth_id, recipient_count, scheduled_at, "
            "sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            tasks.rows(),
        )
        conn.execute("INSERT INTO thread_search(thread_search) VALUES ('rebuild')")
        tasks.balance_reports(conn)
        conversations.insert_schedules(conn)
        creators.insert_crm(conn, now_ms)
        conn.executemany(
            "INSERT INTO sandbox_meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [("seed", str(seed)), ("seed_threads", str(threads)), ("seed_now", str(now_ms))],
        )
    return {
        "threads": threads,
        "creators": len(creators.all),
        "messages": conversations.message_seq,
        "email_tasks": len(tasks.items),
    }


def seed_workspace(store: Store, *, threads: int = 300, seed: int = 7, now: datetime) -> dict[str, int]:
    """Fill an empty store with a demo workspace; returns a few counts.

    Deterministic: the same ``(threads, seed, now)`` writes identical rows (see ``Store.dump``).
    Raises ``ValueError`` if the store already holds threads (use ``Store.clear`` first).
    """
    if threads < 1:
        raise ValueError("threads must be at least 1")
    if not store.is_empty():
        raise ValueError("the store already holds a workspace; clear it before seeding")
    counts = _seed_nox(store, threads, seed, now)
    counts.update(seed_inbox(store, seed=seed, now=now))  # the Inbox (X DM) workspace, fixed size
    return counts
