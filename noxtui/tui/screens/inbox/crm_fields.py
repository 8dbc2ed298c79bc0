"""The CRM panel's other fields: coop status, labels, email and URL of the creator's channel, each
asked for, planned, confirmed in the modal and read back. Offered only where the provider has them
(``CrmFields``); notes, owner and valuation are ``context``'s.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work

from noxtui.domain.errors import NoxError
from noxtui.domain.filters import Choice
from noxtui.domain.models import CrmChannel, WritePlan
from noxtui.providers.base import CrmFields
from noxtui.tui.screens.inbox.writes import WritesMixin
from noxtui.tui.screens.picker import PickerResult, PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.context_panels import CrmPanel


class CrmFieldsMixin(WritesMixin):
    """``s`` ``l`` ``m`` ``u`` in the CRM panel: status, labels, email, URL."""

    @on(CrmPanel.Shown)
    def _crm_shown(self, event: CrmPanel.Shown) -> None:
        event.stop()
        self.query_one(CrmPanel).allow_fields(self.service.supports(CrmFields))

    @on(CrmPanel.EditField)
    def _crm_field(self, event: CrmPanel.EditField) -> None:
        event.stop()
        panel = self.query_one(CrmPanel)
        provider = self.service.provider
        if panel.channel is None or not isinstance(provider, CrmFields):
            return
        self._edit_crm_field(provider, panel.channel, panel.creator_name, event.field)

    @work(group="write")
    async def _edit_crm_field(self, provider: CrmFields, channel: CrmChannel, name: str, field: str) -> None:
        build = await self._ask(provider, channel, name, field)
        if build is None:
            self.notify("CRM channel unchanged — nothing was sent.")
            return
        if await self.run_write(build) is not None:
            await self._reread_crm(channel.creator_id)

    async def _ask(
        self, provider: CrmFields, channel: CrmChannel, name: str, field: str
    ) -> Callable[[], WritePlan] | None:
        """The rep's new value, as the plan to build (``None``: backed out)."""
        if field == "status":
            statuses = self.catalogues.statuses
            current = channel.coop_status.code if channel.coop_status else None
            options = [Choice(s.code, s.name) for s in statuses]
            picked = await self._choose(f"Coop status of {name}'s channel", options, current)
            status = next((s for s in statuses if s.code == picked), None)
            return None if status is None else (lambda: provider.plan_crm_status(channel, name, status))
        if field == "labels":
            labels = self.catalogues.labels
            have = {label.label_id for label in channel.labels}
            choices = [Choice(lb.label_id, ("✓ " if lb.label_id in have else "  ") + lb.name) for lb in labels]
            picked = await self._choose(f"Add or remove a CRM label of {name} (enter toggles it)", choices, None)
            if picked is None:
                return None
            wanted = [i for i in have if i != picked] if picked in have else [*have, picked]
            return lambda: provider.plan_crm_labels(channel, name, wanted, labels)
        what, current_value = ("email", channel.email or "") if field == "email" else ("URL", channel.url)
        value: str | None = await self.app.push_screen_wait(
            PromptScreen(
                f"Channel {what} of {name}",
                value=current_value,
                placeholder="name@example.com (empty clears it)" if field == "email" else "https://…",
                hint="enter: plan the change · esc: back",
            )
        )
        if value is None:
            return None
        if field == "email":
            return lambda: provider.plan_crm_email(channel, name, value)
        return lambda: provider.plan_crm_url(channel, name, value)

    async def _choose(self, title: str, choices: list[Choice], current: str | None) -> str | None:
        result: PickerResult | None = await self.app.push_screen_wait(
            PickerScreen(title, choices, current, any_label=None)
        )
        return result.choice.value if result is not None and result.choice is not None else None

    async def _reread_crm(self, creator_id: str) -> None:
        """Show what the server now holds (the write's ``after_write`` is not used: it closes panels)."""
        panel = self.query_one(CrmPanel)
        try:
            channel = await self.context.crm(creator_id)
        except NoxError as exc:
            panel.show_error(exc.message)
            return
        panel.is_open = True
        panel.show(channel, self.catalogues.members)
