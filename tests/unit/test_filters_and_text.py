"""Filter state → contract query params and one-line description; safe text helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from noxtui.domain.filters import Choice, FilterState
from noxtui.domain.text import one_line, relative_time, sanitize


def test_toggles_cycle_and_map_to_the_contracts_params() -> None:
    state = FilterState()
    assert state.to_query().to_params() == {}
    state = state.cycle_needs_reply().cycle_direction()
    assert state.to_query().to_params() == {"needs_reply": "true", "last_message_direction": "inbound"}
    state = state.cycle_needs_reply().cycle_direction()
    assert state.to_query().to_params() == {"needs_reply": "false", "last_message_direction": "outbound"}
    state = state.cycle_needs_reply().cycle_direction()
    assert state == FilterState()


def test_pickers_and_keyword_combine() -> None:
    state = (
        FilterState()
        .cycle_needs_reply()
        .cycle_direction()
        .with_choice("label", Choice("lb_vip", "VIP"))
        .with_choice("coop_status", Choice("deal", "Deal"))
        .with_choice("project", Choice("email_task:et_1", "Spring launch"))
        .with_choice("member", Choice("u_1", "Ana"))
        .with_keyword("  rates ")
    )
    assert (
        state.describe()
        == "needs reply · inbound · label VIP · status Deal · project Spring launch · member Ana · “rates”"
    )
    assert state.to_query().to_params() == {
        "needs_reply": "true",
        "last_message_direction": "inbound",
        "label_id": "lb_vip",
        "status": "deal",
        "project_ids": "email_task:et_1",
        "creator_uids": "u_1",
        "keyword": "rates",
    }
    assert FilterState().describe() == "all threads"


def test_sanitize_makes_terminal_escapes_visible_and_inert() -> None:
    hostile = "hi\x1b]52;c;ZXZpbA==\x07 [bold red]x[/] \x9b2J"
    safe = sanitize(hostile)
    assert "\x1b" not in safe and "\x07" not in safe and "\x9b" not in safe
    assert "^[]52;c;ZXZpbA==^G" in safe
    assert "[bold red]x[/]" in safe  # markup is left as literal text; widgets render it with Text()
    assert one_line("a\n\n  b\tc") == "a b c"


def test_relative_time_reads_like_a_mail_client() -> None:
    now = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    ago = lambda **kw: (now - timedelta(**kw)).timestamp()  # noqa: E731
    assert relative_time(ago(seconds=5), now) == "now"
    assert relative_time(ago(minutes=5), now) == "5m"
    assert relative_time(ago(hours=3), now) == "3h"
    assert relative_time(ago(days=2), now) == "2d"
    assert relative_time(ago(days=30), now) == "Oct 21"
    assert relative_time(ago(days=400), now) == "2025-10"
