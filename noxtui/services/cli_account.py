"""The vendor-CLI account: log in through the tool itself, and check it in ``noxtui doctor``.

noxtui never sees or stores this provider's credentials: ``login`` hands the terminal to
``noxinfluencer login`` (the vendor's device flow) and only records a profile saying "use the tool".
The doctor checks what the provider needs, in the order a rep fixes them: the tool is there, new
enough, logged in, and has the message commands and the list filters noxtui offers.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from noxtui.providers.nox_cli import discovery
from noxtui.providers.nox_cli.process import INSTALL_HINT
from noxtui.providers.nox_cli.schema import FILTER_FLAGS
from noxtui.services.accounts import AccountError, Check
from noxtui.storage.settings import ConfigError, Paths, Profile, load_settings, save_settings

FILTER_NAMES = {
    "task": "email task",
    "task_id": "email task id",
    "projects": "projects",
    "members": "team members",
    "coop_status": "coop status",
    "label": "label",
    "view": "deal / unread views",
}


def login_cli(name: str, paths: Paths, cli_path: str | None = None) -> str:
    """Run ``noxinfluencer login`` on this terminal, check it worked, then save the profile."""
    tool = discovery.resolve_tool(cli_path)
    if tool is None:
        raise AccountError(f"The NoxInfluencer tool `noxinfluencer` is not on PATH. {INSTALL_HINT}")
    try:
        discovery.version_of(tool)
        done = subprocess.run([*tool, "login"], check=False)
    except discovery.ToolProblem as exc:
        raise AccountError(str(exc)) from None
    except OSError as exc:
        raise AccountError(f"`noxinfluencer login` could not be started: {exc.strerror or exc}") from None
    try:
        auth = discovery.auth_of(tool)
    except discovery.ToolProblem as exc:
        raise AccountError(str(exc)) from None
    if done.returncode != 0 or not auth.authenticated:
        raise AccountError("The NoxInfluencer tool is still not logged in; nothing was saved. Try again.")
    try:
        settings = load_settings(paths)
    except ConfigError as exc:
        raise AccountError(str(exc)) from None
    current = settings.profiles.get(name, Profile())
    profile = current.model_copy(update={"provider": "cli", **({"cli_path": cli_path} if cli_path else {})})
    save_settings(settings.model_copy(update={"profiles": {**settings.profiles, name: profile}}), paths)
    who = auth.user.name if auth.user and auth.user.name else "you"
    return (
        f"Logged in as {who} through the NoxInfluencer tool (profile {name!r}). "
        "The tool keeps its own credentials; noxtui stored none. Run `noxtui` to open your inbox."
    )


def tool_is_the_default(paths: Paths) -> bool:
    """No profile is configured and the vendor tool is on PATH: ``noxtui`` then opens it (the
    launcher's rule), so ``doctor`` checks it."""
    import tomllib

    try:
        raw = tomllib.loads(paths.config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        raw = {}
    return not raw.get("profiles") and discovery.resolve_tool() is not None


def cli_checks(cli_path: str | None, paths: Paths) -> list[Check]:
    """Every check the CLI provider needs, each a sentence saying what to do when it fails."""
    tool = discovery.resolve_tool(cli_path)
    if tool is None:
        return [Check("tool", False, f"The NoxInfluencer tool `noxinfluencer` is not on PATH. {INSTALL_HINT}")]
    try:
        version = discovery.version_of(tool)
    except discovery.ToolProblem as exc:
        return [Check("tool version", False, str(exc))]
    installed = f"noxinfluencer {version} is installed at {tool[0]}"
    try:
        auth = discovery.auth_of(tool)
    except discovery.ToolProblem as exc:
        return [Check("logged in", False, f"{installed}. {exc}")]
    if not auth.authenticated:
        return [
            Check("logged in", False, f"{installed}, but it is not logged in. {discovery.LOGIN_HINT}"),
            _commands_check(tool),
            _filters_check(tool, version, paths),
        ]
    who = f" as {auth.user.name}" if auth.user and auth.user.name else ""
    return [
        Check("logged in", True, f"{installed} and logged in{who}."),
        _commands_check(tool),
        _filters_check(tool, version, paths),
    ]


def _commands_check(tool: Sequence[str]) -> Check:
    try:
        commands = set(discovery.commands_of(tool))
    except discovery.ToolProblem as exc:
        return Check("message commands", False, str(exc))
    missing = [command for command in discovery.MESSAGE_COMMANDS if command not in commands]
    if missing:
        return Check(
            "message commands",
            False,
            f"The installed tool lacks {', '.join(missing)}. Update it: npm install -g @noxinfluencer/cli@latest",
        )
    return Check("message commands", True, "The tool has every message command noxtui uses.")


def _filters_check(tool: Sequence[str], version: str, paths: Paths) -> Check:
    schema = discovery.schema_of(tool, version, paths.cache_dir)
    if schema.problem:
        documented = ", ".join(FILTER_FLAGS.values())
        return Check(
            "list filters", False, f"{schema.problem.rstrip('.')}. noxtui uses the documented filters: {documented}."
        )
    if schema.missing:
        hidden = ", ".join(FILTER_NAMES.get(name, name) for name in schema.missing)
        return Check(
            "list filters", True, f"The installed tool cannot filter by {hidden}, so those filters are hidden."
        )
    return Check("list filters", True, f"The tool offers every list filter, in pages of up to {schema.max_page_size}.")


__all__ = ["cli_checks", "login_cli", "tool_is_the_default"]
