"""HTTP to the sandbox: plain HTTP/1.1 over one socket per command, standard library only.

Why not ``http.client``/``urllib``: they import the ``email`` package, ~30 ms of the fake's start
on every command, and the fake talks to one loopback sandbox with ``Connection: close`` answers
(``Content-Length`` or chunked), which a few lines read exactly. A transport failure (refused,
reset, timed out, an answer cut short) or an answer that is not a JSON object becomes a
``CliError`` with exit 7, the way the real tool reports an upstream it cannot read.
``--trace-json`` writes one JSON line per request to stderr: method, path, status, time, request
id, idempotency key — never the token.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import quote, urlencode, urlsplit

from noxtui.sandbox.nox_cli.output import ERROR, UPSTREAM, CliError


class Answer(NamedTuple):
    """A sandbox answer: status, the body as text, and the body as a JSON object."""

    status: int
    text: str
    payload: dict[str, Any]
    replayed: bool = False


def fill_path(template: str, args: Mapping[str, str]) -> str:
    """``/messages/threads/{thread_id}`` with each argument percent-encoded (a ``/`` cannot escape)."""
    path = template
    for name, value in args.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def multipart_body(filename: str, content_type: str, data: bytes) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body with one ``file`` part, and its Content-Type header."""
    boundary = "noxfake" + os.urandom(12).hex()
    safe_name = "".join("_" if c in '\\"\r\n' else c for c in filename)
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    while True:
        size_line, sep, body = body.partition(b"\r\n")
        if not sep:
            raise ConnectionError("the chunked answer was cut short")
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return bytes(out)
        if len(body) < size + 2:
            raise ConnectionError("the chunked answer was cut short")
        out += body[:size]
        body = body[size + 2 :]


def _read_answer(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep:
        raise ConnectionError("the connection closed before a complete answer")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise ConnectionError(f"not an HTTP answer: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return int(parts[1]), headers, _dechunk(rest)
    length = headers.get("content-length")
    if length is not None and length.isdigit():
        if len(rest) < int(length):
            raise ConnectionError(f"the answer was cut short ({len(rest)} of {length} bytes)")
        rest = rest[: int(length)]
    return int(parts[1]), headers, rest


class Api:
    """The sandbox's ``/v1`` routes, as one bearer-token client."""

    def __init__(self, base_url: str, token: str | None, *, trace: bool, lang: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise CliError(
                ERROR, f"NOXTUI_FAKE_NOX_URL must be the sandbox's http:// URL (got {base_url!r})", error_code="CONFIG"
            )
        self.host = parts.hostname
        self.port = parts.port or 80
        self.netloc = parts.netloc.rpartition("@")[2]
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.trace = trace
        self.lang = lang
        self.timeout = timeout

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
        idempotency_key: str | None = None,
        token: str | None = None,
    ) -> Answer:
        target = self.prefix + path + (f"?{urlencode(query)}" if query else "")
        headers = {
            "Host": self.netloc,
            "Accept": "application/json",
            "Accept-Language": self.lang,
            "User-Agent": "noxinfluencer-fake",
            "Connection": "close",
        }
        bearer = token if token is not None else self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        if body is not None or method in ("POST", "PUT", "PATCH"):
            headers["Content-Type"] = content_type
            headers["Content-Length"] = str(len(body or b""))
        head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        started = time.monotonic()
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(head.encode("utf-8") + (body or b""))
                chunks: list[bytes] = []
                while data := sock.recv(65536):
                    chunks.append(data)
            status, got, raw = _read_answer(b"".join(chunks))
        except (OSError, ValueError) as exc:
            self._trace(method, target, None, started, None, idempotency_key, error=type(exc).__name__)
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise CliError(
                UPSTREAM, f"Could not reach NoxInfluencer at {self.netloc}: {detail}", error_code="NETWORK_ERROR"
            ) from None
        replayed = got.get("idempotent-replayed") == "true"
        self._trace(method, target, status, started, got.get("x-request-id"), idempotency_key, replayed=replayed)
        text = raw.decode("utf-8", errors="replace")
        try:
            payload = json.loads(text)
        except json.JSONDecodeError:
            payload = None
        if not isinstance(payload, dict):
            first = (text.strip().splitlines() or [""])[0][:160]
            raise CliError(
                UPSTREAM,
                f"NoxInfluencer answered HTTP {status} with something that is not JSON: {first!r}",
                error_code=f"UPSTREAM_{status}",
            )
        return Answer(status, text, payload, replayed)

    def _trace(
        self,
        method: str,
        target: str,
        status: int | None,
        started: float,
        request_id: str | None,
        idempotency_key: str | None,
        *,
        replayed: bool = False,
        error: str | None = None,
    ) -> None:
        if not self.trace:
            return
        record = {
            "event": "http",
            "method": method,
            "path": target,
            "status": status,
            "ms": round((time.monotonic() - started) * 1000, 1),
            "request_id": request_id,
            "idempotency_key": idempotency_key,
            "replayed": replayed,
            "error": error,
        }
        sys.stderr.write(json.dumps(record) + "\n")
