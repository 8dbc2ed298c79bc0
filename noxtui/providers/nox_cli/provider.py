"""NoxInfluencer through the vendor's CLI, behind the same ``Provider`` protocol as the REST one.

Reads run one tool command each and parse its envelope into the domain models (the data shapes are
those of our REST contract, so ``nox_rest.parse`` reads them). Plans are the REST provider's pure
plans (same bodies, same rules, same diffs) carrying the tool's argv; ``dry_run`` runs that argv as
the tool's own dry-run for the confirm modal, and ``execute`` runs it with ``--force`` and the
plan's idempotency key, the same key on every retry.

``message get`` can mark a thread read upstream, so ``get_thread`` is called only when the rep opens
a thread (``InboxService.open_thread``); nothing here prefetches.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from noxtui.domain.attachments import AttachmentContent, LocalFile
from noxtui.domain.errors import NotFoundError, NoxError, PlanError
from noxtui.domain.models import (
    Attachment,
    AuthStatus,
    CoopStatus,
    CrmChannel,
    DryRun,
    EmailReport,
    EmailTask,
    Label,
    Project,
    ProjectOption,
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
from noxtui.domain.plan_rules import mint_idempotency_key
from noxtui.providers.base import Capabilities
from noxtui.providers.nox_cli import commands
from noxtui.providers.nox_cli.filters import list_spec
from noxtui.providers.nox_cli.runner import CliRunner, body_file, decode, shown_command, with_body_path
from noxtui.providers.nox_cli.schema import ListSchema, documented
from noxtui.providers.nox_cli.wire import DryRunRequest
from noxtui.providers.nox_rest import attachment_plans, crm_plans, plans
from noxtui.providers.nox_rest.parse import many, one

CLI_ACCOUNT = "cli:noxinfluencer"
"""What this provider's cache rows and local drafts are keyed by: the tool holds the account."""


