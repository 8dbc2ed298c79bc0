"""The whole triage, key by key, through both NoxInfluencer providers: our REST contract and the
vendor's CLI (driven through the project's fake ``noxinfluencer``). Every write is checked on the
sandbox's server state; for the CLI, the tool's own log proves no ``--force`` ran before ``y`` and
``message get`` ran only for threads the rep opened.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from noxtui.domain.models import Thread, ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.form import FormScreen
from noxtui.tui.screens.prompt import PromptScreen
from tests.cli_support import FakeCli, make_cli_app
from tests.tui.support import (
    batch_modal,
    confirm,
    confirm_modal,
    inbox,
    list_loaded,
    make_app,
    run_batch,
    server_threads,
    thread_opened,
    wait_for,
    writes_done,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def _server(sandbox, token: str, thread_id: str) -> Thread:
    async with NoxClient(sandbox.base_url, token) as client:
        return await client.get_thread(thread_id)


def _app(kind: str, sandbox, token: str, request: pytest.FixtureRequest) -> tuple[NoxTUI, FakeCli | None]:
    if kind == "rest":
        return make_app(sandbox, token), None
    fake: FakeCli = request.getfixturevalue("fake_cli")
    return make_cli_app(fake), fake


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_triage_filter_open_label_status_template_draft_send_schedule_cancel_batch_undo_archive(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest
) -> None:
    app, fake = _app(kind, sandbox, sandbox_token, request)
    confirmed = 0
    opened: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        if fake is not None:
            assert not fake.forced(), "nothing may be written before the rep confirms"

        # filter: needs reply · inbound, then open the first thread
        await pilot.press("n", "d")
        await list_loaded(pilot)
        row = screen.thread_list.current
        assert row is not None and row.needs_reply and row.inbound
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)
        opened.add(row.thread_id)
        before = await _server(sandbox, sandbox_token, row.thread_id)

        # label it
        await pilot.press("l", "space", "enter")
        if fake is not None:
            modal = await confirm_modal(pilot)
            assert modal.dry_run is not None and modal.dry_run.ok
            assert not fake.forced(), "the dry-run ran, the write did not: y has not been pressed"
        await confirm(pilot)
        confirmed += 1
        labelled = await _server(sandbox, sandbox_token, row.thread_id)
        assert {lb.label_id for lb in labelled.labels} != {lb.label_id for lb in before.labels}

        # move the coop status one step
        await pilot.press("c", "down", "enter")
        assert "→" in await confirm(pilot)
        confirmed += 1
        moved = await _server(sandbox, sandbox_token, row.thread_id)
        assert moved.coop_status != before.coop_status

        # a template renders into the draft (stored on the server)
        await pilot.press("T", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))  # its {{variables}}, pre-filled
        await pilot.press("enter")
        await confirm(pilot)
        confirmed += 1
        await wait_for(pilot, lambda: bool(screen.query_one("#draft", TextArea).text.strip()))

        # edit and save the draft
        draft = screen.query_one("#draft", TextArea)
        draft.focus()
        draft.move_cursor(draft.document.end)
        await pilot.press(*" PS: thanks!", "escape", "ctrl+s")
        await confirm(pilot)
        confirmed += 1
        saved = await _server(sandbox, sandbox_token, row.thread_id)
        assert saved.composer.draft_body.rstrip().endswith("PS: thanks!")

        # send it
        await pilot.press("s")
        await confirm(pilot)
        confirmed += 1
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.needs_reply is False)
        sent = await _server(sandbox, sandbox_token, row.thread_id)
        assert sent.needs_reply is False and sent.message_count == before.message_count + 1
        assert sent.messages[-1].body_text.rstrip().endswith("PS: thanks!")

        # schedule a reply on another thread, then cancel it
        await pilot.press("x")
        await list_loaded(pilot)
        other = next(
            t for t in await server_threads(sandbox, sandbox_token, ThreadQuery())
            if t.scheduled_at is None and t.thread_id != row.thread_id
        )
        screen.thread_list.move_to(other.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, other.thread_id)
        opened.add(other.thread_id)
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"Following up on Monday.", "escape", "w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one("#prompt-input").value = ""
        await pilot.press(*"2030-01-07T09:00+08:00", "enter")
        assert "Send at: 2030-01-07T09:00:00+08:00" in await confirm(pilot)
        confirmed += 1
        scheduled = (await _server(sandbox, sandbox_token, other.thread_id)).composer.scheduled
        assert scheduled is not None and scheduled.content == "Following up on Monday."
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.composer.scheduled is not None)
        await pilot.press("C")
        await confirm(pilot)
        confirmed += 1
        assert (await _server(sandbox, sandbox_token, other.thread_id)).composer.scheduled is None

        # a batch: VIP on three threads behind one confirm, then undo it
        screen.thread_list.focus()
        await pilot.press("g")
        marked = [r.thread_id for r in screen.thread_list.rows[:3]]
        await pilot.press("space", "space", "space")
        catalogue = [label.label_id for label in screen.service.catalogues.labels]
        await pilot.press("l", *["down"] * catalogue.index("lb_vip"), "space", "enter")
        modal = await batch_modal(pilot)
        if fake is not None:
            assert modal.dry_runs is not None and all(dry.ok for dry in modal.dry_runs)
            assert len(modal.dry_runs) == len(modal.plans)
        await run_batch(pilot, modal)
        await pilot.press("escape")
        await writes_done(pilot)
        for thread_id in marked:
            assert "lb_vip" in {lb.label_id for lb in (await _server(sandbox, sandbox_token, thread_id)).labels}
        confirmed += len(modal.plans)
        undone = len(modal.plans)
        await pilot.press("u")
        undo = await batch_modal(pilot) if undone > 1 else await confirm_modal(pilot)
        if undone > 1:
            await run_batch(pilot, undo)
            await pilot.press("escape")
        else:
            await pilot.press("y")
        await writes_done(pilot)
        confirmed += undone

        # archive the conversation we answered (palette action)
        screen.thread_list.move_to(row.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)
        screen.action_archive()
        assert row.thread_id in await confirm(pilot)
        confirmed += 1
    archived = {t.thread_id for t in await server_threads(sandbox, sandbox_token, ThreadQuery())}
    assert row.thread_id not in archived

    if fake is not None:
        forced = fake.forced()
        assert len(forced) == confirmed, "each confirmed write ran once with --force, none twice"
        keys = [run["idempotency_key"] for run in forced]
        assert all(keys) and len(set(keys)) == len(keys)
        gets = {run["argv"][2] for run in fake.runs() if run["argv"][:2] == ["message", "get"]}
        assert gets <= opened, "message get ran only for threads the rep opened"
