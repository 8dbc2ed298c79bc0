"""``/_sandbox/…``: test-only controls. Token-protected like everything else, never faulted,
and exempt from ``Idempotency-Key`` (they are test set-up, not user writes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from noxtui.sandbox.clock import SandboxClock, to_ms
from noxtui.sandbox.endpoint import Ctx, Handler, Result
from noxtui.sandbox.envelopes import ApiError, validation
from noxtui.sandbox.faults import FaultInjector, FaultRule
from noxtui.sandbox.nox.handlers_threads import detail, load_thread
from noxtui.sandbox.validation import body_object, parse_timestamp, required_text

_RULES = TypeAdapter(list[FaultRule])


def fault_handlers(injector: FaultInjector) -> dict[str, Handler]:
    def set_faults(ctx: Ctx) -> Result:
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

    def clear_faults(ctx: Ctx) -> Result:
        injector.clear()
        return Result([], "All fault rules cleared")

    def list_faults(ctx: Ctx) -> Result:
        rules = injector.describe()
        return Result(rules, f"{len(rules)} fault rule(s) active")

    return {"set": set_faults, "clear": clear_faults, "list": list_faults}


def simulate_inbound(ctx: Ctx) -> Result:
    """A creator replies: append an inbound message; the thread needs a reply again."""
    seq, _ = load_thread(ctx, ctx.path["thread_id"])
    body = body_object(ctx.body)
    text = required_text(body, "body_text")
    reason = body.get("pending_reason", "creator replied")
    if not isinstance(reason, str) or not reason.strip():
        raise validation("pending_reason", "must be a non-empty string")
    tracked = body.get("tracked", True)
    if not isinstance(tracked, bool):
        raise validation("tracked", "must be true or false")
    ctx.store.append_inbound(seq, body=text, now_ms=ctx.now_ms, pending_reason=reason, tracked=tracked)
    thread = detail(ctx, seq)
    return Result(thread, f"Simulated a reply from {thread['creator']['name']} on {thread['thread_id']}", status=201)


def stats(ctx: Ctx) -> Result:
    return Result(ctx.store.stats(), "Sandbox counts")


def clock_handlers(clock: Callable[[], Any]) -> dict[str, Handler]:
    def get_clock(ctx: Ctx) -> Result:
        return Result({"now": ctx.now.isoformat()}, f"Sandbox time is {ctx.now.isoformat()}")

    def set_clock(ctx: Ctx) -> Result:
        if not isinstance(clock, SandboxClock):
            raise ApiError("CONFLICT", "This sandbox runs on an external clock; it cannot be moved")
        body = body_object(ctx.body)
        if body.get("now") is not None:
            moment = parse_timestamp("now", str(body["now"]))
            assert moment is not None
            clock.set(moment)
        advance = body.get("advance_seconds")
        if advance is not None:
            if not isinstance(advance, (int, float)) or isinstance(advance, bool):
                raise validation("advance_seconds", "must be a number")
            clock.advance(float(advance))
        now = clock()
        delivered = ctx.store.deliver_due(to_ms(now))
        return Result(
            {"now": now.isoformat(), "delivered": len(delivered)},
            f"Sandbox time is now {now.isoformat()}",
        )

    return {"get": get_clock, "set": set_clock}
