"""``/_sandbox/…`` controls of the Nox workspace: a creator's reply on demand, and the counts.

Test set-up, not user writes: exempt from ``Idempotency-Key`` like every admin route. The controls
every vendor shares (faults, the clock) are in ``sandbox/admin.py``.
"""

from __future__ import annotations

from noxtui.sandbox.endpoint import Ctx, Result
from noxtui.sandbox.envelopes import validation
from noxtui.sandbox.nox.handlers_threads import detail, load_thread
from noxtui.sandbox.nox.store import Store
from noxtui.sandbox.validation import body_object, required_text


def simulate_inbound(ctx: Ctx[Store]) -> Result:
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


def stats(ctx: Ctx[Store]) -> Result:
    return Result(ctx.store.stats(), "Sandbox counts")
