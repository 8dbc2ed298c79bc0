"""The NoxInfluencer HTTP client: one async method per contract operation, models out.

One ``httpx.AsyncClient`` per profile, opened as an async context manager. The client owns the two
things a screen must never think about:

* **Retries.** 429 (honouring ``Retry-After``), 502, 503 and transport faults are retried with
  exponential backoff and jitter, writes included: a write keeps its ``Idempotency-Key`` across
  attempts, so the server replays the first result instead of writing twice.
* **Secrets.** The bearer token lives in one private attribute and the request headers. It is not in
  ``repr``, not in log lines (only method, path, status, duration and attempt are logged) and is
  scrubbed from any text the server sends back before it reaches an error message.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from noxtui import __version__
from noxtui.domain.errors import (
    AuthError,
    NoxError,
    PlanError,
    ProtocolError,
    TransportError,
    ValidationError,
)
from noxtui.domain.models import (
    Attachment,
    AuthStatus,
    CoopStatus,
    CrmChannel,
    EmailReport,
    EmailTask,
    Envelope,
    Label,
    Project,
    ProjectOption,
    RenderedTemplate,
    Sender,
    TeamMember,
    Template,
    Thread,
    ThreadPage,
    ThreadQuery,
    ThreadSummary,
    WritePlan,
    WriteResult,
)
from noxtui.providers.nox_rest import routes
from noxtui.providers.nox_rest.envelope import (
    RETRYABLE_STATUSES,
    decode,
    parse_retry_after,
)

logger = logging.getLogger("noxtui.api")

DEFAULT_USER_AGENT = f"noxtui/{__version__}"
MAX_PAGE_SIZE = 100

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# Faults after which asking again is safe (a write keeps its idempotency key).
_RETRYABLE_TRANSPORT: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
# Faults that happen before a single byte of the request left this machine.
_NOT_SENT: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paged catalogue (labels) with the server's total."""

    items: list[T]
    page: int
    page_size: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def _new_key() -> str:
    return str(uuid.uuid4())


