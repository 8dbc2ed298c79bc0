"""The fake ``noxinfluencer``'s writes: dry-run by default, ``--force`` once per key, strict bodies,
``html_body``, attachments. Each test writes to threads no other test of this module touches.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.sandbox import fake_cli_support as support
from tests.sandbox.fake_cli_support import FakeCli
from tests.sandbox_support import SANDBOX_TOKEN

# The module's fixtures (one sandbox for the whole module; see fake_cli_support).
fake = support.fake
module_sandbox = support.module_sandbox
rest = support.rest


def thread(rest: httpx.Client, thread_id: str) -> dict[str, object]:
    response = rest.get(f"/messages/threads/{thread_id}")
    response.raise_for_status()
    data: dict[str, object] = response.json()["data"]
    return data


def stats(fake: FakeCli) -> dict[str, int]:
    counts: dict[str, int] = fake.sandbox.store.stats()
    return counts


def test_dry_run_prints_the_request_and_writes_nothing(fake: FakeCli, rest: httpx.Client) -> None:
    before, counts = thread(rest, "th_000002"), stats(fake)
    body = fake.body_file("labels.json", {"label_ids": ["lb_vip", "lb_paid"]})
    ran = fake.run("message", "labels", "set", "th_000002", "--body-file", body)
    assert ran.code == 0
    assert ran.json == {
        "success": True,
        "data": {"dry_run": True, "method": "PUT", "path": "/messages/threads/th_000002/labels",
                 "body": {"label_ids": ["lb_vip", "lb_paid"]}},
        "summary": "Dry run: would set 2 labels on thread th_000002. Add --force to run it.",
        "meta": {},
    }
    assert thread(rest, "th_000002")["labels"] == before["labels"]
    assert stats(fake)["idempotency_keys"] == counts["idempotency_keys"]
    assert fake.log_lines()[-1] == {"argv": ["message", "labels", "set", "th_000002", "--body-file", body],
                                    "force": False, "idempotency_key": None, "exit": 0}


def test_force_writes_once_and_a_replay_returns_the_first_answer(fake: FakeCli, rest: httpx.Client) -> None:
    body = fake.body_file("send.json", {"content": "Sounds great, sending the brief today.",
                                        "sender_auth_id": "sa_maya"})
    sends = stats(fake)["sends"]
    argv = ["message", "send", "th_000003", "--body-file", body, "--force", "--idempotency-key", "k-send-3"]
    first = fake.run(*argv)
    assert first.code == 0, first.out
    assert first.json["data"]["last_message_direction"] == "outbound"
    again = fake.run(*argv, "--trace-json")
    assert again.code == 0
    assert again.json == first.json
    trace = [json.loads(line) for line in again.err.splitlines()]
    assert trace[-1]["replayed"] is True and trace[-1]["idempotency_key"] == "k-send-3"
    assert SANDBOX_TOKEN not in again.err
    assert stats(fake)["sends"] == sends + 1
    assert [(e["force"], e["idempotency_key"]) for e in fake.log_lines()] == [(True, "k-send-3")] * 2


def test_force_without_a_key_mints_one(fake: FakeCli) -> None:
    body = fake.body_file("coop.json", {"coop_status": "negotiating"})
    ran = fake.run("message", "coop", "set", "th_000004", "--body-file", body, "--force")
    assert ran.code == 0
    key = fake.log_lines()[-1]["idempotency_key"]
    assert isinstance(key, str) and len(key) == 36
    assert ran.json["data"]["coop_status"]["code"] == "negotiating"


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"label_ids": ["lb_vip"], "labels": []}, "unknown field(s) in --body-file"),
        ({}, "needs field 'label_ids'"),
        ({"label_ids": "lb_vip"}, "must be a JSON array"),
        ({"label_ids": [1]}, "array of strings"),
        ("[1, 2]", "must hold a JSON object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_bodies_are_exit_2_before_any_request(fake: FakeCli, payload: object, needle: str) -> None:
    ran = fake.run("message", "labels", "set", "th_000005", "--body-file", fake.body_file("b.json", payload),
                   "--force")
    assert ran.code == 2
    assert needle in ran.json["summary"]


def test_a_missing_body_file_is_exit_2(fake: FakeCli, tmp_path: Path) -> None:
    ran = fake.run("message", "draft", "save", "th_000005", "--body-file", str(tmp_path / "nope.json"))
    assert ran.code == 2
    assert "cannot read --body-file" in ran.json["summary"]


def test_html_body_is_sent_as_its_text(fake: FakeCli, rest: httpx.Client) -> None:
    body = fake.body_file("html.json", {"html_body": "<p>Hi <b>Ana</b>,</p><p>Rates &amp; dates attached.</p>",
                                        "sender_auth_id": "sa_maya"})
    ran = fake.run("message", "send", "th_000006", "--body-file", body, "--force")
    assert ran.code == 0, ran.out
    last = thread(rest, "th_000006")["messages"][-1]  # type: ignore[index]
    assert last["body_text"] == "Hi Ana,\n\nRates & dates attached."


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"html_body": "<p><br></p>", "sender_auth_id": "sa_maya"}, "no visible text"),
        ({"html_body": "<div>&nbsp;</div>", "sender_auth_id": "sa_maya"}, "no visible text"),
        ({"content": "a", "html_body": "<p>a</p>", "sender_auth_id": "sa_maya"}, "exactly one of"),
        ({"sender_auth_id": "sa_maya"}, "got neither"),
        ({"content": "hi"}, "needs field 'sender_auth_id'"),
    ],
)
def test_send_and_schedule_refuse_bad_content(fake: FakeCli, payload: object, needle: str) -> None:
    sends = stats(fake)["sends"]
    for command in ("send", "schedule"):
        if command == "schedule" and isinstance(payload, dict):
            payload = {**payload, "plan_send_at": "2026-12-01T09:00:00+08:00"}
        ran = fake.run("message", command, "th_000007", "--body-file", fake.body_file("c.json", payload), "--force")
        assert ran.code == 2, (command, ran.out)
        assert needle in ran.json["summary"]
    assert stats(fake)["sends"] == sends


def test_schedule_then_cancel_and_cancel_again_is_a_conflict(fake: FakeCli, rest: httpx.Client) -> None:
    body = fake.body_file("s.json", {"content": "Following up next week", "sender_auth_id": "sa_maya",
                                     "plan_send_at": "2026-12-01T09:00:00+08:00"})
    assert fake.run("message", "schedule", "th_000008", "--body-file", body, "--force").code == 0
    assert thread(rest, "th_000008")["scheduled_at"] is not None
    assert fake.run("message", "cancel", "th_000008", "--force").code == 0
    again = fake.run("message", "cancel", "th_000008", "--force")
    assert (again.code, again.json["error_code"]) == (5, "NOTHING_SCHEDULED")


def test_templates_save_and_use(fake: FakeCli, rest: httpx.Client) -> None:
    saved = fake.run("message", "templates", "save", "--force", "--body-file",
                     fake.body_file("t.json", {"name": "Nudge", "language": "en", "body": "Hi {{creator_first_name}}"}))
    assert saved.code == 0, saved.out
    template_id = saved.json["data"]["template_id"]
    used = fake.run("message", "templates", "use", template_id, "--force", "--body-file",
                    fake.body_file("u.json", {"thread_id": "th_000010"}))
    assert used.code == 0, used.out
    assert thread(rest, "th_000010")["composer"]["draft_body"].startswith("Hi ")  # type: ignore[index]


def test_crm_update_dry_run_then_force(fake: FakeCli) -> None:
    body = fake.body_file("crm.json", {"notes": "Prefers email"})
    dry = fake.run("crm", "update", "cr_000001", "--body-file", body)
    assert dry.json["data"]["method"] == "PATCH"
    assert dry.json["summary"] == "Dry run: would update notes of CRM channel cr_000001. Add --force to run it."
    forced = fake.run("crm", "update", "cr_000001", "--body-file", body, "--force")
    assert (forced.code, forced.json["data"]["notes"]) == (0, "Prefers email")


def test_archive_dry_run_then_force(fake: FakeCli, rest: httpx.Client) -> None:
    dry = fake.run("message", "archive", "th_000011")
    assert dry.json["data"] == {"dry_run": True, "method": "POST", "path": "/messages/threads/th_000011/archive",
                                "body": None}
    forced = fake.run("message", "archive", "th_000011", "--force")
    assert forced.code == 0
    assert "th_000011" in forced.json["data"]["archived_thread_ids"]


def test_attachments_upload_list_delete(fake: FakeCli, tmp_path: Path) -> None:
    pdf = tmp_path / "rate card.pdf"
    pdf.write_bytes(b"%PDF-1.4 rates")
    dry = fake.run("message", "attachments", "upload", "th_000012", "--file", str(pdf))
    assert dry.json["data"]["file"] == {"filename": "rate card.pdf", "size": 14, "content_type": "application/pdf"}
    assert fake.run("message", "attachments", "list", "th_000012").json["data"] == []
    up = fake.run("message", "attachments", "upload", "th_000012", "--file", str(pdf), "--force")
    assert up.code == 0, up.out
    attachment_id = up.json["data"]["attachment_id"]
    listed = fake.run("message", "attachments", "list", "th_000012").json["data"]
    assert [a["attachment_id"] for a in listed] == [attachment_id]
    assert fake.run("message", "attachments", "delete", "th_000012", attachment_id).json["data"]["dry_run"] is True
    gone = fake.run("message", "attachments", "delete", "th_000012", attachment_id, "--force")
    assert (gone.code, gone.json["data"]["deleted"]) == (0, True)
    assert fake.run("message", "attachments", "list", "th_000012").json["data"] == []
    missing = fake.run("message", "attachments", "delete", "th_000012", attachment_id, "--force")
    assert missing.code == 4


@pytest.mark.parametrize(
    ("name", "size", "needle"),
    [("setup.exe", 10, "cannot be attached"), ("run.sh", 10, "cannot be attached"),
     ("huge.pdf", 10 * 1024 * 1024 + 1, "limited to 10 MB"), ("empty.pdf", 0, "is empty")],
)
def test_uploads_refused_locally(fake: FakeCli, tmp_path: Path, name: str, size: int, needle: str) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(size)
    ran = fake.run("message", "attachments", "upload", "th_000013", "--file", str(path), "--force")
    assert ran.code == 2
    assert needle in ran.json["summary"]


def test_upload_of_a_missing_file_is_exit_2(fake: FakeCli, tmp_path: Path) -> None:
    ran = fake.run("message", "attachments", "upload", "th_000013", "--file", str(tmp_path / "nope.pdf"))
    assert ran.code == 2
    assert "no such file" in ran.json["summary"]
