"""Navigation the seeds ask for: projects of the chosen team member, an email task's threads from its
id, and the sender a reply goes from.

- ``P`` with a team member in the filter lists that member's projects
  (``message project-filters --creator_uids``), not every project of the team.
- ``#`` asks for an email task id and shows that task's threads (``message list --business_kind
  email_task --business_id``); ``J`` goes back to the list before.
- ``F`` picks the sender of the open thread's reply; the composer's From line shows it, and a
  re-read never changes it behind the rep's back (``Composer.choose_sender(by_rep=True)``).
"""

from __future__ import annotations

import re

from textual import work

from noxtui.domain.errors import NoxError
from noxtui.domain.filters import Choice, FilterState
from noxtui.domain.models import ProjectOption
from noxtui.providers.base import ProjectFilter
from noxtui.tui.screens.inbox.saved_views import SavedViewsMixin
from noxtui.tui.screens.picker import PickerResult, PickerScreen
from noxtui.tui.screens.prompt import PromptScreen

_TASK_ID = re.compile(r"^[A-Za-z0-9_:.-]{1,64}$")


def task_id_problem(value: str) -> str | None:
    """Why ``value`` is not an email task id, or ``None``."""
    text = value.strip()
    if not text:
        return "Type the email task's id, e.g. et_000012."
    if not _TASK_ID.fullmatch(text):
        return "A task id has letters, digits, '_', ':', '.' or '-' only."
    return None


class NavigationMixin(SavedViewsMixin):
    """Member-scoped projects, task-id navigation and the reply's sender."""

    # --- projects of the chosen team member -------------------------------------------------------

    def action_pick_project(self) -> None:
        self._pick_member_project()

    async def member_projects(self) -> list[ProjectOption]:
        """The projects the picker offers: the filtered member's, else every project of the team."""
        member = self.filters.member
        provider = self.service.provider
        if member is None or not isinstance(provider, ProjectFilter):
            return self.catalogues.projects
        return await provider.project_options([member.value])

    @work(group="pickers")
    async def _pick_member_project(self) -> None:
        member = self.filters.member
        try:
            projects = await self.member_projects()
        except NoxError as exc:
            self.notify(exc.message, title="Could not list the projects", severity="error")
            return
        title = f"Filter by a project of {member.name}" if member else "Filter by project"
        if member is not None and not projects:
            self.notify(f"{member.name} has no projects.", severity="warning")
            return
        current = self.filters.project.value if self.filters.project else None
        picker = PickerScreen(title, [Choice(p.project_id, p.name) for p in projects], current)
        result: PickerResult | None = await self.app.push_screen_wait(picker)
        if result is not None:
            self.apply_filters(self.filters.with_choice("project", result.choice))

    # --- an email task's threads, from its id -----------------------------------------------------

    def action_go_task(self) -> None:
        self._go_task()

    @work(group="pickers")
    async def _go_task(self) -> None:
        answer: str | None = await self.app.push_screen_wait(
            PromptScreen(
                "Open an email task's threads",
                placeholder="task id, e.g. et_000012",
                hint="enter: show its threads · J: back to this list afterwards · esc: back",
                check=task_id_problem,
            )
        )
        if answer is None:
            return
        task_id = answer.strip()
        if self._before_jump is None:
            self._before_jump = self.filters
        self.apply_filters(FilterState(business_kind="email_task", business_id=task_id))
        self.notify(f"Threads of email task {task_id}; J goes back to the list before.")

    # --- the reply's sender -------------------------------------------------------------------------

    def action_change_sender(self) -> None:
        thread = self.need_thread()
        if thread is None:
            return
        senders = self.catalogues.senders
        if not senders:
            self.notify("No sender mailboxes are known yet; press r to reload.", severity="warning")
            return
        self._change_sender(thread.thread_id)

    @work(group="pickers")
    async def _change_sender(self, thread_id: str) -> None:
        senders = self.catalogues.senders
        choices = [Choice(s.sender_auth_id, f"{s.name} <{s.address}>" if s.name else s.address) for s in senders]
        picker = PickerScreen("Send this reply from", choices, self.composer.sender_auth_id, any_label=None)
        result: PickerResult | None = await self.app.push_screen_wait(picker)
        if result is None or result.choice is None or self.composer.thread_id != thread_id:
            return
        self.composer.choose_sender(result.choice.value, by_rep=True)
        self.notify(f"This reply goes from {result.choice.name}.")
