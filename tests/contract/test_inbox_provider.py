"""``InboxProvider`` against the sandbox's Inbox routes over loopback HTTP.

Every write is read back through a *fresh* provider (new connection pool, no cached cursors), and
counts are checked against the sandbox's SQLite file directly, so a test passes only when the
server really stored the change exactly once. Failures come from the sandbox's fault injection.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from noxtui.domain.errors import (
    AuthError,
    CapabilityError,
    ForbiddenError,
    NotFoundError,
    PlanError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from noxtui.domain.models import (
    CoopStatus,
    Thread,
    ThreadQuery,
    ThreadSummary,
    WritePlan,
)
from noxtui.providers.base import (
    Archive,
    Crm,
    EmailTasks,
    ProjectFilter,
    Provider,
    Scheduling,
    Senders,
    ServerDrafts,
    ServerTemplates,
    SiblingProjects,
    TeamFilter,
    Valuation,
)
from noxtui.providers.inbox.errors import (
    OUTBOUND_FIRST_WARNING,
    OutboundAddonRequiredError,
)
from noxtui.providers.inbox.provider import InboxProvider
from noxtui.providers.inbox.readback import SendOutcomeUnknownError
from noxtui.sandbox import SandboxServer
from noxtui.sandbox.inbox.store import InboxStore
from tests.contract.inbox_spec import operation_of, request_problems, response_problems
from tests.sandbox_support import SANDBOX_TOKEN

OPEN = CoopStatus(code="open", name="Open", order=0)
DONE = CoopStatus(code="done", name="Done", order=1)


# --- helpers -------------------------------------------------------------------------------------


def inbox_url(sandbox: SandboxServer) -> str:
    return f"{sandbox.root_url}/inbox/api/v1"


def make(sandbox: SandboxServer, token: str, **kw: Any) -> InboxProvider:
    options: dict[str, Any] = {"backoff": 0.01, "max_retry_after": 2.0, "timeout": 5.0, "sync_poll": 0.01, **kw}
    return InboxProvider(inbox_url(sandbox), token, **options)


@pytest.fixture
async def inbox(sandbox: SandboxServer, sandbox_token: str) -> AsyncIterator[InboxProvider]:
    provider = make(sandbox, sandbox_token)
    try:
        yield provider
    finally:
        await provider.aclose()


@pytest.fixture(scope="module")
def reader(sandbox_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox shared by the tests that only read (and set no faults): faster than one each."""
    db_file = tmp_path_factory.mktemp("inbox-reader") / "sandbox.sqlite3"
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


async def read_back(sandbox: SandboxServer, token: str, thread_id: str) -> Thread:
    fresh = make(sandbox, token)
    try:
        return await fresh.get_thread(thread_id)
    finally:
        await fresh.aclose()


