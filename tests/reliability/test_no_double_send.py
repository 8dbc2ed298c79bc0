"""No double send: a reply whose answer is lost after the server committed it is delivered once.

The dangerous failure for an outreach inbox is not an error, it is a duplicate: the creator gets the
same rate negotiation twice. The sandbox commits the send and then drops the connection
(``drop_after``); the client retries; the server must recognise the retry by its Idempotency-Key and
replay the first answer instead of sending again. The requests are recorded on the wire (a real
transport wrapped, nothing mocked) so the test can show the retry carried the *same* key.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from noxtui.domain.errors import TransportError
from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import ESCAPE_THREAD_ID, SandboxServer
from tests.reliability.support import (
    SECRET_TOKEN,
    SENDER,
    assert_actionable,
    fresh_client,
    server_stats,
    transport,
)
from tests.sandbox_support import SANDBOX_NOW

pytestmark = pytest.mark.reliability


@dataclass
class Exchange:
    method: str
    path: str
    key: str | None
    status: int | None = None
    replayed: bool = False
    failure: str | None = None


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes every request to a real transport and notes what went out and what came back."""

    def __init__(self) -> None:
        self.inner = transport()
        self.exchanges: list[Exchange] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        seen = Exchange(request.method, request.url.path, request.headers.get("idempotency-key"))
        self.exchanges.append(seen)
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.HTTPError as exc:
            seen.failure = type(exc).__name__
            raise
        seen.status = response.status_code
        seen.replayed = response.headers.get("idempotent-replayed") == "true"
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def sends(self) -> list[Exchange]:
        return [e for e in self.exchanges if e.method == "POST" and e.path.endswith("/send")]


async def waiting_thread(client: NoxClient) -> ThreadSummary:
    page = await client.list_threads(ThreadQuery(needs_reply=True, last_message_direction="inbound"), page_size=100)
    return next(t for t in page.threads if t.thread_id != ESCAPE_THREAD_ID and t.scheduled_at is None)


def recording_provider(sandbox: SandboxServer, *, max_retries: int) -> tuple[NoxProvider, RecordingTransport]:
    wire = RecordingTransport()
    client = NoxClient(
        sandbox.base_url, SECRET_TOKEN, timeout=5.0, backoff=0.01, max_retries=max_retries, transport=wire
    )
    return NoxProvider(client, clock=lambda: SANDBOX_NOW), wire


async def test_send_lost_after_commit_is_retried_with_the_same_key_and_sent_once(sandbox: SandboxServer) -> None:
    provider, wire = recording_provider(sandbox, max_retries=2)
    async with provider.client:
        thread = await waiting_thread(provider.client)
        body = "Confirming $1,200 for one integrated video — contract follows today."
        plan = provider.plan_send(thread, body, SENDER)
        before = server_stats(sandbox)
        assert sandbox.store.idempotent_response(plan.idempotency_key) is None

        sandbox.faults.set_rules([{"method": "POST", "path": r"/send$", "mode": "drop_after", "times": 1}])
        result = await provider.execute(plan)
        assert sandbox.faults.describe()[0]["hits"] == 1, "the answer must really have been lost once"

    after = server_stats(sandbox)
    assert after["sends"] == before["sends"] + 1
    assert after["messages"] == before["messages"] + 1
    assert after["idempotency_keys"] == before["idempotency_keys"] + 1

    # On the wire: two attempts, one key (the plan's), the first lost, the second a replay.
    sends = wire.sends()
    assert [e.key for e in sends] == [plan.idempotency_key, plan.idempotency_key]
    assert sends[0].failure is not None and sends[0].status is None
    assert sends[1].status == 200 and sends[1].replayed
    # The server remembers that key: the stored answer is the one the retry got back.
    remembered = sandbox.store.idempotent_response(plan.idempotency_key)
    assert remembered is not None and remembered["method"] == "POST" and remembered["path"].endswith("/send")

    async with fresh_client(sandbox) as fresh:
        thread_after = await fresh.get_thread(thread.thread_id)
    copies = [m for m in thread_after.messages if m.body_text == body]
    assert len(copies) == 1
    assert thread_after.message_count == thread.message_count + 1
    assert isinstance(result.data, dict) and result.data["message_id"] == copies[0].message_id


async def test_confirming_the_same_plan_again_after_a_lost_answer_never_sends_twice(sandbox: SandboxServer) -> None:
    """The confirm modal's "y: try again" path: the same plan (same key) after the client gave up."""
    provider, wire = recording_provider(sandbox, max_retries=1)
    async with provider.client:
        thread = await waiting_thread(provider.client)
        body = "Sharing the tracking link for the sample now."
        plan = provider.plan_send(thread, body, SENDER)
        before = server_stats(sandbox)

        # Every attempt of the first confirm commits-then-drops: the client gives up.
        sandbox.faults.set_rules([{"method": "POST", "path": r"/send$", "mode": "drop_after", "times": 2}])
        with pytest.raises(TransportError) as raised:
            await provider.execute(plan)
        error = assert_actionable(raised.value)
        assert "reload" in error.todo.lower() and "may have" in error.message.lower()
        assert server_stats(sandbox)["sends"] == before["sends"] + 1, "the first attempt did commit"

        # The rep presses y again: the very same plan goes out and is answered from the replay.
        await provider.execute(plan)

    after = server_stats(sandbox)
    assert after["sends"] == before["sends"] + 1
    assert after["idempotency_keys"] == before["idempotency_keys"] + 1
    assert {e.key for e in wire.sends()} == {plan.idempotency_key}
    assert len(wire.sends()) == 3 and wire.sends()[-1].replayed
    async with fresh_client(sandbox) as fresh:
        thread_after = await fresh.get_thread(thread.thread_id)
    assert [m.body_text for m in thread_after.messages].count(body) == 1