def _scrub_value(value: Any, secret: str) -> Any:
    """``value`` (decoded JSON) with ``secret`` masked in every string, keys included."""
    if isinstance(value, str):
        return value.replace(secret, "***")
    if isinstance(value, dict):
        return {_scrub_value(k, secret): _scrub_value(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_value(item, secret) for item in value]
    return value


def _check_paging(page: int, page_size: int) -> None:
    if page < 1:
        raise PlanError(f"Page {page} does not exist", "Pages start at 1.", fields={"page": "must be ≥ 1"})
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise PlanError(
            f"A page of {page_size} items is not allowed",
            f"Use a page size between 1 and {MAX_PAGE_SIZE}.",
            fields={"page_size": f"1–{MAX_PAGE_SIZE}"},
        )


class NoxClient:
    """Async client for one NoxInfluencer base URL and token."""

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
    ) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in {"http", "https"} or not url.host:
            raise ValidationError(
                f"The base URL {base_url[:80]!r} is not an http(s) address",
                "Set base_url in your profile, e.g. https://<server>/v1.",
                fields={"base_url": "http(s) URL"},
            )
        # A pasted token often carries a trailing newline: trim it, refuse anything else odd.
        token = (token or "").strip()
        if not token or any(ord(ch) < 32 or ord(ch) == 127 for ch in token):
            # Never echo the token: say only what is wrong with it.
            raise AuthError("The saved token is empty or contains control characters")
        self._token = token
        self._max_retries = max(0, max_retries)
        self._backoff = max(0.0, backoff)
        self._max_retry_after = max(0.0, max_retry_after)
        self._timeout = timeout
        self.base_url = str(url).rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": user_agent,
                "Accept": "application/json",
            },
            timeout=timeout,
            transport=transport,
            verify=verify,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"NoxClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> NoxClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- the one request path ---------------------------------------------------------------

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: the server's word first, else backoff."""
        if retry_after is not None:
            return min(retry_after, self._max_retry_after)
        base = self._backoff * (2 ** (attempt - 1))
        return min(base * (0.5 + random.random()), self._max_retry_after)

    def _scrub(self, error: NoxError) -> NoxError:
        """Remove the token from any server-supplied text (a server may echo what it was sent).

        ``data`` and ``hint_url`` are scrubbed too: they are the raw envelope, and a 422 naming a
        bad field value would otherwise carry a token the rep pasted into the wrong field.
        """
        secret = self._token
        if len(secret) < 4:
            return error
        error.what = error.what.replace(secret, "***")
        error.todo = error.todo.replace(secret, "***")
        error.fields = {k.replace(secret, "***"): v.replace(secret, "***") for k, v in error.fields.items()}
        error.data = _scrub_value(error.data, secret)
        if error.hint_url is not None:
            error.hint_url = error.hint_url.replace(secret, "***")
        error.args = (error.message,)
        return error

    def _transport_error(self, exc: Exception, method: str, attempts: int) -> TransportError:
        host = self._http.base_url.host
        tries = f" ({attempts} attempt{'s' if attempts != 1 else ''})"
        if isinstance(exc, _NOT_SENT):
            return TransportError(f"Could not connect to {host}{tries}; the request was not sent")
        write = method != "GET"
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

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        idempotency_key: str | None = None,
    ) -> Envelope[Any]:
        write = method != "GET"
        headers: dict[str, str] = {}
        if write:
            headers["Idempotency-Key"] = idempotency_key or _new_key()
        attempts = self._max_retries + 1
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            try:
                response = await self._http.request(
                    method, path, params=params, json=json, files=files, headers=headers
                )
            except _RETRYABLE_TRANSPORT as exc:
                ms = (time.monotonic() - started) * 1000
                fault = type(exc).__name__
                logger.warning("%s %s -> %s in %.0f ms (attempt %d)", method, path, fault, ms, attempt)
                if attempt < attempts:
                    await asyncio.sleep(self._delay(attempt, None))
                    continue
                raise self._transport_error(exc, method, attempt) from exc
            except httpx.HTTPError as exc:
                logger.warning("%s %s -> %s (attempt %d)", method, path, type(exc).__name__, attempt)
                host = self._http.base_url.host
                raise TransportError(f"The request to {host} could not be made ({type(exc).__name__})") from exc
            ms = (time.monotonic() - started) * 1000
            status = response.status_code
            logger.info("%s %s -> %d in %.0f ms (attempt %d)", method, path, status, ms, attempt)
            if status in RETRYABLE_STATUSES and attempt < attempts:
                await asyncio.sleep(self._delay(attempt, parse_retry_after(response.headers.get("retry-after"))))
                continue
            try:
                return decode(response, write=write)
            except NoxError as error:
                raise self._scrub(error) from None
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Envelope[Any]:
        return await self._request("GET", path, params=params)

    async def _write(
        self, method: str, path: str, body: dict[str, Any] | None, idempotency_key: str | None
    ) -> Envelope[Any]:
        return await self._request(method, path, json=body, idempotency_key=idempotency_key)

    # --- envelope data -> models ------------------------------------------------------------

    @staticmethod
    def _one(model: type[M], data: Any, what: str) -> M:
        try:
            return model.model_validate(data)
        except PydanticValidationError:
            raise ProtocolError(f"The server's {what} is missing fields noxtui needs") from None

    @staticmethod
    def _many(model: type[M], data: Any, what: str) -> list[M]:
        if not isinstance(data, list):
            raise ProtocolError(f"The server's {what} is not a list")
        try:
            return [model.model_validate(item) for item in data]
        except PydanticValidationError:
            raise ProtocolError(f"The server's {what} is missing fields noxtui needs") from None

    # --- threads ----------------------------------------------------------------------------

    async def list_threads(self, query: ThreadQuery, page: int = 1, page_size: int = 50) -> ThreadPage:
        """``message list``: one page, newest ``last_message_at`` first."""
        _check_paging(page, page_size)
        params = {**query.to_params(), "page": str(page), "page_size": str(page_size)}
        env = await self._get(routes.THREADS, params)
        threads = self._many(ThreadSummary, env.data, "thread list")
        meta = env.meta
        total = meta.total if meta.total is not None else (page - 1) * page_size + len(threads)
        return ThreadPage(
            threads=threads, page=meta.page or page, page_size=meta.page_size or page_size, total=total
        )

    async def get_thread(self, thread_id: str) -> Thread:
        """``message get``: summary, messages (oldest first), composer and metadata."""
        env = await self._get(routes.thread(thread_id))
        return self._one(Thread, env.data, "thread")

    async def thread_projects(self, thread_id: str) -> list[Project]:
        """``message projects``: the creator's sibling projects and their threads."""
        env = await self._get(routes.thread_projects(thread_id))
        return self._many(Project, env.data, "project list")

    async def creator_filters(self) -> list[TeamMember]:
        env = await self._get(routes.CREATOR_FILTERS)
        return self._many(TeamMember, env.data, "team member list")

    async def project_filters(self, creator_uids: Sequence[str] = ()) -> list[ProjectOption]:
        params = {"creator_uids": ",".join(creator_uids)} if creator_uids else None
        env = await self._get(routes.PROJECT_FILTERS, params)
        return self._many(ProjectOption, env.data, "project filter list")

    # --- labels -----------------------------------------------------------------------------

    async def labels(self, page: int = 1, page_size: int = 100, keyword: str | None = None) -> Page[Label]:
        """``message labels``: one page of the team's shared labels."""
        _check_paging(page, page_size)
        params = {"page": str(page), "page_size": str(page_size)}
        if keyword and keyword.strip():
            params["keyword"] = keyword.strip()
        env = await self._get(routes.LABELS, params)
        items = self._many(Label, env.data, "label list")
        meta = env.meta
        total = meta.total if meta.total is not None else (page - 1) * page_size + len(items)
        return Page(items=items, page=meta.page or page, page_size=meta.page_size or page_size, total=total)

    async def all_labels(self, keyword: str | None = None, page_size: int = MAX_PAGE_SIZE) -> list[Label]:
        """Every label, page by page; stops on an empty page so a wrong ``total`` cannot loop forever."""
        found: list[Label] = []
        page = 1
        while True:
            chunk = await self.labels(page, page_size, keyword)
            found.extend(chunk.items)
            if not chunk.items or not chunk.has_more:
                return found
            page += 1

    async def set_labels(
        self, thread_id: str, label_ids: Sequence[str], *, idempotency_key: str | None = None
    ) -> Thread:
        """``message labels set``: ``label_ids`` is the thread's full label set after the write."""
        env = await self._write("PUT", routes.thread_labels(thread_id), {"label_ids": list(label_ids)}, idempotency_key)
        return self._one(Thread, env.data, "updated thread")

    # --- coop status ------------------------------------------------------------------------

    async def coop_statuses(self) -> list[CoopStatus]:
        env = await self._get(routes.COOP_STATUSES)
        return sorted(self._many(CoopStatus, env.data, "coop status list"), key=lambda s: s.order)

    async def set_coop_status(self, thread_id: str, code: str, *, idempotency_key: str | None = None) -> Thread:
        env = await self._write("PUT", routes.thread_coop_status(thread_id), {"coop_status": code}, idempotency_key)
        return self._one(Thread, env.data, "updated thread")

    # --- templates --------------------------------------------------------------------------

    async def templates(self, language: str | None = None) -> list[Template]:
        params = {"language": language} if language else None
        env = await self._get(routes.TEMPLATES, params)
        return self._many(Template, env.data, "template list")

    async def save_template(
        self,
        name: str,
        language: str,
        body: str,
        subject: str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Template:
        payload: dict[str, Any] = {"name": name, "language": language, "body": body}
        if subject is not None:
            payload["subject"] = subject
        env = await self._write("POST", routes.TEMPLATES, payload, idempotency_key)
        return self._one(Template, env.data, "saved template")

    async def use_template(
        self,
        template_id: str,
        thread_id: str,
        variables: Mapping[str, str] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> RenderedTemplate:
        """Render a template into the thread's draft (the server stores it as the draft)."""
        routes.segment(thread_id, "thread id")
        payload: dict[str, Any] = {"thread_id": thread_id}
        if variables:
            payload["variables"] = dict(variables)
        env = await self._write("POST", routes.template_use(template_id), payload, idempotency_key)
        return self._one(RenderedTemplate, env.data, "rendered template")

    # --- composer ---------------------------------------------------------------------------

    async def save_draft(
        self,
        thread_id: str,
        body: str,
        sender_auth_id: str | None = None,
        attachment_ids: Sequence[str] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Thread:
        payload: dict[str, Any] = {"body": body}
        if sender_auth_id:
            payload["sender_auth_id"] = sender_auth_id
        if attachment_ids is not None:
            payload["attachment_ids"] = list(attachment_ids)
        env = await self._write("PUT", routes.thread_draft(thread_id), payload, idempotency_key)
        return self._one(Thread, env.data, "updated thread")

    async def send(
        self,
        thread_id: str,
        content: str,
        sender_auth_id: str,
        reply_to_message_id: str | None = None,
        attachment_ids: Sequence[str] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Thread:
        """Send now; the answer is the updated thread (its ``message_id`` extra names the new message)."""
        payload: dict[str, Any] = {"content": content, "sender_auth_id": sender_auth_id}
        if reply_to_message_id:
            payload["reply_to_message_id"] = reply_to_message_id
        if attachment_ids:
            payload["attachment_ids"] = list(attachment_ids)
        env = await self._write("POST", routes.thread_send(thread_id), payload, idempotency_key)
        return self._one(Thread, env.data, "updated thread")

    async def schedule(
        self,
        thread_id: str,
        content: str,
        sender_auth_id: str,
        plan_send_at: str,
        *,
        idempotency_key: str | None = None,
    ) -> Thread:
        """``plan_send_at`` goes as given: validate it with ``plans.parse_plan_send_at`` first."""
        payload = {"content": content, "sender_auth_id": sender_auth_id, "plan_send_at": plan_send_at}
        env = await self._write("POST", routes.thread_schedule(thread_id), payload, idempotency_key)
        return self._one(Thread, env.data, "updated thread")

    async def cancel_schedule(self, thread_id: str, *, idempotency_key: str | None = None) -> Thread:
        """409 ``NOTHING_SCHEDULED`` (a ``ConflictError``) when there is nothing to cancel."""
        env = await self._write("DELETE", routes.thread_schedule(thread_id), None, idempotency_key)
        return self._one(Thread, env.data, "updated thread")

    async def archive(self, thread_id: str, *, idempotency_key: str | None = None) -> list[str]:
        """Archive the whole conversation, sibling task threads included; returns every archived id."""
        env = await self._write("POST", routes.thread_archive(thread_id), None, idempotency_key)
        data = env.data if isinstance(env.data, dict) else {}
        archived = data.get("archived_thread_ids")
        if not isinstance(archived, list):
            raise ProtocolError("The server's archive answer does not list the archived threads")
        return [str(thread) for thread in archived]

    # --- attachments and senders ------------------------------------------------------------

    async def attachments(self, thread_id: str) -> list[Attachment]:
        env = await self._get(routes.thread_attachments(thread_id))
        return self._many(Attachment, env.data, "attachment list")

    async def upload_attachment(
        self,
        thread_id: str,
        filename: str,
        content: bytes,
        content_type: str = "application/octet-stream",
        *,
        idempotency_key: str | None = None,
    ) -> Attachment:
        """Multipart ``file`` upload; the bytes are held in memory so a retry can resend them."""
        path = routes.thread_attachments(thread_id)
        if not filename or "/" in filename or "\\" in filename:
            raise PlanError(f"The file name {filename!r} is not usable", "Pick a file with a plain name.")
        files = {"file": (filename, content, content_type)}
        env = await self._request("POST", path, files=files, idempotency_key=idempotency_key)
        return self._one(Attachment, env.data, "uploaded attachment")

    async def senders(self) -> list[Sender]:
        env = await self._get(routes.SENDERS)
        return self._many(Sender, env.data, "sender list")

    async def auth_status(self) -> AuthStatus:
        env = await self._get(routes.AUTH_STATUS)
        return self._one(AuthStatus, env.data, "auth status")

    # --- email task and CRM context ---------------------------------------------------------

    async def email_task(self, task_id: str) -> EmailTask:
        env = await self._get(routes.email_task(task_id))
        return self._one(EmailTask, env.data, "email task")

    async def email_report(self, task_id: str) -> EmailReport:
        env = await self._get(routes.email_report(task_id))
        return self._one(EmailReport, env.data, "email report")

    async def crm_channel(self, creator_id: str) -> CrmChannel:
        env = await self._get(routes.crm_channel(creator_id))
        return self._one(CrmChannel, env.data, "CRM channel")

    async def update_crm_channel(
        self,
        creator_id: str,
        *,
        notes: str | None = None,
        owner_uid: str | None = None,
        idempotency_key: str | None = None,
    ) -> CrmChannel:
        payload: dict[str, Any] = {}
        if notes is not None:
            payload["notes"] = notes
        if owner_uid is not None:
            payload["owner_uid"] = owner_uid
        if not payload:
            raise PlanError("Nothing to change on the CRM channel", "Edit the notes or the owner first.")
        env = await self._write("PATCH", routes.crm_channel(creator_id), payload, idempotency_key)
        return self._one(CrmChannel, env.data, "CRM channel")

    # --- the --force ------------------------------------------------------------------------

    async def execute(self, plan: WritePlan) -> WriteResult:
        """Send a confirmed plan exactly as shown, under the key minted when it was built."""
        path = routes.check_plan_path(plan.path)
        if plan.method == "GET":
            raise PlanError("A write plan cannot be a GET", "Rebuild the action and try again.")
        env = await self._request(plan.method, path, json=plan.body, idempotency_key=plan.idempotency_key)
        return WriteResult(plan=plan, summary=env.summary or plan.summary, data=env.data)


__all__ = ["DEFAULT_USER_AGENT", "MAX_PAGE_SIZE", "NoxClient", "Page"]
