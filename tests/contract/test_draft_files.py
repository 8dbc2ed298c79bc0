"""A draft's files survive every composer write, through both NoxInfluencer providers.

The plans name the draft's ``attachment_ids`` in every draft save, send and schedule (a file leaves
the draft only when the rep removes it), and the sandbox keeps them when a body leaves the list out.
The REST provider talks to the sandbox over loopback HTTP; the CLI provider runs the fake tool.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from tests.cli_support import cli_provider
from tests.sandbox_support import SANDBOX_NOW, auth

THREAD = "th_000004"


@pytest.fixture(params=["rest", "cli"])
async def provider(request: pytest.FixtureRequest, sandbox, sandbox_token) -> Any:
    if request.param == "cli":
        yield cli_provider(request.getfixturevalue("fake_cli"))
        return
    client = NoxClient(sandbox.base_url, sandbox_token, backoff=0.01, max_retries=1)
    yield NoxProvider(client, clock=lambda: SANDBOX_NOW)
    await client.aclose()


async def test_draft_save_and_send_keep_the_drafts_file(provider) -> None:
    await provider.senders()
    uploaded = await provider.upload_attachment(THREAD, "rates.pdf", b"%PDF-1.4 rates", "application/pdf")
    thread = await provider.get_thread(THREAD)
    assert thread.composer.attachment_ids == [uploaded.attachment_id]

    draft = provider.plan_draft(thread, "Rates attached.", "sa_maya")
    assert draft.body["attachment_ids"] == [uploaded.attachment_id] and "1 attached file" in draft.summary
    await provider.execute(draft)
    thread = await provider.get_thread(THREAD)
    assert thread.composer.draft_body == "Rates attached."
    assert thread.composer.attachment_ids == [uploaded.attachment_id]

    await provider.execute(provider.plan_send(thread, thread.composer.draft_body, "sa_maya"))
    sent = (await provider.get_thread(THREAD)).messages[-1]
    assert sent.body_text == "Rates attached."
    assert [a.attachment_id for a in sent.attachments] == [uploaded.attachment_id]


async def test_a_scheduled_reply_goes_out_with_the_drafts_file(provider, sandbox) -> None:
    await provider.senders()
    uploaded = await provider.upload_attachment(THREAD, "brief.pdf", b"%PDF-1.4 brief", "application/pdf")
    thread = await provider.get_thread(THREAD)
    plan = provider.plan_schedule(thread, "The brief, tomorrow.", "sa_maya", "2026-11-20T10:00:00Z")
    assert plan.body["attachment_ids"] == [uploaded.attachment_id]
    await provider.execute(plan)
    moved = httpx.post(f"{sandbox.root_url}/_sandbox/clock", headers=auth(), json={"advance_seconds": 2 * 3600})
    assert moved.status_code == 200
    delivered = (await provider.get_thread(THREAD)).messages[-1]
    assert delivered.body_text == "The brief, tomorrow."
    assert [a.attachment_id for a in delivered.attachments] == [uploaded.attachment_id]
