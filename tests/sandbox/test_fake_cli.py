"""The fake ``noxinfluencer``: argv strictness and the commands that describe the tool or its login.

Real subprocesses against one loopback sandbox per module (``fake_cli_support.py``).
"""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from noxtui.sandbox.nox_cli import fake_cli_command, fake_cli_env
from tests.sandbox import fake_cli_support as support
from tests.sandbox.fake_cli_support import FakeCli
from tests.sandbox_support import SANDBOX_TOKEN

# The module's fixtures (one sandbox for the whole module; see fake_cli_support).
fake = support.fake
logged_out = support.logged_out
module_sandbox = support.module_sandbox
rest = support.rest

READS = [
    "message list", "message get", "message projects", "message creator-filters", "message project-filters",
    "message labels", "message coop-statuses", "message templates list", "message attachments list",
    "message attachments download",
    "email sender list", "email get", "email report", "crm get",
]
WRITES = [
    "message labels set", "message coop set", "message draft save", "message send", "message schedule",
    "message cancel", "message archive", "message templates save", "message templates use",
    "message attachments upload", "message attachments delete", "crm update",
]
LOCAL = ["auth", "auth status", "auth logout", "login", "login start", "login wait", "doctor", "schema",
         "agent exit-codes"]
ALL = READS + WRITES + LOCAL


def assert_invalid(ran_code: int, envelope: dict[str, object], needle: str) -> None:
    assert ran_code == 2
    assert envelope["success"] is False
    assert envelope["error_code"] == "INVALID_REQUEST"
    assert needle in str(envelope["summary"])


# --- version -------------------------------------------------------------------------------------


def test_version_prints_the_bare_version_anywhere_on_the_line(fake: FakeCli) -> None:
    assert fake.run("--version").out == "0.5.9\n"
    old = fake.run("message", "list", "--version", NOXTUI_FAKE_NOX_VERSION="0.5.7")
    assert (old.code, old.out) == (0, "0.5.7\n")


# --- argv strictness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["message", "list", "--needs_reply", "true"], "unknown option '--needs_reply'"),
        (["message", "list", "--direction", "inbound"], "unknown option '--direction'"),
        (["message", "list", "--keyword", "x"], "unknown option '--keyword' for `message list`"),
        (["message", "list", "--page", "1", "--page", "2"], "given twice"),
        (["message", "list", "--page_size", "101"], "at most 100"),
        (["message", "list", "--page_size", "ten"], "must be an integer"),
        (["message", "list", "--status", "read"], "must be one of"),
        (["message", "list", "--status", "draft"], "needs --business_kind and --business_id"),
        (["message", "list", "--business_kind", "email_task"], "go together"),
        (["message", "list", "--project_ids", "email_task:1", "--business_kind", "email_task",
          "--business_id", "et_0001"], "cannot be combined"),
        (["message", "list", "--project_ids", "1829"], "<kind>:<id>"),
        (["message", "list", "--page"], "needs a value"),
        (["message", "get"], "needs <thread_id>"),
        (["message", "get", "th_000001", "th_000002"], "unexpected argument 'th_000002'"),
        (["message", "send", "th_000001"], "needs --body-file"),
        (["message", "send", "th_000001", "--body-file", "x.json", "--force=yes"], "takes no value"),
        (["message", "teleport"], "unknown command"),
        ([], "no command given"),
        (["--lang", "fr", "message", "list"], "must be one of en, zh"),
        (["schema"], "needs a command"),
    ],
)
def test_invalid_argv_is_exit_2_with_an_envelope(fake: FakeCli, argv: list[str], needle: str) -> None:
    ran = fake.run(*argv)
    assert_invalid(ran.code, ran.json, needle)


def test_options_go_anywhere_and_take_either_spelling(fake: FakeCli) -> None:
    ran = fake.run("--lang", "en", "message", "--page_size=2", "list", "--trace-json")
    assert ran.code == 0, ran.out
    assert len(ran.json["data"]) == 2


# --- schema --------------------------------------------------------------------------------------


