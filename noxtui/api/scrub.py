"""Masking a secret in everything an error carries, before the error leaves the transport.

A server may echo what it was sent: a 422 naming a bad field value carries a token the rep pasted
into the wrong field, a proxy's error page may quote the ``Authorization`` header. Every text an
error can show (``what``, ``todo``, ``fields``, the raw ``data``, ``hint_url``) is scrubbed, so no
screen, log line or traceback needs to think about it.
"""

from __future__ import annotations

from typing import Any

from noxtui.domain.errors import NoxError

MASK = "***"
MIN_SECRET_CHARS = 4
"""Shorter "secrets" are not masked: replacing every ``ab`` in a message would garble it for nothing."""


def scrub_value(value: Any, secret: str) -> Any:
    """``value`` (decoded JSON) with ``secret`` masked in every string, keys included."""
    if isinstance(value, str):
        return value.replace(secret, MASK)
    if isinstance(value, dict):
        return {scrub_value(k, secret): scrub_value(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(item, secret) for item in value]
    return value


def scrub_error(error: NoxError, secret: str) -> NoxError:
    """``error`` itself, with ``secret`` masked in every text it carries (and in its ``args``)."""
    if len(secret) < MIN_SECRET_CHARS:
        return error
    error.what = error.what.replace(secret, MASK)
    error.todo = error.todo.replace(secret, MASK)
    error.fields = {k.replace(secret, MASK): v.replace(secret, MASK) for k, v in error.fields.items()}
    error.data = scrub_value(error.data, secret)
    if error.hint_url is not None:
        error.hint_url = error.hint_url.replace(secret, MASK)
    error.args = (error.message,)
    return error


__all__ = ["MASK", "scrub_error", "scrub_value"]
