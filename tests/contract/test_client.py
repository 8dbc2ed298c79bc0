"""``NoxClient`` against the real sandbox over loopback HTTP: models out, writes persisted, faults survived.

Every write is read back through a *fresh* client (a new connection pool, no shared state), so a
test passes only if the server really stored the change. Failures are made real with the sandbox's
fault injection (``POST /_sandbox/faults``), not with mocks.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from noxtui.domain.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from noxtui.domain.models import Thread, ThreadQuery, ThreadSummary
from noxtui.providers import NoxProvider, Provider
from noxtui.providers.nox_rest import plans
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.sandbox import SandboxServer
from tests.sandbox_support import ESCAPE_THREAD_ID, SANDBOX_NOW, auth

SENDER = "sa_maya"
SENDER_ADDRESS = "maya@glowbrook.example"


# --- helpers -------------------------------------------------------------------------------------


def make_client(sandbox: SandboxServer, token: str, **kw: Any) -> NoxClient:
    options: dict[str, Any] = {"backoff": 0.01, "max_retry_after": 0.5, "timeout": 5.0, **kw}
    return NoxClient(sandbox.base_url, token, **options)


@pytest.fixture
async def client(sandbox: SandboxServer, sandbox_token: str) -> AsyncIterator[NoxClient]:
    async with make_client(sandbox, sandbox_token) as nox:
        yield nox


async def read_back(sandbox: SandboxServer, token: str, thread_id: str) -> Thread:
    """The thread as a brand-new client sees it: proof the write reached the store."""
    async with make_client(sandbox, token) as fresh:
        return await fresh.get_thread(thread_id)


def set_faults(sandbox: SandboxServer, *rules: dict[str, Any]) -> None:
    response = httpx.post(f"{sandbox.root_url}/_sandbox/faults", headers=auth(), json=list(rules))
    assert response.status_code == 200, response.text


def fault_hits(sandbox: SandboxServer) -> list[int]:
    response = httpx.get(f"{sandbox.root_url}/_sandbox/faults", headers=auth())
    return [rule["hits"] for rule in response.json()["data"]]


def stats(sandbox: SandboxServer) -> dict[str, int]:
    response = httpx.get(f"{sandbox.root_url}/_sandbox/stats", headers=auth())
    return response.json()["data"]


async def inbound_thread(client: NoxClient, *, kind: str | None = "email_task") -> ThreadSummary:
    """A thread waiting for our reply (not the escape-sequence fixture thread)."""
    page = await client.list_threads(
        ThreadQuery(needs_reply=True, last_message_direction="inbound", business_kind=kind), page_size=100
    )
    return next(t for t in page.threads if t.thread_id != ESCAPE_THREAD_ID)


# --- reads ---------------------------------------------------------------------------------------


async def test_list_threads_pages_sorted_and_filtered(client: NoxClient) -> None:
    first = await client.list_threads(ThreadQuery(), page=1, page_size=10)
    second = await client.list_threads(ThreadQuery(), page=2, page_size=10)
    assert first.total == second.total > 20 and first.has_more
    assert (first.page, first.page_size, len(first.threads)) == (1, 10, 10)
    ids = [t.thread_id for t in first.threads + second.threads]
    assert len(set(ids)) == 20
    stamps = [t.last_message_at for t in first.threads + second.threads]
    assert stamps == sorted(stamps, reverse=True)

    waiting = await client.list_threads(ThreadQuery(needs_reply=True, last_message_direction="inbound"), page_size=100)
    assert waiting.total == len(waiting.threads) > 0
    assert all(t.needs_reply and t.last_message_direction == "inbound" for t in waiting.threads)

    sample = waiting.threads[0]
    by_keyword = await client.list_threads(ThreadQuery(keyword=sample.creator.name), page_size=100)
    assert sample.thread_id in {t.thread_id for t in by_keyword.threads}
    if sample.coop_status is not None:
        by_status = await client.list_threads(ThreadQuery(coop_status=sample.coop_status.code), page_size=100)
        assert {t.coop_status.code for t in by_status.threads if t.coop_status} == {sample.coop_status.code}


async def test_list_threads_project_team_and_label_filters(client: NoxClient) -> None:
    members = await client.creator_filters()
    assert members and all(m.user_uid for m in members)
    uid = members[0].user_uid
    owned = await client.list_threads(ThreadQuery(creator_uids=(uid,)), page_size=100)
    assert owned.threads and {t.owner_uid for t in owned.threads} == {uid}

    options = await client.project_filters()
    assert options and all(o.project_id.startswith("email_task:") for o in options)
    mine = await client.project_filters([uid])
    assert {o.project_id for o in mine} <= {o.project_id for o in options}
    project = options[0].project_id
    in_project = await client.list_threads(ThreadQuery(project_ids=(project,)), page_size=100)
    assert in_project.threads and all(project in t.project_ids for t in in_project.threads)

    label = (await client.all_labels())[0]
    labelled = await client.list_threads(ThreadQuery(label_id=label.label_id), page_size=100)
    assert all(label.label_id in {lb.label_id for lb in t.labels} for t in labelled.threads)


async def test_get_thread_projects_and_attachments(client: NoxClient) -> None:
    summary = await inbound_thread(client)
    thread = await client.get_thread(summary.thread_id)
    assert thread.thread_id == summary.thread_id and thread.messages
    assert thread.message_count == len(thread.messages)
    sent = [m.sent_at for m in thread.messages]
    assert sent == sorted(sent), "messages come oldest first"
    assert thread.metadata.coop_status == thread.coop_status
    projects = await client.thread_projects(summary.thread_id)
    assert summary.thread_id in {p.thread_id for p in projects}
    assert isinstance(await client.attachments(summary.thread_id), list)


async def test_catalogues(client: NoxClient) -> None:
    page = await client.labels(page=1, page_size=3)
    assert len(page.items) == 3 and page.total > 3 and page.has_more
    everything = await client.all_labels(page_size=3)
    assert len(everything) == page.total == len({lb.label_id for lb in everything})
    vip = await client.labels(keyword="vip")
    assert vip.items and all("vip" in lb.name.lower() for lb in vip.items)

    statuses = await client.coop_statuses()
    assert [s.order for s in statuses] == sorted(s.order for s in statuses) and statuses[0].code

    english = await client.templates("en")
    assert english and {t.language for t in english} == {"en"}
    assert len(await client.templates()) >= len(english)

    senders = await client.senders()
    assert SENDER in {s.sender_auth_id for s in senders}
    status = await client.auth_status()
    assert status.authenticated and status.user is not None and status.user.uid


async def test_email_task_report_and_crm(client: NoxClient) -> None:
    summary = await inbound_thread(client)
    task = await client.email_task(summary.business_id)
    assert task.task_id == summary.business_id and task.name
    report = await client.email_report(summary.business_id)
    assert report.task_id == summary.business_id
    assert report.inbound_message_count >= report.reply_count >= 0
    assert report.replied_creator_count <= report.inbound_message_count
    channel = await client.crm_channel(summary.creator.creator_id)
    assert channel.creator_id == summary.creator.creator_id


# --- writes, read back through a fresh client ----------------------------------------------------


async def test_labels_plan_and_its_undo_persist(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    catalogue = await client.all_labels()
    before = [lb.label_id for lb in thread.labels]
    extra = next(lb.label_id for lb in catalogue if lb.label_id not in before)
    plan = plans.labels_set(thread, [*before, extra], catalogue)
    result = await client.execute(plan)
    assert result.plan is plan and result.summary
    after = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert {lb.label_id for lb in after.labels} == {*before, extra}

    await client.execute(plans.inverse(plan))
    undone = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert {lb.label_id for lb in undone.labels} == set(before)


async def test_coop_plan_and_direct_method_persist(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    statuses = await client.coop_statuses()
    target = next(s for s in statuses if thread.coop_status is None or s.code != thread.coop_status.code)
    await client.execute(plans.coop_set(thread, target))
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).coop_status.code == target.code  # type: ignore[union-attr]

    other = next(s for s in statuses if s.code != target.code)
    updated = await client.set_coop_status(thread.thread_id, other.code)
    assert updated.coop_status is not None and updated.coop_status.code == other.code
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).coop_status.code == other.code  # type: ignore[union-attr]

    direct = await client.set_labels(thread.thread_id, [])
    assert direct.labels == []
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).labels == []


async def test_draft_plan_and_direct_method_persist(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    await client.execute(plans.draft_save(thread, "Draft via plan ✓", SENDER))
    stored = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert stored.composer.draft_body == "Draft via plan ✓" and stored.composer.sender_auth_id == SENDER
    assert stored.has_draft

    upload = await client.upload_attachment(thread.thread_id, "rates.pdf", b"%PDF-1.4 rates", "application/pdf")
    assert upload.filename == "rates.pdf" and upload.size == 14 and upload.content_type == "application/pdf"
    assert upload.attachment_id in {a.attachment_id for a in await client.attachments(thread.thread_id)}
    saved = await client.save_draft(thread.thread_id, "Direct draft", SENDER, [upload.attachment_id])
    assert saved.composer.attachment_ids == [upload.attachment_id]
    stored = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert stored.composer.draft_body == "Direct draft" and stored.composer.attachment_ids == [upload.attachment_id]


async def test_send_plan_persists_and_answers_the_thread(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    last = thread.messages[-1].message_id
    plan = plans.send(thread, "Thanks! $1,200 works for us.", SENDER, last, senders=await client.senders())
    assert plan.summary.endswith(f"from {SENDER_ADDRESS}")
    result = await client.execute(plan)
    assert result.data["message_id"]
    after = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert after.message_count == thread.message_count + 1
    assert after.messages[-1].body_text == "Thanks! $1,200 works for us."
    assert after.messages[-1].direction == "outbound" and after.messages[-1].sender.address == SENDER_ADDRESS
    assert after.needs_reply is False and after.last_message_direction == "outbound"

    again = await client.send(thread.thread_id, "One more thing.", SENDER)
    assert again.message_count == thread.message_count + 2
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).message_count == thread.message_count + 2


async def test_schedule_and_cancel_persist(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    at = SANDBOX_NOW + timedelta(days=1)
    text = (SANDBOX_NOW + timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:00+08:00")
    plan = plans.schedule(thread, "Morning reply", SENDER, text, now=SANDBOX_NOW)
    await client.execute(plan)
    stored = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert stored.composer.scheduled is not None
    assert stored.composer.scheduled.plan_send_at == plan.send_at
    assert stored.composer.scheduled.content == "Morning reply" and stored.scheduled_at == plan.send_at

    await client.execute(plans.cancel(stored))
    cancelled = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert cancelled.composer.scheduled is None and cancelled.scheduled_at is None
    with pytest.raises(ConflictError) as excinfo:
        await client.cancel_schedule(thread.thread_id)
    assert excinfo.value.error_code == "NOTHING_SCHEDULED"

    direct = await client.schedule(thread.thread_id, "Direct", SENDER, at.isoformat())
    assert direct.composer.scheduled is not None
    gone = await client.cancel_schedule(thread.thread_id)
    assert gone.composer.scheduled is None
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).composer.scheduled is None


async def test_templates_save_and_use_persist(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    await client.execute(plans.template_save("Quick thanks", "en", "Thanks {{creator_first_name}}!", "Thanks"))
    saved = await client.save_template("Rates ask", "en", "Hi {{creator_name}}, your rates?")
    assert saved.template_id and saved.subject is None
    async with make_client(sandbox, sandbox_token) as fresh:
        names = {t.name for t in await fresh.templates("en")}
    assert {"Quick thanks", "Rates ask"} <= names

    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    template = next(t for t in await client.templates("en") if t.name == "Quick thanks")
    result = await client.execute(plans.template_use(thread, template))
    first_name = thread.creator.name.split()[0]
    assert result.data["body"] == f"Thanks {first_name}!"
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).composer.draft_body == f"Thanks {first_name}!"

    rendered = await client.use_template(saved.template_id, thread.thread_id, {"creator_name": "Boss"})
    assert rendered.body == "Hi Boss, your rates?"
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).composer.draft_body == "Hi Boss, your rates?"


async def test_archive_plan_lists_and_archives_every_sibling(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    page = await client.list_threads(ThreadQuery(), page_size=100)
    by_creator: dict[str, list[str]] = {}
    for t in page.threads:
        by_creator.setdefault(t.creator.creator_id, []).append(t.thread_id)
    thread_id = next((ids[0] for ids in by_creator.values() if len(ids) > 1), page.threads[0].thread_id)
    thread = await client.get_thread(thread_id)
    siblings = await client.thread_projects(thread_id)
    plan = plans.archive(thread, siblings)
    result = await client.execute(plan)
    archived = result.data["archived_thread_ids"]
    assert set(archived) == {p.thread_id for p in siblings} | {thread_id}
    for archived_id in archived:
        assert archived_id in plan.summary
    async with make_client(sandbox, sandbox_token) as fresh:
        remaining = {t.thread_id for t in (await fresh.list_threads(ThreadQuery(), page_size=100)).threads}
        assert not remaining & set(archived)
        with pytest.raises(ConflictError):
            await fresh.send(thread_id, "Too late", SENDER)


async def test_archive_direct_method(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    thread = await inbound_thread(client)
    archived = await client.archive(thread.thread_id)
    assert thread.thread_id in archived
    async with make_client(sandbox, sandbox_token) as fresh:
        live = {t.thread_id for t in (await fresh.list_threads(ThreadQuery(), page_size=100)).threads}
    assert thread.thread_id not in live


async def test_crm_update_plan_and_direct_method_persist(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    thread = await inbound_thread(client)
    before = await client.crm_channel(thread.creator.creator_id)
    await client.execute(plans.crm_update(before.creator_id, notes="Prefers email before noon", before=before))
    async with make_client(sandbox, sandbox_token) as fresh:
        assert (await fresh.crm_channel(before.creator_id)).notes == "Prefers email before noon"
    owner = next(m.user_uid for m in await client.creator_filters() if m.user_uid != before.owner_uid)
    updated = await client.update_crm_channel(before.creator_id, owner_uid=owner)
    assert updated.owner_uid == owner
    async with make_client(sandbox, sandbox_token) as fresh:
        assert (await fresh.crm_channel(before.creator_id)).owner_uid == owner


async def test_provider_delegates_to_the_client(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    provider = NoxProvider(client)
    assert isinstance(provider, Provider)
    assert (provider.name, provider.display_name) == ("nox", "NoxInfluencer")
    query = ThreadQuery(needs_reply=True, business_kind="email_task")
    summary = (await provider.list_threads(query, page_size=5)).threads[0]
    thread = await provider.get_thread(summary.thread_id)
    await provider.senders()
    plan = provider.plan_send(thread, "Via the provider", SENDER)
    assert plan.sender == SENDER_ADDRESS
    await provider.execute(plan)
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).message_count == thread.message_count + 1
    assert len(await provider.labels()) == (await client.labels()).total

    # The provider decides "in the future" on the clock it is given (the sandbox's, here).
    pinned = NoxProvider(client, clock=lambda: SANDBOX_NOW)
    soon = (SANDBOX_NOW + timedelta(hours=2)).isoformat()
    await pinned.execute(pinned.plan_schedule(thread, "Later", SENDER, soon))
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).composer.scheduled is not None


# --- idempotency ---------------------------------------------------------------------------------


async def test_same_plan_twice_writes_once(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    plan = plans.send(thread, "Only once, please.", SENDER)
    first = await client.execute(plan)
    second = await client.execute(plan)
    assert first.data["message_id"] == second.data["message_id"]
    after = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert after.message_count == thread.message_count + 1
    assert [m.body_text for m in after.messages].count("Only once, please.") == 1


async def test_reused_key_with_another_body_is_a_conflict(client: NoxClient) -> None:
    thread = await inbound_thread(client)
    key = str(uuid.uuid4())
    await client.save_draft(thread.thread_id, "first", idempotency_key=key)
    with pytest.raises(ConflictError) as excinfo:
        await client.save_draft(thread.thread_id, "second", idempotency_key=key)
    assert excinfo.value.error_code == "IDEMPOTENCY_KEY_REUSED"


# --- errors --------------------------------------------------------------------------------------


async def test_wrong_token_is_an_auth_error_without_the_token(sandbox: SandboxServer) -> None:
    wrong = "wrong-token-" + uuid.uuid4().hex
    async with make_client(sandbox, wrong) as nox:
        with pytest.raises(AuthError) as excinfo:
            await nox.list_threads(ThreadQuery())
    error = excinfo.value
    assert error.status == 401 and error.error_code == "UNAUTHENTICATED"
    assert "log in" in error.message.lower()
    assert wrong not in str(error) and wrong not in repr(error) and wrong not in repr(nox)


async def test_unknown_thread_is_not_found(client: NoxClient) -> None:
    with pytest.raises(NotFoundError) as excinfo:
        await client.get_thread("th_999999")
    assert excinfo.value.status == 404 and "th_999999" in excinfo.value.what


async def test_server_validation_is_a_validation_error_with_fields(client: NoxClient) -> None:
    thread = await inbound_thread(client)
    with pytest.raises(ValidationError) as excinfo:
        await client.send(thread.thread_id, "Hi", "sa_nobody")
    assert excinfo.value.status == 422 and "sender_auth_id" in excinfo.value.fields
    with pytest.raises(ValidationError) as excinfo:
        await client.schedule(thread.thread_id, "Hi", SENDER, "2027-01-01T09:00:00+05:30")
    assert "plan_send_at" in excinfo.value.fields


# --- retries and faults --------------------------------------------------------------------------


async def test_429_with_retry_after_then_success(client: NoxClient, sandbox: SandboxServer) -> None:
    set_faults(sandbox, {"method": "GET", "path": "/messages/threads$", "status": 429, "retry_after": 0.2, "times": 2})
    started = time.monotonic()
    page = await client.list_threads(ThreadQuery(), page_size=5)
    assert page.threads
    assert fault_hits(sandbox) == [2]
    assert time.monotonic() - started >= 0.4, "Retry-After was honoured on both retries"


async def test_retry_after_is_capped(sandbox: SandboxServer, sandbox_token: str) -> None:
    """Asked to wait longer than the cap, the client does not wait at all: it says how long, in words."""
    set_faults(sandbox, {"path": "/auth/status", "status": 429, "retry_after": 3600, "times": 1})
    async with make_client(sandbox, sandbox_token, max_retry_after=0.05) as nox:
        started = time.monotonic()
        with pytest.raises(RateLimitedError) as excinfo:
            await nox.auth_status()
    assert time.monotonic() - started < 5
    assert "1 hour" in excinfo.value.todo and fault_hits(sandbox) == [1]


async def test_429_forever_gives_up_with_the_wait(sandbox: SandboxServer, sandbox_token: str) -> None:
    set_faults(sandbox, {"path": "/auth/status", "status": 429, "retry_after": 0})
    async with make_client(sandbox, sandbox_token, max_retries=2) as nox:
        with pytest.raises(RateLimitedError) as excinfo:
            await nox.auth_status()
    assert excinfo.value.retry_after == 0 and fault_hits(sandbox) == [3]


async def test_503_then_success_on_a_write(client: NoxClient, sandbox: SandboxServer, sandbox_token: str) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    set_faults(sandbox, {"method": "POST", "path": "/send$", "status": 503, "times": 1})
    await client.execute(plans.send(thread, "After a 503", SENDER))
    assert fault_hits(sandbox) == [1]
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).message_count == thread.message_count + 1


async def test_gateway_html_502_is_retried(client: NoxClient, sandbox: SandboxServer) -> None:
    set_faults(sandbox, {"path": "/messages/senders", "mode": "html", "status": 502, "times": 2})
    assert await client.senders()
    assert fault_hits(sandbox) == [2]


async def test_dropped_answer_on_send_is_retried_with_the_same_key(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    sends_before = stats(sandbox)["sends"]
    set_faults(sandbox, {"method": "POST", "path": "/send$", "mode": "drop_after", "times": 1})
    result = await client.execute(plans.send(thread, "Despite the dropped line", SENDER))
    assert fault_hits(sandbox) == [1]
    assert result.data["message_count"] == thread.message_count + 1
    after = await read_back(sandbox, sandbox_token, thread.thread_id)
    assert after.message_count == thread.message_count + 1
    assert [m.body_text for m in after.messages].count("Despite the dropped line") == 1
    assert stats(sandbox)["sends"] == sends_before + 1


async def test_connection_dropped_before_the_answer_is_retried(client: NoxClient, sandbox: SandboxServer) -> None:
    set_faults(sandbox, {"method": "GET", "path": "/messages/labels", "mode": "drop_before", "times": 2})
    assert (await client.labels()).items
    assert fault_hits(sandbox) == [2]


async def test_a_hung_request_times_out_and_is_retried(sandbox: SandboxServer, sandbox_token: str) -> None:
    set_faults(sandbox, {"path": "/messages/coop-statuses", "mode": "hang", "hang_seconds": 5, "times": 1})
    async with make_client(sandbox, sandbox_token, timeout=0.3) as nox:
        assert await nox.coop_statuses()
    assert fault_hits(sandbox) == [1]


async def test_transport_faults_exhaust_into_a_transport_error(sandbox: SandboxServer, sandbox_token: str) -> None:
    set_faults(sandbox, {"method": "POST", "path": "/send$", "mode": "drop_before"})
    async with make_client(sandbox, sandbox_token, max_retries=3) as nox:
        thread = await inbound_thread(nox)
        with pytest.raises(TransportError) as excinfo:
            await nox.send(thread.thread_id, "Never arrives", SENDER)
    assert fault_hits(sandbox) == [4]
    assert "4 attempts" in excinfo.value.what and "may have reached" in excinfo.value.what


async def test_nothing_listening_is_a_transport_error_saying_nothing_was_sent(sandbox_token: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with NoxClient(f"http://127.0.0.1:{port}/v1", sandbox_token, backoff=0.0, max_retries=1) as nox:
        with pytest.raises(TransportError) as excinfo:
            await nox.auth_status()
    assert "not sent" in excinfo.value.what and sandbox_token not in excinfo.value.message


async def test_500_is_not_retried(client: NoxClient, sandbox: SandboxServer) -> None:
    set_faults(sandbox, {"path": "/auth/status", "status": 500})
    with pytest.raises(ServerError) as excinfo:
        await client.auth_status()
    assert excinfo.value.status == 500 and fault_hits(sandbox) == [1]


@pytest.mark.parametrize(
    "rule",
    [
        {"mode": "invalid_json"},
        {"mode": "html", "status": 200},
        {"mode": "html", "status": 404},
        {"mode": "truncated_json"},
    ],
    ids=["invalid-json", "html-200", "html-404", "truncated"],
)
async def test_unreadable_answers_are_protocol_errors(
    client: NoxClient, sandbox: SandboxServer, rule: dict[str, Any]
) -> None:
    set_faults(sandbox, {"path": "/messages/threads$", **rule})
    with pytest.raises(ProtocolError) as excinfo:
        await client.list_threads(ThreadQuery())
    message = excinfo.value.message
    assert "<" not in message and "nginx" not in message and "th_000001" not in message
    assert fault_hits(sandbox) == [1]


async def test_truncated_answer_to_a_write_says_it_may_have_been_applied(
    client: NoxClient, sandbox: SandboxServer, sandbox_token: str
) -> None:
    thread = await client.get_thread((await inbound_thread(client)).thread_id)
    set_faults(sandbox, {"method": "PUT", "path": "/draft$", "mode": "truncated_json", "times": 1})
    with pytest.raises(ProtocolError) as excinfo:
        await client.execute(plans.draft_save(thread, "Half an answer", SENDER))
    assert "may have been applied" in excinfo.value.todo
    assert (await read_back(sandbox, sandbox_token, thread.thread_id)).composer.draft_body == "Half an answer"
