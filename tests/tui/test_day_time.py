"""A rep's day, time zones (#16 item 7): times in the rep's zone, future times as "in 3h", and a
schedule prompt that reads local times and short forms and shows the exact ISO time it will send."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Static, TextArea

from noxtui.domain.errors import PlanError
from noxtui.domain.send_time import iso_send_time, send_time
from noxtui.domain.text import format_timestamp
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.local_time import local_now
from noxtui.tui.screens.prompt import PromptScreen
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import confirm, inbox, list_loaded, plain, thread_opened, wait_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = SANDBOX_NOW.astimezone(SHANGHAI)  # Friday 2026-11-20 17:00 in Shanghai


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("tomorrow 9", "2026-11-21T09:00+08:00"),
        ("mon 10:00", "2026-11-23T10:00+08:00"),
        ("+2h", "2026-11-20T19:00+08:00"),
        ("9", "2026-11-21T09:00+08:00"),  # 09:00 has passed today: tomorrow
        ("18:30", "2026-11-20T18:30+08:00"),
        ("2026-11-24 09:00", "2026-11-24T09:00+08:00"),
        ("2030-01-02T09:00-05:00", "2030-01-02T09:00-05:00"),
    ],
)
def test_typed_send_times_are_read_in_the_reps_zone(typed: str, sent: str) -> None:
    assert iso_send_time(send_time(typed, NOW)) == sent


@pytest.mark.parametrize("typed", ["yesterday 9", "25:00", "+h", "2020-01-01T09:00+08:00", "2030-01-01T09:00+05:30"])
def test_what_cannot_be_sent_is_refused_with_what_to_type(typed: str) -> None:
    with pytest.raises(PlanError):
        send_time(typed, NOW)


def test_a_zone_off_the_whole_hour_asks_for_an_explicit_offset() -> None:
    with pytest.raises(PlanError) as refused:
        send_time("tomorrow 9", SANDBOX_NOW.astimezone(ZoneInfo("Asia/Kolkata")))
    assert "whole hour" in refused.value.message and "offset" in refused.value.todo


def test_future_times_read_in_so_long_and_in_the_clocks_zone() -> None:
    shown = format_timestamp(SANDBOX_NOW + timedelta(hours=3), NOW)
    assert shown == "2026-11-20 20:00 (in 3h)"


def test_the_clock_follows_tz_and_the_config_wins(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_now().utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))
    assert local_now("Asia/Shanghai").utcoffset() == timedelta(hours=8)


async def test_the_schedule_prompt_names_the_zone_and_shows_the_exact_time_sent(sandbox, sandbox_token) -> None:
    client = NoxClient(sandbox.base_url, sandbox_token, backoff=0.01, max_retries=1)
    app = NoxTUI(
        provider=NoxProvider(client, clock=lambda: SANDBOX_NOW),
        settings=Settings(timezone="Asia/Shanghai"),
        clock=lambda: NOW,
        label="test",
        persist_settings=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        target = next(row for row in screen.thread_list.rows if row.thread_id)
        await pilot.press("enter")
        await thread_opened(pilot, target.thread_id)
        if screen.thread is not None and screen.thread.composer.scheduled is not None:
            pytest.skip("the first seeded thread already has a schedule")
        await pilot.press("e")
        screen.query_one("#draft", TextArea).clear()
        await pilot.press(*"Talk tomorrow.", "escape", "w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        prompt = app.screen
        assert "Asia/Shanghai" in plain(prompt.query_one("#prompt-title", Static))
        prompt.query_one("#prompt-input").value = ""
        await pilot.press(*"tomorrow 9")
        hint = plain(prompt.query_one("#prompt-hint", Static))
        assert "Sends at 2026-11-21T09:00+08:00" in hint and "Asia/Shanghai" in hint and "in 16h" in hint, hint
        await pilot.press("enter")
        shown = await confirm(pilot)
        assert "2026-11-21T09:00:00+08:00" in shown and "Asia/Shanghai" in shown
        await wait_for(pilot, lambda: screen.thread is not None and screen.thread.composer.scheduled is not None)
        state = plain(screen.query_one("#composer-state", Static))
        assert "(in 16h)" in state and "(now)" not in state, state
    async with NoxClient(sandbox.base_url, sandbox_token) as fresh:
        scheduled = (await fresh.get_thread(target.thread_id)).composer.scheduled
    assert scheduled is not None and scheduled.plan_send_at == datetime(2026, 11, 21, 1, 0, tzinfo=timezone.utc)
