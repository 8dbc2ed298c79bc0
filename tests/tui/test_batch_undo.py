"""Batch triage and undo: one confirm for many threads, exact server changes, failures reported."""

from __future__ import annotations

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.screens.batch_confirm import BatchConfirmScreen
from noxtui.tui.screens.confirm import ConfirmScreen
from tests.tui.support import (
    answer,
    batch_modal,
    confirm,
    confirm_modal,
    inbox,
    list_loaded,
    make_app,
    plain,
    run_batch,
    server_threads,
    thread_opened,
    writes_done,
)


async def _labels_by_thread(sandbox, token: str) -> dict[str, set[str]]:
    return {t.thread_id: {lb.label_id for lb in t.labels} for t in await server_threads(sandbox, token, ThreadQuery())}


def _vip_panel_index(screen) -> int:
    return [label.label_id for label in screen.service.catalogues.labels].index("lb_vip")


async def _mark(pilot, count: int) -> None:
    for _ in range(count):
        await pilot.press("space")


async def test_batch_label_on_50_threads_is_50_changes_behind_one_confirm(sandbox, sandbox_token) -> None:
    before = await _labels_by_thread(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    confirms = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        marked_ids = [row.thread_id for row in screen.thread_list.rows[:50]]
        # Remove every label the 50 carry and add one that no thread has as its only label:
        # every one of the 50 threads then changes.
        catalogue = screen.service.catalogues.labels
        present = set().union(*(before[tid] for tid in marked_ids))
        target = next(lb.label_id for lb in catalogue if all(before[tid] != {lb.label_id} for tid in marked_ids))
        target_name = next(lb.name for lb in catalogue if lb.label_id == target)
        await _mark(pilot, 50)
        assert len(screen.thread_list.marked) == 50
        await pilot.press("l")
        keys: list[str] = []
        for label in catalogue:
            if label.label_id == target:
                keys += ["space"]  # keep → add
            elif label.label_id in present:
                keys += ["space", "space"]  # keep → add → remove
            keys.append("down")
        await pilot.press(*keys, "enter")
        modal = await batch_modal(pilot)
        confirms += 1
        listing = plain(app.screen.query_one("#confirm-plan"))
        expected_changes = marked_ids
        assert len(app.screen.plans) == 50
        assert listing.count(f"+{target_name}") == sum(target not in before[tid] for tid in marked_ids)
        await run_batch(pilot, modal)
        assert "failed" not in plain(app.screen.query_one("#confirm-status"))
        await answer(pilot, modal, "enter")
        assert not any(isinstance(s, ConfirmScreen) for s in app.screen_stack)
    after = await _labels_by_thread(sandbox, sandbox_token)
    changed = {tid for tid in after if after[tid] != before[tid]}
    assert changed == set(expected_changes) and len(changed) == 50
    for tid in marked_ids:
        assert after[tid] == {target}
    assert confirms == 1


async def test_a_batch_with_three_failing_threads_reports_exactly_those(sandbox, sandbox_token) -> None:
    before = await _labels_by_thread(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        rows = screen.thread_list.rows[:10]
        targets = [r.thread_id for r in rows if "lb_vip" not in before[r.thread_id]]
        failing = targets[:3]
        sandbox.faults.set_rules(
            [{"method": "PUT", "path": "/threads/(" + "|".join(failing) + ")/labels$", "status": 422}]
        )
        await _mark(pilot, 10)
        await pilot.press("l", *["down"] * _vip_panel_index(screen), "space", "enter")
        modal = await batch_modal(pilot)
        await run_batch(pilot, modal)
        outcome = app.screen.outcome
        assert sorted(plan.thread_id for plan, _ in outcome.failed) == sorted(failing)
        report = plain(app.screen.query_one("#confirm-status"))
        assert f"{len(targets) - 3} applied, 3 failed" in report
        await answer(pilot, modal, "escape")
        assert screen.thread_list.marked == set(failing), "failed threads stay marked for a retry"
    sandbox.faults.clear()
    after = await _labels_by_thread(sandbox, sandbox_token)
    for tid in targets:
        if tid in failing:
            assert after[tid] == before[tid]
        else:
            assert "lb_vip" in after[tid]


async def test_undo_restores_the_previous_labels_on_the_server(sandbox, sandbox_token) -> None:
    threads = await server_threads(sandbox, sandbox_token, ThreadQuery())
    target = threads[0]
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        await pilot.press("l", "space", "down", "space", "enter")
        await confirm(pilot)
        async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
            changed = await fresh.get_thread(target.thread_id)
        assert {lb.label_id for lb in changed.labels} != {lb.label_id for lb in target.labels}

        await pilot.press("escape", "u")
        modal = await confirm_modal(pilot)
        assert "Undo" in plain(app.screen.query_one("#confirm-plan"))
        await answer(pilot, modal)
        assert inbox(pilot).service.undo_stack == []
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        restored = await fresh.get_thread(target.thread_id)
    assert {lb.label_id for lb in restored.labels} == {lb.label_id for lb in target.labels}


async def test_batch_undo_and_sends_are_never_undoable(sandbox, sandbox_token) -> None:
    before = await _labels_by_thread(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        await _mark(pilot, 5)
        await pilot.press("l", *["down"] * _vip_panel_index(screen), "space", "enter")
        modal = await batch_modal(pilot)
        await run_batch(pilot, modal)
        await answer(pilot, modal, "enter")
        await pilot.press("u")
        modal = await batch_modal(pilot)
        await run_batch(pilot, modal)
        await answer(pilot, modal, "enter")
        await pilot.press("u")
        await writes_done(pilot)
        assert not isinstance(app.screen, (ConfirmScreen, BatchConfirmScreen)), "nothing left to undo"
    assert await _labels_by_thread(sandbox, sandbox_token) == before
