"""Email-task and CRM context beside a thread, sibling projects, and archive — against the sandbox."""

from __future__ import annotations

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.notes import NotesScreen
from tests.tui.support import (
    confirm,
    inbox,
    list_loaded,
    make_app,
    plain,
    server_threads,
    thread_opened,
    wait_for,
)


async def _open(pilot, thread_id: str) -> None:
    await list_loaded(pilot)
    screen = inbox(pilot)
    assert screen.thread_list.move_to(thread_id)
    await pilot.press("enter")
    await thread_opened(pilot, thread_id)


async def _email_task_thread(sandbox, token: str):
    threads = await server_threads(sandbox, token, ThreadQuery(business_kind="email_task"))
    return threads[0]


async def test_email_task_panel_shows_the_three_report_numbers(sandbox, sandbox_token) -> None:
    thread = await _email_task_thread(sandbox, sandbox_token)
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        report = await client.email_report(thread.business_id)
        task = await client.email_task(thread.business_id)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread.thread_id)
        await pilot.press("i")
        facts = inbox(pilot).query_one("#email-task-facts")
        await wait_for(pilot, lambda: "Report" in plain(facts))
        text = plain(facts)
        assert task.name in text
        assert f"email tracking replies   {report.reply_count}" in " ".join(text.split("  ")) or (
            f"{report.reply_count:,}  (reply_count)" in text
        )
        assert f"{report.replied_creator_count:,}  (replied_creator_count)" in text
        assert f"{report.inbound_message_count:,}  (inbound_message_count)" in text
        assert len({report.reply_count, report.replied_creator_count, report.inbound_message_count}) == 3


async def test_task_jump_filters_to_exactly_the_tasks_threads_and_back(sandbox, sandbox_token) -> None:
    thread = await _email_task_thread(sandbox, sandbox_token)
    expected = await server_threads(
        sandbox, sandbox_token, ThreadQuery(business_kind="email_task", business_id=thread.business_id)
    )
    everything = await server_threads(sandbox, sandbox_token, ThreadQuery())
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread.thread_id)
        await pilot.press("J")
        await list_loaded(pilot)
        screen = inbox(pilot)
        assert [r.thread_id for r in screen.thread_list.rows] == [t.thread_id for t in expected]
        assert len(expected) < len(everything)
        await pilot.press("J")
        await list_loaded(pilot)
        assert len(screen.thread_list.rows) == len(everything)


async def test_editing_crm_notes_changes_them_after_confirm_and_not_after_escape(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = next(t for t in threads if t.creator.creator_id == "cr_000001")
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        before = await client.crm_channel("cr_000001")
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, target.thread_id)
        await pilot.press("p")
        facts = inbox(pilot).query_one("#crm-facts")
        await wait_for(pilot, lambda: "Notes" in plain(facts))

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await pilot.press(*" Prefers Tuesday calls.", "ctrl+s")
        await confirm(pilot, "escape")  # back out: nothing sent
        async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
            assert (await fresh.crm_channel("cr_000001")).notes == before.notes

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NotesScreen))
        await pilot.press(*" Prefers Tuesday calls.", "ctrl+s")
        await confirm(pilot)
        await wait_for(pilot, lambda: "Prefers Tuesday calls." in plain(facts))
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        assert (await fresh.crm_channel("cr_000001")).notes == before.notes + " Prefers Tuesday calls."


async def test_a_creator_without_crm_channel_says_so(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = next(t for t in threads if t.creator.creator_id == "cr_000002")
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, target.thread_id)
        await pilot.press("p")
        facts = inbox(pilot).query_one("#crm-facts")
        await wait_for(pilot, lambda: "No CRM channel" in plain(facts))
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, NotesScreen), "no channel: notes cannot be edited"


async def test_archive_modal_lists_every_sibling_thread(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        with_siblings = None
        for thread in threads:
            projects = await client.thread_projects(thread.thread_id)
            others = [p.thread_id for p in projects if p.thread_id and p.thread_id != thread.thread_id]
            if others:
                with_siblings = (thread, others)
                break
    assert with_siblings is not None, "the seed must have a creator with sibling task threads"
    thread, siblings = with_siblings
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread.thread_id)
        inbox(pilot).action_archive()
        plan_text = await confirm(pilot, "escape")
        for sibling in [thread.thread_id, *siblings]:
            assert sibling in plan_text
        assert "separate from archiving the creator in CRM" in plan_text
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        assert not getattr(await fresh.get_thread(thread.thread_id), "archived", False)


async def test_answered_thread_points_to_a_sibling_with_pending_work(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery(needs_reply=False))
    found = None
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        for thread in threads:
            for project in await client.thread_projects(thread.thread_id):
                if project.thread_id not in (None, thread.thread_id) and project.needs_reply:
                    found = (thread, project)
                    break
            if found:
                break
    assert found is not None, "the seed must have an answered thread with a pending sibling"
    thread, sibling = found
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread.thread_id)
        screen = inbox(pilot)
        await wait_for(pilot, lambda: screen.pending_sibling is not None)
        assert "press O" in plain(screen.query_one("#detail-pending"))
        await pilot.press("O")
        await thread_opened(pilot, sibling.thread_id)
        assert screen.thread_list.current.thread_id == sibling.thread_id
