"""Error envelopes → typed errors a rep can act on, and the token never leaks. No real network:
responses are built in memory or served by ``httpx.MockTransport``."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from noxtui.domain import errors
from noxtui.domain.models import ThreadQuery, WritePlan
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.envelope import decode, parse_retry_after

TOKEN = "tok_SUPERSECRET_1234567890"
BASE = "http://nox.test/v1"


def error_response(status: int, code: str, summary: str = "It broke", **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", {})
    body = {"success": False, "error_code": code, "summary": summary, **extra}
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (401, "UNAUTHENTICATED", errors.AuthError),
        (403, "FORBIDDEN", errors.ForbiddenError),
        (402, "INSUFFICIENT_CREDIT", errors.InsufficientCreditError),
        (404, "NOT_FOUND", errors.NotFoundError),
        (409, "CONFLICT", errors.ConflictError),
        (409, "IDEMPOTENCY_KEY_REUSED", errors.ConflictError),
        (409, "NOTHING_SCHEDULED", errors.ConflictError),
        (422, "VALIDATION_ERROR", errors.ValidationError),
        (429, "RATE_LIMITED", errors.RateLimitedError),
        (502, "UPSTREAM_ERROR", errors.ServerError),
        (503, "UPSTREAM_ERROR", errors.ServerError),
        (500, "INTERNAL", errors.ServerError),
    ],
)
def test_error_codes_map_to_typed_errors(status: int, code: str, cls: type[errors.NoxError]) -> None:
    with pytest.raises(cls) as excinfo:
        decode(error_response(status, code, "Thread th_9 was not found"), write=False)
    error = excinfo.value
    assert type(error) is cls
    assert error.what == "Thread th_9 was not found"
    assert error.status == status and error.error_code == code
    assert error.todo  # the class default when the server gives no hint


def test_unknown_code_falls_back_to_status() -> None:
    with pytest.raises(errors.NotFoundError):
        decode(error_response(404, "SOMETHING_NEW"), write=False)
    with pytest.raises(errors.ServerError):
        decode(error_response(504, "SOMETHING_NEW"), write=False)


def test_hint_becomes_todo_and_url_is_kept() -> None:
    action = {"type": "redirect", "url": "https://nox.example/billing", "hint": "Buy more credits"}
    with pytest.raises(errors.InsufficientCreditError) as excinfo:
        decode(error_response(402, "INSUFFICIENT_CREDIT", "Out of credit", action=action), write=True)
    assert excinfo.value.todo == "Buy more credits"
    assert excinfo.value.hint_url == "https://nox.example/billing"
    assert excinfo.value.message == "Out of credit — Buy more credits"


def test_class_default_todo_without_hint() -> None:
    with pytest.raises(errors.AuthError) as excinfo:
        decode(error_response(401, "UNAUTHENTICATED"), write=False)
    assert excinfo.value.todo == errors.AuthError.default_todo


def test_validation_fields() -> None:
    data = {"fields": {"content": "must not be empty", "sender_auth_id": "unknown sender"}}
    with pytest.raises(errors.ValidationError) as excinfo:
        decode(error_response(422, "VALIDATION_ERROR", "Check the reply", data=data), write=True)
    assert excinfo.value.fields == data["fields"]


@pytest.mark.parametrize(("header", "seconds"), [("3", 3.0), ("0.5", 0.5), ("-4", 0.0)])
def test_retry_after_seconds(header: str, seconds: float) -> None:
    response = error_response(429, "RATE_LIMITED", "Slow down", headers={"Retry-After": header})
    with pytest.raises(errors.RateLimitedError) as excinfo:
        decode(response, write=False)
    assert excinfo.value.retry_after == seconds


def test_retry_after_http_date_and_garbage() -> None:
    from datetime import datetime, timezone

    now = datetime(2025, 6, 1, 8, 0, tzinfo=timezone.utc)
    assert parse_retry_after("Sun, 01 Jun 2025 08:00:10 GMT", now) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_rate_limit_todo_names_the_wait() -> None:
    response = error_response(429, "RATE_LIMITED", "Slow down", headers={"Retry-After": "7"})
    with pytest.raises(errors.RateLimitedError) as excinfo:
        decode(response, write=False)
    assert "7 s" in excinfo.value.todo


HTML = "<!DOCTYPE html><html><head><title>Login</title></head><body>Corporate portal secret-page</body></html>"


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text=HTML, headers={"content-type": "text/html"}),
        httpx.Response(200, text=HTML, headers={"content-type": "application/json"}),
        httpx.Response(404, text=HTML, headers={"content-type": "text/html"}),
        httpx.Response(200, text='{"success": true, "data": [{"thr', headers={"content-type": "application/json"}),
        httpx.Response(200, text="", headers={"content-type": "application/json"}),
        httpx.Response(200, json=[1, 2, 3]),
        httpx.Response(200, json={"hello": "world"}),
        httpx.Response(200, json={"success": True}),
    ],
    ids=["html", "html-as-json", "html-404", "truncated", "empty", "list", "not-envelope", "no-data"],
)
def test_unreadable_bodies_are_protocol_errors_without_the_body(response: httpx.Response) -> None:
    with pytest.raises(errors.ProtocolError) as excinfo:
        decode(response, write=False)
    message = excinfo.value.message
    assert "<" not in message and "secret-page" not in message
    assert not response.text or response.text not in message
    assert f"HTTP {response.status_code}" in message


def test_unreadable_success_on_a_write_says_it_may_have_been_applied() -> None:
    with pytest.raises(errors.ProtocolError) as excinfo:
        decode(httpx.Response(200, text='{"success": tr'), write=True)
    assert "may have been applied" in excinfo.value.todo


def test_gateway_html_on_502_is_a_server_error() -> None:
    with pytest.raises(errors.ServerError) as excinfo:
        decode(httpx.Response(502, text=HTML, headers={"content-type": "text/html"}), write=False)
    assert "<" not in excinfo.value.message


def test_redirect_is_not_followed_and_says_check_the_base_url() -> None:
    response = httpx.Response(301, headers={"location": "https://elsewhere.example/v1/"})
    with pytest.raises(errors.ProtocolError) as excinfo:
        decode(response, write=False)
    assert "redirected" in excinfo.value.what and "base URL" in excinfo.value.todo


def test_success_envelope_decodes() -> None:
    body = {"success": True, "data": {"a": 1}, "summary": "ok", "meta": {"total": 3}}
    env = decode(httpx.Response(200, json=body), write=False)
    assert env.data == {"a": 1} and env.summary == "ok" and env.meta.total == 3


# --- the token ----------------------------------------------------------------------------------


def client_for(handler: Any, **kw: Any) -> NoxClient:
    return NoxClient(BASE, TOKEN, transport=httpx.MockTransport(handler), backoff=0.0, **kw)


def assert_no_token(error: BaseException) -> None:
    assert TOKEN not in str(error)
    assert TOKEN not in repr(error)
    assert all(TOKEN not in str(arg) for arg in error.args)
    if isinstance(error, errors.NoxError):
        assert TOKEN not in error.what and TOKEN not in error.todo and TOKEN not in str(error.fields)


def test_client_repr_has_no_token() -> None:
    client = NoxClient(BASE, TOKEN)
    assert TOKEN not in repr(client) and TOKEN not in str(client)
    assert "nox.test" in repr(client)


@pytest.mark.parametrize("bad", ["", "   ", "abc\r\nX-Evil: 1", "abc\x00def"])
def test_malformed_token_refused_without_echo(bad: str) -> None:
    with pytest.raises(errors.AuthError) as excinfo:
        NoxClient(BASE, bad)
    assert "X-Evil" not in excinfo.value.message


async def test_token_surrounding_whitespace_is_trimmed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(200, json={"success": True, "data": {"authenticated": True}})

    async with NoxClient(BASE, f"  {TOKEN}\n", transport=httpx.MockTransport(handler)) as client:
        await client.auth_status()
    assert seen == [f"Bearer {TOKEN}"]


async def test_bearer_header_is_sent() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        return httpx.Response(200, json={"success": True, "data": {"authenticated": True}})

    async with client_for(handler) as client:
        status = await client.auth_status()
    assert status.authenticated and seen == [f"Bearer {TOKEN}"]


async def test_server_echoing_the_token_is_scrubbed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        echoed = request.headers["authorization"]
        return httpx.Response(
            401,
            json={
                "success": False,
                "error_code": "UNAUTHENTICATED",
                "summary": f"Token {echoed} is expired",
                "action": {"hint": f"Replace {TOKEN}"},
                "data": {"fields": {"token": TOKEN}},
            },
        )

    async with client_for(handler) as client:
        with pytest.raises(errors.AuthError) as excinfo:
            await client.auth_status()
    assert_no_token(excinfo.value)
    assert "expired" in excinfo.value.what


async def test_transport_error_and_logs_have_no_token(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    caplog.set_level(logging.DEBUG)
    async with client_for(handler, max_retries=2) as client:
        with pytest.raises(errors.TransportError) as excinfo:
            await client.list_threads(ThreadQuery())
    assert_no_token(excinfo.value)
    assert "not sent" in excinfo.value.what and "3 attempts" in excinfo.value.what
    assert caplog.records, "each attempt is logged"
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert "authorization" not in record.getMessage().lower()
    assert all(r.name == "noxtui.api" for r in caplog.records if "attempt" in r.getMessage())


async def test_read_fault_on_a_write_says_it_may_have_reached_the_server() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("peer closed", request=request)

    async with client_for(handler, max_retries=0) as client:
        with pytest.raises(errors.TransportError) as excinfo:
            await client.send("th_1", "Hi", "sa_1")
    assert "may have reached" in excinfo.value.what
    assert "reload" in excinfo.value.todo
    assert_no_token(excinfo.value)


# --- refused before the network -----------------------------------------------------------------


@pytest.mark.parametrize("bad", ["..", ".", "", "a/b", "x?y", "a b", "é"])
async def test_invalid_ids_never_reach_the_network(bad: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"success": True, "data": {}})

    async with client_for(handler) as client:
        with pytest.raises(errors.ValidationError):
            await client.get_thread(bad)
        with pytest.raises(errors.PlanError):
            await client.send(bad, "Hi", "sa_1")
    assert calls == []


@pytest.mark.parametrize(
    "path",
    ["https://evil.example/steal", "//evil.example/x", "/messages/threads/../../admin", "/a/%2e%2e/b", "relative"],
)
async def test_execute_refuses_paths_we_could_not_have_built(path: str) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"success": True, "data": {}})

    plan = WritePlan(kind="send", method="POST", path=path, body={}, summary="x", idempotency_key="k")
    async with client_for(handler) as client:
        with pytest.raises(errors.PlanError):
            await client.execute(plan)
    assert calls == []


async def test_bad_paging_refused_locally() -> None:
    async with client_for(lambda r: httpx.Response(500)) as client:
        with pytest.raises(errors.ValidationError):
            await client.list_threads(ThreadQuery(), page=0)
        with pytest.raises(errors.ValidationError):
            await client.labels(page_size=101)
