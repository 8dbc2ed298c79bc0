"""The sandbox keeps a draft's files: uploads land on the draft, and a draft save, send or schedule
that does not name ``attachment_ids`` keeps them ("unchanged"); the vendor's limits refuse the rest."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from noxtui.sandbox import SandboxServer
from tests.sandbox_support import auth, idem

T = "/messages/threads/th_000004"


def upload(client: httpx.Client, name: str = "media kit.pdf", data: bytes = b"%PDF-1.4 demo") -> httpx.Response:
    return client.post(f"{T}/attachments", files={"file": (name, data, "application/pdf")}, headers=idem())


def composer(client: httpx.Client) -> dict[str, Any]:
    return client.get(T).json()["data"]["composer"]


def test_an_upload_lands_on_the_draft_and_a_draft_save_without_the_list_keeps_it(
    sandbox_client: httpx.Client,
) -> None:
    file_id = upload(sandbox_client).json()["data"]["attachment_id"]
    assert composer(sandbox_client)["attachment_ids"] == [file_id]
    saved = sandbox_client.put(f"{T}/draft", json={"body": "Kit attached"}, headers=idem())
    assert saved.status_code == 200, saved.text
    assert saved.json()["data"]["composer"]["attachment_ids"] == [file_id]
    cleared = sandbox_client.put(f"{T}/draft", json={"body": "Kit attached", "attachment_ids": []}, headers=idem())
    assert cleared.json()["data"]["composer"]["attachment_ids"] == []


def test_a_send_without_the_list_delivers_the_drafts_files(sandbox_client: httpx.Client) -> None:
    file_id = upload(sandbox_client).json()["data"]["attachment_id"]
    sent = sandbox_client.post(f"{T}/send", json={"content": "Here it is", "sender_auth_id": "sa_maya"}, headers=idem())
    assert sent.status_code == 200, sent.text
    thread = sent.json()["data"]
    assert [a["attachment_id"] for a in thread["messages"][-1]["attachments"]] == [file_id]
    assert thread["composer"]["attachment_ids"] == []


def test_a_scheduled_reply_is_delivered_with_the_drafts_files(
    sandbox: SandboxServer, sandbox_client: httpx.Client
) -> None:
    file_id = upload(sandbox_client).json()["data"]["attachment_id"]
    body = {"content": "Later, with the kit", "sender_auth_id": "sa_maya", "plan_send_at": "2026-11-20T10:00:00Z"}
    scheduled = sandbox_client.post(f"{T}/schedule", json=body, headers=idem())
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["data"]["composer"]["scheduled"]["attachment_ids"] == [file_id]
    moved = httpx.post(f"{sandbox.root_url}/_sandbox/clock", headers=auth(), json={"advance_seconds": 2 * 3600})
    assert moved.status_code == 200
    last = sandbox_client.get(T).json()["data"]["messages"][-1]
    assert last["body_text"] == "Later, with the kit"
    assert [a["attachment_id"] for a in last["attachments"]] == [file_id]


def test_cancelling_a_schedule_puts_its_files_back_on_the_draft(sandbox_client: httpx.Client) -> None:
    file_id = upload(sandbox_client).json()["data"]["attachment_id"]
    body = {"content": "Later", "sender_auth_id": "sa_maya", "plan_send_at": "2026-11-21T10:00:00Z"}
    assert sandbox_client.post(f"{T}/schedule", json=body, headers=idem()).status_code == 200
    assert composer(sandbox_client)["attachment_ids"] == []
    assert sandbox_client.delete(f"{T}/schedule", headers=idem()).status_code == 200
    restored = composer(sandbox_client)
    assert (restored["draft_body"], restored["attachment_ids"]) == ("Later", [file_id])


@pytest.mark.parametrize(
    ("name", "size", "reason"),
    [("setup.exe", 10, "executables and scripts"), ("run.SH", 10, "executables and scripts")],
)
def test_an_executable_or_script_is_refused(sandbox_client: httpx.Client, name: str, size: int, reason: str) -> None:
    refused = upload(sandbox_client, name, b"x" * size)
    assert refused.status_code == 422, refused.text
    assert reason in refused.json()["data"]["fields"]["file"]
    assert composer(sandbox_client)["attachment_ids"] == []


def test_a_third_file_is_refused_and_a_sent_file_cannot_be_named_again(sandbox_client: httpx.Client) -> None:
    first = upload(sandbox_client, "a.pdf").json()["data"]["attachment_id"]
    upload(sandbox_client, "b.pdf")
    third = upload(sandbox_client, "c.pdf")
    assert third.status_code == 422 and "at most 2" in third.json()["data"]["fields"]["file"]
    send = {"content": "Both files", "sender_auth_id": "sa_maya"}
    assert sandbox_client.post(f"{T}/send", json=send, headers=idem()).status_code == 200
    again = sandbox_client.put(f"{T}/draft", json={"body": "x", "attachment_ids": [first]}, headers=idem())
    assert again.status_code == 422 and "attachment_ids" in again.json()["data"]["fields"]


def test_a_file_is_read_back_with_its_bytes_and_only_from_its_thread(sandbox_client: httpx.Client) -> None:
    import base64

    file_id = upload(sandbox_client, data=b"%PDF-1.4 exact bytes").json()["data"]["attachment_id"]
    got = sandbox_client.get(f"{T}/attachments/{file_id}")
    assert got.status_code == 200, got.text
    item = got.json()["data"]
    assert base64.b64decode(item["content_base64"]) == b"%PDF-1.4 exact bytes" and item["filename"] == "media kit.pdf"
    elsewhere = sandbox_client.get(f"/messages/threads/th_000005/attachments/{file_id}")
    assert elsewhere.status_code == 404
