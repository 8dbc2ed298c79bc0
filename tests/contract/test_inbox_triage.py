"""Inbox's triage features against the spec-shaped sandbox: pipeline statuses, its views, siblings.

Same harness as ``test_inbox_provider.py`` (loopback HTTP, read back through a fresh provider,
counts from the sandbox's SQLite file).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from noxtui.domain.errors import CapabilityError, NoxError, PlanError
from noxtui.domain.models import ThreadQuery
from noxtui.providers.inbox.provider import InboxProvider
from noxtui.sandbox import SandboxServer
from tests.contract.test_inbox_provider import RecordingNetwork, db, make, read_back, thread_ids, walk_all
from tests.sandbox_support import SANDBOX_TOKEN


@pytest.fixture
async def inbox(sandbox: SandboxServer, sandbox_token: str) -> AsyncIterator[InboxProvider]:
    provider = make(sandbox, sandbox_token)
    try:
        yield provider
    finally:
        await provider.aclose()


@pytest.fixture(scope="module")
def reader(sandbox_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox shared by the tests that only read."""
    db_file = tmp_path_factory.mktemp("inbox-triage") / "sandbox.sqlite3"
    shutil.copyfile(sandbox_template_db, db_file)
    with SandboxServer(db_file, token=SANDBOX_TOKEN) as server:
        yield server


@pytest.fixture
async def reading(reader: SandboxServer) -> AsyncIterator[InboxProvider]:
    provider = make(reader, SANDBOX_TOKEN)
    try:
        yield provider
    finally:
        await provider.aclose()


NO_STATUS_SQL = "t.prospect_seq IN (SELECT seq FROM inbox_prospects WHERE status_seq IS NULL)"
IMPORTED_SQL = "t.prospect_seq IN (SELECT seq FROM inbox_prospects WHERE imported = 1)"
UNIMPORTED_SQL = "t.prospect_seq IN (SELECT seq FROM inbox_prospects WHERE imported = 0)"
STATUS_OF_ROW = (
    "CASE WHEN t.done = 1 THEN 'done' WHEN p.status_seq IS NULL THEN 'open' ELSE printf('xs%03d', p.status_seq) END"
)


def shown_statuses(sandbox: SandboxServer) -> dict[str, str]:
    """Each thread's status as the list must show it: done, else its pipeline status, else open."""
    sql = f"SELECT t.seq, {STATUS_OF_ROW} FROM inbox_threads t JOIN inbox_prospects p ON p.seq = t.prospect_seq"
    return {f"xt{seq:06d}": code for seq, code in db(sandbox, sql)}


