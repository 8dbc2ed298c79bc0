"""The fault matrix: every operation the inbox performs × every way the server or network can fail.

Layer: the real ``NoxProvider`` over the real ``NoxClient`` against the live sandbox on loopback,
with failures made real by the sandbox's fault injection (no mocks). Each cell proves three things:

(a) the failure surfaces as the right typed ``NoxError`` whose message says what happened and what
    to do, without the token or raw server output;
(b) a retryable fault that happens once is absorbed: the operation succeeds after one retry;
(c) the server holds exactly what it should afterwards, read through a *fresh* client: nothing for a
    refused write, exactly one application for a fault that struck after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any

import httpx
import pytest

from noxtui.domain.errors import (
    AuthError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    NoxError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from noxtui.domain.models import ThreadQuery, ThreadSummary, WritePlan
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import ESCAPE_THREAD_ID, SandboxServer
from tests.reliability.support import (
    HANG_SECONDS,
    SECRET_TOKEN,
    SENDER,
    assert_actionable,
    fast_client,
    fresh_client,
    server_stats,
)
from tests.sandbox_support import SANDBOX_NOW

pytestmark = pytest.mark.reliability


# --- faults --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    rule: dict[str, Any]
    error: type[NoxError]
    says: tuple[str, ...]  # the message must contain one of these (lower case): it names what happened
    retryable: bool = False
    after_commit: bool = False  # the sandbox runs the handler (a write commits) before failing

    def __str__(self) -> str:
        return self.name


FAULTS = [
    Fault("401", {"status": 401}, AuthError, ("log in",)),
    Fault("403", {"status": 403}, ForbiddenError, ("access",)),
    Fault("404", {"status": 404}, NotFoundError, ("removed", "refresh")),
    Fault("409", {"status": 409}, ConflictError, ("reload",)),
    Fault("422", {"status": 422}, ValidationError, ("fix",)),
    Fault("429", {"status": 429, "retry_after": 0.05}, RateLimitedError, ("wait 0.05 s",), retryable=True),
    Fault("500", {"status": 500}, ServerError, ("server",)),
    Fault("503", {"status": 503}, ServerError, ("unavailable",), retryable=True),
    Fault(
        "timeout", {"mode": "hang", "hang_seconds": HANG_SECONDS}, TransportError, ("did not answer",), retryable=True
    ),
    Fault("drop_before", {"mode": "drop_before"}, TransportError, ("dropped",), retryable=True),
    Fault("drop_after", {"mode": "drop_after"}, TransportError, ("dropped",), retryable=True, after_commit=True),
    Fault("invalid_json", {"mode": "invalid_json"}, ProtocolError, ("not valid json",)),
    Fault("truncated_json", {"mode": "truncated_json"}, ProtocolError, ("cut off",), after_commit=True),
]
RETRYABLE = [f for f in FAULTS if f.retryable]


# --- operations ----------------------------------------------------------------------------------


@dataclass
class Cell:
    """One operation, prepared on a thread: what to run, and the state it leaves when applied."""

    thread_id: str | None = None
    plan: WritePlan | None = None
    after: Any = None


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    path: str  # regex on the request path, as the fault rule sees it
    write: bool
    slot: int  # which candidate thread this operation works on (each op its own thread)

    def __str__(self) -> str:
        return self.name


OPS = [
    Op("thread_list", "GET", r"/messages/threads$", False, 0),
    Op("thread_get", "GET", r"/messages/threads/[^/]+$", False, 0),
    Op("labels_set", "PUT", r"/labels$", True, 1),
    Op("coop_set", "PUT", r"/coop-status$", True, 2),
    Op("draft_save", "PUT", r"/draft$", True, 3),
    Op("send", "POST", r"/send$", True, 4),
    Op("schedule", "POST", r"/schedule$", True, 5),
    Op("cancel", "DELETE", r"/schedule$", True, 6),
]

SEND_AT = (SANDBOX_NOW + timedelta(days=3)).astimezone(timezone(timedelta(hours=8)))


async def observe(op: Op, provider: NoxProvider, thread_id: str) -> Any:
    """The part of the server's state ``op`` changes, as a fresh client reads it."""
    thread = await provider.get_thread(thread_id)
    if op.name == "labels_set":
        return frozenset(label.label_id for label in thread.labels)
    if op.name == "coop_set":
        return thread.coop_status.code if thread.coop_status else None
    if op.name == "draft_save":
        return thread.composer.draft_body
    if op.name == "send":
        return (thread.message_count, thread.messages[-1].body_text)
    if op.name in ("schedule", "cancel"):
        scheduled = thread.composer.scheduled
        return None if scheduled is None else (scheduled.content, scheduled.plan_send_at)
    return (thread.message_count, thread.updated_at)


