"""The demo workspace: deterministic, and realistic enough to exercise every screen and filter."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from noxtui.sandbox import ESCAPE_THREAD_ID, Store, seed_workspace
from noxtui.sandbox.clock import to_ms
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.corpus import workspace as corpus
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from tests.sandbox_support import SANDBOX_NOW

ID_RE = re.compile(r"^[a-z0-9_]+$")


def seeded(tmp_path: Path, name: str, *, threads: int = 300, seed: int = 7, now: datetime = SANDBOX_NOW) -> Store:
    store = Store(tmp_path / f"{name}.sqlite3")
    seed_workspace(store, threads=threads, seed=seed, now=now)
    return store


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("seed") / "w.sqlite3")
    seed_workspace(store, threads=300, seed=7, now=SANDBOX_NOW)
    return store


def rows(store: Store, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return [tuple(r) for r in store.query(sql, params)]


def scalar(store: Store, sql: str, params: tuple[object, ...] = ()) -> object:
    return store.query(sql, params)[0][0]


# --- determinism -------------------------------------------------------------------------------


def test_same_inputs_give_identical_rows(tmp_path: Path) -> None:
    a = seeded(tmp_path, "a", threads=120)
    b = seeded(tmp_path, "b", threads=120)
    assert a.dump() == b.dump()


def test_different_seed_or_now_gives_different_rows(tmp_path: Path) -> None:
    base = seeded(tmp_path, "base", threads=120).dump()
    other_seed = seeded(tmp_path, "seed", threads=120, seed=8).dump()
    other_now = seeded(tmp_path, "now", threads=120, now=SANDBOX_NOW + timedelta(days=1)).dump()
    assert base["threads"] != other_seed["threads"]
    assert base["messages"] != other_seed["messages"]
    assert base["threads"] != other_now["threads"]


def test_seeding_twice_is_refused(tmp_path: Path) -> None:
    store = seeded(tmp_path, "twice", threads=10)
    with pytest.raises(ValueError):
        seed_workspace(store, threads=10, now=SANDBOX_NOW)


# --- shape and coverage ------------------------------------------------------------------------


def test_reference_data(workspace: Store) -> None:
    assert [s["code"] for s in workspace.coop_statuses()] == [c for c, _, _ in corpus.COOP_STATUSES]
    assert "deal" in {s["code"] for s in workspace.coop_statuses()}
    labels, total = workspace.labels()
    assert total == 8
    assert {label["name"] for label in labels} >= {
        "VIP",
        "Hot lead",
        "Needs contract",
        "Paid",
        "Gifted",
        "Follow up",
        "Wrong contact",
        "Agency",
    }
    assert len(workspace.senders()) == 3
    assert len(workspace.team_members()) == 4
    languages = {t["language"] for t in workspace.templates()}
    assert languages == {"en", "es", "pt", "ja"}
    assert any("{{creator_name}}" in t["body"] or "{{creator_first_name}}" in t["body"] for t in workspace.templates())


def test_every_coop_status_and_label_is_used(workspace: Store) -> None:
    used = {r[0] for r in rows(workspace, "SELECT DISTINCT coop_status FROM threads")}
    assert used == {c for c, _, _ in corpus.COOP_STATUSES}
    labels_used = {r[0] for r in rows(workspace, "SELECT DISTINCT label_id FROM thread_labels")}
    assert labels_used == {lid for lid, _, _ in corpus.LABELS}


def test_thread_state_agrees_with_its_messages(workspace: Store) -> None:
    now_ms = to_ms(SANDBOX_NOW)
    for seq, direction, count, last_at, needs_reply, reason in rows(
        workspace,
        "SELECT seq, last_message_direction, message_count, last_message_at, needs_reply, pending_reason FROM threads",
    ):
        messages = rows(
            workspace, "SELECT direction, sent_at FROM messages WHERE thread_seq = ? ORDER BY sent_at, seq", (seq,)
        )
        assert 1 <= len(messages) <= 8
        assert count == len(messages)
        assert messages[-1][0] == direction
        assert messages[-1][1] == last_at <= now_ms
        assert bool(needs_reply) == (reason is not None)


def test_needs_reply_both_ways_with_reasons(workspace: Store) -> None:
    counts = Counter(rows(workspace, "SELECT needs_reply, last_message_direction FROM threads"))
    assert counts[(1, "inbound")] > 0
    assert counts[(0, "inbound")] > 0  # answered elsewhere
    assert counts[(0, "outbound")] > 0
    assert counts[(1, "outbound")] > 0  # follow-up due
    reasons = {r[0] for r in rows(workspace, "SELECT pending_reason FROM threads WHERE needs_reply = 1")}
    assert "creator asked about rates" in reasons
    assert any(r.startswith("follow-up due") for r in reasons if isinstance(r, str))


def test_drafts_and_scheduled_replies(workspace: Store) -> None:
    now_ms = to_ms(SANDBOX_NOW)
    assert scalar(workspace, "SELECT COUNT(*) FROM threads WHERE draft_body != ''") > 5
    future = scalar(workspace, "SELECT COUNT(*) FROM threads WHERE schedule_at > ?", (now_ms,))
    past = scalar(workspace, "SELECT COUNT(*) FROM threads WHERE schedule_at <= ?", (now_ms,))
    assert future >= 3
    assert past >= 1  # delivered on the first read after start
    for at, content, sender in rows(
        workspace,
        "SELECT schedule_at, schedule_content, schedule_sender_auth_id FROM threads WHERE schedule_at IS NOT NULL",
    ):
        assert isinstance(at, int) and at % 3_600_000 == 0  # whole hours
        assert content and workspace.sender(str(sender)) is not None


def test_email_task_threads_and_projects(workspace: Store) -> None:
    for seq, kind, business_id in rows(workspace, "SELECT seq, business_kind, business_id FROM threads"):
        projects = [
            r[0] for r in rows(workspace, "SELECT project_id FROM thread_projects WHERE thread_seq = ?", (seq,))
        ]
        if kind == "email_task":
            assert projects == [f"email_task:{business_id}"]
            assert ids.parse_id("et", str(business_id)) is not None
        else:
            assert kind == "direct" and projects == [] and business_id == ""
    siblings = rows(
        workspace,
        "SELECT creator_seq FROM threads WHERE business_kind = 'email_task' GROUP BY creator_seq "
        "HAVING COUNT(DISTINCT business_id) >= 2",
    )
    assert len(siblings) >= 3


def test_email_reports_count_three_different_things(workspace: Store) -> None:
    tasks = rows(workspace, "SELECT seq, recipient_count, status FROM email_tasks")
    distinct_reports = 0
    for seq, recipients, status in tasks:
        report = workspace.email_report(int(seq))  # type: ignore[arg-type]
        task_id = ids.task_id(int(seq))  # type: ignore[arg-type]
        inbound = rows(
            workspace,
            "SELECT m.tracked, t.creator_seq FROM messages m JOIN threads t ON t.seq = m.thread_seq "
            "WHERE t.business_id = ? AND m.direction = 'inbound'",
            (task_id,),
        )
        assert report["inbound_message_count"] == len(inbound)
        assert report["reply_count"] == sum(int(t) for t, _ in inbound)  # type: ignore[arg-type]
        assert report["replied_creator_count"] == len({c for _, c in inbound})
        if status == "sent":
            assert recipients == report["thread_count"] > 0
        numbers = {report["reply_count"], report["replied_creator_count"], report["inbound_message_count"]}
        distinct_reports += len(numbers) == 3
    assert distinct_reports >= len(tasks) - 3  # the two thread-less tasks, and slack for a tiny one
    assert {r[0] for r in rows(workspace, "SELECT status FROM email_tasks")} >= {"sent", "scheduled", "draft"}


def test_crm_channels_for_about_two_thirds(workspace: Store) -> None:
    creators = scalar(workspace, "SELECT COUNT(*) FROM creators")
    channels = scalar(workspace, "SELECT COUNT(*) FROM crm_channels")
    assert 0.5 < channels / creators < 0.8  # type: ignore[operator]
    assert workspace.crm_channel(1) is not None
    assert workspace.crm_channel(2) is None
    channel = workspace.crm_channel(1)
    assert channel is not None and channel["url"].startswith("https://") and channel["owner_uid"].startswith("u_")


def test_creators_look_real(workspace: Store) -> None:
    platforms = Counter(r[0] for r in rows(workspace, "SELECT platform FROM creators"))
    assert set(platforms) == {"youtube", "tiktok", "instagram"}
    for name, handle, platform, url, email in rows(
        workspace, "SELECT name, handle, platform, channel_url, email FROM creators"
    ):
        assert " " in str(name)
        assert str(handle) in str(url) and str(platform) in str(url)
        assert "@" in str(email)


def test_some_conversations_are_not_in_english(workspace: Store) -> None:
    bodies = [str(r[0]) for r in rows(workspace, "SELECT body_text FROM messages")]
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", b) for b in bodies)  # Japanese
    assert any(b.startswith("Hola") for b in bodies)
    assert any(b.startswith("Oi ") for b in bodies)


def test_escape_thread_carries_hostile_text(workspace: Store) -> None:
    seq = ids.parse_id("th", ESCAPE_THREAD_ID)
    assert seq is not None
    thread = workspace.thread_detail(seq)
    assert thread is not None
    inbound = [m for m in thread["messages"] if m["direction"] == "inbound"]
    assert "\x1b]52;c;ZXZpbA==\x07" in inbound[-1]["body_text"]
    assert "[bold red]" in inbound[-1]["body_text"]
    assert thread["needs_reply"] and thread["last_message_direction"] == "inbound"
    hostile = [r for r in rows(workspace, "SELECT seq FROM messages WHERE instr(body_text, ?) > 0", ("\x1b]52",))]
    assert len(hostile) == 1


def test_ids_are_plain(workspace: Store) -> None:
    threads, _ = workspace.list_threads(ThreadFilters(), page=1, page_size=100)
    detail = workspace.thread_detail(1)
    assert detail is not None
    every_id = [t["thread_id"] for t in threads] + [t["creator"]["creator_id"] for t in threads]
    every_id += [m["message_id"] for m in detail["messages"]] + [t["template_id"] for t in workspace.templates()]
    every_id += [label["label_id"] for label in workspace.labels()[0]] + [
        s["sender_auth_id"] for s in workspace.senders()
    ]
    every_id += [m["user_uid"] for m in workspace.team_members()]
    assert all(ID_RE.match(i) for i in every_id), [i for i in every_id if not ID_RE.match(i)]
    assert threads[0]["thread_id"].startswith("th_") and detail["messages"][0]["message_id"].startswith("msg_")


def test_crm_labels_are_json_ids(workspace: Store) -> None:
    for (raw,) in rows(workspace, "SELECT label_ids FROM crm_channels LIMIT 50"):
        assert all(label.startswith("lb_") for label in json.loads(str(raw)))


@pytest.mark.skipif(not os.environ.get("NOXTUI_SANDBOX_SCALE"), reason="set NOXTUI_SANDBOX_SCALE=1 for the 100k run")
def test_scale_100k(tmp_path: Path) -> None:
    """100,000 threads seed in well under a minute; list queries stay fast for filter combinations."""
    store = Store(tmp_path / "big.sqlite3")
    started = time.perf_counter()
    seed_workspace(store, threads=100_000, now=datetime(2026, 11, 20, 9, tzinfo=timezone.utc))
    assert time.perf_counter() - started < 60
    cases = [
        ThreadFilters(),
        ThreadFilters(needs_reply=True),
        ThreadFilters(coop_status="deal", owner_uids=("u_tom",)),
        ThreadFilters(business_kind="email_task", direction="inbound", needs_reply=True),
        ThreadFilters(label_id="lb_vip", needs_reply=False),
        ThreadFilters(keyword="maya"),
        ThreadFilters(keyword="zzzz-no-match"),
        ThreadFilters(project_ids=("email_task:et_0007",), coop_status="published"),
        ThreadFilters(business_id="et_0042", keyword="glow"),
    ]
    for filters in cases:
        store.list_threads(filters, page=1, page_size=50)  # warm
        started = time.perf_counter()
        store.list_threads(filters, page=2, page_size=50)
        assert time.perf_counter() - started < 0.1, filters
