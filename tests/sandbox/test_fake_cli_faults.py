"""The fake ``noxinfluencer``'s exit codes: each sandbox failure mapped onto the catalogue, and the
environment's own faults (hang, garbage, exit:N, once:…), including a retry that lands once.
"""

from __future__ import annotations

import subprocess

import pytest

from noxtui.sandbox.nox_cli import fake_cli_command
from tests.sandbox import fake_cli_support as support
from tests.sandbox.fake_cli_support import FakeCli

# The module's fixtures (one sandbox for the whole module; see fake_cli_support).
fake = support.fake
module_sandbox = support.module_sandbox


@pytest.mark.parametrize(
    ("rule", "code", "error_code"),
    [
        ({"status": 401}, 3, "UNAUTHENTICATED"),
        ({"status": 403}, 3, "FORBIDDEN"),
        ({"status": 402, "error_code": "INSUFFICIENT_CREDIT"}, 8, "INSUFFICIENT_CREDIT"),
        ({"status": 404}, 4, "NOT_FOUND"),
        ({"status": 409}, 5, "CONFLICT"),
        ({"status": 422}, 2, "VALIDATION_ERROR"),
        ({"status": 429, "retry_after": 1}, 6, "RATE_LIMITED"),
        ({"status": 500}, 7, "INTERNAL"),
        ({"status": 502}, 7, "UPSTREAM_ERROR"),
        ({"status": 503}, 7, "UPSTREAM_ERROR"),
        ({"mode": "drop_before"}, 7, "NETWORK_ERROR"),
        ({"mode": "html"}, 7, "UPSTREAM_502"),
        ({"mode": "invalid_json"}, 7, "UPSTREAM_200"),
    ],
)
def test_sandbox_failures_map_to_exit_codes(fake: FakeCli, rule: dict[str, object], code: int, error_code: str) -> None:
    fake.sandbox.faults.set_rules([{"path": "/messages/coop-statuses", **rule}])
    ran = fake.run("message", "coop-statuses")
    assert ran.code == code, ran.out
    assert ran.json["success"] is False
    assert ran.json["error_code"] == error_code


def test_a_real_not_found_is_exit_4(fake: FakeCli) -> None:
    ran = fake.run("message", "get", "th_999999")
    assert (ran.code, ran.json["error_code"]) == (4, "NOT_FOUND")


def test_a_server_side_validation_error_is_exit_2(fake: FakeCli) -> None:
    body = fake.body_file("l.json", {"label_ids": ["lb_does_not_exist"]})
    ran = fake.run("message", "labels", "set", "th_000020", "--body-file", body, "--force")
    assert (ran.code, ran.json["error_code"]) == (2, "VALIDATION_ERROR")


def test_a_dropped_answer_is_retried_with_the_same_key_and_lands_once(fake: FakeCli) -> None:
    """The write commits, the answer is lost (exit 7, retryable); the retry replays the first result."""
    sends = fake.sandbox.store.stats()["sends"]
    fake.sandbox.faults.set_rules([{"method": "POST", "path": "/send$", "mode": "drop_after", "times": 1}])
    body = fake.body_file("s.json", {"content": "Confirming the shoot date.", "sender_auth_id": "sa_maya"})
    argv = ["message", "send", "th_000021", "--body-file", body, "--force", "--idempotency-key", "k-retry-21"]
    first = fake.run(*argv)
    assert first.code == 7
    retry = fake.run(*argv)
    assert retry.code == 0, retry.out
    assert fake.sandbox.store.stats()["sends"] == sends + 1
    assert [line["idempotency_key"] for line in fake.log_lines()] == ["k-retry-21", "k-retry-21"]


@pytest.mark.parametrize(("code", "error_code"), [(2, "INVALID_REQUEST"), (6, "RATE_LIMITED"), (7, "UPSTREAM_ERROR"),
                                                  (8, "INSUFFICIENT_CREDIT")])
def test_env_fault_exit_n(fake: FakeCli, code: int, error_code: str) -> None:
    ran = fake.run("message", "list", NOXTUI_FAKE_NOX_FAULT=f"exit:{code}")
    assert ran.code == code
    assert ran.json["error_code"] == error_code


def test_env_fault_garbage_is_a_non_json_line(fake: FakeCli) -> None:
    ran = fake.run("message", "list", NOXTUI_FAKE_NOX_FAULT="garbage")
    assert ran.code == 1
    assert ran.out.startswith("TypeError: ")


def test_env_faults_leave_local_commands_alone(fake: FakeCli) -> None:
    assert fake.run("--version", NOXTUI_FAKE_NOX_FAULT="exit:7").code == 0
    assert fake.run("auth", "status", NOXTUI_FAKE_NOX_FAULT="garbage").json["authenticated"] is True


def test_once_fault_fires_on_the_first_matching_invocation_only(fake: FakeCli) -> None:
    env = {"NOXTUI_FAKE_NOX_FAULT": "once:exit:7", "NOXTUI_FAKE_NOX_FAULT_ON": "coop --force"}
    body = fake.body_file("c.json", {"coop_status": "interested"})
    argv = ["message", "coop", "set", "th_000022", "--body-file", body]
    assert fake.run(*argv, **env).code == 0  # the dry-run does not match FAULT_ON
    assert fake.run(*argv, "--force", "--idempotency-key", "k-once", **env).code == 7
    again = fake.run(*argv, "--force", "--idempotency-key", "k-once", **env)
    assert again.code == 0, again.out
    assert [(e["force"], e["exit"]) for e in fake.log_lines()] == [(False, 0), (True, 7), (True, 0)]


def test_hang_never_answers(fake: FakeCli) -> None:
    env = fake.base_env()
    env["NOXTUI_FAKE_NOX_FAULT"] = "hang"
    process = subprocess.Popen([*fake_cli_command(), "message", "list"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.communicate(timeout=1.5)
    finally:
        process.kill()
        out, _ = process.communicate()
    assert out == ""


def test_unreachable_sandbox_is_exit_7(fake: FakeCli) -> None:
    ran = fake.run("message", "list", NOXTUI_FAKE_NOX_URL="http://127.0.0.1:9/v1")
    assert (ran.code, ran.json["error_code"]) == (7, "NETWORK_ERROR")
