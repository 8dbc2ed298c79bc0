"""The cache: instant start with the server down, offline reading, refused writes, live sync."""

from __future__ import annotations

import httpx
from textual.widgets import Static

from noxtui.domain.models import ThreadQuery
from tests.tui.support import (
    inbox,
    list_loaded,
    make_app,
    plain,
    record_notifications,
    server_threads,
    thread_opened,
    wait_for,
    writes_done,
)


async def test_start_paints_cached_threads_with_the_server_down(sandbox, sandbox_token) -> None:
    expected = await server_threads(sandbox, sandbox_token, ThreadQuery())
    first = make_app(sandbox, sandbox_token)
    async with first.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")  # opened threads are kept for offline reading
        await thread_opened(pilot, expected[0].thread_id)

    sandbox.stop()  # the server is gone: nothing listens on its port any more
    app = make_app(sandbox, sandbox_token)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = inbox(pilot)
        # painted from the cache before any network answer
        assert [r.thread_id for r in screen.thread_list.rows] == [t.thread_id for t in expected]
        await wait_for(pilot, lambda: "offline" in plain(screen.query_one("#filter-count", Static)))

        await pilot.press("enter")
        await thread_opened(pilot, expected[0].thread_id)
        assert "offline — showing cached copy from" in plain(screen.query_one("#detail-header", Static))

        await pilot.press("e", *"hello", "escape", "s")
        await writes_done(pilot)
        assert type(app.screen).__name__ != "ConfirmScreen", "writes are refused offline, never queued"
        assert any("offline" in n.message.lower() for n in notes)


async def test_a_new_inbound_reply_appears_after_a_sync_tick_without_moving_the_cursor(sandbox, sandbox_token) -> None:
    app = make_app(sandbox, sandbox_token)
    notes = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await pilot.press("j", "j", "j")
        reading = screen.thread_list.current.thread_id
        quiet = next(r for r in reversed(screen.thread_list.rows) if not r.needs_reply and r.thread_id != reading)

        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {sandbox_token}"}) as admin:
            response = await admin.post(
                f"{sandbox.root_url}/_sandbox/threads/{quiet.thread_id}/inbound",
                json={"body_text": "Hi! Any update on the contract?"},
            )
            assert response.status_code in (200, 201)

        screen.sync_now()  # what the poll timer does every poll_interval seconds
        await wait_for(pilot, lambda: screen.thread_list.rows[0].thread_id == quiet.thread_id)
        top = screen.thread_list.rows[0]
        assert top.needs_reply and top.inbound
        assert screen.thread_list.current.thread_id == reading, "the cursor stays on the thread being read"
        assert app.title == "noxtui (1 new)"
        assert any("1 new reply" in n.message for n in notes)
