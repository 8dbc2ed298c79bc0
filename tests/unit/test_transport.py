"""The shared HTTP transport: the retry policy per operation, the key kept across attempts, secrets, TLS."""

from __future__ import annotations

import ssl
from collections.abc import Callable

import httpx
import pytest

from noxtui.api.transport import HttpTransport, Retry
from noxtui.domain.errors import NoxError, ServerError, TransportError

BASE = "https://api.test/v1"
TOKEN = "tok_transport_SECRET_42"

Handler = Callable[[httpx.Request], httpx.Response]


def transport_for(handler: Handler, **kw: object) -> HttpTransport:
    options: dict[str, object] = {"backoff": 0.0, "max_retries": 2, **kw}
    return HttpTransport(BASE, TOKEN, transport=httpx.MockTransport(handler), **options)  # type: ignore[arg-type]


def status_of(response: httpx.Response, write: bool) -> int:
    if response.status_code >= 500:
        raise ServerError(f"HTTP {response.status_code}", status=response.status_code)
    return response.status_code


class Script:
    """Answers (or faults) in order, recording each request's Idempotency-Key."""

    def __init__(self, *steps: int | type[Exception]) -> None:
        self.steps = list(steps)
        self.keys: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.keys.append(request.headers.get("idempotency-key"))
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, int):
            return httpx.Response(step, headers={"Retry-After": "0"} if step == 429 else {})
        raise step("fault", request=request)


async def test_a_read_is_retried_on_gateway_answers_and_sends_no_key() -> None:
    script = Script(503, 502, 200)
    async with transport_for(script) as http:
        assert await http.request("GET", "/x", status_of) == 200
    assert script.keys == [None, None, None]


async def test_an_idempotent_write_is_retried_under_one_key() -> None:
    script = Script(httpx.ReadError, 503, 200)
    async with transport_for(script) as http:
        assert await http.request("POST", "/x", status_of, retry=Retry.IDEMPOTENT_WRITE, idempotency_key="k1") == 200
    assert script.keys == ["k1", "k1", "k1"]


async def test_a_write_without_a_key_gets_one_minted_and_kept() -> None:
    script = Script(httpx.ReadTimeout, 200)
    async with transport_for(script) as http:
        await http.request("PUT", "/x", status_of, retry=Retry.IDEMPOTENT_WRITE)
    assert script.keys[0] and script.keys == [script.keys[0]] * 2


@pytest.mark.parametrize("fault", [httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_an_unsent_only_write_that_may_have_landed_is_not_repeated(fault: type[Exception]) -> None:
    script = Script(fault, 200)
    async with transport_for(script) as http:
        with pytest.raises(TransportError) as caught:
            await http.request("POST", "/x", status_of, retry=Retry.UNSENT_ONLY, idempotency_key="k1")
    assert len(script.keys) == 1
    assert caught.value.may_have_reached and "may have reached" in caught.value.what


async def test_an_unsent_only_write_is_repeated_when_it_never_left() -> None:
    refused = Script(httpx.ConnectError)
    async with transport_for(refused) as http:
        with pytest.raises(TransportError) as caught:
            await http.request("POST", "/x", status_of, retry=Retry.UNSENT_ONLY)
    assert len(refused.keys) == 3 and not caught.value.may_have_reached
    limited = Script(429, 200)
    async with transport_for(limited) as http:
        assert await http.request("POST", "/x", status_of, retry=Retry.UNSENT_ONLY, idempotency_key="k2") == 200
    assert limited.keys == ["k2", "k2"]


@pytest.mark.parametrize("status", [502, 503])
async def test_an_unsent_only_write_hands_a_gateway_answer_back_at_once(status: int) -> None:
    script = Script(status, 200)
    async with transport_for(script) as http:
        with pytest.raises(ServerError):
            await http.request("POST", "/x", status_of, retry=Retry.UNSENT_ONLY)
    assert len(script.keys) == 1


async def test_errors_raised_by_the_decoder_are_scrubbed() -> None:
    def echo(response: httpx.Response, write: bool) -> None:
        raise NoxError(f"bad token {TOKEN}", f"replace {TOKEN}", fields={TOKEN: TOKEN}, data={"t": [TOKEN]})

    async with transport_for(lambda request: httpx.Response(401)) as http:
        with pytest.raises(NoxError) as caught:
            await http.request("GET", "/x", echo)
    error = caught.value
    assert TOKEN not in f"{error} {error!r} {error.todo} {error.fields} {error.data}"


def test_repr_masks_the_token_and_tls_is_verified_by_default() -> None:
    http = HttpTransport(BASE, TOKEN)
    assert TOKEN not in repr(http) and "***" in repr(http)
    assert http.verify_tls and http.ssl_context is not None
    assert http.ssl_context.verify_mode == ssl.CERT_REQUIRED and http.ssl_context.check_hostname
    insecure = HttpTransport(BASE, TOKEN, verify=False)
    assert not insecure.verify_tls and insecure.ssl_context is not None
    assert insecure.ssl_context.verify_mode == ssl.CERT_NONE
    stand_in = transport_for(Script(200), verify=False)
    assert stand_in.ssl_context is None and not stand_in.verify_tls
