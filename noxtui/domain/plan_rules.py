"""Rules every provider's plan builders share: pure, no I/O.

A plan is a write as it *would* be sent; these are the parts of building one that do not depend on
a backend's paths or body shape.
"""

from __future__ import annotations

import uuid


def mint_idempotency_key() -> str:
    """A fresh key for one write plan: every retry of that plan reuses it, a new plan never does."""
    return str(uuid.uuid4())


__all__ = ["mint_idempotency_key"]
