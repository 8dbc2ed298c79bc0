"""The Nox contract's own input rule: when a scheduled reply may be sent (``plan_send_at``).

The generic checks (numbers, choices, text, lists) are shared by both fakes in ``sandbox/validation.py``.
This one is the Nox ``message schedule`` rule — an explicit whole-hour offset, strictly in the future —
and it is the app's very rule (``noxtui.domain.schedule``), judged against the sandbox's clock: a time
the app lets a rep confirm is never one the fake refuses, nor the other way round.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from noxtui.domain.errors import PlanError
from noxtui.domain.schedule import parse_plan_send_at as send_time_rule
from noxtui.sandbox.envelopes import validation


def parse_plan_send_at(raw: Any, now: datetime) -> datetime:
    """``plan_send_at`` by the shared rule, or a 422 whose field message says what and how to fix it."""
    try:
        return send_time_rule(raw if isinstance(raw, str) else "", now)
    except PlanError as refused:
        field = refused.fields.get("plan_send_at", "invalid")
        raise validation("plan_send_at", f"{field}: {refused.what}; {refused.todo}") from None
