"""Payloads shaped exactly like the vendor's v1 document → what the rep sees; requests → the document.

A fake server (``httpx.MockTransport``) answers with payloads built from the transcribed schemas
(``inbox_spec.sample``): nullable fields null, optional ones absent, fields the document lacks
present (a newer server). Every request the provider makes on the way is checked against the
document's operations: path, query keys in its bracket notation, body keys, no headers it does
not define.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from noxtui.domain.errors import (
    AuthError,
    ConflictError,
    NotFoundError,
    PlanError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
)
from noxtui.domain.models import CoopStatus, ThreadQuery
from noxtui.providers.inbox.errors import OutboundAddonRequiredError
from noxtui.providers.inbox.provider import InboxProvider
from noxtui.providers.inbox.readback import SendOutcomeUnknownError
from tests.contract.inbox_spec import Recorder, problems, sample

BASE = "https://inbox.test/api/v1"
BASE_PATH = "/api/v1"
Handler = Callable[[httpx.Request], httpx.Response]


def tag(tag_id: str, name: str) -> dict[str, Any]:
    return sample("Tag", extras=True, overrides={"id": tag_id, "name": name, "color": "#f5a623"})


def thread(thread_id: str, *, external_id: str | None, minimal: bool, **fields: Any) -> dict[str, Any]:
    overrides = {
        "id": thread_id,
        "accountLinkId": "link1",
        "done": False,
        "prospect.externalId": external_id,
        "prospect.platformId": "1400000123",
        "prospect.username": "miachen",
        "prospect.handle": "@miachen",
        "prospect.displayName": "Mia Chen",
        **fields,
    }
    return sample("Thread", minimal=minimal, extras=True, overrides=overrides)


def last_message(author: str, content: str, **fields: Any) -> dict[str, Any]:
    return sample(
        "LastMessage", minimal=True, extras=True, overrides={"authorId": author, "content": content, **fields}
    )


def message(message_id: str, author: str, content: str, at: str, **fields: Any) -> dict[str, Any]:
    overrides = {"id": message_id, "authorId": author, "content": content, "createdAt": at, "threadId": "t2", **fields}
    return sample("Message", minimal=True, extras=True, overrides=overrides)


UNIMPORTED = thread("t1", external_id=None, minimal=True)  # lastMessage null, context.tags []
TALKING = thread(
    "t2",
    external_id="p1",
    minimal=False,
    assigneeId="mem1",
    lastMessage=last_message("p1", "What's the budget?"),
    **{"prospect.context": {"tags": ["tag1", "gone1"], "statusId": None, "valuation": None, "notes": None}},
)
MESSAGES = [
    message("m1", "link1", "Hi Mia! Open to a collab?", "2026-11-18T09:00:00.000Z", userId="usr1", origin="internal"),
    message("m2", "p1", "What's the budget?", "2026-11-18T10:00:00.000Z", origin="external"),
]


def catalogue_routes() -> dict[tuple[str, str], Any]:
    member = sample(
        "Member", minimal=True, extras=True, overrides={"id": "mem1", "userId": "usr1", "email": "maya@x.test"}
    )
    named = sample("Member", extras=True, overrides={"id": "mem2", "userId": "usr2", "name": "Theo Park"})
    link = sample("AccountLink", extras=True, overrides={"id": "link1", "name": "Glowbrook", "status": "offline"})
    return {
        ("GET", "/tags"): [tag("tag1", "VIP"), tag("tag2", "Paid")],
        ("GET", "/members"): [member, named],
        ("GET", "/account-links"): [link],
        ("GET", "/team"): sample("Team", minimal=True, extras=True, overrides={"id": "team1", "name": "Glowbrook"}),
    }


def serve(routes: dict[tuple[str, str], Any]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(BASE_PATH)
        answer = routes.get((request.method, path))
        if answer is None:
            return httpx.Response(404, json={"code": "threadNotFound", "message": "No such thread", "details": None})
        if callable(answer):
            return answer(request)
        return httpx.Response(200, json=answer)

    return handler


def standard_routes() -> dict[tuple[str, str], Any]:
    routes = catalogue_routes()
    routes[("GET", "/threads")] = {"threads": [UNIMPORTED, TALKING], "nextCursor": None, "futureField": 1}
    routes[("GET", "/threads/t2")] = TALKING
    routes[("GET", "/threads/t1")] = UNIMPORTED
    page = {"teamId": "team1", "threadId": "t2", "messages": MESSAGES, "nextCursor": None, "isSyncing": False}
    routes[("GET", "/threads/t2/messages")] = page
    routes[("GET", "/threads/t1/messages")] = {**page, "threadId": "t1", "messages": []}
    return routes


@pytest.fixture
def wire() -> Recorder:
    return Recorder(serve(standard_routes()))


def provider(transport: httpx.AsyncBaseTransport, **kw: Any) -> InboxProvider:
    options: dict[str, Any] = {"backoff": 0.0, "max_retry_after": 0.5, **kw}
    return InboxProvider(BASE, "token-1", transport=transport, **options)


def test_the_payloads_fed_here_are_shaped_like_the_document() -> None:
    assert problems(UNIMPORTED, {"$ref": "Thread"}) == []
    assert problems(TALKING, {"$ref": "Thread"}) == []
    assert UNIMPORTED["lastMessage"] is None and UNIMPORTED["prospect"]["externalId"] is None
    assert "bio" in UNIMPORTED["prospect"] and UNIMPORTED["prospect"]["bio"] is None
    assert all(problems(m, {"$ref": "Message"}) == [] for m in MESSAGES)
    assert "futureField" in TALKING and "futureField" in MESSAGES[0]


async def test_list_rows_are_what_the_rep_should_see(wire: Recorder) -> None:
    inbox = provider(wire)
    try:
        page = await inbox.list_threads(ThreadQuery(coop_status="open"), page=1, page_size=20)
    finally:
        await inbox.aclose()
    rows = {row.thread_id: row for row in page.threads}
    fresh, talking = rows["t1"], rows["t2"]
    assert (fresh.creator.name, fresh.creator.handle, fresh.creator.creator_id) == ("Mia Chen", "@miachen", "")
    assert fresh.pending_reason == "no messages yet" and not fresh.needs_reply
    assert fresh.last_message_direction == "outbound" and fresh.labels == []
    assert talking.needs_reply and talking.last_message_direction == "inbound"
    assert talking.snippet == "What's the budget?" and talking.creator.creator_id == "p1"
    assert [label.name for label in talking.labels] == ["VIP", "gone1"]  # an id /tags lacks is shown as itself
    assert talking.owner_uid == "mem1" and talking.coop_status is not None and talking.coop_status.code == "open"
    assert wire.problems(BASE_PATH) == []


async def test_the_detail_names_both_sides(wire: Recorder) -> None:
    inbox = provider(wire)
    try:
        detail = await inbox.get_thread("t2")
    finally:
        await inbox.aclose()
    ours, theirs = detail.messages
    assert (ours.direction, ours.sender.name) == ("outbound", "maya@x.test")  # member name null: the email
    assert (theirs.direction, theirs.sender.address) == ("inbound", "@miachen")
    assert detail.needs_reply and detail.message_count == 2
    assert wire.problems(BASE_PATH) == []


async def test_catalogues_and_the_token_check(wire: Recorder) -> None:
    inbox = provider(wire)
    try:
        assert [(t.label_id, t.name) for t in await inbox.labels()] == [("tag1", "VIP"), ("tag2", "Paid")]
        assert [(m.user_uid, m.name) for m in await inbox.team_members()] == [
            ("mem1", "maya@x.test"),
            ("mem2", "Theo Park"),
        ]
        status = await inbox.auth_status()
        assert status.user is not None and status.user.team == "Glowbrook"
    finally:
        await inbox.aclose()
    assert wire.problems(BASE_PATH) == []
    assert {r.url.path for r in wire.requests} >= {f"{BASE_PATH}/members", f"{BASE_PATH}/team"}


async def test_filters_are_the_documents_deep_object(wire: Recorder) -> None:
    inbox = provider(wire)
    query = ThreadQuery(label_id="tag1", creator_uids=("mem1",), coop_status="open")
    try:
        await inbox.list_threads(query, page=1, page_size=20)
    finally:
        await inbox.aclose()
    lists = [r for r in wire.requests if r.url.path == f"{BASE_PATH}/threads"]
    assert {r.url.params["inbox"] for r in lists} == {"default", "requests"}
    for request in lists:
        assert request.url.params.get_list("filters[tags][selectedIds][]") == ["tag1"]
        assert request.url.params.get_list("filters[assignees][selectedIds][]") == ["mem1"]
        assert request.url.params["filters[sortOrder]"] == "desc" and "sort" not in request.url.params
    assert wire.problems(BASE_PATH) == []


async def test_prospect_writes_use_external_id_or_say_why_not(wire: Recorder) -> None:
    context = {"tags": ["tag1", "tag2"], "statusId": None, "valuation": None, "notes": None}
    answer = sample("Prospect", overrides={"externalId": "p1"}) | {"context": context}
    wire.inner = httpx.MockTransport(serve({**standard_routes(), ("PATCH", "/prospects/p1/context"): answer}))
    inbox = provider(wire)
    try:
        fresh, talking = await inbox.get_thread("t1"), await inbox.get_thread("t2")
        catalogue = await inbox.labels()
        with pytest.raises(PlanError) as refused:
            inbox.plan_labels(fresh, ["tag1"], catalogue)
        assert "not imported into Inbox yet" in refused.value.what
        plan = inbox.plan_labels(talking, ["tag1", "tag2"], catalogue)
        assert (plan.method, plan.path) == ("PATCH", "/prospects/p1/context")
        assert plan.body == {"addTags": ["tag2"], "removeTags": ["gone1"]}
        await inbox.execute(plan)
    finally:
        await inbox.aclose()
    assert wire.problems(BASE_PATH) == []


# --- sends are never repeated blindly -------------------------------------------------------------


def sending(failures: list[Handler], *, lands: bool) -> Recorder:
    """A server whose POSTs fail with ``failures`` in turn, then succeed; ``lands``: a failed one was delivered."""
    routes = standard_routes()
    delivered: list[dict[str, Any]] = []

    def post(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent = message(f"m{9 + len(delivered)}", "link1", body["content"], "2026-11-19T10:00:00.000Z", origin="api")
        if not failures:
            delivered.append(sent)
            return httpx.Response(200, json=sent)
        if lands:
            delivered.append(sent)
        return failures.pop(0)(request)

    def thread_now(request: httpx.Request) -> httpx.Response:
        newest = delivered[-1] if delivered else None
        lm = last_message("link1", newest["content"], id=newest["id"]) if newest else TALKING["lastMessage"]
        return httpx.Response(200, json={**TALKING, "lastMessage": lm})

    def messages_now(request: httpx.Request) -> httpx.Response:
        page = {"teamId": "team1", "threadId": "t2", "messages": MESSAGES + delivered, "nextCursor": None}
        return httpx.Response(200, json={**page, "isSyncing": False})

    routes[("POST", "/threads/t2/messages")] = post
    routes[("GET", "/threads/t2")] = thread_now
    routes[("GET", "/threads/t2/messages")] = messages_now
    return Recorder(serve(routes))


def unconfirmed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(502, json={"code": "sendUnconfirmed", "message": "X did not confirm", "details": None})


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("read timed out", request=request)


def posts(wire: Recorder) -> int:
    return sum(r.method == "POST" for r in wire.requests)


@pytest.mark.parametrize("failure", [unconfirmed, timeout], ids=["502 sendUnconfirmed", "timeout"])
async def test_an_unconfirmed_send_that_landed_is_read_back_not_resent(failure: Handler) -> None:
    wire = sending([failure], lands=True)
    inbox = provider(wire)
    try:
        plan = inbox.plan_send(await inbox.get_thread("t2"), "Budget is $400.", None)
        result = await inbox.execute(plan)
        again = await inbox.execute(plan)  # confirmed twice: the first answer, no second DM
    finally:
        await inbox.aclose()
    assert result.data["content"] == "Budget is $400." and again.data == result.data
    assert posts(wire) == 1
    assert wire.problems(BASE_PATH) == []


@pytest.mark.parametrize("failure", [unconfirmed, timeout], ids=["502 sendUnconfirmed", "timeout"])
async def test_an_unconfirmed_send_not_in_the_thread_is_outcome_unknown(failure: Handler) -> None:
    wire = sending([failure], lands=False)
    inbox = provider(wire)
    try:
        plan = inbox.plan_send(await inbox.get_thread("t2"), "Budget is $400.", None)
        with pytest.raises(SendOutcomeUnknownError) as caught:
            await inbox.execute(plan)
        assert caught.value.message.startswith("Outcome unknown — check before resending")
        assert isinstance(caught.value, TransportError) and "nothing was resent" in caught.value.what
        assert posts(wire) == 1, "no automatic resend"
        reads_before = len(wire.requests)
        result = await inbox.execute(plan)  # the rep checked and confirms again: re-read first, then send
        assert any(r.method == "GET" for r in wire.requests[reads_before:])
    finally:
        await inbox.aclose()
    assert posts(wire) == 2 and result.data["content"] == "Budget is $400."


async def test_a_refused_send_is_not_read_back_and_reads_as_the_add_on() -> None:
    def plan_required(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"code": "planRequired", "message": "Outbound Messages add-on required"})

    wire = sending([plan_required], lands=False)
    inbox = provider(wire)
    try:
        plan = inbox.plan_send(await inbox.get_thread("t2"), "Hi", None)
        before = len(wire.requests)
        with pytest.raises(OutboundAddonRequiredError):
            await inbox.execute(plan)
    finally:
        await inbox.aclose()
    assert [r.method for r in wire.requests[before:]] == ["POST"]


# --- errors as the v2 SDK documents them ----------------------------------------------------------


def failing(status: int, body: Any, headers: dict[str, str] | None = None) -> Recorder:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, bytes):
            return httpx.Response(status, content=body, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return Recorder(handler)


@pytest.mark.parametrize(
    ("status", "body", "headers", "raised", "code"),
    [
        (
            429,
            {"code": "rateLimited", "message": "Slow down", "details": {"retryAfterSeconds": 7}},
            None,
            RateLimitedError,
            "rateLimited",
        ),
        (
            429,
            {"code": "rateLimited", "message": "Slow down", "details": {"retryAfterSeconds": 7}},
            {"Retry-After": "3"},
            RateLimitedError,
            "rateLimited",
        ),
        (
            404,
            {"code": "threadNotFound", "message": "No thread", "details": None, "requestId": "req_1"},
            None,
            NotFoundError,
            "threadNotFound",
        ),
        (
            400,
            {"code": "invalidRequest", "message": "Bad filter", "details": {"fields": {"limit": "1-100"}}},
            None,
            ValidationError,
            "invalidRequest",
        ),
        (401, {"code": "unauthorized", "message": "Bad token", "details": None}, None, AuthError, "unauthorized"),
        (
            422,
            {"code": "someFutureCode", "message": "New rule", "details": None},
            None,
            ValidationError,
            "someFutureCode",
        ),
        (503, b"<html>gateway</html>", None, ServerError, None),
    ],
)
async def test_v2_error_bodies_become_typed_errors(
    status: int, body: Any, headers: dict[str, str] | None, raised: type[Exception], code: str | None
) -> None:
    inbox = provider(failing(status, body, headers), max_retries=0)
    try:
        with pytest.raises(raised) as caught:
            await inbox.labels()
    finally:
        await inbox.aclose()
    error = caught.value
    assert getattr(error, "status", None) == status and getattr(error, "error_code", None) == code
    if isinstance(error, RateLimitedError):
        assert error.retry_after == (3.0 if headers else 7.0)
    if code == "invalidRequest":
        assert error.fields == {"limit": "1-100"}  # type: ignore[attr-defined]
    if code == "threadNotFound":
        assert error.data["requestId"] == "req_1"  # type: ignore[attr-defined]


async def test_an_unknown_code_falls_back_to_the_http_status() -> None:
    reader = provider(Recorder(serve(standard_routes())))
    try:
        talking = await reader.get_thread("t2")
    finally:
        await reader.aclose()
    inbox = provider(failing(409, {"code": "brandNewConflict", "message": "Busy"}), max_retries=0)
    try:
        with pytest.raises(ConflictError) as caught:
            await inbox.execute(inbox.plan_coop(talking, CoopStatus(code="done", name="Done")))
    finally:
        await inbox.aclose()
    assert caught.value.error_code == "brandNewConflict" and caught.value.what == "Busy"


async def test_a_429_without_retry_after_waits_the_bodys_retry_after_seconds() -> None:
    answers = [
        httpx.Response(
            429, json={"code": "rateLimited", "message": "Slow down", "details": {"retryAfterSeconds": 0.2}}
        ),
        httpx.Response(200, json=[tag("tag1", "VIP")]),
    ]
    wire = Recorder(lambda request: answers.pop(0))
    inbox = provider(wire, backoff=5.0, max_retry_after=5.0, max_retries=1)  # the backoff alone waits 2.5-5 s
    try:
        started = time.monotonic()
        labels = await inbox.labels()
        waited = time.monotonic() - started
    finally:
        await inbox.aclose()
    assert [label.name for label in labels] == ["VIP"] and len(wire.requests) == 2
    assert 0.15 <= waited < 1.5
