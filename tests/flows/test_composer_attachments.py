"""A draft's files, key by key, through both NoxInfluencer providers: attach from the path prompt
(the confirm modal names the file, its size and type and the thread), refused locally with the
reason, kept by a draft save and sent with the reply, removed through the modal. Server state is
read back after each step; for the CLI, nothing is forced before ``y``."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from noxtui.domain.models import Thread, ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.path_prompt import PathPromptScreen
from noxtui.tui.screens.prompt import PromptScreen
from tests.cli_support import FakeCli, make_cli_app
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


async def _server(sandbox, token: str, thread_id: str) -> Thread:
    async with NoxClient(sandbox.base_url, token) as client:
        return await client.get_thread(thread_id)


def _app(kind: str, sandbox, token: str, request: pytest.FixtureRequest) -> tuple[NoxTUI, FakeCli | None]:
    if kind == "rest":
        return make_app(sandbox, token), None
    fake: FakeCli = request.getfixturevalue("fake_cli")
    return make_cli_app(fake), fake


async def _give_path(pilot, path: Path) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PathPromptScreen))
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_attach_refuse_keep_send_and_remove(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    rates = tmp_path / "rates.pdf"
    rates.write_bytes(b"%PDF-1.4 " + b"r" * 2000)
    script = tmp_path / "install.sh"
    script.write_text("echo hi\n")
    app, fake = _app(kind, sandbox, sandbox_token, request)
    async with app.run_test(size=(120, 40)) as pilot:
        told = record_notifications(app)
        await list_loaded(pilot)
        screen = inbox(pilot)
        row = screen.thread_list.current
        assert row is not None
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)

        # attach: the modal shows name, size, type and the thread; nothing is written before y
        await pilot.press("a")
        await _give_path(pilot, rates)
        if fake is not None:
            assert not [run for run in fake.forced() if "attachments" in run["argv"]]
        shown = await confirm(pilot)
        assert "rates.pdf (2.0 KB, application/pdf)" in shown and row.thread_id in shown
        server = await _server(sandbox, sandbox_token, row.thread_id)
        assert len(server.composer.attachment_ids) == 1
        await wait_for(pilot, lambda: "rates.pdf (2.0 KB)" in plain(screen.query_one("#composer-files", Static)))

        # a script is refused locally, with the reason, and nothing is uploaded
        await pilot.press("a")
        await _give_path(pilot, script)
        await wait_for(pilot, lambda: any("executables and scripts" in n.message for n in told))
        assert (await _server(sandbox, sandbox_token, row.thread_id)).composer.attachment_ids == (
            server.composer.attachment_ids
        )

        # a draft save keeps the file; the send carries it
        await wait_for(pilot, lambda: screen.thread is not None and bool(screen.thread.composer.attachment_ids))
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"Rates attached", "escape", "ctrl+s")
        await confirm(pilot)
        saved = await _server(sandbox, sandbox_token, row.thread_id)
        assert saved.composer.draft_body == "Rates attached"
        assert saved.composer.attachment_ids == server.composer.attachment_ids
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.composer.draft_body != "")
        await pilot.press("s")
        await confirm(pilot)
        sent = (await _server(sandbox, sandbox_token, row.thread_id)).messages[-1]
        assert sent.body_text == "Rates attached"
        assert [a.filename for a in sent.attachments] == ["rates.pdf"]

        # attach again, then remove it through the modal
        await wait_for(pilot, lambda: screen.thread is not None and not screen.thread.composer.attachment_ids)
        await pilot.press("a")
        await _give_path(pilot, rates)
        await confirm(pilot)
        await wait_for(pilot, lambda: screen.thread is not None and bool(screen.thread.composer.attachment_ids))
        await pilot.press("X")
        removed = await confirm(pilot)
        assert "Remove rates.pdf" in removed
        assert (await _server(sandbox, sandbox_token, row.thread_id)).composer.attachment_ids == []
        await wait_for(pilot, lambda: not screen.query_one("#composer-files", Static).display)


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_a_messages_file_is_saved_to_the_chosen_folder_through_the_modal(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    first = (await server_threads(sandbox, sandbox_token, ThreadQuery()))[0]
    kit = b"%PDF-1.4 media kit " + bytes(range(256)) * 8
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        await client.upload_attachment(first.thread_id, "media kit.pdf", kit, "application/pdf")
        await client.send(first.thread_id, "The media kit, as promised.", "sa_maya")
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "media kit.pdf").write_bytes(b"older file, kept")
    app, fake = _app(kind, sandbox, sandbox_token, request)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        assert screen.thread_list.current is not None and screen.thread_list.current.thread_id == first.thread_id
        await pilot.press("enter")
        await thread_opened(pilot, first.thread_id)
        await pilot.press("D")
        await _give_path(pilot, folder)
        shown = await confirm(pilot)
        assert "Save media kit.pdf (" in shown and "media kit (1).pdf" in shown
    assert (folder / "media kit (1).pdf").read_bytes() == kit
    assert (folder / "media kit.pdf").read_bytes() == b"older file, kept"
    if fake is not None:
        assert any(run["argv"][:3] == ["message", "attachments", "download"] for run in fake.runs())


@pytest.mark.parametrize("kind", ["rest", "cli"])
async def test_a_scheduled_reply_keeps_the_drafts_file(
    kind: str, sandbox, sandbox_token, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    brief = tmp_path / "brief.pdf"
    brief.write_bytes(b"%PDF-1.4 brief")
    app, _ = _app(kind, sandbox, sandbox_token, request)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        row = next(r for r in screen.thread_list.rows if not r.scheduled)
        screen.thread_list.move_to(row.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, row.thread_id)
        # typed first, attached after: the re-read keeps the typing and still lists the file
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"The brief, tomorrow", "escape", "a")
        await _give_path(pilot, brief)
        await confirm(pilot)
        await wait_for(pilot, lambda: screen.thread is not None and bool(screen.thread.composer.attachment_ids))
        await wait_for(pilot, lambda: "brief.pdf" in plain(screen.query_one("#composer-files", Static)))
        assert screen.query_one("#draft", TextArea).text == "The brief, tomorrow"
        files = list(screen.thread.composer.attachment_ids)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        await pilot.press("enter")
        shown = await confirm(pilot)
        assert "with 1 attached file" in shown
        scheduled = (await _server(sandbox, sandbox_token, row.thread_id)).composer.scheduled
        assert scheduled is not None and scheduled.model_extra is not None
        assert scheduled.model_extra["attachment_ids"] == files
