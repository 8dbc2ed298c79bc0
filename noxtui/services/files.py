"""Files on a draft, for the screens: the rep's local file checked, then planned by the provider.

The screen asks for a path; this module reads what the plan must show (name, size, type) from the
disk, refuses what is not a readable regular file, and hands the provider a ``LocalFile`` so its
pure plan builder can apply the vendor's limits. It also completes a half-typed path, which is the
keyboard file picker's one piece of I/O.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import re
from pathlib import Path

from noxtui.domain.attachments import LocalFile
from noxtui.domain.errors import CapabilityError, PlanError
from noxtui.domain.models import Attachment, Thread, WritePlan, WriteResult
from noxtui.providers.base import AttachmentDownloads, DraftAttachments, Provider

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def local_file(path_text: str) -> LocalFile:
    """The file at ``path_text`` (``~`` expanded, made absolute), or a ``PlanError`` saying why not."""
    text = path_text.strip()
    if not text:
        raise PlanError("No file was given", "Type the path of the file to attach.")
    path = Path(os.path.expanduser(text)).absolute()
    if not path.exists():
        raise PlanError(f"There is no file {text!r}", "Check the path (tab completes it).")
    if not path.is_file():
        raise PlanError(f"{path.name} is not a regular file", "Pick a file, not a folder.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PlanError(f"Cannot read {path.name}: {exc.strerror or exc}", "Check its permissions.") from None
    if not os.access(path, os.R_OK):
        raise PlanError(f"Cannot read {path.name}: permission denied", "Check its permissions.")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return LocalFile(path=str(path), filename=path.name, size=size, content_type=content_type)


def complete_path(text: str) -> str | None:
    """``text`` extended as far as the entries of its folder agree (folders end with ``/``);
    ``None`` when nothing matches. Hidden entries are offered only once a ``.`` is typed."""
    expanded = os.path.expanduser(text) if text else ""
    folder, _, stem = expanded.rpartition(os.sep)
    where = Path(folder + os.sep if folder or expanded.startswith(os.sep) else ".")
    try:
        names = sorted(entry.name for entry in os.scandir(where) if entry.name.startswith(stem))
    except OSError:
        return None
    if not stem.startswith("."):
        names = [name for name in names if not name.startswith(".")]
    if not names:
        return None
    common = os.path.commonprefix(names)
    if len(names) == 1 and (where / common).is_dir():
        common += os.sep
    head = text[: len(text) - len(stem)] if stem else text
    return head + common


def writable_folder(path_text: str) -> str | None:
    """Why files cannot be saved in ``path_text``, or ``None`` when they can."""
    folder = Path(os.path.expanduser(path_text.strip() or "."))
    if not folder.is_dir():
        return f"{path_text.strip() or '.'} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder} is not writable"
    return None


def save_target(folder_text: str, filename: str) -> str:
    """Where a download of ``filename`` lands in the folder: the server's name made safe (no path,
    no control characters), never an existing file (``name (1).pdf``…)."""
    folder = Path(os.path.expanduser(folder_text.strip() or ".")).absolute()
    safe = _UNSAFE_NAME.sub("_", filename).strip().lstrip(".") or "attachment"
    stem, dot, ext = safe.rpartition(".") if "." in safe else (safe, "", "")
    target = folder / safe
    number = 1
    while target.exists():
        target = folder / f"{stem} ({number}){dot}{ext}"
        number += 1
    return str(target)


def _write_new(path: str, data: bytes) -> None:
    """Write a new file (never over an existing one)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


class DraftFiles:
    """What a screen does with a draft's files, for a provider that has them (``DraftAttachments``)."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    @property
    def available(self) -> bool:
        return isinstance(self.provider, DraftAttachments)

    def _files(self) -> DraftAttachments:
        if not isinstance(self.provider, DraftAttachments):
            raise CapabilityError(f"{self.provider.display_name} cannot attach files to a draft")
        return self.provider

    async def listed(self, thread: Thread) -> list[Attachment]:
        """The files on the thread's draft, in the draft's order (one read, only when it has any)."""
        wanted = thread.composer.attachment_ids
        if not wanted:
            return []
        found = {a.attachment_id: a for a in await self._files().attachments(thread.thread_id)}
        return [found.get(i) or Attachment(attachment_id=i, filename=i) for i in wanted]

    def plan_upload(self, thread: Thread, path_text: str) -> WritePlan:
        return self._files().plan_attachment_upload(thread, local_file(path_text))

    def plan_delete(self, thread: Thread, attachment: Attachment) -> WritePlan:
        return self._files().plan_attachment_delete(thread, attachment)

    # --- downloads: a read, then a new file on the rep's disk -------------------------------------

    @property
    def downloads(self) -> bool:
        return isinstance(self.provider, AttachmentDownloads)

    def plan_download(self, thread: Thread, attachment: Attachment, folder_text: str) -> WritePlan:
        if not isinstance(self.provider, AttachmentDownloads):
            raise CapabilityError(f"{self.provider.display_name} cannot download files")
        problem = writable_folder(folder_text)
        if problem is not None:
            raise PlanError(problem, "Choose another folder.")
        target = save_target(folder_text, attachment.filename)
        return self.provider.plan_attachment_download(thread, attachment, target)

    async def download(self, plan: WritePlan) -> WriteResult:
        """The confirmed download: read the file's bytes, then write them where the plan said."""
        if not isinstance(self.provider, AttachmentDownloads) or plan.kind != "attachment_download":
            raise CapabilityError(f"{self.provider.display_name} cannot download files")
        body = plan.body or {}
        target, attachment_id = str(body.get("save_to", "")), str(body.get("attachment_id", ""))
        content = await self.provider.attachment_content(plan.thread_id or "", attachment_id)
        data = content.data()
        try:
            await asyncio.to_thread(_write_new, target, data)
        except FileExistsError:
            raise PlanError(f"{target} appeared meanwhile; nothing was overwritten", "Download it again.") from None
        except OSError as exc:
            raise PlanError(f"Cannot write {target}: {exc.strerror or exc}", "Choose another folder.") from None
        return WriteResult(plan=plan, summary=f"Saved {content.filename} ({len(data):,} bytes) to {target}")


__all__ = ["DraftFiles", "complete_path", "local_file", "save_target", "writable_folder"]
