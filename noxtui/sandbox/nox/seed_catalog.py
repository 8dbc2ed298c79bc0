"""The Nox workspace's catalogue and email tasks, as the seed writes them.

The catalogue (coop statuses, labels, team, senders, templates) is fixed: the same rows for every
seed. The email tasks are drawn from the seed's RNG before any thread, since each thread is filed
under one; their reply reports are nudged once every thread is written (``balance_reports``).
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from noxtui.sandbox.clock import DAY_MS, HOUR_MS
from noxtui.sandbox.nox.corpus import templates, workspace


@dataclass
class Task:
    """An email task (a campaign's outreach wave) and what its threads added up to."""

    seq: int
    brand: str
    product: str
    name: str
    subject: str
    kind: str
    sender: str
    sent_at: int
    thread_count: int = 0
    replied_creators: int = 0
    # (message seq, tracked) of every inbound message in the task's threads
    inbound: list[list[int]] = field(default_factory=list)


def insert_catalogue(conn: sqlite3.Connection, now: int) -> None:
    """The fixed reference rows; templates dated about 200 days before ``now``."""
    conn.executemany("INSERT INTO coop_statuses(code, name, ord) VALUES (?, ?, ?)", workspace.COOP_STATUSES)
    conn.executemany(
        "INSERT INTO labels(label_id, name, color, ord) VALUES (?, ?, ?, ?)",
        [(lid, name, color, i) for i, (lid, name, color) in enumerate(workspace.LABELS, 1)],
    )
    conn.executemany(
        "INSERT INTO team_members(user_uid, name, email, ord) VALUES (?, ?, ?, ?)",
        [(uid, name, email, i) for i, (uid, name, email, _) in enumerate(workspace.TEAM, 1)],
    )
    conn.executemany(
        "INSERT INTO senders(sender_auth_id, address, name, provider, ord) VALUES (?, ?, ?, ?, ?)",
        [(*row, i) for i, row in enumerate(workspace.SENDERS, 1)],
    )
    created = now - 200 * DAY_MS
    conn.executemany(
        "INSERT INTO templates(seq, name, language, subject, body, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (i, name, lang, subject, body, created + i * HOUR_MS, created + i * HOUR_MS)
            for i, (name, lang, subject, body) in enumerate(templates.TEMPLATES, 1)
        ],
    )


class Tasks:
    """The workspace's email tasks, drawn (with their weights) when made; ``pick`` files a thread."""

    def __init__(self, rng: random.Random, now: int, n_threads: int) -> None:
        self.rng = rng
        self.now = now
        self.items: list[Task] = []
        count = max(4, min(n_threads // 30, 500))
        sender_ids = [s[0] for s in workspace.SENDERS]
        for seq in range(1, count + 1):
            brand, product, name, subject, kind = workspace.CAMPAIGNS[(seq - 1) % len(workspace.CAMPAIGNS)]
            wave = (seq - 1) // len(workspace.CAMPAIGNS)
            if wave:
                name = f"{name} · wave {wave + 1}"
            sent_at = now - rng.randrange(3 * DAY_MS, 110 * DAY_MS, 1000)
            self.items.append(Task(seq, brand, product, name, subject, kind, rng.choice(sender_ids), sent_at))
        self._cum = list(itertools.accumulate(rng.uniform(0.5, 2.0) for _ in self.items))
        self._range = range(len(self.items))

    def pick(self) -> Task:
        """A task, busier ones more often."""
        return self.items[self.rng.choices(self._range, cum_weights=self._cum)[0]]

    def rows(self) -> list[tuple[Any, ...]]:
        """Every task's row, plus two with no threads yet: one scheduled, one still a draft."""
        rows: list[tuple[Any, ...]] = [
            (t.seq, t.name, t.subject, "sent", t.sender, t.thread_count, None, t.sent_at) for t in self.items
        ]
        base = len(self.items)
        brand, product, name, subject, _ = workspace.CAMPAIGNS[base % len(workspace.CAMPAIGNS)]
        rows.append(
            (base + 1, f"{name} · next wave", subject, "scheduled", "sa_partnerships", 40,
             self.now + 3 * DAY_MS + 9 * HOUR_MS, None)
        )
        first = workspace.CAMPAIGNS[0]
        rows.append((base + 2, f"{first[2]} · retargeting (draft)", first[3], "draft", None, 0, None, None))
        return rows

    def balance_reports(self, conn: sqlite3.Connection) -> None:
        """Make each task's three reply numbers differ where the messages allow it.

        ``replied_creator_count`` <= ``inbound_message_count`` always; the tracked count
        (``reply_count``) is nudged (by flipping ``tracked`` on a few inbound messages) to a value
        distinct from both, so the demo can never hide a conflation bug.
        """
        flips: list[tuple[int, int]] = []
        for task in self.items:
            inbound = len(task.inbound)
            creators = task.replied_creators
            tracked = sum(t for _, t in task.inbound)
            if inbound < 3 or creators == inbound:
                continue
            if tracked not in (creators, inbound):
                continue
            candidates = [v for v in range(1, inbound) if v != creators]
            target = min(candidates, key=lambda v: (abs(v - tracked), v))
            for item in task.inbound:
                if tracked == target:
                    break
                if tracked > target and item[1] == 1:
                    item[1] = 0
                    tracked -= 1
                    flips.append((0, item[0]))
                elif tracked < target and item[1] == 0:
                    item[1] = 1
                    tracked += 1
                    flips.append((1, item[0]))
        conn.executemany("UPDATE messages SET tracked = ? WHERE seq = ?", flips)
