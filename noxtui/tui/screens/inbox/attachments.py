"""The draft's files: shown in the composer, attached from a path prompt, removed, and a message's
file saved to a chosen folder, each through the confirm modal. Hidden (no key) where the provider
cannot (``DraftAttachments``, ``AttachmentDownloads``).

An attach reads the file's name, size and type from the disk, refuses locally what the vendor
refuses (a third file, over 10 MB, an executable or script) and otherwise plans the upload; the
confirm modal shows the file and the thread before anything leaves the machine.
"""

from __future__ import annotations

import os

from textual import on, work

from noxtui.domain.attachments import human_size
from noxtui.domain.errors import CapabilityError, NoxError, PlanError
from noxtui.domain.filters import Choice
from noxtui.domain.models import Attachment, Thread, WriteResult
from noxtui.services.files import DraftFiles, local_file, writable_folder
from noxtui.services.writes import FailedWrite
from noxtui.tui.screens.inbox.writes import WritesMixin
from noxtui.tui.screens.path_prompt import PathPromptScreen
from noxtui.tui.screens.picker import PickerResult, PickerScreen
from noxtui.tui.widgets.composer import Composer


def _checked(path: str) -> str | None:
    try:
        local_file(path)
    except PlanError as exc:
        return exc.message
    return None


class AttachmentsMixin(WritesMixin):
    """``a`` attaches a file to the open thread's draft, ``X`` removes one; the composer lists them."""

    _draft_files: DraftFiles | None = None

    @property
    def draft_files(self) -> DraftFiles:
        if self._draft_files is None:
            self._draft_files = DraftFiles(self.service.provider)
        return self._draft_files

    @on(Composer.FilesWanted)
    def _files_wanted(self, event: Composer.FilesWanted) -> None:
        event.stop()
        self._show_draft_files(event.thread)

    @work(exclusive=True, group="files")
    async def _show_draft_files(self, thread: Thread) -> None:
        try:
            files = await self.draft_files.listed(thread)
        except NoxError:
            return  # the composer keeps the ids it already shows
        if self.composer.thread_id == thread.thread_id:
            self.composer.show_files(files)

    # --- attach ---------------------------------------------------------------------------------

    def action_attach_file(self) -> None:
        thread = self.need_thread()
        if thread is not None:
            self._attach_flow(thread)

    @work(group="write")
    async def _attach_flow(self, thread: Thread) -> None:
        path: str | None = await self.app.push_screen_wait(
            PathPromptScreen(
                f"Attach a file to the draft for {thread.creator.name}",
                hint="tab completes · at most 2 files, 10 MB each, no executables or scripts · enter: plan",
                check=lambda value: None if not value.strip() else _checked(value),
            )
        )
        if path is None or not path.strip():
            self.notify("Nothing was attached.")
            return
        result = await self.run_write(lambda: self.draft_files.plan_upload(thread, path))
        if result is not None:
            self.after_write(result)

    # --- remove ---------------------------------------------------------------------------------

    def action_remove_file(self) -> None:
        thread = self.need_thread()
        if thread is None:
            return
        if not thread.composer.attachment_ids:
            self.notify("The draft holds no files.", severity="warning")
            return
        self._remove_flow(thread)

    @work(group="write")
    async def _remove_flow(self, thread: Thread) -> None:
        try:
            files = await self.draft_files.listed(thread)
        except NoxError as exc:
            self.notify(exc.message, title="Could not list the draft's files", severity="error")
            return
        chosen: Attachment | None = files[0] if len(files) == 1 else await self._pick_file(files)
        if chosen is None:
            return
        picked = chosen
        result = await self.run_write(lambda: self.draft_files.plan_delete(thread, picked))
        if result is not None:
            self.after_write(result)

    async def _pick_file(self, files: list[Attachment], title: str = "Remove which file from the draft?") -> (
        Attachment | None
    ):
        choices = [Choice(f.attachment_id, f"{f.filename} ({human_size(f.size)})") for f in files]
        picked: PickerResult | None = await self.app.push_screen_wait(PickerScreen(title, choices, any_label=None))
        if picked is None or picked.choice is None:
            return None
        return next(f for f in files if f.attachment_id == picked.choice.value)

    # --- download a message's file ----------------------------------------------------------------

    def action_download_file(self) -> None:
        thread = self.need_thread()
        if thread is None:
            return
        files = [a for m in reversed(thread.messages) for a in m.attachments]
        if not files:
            self.notify("No message in this thread carries a file.", severity="warning")
            return
        self._download_flow(thread, files)

    @work(group="write")
    async def _download_flow(self, thread: Thread, files: list[Attachment]) -> None:
        chosen = files[0] if len(files) == 1 else await self._pick_file(files, "Save which file?")
        if chosen is None:
            return
        downloads = os.path.expanduser("~/Downloads")
        folder: str | None = await self.app.push_screen_wait(
            PathPromptScreen(
                f"Save {chosen.filename} to which folder?",
                value=(downloads if os.path.isdir(downloads) else os.path.expanduser("~")) + os.sep,
                hint="tab completes · enter: plan the save (an existing file is never overwritten)",
                check=writable_folder,
            )
        )
        if folder is None:
            self.notify("Nothing was saved.")
            return
        try:
            plan = self.draft_files.plan_download(thread, chosen, folder)
        except (PlanError, CapabilityError) as exc:
            self.notify(exc.message, title="Nothing was saved", severity="error")
            return
        answer = await self.confirm(plan, self.draft_files.download)
        if isinstance(answer, WriteResult):
            self.notify(answer.summary, title="Saved")
        elif isinstance(answer, FailedWrite):
            self.notify(f"{answer.error.what}. Nothing was saved.", title="Not saved", severity="error")
        else:
            self.notify("Cancelled — nothing was saved.")
