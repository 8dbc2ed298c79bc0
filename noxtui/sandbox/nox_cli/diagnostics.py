"""The tool describing itself: ``schema``, ``schema --all``, ``agent exit-codes``, ``doctor``.

All print plain JSON (no envelope). ``doctor`` exits 0 whatever it finds: its verdict is the
``ok`` field, so a client parses one shape either way.
"""

from __future__ import annotations

from typing import Any

from noxtui.sandbox.nox_cli.credentials import read_credentials
from noxtui.sandbox.nox_cli.harness import Env
from noxtui.sandbox.nox_cli.output import CliError, exit_codes_catalogue, invalid, print_json
from noxtui.sandbox.nox_cli.spec import GLOBAL_FLAGS
from noxtui.sandbox.nox_cli.table import BY_NAME, COMMANDS
from noxtui.sandbox.nox_cli.transport import Api


def schema(env: Env, target: str | None) -> int:
    if target is None:
        print_json(
            {
                "version": env.version,
                "commands": [{"command": c.name, "write": c.write, "description": c.description} for c in COMMANDS],
                "global_flags": {name: flag.schema() for name, flag in GLOBAL_FLAGS.items()},
            }
        )
        return 0
    command = BY_NAME.get(" ".join(target.split()))
    if command is None:
        raise invalid(f"unknown command {target!r}; see `noxinfluencer schema --all`")
    print_json(command.schema())
    return 0


def exit_codes() -> int:
    print_json(exit_codes_catalogue())
    return 0


def _check(name: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"name": name, "ok": ok, "detail": detail}


def doctor(env: Env, *, trace: bool, lang: str) -> int:
    checks = [_check("version", True, f"noxinfluencer {env.version} (fake, backed by the noxtui sandbox)")]
    creds = read_credentials(env)
    checks.append(
        _check("credentials", creds is not None, "logged in" if creds else "no credentials: run noxinfluencer login")
    )
    if env.url is None:
        checks.append(_check("api", False, "not pointed at a sandbox: NOXTUI_FAKE_NOX_URL is unset"))
    else:
        try:
            api = Api(env.url, creds["token"] if creds else None, trace=trace, lang=lang, timeout=env.timeout)
            answer = api.request("GET", "/auth/status")
        except CliError as error:
            checks.append(_check("api", False, error.summary))
        else:
            if answer.status == 200:
                checks.append(_check("api", True, f"reachable; {answer.payload.get('summary', 'authenticated')}"))
            elif creds is None:
                checks.append(_check("api", True, f"reachable (HTTP {answer.status} without credentials)"))
            else:
                checks.append(_check("api", False, f"the credentials were refused (HTTP {answer.status})"))
    print_json({"checks": checks, "ok": all(c["ok"] for c in checks)})
    return 0
