"""Inbox error bodies read defensively (no network: ``httpx.MockTransport``) and the wire → model mapping."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from noxtui.domain.errors import (
    AuthError,
    ForbiddenError,
    InsufficientCreditError,
    NotFoundError,
    ProtocolError,
    ServerError,
    ValidationError,
)
from noxtui.domain.models import Label, ThreadSummary
from noxtui.providers.inbox.errors import OutboundAddonRequiredError, error_envelope
from noxtui.providers.inbox.mapping import Directory, summary_of, thread_of
from noxtui.providers.inbox.provider import InboxProvider
from noxtui.providers.inbox.wire import InboxMessage, InboxThread

BASE = "https://inbox.example/api/v1"


def provider(status: int, body: bytes | Any, headers: dict[str, str] | None = None) -> InboxProvider:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers=headers or {"content-type": "application/json"})

    return InboxProvider(BASE, "secret-token-123", transport=httpx.MockTransport(answer), max_retries=0)


def row(thread_id: str = "xt1", direction: str = "inbound") -> ThreadSummary:
    return ThreadSummary.model_validate(
        {
            "thread_id": thread_id,
            "creator": {"creator_id": "xp1", "name": "Mia", "platform": "twitter"},
            "last_message_at": "2026-11-19T10:00:00Z",
            "last_message_direction": direction,
            "needs_reply": True,
        }
    )


@pytest.mark.parametrize(
    ("status", "body", "error", "text"),
    [
        (
            404,
            {"statusCode": 404, "message": "Thread not found", "error": "Not Found"},
            NotFoundError,
            "Thread not found",
        ),
        (
            400,
            {"statusCode": 400, "message": ["content is empty"], "error": "Bad Request"},
            ValidationError,
            "content is empty",
        ),
        (422, {"error": {"code": "invalid_input", "message": "limit too big"}}, ValidationError, "limit too big"),
        (400, {"code": "bad_cursor", "message": "cursor expired"}, ValidationError, "cursor expired"),
        (401, b"", AuthError, "Inbox did not accept the token"),
        (403, {"detail": "secret-token-123 has no access"}, ForbiddenError, "*** has no access"),
        (500, b"<html>oops</html>", ServerError, "Inbox had an internal error"),
        (402, {"message": "Upgrade your plan"}, InsufficientCreditError, "Upgrade your plan"),
    ],
)
async def test_error_bodies_of_any_shape_become_typed_errors(status: int, body: Any, error: type, text: str) -> None:
    inbox = provider(status, body)
    with pytest.raises(error) as caught:
        await inbox.get_thread("xt1")
    assert text in caught.value.message and "secret-token-123" not in caught.value.message
    if status == 402:
        assert "NoxInfluencer" not in caught.value.todo
    await inbox.aclose()


def test_error_envelope_keeps_field_errors_and_hints() -> None:
    body = {"message": "bad", "errors": [{"field": "content", "message": "empty"}], "hint": "fill it"}
    envelope = error_envelope(422, json.dumps(body).encode())
    assert envelope["data"] == {"fields": {"content": "empty"}}
    assert envelope["action"]["hint"] == "fill it" and envelope["error_code"] == "VALIDATION_ERROR"


async def test_a_402_on_send_is_the_add_on_refusal_whatever_the_body() -> None:
    inbox = provider(402, {"message": "Payment required"})
    with pytest.raises(OutboundAddonRequiredError) as caught:
        await inbox.execute(inbox.plan_send(row(), "Hello!", None))
    assert caught.value.message.startswith(
        "The first outbound message of a thread needs Inbox's paid Outbound Messages add-on"
    )
    await inbox.aclose()
    inbox = provider(403, {"message": "Sending outbound messages requires the add-on"})
    with pytest.raises(OutboundAddonRequiredError):
        await inbox.execute(inbox.plan_send(row(direction="outbound"), "Hello!", None))
    await inbox.aclose()


async def test_a_success_that_is_not_json_is_a_protocol_error() -> None:
    inbox = provider(200, b"<html>login</html>", {"content-type": "text/html"})
    with pytest.raises(ProtocolError):
        await inbox.labels()
    await inbox.aclose()


def _thread(**extra: Any) -> InboxThread:
    """A ``Thread`` as the v1 document has it (trimmed to what mapping reads; the rest defaults)."""
    data: dict[str, Any] = {
        "id": "xt1",
        "platformId": "1:2",
        "accountLinkId": "xa1",
        "done": False,
        "assigneeId": None,
        "createdAt": "2026-11-01T00:00:00Z",
        "lastMessageTimestamp": "2026-11-19T10:00:00Z",
        "computedSortTimestamp": "2026-11-19T10:00:00Z",
        "prospect": {
            "platformId": "555",
            "externalId": "xp1",
            "username": "mia",
            "handle": "@mia",
            "displayName": "Mia C",
            "profileUrl": "https://x.com/mia",
            "context": {"tags": ["xg1"], "statusId": None, "valuation": None, "notes": None},
        },
        "lastMessage": {
            "id": "xm2",
            "content": "hi  there\\n",
            "createdAt": "2026-11-19T10:00:00Z",
            "authorId": "xp1",
            "userId": None,
            "campaignId": None,
        },
    }
    data.update(extra)
    return InboxThread.model_validate(data)


TAGS = Directory(tags={"xg1": Label(label_id="xg1", name="VIP")}, names={"xa1": "Glowbrook", "xi1": "Maya"})


def test_direction_and_needs_reply_follow_the_author() -> None:
    inbound = summary_of(_thread(), TAGS)
    assert (inbound.last_message_direction, inbound.needs_reply) == ("inbound", True)
    assert inbound.creator.handle == "@mia" and inbound.creator.channel_url == "https://x.com/mia"
    assert [label.name for label in inbound.labels] == ["VIP"] and inbound.coop_status.code == "open"  # type: ignore[union-attr]
    ours_last = {"id": "xm3", "content": "yo", "createdAt": "2026-11-19T11:00:00Z", "authorId": "xa1"}
    ours = summary_of(_thread(lastMessage=ours_last))
    assert (ours.last_message_direction, ours.needs_reply) == ("outbound", False)
    teammate = {"id": "xm4", "content": "yo", "createdAt": "2026-11-19T11:00:00Z", "authorId": "xa9", "userId": "xi1"}
    assert summary_of(_thread(lastMessage=teammate)).last_message_direction == "outbound"  # an Inbox user wrote it
    done = summary_of(_thread(done=True))
    assert done.last_message_direction == "inbound" and not done.needs_reply
    assert done.coop_status is not None and done.coop_status.code == "done"
    empty = summary_of(_thread(lastMessage=None, lastMessageTimestamp=None))
    assert not empty.needs_reply and empty.pending_reason == "no messages yet"
    assert empty.last_message_at.isoformat().startswith("2026-11-19")  # computedSortTimestamp


def test_a_prospect_not_imported_yet_has_no_id_and_its_legacy_author_is_them() -> None:
    prospect = {"platformId": "555", "externalId": None, "username": "mia", "displayName": "Mia C"}
    last = {"id": "xm2", "content": "hello?", "createdAt": "2026-11-19T10:00:00Z", "authorId": "555"}
    summary = summary_of(_thread(prospect=prospect, lastMessage=last))
    assert summary.creator.creator_id == "" and summary.creator.handle == "@mia"
    assert summary.needs_reply and summary.labels == []


def test_detail_orders_messages_and_drops_duplicates() -> None:
    def message(mid: str, at: str, author: str, user: str | None = None) -> InboxMessage:
        return InboxMessage.model_validate(
            {"id": mid, "createdAt": at, "authorId": author, "content": mid, "userId": user}
        )

    later, earlier = "2026-11-19T10:00:00Z", "2026-11-18T10:00:00Z"
    msgs = [message("b", later, "xp1"), message("a", earlier, "xa1", "xi1"), message("b", later, "xp1")]
    detail = thread_of(_thread(), msgs, TAGS)
    assert [m.message_id for m in detail.messages] == ["a", "b"]
    assert [m.direction for m in detail.messages] == ["outbound", "inbound"]
    assert detail.messages[0].sender.name == "Maya" and detail.message_count == 2 and detail.needs_reply
