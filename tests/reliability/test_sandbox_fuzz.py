"""The sandbox answers 4xx, never 500, to bad input — on every route, with nothing half-written.

The audit's 61 server errors came from seven causes; each has its own case below, and a hypothesis
test throws generated hostile requests (``bench.fuzz_requests``) at every route the Starlette app
declares, so a route added later is covered without being listed. Every answer must be JSON and an
envelope (a refusal an error envelope; a Nox success a success envelope), and a refused write must
leave the database exactly as it was (``PRAGMA data_version`` does not move).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz_requests import (
    INBOX_PREFIX,
    DataVersion,
    FuzzRequest,
    RouteSpec,
    generate,
    judge,
    route_table,
    send,
    settle,
)
from bench.fuzz_values import FIVE_THOUSAND_DIGITS, TWENTY_DIGITS
from noxtui.sandbox import SandboxServer, create_app
from tests.reliability.support import SECRET_TOKEN, SENDER
from tests.sandbox_support import SANDBOX_NOW

pytestmark = pytest.mark.reliability

T = TypeVar("T")
NOW = SANDBOX_NOW.isoformat()


@pytest.fixture(scope="module")
def client(shared_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SECRET_TOKEN}"}
    with httpx.Client(base_url=shared_sandbox.root_url, headers=headers, timeout=30.0) as http:
        settle(http, NOW)
        yield http


@pytest.fixture(scope="module")
def versions(shared_sandbox: SandboxServer) -> Iterator[DataVersion]:
    watcher = DataVersion(shared_sandbox.db_path)
    yield watcher
    watcher.close()


@pytest.fixture(scope="module")
def routes(shared_sandbox: SandboxServer) -> list[RouteSpec]:
    return route_table(create_app(shared_sandbox.store))


def raw(
    client: httpx.Client, versions: DataVersion, method: str, path: str, body: bytes | None = None, query: str = ""
) -> tuple[httpx.Response, bool]:
    """Send bytes exactly as given (no client-side encoding); (answer, did the database change)."""
    before = versions.read()
    headers = {"Idempotency-Key": "k-" + str(versions.read()) + path[-8:] + str(hash(body))}
    if body is not None:
        headers["Content-Type"] = "application/json"
    url = path + (f"?{query}" if query else "")
    response = client.request(method, url, content=body, headers=headers)
    return response, versions.read() != before


def assert_refused(
    response: httpx.Response, wrote: bool, *, status: int | tuple[int, ...] = (404, 422)
) -> dict[str, Any]:
    """A refusal in the route's own error body; Inbox routes answer 400 where Nox answers 422."""
    statuses = (status,) if isinstance(status, int) else status
    inbox = response.request.url.path.startswith(INBOX_PREFIX)
    if inbox and 422 in statuses:
        statuses = (*statuses, 400)
    assert response.status_code in statuses, f"{response.status_code}: {response.text[:300]}"
    payload = response.json()
    if inbox and "code" in payload:
        assert payload["code"] and payload["message"], payload
    else:
        assert payload["success"] is False and payload["error_code"] and payload["summary"], payload
    assert not wrote, "a refused request changed the database"
    result: dict[str, Any] = payload
    return result


# --- the routes are the app's ----------------------------------------------------------------------


def test_every_route_of_both_vendors_is_fuzzed(routes: list[RouteSpec]) -> None:
    templates = {(r.method, r.template) for r in routes}
    assert ("POST", "/v1/messages/threads/{thread_id}/send") in templates
    assert ("POST", INBOX_PREFIX + "/threads/{thread_id}/messages") in templates
    assert ("PATCH", INBOX_PREFIX + "/prospects/{prospect_id}/context") in templates
    assert ("POST", "/_sandbox/clock") in templates
    assert len(routes) >= 40


# --- the seven causes, one by one --------------------------------------------------------------------

ID_ROUTES = [
    ("GET", "/v1/messages/threads/th_{n}"),
    ("PUT", "/v1/messages/threads/th_{n}/draft"),
    ("POST", "/v1/messages/threads/th_{n}/archive"),
    ("GET", "/v1/email/tasks/et_{n}/report"),
    ("GET", "/v1/crm/channels/cr_{n}"),
    ("POST", "/v1/messages/templates/tp_{n}/use"),
    ("POST", "/_sandbox/threads/th_{n}/inbound"),
    ("GET", INBOX_PREFIX + "/threads/xt{n}"),
    ("GET", INBOX_PREFIX + "/threads/xt{n}/messages"),
    ("PATCH", INBOX_PREFIX + "/prospects/xp{n}/context"),
]


