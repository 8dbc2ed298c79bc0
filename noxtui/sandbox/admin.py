"""``/_sandbox/…``: test-only controls. Token-protected like everything else, never faulted,
and exempt from ``Idempotency-Key`` (they are test set-up, not user writes).

The controls here belong to the whole sandbox (fault rules, the clock); each vendor's own (a
simulated reply, its counts) live in its package (``nox/handlers_admin.py``, ``inbox/handlers.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from noxtui.sandbox.clock import SandboxClock, to_ms
from noxtui.sandbox.database import Database
from noxtui.sandbox.endpoint import Ctx, DeliverDue, Handler, Result
from noxtui.sandbox.envelopes import ApiError, validation
from noxtui.sandbox.faults import FaultInjector, FaultRule
from noxtui.sandbox.validation import body_object, checked_moment, parse_timestamp

_RULES = TypeAdapter(list[FaultRule])


def fault_handlers(injector: FaultInjector) -> dict[str, Handler[Database]]:
    def set_faults(ctx: Ctx[Database]) -> Result:
        raw: Any = ctx.body
        if isinstance(raw, dict) and "rules" in raw:
            raw = raw["rules"]
        try:
            rules = _RULES.validate_python(raw if raw is not None else [])
        except PydanticValidationError as exc:
            fields = {".".join(str(p) for p in err["loc"]) or "body": err["msg"] for err in exc.errors()}
            raise ApiError("VALIDATION_ERROR", "Invalid fault rules", fields=fields) from None
        injector.set_rules(rules)
        return Result(injector.describe(), f"{len(rules)} fault rule(s) active")

    def clear_faults(ctx: Ctx[Database]) -> Result:
        injector.clear()
        return Result([], "All fault rules cleared")

    def list_faults(ctx: Ctx[Database]) -> Result:
        rules = injector.describe()
        return Result(rules, f"{len(rules)} fault rule(s) active")

    return {"set": set_faults, "clear": clear_faults, "list": list_faults}


def clock_handlers(clock: Callable[[], Any], deliver_due: DeliverDue) -> dict[str, Handler[Database]]:
    """Read or move the sandbox clock; moving it delivers what has come due at once (``deliver_due``)."""

    def get_clock(ctx: Ctx[Database]) -> Result:
        return Result({"now": ctx.now.isoformat()}, f"Sandbox time is {ctx.now.isoformat()}")

    def set_clock(ctx: Ctx[Database]) -> Result:
        if not isinstance(clock, SandboxClock):
            raise ApiError("CONFLICT", "This sandbox runs on an external clock; it cannot be moved")
        body = body_object(ctx.body)
        if body.get("now") is not None:
            moment = parse_timestamp("now", str(body["now"]))
            if moment is None:  # blank: parse_timestamp's "not given", which here is a mistake
                raise validation("now", "must be an ISO 8601 time such as 2026-11-20T09:00:00Z")
            clock.set(moment)
        advance = body.get("advance_seconds")
        if advance is not None:
            if not isinstance(advance, (int, float)) or isinstance(advance, bool):
                raise validation("advance_seconds", "must be a number")
            try:
                target = clock() + timedelta(seconds=float(advance))
            except OverflowError:  # a clock past the year 9999 would fail every later request
                raise validation("advance_seconds", "moves the clock out of range") from None
            clock.set(checked_moment("advance_seconds", target))
        now = clock()
        delivered = deliver_due(to_ms(now))
        return Result(
            {"now": now.isoformat(), "delivered": len(delivered)},
            f"Sandbox time is now {now.isoformat()}",
        )

    return {"get": get_clock, "set": set_clock}
