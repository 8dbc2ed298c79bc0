"""Reads and writes: one sandbox request per command, its envelope printed as the sandbox sent it.

Reads are ``GET`` on the command's route with its flags as query parameters. Writes check their
body locally first (``bodies.py``); without ``--force`` they stop there and print the dry-run
envelope (no write request, whatever the arguments); with it they send the request with an
``Idempotency-Key`` (``--idempotency-key``, or a fresh UUID4), so the sandbox replays the first
answer to a retry with the same key and body.
"""

from __future__ import annotations

import json
import re
from typing import Any

from noxtui.sandbox.nox_cli.argv import Invocation
from noxtui.sandbox.nox_cli.credentials import read_credentials
from noxtui.sandbox.nox_cli.harness import Env
from noxtui.sandbox.nox_cli.output import (
    ERROR,
    CliError,
    exit_for_status,
    invalid,
    not_logged_in,
    print_json,
    print_raw,
)
from noxtui.sandbox.nox_cli.transport import Api, fill_path, multipart_body

_HEADER_SAFE = re.compile(r"^[\x21-\x7e]{1,200}$")


def _api(env: Env, inv: Invocation) -> Api:
    if env.url is None:
        raise CliError(ERROR, "the fake tool is not pointed at a sandbox: set NOXTUI_FAKE_NOX_URL", error_code="CONFIG")
    creds = read_credentials(env)
    if creds is None:
        raise not_logged_in()
    return Api(env.url, creds["token"], trace=inv.trace, lang=inv.lang, timeout=env.timeout)


def run_read(env: Env, inv: Invocation) -> int:
    api = _api(env, inv)
    query: dict[str, str] = {}
    for name, flag in inv.command.flags.items():
        value = inv.value(name)
        if value is not None and flag.query is not None:
            query[flag.query] = value
    answer = api.request("GET", fill_path(inv.command.path, inv.args), query=query or None)
    print_raw(answer.text)
    return exit_for_status(answer.status)


def _dry_run(inv: Invocation, path: str, body: dict[str, Any] | None, upload: dict[str, Any] | None,
             key: str | None) -> None:
    what = inv.command.describe(inv.args, upload or body or {}) if inv.command.describe else inv.command.name
    data: dict[str, Any] = {"dry_run": True, "method": inv.command.method, "path": path, "body": body}
    if upload is not None:
        data["file"] = upload
    if key is not None:
        data["idempotency_key"] = key
    print_json({"success": True, "data": data, "summary": f"Dry run: would {what}. Add --force to run it.",
                "meta": {}})


def run_write(env: Env, inv: Invocation) -> tuple[int, str | None]:
    """The exit code and the idempotency key used (the log records it)."""
    from noxtui.sandbox.nox_cli import bodies  # only writes pay for it

    command = inv.command
    api = _api(env, inv)
    body: dict[str, Any] | None = None
    if command.body is not None:
        raw = bodies.read_body_file(inv.value("--body-file") or "")
        bodies.check_body(command, raw)
        body = bodies.wire_body(command, raw)
    upload_info: dict[str, Any] | None = None
    payload: bytes | None = None
    content_type = "application/json"
    if command.upload:
        filename, file_type, data = bodies.read_upload(inv.value("--file") or "")
        upload_info = {"filename": filename, "size": len(data), "content_type": file_type}
        payload, content_type = multipart_body(filename, file_type, data)
    elif body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    path = fill_path(command.path, inv.args)
    key = inv.value("--idempotency-key")
    if key is not None and not _HEADER_SAFE.match(key):
        raise invalid("--idempotency-key must be 1-200 printable ASCII characters without spaces")
    if not inv.force:
        _dry_run(inv, path, body, upload_info, key)
        return 0, key
    if key is None:
        import uuid  # only forced writes without a key pay for it

        key = str(uuid.uuid4())
    answer = api.request(command.method, path, body=payload, content_type=content_type, idempotency_key=key)
    print_raw(answer.text)
    return exit_for_status(answer.status), key
