"""The Nox workspace's threads as the seed writes them: one conversation per thread, message by message.

A thread is a creator (new, or one joining another email task), a coop status, and a script of
steps for that status; each step's text is drawn in the creator's language and filled from the
thread's context (brand, fee, dates, links). The last step decides whether the thread needs a
reply and why; labels, drafts and follow-up candidates (scheduled at the end) follow from there.
Every draw comes from the seed's one RNG, in this order, which is what keeps the seed reproducible.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from noxtui.sandbox.clock import DAY_MS, HOUR_MS, MINUTE_MS, from_ms
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.corpus import conversations, workspace
from noxtui.sandbox.nox.seed_catalog import Task
from noxtui.sandbox.nox.seed_creators import Creator, Creators
from noxtui.sandbox.nox.thread_text import make_search_text, make_snippet

# One inbound body of this thread carries a terminal escape and Rich markup (the TUI must show it inert).
ESCAPE_THREAD_SEQ = 5
ESCAPE_THREAD_ID = ids.thread_id(ESCAPE_THREAD_SEQ)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SHORT_DELIVERABLE = {
    "youtube": "an integrated segment",
    "tiktok": "a couple of TikToks",
    "instagram": "a Reel and some Stories",
}
_REPLY_PREFIX = "Re: "
_COOP_CODES = tuple(code for code, _, _ in workspace.COOP_STATUSES)
_COOP_CUM = list(itertools.accumulate(workspace.COOP_WEIGHTS))
# Characters of the platforms' public video ids, for believable links.
_YOUTUBE_ID = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-"
_INSTAGRAM_ID = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

THREAD_COLUMNS = (
    "seq, creator_seq, business_kind, business_id, subject, snippet, last_message_at, "
    "last_message_direction, needs_reply, pending_reason, coop_status, owner_uid, message_count, archived, "
    "created_at, updated_at, draft_body, draft_sender_auth_id, draft_attachment_ids, draft_updated_at, "
    "schedule_at, schedule_content, schedule_sender_auth_id"
)


@dataclass
class Rows:
    """One chunk of rows waiting for ``executemany`` (``insert``)."""

    creators: list[tuple[Any, ...]] = field(default_factory=list)
    threads: list[tuple[Any, ...]] = field(default_factory=list)
    projects: list[tuple[Any, ...]] = field(default_factory=list)
    labels: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    attachments: list[tuple[Any, ...]] = field(default_factory=list)
    search: list[tuple[Any, ...]] = field(default_factory=list)

    def insert(self, conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO creators(seq, name, handle, platform, channel_url, email, language, owner_uid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.creators,
        )
        conn.executemany(f"INSERT INTO threads({THREAD_COLUMNS}) VALUES ({','.join('?' * 23)})", self.threads)
        conn.executemany("INSERT INTO thread_text(seq, search_text) VALUES (?, ?)", self.search)
        conn.executemany("INSERT INTO thread_projects(thread_seq, project_id) VALUES (?, ?)", self.projects)
        conn.executemany("INSERT INTO thread_labels(thread_seq, label_id) VALUES (?, ?)", self.labels)
        conn.executemany(
            "INSERT INTO messages(seq, thread_seq, direction, sender_name, sender_address, sent_at, subject, "
            "body_text, tracked, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.messages,
        )
        conn.executemany(
            "INSERT INTO attachments(seq, thread_seq, message_seq, filename, size, content_type, data, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self.attachments,
        )


def _date_words(ms: int) -> str:
    moment = from_ms(ms)
    return f"{_MONTHS[moment.month - 1]} {moment.day}"


class Conversations:
    """Writes thread after thread into ``Rows``, counting messages and attachments as it goes."""

    def __init__(self, rng: random.Random, now: int, n_threads: int, creators: Creators) -> None:
        self.rng = rng
        self.now = now
        self.n_threads = n_threads
        self.creators = creators
        self.message_seq = 0
        self.attachment_seq = 0
        self.status_order = {code: order for code, _, order in workspace.COOP_STATUSES}
        self.team_sender = {uid: sender for uid, _, _, sender in workspace.TEAM}
        self.team_name = {uid: name for uid, name, _, _ in workspace.TEAM}
        self.senders = {sid: (name, address) for sid, address, name, _ in workspace.SENDERS}
        self.schedule_candidates: list[tuple[int, str, str, str]] = []

    def pick_script(self, creator: Creator, status: str) -> tuple[str, ...]:
        rng = self.rng
        if creator.language != "en":
            return rng.choice(conversations.LOCAL_SCRIPTS[status])
        if creator.agency and status == "interested":
            return ("pitch", "agency_reply")
        options = [s for s in conversations.SCRIPTS[status] if "agency_reply" not in s]
        return rng.choice(options)

    def message_times(self, start: int, count: int) -> list[int]:
        rng = self.rng
        gaps = [rng.randrange(2 * HOUR_MS, 5 * DAY_MS, 1000) for _ in range(count - 1)]
        available = max(self.now - 20 * MINUTE_MS - start, HOUR_MS)
        total = sum(gaps)
        if total > available:
            gaps = [max(60_000, (g * available // total) // 1000 * 1000) for g in gaps]
        times = [start]
        for gap in gaps:
            times.append(times[-1] + gap)
        return [min(t, self.now - 10 * MINUTE_MS) for t in times]

    def render(self, step: str, language: str, ctx: dict[str, str]) -> str:
        variants = conversations.STEPS[step].get(language) or conversations.STEPS[step]["en"]
        return self.rng.choice(variants).format(**ctx)

    def context(self, c: Creator, brand: str, product: str) -> dict[str, str]:
        rng = self.rng
        rep_uid = c.owner
        rep_full = self.team_name[rep_uid]
        counter = int(round(c.fee * rng.uniform(1.25, 1.7) / 50.0)) * 50
        if c.platform == "youtube":
            link = "https://www.youtube.com/watch?v=" + "".join(rng.choices(_YOUTUBE_ID, k=11))
        elif c.platform == "tiktok":
            video = rng.randrange(7_300_000_000_000_000_000, 7_400_000_000_000_000_000)
            link = f"https://www.tiktok.com/@{c.handle}/video/{video}"
        else:
            link = "https://www.instagram.com/reel/" + "".join(rng.choices(_INSTAGRAM_ID, k=11)) + "/"
        return {
            "first": c.first,
            "last": c.last,
            "handle": c.handle,
            "platform": workspace.PLATFORM_NAMES[c.platform],
            "brand": brand,
            "product": product,
            "fee": f"${c.fee:,}",
            "counter": f"${counter:,}",
            "deliverable": rng.choice(workspace.DELIVERABLES[c.platform]),
            "deliverable_short": _SHORT_DELIVERABLE[c.platform],
            "rep": rep_full.split()[0],
            "rep_full": rep_full,
            "date": _date_words(self.now + rng.randrange(5, 40) * DAY_MS),
            "address": rng.choice(workspace.ADDRESSES[c.language]),
            "carrier": rng.choice(workspace.CARRIERS),
            "tracking": f"1Z{rng.randrange(10**15, 10**16)}",
            "link": link,
            "agency": c.agency or rng.choice(workspace.AGENCIES),
            "niche": c.niche,
            "brand_slug": brand.replace(" ", "").replace(".", ""),
        }

    def thread(self, seq: int, rows: Rows) -> None:
        rng = self.rng
        hostile = seq == ESCAPE_THREAD_SEQ
        email_task = hostile or rng.random() < 0.85
        creator, task, is_new = self.creators.pick(email_task)
        if is_new:
            rows.creators.append(creator.row())
        status = "interested" if hostile else rng.choices(_COOP_CODES, cum_weights=_COOP_CUM)[0]
        script = ("pitch", "ask_rates") if hostile else self.pick_script(creator, status)

        if task is not None:
            brand, product = task.brand, task.product
            subject = task.subject
            start = task.sent_at + rng.randrange(0, 20 * MINUTE_MS, 1000)
            business_kind, business_id = "email_task", ids.task_id(task.seq)
            first_sender = task.sender
            task.thread_count += 1
        else:
            brand, product, _, _, _ = rng.choice(workspace.CAMPAIGNS)
            subject = f"{brand} × {creator.first}: partnership idea"
            start = self.now - rng.randrange(1 * DAY_MS, 100 * DAY_MS, 1000)
            business_kind, business_id = "direct", ""
            first_sender = self.team_sender[creator.owner]
        ctx = self.context(creator, brand, product)
        times = self.message_times(start, len(script))
        rep_sender = self.team_sender[creator.owner]

        first_inbound = True
        for i, (step, at) in enumerate(zip(script, times, strict=True)):
            self.message_seq += 1
            inbound = step in conversations.INBOUND_STEPS
            if hostile and inbound:
                body = conversations.HOSTILE_BODY
            else:
                body = self.render(step, creator.language, ctx)
            if inbound:
                sender_name, sender_address = creator.name, creator.email
                tracked = 1 if rng.random() < (0.9 if first_inbound else 0.55) else 0
                if task is not None:
                    task.inbound.append([self.message_seq, tracked])
                first_inbound = False
            else:
                sender_name, sender_address = self.senders[first_sender if i == 0 else rep_sender]
                tracked = 0
            msg_subject = subject if i == 0 else _REPLY_PREFIX + subject
            rows.messages.append(
                (self.message_seq, seq, "inbound" if inbound else "outbound", sender_name, sender_address, at,
                 msg_subject, body, tracked, "seed")
            )
            if step in conversations.STEP_ATTACHMENTS:
                pattern, ctype, low, high = conversations.STEP_ATTACHMENTS[step]
                self.attachment_seq += 1
                rows.attachments.append(
                    (self.attachment_seq, seq, self.message_seq, pattern.format(**ctx), rng.randrange(low, high),
                     ctype, None, at)
                )

        if task is not None and not first_inbound:
            task.replied_creators += 1  # one thread per creator per task
        last_step, last_at = script[-1], times[-1]
        direction = "inbound" if last_step in conversations.INBOUND_STEPS else "outbound"
        pending: str | None = None
        if direction == "inbound":
            pending = conversations.PENDING_REASONS.get(last_step)
            if pending is not None and not hostile and rng.random() < 0.08:
                pending = None  # answered by phone / handled elsewhere
        else:
            quiet_days = (self.now - last_at) // DAY_MS
            if quiet_days >= 5 and status in ("contacted", "new", "negotiating") and rng.random() < 0.35:
                pending = conversations.FOLLOW_UP_DUE.format(days=quiet_days)
        needs_reply = pending is not None

        labels = self.labels_for(creator, task, status, script, needs_reply, direction)
        last_body = conversations.HOSTILE_BODY if hostile else rows.messages[-1][7]
        snippet = make_snippet(last_body)

        draft_body, draft_sender, draft_at = "", None, None
        if (needs_reply and rng.random() < 0.25) or rng.random() < 0.02:
            draft_body = rng.choice(conversations.DRAFTS).format(**ctx)
            draft_sender = rep_sender
            draft_at = min(self.now - 5 * MINUTE_MS, last_at + rng.randrange(5 * MINUTE_MS, 2 * DAY_MS, 1000))
        elif direction == "outbound" and not needs_reply and status in ("contacted", "negotiating", "deal"):
            self.schedule_candidates.append((seq, self.render("follow_up", creator.language, ctx), rep_sender, status))

        updated_at = max(last_at, draft_at or 0)
        rows.threads.append(
            (seq, creator.seq, business_kind, business_id, subject, snippet,
             last_at, direction,
             1 if needs_reply else 0, pending, status, creator.owner, len(script), 0, start, updated_at,
             draft_body, draft_sender, "[]", draft_at, None, None, None)
        )
        rows.search.append((seq, make_search_text(creator.name, creator.handle, subject, snippet)))
        if task is not None:
            rows.projects.append((seq, ids.project_id_for_task(ids.task_id(task.seq))))
        rows.labels.extend((seq, label) for label in labels)
        creator.best_status = max(creator.best_status, self.status_order[status])
        creator.labels.update(labels)

    def labels_for(
        self, c: Creator, task: Task | None, status: str, script: Sequence[str], needs_reply: bool, direction: str
    ) -> list[str]:
        rng = self.rng
        kind = task.kind if task is not None else "paid"
        out: list[str] = []
        if c.vip:
            out.append("lb_vip")
        if status in ("interested", "negotiating") and needs_reply and rng.random() < 0.5:
            out.append("lb_hot_lead")
        if status == "deal" and "contract" not in script and rng.random() < 0.8:
            out.append("lb_needs_contract")
        if kind == "paid" and (
            (status == "published" and rng.random() < 0.85) or (status == "content_in_progress" and rng.random() < 0.2)
        ):
            out.append("lb_paid")
        if kind == "gifted" and status in ("deal", "content_in_progress", "published"):
            out.append("lb_gifted")
        if (needs_reply and direction == "outbound") or (status == "contacted" and rng.random() < 0.3):
            out.append("lb_follow_up")
        if "wrong_contact" in script:
            out.append("lb_wrong_contact")
        if c.agency:
            out.append("lb_agency")
        return out

    def insert_schedules(self, conn: sqlite3.Connection) -> None:
        """A few scheduled follow-ups: most in the future, some (with enough threads) past due."""
        rng = self.rng
        pool = self.schedule_candidates
        count = min(len(pool), max(3, self.n_threads * 3 // 100))
        chosen = sorted(rng.sample(range(len(pool)), count))
        past_due = count // 4
        updates = []
        for i, idx in enumerate(chosen):
            seq, content, sender, _ = pool[idx]
            if i < past_due:
                at = self.now - rng.randrange(1, 4) * HOUR_MS
            else:
                at = (self.now // HOUR_MS) * HOUR_MS + rng.randrange(2, 24 * 7) * HOUR_MS
            updates.append((at, content, sender, seq))
        conn.executemany(
            "UPDATE threads SET schedule_at = ?, schedule_content = ?, schedule_sender_auth_id = ? WHERE seq = ?",
            updates,
        )