@pytest.mark.parametrize("digits", [TWENTY_DIGITS, FIVE_THOUSAND_DIGITS], ids=["20-digits", "5000-digits"])
@pytest.mark.parametrize(("method", "template"), ID_ROUTES)
def test_ids_of_20_and_5000_digits_name_nothing(
    client: httpx.Client, versions: DataVersion, method: str, template: str, digits: str
) -> None:
    body = None if method == "GET" else json.dumps({"body": "x", "thread_id": "th_000001"}).encode()
    response, wrote = raw(client, versions, method, template.format(n=digits), body)
    assert_refused(response, wrote)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/v1/messages/threads", "page=" + TWENTY_DIGITS),
        ("/v1/messages/threads", "page=" + FIVE_THOUSAND_DIGITS),
        ("/v1/messages/threads", "page_size=%D9%A1%D9%A2"),
        ("/v1/messages/labels", "page=" + TWENTY_DIGITS),
        ("/v1/messages/labels", "keyword=%00"),
        (INBOX_PREFIX + "/threads", "limit=" + TWENTY_DIGITS),
        (INBOX_PREFIX + "/threads", "cursorId=xt000001&cursorTimestamp=%C2%B2"),  # "²".isdigit() is True
        (INBOX_PREFIX + "/threads", "cursorId=xt000001&cursorTimestamp=%D9%A1%D9%A2%D9%A3"),
        (INBOX_PREFIX + "/threads", "cursorId=xt000001&cursorTimestamp=" + TWENTY_DIGITS),
        (INBOX_PREFIX + "/threads", "cursorId=xt" + TWENTY_DIGITS + "&cursorTimestamp=1"),
        ("/v1/messages/threads", "keyword=a%00b"),
        ("/v1/messages/threads", "updated_since=9999-12-31T23:59:59-14:00"),
        (INBOX_PREFIX + "/threads", "cursorId=xt000001&cursorTimestamp=9999-12-31T23:00:00-05:00"),
        (INBOX_PREFIX + "/threads", "cursor%5Bid%5D=xt000001&cursor%5Btimestamp%5D=%C2%B2"),
        (INBOX_PREFIX + "/threads", "cursor%5Bid%5D=xt000001&cursor%5Btimestamp%5D=%D9%A1%D9%A2%D9%A3"),
        (INBOX_PREFIX + "/threads", "cursor%5Bid%5D=xt000001&cursor%5Btimestamp%5D=" + TWENTY_DIGITS),
        (INBOX_PREFIX + "/threads", "cursor%5Bid%5D=xt" + TWENTY_DIGITS + "&cursor%5Btimestamp%5D=1"),
        (INBOX_PREFIX + "/threads", "cursor%5Bid%5D=xt000001&cursor%5Btimestamp%5D=%20"),
        (INBOX_PREFIX + "/threads", "cursorId=xt000001&cursorTimestamp=%20%20"),
    ],
)
def test_bad_pages_cursors_and_keywords_are_422(
    client: httpx.Client, versions: DataVersion, path: str, query: str
) -> None:
    response, wrote = raw(client, versions, "GET", path, query=query)
    assert_refused(response, wrote, status=422)


NOX_SEND = "/v1/messages/threads/th_000002/send"
INBOX_SEND = INBOX_PREFIX + "/threads/xt000002/messages"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (NOX_SEND, b'{"content":' + FIVE_THOUSAND_DIGITS.encode() + b',"sender_auth_id":"sa_maya"}'),
        (NOX_SEND, b'{"content":"hi","sender_auth_id":"sa_maya","attachment_ids":["att_' + b"9" * 30 + b'"]}'),
        (NOX_SEND, b"[" * 100_000 + b"]" * 100_000),
        (NOX_SEND, b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        (NOX_SEND, b'{"content":' + b"[" * 40 + b"]" * 40 + b"}"),
        (NOX_SEND, b'{"content":"hi \\ud800","sender_auth_id":"sa_maya"}'),
        (NOX_SEND, b'{"content":"hi \\u0000 there","sender_auth_id":"sa_maya"}'),
        (NOX_SEND, b'{"content":"hi","sender_auth_id":"sa_maya","x":NaN}'),
        ("/v1/messages/threads/th_000002/draft", b'{"body":"\\udfff"}'),
        ("/v1/crm/channels/cr_000001", b'{"notes":"\\ud800"}'),
        (INBOX_SEND, b'{"content":"hi \\ud800"}'),
        (INBOX_SEND, b'{"content":"hi","replyToMessageId":"xm' + TWENTY_DIGITS.encode() + b'"}'),
        (INBOX_PREFIX + "/prospects/xp000001/context", b'{"addTags":["xg' + TWENTY_DIGITS.encode() + b'"]}'),
        (INBOX_PREFIX + "/prospects/xp000001/context", b'{"notes":' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ],
    ids=lambda v: v if isinstance(v, str) else v[:40].decode("utf-8", "replace"),
)
def test_hostile_bodies_are_422_and_write_nothing(
    client: httpx.Client, versions: DataVersion, path: str, body: bytes
) -> None:
    method = (
        "PATCH" if path.startswith(("/v1/crm", INBOX_PREFIX + "/prospects")) else "PUT" if "draft" in path else "POST"
    )
    response, wrote = raw(client, versions, method, path, body)
    assert_refused(response, wrote, status=422 if path.startswith("/v1") else (404, 422))


