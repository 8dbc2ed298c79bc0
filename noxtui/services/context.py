"""What surrounds a thread: its email task and report, the creator's CRM channel, sibling projects.

Kept apart from ``InboxService`` (the list, the thread, sync) because every read here is a capability
a provider may not have: each method asks the provider with ``isinstance`` first, so a backend
without email tasks or CRM never gets a call it would have to fake.
"""

from __future__ import annotations

import asyncio

from noxtui.domain.errors import CapabilityError, NotFoundError
from noxtui.domain.models import CrmChannel, EmailReport, EmailTask, Project, TeamMember, ThreadSummary, WritePlan
from noxtui.providers.base import Assignment, Crm, EmailTasks, Provider, SiblingProjects, Valuation


class ContextService:
    """Reads for the context panels; the screen shows what they return and never calls the provider."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    async def siblings(self, thread_id: str) -> list[Project]:
        """The creator's other projects (threads); none when the provider has no such notion."""
        if not isinstance(self.provider, SiblingProjects):
            return []
        return await self.provider.sibling_projects(thread_id)

    async def email_task(self, task_id: str) -> tuple[EmailTask, EmailReport]:
        """The task and its report, fetched together."""
        if not isinstance(self.provider, EmailTasks):
            raise CapabilityError(f"{self.provider.display_name} has no email tasks")
        task, report = await asyncio.gather(self.provider.email_task(task_id), self.provider.email_report(task_id))
        return task, report

    async def crm(self, creator_id: str) -> CrmChannel | None:
        """The creator's CRM channel, or ``None`` when the creator has none (a real state, not an error)."""
        if not isinstance(self.provider, Crm):
            raise CapabilityError(f"{self.provider.display_name} has no CRM channels")
        try:
            return await self.provider.crm_channel(creator_id)
        except NotFoundError:
            return None

    def plan_valuation(self, channel: CrmChannel, valuation: float | None) -> WritePlan:
        """The creator's valuation (``None`` clears it), where the provider keeps one (Inbox)."""
        if not isinstance(self.provider, Valuation):
            raise CapabilityError(f"{self.provider.display_name} keeps no valuation")
        return self.provider.plan_valuation(channel, valuation)

    @property
    def can_assign(self) -> bool:
        return isinstance(self.provider, Assignment)

    def plan_assign(self, thread: ThreadSummary, member: TeamMember | None) -> WritePlan:
        """Assign the thread to ``member`` (``None``: unassign), where the provider assigns threads."""
        if not isinstance(self.provider, Assignment):
            raise CapabilityError(f"{self.provider.display_name} cannot assign threads")
        return self.provider.plan_assign(thread, member)
