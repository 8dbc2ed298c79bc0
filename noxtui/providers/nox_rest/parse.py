"""Envelope ``data`` → models, refusing an answer that lacks what noxtui needs.

A ``ProtocolError`` names what was unreadable ("the server's thread list"), never the body: the
rep learns which answer broke, not a page of JSON.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from noxtui.domain.errors import ProtocolError

M = TypeVar("M", bound=BaseModel)


def one(model: type[M], data: Any, what: str) -> M:
    try:
        return model.model_validate(data)
    except PydanticValidationError:
        raise ProtocolError(f"The server's {what} is missing fields noxtui needs") from None


def many(model: type[M], data: Any, what: str) -> list[M]:
    if not isinstance(data, list):
        raise ProtocolError(f"The server's {what} is not a list")
    try:
        return [model.model_validate(item) for item in data]
    except PydanticValidationError:
        raise ProtocolError(f"The server's {what} is missing fields noxtui needs") from None


__all__ = ["many", "one"]
