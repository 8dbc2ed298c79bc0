"""A small ``multipart/form-data`` reader for the one upload route.

Starlette's form parser needs the optional ``python-multipart`` package, which noxtui does not
depend on; the upload route needs only one file field, so this reads exactly that, from a body
that is already size-capped in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY_RE = re.compile(r'boundary=(?:"([^"]+)"|([^;\s]+))', re.IGNORECASE)
_PARAM_RE = re.compile(r';\s*([a-zA-Z0-9_*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))')


class MultipartError(ValueError):
    """The body is not well-formed multipart; the message says what is wrong."""


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def boundary_of(content_type: str) -> str:
    if not content_type.lower().startswith("multipart/form-data"):
        raise MultipartError("expected Content-Type multipart/form-data with a `file` field")
    match = _BOUNDARY_RE.search(content_type)
    if match is None:
        raise MultipartError("the multipart Content-Type has no boundary")
    return match.group(1) or match.group(2)


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    return headers


def _disposition(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for match in _PARAM_RE.finditer(value):
        raw = match.group(2) if match.group(2) is not None else (match.group(3) or "")
        params[match.group(1).lower()] = raw.replace('\\"', '"').strip()
    return params


def parse(body: bytes, content_type: str) -> list[Part]:
    """Every part of the body, in order."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise MultipartError("the multipart body has no parts")
    parts: list[Part] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise MultipartError("a multipart part has no header/body separator")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = _headers(head)
        params = _disposition(headers.get("content-disposition", ""))
        if "name" not in params:
            raise MultipartError("a multipart part has no name")
        parts.append(Part(params["name"], params.get("filename"), headers.get("content-type"), data))
    return parts