async def test_pipeline_statuses_partition_the_list(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, provider = reader, reading
    statuses = await provider.coop_statuses()
    assert [(s.code, s.name) for s in statuses] == [
        ("open", "Open"),
        ("done", "Done"),
        ("xs001", "Contacted"),
        ("xs002", "Negotiating"),
        ("xs003", "Signed"),
        ("xs004", "Declined"),
    ]
    expected = shown_statuses(sandbox)
    rows = await walk_all(provider, ThreadQuery(), page_size=50)
    assert {r.thread_id: r.coop_status.code for r in rows if r.coop_status} == expected
    named = {r.coop_status.code: r.coop_status.name for r in rows if r.coop_status}
    assert named["xs002"] == "Negotiating"
    for status in statuses:
        found = {r.thread_id for r in await walk_all(provider, ThreadQuery(coop_status=status.code), page_size=50)}
        assert found == {tid for tid, code in expected.items() if code == status.code}, status.code


async def test_pipeline_status_writes_and_their_undo(
    sandbox: SandboxServer, sandbox_token: str, inbox: InboxProvider
) -> None:
    statuses = {s.code: s for s in await inbox.coop_statuses()}
    thread_id = sorted(thread_ids(sandbox, f"t.done = 0 AND {NO_STATUS_SQL} AND {IMPORTED_SQL}"))[0]
    thread = await inbox.get_thread(thread_id)
    plan = inbox.plan_coop(thread, statuses["xs002"])
    assert (plan.method, plan.path) == ("PATCH", f"/prospects/{thread.creator.creator_id}/context")
    assert plan.body == {"statusId": "xs002"} and plan.summary.endswith("Open → Negotiating")
    await inbox.execute(plan)
    negotiating = await read_back(sandbox, sandbox_token, thread_id)
    assert negotiating.coop_status is not None and negotiating.coop_status.code == "xs002"
    done_plan = inbox.plan_coop(negotiating, statuses["done"])
    assert (done_plan.path, done_plan.body) == (f"/threads/{thread_id}", {"done": True})
    await inbox.execute(done_plan)
    done = await read_back(sandbox, sandbox_token, thread_id)
    with pytest.raises(PlanError) as hidden:
        inbox.plan_coop(done, statuses["xs003"])
    assert "Reopen it first" in hidden.value.todo
    await inbox.execute(inbox.plan_undo(done_plan))  # back to Negotiating, not to a bare Open
    again = await read_back(sandbox, sandbox_token, thread_id)
    assert again.coop_status is not None and again.coop_status.code == "xs002"
    await inbox.execute(inbox.plan_undo(plan))  # the status cleared again
    cleared = await read_back(sandbox, sandbox_token, thread_id)
    assert cleared.coop_status is not None and cleared.coop_status.code == "open"
    unimported = sorted(thread_ids(sandbox, f"t.done = 0 AND {UNIMPORTED_SQL}"))[0]
    with pytest.raises(PlanError) as refused:
        inbox.plan_coop(await inbox.get_thread(unimported), statuses["xs001"])
    assert "not imported into Inbox yet" in refused.value.what


async def test_inbox_views_are_the_servers_lists(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, provider = reader, reading
    assert provider.capabilities.views == (
        "no-reply",
        "no-reply-oldest",
        "requests",
        "untagged",
        "unassigned",
        "no-status",
    )
    cases = {
        "no-reply": "t.done = 0 AND t.is_request = 0 AND t.last_message_seq IS NOT NULL AND t.last_from_contact = 0",
        "requests": "t.done = 0 AND t.is_request = 1",
        "untagged": "t.done = 0 AND t.prospect_seq NOT IN (SELECT prospect_seq FROM inbox_prospect_tags)",
        "unassigned": "t.done = 0 AND t.assignee_seq IS NULL",
        "no-status": f"t.done = 0 AND {NO_STATUS_SQL}",
    }
    for view, where in cases.items():
        query = ThreadQuery(view=view)  # type: ignore[arg-type]
        found = [t.thread_id for t in await walk_all(provider, query, page_size=10)]
        assert found and set(found) == thread_ids(sandbox, where), view
    newest = await walk_all(provider, ThreadQuery(view="no-reply"), page_size=10)
    oldest = await walk_all(provider, ThreadQuery(view="no-reply-oldest"), page_size=10)
    assert [t.thread_id for t in oldest] == [t.thread_id for t in reversed(newest)]
    assert [t.last_message_at for t in oldest] == sorted(t.last_message_at for t in oldest)
    assert all(t.last_message_direction == "outbound" and not t.needs_reply for t in oldest)
    assert await walk_all(provider, ThreadQuery(view="no-reply", coop_status="done"), page_size=10) == []
    with pytest.raises(CapabilityError):
        await provider.list_threads(ThreadQuery(view="deal"))


async def test_the_prospect_is_inboxs_crm(sandbox: SandboxServer, sandbox_token: str, inbox: InboxProvider) -> None:
    thread_id = sorted(thread_ids(sandbox, f"t.done = 0 AND {IMPORTED_SQL}"))[0]
    thread = await inbox.get_thread(thread_id)
    channel = await inbox.crm_channel(thread.creator.creator_id)
    assert channel.creator_id == thread.creator.creator_id and channel.owner_uid == thread.owner_uid
    assert "valuation" in (channel.model_extra or {}) and channel.url.startswith("https://x.com/")
    notes = inbox.plan_crm_update(channel, notes="Call on Tuesday about usage rights.")
    assert (notes.method, notes.path) == ("PATCH", f"/prospects/{thread.creator.creator_id}/context")
    assert notes.body == {"notes": "Call on Tuesday about usage rights."}
    await inbox.execute(notes)
    valued = inbox.plan_valuation(await inbox.crm_channel(thread.creator.creator_id), 1500.0)
    assert valued.body == {"valuation": 1500.0} and "→ 1,500" in valued.summary
    await inbox.execute(valued)
    owner = "xu002" if thread.owner_uid != "xu002" else "xu003"
    await inbox.execute(inbox.plan_crm_update(await inbox.crm_channel(thread.creator.creator_id), owner_uid=owner))
    after = await inbox.crm_channel(thread.creator.creator_id)
    assert after.notes == "Call on Tuesday about usage rights." and (after.model_extra or {})["valuation"] == 1500
    assert (await read_back(sandbox, sandbox_token, thread_id)).owner_uid == owner  # the assignee
    await inbox.execute(inbox.plan_valuation(after, None))
    assert (await inbox.crm_channel(thread.creator.creator_id)).model_extra["valuation"] is None  # type: ignore[index]
    with pytest.raises(PlanError):
        inbox.plan_valuation(after, float("inf"))
    unimported = await inbox.get_thread(sorted(thread_ids(sandbox, UNIMPORTED_SQL))[0])
    with pytest.raises(NoxError) as refused:
        await inbox.crm_channel(unimported.creator.creator_id)
    assert "not imported into Inbox yet" in refused.value.what


async def test_siblings_are_the_prospects_threads_with_the_other_account(
    reader: SandboxServer, reading: InboxProvider
) -> None:
    sandbox, provider = reader, reading
    shared = db(sandbox, "SELECT prospect_seq FROM inbox_threads GROUP BY prospect_seq HAVING COUNT(*) = 2")
    assert shared
    pair = sorted(thread_ids(sandbox, "t.prospect_seq = ?", (shared[0][0],)))
    siblings = await provider.sibling_projects(pair[1])
    assert [s.thread_id for s in siblings] == [pair[1], pair[0]]
    names = {link: name for link, name in db(sandbox, "SELECT seq, display_name FROM inbox_account_links")}
    links = dict(db(sandbox, "SELECT printf('xt%06d', seq), account_link_seq FROM inbox_threads"))
    for sibling in siblings:
        assert sibling.name.startswith(f"DM with {names[links[sibling.thread_id]]}")
        row = await provider.get_thread(sibling.thread_id)
        assert (sibling.needs_reply, sibling.last_message_direction) == (row.needs_reply, row.last_message_direction)
    alone = sorted(thread_ids(sandbox, f"t.prospect_seq != {shared[0][0]}"))[0]
    assert [s.thread_id for s in await provider.sibling_projects(alone)] == [alone]


async def test_the_keyword_is_an_exact_username_lookup(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, provider = reader, reading
    shared = db(sandbox, "SELECT prospect_seq FROM inbox_threads GROUP BY prospect_seq HAVING COUNT(*) = 2")[0][0]
    username = db(sandbox, "SELECT username FROM inbox_prospects WHERE seq = ?", (shared,))[0][0]
    expected = thread_ids(sandbox, "t.prospect_seq = ?", (shared,))
    for typed in (f"@{username}", username, f"  @{username.upper()} "):
        page = await provider.list_threads(ThreadQuery(keyword=typed))
        assert {t.thread_id for t in page.threads} == expected and page.total == 2 and not page.has_more, typed
    done = await provider.list_threads(ThreadQuery(keyword=f"@{username}", coop_status="done"))
    assert {t.thread_id for t in done.threads} == thread_ids(sandbox, "t.prospect_seq = ? AND t.done = 1", (shared,))
    assert (await provider.list_threads(ThreadQuery(keyword="@nobody_here"))).threads == []
    with pytest.raises(PlanError):
        await provider.list_threads(ThreadQuery(keyword="brief for friday"))


async def test_a_conversation_still_syncing_is_polled_then_said_so(sandbox: SandboxServer, sandbox_token: str) -> None:
    long_id = sorted(thread_ids(sandbox, "t.syncing_reads > 0"))[0]
    expected = db(sandbox, "SELECT COUNT(*) FROM inbox_messages WHERE thread_seq = ?", (int(long_id[2:]),))[0][0]
    impatient = make(sandbox, sandbox_token, max_sync_polls=0)
    try:
        first = await impatient.get_thread(long_id)  # both syncing reads are spent on this walk's two pages
    finally:
        await impatient.aclose()
    assert first.pending_reason is not None and first.pending_reason.startswith("Inbox is still loading")
    patient = make(sandbox, sandbox_token)
    try:
        settled = await patient.get_thread(long_id)
    finally:
        await patient.aclose()
    assert settled.pending_reason != first.pending_reason and len(settled.messages) == expected


async def test_a_syncing_conversation_is_read_again_until_it_settles(
    sandbox: SandboxServer, sandbox_token: str
) -> None:
    long_id = sorted(thread_ids(sandbox, "t.syncing_reads > 0"))[0]
    with sandbox.store.write() as conn:
        conn.execute("UPDATE inbox_threads SET syncing_reads = 3 WHERE seq = ?", (int(long_id[2:]),))
    provider = make(sandbox, sandbox_token, max_sync_polls=3)
    try:
        thread = await provider.get_thread(long_id)
    finally:
        await provider.aclose()
    assert thread.pending_reason is None or not thread.pending_reason.startswith("Inbox is still loading")
    assert db(sandbox, "SELECT syncing_reads FROM inbox_threads WHERE seq = ?", (int(long_id[2:]),))[0][0] == 0


async def test_assign_and_unassign_a_thread(sandbox: SandboxServer, sandbox_token: str, inbox: InboxProvider) -> None:
    members = {m.user_uid: m for m in await inbox.team_members()}
    thread_id = sorted(thread_ids(sandbox, "t.done = 0 AND t.assignee_seq IS NULL"))[0]
    thread = await inbox.get_thread(thread_id)
    plan = inbox.plan_assign(thread, members["xu002"])
    assert (plan.method, plan.path, plan.body) == ("PATCH", f"/threads/{thread_id}", {"assigneeId": "xu002"})
    assert plan.summary.endswith("to Theo Park")
    await inbox.execute(plan)
    assigned = await read_back(sandbox, sandbox_token, thread_id)
    assert assigned.owner_uid == "xu002"
    theirs = await walk_all(inbox, ThreadQuery(creator_uids=("xu002",)), page_size=50)
    assert thread_id in {t.thread_id for t in theirs}
    with pytest.raises(PlanError):
        inbox.plan_assign(assigned, members["xu002"])
    unassign = inbox.plan_assign(assigned, None)
    assert unassign.body == {"assigneeId": None} and unassign.summary.startswith("Unassign")
    await inbox.execute(unassign)
    assert (await read_back(sandbox, sandbox_token, thread_id)).owner_uid is None
    unassigned = await walk_all(inbox, ThreadQuery(view="unassigned"), page_size=50)
    assert thread_id in {t.thread_id for t in unassigned}


# --- incremental sync from the change feed ---------------------------------------------------------


async def test_an_incremental_sync_reads_the_change_feed_not_every_thread(
    sandbox: SandboxServer, sandbox_token: str, tmp_path: Path
) -> None:
    from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache

    wire = RecordingNetwork()
    provider = make(sandbox, sandbox_token, transport=wire)
    writer = make(sandbox, sandbox_token)
    cache = ThreadCache(tmp_path / "c.sqlite3")
    scope = CacheScope.of("inbox", "sandbox")
    try:
        engine = SyncEngine(provider, cache, scope, page_size=100)
        first = await engine.sync()
        assert first.full and first.total == 60 and cache.watermark(scope) is not None
        talking = sorted(thread_ids(sandbox, f"t.done = 0 AND t.last_from_contact = 1 AND {IMPORTED_SQL}"))[0]
        archived = sorted(thread_ids(sandbox, "t.done = 0 AND t.last_message_seq IS NOT NULL") - {talking})[0]
        shared = db(sandbox, "SELECT prospect_seq FROM inbox_threads GROUP BY prospect_seq HAVING COUNT(*) = 2")[0][0]
        pair = thread_ids(sandbox, "t.prospect_seq = ?", (shared,))
        await writer.execute(writer.plan_send(await writer.get_thread(talking), "Sounds great, sending it over.", None))
        await writer.execute(writer.plan_archive(await writer.get_thread(archived), []))
        tagged = await writer.get_thread(sorted(pair)[0])
        await writer.execute(writer.plan_labels(tagged, ["xg0006"], await writer.labels()))
        wire.exchanges.clear()
        report = await engine.sync()
        paths = [request.url.path for request, _ in wire.exchanges]
        assert not report.full and "/inbox/api/v1/events" in paths
        assert "/inbox/api/v1/threads" not in paths, "no walk of the thread list"
        assert set(report.changed_ids) == {talking, archived} | pair
        assert report.new_inbound_ids == ()  # our own reply is not a new reply
        rows = {row.thread_id: row for row in cache.rows(scope, ThreadQuery())}
        assert rows[talking].inbound is False and rows[archived].coop_code == "done"
        quiet = await engine.sync()
        assert quiet.changed_ids == ()
    finally:
        cache.close()
        await provider.aclose()
        await writer.aclose()


async def test_the_feed_falls_back_to_a_walk_when_it_cannot_vouch(sandbox: SandboxServer, sandbox_token: str) -> None:
    provider = make(sandbox, sandbox_token)
    try:
        rows = await walk_all(provider, ThreadQuery(), page_size=100)
        since = max(row.updated_at for row in rows if row.updated_at is not None)
        everything = {row.thread_id for row in rows}
        # An empty feed vouches for nothing (it may have expired): every thread is walked.
        walked = await walk_all(provider, ThreadQuery(updated_since=since), page_size=100)
        assert {row.thread_id for row in walked} == everything
        thread_id = sorted(thread_ids(sandbox, "t.done = 0"))[0]
        await provider.execute(provider.plan_archive(await provider.get_thread(thread_id), []))
        changed = await walk_all(provider, ThreadQuery(updated_since=since), page_size=100)
        assert [row.thread_id for row in changed] == [thread_id]
        with sandbox.store.write() as conn:  # a tag renamed: every row reads differently
            conn.execute(
                "INSERT INTO inbox_events(type, created_at, data) "
                "SELECT 'tag.updated', MAX(created_at) + 1, '{}' FROM inbox_events"
            )
        renamed = await walk_all(provider, ThreadQuery(updated_since=since), page_size=100)
        assert {row.thread_id for row in renamed} == everything
        with sandbox.store.write() as conn:  # the oldest events expired: the feed no longer reaches back
            conn.execute("DELETE FROM inbox_events WHERE seq = (SELECT MIN(seq) FROM inbox_events)")
        fresh = make(sandbox, sandbox_token)
        try:
            expired = await walk_all(fresh, ThreadQuery(updated_since=since), page_size=100)
        finally:
            await fresh.aclose()
        assert {row.thread_id for row in expired} == everything
    finally:
        await provider.aclose()


async def test_the_teams_x_accounts_filter_the_list_and_say_when_offline(
    reader: SandboxServer, reading: InboxProvider
) -> None:
    sandbox, provider = reader, reading
    options = await provider.project_options()
    assert [(o.project_id, o.name.split(" — ")[0]) for o in options] == [
        ("xa001", "@glowbrook"),
        ("xa002", "@glowbrook_collabs"),
    ]
    offline = next(o for o in options if o.project_id == "xa002")
    assert "offline in Inbox" in offline.name and "reconnected" in offline.name
    for link in ("xa001", "xa002"):
        rows = await walk_all(provider, ThreadQuery(project_ids=(link,)), page_size=25)
        seq = int(link[2:])
        assert {r.thread_id for r in rows} == thread_ids(sandbox, "t.account_link_seq = ?", (seq,))
        assert all(r.project_ids == [link] for r in rows)
        assert all(("offline in Inbox" in r.subject) == (link == "xa002") for r in rows)
    thread = await provider.get_thread(sorted(thread_ids(sandbox, "t.account_link_seq = 2"))[0])
    assert thread.subject.startswith("DM via @glowbrook_collabs — offline in Inbox")