class NoxCliProvider:
    """The NoxInfluencer message commands of the vendor's tool; every capability of the REST provider."""

    name = "cli"
    display_name = "NoxInfluencer"

    def __init__(
        self,
        runner: CliRunner,
        *,
        schema: ListSchema | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.runner = runner
        self.schema = schema or documented()
        self.capabilities = Capabilities(
            server_row_filters=False,
            updated_since=False,
            max_page_size=self.schema.max_page_size,
            views=tuple(view for view in ("deal", "unread") if view in self.schema.views and self.schema.has("view")),
            missing_filters=frozenset(self.schema.missing),
        )
        self._clock = clock
        self._senders: list[Sender] = []

    def __repr__(self) -> str:
        return f"NoxCliProvider({self.runner!r})"

    @property
    def max_page_size(self) -> int:
        """The largest ``--page_size`` the installed tool serves (a sync pages at this size)."""
        return self.schema.max_page_size

    async def _data(self, args: Sequence[str]) -> object:
        return (await self.runner.call(args)).data

    # --- reads --------------------------------------------------------------------------------

    async def list_threads(self, query: ThreadQuery, *, page: int = 1, page_size: int = 50) -> ThreadPage:
        """``message list``; row fields the tool cannot filter are applied to every page it returns."""
        if page < 1 or not 1 <= page_size <= self.max_page_size:
            raise PlanError(f"Pages are 1.. and 1..{self.max_page_size} rows", "Use a smaller page size.")
        spec = list_spec(query, self.schema)
        if spec.keep is None:
            answer = await self.runner.call(commands.message_list(spec.flags, page, page_size))
            threads = many(ThreadSummary, answer.data, "thread list")
            meta = answer.envelope.meta
            total = meta.total if meta.total is not None else (page - 1) * page_size + len(threads)
            return ThreadPage(threads=threads, page=page, page_size=page_size, total=total)
        kept = [row for row in await self._walk(spec.flags) if spec.keep(row)]
        start = (page - 1) * page_size
        return ThreadPage(threads=kept[start : start + page_size], page=page, page_size=page_size, total=len(kept))

    async def _walk(self, flags: Sequence[str]) -> list[ThreadSummary]:
        """Every row the tool lists for ``flags``, page by page (only without a synced cache)."""
        rows: list[ThreadSummary] = []
        size = self.max_page_size
        page = 1
        while True:
            answer = await self.runner.call(commands.message_list(flags, page, size))
            chunk = many(ThreadSummary, answer.data, "thread list")
            rows.extend(chunk)
            total = answer.envelope.meta.total
            if not chunk or len(chunk) < size or (total is not None and len(rows) >= total):
                return rows
            page += 1

    async def summaries(self, thread_ids: Sequence[str]) -> list[ThreadSummary]:
        """Fresh list rows of ``thread_ids`` (in that order) without ``message get``, which may mark
        them read: the list is walked, newest first, until every one is found."""
        wanted = set(thread_ids)
        found: dict[str, ThreadSummary] = {}
        page = 1
        while wanted - found.keys():
            answer = await self.runner.call(commands.message_list((), page, self.max_page_size))
            chunk = many(ThreadSummary, answer.data, "thread list")
            found.update((row.thread_id, row) for row in chunk if row.thread_id in wanted)
            if len(chunk) < self.max_page_size:
                break
            page += 1
        missing = [thread_id for thread_id in thread_ids if thread_id not in found]
        if missing:
            raise NotFoundError(
                f"{len(missing)} marked thread(s) are no longer listed (e.g. {missing[0]})",
                "Press r to refresh the list, then mark them again.",
            )
        return [found[thread_id] for thread_id in thread_ids]

    async def get_thread(self, thread_id: str) -> Thread:
        return one(Thread, await self._data(commands.message_get(thread_id)), "thread")

    async def sibling_projects(self, thread_id: str) -> list[Project]:
        return many(Project, await self._data(commands.message_projects(thread_id)), "project list")

    async def labels(self) -> list[Label]:
        found: list[Label] = []
        page = 1
        while True:
            answer = await self.runner.call(commands.labels(page, self.max_page_size))
            chunk = many(Label, answer.data, "label list")
            found.extend(chunk)
            total = answer.envelope.meta.total
            if not chunk or (total is not None and len(found) >= total) or len(chunk) < self.max_page_size:
                return found
            page += 1

    async def coop_statuses(self) -> list[CoopStatus]:
        statuses = many(CoopStatus, await self._data(commands.coop_statuses()), "coop status list")
        return sorted(statuses, key=lambda status: status.order)

    async def templates(self, language: str | None = None) -> list[Template]:
        return many(Template, await self._data(commands.templates(language)), "template list")

    async def senders(self) -> list[Sender]:
        self._senders = many(Sender, await self._data(commands.senders()), "sender list")
        return list(self._senders)

    async def team_members(self) -> list[TeamMember]:
        return many(TeamMember, await self._data(commands.creator_filters()), "team member list")

    async def project_options(self, creator_uids: Sequence[str] = ()) -> list[ProjectOption]:
        return many(ProjectOption, await self._data(commands.project_filters(creator_uids)), "project filter list")

    async def auth_status(self) -> AuthStatus:
        """``auth status`` prints plain JSON, not an envelope (contract fact)."""
        raw = await self.runner.json(["auth", "status"])
        return one(AuthStatus, raw, "auth status")

    async def attachments(self, thread_id: str) -> list[Attachment]:
        return many(Attachment, await self._data(commands.attachments(thread_id)), "attachment list")

    async def attachment_content(self, thread_id: str, attachment_id: str) -> AttachmentContent:
        data = await self._data(commands.attachment_download(thread_id, attachment_id))
        return one(AttachmentContent, data, "attachment")

    async def email_task(self, task_id: str) -> EmailTask:
        return one(EmailTask, await self._data(commands.email_task(task_id)), "email task")

    async def email_report(self, task_id: str) -> EmailReport:
        return one(EmailReport, await self._data(commands.email_report(task_id)), "email report")

    async def crm_channel(self, creator_id: str) -> CrmChannel:
        return one(CrmChannel, await self._data(commands.crm_get(creator_id)), "CRM channel")

    # --- plans (pure): the REST plan, carried by the tool's argv ---------------------------------

    @staticmethod
    def _cli(plan: WritePlan, argv: Sequence[str]) -> WritePlan:
        return plan.model_copy(update={"argv": tuple(argv), "provider": "cli"})

    def plan_labels(self, thread: ThreadSummary, label_ids: Sequence[str], catalogue: Sequence[Label]) -> WritePlan:
        plan = plans.labels_set(thread, label_ids, catalogue)
        return self._cli(plan, commands.labels_set(thread.thread_id))

    def plan_coop(self, thread: ThreadSummary, status: CoopStatus) -> WritePlan:
        return self._cli(plans.coop_set(thread, status), commands.coop_set(thread.thread_id))

    def plan_draft(self, thread: Thread, body: str, sender_auth_id: str | None) -> WritePlan:
        plan = plans.draft_save(thread, body, sender_auth_id, senders=self._senders)
        return self._cli(plan, commands.draft_save(thread.thread_id))

    def plan_send(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, reply_to_message_id: str | None = None
    ) -> WritePlan:
        plan = plans.send(thread, body, sender_auth_id, reply_to_message_id, senders=self._senders)
        return self._cli(plan, commands.send(thread.thread_id))

    def plan_schedule(
        self, thread: ThreadSummary, body: str, sender_auth_id: str | None, plan_send_at: str
    ) -> WritePlan:
        now = self._clock() if self._clock is not None else None
        plan = plans.schedule(thread, body, sender_auth_id, plan_send_at, now, senders=self._senders)
        return self._cli(plan, commands.schedule(thread.thread_id))

    def plan_cancel(self, thread: Thread) -> WritePlan:
        return self._cli(plans.cancel(thread), commands.cancel(thread.thread_id))

    def plan_template_use(
        self, thread: Thread, template: Template, variables: Mapping[str, str] | None = None
    ) -> WritePlan:
        plan = plans.template_use(thread, template, variables)
        return self._cli(plan, commands.template_use(template.template_id))

    def plan_template_save(self, name: str, language: str, body: str, subject: str | None = None) -> WritePlan:
        return self._cli(plans.template_save(name, language, body, subject), commands.template_save())

    def plan_archive(self, thread: ThreadSummary, siblings: Sequence[Project]) -> WritePlan:
        return self._cli(plans.archive(thread, siblings), commands.archive(thread.thread_id))

    def plan_crm_update(
        self, before: CrmChannel, notes: str | None = None, owner_uid: str | None = None
    ) -> WritePlan:
        plan = plans.crm_update(before.creator_id, notes, owner_uid, before=before)
        return self._cli(plan, commands.crm_update(before.creator_id))

    def plan_undo(self, plan: WritePlan) -> WritePlan:
        return plans.inverse(plan)

    def _crm(self, before: CrmChannel, plan: WritePlan) -> WritePlan:
        return self._cli(plan, commands.crm_update(before.creator_id))

    def plan_crm_status(self, before: CrmChannel, name: str, status: CoopStatus) -> WritePlan:
        return self._crm(before, crm_plans.coop_status(before, name, status))

    def plan_crm_labels(
        self, before: CrmChannel, name: str, label_ids: Sequence[str], catalogue: Sequence[Label]
    ) -> WritePlan:
        return self._crm(before, crm_plans.labels(before, name, label_ids, catalogue))

    def plan_crm_email(self, before: CrmChannel, name: str, value: str) -> WritePlan:
        return self._crm(before, crm_plans.email(before, name, value))

    def plan_crm_url(self, before: CrmChannel, name: str, value: str) -> WritePlan:
        return self._crm(before, crm_plans.url(before, name, value))

    def plan_attachment_upload(self, thread: Thread, file: LocalFile) -> WritePlan:
        """``message attachments upload --file``: the tool reads the file itself, so no body file."""
        if not os.path.isabs(file.path):
            raise PlanError(f"{file.filename}: the file's full path is needed", "Pick the file again.")
        plan = attachment_plans.upload(thread, file)
        argv = commands.attachment_upload(thread.thread_id, file.path)
        return plan.model_copy(update={"argv": argv, "provider": "cli", "body": None})

    def plan_attachment_download(self, thread: Thread, attachment: Attachment, target: str) -> WritePlan:
        return attachment_plans.download(thread, attachment, target)

    def plan_attachment_delete(self, thread: Thread, attachment: Attachment) -> WritePlan:
        plan = attachment_plans.delete(thread, attachment)
        return self._cli(plan, commands.attachment_delete(thread.thread_id, attachment.attachment_id))

    # --- the dry-run and the --force ------------------------------------------------------------

    def _argv(self, plan: WritePlan) -> tuple[str, ...]:
        if not plan.argv or plan.argv[0] not in {"message", "crm"}:
            raise PlanError("This plan has no noxinfluencer command", "Plan the write again.")
        return plan.argv

    async def dry_run(self, plan: WritePlan) -> DryRun:
        """The tool's own dry-run of ``plan`` (no ``--force``): what the confirm modal shows beside it."""
        argv = self._argv(plan)
        body_text = json.dumps(plan.body, ensure_ascii=False, indent=1) if plan.body is not None else None
        with body_file(plan.body) as path:
            real = with_body_path(argv, path)
            shown = shown_command([*self.runner.tool, *real])
            try:
                completed = await self.runner.raw(real)
            except NoxError as exc:
                return DryRun(ok=False, command=shown, body_file=body_text, answer=exc.message)
        try:
            envelope = decode(completed, shown, self.runner.catalogue)
        except NoxError as exc:
            return DryRun(ok=False, command=shown, body_file=body_text, answer=exc.message)
        request = DryRunRequest.model_validate(envelope.data) if isinstance(envelope.data, dict) else None
        lines = [envelope.summary.strip() or "The tool accepted the dry-run."]
        if request is not None and request.method and request.path:
            lines.append(f"It would send: {request.method} {request.path}")
        return DryRun(ok=True, command=shown, body_file=body_text, answer="\n".join(lines))

    async def execute(self, plan: WritePlan) -> WriteResult:
        """Run a confirmed plan exactly as shown, with ``--force`` and the plan's key (retries reuse it)."""
        argv = commands.forced(self._argv(plan), plan.idempotency_key)
        answer = await self.runner.call(argv, body=plan.body)
        return WriteResult(plan=plan, summary=answer.envelope.summary or plan.summary, data=answer.data)

    async def upload_attachment(
        self, thread_id: str, filename: str, content: bytes, content_type: str = "application/octet-stream"
    ) -> Attachment:
        """``message attachments upload --file``: the bytes go through a private temporary folder."""
        if not filename or "/" in filename or "\\" in filename or filename in {".", ".."}:
            raise PlanError(f"The file name {filename!r} is not usable", "Pick a file with a plain name.")
        key = mint_idempotency_key()
        with tempfile.TemporaryDirectory(prefix="noxtui-upload-") as folder:
            path = os.path.join(folder, filename)
            with open(path, "wb") as handle:
                handle.write(content)
            argv = commands.forced(commands.attachment_upload(thread_id, path), key)
            answer = await self.runner.call(argv)
        return one(Attachment, answer.data, "uploaded attachment")

    async def delete_attachment(self, thread_id: str, attachment_id: str) -> None:
        """``message attachments delete``: the file leaves the thread's draft."""
        argv = commands.forced(commands.attachment_delete(thread_id, attachment_id), mint_idempotency_key())
        await self.runner.call(argv)

    async def aclose(self) -> None:
        """Nothing to close: every command was its own process, and each has ended."""


__all__ = ["CLI_ACCOUNT", "NoxCliProvider"]
