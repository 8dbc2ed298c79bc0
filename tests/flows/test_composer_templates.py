"""Templates, key by key, through both NoxInfluencer providers: the panel opens on the profile's
language and g switches it; the highlighted template is previewed rendered for the thread; applying
one asks its variables in one form (pre-filled from the thread), the confirm modal shows the
rendered draft, the server's missing_variables are said; the focus stays out of the draft; saving
the draft as a template asks name, language and subject in one form."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Static, TextArea

from noxtui.domain.models import Thread
from noxtui.providers.nox_cli.provider import NoxCliProvider
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.settings import Profile, Settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.form import FormScreen
from noxtui.tui.widgets.templates_panel import TemplatesPanel
from tests.cli_support import cli_provider
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import (
    confirm,
    inbox,
    list_loaded,
    plain,
    record_notifications,
    thread_opened,
    wait_for,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _app(kind: str, sandbox, token: str, request: pytest.FixtureRequest) -> NoxTUI:
    if kind == "rest":
        client = NoxClient(sandbox.base_url, token, backoff=0.01, max_retries=1)
        provider: NoxProvider | NoxCliProvider = NoxProvider(client, clock=lambda: SANDBOX_NOW)
    else:
        provider = cli_provider(request.getfixturevalue("fake_cli"))
    return NoxTUI(
        provider=provider,
        settings=Settings(profiles={"default": Profile(template_language="es")}),
        clock=lambda: SANDBOX_NOW,
        label="test",
        persist_settings=False,
    )


async def _server(sandbox, token: str, thread_id: str) -> Thread:
    async with NoxClient(sandbox.base_url, token) as client:
        return await client.get_thread(thread_id)


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_language_preview_variables_focus_and_save(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest
) -> None:
    app = _app(kind, sandbox, sandbox_token, request)
    async with app.run_test(size=(140, 45)) as pilot:
        told = record_notifications(app)
        await list_loaded(pilot)
        screen = inbox(pilot)
        row = screen.thread_list.current
        assert row is not None
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)
        first_name = row.creator_name.split()[0]

        # the profile's language first; g walks the languages, then all of them
        await pilot.press("T")
        panel = screen.query_one(TemplatesPanel)
        await wait_for(pilot, lambda: panel.heading.startswith("Templates · es"))
        listing = panel.query_one("#templates-list", OptionList)
        headers = [str(option.prompt) for option in listing.options if option.disabled]
        assert headers == ["— es —"] and len(listing.options) > 1
        for expected in ("ja", "pt", "all"):
            await pilot.press("g")
            await wait_for(pilot, lambda expected=expected: panel.heading.startswith(f"Templates · {expected}"))

        # the highlighted template, rendered for this thread, what is left to fill marked
        rates = next(i for i, o in enumerate(listing.options) if str(o.prompt) == "Rates — offer within budget")
        listing.highlighted = rates
        preview = panel.query_one("#template-preview", Static)
        await wait_for(pilot, lambda: f"Thanks {first_name}!" in plain(preview))
        assert "{{fee}}" in plain(preview) and "to fill in when applied: fee, deliverable" in plain(preview)

        # apply: one form, pre-filled from the thread; the modal shows the rendered draft
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert form.query_one("#form-field-0", Input).value == first_name  # creator_first_name
        form.query_one("#form-field-1", Input).value = "$900"  # fee; deliverable left empty
        await pilot.press("enter")
        shown = await confirm(pilot)
        assert f"Thanks {first_name}! We can offer $900 for {{{{deliverable}}}}" in shown
        draft = (await _server(sandbox, sandbox_token, row.thread_id)).composer.draft_body
        assert "$900" in draft and "{{deliverable}}" in draft
        await wait_for(pilot, lambda: any("deliverable" in n.message for n in told))

        # the focus is where the rep was: e is a command (edit), not a letter in the draft
        area = screen.query_one("#draft", TextArea)
        await wait_for(pilot, lambda: area.text == draft)
        assert not area.has_focus
        await pilot.press("e")
        assert area.has_focus and area.text == draft and area.cursor_location == area.document.end

        # save the draft as a template: name, language and subject in one form
        await pilot.press("escape", "T", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert form.query_one("#form-field-1", Input).value == "es"  # the profile's language
        form.query_one("#form-field-0", Input).value = "Rates for Mia"
        form.query_one("#form-field-1", Input).value = "en"
        form.query_one("#form-field-2", Input).value = "Our offer"
        await pilot.press("enter")
        shown = await confirm(pilot)
        assert "Save template “Rates for Mia” (en)" in shown
        async with NoxClient(sandbox.base_url, sandbox_token) as client:
            saved = next(t for t in await client.templates("en") if t.name == "Rates for Mia")
        assert saved.subject == "Our offer" and "$900" in saved.body