async def prepare(op: Op, provider: NoxProvider, thread_id: str) -> Cell:
    """Build the cell's plan from the server's current state (before any fault is armed)."""
    tag = uuid.uuid4().hex[:10]
    if op.name == "cancel":
        await provider.client.schedule(thread_id, f"scheduled {tag}", SENDER, SEND_AT.isoformat())
    thread = await provider.get_thread(thread_id)
    cell = Cell(thread_id=thread_id)
    if not op.write:
        return cell
    await provider.senders()
    if op.name == "labels_set":
        catalogue = await provider.labels()
        current = [label.label_id for label in thread.labels]
        toggled = catalogue[0].label_id
        wanted = [i for i in current if i != toggled] if toggled in current else [*current, toggled]
        cell.plan = provider.plan_labels(thread, wanted, catalogue)
        cell.after = frozenset(wanted)
    elif op.name == "coop_set":
        statuses = await provider.coop_statuses()
        current = thread.coop_status.code if thread.coop_status else None
        target = next(s for s in statuses if s.code != current)
        cell.plan = provider.plan_coop(thread, target)
        cell.after = target.code
    elif op.name == "draft_save":
        body = f"Draft {tag}: happy to send the brief — sizes S/M?"
        cell.plan = provider.plan_draft(thread, body, None)
        cell.after = body
    elif op.name == "send":
        body = f"Reply {tag}: thanks, confirming the rate."
        cell.plan = provider.plan_send(thread, body, SENDER)
        cell.after = (thread.message_count + 1, body)
    elif op.name == "schedule":
        body = f"Scheduled {tag}: following up on the brief."
        cell.plan = provider.plan_schedule(thread, body, SENDER, SEND_AT.isoformat())
        cell.after = (body, SEND_AT)
    elif op.name == "cancel":
        cell.plan = provider.plan_cancel(thread)
        cell.after = None
    return cell


async def run(op: Op, provider: NoxProvider, cell: Cell) -> Any:
    if op.name == "thread_list":
        page = await provider.list_threads(ThreadQuery(), page_size=50)
        assert page.threads and page.total >= len(page.threads)
        return page
    if op.name == "thread_get":
        assert cell.thread_id is not None
        thread = await provider.get_thread(cell.thread_id)
        assert thread.thread_id == cell.thread_id and thread.messages
        return thread
    assert cell.plan is not None
    result = await provider.execute(cell.plan)
    assert result.plan is cell.plan
    return result


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def candidates(shared_sandbox: SandboxServer) -> list[str]:
    """Writable threads that wait for a reply and have nothing scheduled (not the escape fixture)."""
    response = httpx.get(
        f"{shared_sandbox.base_url}/messages/threads",
        params={"page_size": 100},
        headers={"Authorization": f"Bearer {SECRET_TOKEN}"},
    )
    threads = [ThreadSummary.model_validate(t) for t in response.json()["data"]]
    usable = [t.thread_id for t in threads if t.thread_id != ESCAPE_THREAD_ID and t.scheduled_at is None]
    assert len(usable) >= len(OPS)
    return usable