def test_schema_all_lists_every_command_with_its_write_flag(fake: FakeCli) -> None:
    ran = fake.run("schema", "--all")
    assert ran.code == 0
    listed = {c["command"]: c["write"] for c in ran.json["commands"]}
    assert listed == {**dict.fromkeys(READS, False), **dict.fromkeys(WRITES, True), **dict.fromkeys(LOCAL, False)}
    assert set(ran.json["global_flags"]) == {"--version", "--trace-json", "--lang"}


def test_schema_of_each_command(fake: FakeCli) -> None:
    # One process per command, four at a time (spawning is the slow part on a small machine).
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = dict(zip(ALL, pool.map(lambda name: fake.run("schema", name), ALL), strict=True))
    for name, ran in answers.items():
        assert ran.code == 0, (name, ran.out)
        schema = ran.json
        assert schema["command"] == name
        assert schema["write"] is (name in WRITES)
        assert isinstance(schema["args"], list)
        assert all(flag.startswith("--") and "type" in spec for flag, spec in schema["flags"].items())
        if name in WRITES:
            assert {"--force", "--idempotency-key"} <= set(schema["flags"]), name
            has_body = name not in ("message cancel", "message archive", "message attachments upload",
                                    "message attachments delete")
            assert (schema["body"] is not None) is has_body, name
            assert ("--body-file" in schema["flags"]) is has_body, name
        else:
            assert schema["body"] is None, name


def test_schema_of_message_list_is_the_documented_filters(fake: FakeCli) -> None:
    flags = fake.run("schema", "message list").json["flags"]
    assert set(flags) == {"--page", "--page_size", "--business_kind", "--business_id", "--project_ids",
                          "--creator_uids", "--coop_status", "--label_id", "--status"}
    assert flags["--page_size"] == {"type": "integer", "description": flags["--page_size"]["description"],
                                    "minimum": 1, "maximum": 100}
    assert flags["--status"]["enum"] == ["deal", "unread", "draft", "scheduled"]


def test_schema_bodies_name_the_contract_fields(fake: FakeCli) -> None:
    labels = fake.run("schema", "message labels set").json["body"]
    assert labels == {"fields": {"label_ids": {"type": "array", "items": {"type": "string"}, "required": True}}}
    send = fake.run("schema", "message send").json["body"]
    assert set(send["fields"]) == {"content", "html_body", "sender_auth_id", "reply_to_message_id", "attachment_ids"}
    assert send["exactly_one_of"] == ["content", "html_body"]


def test_schema_of_an_unknown_command_is_exit_2(fake: FakeCli) -> None:
    ran = fake.run("schema", "message teleport")
    assert_invalid(ran.code, ran.json, "unknown command")


# --- exit codes ----------------------------------------------------------------------------------


def test_agent_exit_codes_is_the_contract_table(fake: FakeCli) -> None:
    ran = fake.run("agent", "exit-codes")
    assert ran.code == 0
    table = {c["code"]: (c["name"], c["retryable"]) for c in ran.json["codes"]}
    assert table == {
        0: ("ok", False), 1: ("error", False), 2: ("invalid_request", False), 3: ("auth", False),
        4: ("not_found", False), 5: ("conflict", False), 6: ("rate_limited", True), 7: ("upstream", True),
        8: ("quota", False),
    }


# --- auth and login ------------------------------------------------------------------------------


def test_auth_status_without_credentials_needs_no_sandbox(logged_out: FakeCli) -> None:
    ran = logged_out.run("auth", "status", NOXTUI_FAKE_NOX_URL="")
    assert (ran.code, ran.json) == (0, {"authenticated": False})


def test_auth_status_with_credentials_names_the_user(fake: FakeCli) -> None:
    ran = fake.run("auth", "status")
    assert ran.code == 0
    assert ran.json == {"authenticated": True, "user": {"uid": "u_maya", "name": "Maya Chen",
                                                         "team": "Glowbrook Collective"}}
    # The user is kept: the next answer comes from the credentials file alone (no sandbox at all).
    again = fake.run("auth", "status", NOXTUI_FAKE_NOX_URL="http://127.0.0.1:9/v1")
    assert again.json["authenticated"] is True


