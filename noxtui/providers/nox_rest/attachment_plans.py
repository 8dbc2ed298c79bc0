"""Pure ``WritePlan`` builders for a draft's files: attach one, remove one, save a message's file.

The vendor's limits (2 files on a draft, 10 MB, no executable or script) are checked here, before
anything leaves the machine, with the reason the rep reads in the refusal. The plan names the file,
its size and type and the thread, which is what the confirm modal shows; the bytes are read only
when the rep confirms (``NoxProvider.execute``; the vendor CLI reads ``--file`` itself).
"""

from __future__ import annotations

from noxtui.domain.attachments import LocalFile, human_size, refusal
from noxtui.domain.errors import PlanError
from noxtui.domain.models import Attachment, Thread, WritePlan
from noxtui.domain.plan_rules import mint_idempotency_key, who
from noxtui.providers.nox_rest import routes
from noxtui.providers.nox_rest.composer_plans import thread_id_of


def describe(attachment: Attachment | LocalFile) -> str:
    """``rates.pdf (12.5 KB, application/pdf)``."""
    return f"{attachment.filename} ({human_size(attachment.size)}, {attachment.content_type})"


def attachment_path(thread_id: str, attachment_id: str) -> str:
    return f"{routes.thread_attachments(thread_id)}/{routes.segment(attachment_id, 'attachment id')}"


def upload(thread: Thread, file: LocalFile) -> WritePlan:
    """Attach ``file`` to the thread's draft; refused locally when the draft cannot take it."""
    thread_id = thread_id_of(thread)
    reason = refusal(file.filename, file.size, len(thread.composer.attachment_ids))
    if reason is not None:
        fix = "Remove a file from the draft first (X)." if reason.startswith("The draft") else "Pick another file."
        raise PlanError(reason, fix, fields={"file": reason})
    name = who(thread)
    return WritePlan(
        kind="attachment_upload",
        method="POST",
        path=routes.thread_attachments(thread_id),
        body={"file": file.path, "content_type": file.content_type},
        summary=f"Attach {describe(file)} to the draft for {name}",
        thread_id=thread_id,
        creator_name=name,
        warnings=("The file goes out with the next reply sent or scheduled from this draft.",),
        idempotency_key=mint_idempotency_key(),
    )


def delete(thread: Thread, attachment: Attachment) -> WritePlan:
    """Remove one file from the thread's draft (refused for a file that is not on the draft)."""
    thread_id = thread_id_of(thread)
    if attachment.attachment_id not in thread.composer.attachment_ids:
        raise PlanError(
            f"{attachment.filename} is not on this thread's draft",
            "Press r to reload the thread, then pick the file again.",
        )
    name = who(thread)
    return WritePlan(
        kind="attachment_delete",
        method="DELETE",
        path=attachment_path(thread_id, attachment.attachment_id),
        summary=f"Remove {describe(attachment)} from the draft for {name}",
        thread_id=thread_id,
        creator_name=name,
        warnings=("The file is deleted from the thread; to send it, attach it again.",),
        idempotency_key=mint_idempotency_key(),
    )


def download(thread: Thread, attachment: Attachment, target: str) -> WritePlan:
    """Save one of the thread's files at ``target`` on the rep's disk (a read, then a local write)."""
    thread_id = thread_id_of(thread)
    message = next((m for m in thread.messages if attachment in m.attachments), None)
    source = ""
    if message is not None:
        source = f" from {message.sender.name or message.sender.address}'s message of {message.sent_at:%Y-%m-%d}"
    return WritePlan(
        kind="attachment_download",
        method="GET",
        path=attachment_path(thread_id, attachment.attachment_id),
        body={"attachment_id": attachment.attachment_id, "save_to": target},
        summary=f"Save {describe(attachment)}{source} to {target}",
        thread_id=thread_id,
        creator_name=who(thread),
        idempotency_key=mint_idempotency_key(),
    )


__all__ = ["attachment_path", "delete", "describe", "download", "upload"]
