"""A fake of the vendor's ``noxinfluencer`` CLI, backed by the noxtui sandbox over HTTP.

It implements the interface in ``shared/contract/nox-cli.md`` strictly (argv grammar, envelopes on
stdout, dry-run unless ``--force``, ``--idempotency-key``, exit codes, ``schema``, ``auth status``,
``--version``, ``doctor``), so the CLI provider is tested end to end on every machine. Standard
library only, and nothing of the sandbox server is imported: one process per command starts in
well under 150 ms.

Environment: ``NOXTUI_FAKE_NOX_URL`` (the sandbox's base URL with ``/v1``), ``NOXTUI_FAKE_NOX_HOME``
(its credentials; default ``~/.config/noxtui-fake-noxinfluencer``), ``NOXTUI_FAKE_NOX_VERSION``
(default 0.5.9), ``NOXTUI_FAKE_NOX_TOKEN`` (what ``login`` stores; default ``noxtui-sandbox``),
``NOXTUI_FAKE_NOX_TIMEOUT`` (seconds per request, default 30), and the test hooks
``NOXTUI_FAKE_NOX_LOG``, ``NOXTUI_FAKE_NOX_FAULT`` and ``NOXTUI_FAKE_NOX_FAULT_ON`` (``harness.py``).

Choices where neither contract note says (a strict real tool's behaviour):

* Options go anywhere after the program name, as ``--name value`` or ``--name=value``; ``--`` ends
  them. ``--version`` anywhere prints the bare version and exits 0, whatever else is on the line.
* ``schema`` takes the command as one argument (``schema "message list"``) or as several words.
  Its flag entries carry ``type``, ``description`` and, where they apply, ``minimum``/``maximum``,
  ``enum``, ``format: "csv"`` and ``required``; ``body.exactly_one_of`` names ``content``/``html_body``.
  ``schema --all`` also gives ``version`` and ``global_flags``.
* The dry-run's ``data.body`` is the body as it would be sent (``html_body`` already turned into
  ``content``); an upload's dry-run has ``body: null`` and ``file: {filename, size, content_type}``;
  ``data.idempotency_key`` appears when ``--idempotency-key`` was given. A dry-run still needs the
  sandbox URL and credentials (exit 1 / 3), like every API command, but makes no request.
* ``auth status`` answers from the credentials file when it holds the user (see ``accounts.py``).
  ``auth logout`` prints ``{"authenticated": false, "logged_out": true}``. ``auth --key-stdin`` and
  the logins check the token with ``GET /auth/status`` before storing it and print what
  ``auth status`` would. ``login wait`` with an unknown id: exit 3, ``LOGIN_EXPIRED``.
* ``doctor`` exits 0 even when a check fails (``ok`` says it): checks ``version``,
  ``credentials``, ``api``.
* A transport failure is exit 7 with ``NETWORK_ERROR``; a sandbox answer that is not a JSON object
  is exit 7 with ``UPSTREAM_<status>``; any other 4xx not in the table is exit 1.
* ``message send``/``schedule`` require ``sender_auth_id`` in the body file (exit 2 locally).
"""

from __future__ import annotations

import sys
from pathlib import Path

SCRIPT_NAME = "noxtui-fake-noxinfluencer"

__all__ = ["SCRIPT_NAME", "fake_cli_command", "fake_cli_env"]


def fake_cli_command() -> list[str]:
    """The argv prefix that runs the fake: its console script (beside this Python, or on PATH),
    else ``python -m noxtui.sandbox.nox_cli``."""
    beside = Path(sys.executable).parent / SCRIPT_NAME
    if beside.is_file():
        return [str(beside)]
    import shutil

    found = shutil.which(SCRIPT_NAME)
    if found:
        return [found]
    return [sys.executable, "-m", "noxtui.sandbox.nox_cli"]


def fake_cli_env(base_url: str, home: Path, token: str) -> dict[str, str]:
    """Environment variables that point the fake at a sandbox, logged in with ``token``
    (written to ``home/credentials.json``, mode 0600). Merge them into the child's environment."""
    from noxtui.sandbox.nox_cli.credentials import write_credentials

    write_credentials(Path(home), token)
    return {"NOXTUI_FAKE_NOX_URL": base_url, "NOXTUI_FAKE_NOX_HOME": str(home)}