def test_refused_credentials_read_as_not_authenticated(module_sandbox: object, tmp_path: Path, fake: FakeCli) -> None:
    fake_cli_env(fake.sandbox.base_url, fake.home, "not-the-token")
    ran = fake.run("auth", "status")
    assert ran.code == 0
    assert ran.json["authenticated"] is False


def test_no_credentials_means_exit_3_with_a_login_action(logged_out: FakeCli) -> None:
    ran = logged_out.run("message", "list")
    assert ran.code == 3
    assert ran.json["error_code"] == "UNAUTHENTICATED"
    assert ran.json["action"] == {"type": "login", "hint": "Run noxinfluencer login"}


def test_not_pointed_at_a_sandbox_is_exit_1(fake: FakeCli) -> None:
    ran = fake.run("message", "list", NOXTUI_FAKE_NOX_URL="")
    assert ran.code == 1
    assert "not pointed at a sandbox" in ran.json["summary"]


def test_device_login_stores_the_token_privately_and_logout_clears_it(logged_out: FakeCli) -> None:
    ran = logged_out.run("login")
    assert ran.code == 0
    assert ran.json["authenticated"] is True
    assert "noxinfluencer.com/device" in ran.err and "code" in ran.err
    creds = logged_out.home / "credentials.json"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert SANDBOX_TOKEN not in ran.out + ran.err
    assert logged_out.run("message", "coop-statuses").code == 0
    assert logged_out.run("auth", "logout").code == 0
    assert logged_out.run("auth", "status").json == {"authenticated": False}


def test_login_start_then_wait(logged_out: FakeCli) -> None:
    started = logged_out.run("login", "start", "--json")
    assert started.code == 0
    assert {"login_id", "verification_url", "user_code"} <= set(started.json)
    unknown = logged_out.run("login", "wait", "lg_nope")
    assert unknown.code == 3
    waited = logged_out.run("login", "wait", started.json["login_id"])
    assert (waited.code, waited.json["authenticated"]) == (0, True)
    assert logged_out.run("auth", "status").json["authenticated"] is True


def test_key_on_stdin_is_checked_before_it_is_stored(logged_out: FakeCli) -> None:
    refused = logged_out.run("auth", "--key-stdin", stdin="wrong-key\n")
    assert refused.code == 3
    assert not (logged_out.home / "credentials.json").exists()
    assert logged_out.run("auth", "--key-stdin", stdin="").code == 2
    accepted = logged_out.run("auth", "--key-stdin", stdin=SANDBOX_TOKEN + "\n")
    assert (accepted.code, accepted.json["authenticated"]) == (0, True)


# --- doctor and helpers --------------------------------------------------------------------------


def test_doctor_reports_each_check(fake: FakeCli, logged_out: FakeCli) -> None:
    good = fake.run("doctor")
    assert good.code == 0
    assert good.json["ok"] is True
    assert [c["name"] for c in good.json["checks"]] == ["version", "credentials", "api"]
    bad = logged_out.run("doctor", NOXTUI_FAKE_NOX_URL="")
    assert bad.code == 0
    assert bad.json["ok"] is False
    failed = {c["name"] for c in bad.json["checks"] if not c["ok"]}
    assert failed == {"credentials", "api"}


def test_helpers_point_a_process_at_the_sandbox(module_sandbox: object, tmp_path: Path) -> None:
    home = tmp_path / "helper-home"
    env = fake_cli_env("http://127.0.0.1:1/v1", home, "tok")
    assert env == {"NOXTUI_FAKE_NOX_URL": "http://127.0.0.1:1/v1", "NOXTUI_FAKE_NOX_HOME": str(home)}
    assert stat.S_IMODE((home / "credentials.json").stat().st_mode) == 0o600
    command = fake_cli_command()
    assert command[0].endswith("noxtui-fake-noxinfluencer") or command[1:] == ["-m", "noxtui.sandbox.nox_cli"]
    assert os.access(command[0], os.X_OK)
