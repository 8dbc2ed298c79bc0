"""``message list`` plans all answer alike.

``nox/listing.py`` picks one of several plans per request (a set drives, the covering scan, a keyword's
trigram matches drive, the rows passing the other filters have their text read, the keyword alone
is counted from the text; then the page sorted from a list or found by the newest-first walk). The
choice depends on sizes, so at test scale most plans would never run. Each case here forces every
plan in turn (by moving the thresholds) and checks page and total against one plain SQL query.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.database import placeholders
from noxtui.sandbox.nox import listing
from noxtui.sandbox.nox.listing import page_of_threads
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from tests.sandbox_support import SANDBOX_NOW

PAGE_SIZE = 20

# Each tuning pushes the planner into other plans; the answers must not move.
TUNINGS: dict[str, dict[str, Any]] = {
    "as shipped": {},
    "keyword never probed": {"KEYWORD_PROBE_LIMIT": -1},
    "trigram matches always drive": {"KEYWORD_PROBE_LIMIT": -1, "_FTS_MATCH_US": 0.0},
    "text always read": {"KEYWORD_PROBE_LIMIT": -1, "_FTS_MATCH_US": 1e9},
    "page always walked": {"KEYWORD_PROBE_LIMIT": -1, "_few_limit": lambda *_: 0},
    "page always listed": {"KEYWORD_PROBE_LIMIT": -1, "_few_limit": lambda *_: 10**9},
    "covering scan": {"SET_DRIVE_LIMIT": -1, "SET_DRIVE_SHARE": 0.0},
    "broad keyword": {"KEYWORD_PROBE_LIMIT": -1, "SET_DRIVE_LIMIT": -1, "SET_DRIVE_SHARE": 0.0},
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """1,500 seeded threads, every eleventh archived (the plans must all leave those out)."""
    store = Store(Path(tmp_path_factory.mktemp("listing")) / "w.sqlite3")
    seed_workspace(store, threads=1500, seed=7, now=SANDBOX_NOW)
    with store.write() as c:
        c.execute("UPDATE threads SET archived = 1 WHERE seq % 11 = 0")
    with store.read() as snapshot:  # the data no longer changes: one snapshot serves the module
        yield snapshot
    store.close()


def top(conn: sqlite3.Connection, sql: str) -> Any:
    return conn.execute(sql).fetchone()[0]


def cases(conn: sqlite3.Connection) -> list[ThreadFilters]:
    """Filters on and off in many mixes, with keywords of every kind (short, common, rare, none,
    and LIKE / FTS specials that must mean themselves)."""
    label = top(conn, "SELECT label_id FROM thread_labels GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
    owner = top(
        conn, "SELECT owner_uid FROM threads WHERE owner_uid IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
    )
    project = top(conn, "SELECT project_id FROM thread_projects GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
    task = project.split(":", 1)[1]
    since = top(conn, "SELECT updated_at FROM threads ORDER BY updated_at LIMIT 1 OFFSET 900")
    keywords = (None, "ma", "a", "collab", "maya", "zq", "zzzz-no-match", "%", "_", "a_b", '"', "\\")
    out = []
    for needs, direction, lab, own, upd, proj in itertools.product(
        (None, True), (None, "inbound"), (None, label), ((), (owner,)), (None, since), ((), (project,))
    ):
        for keyword in keywords:
            out.append(
                ThreadFilters(
                    needs_reply=needs,
                    direction=direction,
                    label_id=lab,
                    owner_uids=own,
                    updated_since_ms=upd,
                    project_ids=proj,
                    keyword=keyword,
                )
            )
    out.append(ThreadFilters(business_kind="email_task", business_id=task, keyword="ma"))
    out.append(ThreadFilters(business_kind="email_task", business_id=task, keyword="collab"))
    out += [ThreadFilters(label_id="lb_no_such_label", keyword=k) for k in (None, "ma", "collab")]
    return out


def reference(conn: sqlite3.Connection, f: ThreadFilters, page: int) -> tuple[list[int], int]:
    """The plainest SQL for the same question: no index, no plan, ``instr`` for the keyword."""
    clauses, params = f.flat_where()
    if f.label_id is not None:
        clauses.append("EXISTS (SELECT 1 FROM thread_labels l WHERE l.thread_seq = t.seq AND l.label_id = ?)")
        params.append(f.label_id)
    if f.project_ids:
        marks = placeholders(len(f.project_ids))
        clauses.append(
            f"EXISTS (SELECT 1 FROM thread_projects p WHERE p.thread_seq = t.seq AND p.project_id IN ({marks}))"
        )
        params.extend(f.project_ids)
    if f.keyword:
        clauses.append("EXISTS (SELECT 1 FROM thread_text x WHERE x.seq = t.seq AND instr(x.search_text, ?) > 0)")
        params.append(f.keyword.lower())
    where = " AND ".join(clauses)
    total = conn.execute(f"SELECT COUNT(*) FROM threads t NOT INDEXED WHERE {where}", params).fetchone()[0]
    rows = conn.execute(
        f"SELECT t.seq FROM threads t NOT INDEXED WHERE {where} "
        "ORDER BY t.last_message_at DESC, t.seq DESC LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return [r[0] for r in rows], int(total)


@pytest.mark.parametrize("tuning", list(TUNINGS))
def test_every_plan_answers_like_plain_sql(
    conn: sqlite3.Connection, tuning: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in TUNINGS[tuning].items():
        monkeypatch.setattr(listing, name, value)
    mismatches = []
    for f in cases(conn):
        for page in (1, 3):
            expected = reference(conn, f, page)
            got = page_of_threads(conn, f, page=page, page_size=PAGE_SIZE)
            if (list(got[0]), got[1]) != expected:
                mismatches.append((f, page, got[1], expected[1]))
    assert not mismatches, mismatches[:5]


def test_cases_are_not_all_empty(conn: sqlite3.Connection) -> None:
    """The comparison means something: most keyword cases match, some many, some none."""
    totals = [reference(conn, f, 1)[1] for f in cases(conn) if f.keyword]
    assert sum(t > 0 for t in totals) > len(totals) // 4
    assert max(totals) > 200 and 0 in totals


def test_archived_threads_never_listed(conn: sqlite3.Connection) -> None:
    for keyword in ("ma", "collab", None):
        seqs, total = page_of_threads(conn, ThreadFilters(keyword=keyword), page=1, page_size=500)
        assert seqs and all(seq % 11 for seq in seqs)
        assert total == reference(conn, ThreadFilters(keyword=keyword), 1)[1]
