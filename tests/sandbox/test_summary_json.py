"""The list's summaries, written as JSON by SQLite, are the bytes Python's encoder makes of the same values.

``nox/summary_json.py`` moved the ``message list`` shape from Python dicts into one SQL
``json_object`` (a first sync of a million threads spent most of the sandbox's time building and
encoding those dicts). The contract did not move: every key, value and escape must be what
``json.dumps(..., ensure_ascii=False, separators=(",", ":"))`` wrote before. The reference here is
that old Python construction, field by field from the rows, checked byte for byte on a workspace
whose rows were made awkward: quotes and backslashes, every kind of control character, markup,
emoji and other non-ASCII, NULLs, empty and several labels and projects, a coop status with no
name or none at all, instants before 1970 and with and without milliseconds, a seq past six digits.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.clock import iso
from noxtui.sandbox.envelopes import RawJson, dumps, success_body, success_bytes
from noxtui.sandbox.nox import ids
from noxtui.sandbox.nox.summary_json import iso_sql, summary_texts
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from tests.sandbox_support import SANDBOX_NOW

AWKWARD = [
    'Zoë "the quote" O\'Brien \\ back\\slash',
    "[bold red]not markup[/] <b>nor html</b> &amp; {braces} ${x} %s",
    "controls: \x01 \x07 \b \t \n \f \r \x1b[31m \x1f \x7f end",
    "emoji 😀👩‍👩‍👧 astral 𝄞, RTL ‏שלום‎, combining é, zero-width ​ and BOM \ufeff",
    "line separators \u2028 \u2029 and NEL \x85",
    "",
    " ",
    "日本語のスレッド",
    "a NUL \x00 inside",
]


def expected_summary(conn: sqlite3.Connection, seq: int) -> dict[str, Any]:
    """The summary as the sandbox built it in Python before it moved into SQL (the reference)."""
    r = conn.execute(
        "SELECT t.*, c.name AS c_name, c.handle AS c_handle, c.platform AS c_platform, "
        "c.channel_url AS c_url, c.email AS c_email, cs.name AS coop_name "
        "FROM threads t JOIN creators c ON c.seq = t.creator_seq "
        "LEFT JOIN coop_statuses cs ON cs.code = t.coop_status WHERE t.seq = ?",
        (seq,),
    ).fetchone()
    labels = [
        {"label_id": x[0], "name": x[1], "color": x[2]}
        for x in conn.execute(
            "SELECT l.label_id, l.name, l.color FROM thread_labels tl JOIN labels l ON l.label_id = tl.label_id "
            "WHERE tl.thread_seq = ? ORDER BY l.ord",
            (seq,),
        )
    ]
    projects = [
        x[0]
        for x in conn.execute("SELECT project_id FROM thread_projects WHERE thread_seq = ? ORDER BY project_id", (seq,))
    ]
    return {
        "thread_id": ids.thread_id(seq),
        "business_kind": r["business_kind"],
        "business_id": r["business_id"],
        "project_ids": projects,
        "creator": {
            "creator_id": ids.creator_id(r["creator_seq"]),
            "name": r["c_name"],
            "platform": r["c_platform"],
            "channel_url": r["c_url"],
            "email": r["c_email"],
            "handle": r["c_handle"],
        },
        "subject": r["subject"],
        "snippet": r["snippet"],
        "last_message_at": iso(r["last_message_at"]),
        "last_message_direction": r["last_message_direction"],
        "needs_reply": bool(r["needs_reply"]),
        "pending_reason": r["pending_reason"],
        "labels": labels,
        "coop_status": {"code": r["coop_status"], "name": r["coop_name"] or r["coop_status"]},
        "owner_uid": r["owner_uid"],
        "message_count": r["message_count"],
        "has_draft": bool(r["draft_body"]),
        "scheduled_at": iso(r["schedule_at"]),
        "updated_at": iso(r["updated_at"]),
        "archived": bool(r["archived"]),
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(Path(tmp_path_factory.mktemp("summaries")) / "w.sqlite3")
    seed_workspace(store, threads=60, seed=7, now=SANDBOX_NOW)
    with store.write() as c:
        for seq, text in enumerate(AWKWARD, start=1):
            c.execute(
                "UPDATE threads SET subject = ?, snippet = ?, pending_reason = ? WHERE seq = ?",
                (text, text[::-1], text, seq),
            )
            c.execute(
                "UPDATE creators SET name = ?, handle = ?, channel_url = ?, email = ? "
                "WHERE seq = (SELECT creator_seq FROM threads WHERE seq = ?)",
                (text, text[:5], "https://example.com/" + text, text or None, seq),
            )
        c.execute("UPDATE threads SET owner_uid = NULL, pending_reason = NULL, draft_body = 'x' WHERE seq = 9")
        c.execute("UPDATE threads SET archived = 1, schedule_at = -1001, updated_at = -1000 WHERE seq = 10")
        c.execute("UPDATE threads SET schedule_at = 4102444800000, last_message_at = 4102444800999 WHERE seq = 11")
        c.execute("UPDATE threads SET coop_status = 'not_in_the_catalogue' WHERE seq = 12")
        c.execute("UPDATE coop_statuses SET name = '' WHERE code = (SELECT coop_status FROM threads WHERE seq = 13)")
        c.execute("UPDATE labels SET name = ?, color = ? WHERE ord = 1", (AWKWARD[0], AWKWARD[2]))
        c.execute("DELETE FROM thread_labels WHERE thread_seq = 14")
        c.execute("DELETE FROM thread_projects WHERE thread_seq = 14")
        c.execute("INSERT OR IGNORE INTO thread_labels(thread_seq, label_id) SELECT 15, label_id FROM labels")
        c.execute(
            "INSERT OR IGNORE INTO thread_projects(thread_seq, project_id) VALUES (15, 'zz:last'), (15, 'aa:first')"
        )
        for table, column in (("threads", "seq"), ("thread_labels", "thread_seq"), ("thread_projects", "thread_seq")):
            c.execute(f"UPDATE {table} SET {column} = 1234567 WHERE {column} = 16")
    yield store
    store.close()


def test_every_summary_is_the_bytes_python_would_write(store: Store) -> None:
    with store.read() as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM threads ORDER BY seq")]
        texts = summary_texts(conn, seqs)
        expected = [dumps(expected_summary(conn, seq)) for seq in seqs]
    assert 1234567 in seqs and len(texts) == len(seqs)
    for seq, got, want in zip(seqs, texts, expected, strict=True):
        assert got == want, f"thread {seq}"


def test_a_page_keeps_the_order_asked_and_leaves_out_unknown_threads(store: Store) -> None:
    with store.read() as conn:
        asked = [15, 3, 999_999, 1234567, 1, 14]
        texts = summary_texts(conn, asked)
    assert [json.loads(t)["thread_id"] for t in texts] == [
        "th_000015",
        "th_000003",
        "th_1234567",
        "th_000001",
        "th_000014",
    ]


def test_the_list_route_sends_what_the_dicts_say(store: Store) -> None:
    everything = ThreadFilters()
    array, shown, total = store.list_threads_json(everything, page=2, page_size=7)
    threads, same_total = store.list_threads(everything, page=2, page_size=7)
    assert (shown, total) == (len(threads), same_total) and shown == 7
    assert array == dumps(threads)


def test_an_answer_with_raw_data_is_the_envelope_of_the_parsed_data() -> None:
    data = [{"name": AWKWARD[2], "n": 1, "none": None, "list": []}, {"é": True}]
    for kwargs in ({}, {"page": 3, "page_size": 100, "total": 12}):
        raw = success_bytes(RawJson(dumps(data)), "2 threads “match”", "req_1", **kwargs)
        assert raw == dumps(success_body(data, "2 threads “match”", "req_1", **kwargs))


def test_iso_in_sql_is_the_clocks_iso() -> None:
    rng = random.Random(11)
    instants = [0, 1, -1, 999, 1000, 1001, -999, -1000, -1001, 86_399_999, 951_782_400_000, 4_102_444_800_999]
    instants += [rng.randrange(-2_000_000_000_000, 7_000_000_000_000) for _ in range(2_000)]
    instants += [rng.randrange(1_600_000_000, 1_900_000_000) * 1000 for _ in range(200)]
    conn = sqlite3.connect(":memory:")
    try:
        got = [
            row[0]
            for row in conn.execute(
                f"SELECT {iso_sql('j.value')} FROM json_each(?) j ORDER BY j.key", (json.dumps(instants),)
            )
        ]
        assert got == [iso(ms) for ms in instants]
        assert conn.execute(f"SELECT {iso_sql('v')} FROM (SELECT NULL AS v)").fetchone()[0] is None
    finally:
        conn.close()