def db(sandbox: SandboxServer, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sandbox.store.read() as conn:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def thread_ids(sandbox: SandboxServer, where: str = "1 = 1", params: tuple[Any, ...] = ()) -> set[str]:
    return {f"xt{r[0]:06d}" for r in db(sandbox, f"SELECT t.seq FROM inbox_threads t WHERE {where}", params)}


def stats(sandbox: SandboxServer) -> dict[str, int]:
    return InboxStore(sandbox.store).stats()


async def walk_all(provider: InboxProvider, query: ThreadQuery, page_size: int) -> list[ThreadSummary]:
    """Every page in order, checking the page arithmetic on the way."""
    found: list[ThreadSummary] = []
    page = 1
    while True:
        result = await provider.list_threads(query, page=page, page_size=page_size)
        assert len(result.threads) <= page_size
        found.extend(result.threads)
        assert result.total == len(found)  # "the count known so far"
        if not result.has_more:
            return found
        page += 1
        assert page < 100, "the walk does not end"


class RefuseNetwork(httpx.AsyncBaseTransport):
    """A transport that fails the test if anything reaches the network."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pytest.fail(f"a request was sent: {request.method} {request.url}")


NEEDS_REPLY_SQL = "t.done = 0 AND t.last_message_seq IS NOT NULL AND t.last_from_contact = 1"
NO_STATUS_SQL = "t.prospect_seq IN (SELECT seq FROM inbox_prospects WHERE status_seq IS NULL)"
IMPORTED_SQL = "t.prospect_seq IN (SELECT seq FROM inbox_prospects WHERE imported = 1)"


# --- protocol and capabilities -------------------------------------------------------------------


async def test_is_a_provider_with_honest_capabilities(inbox: InboxProvider) -> None:
    assert isinstance(inbox, Provider)
    assert (inbox.name, inbox.display_name) == ("inbox", "Inbox (X DMs)")
    lacks = (ServerDrafts, Scheduling, ServerTemplates, Senders, EmailTasks)
    assert not any(isinstance(inbox, capability) for capability in lacks)
    # Archiving is marking done; the prospect is Inbox's CRM (notes, assignee, valuation) and its
    # threads with the team's other accounts are the siblings: real operations, so real capabilities.
    has = (TeamFilter, Archive, Crm, Valuation, SiblingProjects, ProjectFilter)  # "projects": its X accounts
    assert all(isinstance(inbox, capability) for capability in has)
    caps = inbox.capabilities
    assert not (caps.attachments or caps.exact_totals) and caps.keyword_filter  # the keyword is an @username
    assert (caps.labels_title, caps.status_title) == ("Tags", "Status")


async def test_what_inbox_lacks_is_absent_or_refused_without_network(sandbox_token: str) -> None:
    provider = InboxProvider("http://127.0.0.1:9/inbox/api/v1", sandbox_token, transport=RefuseNetwork())
    for missing in (
        "plan_draft",
        "plan_schedule",
        "plan_cancel",
        "plan_template_use",
        "plan_template_save",
        "templates",
        "senders",
        "email_task",
        "email_report",
    ):
        assert not hasattr(provider, missing), f"{missing} would be a stub: Inbox has no such thing"
    foreign_kinds = (
        "draft_save",
        "schedule",
        "cancel",
        "template_use",
        "template_save",
        "attachment_upload",
    )
    for kind in foreign_kinds:
        foreign = WritePlan(
            kind=kind,
            method="POST",
            path="/threads/xt000001/messages",
            body={"content": "x"},
            summary="not an Inbox write",
            idempotency_key="k-1",
            provider="inbox",
        )
        with pytest.raises(CapabilityError):
            await provider.execute(foreign)
    with pytest.raises(PlanError):  # no text search: the keyword is an exact @username, and this is none
        await provider.list_threads(ThreadQuery(keyword="paid collab"))
    with pytest.raises(CapabilityError):
        await provider.list_threads(ThreadQuery(business_kind="email_task", business_id="et_0001"))
    await provider.aclose()


async def test_invalid_ids_are_refused_before_the_network(sandbox_token: str) -> None:
    provider = InboxProvider("http://127.0.0.1:9/inbox/api/v1", sandbox_token, transport=RefuseNetwork())
    for bad in ("XT000001", "xt_000001", "../team", "", "xt 1", "x" * 200):
        with pytest.raises(PlanError):
            await provider.get_thread(bad)
    bad_queries = (
        ThreadQuery(label_id="Bad-Tag"),
        ThreadQuery(creator_uids=("xu001", "../x")),
        ThreadQuery(coop_status="Deal!"),
    )
    for query in bad_queries:
        with pytest.raises(PlanError):
            await provider.list_threads(query)
    good = ThreadSummary.model_validate(
        {
            "thread_id": "xt000001",
            "creator": {"creator_id": "xp000001", "name": "Mia", "platform": "twitter"},
            "last_message_at": "2026-11-19T10:00:00Z",
            "last_message_direction": "inbound",
            "needs_reply": True,
        }
    )
    bad_thread = good.model_copy(update={"thread_id": "XT1"})
    bad_prospect = good.model_copy(update={"creator": good.creator.model_copy(update={"creator_id": "p/1"})})
    for attempt in (
        lambda: provider.plan_send(good, "   \n ", None),
        lambda: provider.plan_send(good, "x" * 10_001, None),
        lambda: provider.plan_send(good, "hi", None, reply_to_message_id="MSG_1"),
        lambda: provider.plan_send(bad_thread, "hi", None),
        lambda: provider.plan_coop(bad_thread, DONE),
        lambda: provider.plan_coop(good, CoopStatus(code="Deal!", name="Deal")),
        lambda: provider.plan_labels(bad_prospect, ["xg0001"], []),
        lambda: provider.plan_labels(good, ["BAD"], []),
    ):
        with pytest.raises(PlanError):
            attempt()
    await provider.aclose()


async def test_auth_status_team_and_tags(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, inbox = reader, reading
    status = await inbox.auth_status()
    assert status.authenticated and status.user is not None and status.user.team == "Glowbrook Social"
    members = await inbox.team_members()
    assert [m.name for m in members] == ["Maya Ortiz", "Theo Park", "Ines Duarte"]
    tags = await inbox.labels()
    assert len(tags) == stats(sandbox)["tags"] and tags[0].name == "VIP"
    wrong = make(sandbox, "not-the-token")
    with pytest.raises(AuthError):
        await wrong.auth_status()
    await wrong.aclose()


# --- listing -------------------------------------------------------------------------------------


async def test_pagination_walks_every_thread_exactly_once(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, inbox = reader, reading
    found = await walk_all(inbox, ThreadQuery(), page_size=7)
    ids = [t.thread_id for t in found]
    assert len(ids) == len(set(ids)) == stats(sandbox)["threads"]
    assert set(ids) == thread_ids(sandbox)
    # Open inbox first, then requests, then done; each segment newest first.
    done_from = next(i for i, t in enumerate(found) if t.coop_status and t.coop_status.code == "done")
    assert all(t.coop_status and t.coop_status.code == "done" for t in found[done_from:])
    beyond = await inbox.list_threads(ThreadQuery(), page=len(ids) // 7 + 3, page_size=7)
    assert beyond.threads == [] and not beyond.has_more and beyond.total == len(ids)


async def test_filtered_walks_match_the_database(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, inbox = reader, reading
    cases = {
        ThreadQuery(needs_reply=True): thread_ids(sandbox, NEEDS_REPLY_SQL),
        ThreadQuery(needs_reply=False): thread_ids(sandbox) - thread_ids(sandbox, NEEDS_REPLY_SQL),
        ThreadQuery(coop_status="done"): thread_ids(sandbox, "t.done = 1"),
        ThreadQuery(coop_status="open", last_message_direction="outbound"): thread_ids(
            sandbox, f"t.done = 0 AND {NO_STATUS_SQL} AND (t.last_message_seq IS NULL OR t.last_from_contact = 0)"
        ),
        ThreadQuery(label_id="xg0001"): thread_ids(
            sandbox, "t.prospect_seq IN (SELECT prospect_seq FROM inbox_prospect_tags WHERE tag_seq = 1)"
        ),
        ThreadQuery(creator_uids=("xu002",)): thread_ids(sandbox, "t.assignee_seq = 2"),
    }
    for query, expected in cases.items():
        assert expected, query
        found = [t.thread_id for t in await walk_all(inbox, query, page_size=10)]
        assert len(found) == len(set(found)), query
        assert set(found) == expected, query
    rows = await walk_all(inbox, ThreadQuery(needs_reply=True), page_size=50)
    assert all(r.needs_reply and r.last_message_direction == "inbound" for r in rows)


async def test_a_page_reached_directly_equals_the_same_page_walked(
    reader: SandboxServer, reading: InboxProvider
) -> None:
    sandbox, sandbox_token, inbox = reader, SANDBOX_TOKEN, reading
    walked = [await inbox.list_threads(ThreadQuery(), page=n, page_size=9) for n in (1, 2, 3, 4)]
    direct = make(sandbox, sandbox_token)
    try:
        fourth = await direct.list_threads(ThreadQuery(), page=4, page_size=9)
        again = await direct.list_threads(ThreadQuery(), page=2, page_size=9)  # from the cursor cache
    finally:
        await direct.aclose()
    assert [t.thread_id for t in fourth.threads] == [t.thread_id for t in walked[3].threads]
    assert [t.thread_id for t in again.threads] == [t.thread_id for t in walked[1].threads]
    assert fourth.total == walked[3].total == 36


# --- detail --------------------------------------------------------------------------------------


async def test_get_thread_returns_every_message_oldest_first(reader: SandboxServer, reading: InboxProvider) -> None:
    sandbox, inbox = reader, reading
    longest = "SELECT thread_seq, COUNT(*) FROM inbox_messages GROUP BY thread_seq ORDER BY 2 DESC LIMIT 1"
    seq, count = db(sandbox, longest)[0]
    assert count > 100  # more than one page of messages
    thread = await inbox.get_thread(f"xt{seq:06d}")
    assert thread.message_count == len(thread.messages) == count
    assert len({m.message_id for m in thread.messages}) == count
    assert [m.sent_at for m in thread.messages] == sorted(m.sent_at for m in thread.messages)
    last = thread.messages[-1]
    assert (thread.last_message_direction, thread.last_message_at) == (last.direction, last.sent_at)
    assert thread.creator.platform == "twitter" and (thread.creator.handle or "").startswith("@")
    inbound = [m for m in thread.messages if m.direction == "inbound"]
    assert inbound and all(m.sender.address == thread.creator.handle for m in inbound)
    with pytest.raises(NotFoundError):
        await inbox.get_thread("xt999999")


# --- writes --------------------------------------------------------------------------------------


async def test_tags_set_persists(sandbox: SandboxServer, sandbox_token: str, inbox: InboxProvider) -> None:
    untagged = "t.prospect_seq NOT IN (SELECT prospect_seq FROM inbox_prospect_tags)"
    imported = "t.prospect_seq IN (SELECT seq FROM inbox_prospects WHERE imported = 1)"
    seq = db(sandbox, f"SELECT t.seq FROM inbox_threads t WHERE {untagged} AND {imported} LIMIT 1")[0][0]
    thread = await inbox.get_thread(f"xt{seq:06d}")
    catalogue = await inbox.labels()
    plan = inbox.plan_labels(thread, ["xg0001", "xg0003"], catalogue)
    assert (plan.method, plan.path) == ("PATCH", f"/prospects/{thread.creator.creator_id}/context")
    assert plan.body == {"addTags": ["xg0001", "xg0003"], "removeTags": []}
    assert plan.summary.startswith("Tags on ") and "+VIP" in plan.summary
    await inbox.execute(plan)
    after = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert {label.label_id for label in after.labels} == {"xg0001", "xg0003"}
    second = inbox.plan_labels(after, ["xg0003", "xg0005"], catalogue)
    assert second.body == {"addTags": ["xg0005"], "removeTags": ["xg0001"]}
    await inbox.execute(second)
    final = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert {label.label_id for label in final.labels} == {"xg0003", "xg0005"}
    await inbox.execute(inbox.plan_undo(second))
    undone = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert {label.label_id for label in undone.labels} == {"xg0001", "xg0003"}


async def test_status_open_done_persists(sandbox: SandboxServer, sandbox_token: str, inbox: InboxProvider) -> None:
    thread_id = sorted(thread_ids(sandbox, f"{NEEDS_REPLY_SQL} AND {NO_STATUS_SQL}"))[0]
    thread = await inbox.get_thread(thread_id)
    assert thread.coop_status is not None and thread.coop_status.code == "open" and thread.needs_reply
    plan = inbox.plan_coop(thread, DONE)
    assert (plan.method, plan.body) == ("PATCH", {"done": True}) and plan.summary.endswith("Open → Done")
    await inbox.execute(plan)
    done = await read_back(sandbox, sandbox_token, thread_id)
    assert done.coop_status is not None and done.coop_status.code == "done" and not done.needs_reply
    listed = [t.thread_id for t in await walk_all(inbox, ThreadQuery(coop_status="done"), page_size=50)]
    assert thread_id in listed
    with pytest.raises(PlanError):
        inbox.plan_coop(done, DONE)  # nothing to change
    await inbox.execute(inbox.plan_coop(done, OPEN))
    reopened = await read_back(sandbox, sandbox_token, thread_id)
    assert reopened.coop_status is not None and reopened.coop_status.code == "open" and reopened.needs_reply
    archive = inbox.plan_archive(reopened, [])  # archiving is marking done (corrections)
    assert (archive.kind, archive.body) == ("archive", {"done": True})
    assert "This thread still needs a reply." in archive.warnings
    await inbox.execute(archive)
    archived = await read_back(sandbox, sandbox_token, thread_id)
    assert archived.coop_status is not None and archived.coop_status.code == "done"


async def test_send_appends_one_message_and_flips_the_thread(
    sandbox: SandboxServer, sandbox_token: str, inbox: InboxProvider
) -> None:
    thread_id = sorted(thread_ids(sandbox, NEEDS_REPLY_SQL))[0]
    thread = await inbox.get_thread(thread_id)
    assert thread.needs_reply and thread.last_message_direction == "inbound"
    before = stats(sandbox)
    last = thread.messages[-1].message_id
    plan = inbox.plan_send(thread, "  Thanks! Sending the brief today.  ", "ignored-sender", reply_to_message_id=last)
    assert (plan.method, plan.path) == ("POST", f"/threads/{thread_id}/messages")
    assert plan.body == {"content": "Thanks! Sending the brief today.", "replyToMessageId": last}
    assert plan.reply_to == last and plan.provider == "inbox" and OUTBOUND_FIRST_WARNING not in plan.warnings
    result = await inbox.execute(plan)
    assert result.data["content"] == "Thanks! Sending the brief today." and result.data["threadId"] == thread_id
    after = await read_back(sandbox, sandbox_token, thread_id)
    assert len(after.messages) == len(thread.messages) + 1
    assert after.messages[-1].message_id == result.data["id"] and after.messages[-1].direction == "outbound"
    assert after.last_message_direction == "outbound" and not after.needs_reply
    assert stats(sandbox)["messages"] == before["messages"] + 1
    row = next(t for t in await walk_all(inbox, ThreadQuery(), page_size=100) if t.thread_id == thread_id)
    assert row.last_message_direction == "outbound" and not row.needs_reply


async def test_a_replayed_send_sends_once(sandbox: SandboxServer, inbox: InboxProvider) -> None:
    thread_id = sorted(thread_ids(sandbox, NEEDS_REPLY_SQL))[1]
    plan = inbox.plan_send(await inbox.get_thread(thread_id), "Deal, let's do it.", None)
    before = stats(sandbox)["messages"]
    first = await inbox.execute(plan)
    second = await inbox.execute(plan)  # the rep pressed confirm twice
    assert first.data == second.data
    assert stats(sandbox)["messages"] == before + 1


class CountingTransport(httpx.AsyncBaseTransport):
    """The real network, counting the requests of each method that went out."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.methods: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append(request.method)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


SEND_PATH = "/inbox/api/v1/threads/.*/messages$"


async def test_a_dropped_send_is_read_back_not_resent(sandbox: SandboxServer, sandbox_token: str) -> None:
    wire = CountingTransport()
    inbox = make(sandbox, sandbox_token, transport=wire)
    try:
        thread_id = sorted(thread_ids(sandbox, NEEDS_REPLY_SQL))[2]
        plan = inbox.plan_send(await inbox.get_thread(thread_id), "Checking in!", None)
        before = stats(sandbox)["messages"]
        sandbox.faults.set_rules([{"method": "POST", "path": SEND_PATH, "mode": "drop_after", "times": 1}])
        wire.methods.clear()
        result = await inbox.execute(plan)  # written, answer lost, the thread read back
    finally:
        await inbox.aclose()
    assert result.data["content"] == "Checking in!" and result.data["threadId"] == thread_id
    assert stats(sandbox)["messages"] == before + 1
    assert db(sandbox, "SELECT COUNT(*) FROM inbox_messages WHERE content = 'Checking in!'")[0][0] == 1
    assert wire.methods.count("POST") == 1, "a send Inbox may have delivered is never sent again"


@pytest.mark.parametrize(
    ("rule", "raised"),
    [
        ({"mode": "drop_before"}, TransportError),
        ({"status": 503}, SendOutcomeUnknownError),
        ({"status": 502}, SendOutcomeUnknownError),
    ],
)
async def test_a_send_that_did_not_land_is_reported_not_resent(
    sandbox: SandboxServer, sandbox_token: str, rule: dict[str, Any], raised: type[Exception]
) -> None:
    wire = CountingTransport()
    inbox = make(sandbox, sandbox_token, transport=wire)
    try:
        thread_id = sorted(thread_ids(sandbox, NEEDS_REPLY_SQL))[3]
        plan = inbox.plan_send(await inbox.get_thread(thread_id), "Still there?", None)
        before = stats(sandbox)["messages"]
        sandbox.faults.set_rules([{"method": "POST", "path": SEND_PATH, "times": 1, **rule}])
        wire.methods.clear()
        with pytest.raises(raised):
            await inbox.execute(plan)
        assert wire.methods.count("POST") == 1 and "GET" in wire.methods  # one send, then a read-back
        assert stats(sandbox)["messages"] == before
        sandbox.faults.clear()
        await inbox.execute(plan)  # the rep confirms again: the same plan, the same key, sent once
    finally:
        await inbox.aclose()
    assert stats(sandbox)["messages"] == before + 1


async def test_a_dropped_state_write_is_retried_harmlessly(sandbox: SandboxServer, inbox: InboxProvider) -> None:
    thread_id = sorted(thread_ids(sandbox, NEEDS_REPLY_SQL))[4]
    plan = inbox.plan_coop(await inbox.get_thread(thread_id), DONE)
    thread_path = "/inbox/api/v1/threads/[a-z0-9]+$"
    sandbox.faults.set_rules([{"method": "PATCH", "path": thread_path, "mode": "drop_after", "times": 1}])
    await inbox.execute(plan)  # written, answer lost, retried, replayed
    assert [rule["hits"] for rule in sandbox.faults.describe()] == [1]
    assert thread_id in thread_ids(sandbox, "t.done = 1")


async def test_outbound_first_reads_as_the_add_on_refusal(sandbox: SandboxServer, inbox: InboxProvider) -> None:
    thread_id = sorted(thread_ids(sandbox, "t.last_message_seq IS NULL"))[0]
    thread = await inbox.get_thread(thread_id)
    assert thread.messages == [] and not thread.needs_reply and thread.pending_reason == "no messages yet"
    plan = inbox.plan_send(thread, "Hi! Loved your last thread — open to a collab?", None)
    assert OUTBOUND_FIRST_WARNING in plan.warnings
    before = stats(sandbox)["messages"]
    with pytest.raises(OutboundAddonRequiredError) as caught:
        await inbox.execute(plan)
    error = caught.value
    assert isinstance(error, ForbiddenError) and error.status == 403 and error.error_code == "planRequired"
    assert error.message.startswith(
        "The first outbound message of a thread needs Inbox's paid Outbound Messages add-on"
    )
    assert "replies in existing conversations work on every plan" in error.todo
    assert stats(sandbox)["messages"] == before
    # From a list row (no message list known) the 402 still reads the same way.
    listed = thread.model_dump(exclude={"messages", "composer", "metadata"})
    row = ThreadSummary.model_validate(listed | {"pending_reason": None})
    with pytest.raises(OutboundAddonRequiredError):
        await inbox.execute(inbox.plan_send(row, "Hello?", None))


async def test_a_403_on_send_names_the_add_on_when_it_may_apply(sandbox: SandboxServer, inbox: InboxProvider) -> None:
    talking = sorted(thread_ids(sandbox, NEEDS_REPLY_SQL))[0]
    sandbox.faults.set_rules([{"method": "POST", "path": "/messages$", "status": 403}])
    with pytest.raises(ForbiddenError) as caught:
        await inbox.execute(inbox.plan_send(await inbox.get_thread(talking), "Hi", None))
    assert not isinstance(caught.value, OutboundAddonRequiredError)
    assert "Outbound Messages add-on" in caught.value.todo
    empty = sorted(thread_ids(sandbox, "t.last_message_seq IS NULL"))[0]
    with pytest.raises(OutboundAddonRequiredError):
        await inbox.execute(inbox.plan_send(await inbox.get_thread(empty), "Hi", None))


# --- faults --------------------------------------------------------------------------------------


async def test_429_with_retry_after_is_waited_out_and_retried(sandbox: SandboxServer, inbox: InboxProvider) -> None:
    limited = {"method": "GET", "path": "^/inbox/api/v1/threads$", "status": 429, "retry_after": 0.3, "times": 2}
    sandbox.faults.set_rules([limited])
    started = time.monotonic()
    page = await inbox.list_threads(ThreadQuery(), page=1, page_size=10)
    assert len(page.threads) == 10
    assert time.monotonic() - started >= 0.55  # two Retry-After waits, not the 10 ms backoff
    assert [rule["hits"] for rule in sandbox.faults.describe()] == [2]


async def test_rate_limit_and_gateway_errors_surface_typed_after_retries(
    sandbox: SandboxServer, sandbox_token: str
) -> None:
    provider = make(sandbox, sandbox_token, max_retries=1)
    try:
        sandbox.faults.set_rules([{"path": "^/inbox/api/v1/tags$", "status": 429, "retry_after": 0.05}])
        with pytest.raises(RateLimitedError) as limited:
            await provider.labels()
        assert limited.value.retry_after == pytest.approx(0.05)
        sandbox.faults.set_rules([{"path": "^/inbox/api/v1/members$", "mode": "html", "status": 502}])
        with pytest.raises(ServerError) as gateway:
            await provider.team_members()
        assert "Inbox's gateway failed (HTTP 502)" in gateway.value.message
        sandbox.faults.clear()
        with pytest.raises(NotFoundError):  # messageNotFound
            await provider.http.execute(
                provider.plan_send(
                    ThreadSummary.model_validate(
                        {
                            "thread_id": "xt000001",
                            "creator": {"creator_id": "xp000001", "name": "M", "platform": "twitter"},
                            "last_message_at": "2026-11-19T10:00:00Z",
                            "last_message_direction": "inbound",
                            "needs_reply": True,
                        }
                    ),
                    "hi",
                    None,
                    reply_to_message_id="xm9999999",
                )
            )
    finally:
        await provider.aclose()


# --- every request and every answer is the document's ----------------------------------------------


class RecordingNetwork(httpx.AsyncBaseTransport):
    """The real network, keeping each request with its answer."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.exchanges.append((request, httpx.Response(response.status_code, content=body)))
        return httpx.Response(response.status_code, headers=response.headers, content=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_tour_of_every_screen_speaks_only_the_document(sandbox: SandboxServer, sandbox_token: str) -> None:
    wire = RecordingNetwork()
    inbox = make(sandbox, sandbox_token, transport=wire)
    try:
        await inbox.auth_status()
        catalogue = await inbox.labels()
        members = await inbox.team_members()
        queries = [
            ThreadQuery(),
            ThreadQuery(coop_status="done"),
            ThreadQuery(needs_reply=True),
            ThreadQuery(label_id=catalogue[0].label_id, creator_uids=(members[0].user_uid,)),
            ThreadQuery(view="no-reply-oldest"),
            ThreadQuery(view="untagged", coop_status="xs002"),
            ThreadQuery(view="unassigned", coop_status="open"),
        ]
        for query in queries:
            await walk_all(inbox, query, page_size=25)
        thread_id = sorted(thread_ids(sandbox, f"{NEEDS_REPLY_SQL} AND {IMPORTED_SQL}"))[0]
        thread = await inbox.get_thread(thread_id)
        await inbox.execute(inbox.plan_labels(thread, [catalogue[1].label_id], catalogue))
        await inbox.execute(inbox.plan_coop(thread, DONE))
        await inbox.execute(inbox.plan_send(thread, "On it!", None, reply_to_message_id=thread.messages[-1].message_id))
    finally:
        await inbox.aclose()
    assert len(wire.exchanges) > 20
    for request, response in wire.exchanges:
        assert request_problems(request, "/inbox/api/v1") == [], request.url
        assert response.status_code == 200, (request.url, response.text)
        found = operation_of(request.method, request.url.path.removeprefix("/inbox/api/v1"))
        assert found is not None
        assert response_problems(found[0], response.json()) == [], request.url
