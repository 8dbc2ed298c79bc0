"""The NoxInfluencer HTTP client: one async method per contract operation, models out.

It composes the shared ``HttpTransport`` (``noxtui.api.transport``), which owns retries, the
``Idempotency-Key``, TLS and the token; what is NoxInfluencer's here is the paths (``routes``), the
envelope (``envelope.decode``) and the models. NoxInfluencer replays a repeated Idempotency-Key, so
every write is retried like a read (``Retry.IDEMPOTENT_WRITE``): the server answers a retry with
the first result instead of writing twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

import httpx

from noxtui.api.transport import DEFAULT_USER_AGENT, Files, HttpTransport, Params, Retry
from noxtui.domain.attachments import AttachmentContent
from noxtui.domain.errors import PlanError, ProtocolError
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
    WritePlan,
    WriteResult,
)
from noxtui.domain.rows import PlainSummaries
from noxtui.providers.nox_rest import plain_list, routes
from noxtui.providers.nox_rest.envelope import decode, decode_thread_list
from noxtui.providers.nox_rest.paging import MAX_PAGE_SIZE, Page, check_paging
from noxtui.providers.nox_rest.parse import many, one

PlainOrModels = PlainSummaries | ThreadPage


def _decode(response: httpx.Response, write: bool) -> Envelope[Any]:
    return decode(response, write=write)


class NoxClient:
    """Async client for one NoxInfluencer base URL and token (``http`` is its transport)."""

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
        http: HttpTransport | None = None,
    ) -> None:
        """``http``: a transport built already (a sync's page reader rebuilds one from a recipe)."""
        self.http = http or HttpTransport(
            base_url,
            token,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_retry_after=max_retry_after,
            transport=transport,
            verify=verify,
            user_agent=user_agent,
        )
        self.base_url = self.http.base_url

    def __repr__(self) -> str:
        return f"NoxClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> NoxClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    # --- the request path: the transport's, with NoxInfluencer's envelope -------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        files: Files | None = None,
        idempotency_key: str | None = None,
    ) -> Envelope[Any]:
        retry = Retry.READ if method == "GET" else Retry.IDEMPOTENT_WRITE
        return await self.http.request(
            method,
            path,
            _decode,
            retry=retry,
            params=params,
            json=json,
            files=files,
            idempotency_key=idempotency_key,
        )

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Envelope[Any]:
        return await self._request("GET", path, params=params)

    async def _write(
        self, method: str, path: str, body: dict[str, Any] | None, idempotency_key: str | None
    ) -> Envelope[Any]:
        return await self._request(method, path, json=body, idempotency_key=idempotency_key)

    # --- threads ----------------------------------------------------------------------------

    async def list_threads(self, query: ThreadQuery, page: int = 1, page_size: int = 50) -> ThreadPage:
        """``message list``: one page, newest ``last_message_at`` first."""
        check_paging(page, page_size)
        params = {**query.to_params(), "page": str(page), "page_size": str(page_size)}
        threads, meta = await self.http.request("GET", routes.THREADS, decode_thread_list, params=params)
        total = meta.total if meta.total is not None else (page - 1) * page_size + len(threads)
        return ThreadPage(threads=threads, page=meta.page or page, page_size=meta.page_size or page_size, total=total)

    async def list_plain_threads(self, query: ThreadQuery, page: int = 1, page_size: int = 50) -> PlainOrModels:
        """``message list`` for a sync: a plain page as checked dicts (``plain_list``), any other as models."""
        check_paging(page, page_size)
        params = {**query.to_params(), "page": str(page), "page_size": str(page_size)}
        found = await self.http.request("GET", routes.THREADS, plain_list.decode, params=params)
        if isinstance(found, PlainSummaries):
            return found
        threads, meta = found
        total = meta.total if meta.total is not None else (page - 1) * page_size + len(threads)
        return ThreadPage(threads=threads, page=meta.page or page, page_size=meta.page_size or page_size, total=total)

    async def get_thread(self, thread_id: str) -> Thread:
        """``message get``: summary, messages (oldest first), composer and metadata."""
        env = await self._get(routes.thread(thread_id))
        return one(Thread, env.data, "thread")

    async def thread_projects(self, thread_id: str) -> list[Project]:
        """``message projects``: the creator's sibling projects and their threads."""
        env = await self._get(routes.thread_projects(thread_id))
        return many(Project, env.data, "project list")

    async def creator_filters(self) -> list[TeamMember]:
        env = await self._get(routes.CREATOR_FILTERS)
        return many(TeamMember, env.data, "team member list")

    async def project_filters(self, creator_uids: Sequence[str] = ()) -> list[ProjectOption]:
        params = {"creator_uids": ",".join(creator_uids)} if creator_uids else None
        env = await self._get(routes.PROJECT_FILTERS, params)
        return many(ProjectOption, env.data, "project filter list")

    # --- labels -----------------------------------------------------------------------------

    async def labels(self, page: int = 1, page_size: int = 100, keyword: str | None = None) -> Page[Label]:
        """``message labels``: one page of the team's shared labels."""
        check_paging(page, page_size)
        params = {"page": str(page), "page_size": str(page_size)}
        if keyword and keyword.strip():
            params["keyword"] = keyword.strip()
        env = await self._get(routes.LABELS, params)
        items = many(Label, env.data, "label list")
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
        return one(Thread, env.data, "updated thread")

    # --- coop status ------------------------------------------------------------------------

    async def coop_statuses(self) -> list[CoopStatus]:
        env = await self._get(routes.COOP_STATUSES)
        return sorted(many(CoopStatus, env.data, "coop status list"), key=lambda s: s.order)

    async def set_coop_status(self, thread_id: str, code: str, *, idempotency_key: str | None = None) -> Thread:
        env = await self._write("PUT", routes.thread_coop_status(thread_id), {"coop_status": code}, idempotency_key)
        return one(Thread, env.data, "updated thread")

    # --- templates --------------------------------------------------------------------------

    async def templates(self, language: str | None = None) -> list[Template]:
        params = {"language": language} if language else None
        env = await self._get(routes.TEMPLATES, params)
        return many(Template, env.data, "template list")

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
        return one(Template, env.data, "saved template")

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
        return one(RenderedTemplate, env.data, "rendered template")

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
        return one(Thread, env.data, "updated thread")

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
        return one(Thread, env.data, "updated thread")

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
        return one(Thread, env.data, "updated thread")

    async def cancel_schedule(self, thread_id: str, *, idempotency_key: str | None = None) -> Thread:
        """409 ``NOTHING_SCHEDULED`` (a ``ConflictError``) when there is nothing to cancel."""
        env = await self._write("DELETE", routes.thread_schedule(thread_id), None, idempotency_key)
        return one(Thread, env.data, "updated thread")

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
        return many(Attachment, env.data, "attachment list")

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
        return one(Attachment, env.data, "uploaded attachment")

    async def attachment_content(self, thread_id: str, attachment_id: str) -> AttachmentContent:
        """One file of the thread with its bytes (``content_base64``): a download."""
        path = f"{routes.thread_attachments(thread_id)}/{routes.segment(attachment_id, 'attachment id')}"
        env = await self._get(path)
        return one(AttachmentContent, env.data, "attachment")

    async def senders(self) -> list[Sender]:
        env = await self._get(routes.SENDERS)
        return many(Sender, env.data, "sender list")

    async def auth_status(self) -> AuthStatus:
        env = await self._get(routes.AUTH_STATUS)
        return one(AuthStatus, env.data, "auth status")

    # --- email task and CRM context ---------------------------------------------------------

    async def email_task(self, task_id: str) -> EmailTask:
        env = await self._get(routes.email_task(task_id))
        return one(EmailTask, env.data, "email task")

    async def email_report(self, task_id: str) -> EmailReport:
        env = await self._get(routes.email_report(task_id))
        return one(EmailReport, env.data, "email report")

    async def crm_channel(self, creator_id: str) -> CrmChannel:
        env = await self._get(routes.crm_channel(creator_id))
        return one(CrmChannel, env.data, "CRM channel")

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
        return one(CrmChannel, env.data, "CRM channel")

    # --- the --force ------------------------------------------------------------------------

    async def execute(self, plan: WritePlan) -> WriteResult:
        """Send a confirmed plan exactly as shown, under the key minted when it was built."""
        path = routes.check_plan_path(plan.path)
        if plan.method == "GET":
            raise PlanError("A write plan cannot be a GET", "Rebuild the action and try again.")
        env = await self._request(plan.method, path, json=plan.body, idempotency_key=plan.idempotency_key)
        return WriteResult(plan=plan, summary=env.summary or plan.summary, data=env.data)


__all__ = ["DEFAULT_USER_AGENT", "MAX_PAGE_SIZE", "NoxClient", "Page"]
