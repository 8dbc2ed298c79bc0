"""The CRM panel's fields, key by key, through both NoxInfluencer providers: coop status, labels,
email and URL of the creator's channel, each through the confirm modal and read back from the
server; a bad email is refused locally; a long URL wraps whole in the panel and y copies it."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Input, OptionList, Static

from noxtui.domain.models import ThreadQuery
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.picker import PickerScreen
from noxtui.tui.screens.prompt import PromptScreen
from noxtui.tui.widgets.context_panels import CrmPanel
from tests.cli_support import FakeCli, make_cli_app
from tests.sandbox_support import auth
from tests.tui.support import (
    confirm,
    inbox,
    list_loaded,
    make_app,
    plain,
    record_notifications,
    server_threads,
    thread_opened,
    wait_for,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _app(kind: str, sandbox, token: str, request: pytest.FixtureRequest) -> tuple[NoxTUI, FakeCli | None]:
    if kind == "rest":
        return make_app(sandbox, token), None
    fake: FakeCli = request.getfixturevalue("fake_cli")
    return make_cli_app(fake), fake


def _channel(sandbox, token: str, creator_id: str) -> dict | None:
    with httpx.Client(base_url=sandbox.base_url, headers=auth(token)) as client:
        response = client.get(f"/crm/channels/{creator_id}")
        return response.json()["data"] if response.status_code == 200 else None


async def _pick_in(pilot, choose) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PickerScreen))
    listing = pilot.app.screen.query_one(OptionList)
    listing.highlighted = next(i for i, o in enumerate(listing.options) if choose(o))
    await pilot.press("enter")


async def _type_in(pilot, value: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PromptScreen))
    pilot.app.screen.query_one(Input).value = value
    await pilot.press("enter")


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_status_labels_email_and_url_of_a_crm_channel(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest
) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    thread = next(t for t in threads if _channel(sandbox, sandbox_token, t.creator.creator_id) is not None)
    creator_id = thread.creator.creator_id
    before = _channel(sandbox, sandbox_token, creator_id)
    assert before is not None
    app, _ = _app(kind, sandbox, sandbox_token, request)
    async with app.run_test(size=(140, 45)) as pilot:
        told = record_notifications(app)
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(thread.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, thread.thread_id)
        await pilot.press("p")
        panel = screen.query_one(CrmPanel)
        await wait_for(pilot, lambda: panel.channel is not None and panel.fields_editable)

        # coop status
        current = (before["coop_status"] or {}).get("code")
        await pilot.press("s")
        await _pick_in(pilot, lambda o: o.id not in (None, current, "\x00any"))
        assert "status" in await confirm(pilot)
        after = _channel(sandbox, sandbox_token, creator_id)
        assert after is not None and (after["coop_status"] or {}).get("code") != current

        # a label (enter toggles it)
        have = {label["label_id"] for label in before["labels"]}
        await wait_for(pilot, lambda: panel.channel is not None and panel.channel.coop_status is not None)
        await pilot.press("l")
        await _pick_in(pilot, lambda o: o.id is not None and o.id not in have)
        await confirm(pilot)
        after = _channel(sandbox, sandbox_token, creator_id)
        assert after is not None and len(after["labels"]) == len(have) + 1

        # email: refused locally when it is not one, then set
        await pilot.press("m")
        await _type_in(pilot, "not-an-email")
        await wait_for(pilot, lambda: any("is not an email address" in n.message for n in told))
        await pilot.press("m")
        await _type_in(pilot, "mia.new@creators.example")
        assert "mia.new@creators.example" in await confirm(pilot)
        after = _channel(sandbox, sandbox_token, creator_id)
        assert after is not None and after["email"] == "mia.new@creators.example"

        # a long URL: set, shown whole (wrapped, never cut), copied whole with y
        long_url = "https://www.youtube.com/@mia/videos?" + "&".join(f"utm_{i}=campaign-{i}" for i in range(20))
        await pilot.press("u")
        await _type_in(pilot, long_url)
        await confirm(pilot)
        after = _channel(sandbox, sandbox_token, creator_id)
        assert after is not None and after["url"] == long_url
        facts = panel.query_one("#crm-facts", Static)
        await wait_for(pilot, lambda: panel.channel is not None and panel.channel.url == long_url)
        shown = "".join(line.strip() for line in plain(facts).splitlines())
        assert long_url in shown and "…" not in shown
        await pilot.press("y")
        assert app.clipboard == long_url


async def test_inbox_offers_no_crm_field_keys(sandbox, sandbox_token) -> None:
    """Inbox's prospects have notes, owner and a valuation, not these fields: s l m u are hidden."""
    from tests.tui.support import make_inbox_app

    app = make_inbox_app(sandbox, sandbox_token)
    async with app.run_test(size=(140, 45)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("enter")
        await thread_opened(pilot)
        await pilot.press("p")
        panel = screen.query_one(CrmPanel)
        await wait_for(pilot, lambda: panel.channel is not None)
        await pilot.pause()
        assert not panel.fields_editable
        assert not any(panel.check_action("edit_field", (name,)) for name in ("status", "labels", "email", "url"))
        assert " s status" not in plain(panel.query_one(".panel-hint", Static))