@pytest.fixture
def sandbox(shared_sandbox: SandboxServer) -> Iterator[SandboxServer]:
    """The module's sandbox with no fault armed before or after the cell."""
    shared_sandbox.faults.clear()
    try:
        yield shared_sandbox
    finally:
        shared_sandbox.faults.clear()


def arm(sandbox: SandboxServer, op: Op, fault: Fault, times: int | None) -> None:
    rule = {"method": op.method, "path": op.path, **fault.rule}
    if times is not None:
        rule["times"] = times
    sandbox.faults.set_rules([rule])


def hits(sandbox: SandboxServer) -> int:
    return int(sandbox.faults.describe()[0]["hits"])


def provider_for(client: Any) -> NoxProvider:
    return NoxProvider(client, clock=lambda: SANDBOX_NOW)


# --- the matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS, ids=str)
@pytest.mark.parametrize("op", OPS, ids=str)
async def test_persistent_fault_is_reported_and_state_is_exact(
    sandbox: SandboxServer, candidates: list[str], op: Op, fault: Fault
) -> None:
    thread_id = candidates[op.slot]
    async with fast_client(sandbox) as client, fresh_client(sandbox) as fresh:
        provider = provider_for(client)
        cell = await prepare(op, provider, thread_id)
        witness = provider_for(fresh)
        stats_before = server_stats(sandbox)
        state_before = await observe(op, witness, thread_id)

        arm(sandbox, op, fault, times=None)
        with pytest.raises(NoxError) as raised:
            await run(op, provider, cell)
        fired = hits(sandbox)
        sandbox.faults.clear()

        # (a) typed, actionable, nothing secret or raw
        error = assert_actionable(raised.value)
        assert isinstance(error, fault.error), f"{type(error).__name__}: {error.message}"
        assert any(word in error.message.lower() for word in fault.says), error.message
        if op.write and fault.error in (TransportError, ProtocolError):
            # The answer was lost: the rep must be told to look before trying again.
            assert "reload" in error.todo.lower(), error.todo
        # retryable faults are retried (bounded), the others are not
        assert fired == (2 if fault.retryable else 1)

        # (c) exactly the right state, read through a fresh client
        applied = op.write and fault.after_commit
        state_after = await observe(op, witness, thread_id)
        stats_after = server_stats(sandbox)
        if op.write:
            assert state_before != cell.after, "the cell must change something to prove anything"
            assert state_after == (cell.after if applied else state_before)
        else:
            assert state_after == state_before
        assert stats_after["idempotency_keys"] - stats_before["idempotency_keys"] == (1 if applied else 0)
        assert stats_after["sends"] - stats_before["sends"] == (1 if applied and op.name == "send" else 0)


@pytest.mark.parametrize("fault", RETRYABLE, ids=str)
@pytest.mark.parametrize("op", OPS, ids=str)
async def test_one_retryable_fault_is_absorbed_and_applied_once(
    sandbox: SandboxServer, candidates: list[str], op: Op, fault: Fault
) -> None:
    thread_id = candidates[op.slot]
    async with fast_client(sandbox) as client, fresh_client(sandbox) as fresh:
        provider = provider_for(client)
        cell = await prepare(op, provider, thread_id)
        witness = provider_for(fresh)
        stats_before = server_stats(sandbox)
        state_before = await observe(op, witness, thread_id)

        arm(sandbox, op, fault, times=1)
        await run(op, provider, cell)  # (b) succeeds after one retry
        assert hits(sandbox) == 1, "the fault never fired: the cell proves nothing"
        sandbox.faults.clear()

        state_after = await observe(op, witness, thread_id)
        stats_after = server_stats(sandbox)
        if op.write:
            assert state_after == cell.after
            assert stats_after["idempotency_keys"] - stats_before["idempotency_keys"] == 1
        else:
            assert state_after == state_before
            assert stats_after["idempotency_keys"] == stats_before["idempotency_keys"]
        assert stats_after["sends"] - stats_before["sends"] == (1 if op.name == "send" else 0)
