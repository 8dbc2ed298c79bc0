"""The one HTTP transport both HTTP providers compose: retries, idempotency, TLS, secrets.

One ``httpx.AsyncClient`` per profile. The transport owns what a provider or a screen must never
think about, and leaves the body to the provider (NoxInfluencer's envelope, Inbox's raw JSON):

* **Retries, per operation.** A provider says what kind of request it makes (``Retry``). Reads and
  writes the backend replays under the same ``Idempotency-Key`` are retried on transport faults,
  429 (honouring ``Retry-After``), 502 and 503, with exponential backoff and jitter. A write the
  backend does *not* deduplicate is repeated only when it surely never reached the server (the
  connection was refused, or a 429 said "not now"); any other failure is raised for the provider to
  read back, because a blind retry could send a creator the same message twice.
* **Idempotency.** Every write carries one ``Idempotency-Key``, the plan's own, kept across attempts.
* **Secrets.** The bearer token lives in one private attribute and the request headers. It is not in
  ``repr``, not in log lines (only method, path, status, duration and attempt are logged), and is
  scrubbed from every error the provider's decoder raises before the error leaves this module.
* **TLS.** Verification is on unless the profile turns it off; ``verify_tls`` says which, from the
  SSL context the connections really use. Redirects are never followed.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import Any, TypeVar

import httpx

from noxtui import __version__
from noxtui.api.limits import (
    HeadTooLarge,
    ResponseTooLarge,
    configured_deadline,
    configured_max_response,
    deadline_error,
    is_oversized_head,
    oversized_head_error,
    read_capped,
    too_large_error,
)
from noxtui.api.recipe import SecretText, TransportRecipe
from noxtui.api.responses import RETRYABLE_STATUSES, parse_retry_after, unreadable
from noxtui.api.scrub import scrub_error
from noxtui.domain.errors import AuthError, NoxError, TransportError, ValidationError
from noxtui.domain.plan_rules import mint_idempotency_key
from noxtui.domain.target import token_problem

logger = logging.getLogger("noxtui.api")

DEFAULT_USER_AGENT = f"noxtui/{__version__}"

R = TypeVar("R")
Params = httpx.QueryParams | Mapping[str, str]
Files = Mapping[str, tuple[str, bytes, str]]

# Faults after which asking again is safe for a read or a replayed write.
_RETRYABLE_TRANSPORT: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
# Faults that happen before a single byte of the request left this machine.
_NOT_SENT: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Retry(Enum):
    """How far one operation may be repeated after a fault: the provider decides, per request."""

    READ = "read"
    """Asking again changes nothing."""
    IDEMPOTENT_WRITE = "idempotent_write"
    """The backend answers a repeated Idempotency-Key with the first result instead of writing twice."""
    UNSENT_ONLY = "unsent_only"
    """The backend defines no idempotency: repeat only what never reached it; read back the rest."""

    @property
    def write(self) -> bool:
        return self is not Retry.READ

    def repeats_fault(self, exc: Exception) -> bool:
        return self is not Retry.UNSENT_ONLY or isinstance(exc, _NOT_SENT)

    def repeats_status(self, status: int) -> bool:
        # 429 is the server declining to process the request at all; 502/503 may hide a write.
        return status in RETRYABLE_STATUSES and (self is not Retry.UNSENT_ONLY or status == 429)


def _checked_url(base_url: str) -> str:
    url = httpx.URL(base_url)
    if url.scheme not in {"http", "https"} or not url.host:
        raise ValidationError(
            f"The base URL {base_url[:80]!r} is not an http(s) address",
            "Set base_url in your profile, e.g. https://<server>/v1.",
            fields={"base_url": "http(s) URL"},
        )
    return str(url).rstrip("/")


def _checked_token(token: str) -> str:
    # A pasted token often carries a trailing newline: trim it, refuse anything else odd.
    token = (token or "").strip()
    problem = token_problem(token)
    if problem is not None:
        # Never echo the token: say only what is wrong with it (httpx would quote the whole header).
        raise AuthError(f"The token cannot be used: {problem}", "Copy the token again, as plain text, and log in.")
    return token


class HttpTransport:
    """Requests to one base URL under one bearer token; the body is decoded by the caller's ``decode``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.25,
        max_retry_after: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool = True,
        user_agent: str = DEFAULT_USER_AGENT,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        """``transport`` replaces the network (tests); TLS is then that transport's business.

        ``deadline``: seconds one request may take in all, retries and waits included (default
        ``NOXTUI_REQUEST_DEADLINE`` or 120). ``max_response_bytes``: the largest body read (default
        ``NOXTUI_MAX_RESPONSE_MB`` or 64 MiB). See ``limits.py``.
        """
        self.base_url = _checked_url(base_url)
        self._token = _checked_token(token)
        self._max_retries = max(0, max_retries)
        self._backoff = max(0.0, backoff)
        self._max_retry_after = max(0.0, max_retry_after)
        self._timeout = timeout
        self._deadline = configured_deadline(deadline)
        self._max_response = configured_max_response(max_response_bytes)
        self._verify = verify
        self._user_agent = user_agent
        self._stand_in = transport is not None
        # Built here (once) rather than inside httpx, so ``verify_tls`` reads the context in use.
        self._ssl_context = None if transport is not None else httpx.create_ssl_context(verify=verify)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {self._token}",
                "User-Agent": user_agent,
                "Accept": "application/json",
            },
            timeout=timeout,
            transport=transport,
            verify=self._ssl_context if self._ssl_context is not None else verify,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"HttpTransport(base_url={self.base_url!r}, token='***')"

    def recipe(self) -> TransportRecipe | None:
        """How to build this transport again in another process (``api.recipe``); ``None`` when a
        test's stand-in replaces the network, since that cannot be rebuilt elsewhere."""
        if self._stand_in:
            return None
        return TransportRecipe(
            base_url=self.base_url,
            token=SecretText(self._token),
            timeout=self._timeout,
            max_retries=self._max_retries,
            backoff=self._backoff,
            max_retry_after=self._max_retry_after,
            verify=self._verify,
            user_agent=self._user_agent,
            deadline=self._deadline,
            max_response_bytes=self._max_response,
        )

    @classmethod
    def from_recipe(cls, recipe: TransportRecipe) -> HttpTransport:
        """The transport ``recipe`` describes (in a sync's page reader)."""
        return cls(
            recipe.base_url,
            recipe.token.reveal(),
            timeout=recipe.timeout,
            max_retries=recipe.max_retries,
            backoff=recipe.backoff,
            max_retry_after=recipe.max_retry_after,
            verify=recipe.verify,
            user_agent=recipe.user_agent,
            deadline=recipe.deadline,
            max_response_bytes=recipe.max_response_bytes,
        )

    @property
    def host(self) -> str:
        return self._http.base_url.host

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        """The context every connection is made with; ``None`` when a test transport stands in."""
        return self._ssl_context

    @property
    def verify_tls(self) -> bool:
        """True when server certificates and host names are checked (read from the real context)."""
        context = self._ssl_context
        if context is None:
            return self._verify
        return context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname

    async def __aenter__(self) -> HttpTransport:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def scrub(self, error: NoxError) -> NoxError:
        """``error`` with the token masked in every text it carries."""
        return scrub_error(error, self._token)

    # --- the one request path ---------------------------------------------------------------

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: the server's word first, else backoff."""
        if retry_after is not None:
            return min(retry_after, self._max_retry_after)
        base = self._backoff * (2 ** (attempt - 1))
        return min(base * (0.5 + random.random()), self._max_retry_after)

    def _transport_error(self, exc: Exception, *, write: bool, attempts: int) -> TransportError:
        host = self.host
        tries = f" ({attempts} attempt{'s' if attempts != 1 else ''})"
        if isinstance(exc, _NOT_SENT):
            return TransportError(
                f"Could not connect to {host}{tries}; the request was not sent", may_have_reached=False
            )
        todo = (
            "The change may have reached the server: press r to reload the thread before trying again."
            if write
            else None
        )
        if isinstance(exc, httpx.TimeoutException):
            what = f"{host} did not answer within {self._timeout:g} s{tries}; the request may have reached it"
        else:
            what = f"The connection to {host} dropped{tries}; the request may have reached it"
        return TransportError(what, todo)

    async def request(
        self,
        method: str,
        path: str,
        decode: Callable[[httpx.Response, bool], R],
        *,
        retry: Retry = Retry.READ,
        params: Params | None = None,
        json: Any = None,
        files: Files | None = None,
        idempotency_key: str | None = None,
        send_idempotency_key: bool = True,
        retry_after: Callable[[httpx.Response], float | None] | None = None,
    ) -> R:
        """Send, retrying as ``retry`` allows, then ``decode(response, write)`` the final answer.

        ``decode`` returns the provider's value or raises a typed ``NoxError``; either way the token
        is scrubbed from what it raises. A write sends ``idempotency_key`` (one is minted if none
        is given) on every attempt, unless ``send_idempotency_key`` is False (a backend that defines none).
        ``retry_after`` reads the server's wait from an answer (default: the ``Retry-After`` header).
        """
        write = retry.write
        keyed = write and send_idempotency_key
        headers = {"Idempotency-Key": idempotency_key or mint_idempotency_key()} if keyed else {}
        exchange = _Exchange(method, path, params, json, files, headers, retry_after)
        deadline_at = asyncio.get_running_loop().time() + self._deadline
        attempt = [0]  # how far it got, for the deadline's message
        timer = asyncio.timeout_at(deadline_at)
        try:
            async with timer:
                response = await self._attempts(exchange, retry, deadline_at, attempt)
        except TimeoutError:
            if not timer.expired():
                raise
            logger.warning("%s %s -> deadline of %g s passed (attempt %d)", method, path, self._deadline, attempt[0])
            raise deadline_error(self.host, self._deadline, write=write, attempts=attempt[0]) from None
        try:
            return decode(response, write)
        except NoxError as error:
            raise self.scrub(error) from None
        except RecursionError:
            # A body nested thousands deep overflows whichever parser meets it first: the server's
            # answer is unreadable, which is a protocol error, not a crash.
            raise unreadable(
                response, write=write, reason="The server's answer is nested too deeply to read"
            ) from None

    async def _attempts(
        self, exchange: _Exchange, retry: Retry, deadline_at: float, attempt: list[int]
    ) -> httpx.Response:
        """The final answer after the retries ``retry`` allows, each wait kept inside the deadline."""
        method, path, write = exchange.method, exchange.path, retry.write
        attempts = self._max_retries + 1
        loop = asyncio.get_running_loop()
        for number in range(1, attempts + 1):
            attempt[0] = number
            started = time.monotonic()
            try:
                response = await self._send(exchange)
            except ResponseTooLarge as big:
                limit = self._max_response
                logger.warning("%s %s -> %d, body over %d bytes (attempt %d)", method, path, big.status, limit, number)
                raise too_large_error(self.host, self._max_response, big.status, write=write) from None
            except HeadTooLarge:
                logger.warning("%s %s -> headers over the limit (attempt %d)", method, path, number)
                raise oversized_head_error(self.host, write=write) from None
            except _RETRYABLE_TRANSPORT as exc:
                ms = (time.monotonic() - started) * 1000
                logger.warning("%s %s -> %s in %.0f ms (attempt %d)", method, path, type(exc).__name__, ms, number)
                if is_oversized_head(exc):
                    raise oversized_head_error(self.host, write=write) from None
                delay = self._delay(number, None)
                if number < attempts and retry.repeats_fault(exc) and loop.time() + delay < deadline_at:
                    await asyncio.sleep(delay)
                    continue
                raise self._transport_error(exc, write=write, attempts=number) from exc
            except httpx.HTTPError as exc:
                logger.warning("%s %s -> %s (attempt %d)", method, path, type(exc).__name__, number)
                raise TransportError(
                    f"The request to {self.host} could not be made ({type(exc).__name__})",
                    may_have_reached=not isinstance(exc, httpx.UnsupportedProtocol),
                ) from exc
            ms = (time.monotonic() - started) * 1000
            status = response.status_code
            logger.info("%s %s -> %d in %.0f ms (attempt %d)", method, path, status, ms, number)
            if number < attempts and retry.repeats_status(status):
                read = exchange.retry_after
                asked = read(response) if read is not None else parse_retry_after(response.headers.get("retry-after"))
                delay = self._delay(number, asked)
                # A server asking for longer than the cap is answered now, in words (decode's error
                # says how long it asked for), rather than after a wait that is not what it asked.
                if (asked is None or asked <= self._max_retry_after) and loop.time() + delay < deadline_at:
                    logger.info("%s %s -> waiting %.1f s before retrying", method, path, delay)
                    await asyncio.sleep(delay)  # cancellable: cancelling the request's task ends the wait
                    continue
            return response
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _send(self, exchange: _Exchange) -> httpx.Response:
        request = self._http.build_request(
            exchange.method,
            exchange.path,
            params=exchange.params,
            json=exchange.json,
            files=exchange.files,
            headers=exchange.headers,
        )
        response = await self._http.send(request, stream=True)
        return await read_capped(response, self._max_response)


@dataclass(frozen=True)
class _Exchange:
    """One request as the caller described it, sent again unchanged on every attempt."""

    method: str
    path: str
    params: Params | None
    json: Any
    files: Files | None
    headers: dict[str, str]
    retry_after: Callable[[httpx.Response], float | None] | None = None
    """How long the server asked to wait, read by the provider (its error body too); else the header."""


__all__ = ["DEFAULT_USER_AGENT", "HttpTransport", "Retry"]
