"""The Nox workspace's creators, as the seed makes them: names, handles, contacts, and CRM channels.

A thread either brings a new creator or, for an email task, sometimes reuses one already in
another task (so some creators have sibling projects). What a creator's threads turned out to be
(best coop status, labels) is recorded on the ``Creator`` and becomes its CRM channel at the end.
"""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from noxtui.sandbox.clock import DAY_MS
from noxtui.sandbox.nox.corpus import workspace
from noxtui.sandbox.nox.seed_catalog import Task, Tasks

_LANGUAGE_CUM = list(itertools.accumulate(workspace.LANGUAGE_WEIGHTS))
_PLATFORM_CUM = list(itertools.accumulate(workspace.PLATFORM_WEIGHTS))
_TEAM_UIDS = tuple(uid for uid, _, _, _ in workspace.TEAM)
_TEAM_CUM = list(itertools.accumulate(workspace.TEAM_WEIGHTS))


@dataclass
class Creator:
    seq: int
    first: str
    last: str
    handle: str
    platform: str
    email: str
    language: str
    owner: str
    niche: str
    agency: str | None
    vip: bool
    fee: int
    tasks: list[int] = field(default_factory=list)
    best_status: int = 0
    labels: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def channel_url(self) -> str:
        if self.platform == "youtube":
            return f"https://www.youtube.com/@{self.handle}"
        if self.platform == "tiktok":
            return f"https://www.tiktok.com/@{self.handle}"
        return f"https://www.instagram.com/{self.handle}/"

    def row(self) -> tuple[Any, ...]:
        """The ``creators`` row."""
        return (
            self.seq, self.name, self.handle, self.platform, self.channel_url, self.email, self.language, self.owner
        )


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class Creators:
    """Every creator made so far, and the pool that may join another email task."""

    def __init__(self, rng: random.Random, tasks: Tasks) -> None:
        self.rng = rng
        self.tasks = tasks
        self.all: list[Creator] = []
        self.multi_pool: list[Creator] = []
        self.handles: dict[str, int] = {}

    def new(self) -> Creator:
        rng = self.rng
        seq = len(self.all) + 1
        language = rng.choices(workspace.LANGUAGES, cum_weights=_LANGUAGE_CUM)[0]
        first = rng.choice(workspace.FIRST_NAMES[language])
        last = rng.choice(workspace.LAST_NAMES[language])
        niche_word, niche = rng.choice(workspace.NICHES)
        platform = rng.choices(workspace.PLATFORMS, cum_weights=_PLATFORM_CUM)[0]
        pattern = rng.choice(workspace.HANDLE_PATTERNS)
        handle = pattern.format(first=_ascii(first), last=_ascii(last), niche=niche_word, n=rng.randrange(10, 99))
        taken = self.handles.get(handle, 0)
        self.handles[handle] = taken + 1
        if taken:
            handle = f"{handle}{taken + 1}"
        agency = rng.choice(workspace.AGENCIES) if rng.random() < 0.05 else None
        if agency:
            agency_domain = _ascii(agency).replace(" ", "").replace("&", "").strip(".")
            email = f"{_ascii(first)}.{_ascii(last)}@{agency_domain}.example"
        else:
            domain = handle.replace(".", "").replace("_", "")
            email = rng.choice(workspace.EMAIL_PATTERNS).format(
                handle=handle.replace("_", "."), domain=domain, first=_ascii(first), last=_ascii(last)
            )
        vip = rng.random() < 0.07
        fee = rng.choice(workspace.FEES[6:] if vip else workspace.FEES[:8])
        owner = rng.choices(_TEAM_UIDS, cum_weights=_TEAM_CUM)[0]
        creator = Creator(seq, first, last, handle, platform, email, language, owner, niche, agency, vip, fee)
        self.all.append(creator)
        return creator

    def pick(self, email_task: bool) -> tuple[Creator, Task | None, bool]:
        """A creator (new, or an existing one joining another task), the task if any, and whether new."""
        rng = self.rng
        if not email_task:
            return self.new(), None, True
        task = self.tasks.pick()
        if self.multi_pool and rng.random() < 0.14:
            creator = self.multi_pool[rng.randrange(len(self.multi_pool))]
            if task.seq in creator.tasks:
                free = [t for t in self.tasks.items if t.seq not in creator.tasks]
                task = free[rng.randrange(len(free))] if free else task
            if task.seq not in creator.tasks:
                creator.tasks.append(task.seq)
                return creator, task, False
        creator = self.new()
        creator.tasks.append(task.seq)
        self.multi_pool.append(creator)
        return creator, task, True

    def insert_crm(self, conn: sqlite3.Connection, now: int) -> None:
        """A CRM channel for about two thirds of the creators (always the first, never the second)."""
        rng = self.rng
        codes = {order: code for code, _, order in workspace.COOP_STATUSES}
        label_order = [lid for lid, _, _ in workspace.LABELS]
        rows = []
        for c in self.all:
            has_channel = c.seq == 1 or (c.seq != 2 and rng.random() < 0.67)
            if not has_channel:
                continue
            note = rng.choice(workspace.NOTES).format(fee=f"${c.fee:,}", agency=c.agency or "an agency")
            labels = [lid for lid in label_order if lid in c.labels]
            rows.append(
                (c.seq, codes.get(c.best_status), json.dumps(labels), c.owner, c.email, c.channel_url, note,
                 now - rng.randrange(1, 60) * DAY_MS)
            )
        conn.executemany(
            "INSERT INTO crm_channels(creator_seq, coop_status, label_ids, owner_uid, email, url, notes, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
