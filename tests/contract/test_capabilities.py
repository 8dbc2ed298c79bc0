"""Which capability protocols each provider satisfies: the UI asks ``isinstance``, so this is the contract.

A provider satisfies a protocol only by having its methods; none of them may be a stub that raises
or answers a fixed empty list. NoxInfluencer has every capability; Inbox has the core, assignee
filters (``TeamFilter``) and archiving as marking done (``Archive``), and nothing else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from noxtui.providers.base import (
    Archive,
    Crm,
    EmailTasks,
    ProjectFilter,
    Provider,
    Scheduling,
    Senders,
    ServerDrafts,
    ServerTemplates,
    SiblingProjects,
    TeamFilter,
)
from noxtui.providers.inbox.provider import InboxProvider
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider

EVERY_CAPABILITY: tuple[type, ...] = (
    ServerDrafts, Scheduling, ServerTemplates, SiblingProjects, ProjectFilter, TeamFilter, Senders, EmailTasks, Crm,
    Archive,
)
INBOX_HAS: tuple[type, ...] = (TeamFilter, Archive, Crm, SiblingProjects, ProjectFilter)  # CRM: the prospect
TOKEN = "tok_capabilities_1234"


class RefuseNetwork(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pytest.fail(f"a request was sent: {request.method} {request.url}")


@pytest.fixture
async def nox() -> AsyncIterator[NoxProvider]:
    provider = NoxProvider(NoxClient("https://nox.invalid/v1", TOKEN, transport=RefuseNetwork()))
    yield provider
    await provider.aclose()


@pytest.fixture
async def inbox() -> AsyncIterator[InboxProvider]:
    provider = InboxProvider("https://inbox.invalid/api/v1", TOKEN, transport=RefuseNetwork())
    yield provider
    await provider.aclose()


async def test_nox_implements_every_capability(nox: NoxProvider) -> None:
    assert isinstance(nox, Provider)
    for capability in EVERY_CAPABILITY:
        assert isinstance(nox, capability), capability.__name__


async def test_inbox_implements_only_what_its_api_has(inbox: InboxProvider) -> None:
    assert isinstance(inbox, Provider)
    has = {capability.__name__ for capability in EVERY_CAPABILITY if isinstance(inbox, capability)}
    assert has == {capability.__name__ for capability in INBOX_HAS}


async def test_traits_stay_on_capabilities(nox: NoxProvider, inbox: InboxProvider) -> None:
    """What is not an action stays a trait: totals, text search, attachments and the panel titles."""
    assert nox.capabilities.exact_totals and nox.capabilities.keyword_filter and nox.capabilities.attachments
    caps = inbox.capabilities
    assert not (caps.exact_totals or caps.attachments) and caps.keyword_filter  # keyword = @username lookup
    assert (caps.labels_title, caps.status_title) == ("Tags", "Status")