@pytest.mark.parametrize(
    "when",
    [
        "9999-12-31T23:00:00-05:00",  # past the year 9999 in UTC
        "9999-12-31T23:59:59.999999Z",  # rounds to the year 10000 in milliseconds
        "9999-12-31T23:59:59.9999995Z",
        "10000-01-01T00:00:00Z",
    ],
)
def test_send_times_past_the_year_9999_are_422(client: httpx.Client, versions: DataVersion, when: str) -> None:
    body = json.dumps({"content": "Later", "sender_auth_id": SENDER, "plan_send_at": when}).encode()
    response, wrote = raw(client, versions, "POST", "/v1/messages/threads/th_000003/schedule", body)
    assert "plan_send_at" in assert_refused(response, wrote, status=422)["data"]["fields"]


@pytest.mark.parametrize(
    "body",
    [
        {"now": "9999-12-31T23:59:59-14:00"},
        {"now": ""},
        {"now": " "},
        {"advance_seconds": 1e20},
        {"advance_seconds": 300_000_000_000},
    ],
)
def test_the_clock_cannot_be_moved_out_of_range(client: httpx.Client, body: dict[str, Any]) -> None:
    response = client.post("/_sandbox/clock", json=body)
    assert response.status_code == 422, response.text
    assert client.get("/_sandbox/clock").status_code == 200, "the clock still answers"


def test_a_short_request_cannot_render_a_template_past_the_text_cap(
    client: httpx.Client, versions: DataVersion
) -> None:
    template = {"name": "Rates", "language": "en", "body": "{{fee}}" * 14_000}
    created = client.post("/v1/messages/templates", json=template, headers={"Idempotency-Key": "fuzz-template"})
    assert created.status_code == 201, created.text
    template_id = created.json()["data"]["template_id"]
    before = client.get("/v1/messages/threads/th_000005").json()["data"]["composer"]["draft_body"]
    body = json.dumps({"thread_id": "th_000005", "variables": {"fee": "x" * 400}}).encode()
    assert len(body) < 500
    response, wrote = raw(client, versions, "POST", f"/v1/messages/templates/{template_id}/use", body)
    assert "variables" in assert_refused(response, wrote, status=422)["data"]["fields"]
    after = client.get("/v1/messages/threads/th_000005").json()["data"]["composer"]["draft_body"]
    assert after == before


def test_an_unknown_path_with_a_slash_is_a_404_envelope_not_a_redirect(client: httpx.Client) -> None:
    for path in ("/v1/messages/threads/", INBOX_PREFIX + "/threads/", "/_sandbox/clock/"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error_code"] == "NOT_FOUND", path


# --- generated: every route, any hostile input ---------------------------------------------------------


class DrawPicker:
    """The generator's choices as hypothesis draws, so a failure shrinks to its smallest request."""

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def choice(self, options: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_generated_bad_input_on_every_route_is_never_a_500(
    data: st.DataObject, client: httpx.Client, versions: DataVersion, routes: list[RouteSpec]
) -> None:
    request: FuzzRequest = generate(DrawPicker(data), routes)
    verdict = send(client, request, versions, reset_now=NOW)
    assert not verdict.problems, f"{verdict.problems}: {request.describe()}"


def test_the_verdict_catches_a_500_and_a_bare_answer() -> None:
    """The oracle itself: a 500, a non-JSON answer and a refusal that wrote are all reported."""
    route = RouteSpec("POST", "/v1/messages/threads/{thread_id}/send", ("thread_id",))
    request = FuzzRequest(route, "/v1/messages/threads/th_000001/send", "", b"{}")
    envelope = {"success": False, "error_code": "INTERNAL", "summary": "x"}
    assert judge(request, httpx.Response(500, json=envelope), False).problems
    assert judge(request, httpx.Response(422, text="Bad Request"), False).problems
    assert judge(request, httpx.Response(422, json=envelope), True).problems
    assert not judge(request, httpx.Response(422, json=envelope), False).problems
