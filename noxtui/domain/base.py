"""The few shapes everything else in the domain points at: the server-model base, labels, status refs.

Kept apart so ``models`` (threads, people, context) and ``plans`` (write plans and their diffs) can
both use them without importing each other; ``models`` re-exports all three modules' names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Direction = Literal["inbound", "outbound"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


class ServerModel(BaseModel):
    """Base for anything the server sends: unknown fields are kept, not rejected.

    Every model here defers building its validator to first use (``defer_build``): building all of
    them at import took ~60 ms of every start, for models most sessions meet one at a time.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class Label(ServerModel):
    label_id: str
    name: str
    color: str = ""


class CoopStatusRef(ServerModel):
    """The coop status attached to a thread: code plus its display name."""

    code: str
    name: str = ""
