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
"""

from __future__ import annotations

import itertools
import json
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from noxtui.sandbox.clock import from_ms, to_ms
from noxtui.sandbox.inbox.seed import seed_inbox
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox import seed_corpus as corpus
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.nox.thread_text import make_search_text, make_snippet

ESCAPE_THREAD_SEQ = 5
ESCAPE_THREAD_ID = ids.thread_id(ESCAPE_THREAD_SEQ)

_MINUTE = 60_000
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_CHUNK = 5_000
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SHORT_DELIVERABLE = {
    "youtube": "an integrated segment",
    "tiktok": "a couple of TikToks",
    "instagram": "a Reel and some Stories",
}
_REPLY_PREFIX = "Re: "
_LANGUAGE_CUM = list(itertools.accumulate(corpus.LANGUAGE_WEIGHTS))
_PLATFORM_CUM = list(itertools.accumulate(corpus.PLATFORM_WEIGHTS))
_TEAM_UIDS = tuple(uid for uid, _, _, _ in corpus.TEAM)
_TEAM_CUM = list(itertools.accumulate(corpus.TEAM_WEIGHTS))
_COOP_CODES = tuple(code for code, _, _ in corpus.COOP_STATUSES)
_COOP_CUM = list(itertools.accumulate(corpus.COOP_WEIGHTS))


@dataclass
class _Creator:
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


@dataclass
class _Task:
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


@dataclass
class _Rows:
    """One chunk of rows waiting for ``executemany``."""

    creators: list[tuple[Any, ...]] = field(default_factory=list)
    threads: list[tuple[Any, ...]] = field(default_factory=list)
    projects: list[tuple[Any, ...]] = field(default_factory=list)
    labels: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    attachments: list[tuple[Any, ...]] = field(default_factory=list)
    search: list[tuple[Any, ...]] = field(default_factory=list)


_THREAD_COLUMNS = (
    "seq, creator_seq, business_kind, business_id, subject, snippet, last_message_at, "
    "last_message_direction, needs_reply, pending_reason, coop_status, owner_uid, message_count, archived, "
    "created_at, updated_at, draft_body, draft_sender_auth_id, draft_attachment_ids, draft_updated_at, "
    "schedule_at, schedule_content, schedule_sender_auth_id"
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _date_words(ms: int) -> str:
    moment = from_ms(ms)
    return f"{_MONTHS[moment.month - 1]} {moment.day}"


class _Seeder:
    """Holds the RNG and running counters; ``run`` writes the whole workspace."""

    def __init__(self, store: Store, threads: int, seed: int, now: datetime) -> None:
        self.store = store
        self.n_threads = threads
        self.seed = seed
        self.rng = random.Random(seed)
        now_ms = to_ms(now)
        self.now = now_ms - now_ms % 1000
        self.creators: list[_Creator] = []
        self.multi_pool: list[_Creator] = []
        self.tasks: list[_Task] = []
        self.handles: dict[str, int] = {}
        self.message_seq = 0
        self.attachment_seq = 0
        self.status_order = {code: order for code, _, order in corpus.COOP_STATUSES}
        self.team_sender = {uid: sender for uid, _, _, sender in corpus.TEAM}
        self.team_name = {uid: name for uid, name, _, _ in corpus.TEAM}
        self.senders = {sid: (name, address) for sid, address, name, _ in corpus.SENDERS}
        self.schedule_candidates: list[tuple[int, str, str, str]] = []

    # --- reference data -----------------------------------------------------------------------

    def reference(self, conn: Any) -> None:
        conn.executemany("INSERT INTO coop_statuses(code, name, ord) VALUES (?, ?, ?)", corpus.COOP_STATUSES)
        conn.executemany(
            "INSERT INTO labels(label_id, name, color, ord) VALUES (?, ?, ?, ?)",
            [(lid, name, color, i) for i, (lid, name, color) in enumerate(corpus.LABELS, 1)],
        )
        conn.executemany(
            "INSERT INTO team_members(user_uid, name, email, ord) VALUES (?, ?, ?, ?)",
            [(uid, name, email, i) for i, (uid, name, email, _) in enumerate(corpus.TEAM, 1)],
        )
        conn.executemany(
            "INSERT INTO senders(sender_auth_id, address, name, provider, ord) VALUES (?, ?, ?, ?, ?)",
            [(*row, i) for i, row in enumerate(corpus.SENDERS, 1)],
        )
        created = self.now - 200 * _DAY
        conn.executemany(
            "INSERT INTO templates(seq, name, language, subject, body, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (i, name, lang, subject, body, created + i * _HOUR, created + i * _HOUR)
                for i, (name, lang, subject, body) in enumerate(corpus.TEMPLATES, 1)
            ],
        )

    def make_tasks(self) -> None:
        rng = self.rng
        count = max(4, min(self.n_threads // 30, 500))
        sender_ids = [s[0] for s in corpus.SENDERS]
        for seq in range(1, count + 1):
            brand, product, name, subject, kind = corpus.CAMPAIGNS[(seq - 1) % len(corpus.CAMPAIGNS)]
            wave = (seq - 1) // len(corpus.CAMPAIGNS)
            if wave:
                name = f"{name} · wave {wave + 1}"
            sent_at = self.now - rng.randrange(3 * _DAY, 110 * _DAY, 1000)
            self.tasks.append(_Task(seq, brand, product, name, subject, kind, rng.choice(sender_ids), sent_at))
        self.task_cum = list(itertools.accumulate(rng.uniform(0.5, 2.0) for _ in self.tasks))
        self.task_range = range(len(self.tasks))

    def task_rows(self) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = [
            (t.seq, t.name, t.subject, "sent", t.sender, t.thread_count, None, t.sent_at) for t in self.tasks
        ]
        # Two tasks with no threads yet: one scheduled, one still a draft.
        base = len(self.tasks)
        brand, product, name, subject, _ = corpus.CAMPAIGNS[base % len(corpus.CAMPAIGNS)]
        rows.append((base + 1, f"{name} · next wave", subject, "scheduled", "sa_partnerships", 40,
                     self.now + 3 * _DAY + 9 * _HOUR, None))
        rows.append((base + 2, f"{corpus.CAMPAIGNS[0][2]} · retargeting (draft)", corpus.CAMPAIGNS[0][3], "draft",
                     None, 0, None, None))
        return rows

    # --- creators -----------------------------------------------------------------------------

    def new_creator(self) -> _Creator:
        rng = self.rng
        seq = len(self.creators) + 1
        language = rng.choices(corpus.LANGUAGES, cum_weights=_LANGUAGE_CUM)[0]
        first = rng.choice(corpus.FIRST_NAMES[language])
        last = rng.choice(corpus.LAST_NAMES[language])
        niche_word, niche = rng.choice(corpus.NICHES)
        platform = rng.choices(corpus.PLATFORMS, cum_weights=_PLATFORM_CUM)[0]
        pattern = rng.choice(corpus.HANDLE_PATTERNS)
        handle = pattern.format(first=_ascii(first), last=_ascii(last), niche=niche_word, n=rng.randrange(10, 99))
        taken = self.handles.get(handle, 0)
        self.handles[handle] = taken + 1
        if taken:
            handle = f"{handle}{taken + 1}"
        agency = rng.choice(corpus.AGENCIES) if rng.random() < 0.05 else None
        if agency:
            email = f"{_ascii(first)}.{_ascii(last)}@{_ascii(agency).replace(' ', '').replace('&', '').strip('.')}.example"
        else:
            domain = handle.replace(".", "").replace("_", "")
            email = rng.choice(corpus.EMAIL_PATTERNS).format(
                handle=handle.replace("_", "."), domain=domain, first=_ascii(first), last=_ascii(last)
            )
        vip = rng.random() < 0.07
        fee = rng.choice(corpus.FEES[6:] if vip else corpus.FEES[:8])
        owner = rng.choices(_TEAM_UIDS, cum_weights=_TEAM_CUM)[0]
        creator = _Creator(seq, first, last, handle, platform, email, language, owner, niche, agency, vip, fee)
        self.creators.append(creator)
        return creator

    def creator_row(self, c: _Creator) -> tuple[Any, ...]:
        return (c.seq, c.name, c.handle, c.platform, c.channel_url, c.email, c.language, c.owner)

    # --- threads ------------------------------------------------------------------------------

    def pick_creator_and_task(self, email_task: bool) -> tuple[_Creator, _Task | None, bool]:
        """A creator (new, or an existing one joining another task) and the task, if any."""
        rng = self.rng
        if not email_task:
            return self.new_creator(), None, True
        task = self.tasks[rng.choices(self.task_range, cum_weights=self.task_cum)[0]]
        if self.multi_pool and rng.random() < 0.14:
            creator = self.multi_pool[rng.randrange(len(self.multi_pool))]
            if task.seq in creator.tasks:
                free = [t for t in self.tasks if t.seq not in creator.tasks]
                task = free[rng.randrange(len(free))] if free else task
            if task.seq not in creator.tasks:
                creator.tasks.append(task.seq)
                return creator, task, False
        creator = self.new_creator()
        creator.tasks.append(task.seq)
        self.multi_pool.append(creator)
        return creator, task, True

    def pick_script(self, creator: _Creator, status: str) -> tuple[str, ...]:
        rng = self.rng
        if creator.language != "en":
            return rng.choice(corpus.LOCAL_SCRIPTS[status])
        if creator.agency and status == "interested":
            return ("pitch", "agency_reply")
        options = [s for s in corpus.SCRIPTS[status] if "agency_reply" not in s]
        return rng.choice(options)

    def message_times(self, start: int, count: int) -> list[int]:
        rng = self.rng
        gaps = [rng.randrange(2 * _HOUR, 5 * _DAY, 1000) for _ in range(count - 1)]
        available = max(self.now - 20 * _MINUTE - start, _HOUR)
        total = sum(gaps)
        if total > available:
            gaps = [max(60_000, (g * available // total) // 1000 * 1000) for g in gaps]
        times = [start]
        for gap in gaps:
            times.append(times[-1] + gap)
        return [min(t, self.now - 10 * _MINUTE) for t in times]

    def render(self, step: str, language: str, ctx: dict[str, str]) -> str:
        variants = corpus.STEPS[step].get(language) or corpus.STEPS[step]["en"]
        return self.rng.choice(variants).format(**ctx)

    def context(self, c: _Creator, brand: str, product: str) -> dict[str, str]:
        rng = self.rng
        rep_uid = c.owner
        rep_full = self.team_name[rep_uid]
        counter = int(round(c.fee * rng.uniform(1.25, 1.7) / 50.0)) * 50
        if c.platform == "youtube":
            link = "https://www.youtube.com/watch?v=" + "".join(rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-", k=11))
        elif c.platform == "tiktok":
            link = f"https://www.tiktok.com/@{c.handle}/video/{rng.randrange(7_300_000_000_000_000_000, 7_400_000_000_000_000_000)}"
        else:
            link = "https://www.instagram.com/reel/" + "".join(rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=11)) + "/"
        return {
            "first": c.first,
            "last": c.last,
            "handle": c.handle,
            "platform": corpus.PLATFORM_NAMES[c.platform],
            "brand": brand,
            "product": product,
            "fee": f"${c.fee:,}",
            "counter": f"${counter:,}",
            "deliverable": rng.choice(corpus.DELIVERABLES[c.platform]),
            "deliverable_short": _SHORT_DELIVERABLE[c.platform],
            "rep": rep_full.split()[0],
            "rep_full": rep_full,
            "date": _date_words(self.now + rng.randrange(5, 40) * _DAY),
            "address": rng.choice(corpus.ADDRESSES[c.language]),
            "carrier": rng.choice(corpus.CARRIERS),
            "tracking": f"1Z{rng.randrange(10**15, 10**16)}",
            "link": link,
            "agency": c.agency or rng.choice(corpus.AGENCIES),
            "niche": c.niche,
            "brand_slug": brand.replace(" ", "").replace(".", ""),
        }

    def thread(self, seq: int, rows: _Rows) -> None:
        rng = self.rng
        hostile = seq == ESCAPE_THREAD_SEQ
        email_task = hostile or rng.random() < 0.85
        creator, task, is_new = self.pick_creator_and_task(email_task)
        if is_new:
            rows.creators.append(self.creator_row(creator))
        status = "interested" if hostile else rng.choices(_COOP_CODES, cum_weights=_COOP_CUM)[0]
        script = ("pitch", "ask_rates") if hostile else self.pick_script(creator, status)

        if task is not None:
            brand, product = task.brand, task.product
            subject = task.subject
            start = task.sent_at + rng.randrange(0, 20 * _MINUTE, 1000)
            business_kind, business_id = "email_task", ids.task_id(task.seq)
            first_sender = task.sender
            task.thread_count += 1
        else:
            brand, product, _, _, _ = rng.choice(corpus.CAMPAIGNS)
            subject = f"{brand} × {creator.first}: partnership idea"
            start = self.now - rng.randrange(1 * _DAY, 100 * _DAY, 1000)
            business_kind, business_id = "direct", ""
            first_sender = self.team_sender[creator.owner]
        ctx = self.context(creator, brand, product)
        times = self.message_times(start, len(script))
        rep_sender = self.team_sender[creator.owner]

        first_inbound = True
        for i, (step, at) in enumerate(zip(script, times)):
            self.message_seq += 1
            inbound = step in corpus.INBOUND_STEPS
            if hostile and inbound:
                body = corpus.HOSTILE_BODY
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
            if step in corpus.STEP_ATTACHMENTS:
                pattern, ctype, low, high = corpus.STEP_ATTACHMENTS[step]
                self.attachment_seq += 1
                rows.attachments.append(
                    (self.attachment_seq, seq, self.message_seq, pattern.format(**ctx), rng.randrange(low, high),
                     ctype, None, at)
                )

        if task is not None and not first_inbound:
            task.replied_creators += 1  # one thread per creator per task
        last_step, last_at = script[-1], times[-1]
        direction = "inbound" if last_step in corpus.INBOUND_STEPS else "outbound"
        pending: str | None = None
        if direction == "inbound":
            pending = corpus.PENDING_REASONS.get(last_step)
            if pending is not None and not hostile and rng.random() < 0.08:
                pending = None  # answered by phone / handled elsewhere
        else:
            quiet_days = (self.now - last_at) // _DAY
            if quiet_days >= 5 and status in ("contacted", "new", "negotiating") and rng.random() < 0.35:
                pending = corpus.FOLLOW_UP_DUE.format(days=quiet_days)
        needs_reply = pending is not None

        labels = self.labels_for(creator, task, status, script, needs_reply, direction)
        last_body = corpus.HOSTILE_BODY if hostile else rows.messages[-1][7]
        snippet = make_snippet(last_body)

        draft_body, draft_sender, draft_at = "", None, None
        if (needs_reply and rng.random() < 0.25) or rng.random() < 0.02:
            draft_body = rng.choice(corpus.DRAFTS).format(**ctx)
            draft_sender = rep_sender
            draft_at = min(self.now - 5 * _MINUTE, last_at + rng.randrange(5 * _MINUTE, 2 * _DAY, 1000))
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
        self, c: _Creator, task: _Task | None, status: str, script: Sequence[str], needs_reply: bool, direction: str
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

    # --- after the threads --------------------------------------------------------------------

    def schedules(self, conn: Any) -> None:
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
                at = self.now - rng.randrange(1, 4) * _HOUR
            else:
                at = (self.now // _HOUR) * _HOUR + rng.randrange(2, 24 * 7) * _HOUR
            updates.append((at, content, sender, seq))
        conn.executemany(
            "UPDATE threads SET schedule_at = ?, schedule_content = ?, schedule_sender_auth_id = ? WHERE seq = ?",
            updates,
        )

    def balance_reports(self, conn: Any) -> None:
        """Make each task's three reply numbers differ where the messages allow it.

        ``replied_creator_count`` <= ``inbound_message_count`` always; the tracked count
        (``reply_count``) is nudged (by flipping ``tracked`` on a few inbound messages) to a value
        distinct from both, so the demo can never hide a conflation bug.
        """
        flips: list[tuple[int, int]] = []
        for task in self.tasks:
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

    def crm(self, conn: Any) -> None:
        rng = self.rng
        codes = {order: code for code, _, order in corpus.COOP_STATUSES}
        label_order = [lid for lid, _, _ in corpus.LABELS]
        rows = []
        for c in self.creators:
            has_channel = c.seq == 1 or (c.seq != 2 and rng.random() < 0.67)
            if not has_channel:
                continue
            note = rng.choice(corpus.NOTES).format(fee=f"${c.fee:,}", agency=c.agency or "an agency")
            labels = [lid for lid in label_order if lid in c.labels]
            rows.append(
                (c.seq, codes.get(c.best_status), json.dumps(labels), c.owner, c.email, c.channel_url, note,
                 self.now - rng.randrange(1, 60) * _DAY)
            )
        conn.executemany(
            "INSERT INTO crm_channels(creator_seq, coop_status, label_ids, owner_uid, email, url, notes, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    # --- driver -------------------------------------------------------------------------------

    def flush(self, conn: Any, rows: _Rows) -> None:
        conn.executemany(
            "INSERT INTO creators(seq, name, handle, platform, channel_url, email, language, owner_uid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows.creators,
        )
        conn.executemany(f"INSERT INTO threads({_THREAD_COLUMNS}) VALUES ({','.join('?' * 23)})", rows.threads)
        conn.executemany("INSERT INTO thread_text(seq, search_text) VALUES (?, ?)", rows.search)
        conn.executemany("INSERT INTO thread_projects(thread_seq, project_id) VALUES (?, ?)", rows.projects)
        conn.executemany("INSERT INTO thread_labels(thread_seq, label_id) VALUES (?, ?)", rows.labels)
        conn.executemany(
            "INSERT INTO messages(seq, thread_seq, direction, sender_name, sender_address, sent_at, subject, "
            "body_text, tracked, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows.messages,
        )
        conn.executemany(
            "INSERT INTO attachments(seq, thread_seq, message_seq, filename, size, content_type, data, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows.attachments,
        )

    def run(self) -> dict[str, int]:
        with self.store.bulk_load() as conn:
            self.reference(conn)
            self.make_tasks()
            rows = _Rows()
            for seq in range(1, self.n_threads + 1):
                self.thread(seq, rows)
                if len(rows.threads) >= _CHUNK:
                    self.flush(conn, rows)
                    rows = _Rows()
            self.flush(conn, rows)
            conn.executemany(
                "INSERT INTO email_tasks(seq, name, subject, status, sender_auth_id, recipient_count, scheduled_at, "
                "sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                self.task_rows(),
            )
            conn.execute("INSERT INTO thread_search(thread_search) VALUES ('rebuild')")
            self.balance_reports(conn)
            self.schedules(conn)
            self.crm(conn)
            conn.executemany(
                "INSERT INTO sandbox_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [("seed", str(self.seed)), ("seed_threads", str(self.n_threads)), ("seed_now", str(self.now))],
            )
        return {
            "threads": self.n_threads,
            "creators": len(self.creators),
            "messages": self.message_seq,
            "email_tasks": len(self.tasks),
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
    counts = _Seeder(store, threads, seed, now).run()
    counts.update(seed_inbox(store, seed=seed, now=now))  # the Inbox (X DM) workspace, fixed size
    return counts
