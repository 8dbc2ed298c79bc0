"""The sandbox's contract rules, checked with raw httpx over loopback HTTP."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from noxtui.sandbox import SandboxServer
from tests.sandbox_support import (
    ESCAPE_THREAD_ID,
    SANDBOX_NOW,
    all_threads,
    auth,
    idem,
)

SQL_NASTY = "'; DROP TABLE threads; --"


# --- helpers -----------------------------------------------------------------------------------


def stats(sandbox: SandboxServer) -> dict[str, int]:
    response = httpx.get(f"{sandbox.root_url}/_sandbox/stats", headers=auth())
    response.raise_for_status()
    return response.json()["data"]


def set_faults(sandbox: SandboxServer, rules: list[dict[str, Any]]) -> None:
    response = httpx.post(f"{sandbox.root_url}/_sandbox/faults", headers=auth(), json=rules)
    assert response.status_code == 200, response.text


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error_code"] == code
    assert isinstance(body["summary"], str) and body["summary"] and "\n" not in body["summary"]
    return body


def needs_reply_thread(client: httpx.Client) -> dict[str, Any]:
    threads = all_threads(client, needs_reply="true", last_message_direction="inbound")
    return next(t for t in threads if t["thread_id"] != ESCAPE_THREAD_ID)


def send_body(content: str = "Thanks! $1,200 works for us.", sender: str = "sa_maya") -> dict[str, Any]:
    return {"content": content, "sender_auth_id": sender}


# --- auth, 404, envelopes ----------------------------------------------------------------------


def test_missing_or_wrong_token_is_401_everywhere(sandbox: SandboxServer) -> None:
    for url in (
        f"{sandbox.base_url}/messages/threads",
        f"{sandbox.base_url}/nope",
        f"{sandbox.root_url}/_sandbox/stats",
    ):
        assert_error(httpx.get(url), 401, "UNAUTHENTICATED")
        assert_error(httpx.get(url, headers=auth("wrong-token")), 401, "UNAUTHENTICATED")
    response = httpx.post(f"{sandbox.base_url}/messages/threads/th_000001/send", json=send_body(), headers=idem())
    assert_error(response, 401, "UNAUTHENTICATED")
    assert stats(sandbox)["sends"] == 0
    assert httpx.get(f"{sandbox.root_url}/healthz").json()["data"] == {"status": "ok"}


def test_success_envelope_shape(sandbox_client: httpx.Client) -> None:
    body = sandbox_client.get("/messages/threads", params={"page_size": 5}).json()
    assert body["success"] is True
    assert set(body["meta"]) == {"page", "page_size", "total", "request_id"}
    assert body["meta"]["page"] == 1 and body["meta"]["page_size"] == 5 and body["meta"]["total"] == 60
    assert body["meta"]["request_id"].startswith("req_")
    assert isinstance(body["summary"], str) and "\n" not in body["summary"]
    row = body["data"][0]
    datetime.fromisoformat(row["last_message_at"])
    assert datetime.fromisoformat(row["last_message_at"]).tzinfo is not None


def test_unknown_thread_is_404_envelope(sandbox_client: httpx.Client) -> None:
    for thread_id in ("th_999999", "th_1", "nope", "th_0000001"):
        assert_error(sandbox_client.get(f"/messages/threads/{thread_id}"), 404, "NOT_FOUND")
    assert_error(
        sandbox_client.post("/messages/threads/th_999999/send", json=send_body(), headers=idem()), 404, "NOT_FOUND"
    )
    assert_error(sandbox_client.get("/no/such/route"), 404, "NOT_FOUND")


def test_models_parse_the_answers(sandbox_client: httpx.Client) -> None:
    from noxtui.domain import models

    thread = models.Thread.model_validate(sandbox_client.get("/messages/threads/th_000001").json()["data"])
    assert thread.messages and thread.creator.creator_id.startswith("cr_")
    models.AuthStatus.model_validate(sandbox_client.get("/auth/status").json()["data"])
    for path, model in (
        ("/messages/labels", models.Label),
        ("/messages/coop-statuses", models.CoopStatus),
        ("/messages/templates", models.Template),
        ("/messages/senders", models.Sender),
        ("/messages/creator-filters", models.TeamMember),
        ("/messages/project-filters", models.ProjectOption),
        ("/messages/threads/th_000001/projects", models.Project),
    ):
        items = sandbox_client.get(path).json()["data"]
        assert items, path
        for item in items:
            model.model_validate(item)
    task_id = thread.business_id or "et_0001"
    models.EmailTask.model_validate(sandbox_client.get(f"/email/tasks/{task_id}").json()["data"])
    models.EmailReport.model_validate(sandbox_client.get(f"/email/tasks/{task_id}/report").json()["data"])
    models.CrmChannel.model_validate(sandbox_client.get("/crm/channels/cr_000001").json()["data"])


def test_crm_channel_missing_is_clear_404(sandbox_client: httpx.Client) -> None:
    body = assert_error(sandbox_client.get("/crm/channels/cr_000002"), 404, "NOT_FOUND")
    assert "no CRM channel" in body["summary"]
    assert_error(sandbox_client.get("/crm/channels/cr_999999"), 404, "NOT_FOUND")


# --- idempotency -------------------------------------------------------------------------------


def test_every_write_needs_an_idempotency_key(sandbox_client: httpx.Client) -> None:
    body = assert_error(
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body()), 422, "VALIDATION_ERROR"
    )
    assert "Idempotency-Key" in body["data"]["fields"]
    assert_error(
        sandbox_client.put("/messages/threads/th_000001/labels", json={"label_ids": []}), 422, "VALIDATION_ERROR"
    )


def test_replay_returns_first_result_and_writes_once(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    key = idem()
    first = sandbox_client.post("/messages/threads/th_000001/send", json=send_body(), headers=key)
    assert first.status_code == 200
    again = sandbox_client.post("/messages/threads/th_000001/send", json=send_body(), headers=key)
    assert again.status_code == 200
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert stats(sandbox)["sends"] == 1
    thread = sandbox_client.get("/messages/threads/th_000001").json()["data"]
    assert sum(m["body_text"] == send_body()["content"] for m in thread["messages"]) == 1


def test_key_reuse_with_another_body_is_409(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    key = idem()
    assert (
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body("one"), headers=key).status_code == 200
    )
    response = sandbox_client.post("/messages/threads/th_000001/send", json=send_body("two"), headers=key)
    assert_error(response, 409, "IDEMPOTENCY_KEY_REUSED")
    assert stats(sandbox)["sends"] == 1


def test_refused_write_is_not_remembered(sandbox_client: httpx.Client) -> None:
    key = idem()
    assert_error(
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body("   "), headers=key),
        422,
        "VALIDATION_ERROR",
    )
    # The corrected request may use the same key: nothing was written or stored the first time.
    assert (
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body("fixed"), headers=key).status_code == 200
    )


# --- send / draft / labels / coop --------------------------------------------------------------


def test_send_answers_the_thread(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    thread = needs_reply_thread(sandbox_client)
    response = sandbox_client.post(f"/messages/threads/{thread['thread_id']}/send", json=send_body(), headers=idem())
    assert response.status_code == 200, response.text
    after = response.json()["data"]
    assert after["needs_reply"] is False
    assert after["last_message_direction"] == "outbound"
    assert after["pending_reason"] is None
    assert after["has_draft"] is False and after["composer"]["draft_body"] == ""
    assert after["message_count"] == thread["message_count"] + 1
    last = after["messages"][-1]
    assert last["message_id"] == after["message_id"]
    assert last["direction"] == "outbound" and last["body_text"] == send_body()["content"]
    assert last["sender"] == {"name": "Maya Chen", "address": "maya@glowbrook.example"}
    assert after["snippet"].startswith("Thanks! $1,200")
    assert after["updated_at"] > thread["updated_at"]
    listed = all_threads(sandbox_client, needs_reply="true")
    assert thread["thread_id"] not in {t["thread_id"] for t in listed}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "", "sender_auth_id": "sa_maya"}, "content"),
        ({"content": " \n\t ", "sender_auth_id": "sa_maya"}, "content"),
        ({"sender_auth_id": "sa_maya"}, "content"),
        ({"content": "hi"}, "sender_auth_id"),
        ({"content": "hi", "sender_auth_id": "sa_nobody"}, "sender_auth_id"),
        ({"content": "hi", "sender_auth_id": "sa_maya", "reply_to_message_id": "msg_9999999"}, "reply_to_message_id"),
        ({"content": "hi", "sender_auth_id": "sa_maya", "attachment_ids": ["att_999999"]}, "attachment_ids"),
    ],
)
def test_send_refusals(sandbox: SandboxServer, sandbox_client: httpx.Client, body: dict[str, Any], field: str) -> None:
    response = sandbox_client.post("/messages/threads/th_000001/send", json=body, headers=idem())
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert field in error["data"]["fields"]
    assert stats(sandbox)["sends"] == 0


def test_draft_labels_coop(sandbox_client: httpx.Client) -> None:
    t = "/messages/threads/th_000002"
    draft = sandbox_client.put(
        f"{t}/draft", json={"body": "Working on it", "sender_auth_id": "sa_diego"}, headers=idem()
    )
    assert draft.status_code == 200
    composer = draft.json()["data"]["composer"]
    assert composer["draft_body"] == "Working on it" and composer["sender_auth_id"] == "sa_diego"
    assert_error(
        sandbox_client.put(f"{t}/draft", json={"body": "x", "sender_auth_id": "sa_x"}, headers=idem()),
        422,
        "VALIDATION_ERROR",
    )

    labels = sandbox_client.put(f"{t}/labels", json={"label_ids": ["lb_vip", "lb_hot_lead"]}, headers=idem())
    assert [label["label_id"] for label in labels.json()["data"]["labels"]] == ["lb_vip", "lb_hot_lead"]
    bad = sandbox_client.put(f"{t}/labels", json={"label_ids": ["lb_vip", "lb_nope"]}, headers=idem())
    assert "lb_nope" in assert_error(bad, 422, "VALIDATION_ERROR")["data"]["fields"]["label_ids"]
    assert [label["label_id"] for label in sandbox_client.get(t).json()["data"]["labels"]] == ["lb_vip", "lb_hot_lead"]
    cleared = sandbox_client.put(f"{t}/labels", json={"label_ids": []}, headers=idem())
    assert cleared.json()["data"]["labels"] == []

    coop = sandbox_client.put(f"{t}/coop-status", json={"coop_status": "deal"}, headers=idem())
    assert coop.json()["data"]["coop_status"] == {"code": "deal", "name": "Deal"}
    assert_error(
        sandbox_client.put(f"{t}/coop-status", json={"coop_status": "Deal"}, headers=idem()), 422, "VALIDATION_ERROR"
    )


def test_templates_use_renders_into_the_draft(sandbox_client: httpx.Client) -> None:
    templates = sandbox_client.get("/messages/templates", params={"language": "en"}).json()["data"]
    assert templates and all(t["language"] == "en" for t in templates)
    first = next(t for t in templates if "{{creator_first_name}}" in t["body"] and "{{fee}}" in t["body"])
    thread = sandbox_client.get("/messages/threads/th_000003").json()["data"]
    response = sandbox_client.post(
        f"/messages/templates/{first['template_id']}/use",
        json={"thread_id": "th_000003", "variables": {"fee": "$900"}},
        headers=idem(),
    )
    assert response.status_code == 200, response.text
    rendered = response.json()["data"]
    assert thread["creator"]["name"].split()[0] in rendered["body"] and "$900" in rendered["body"]
    assert "{{" in rendered["body"] or rendered["missing_variables"] == []
    assert "deliverable" in rendered["missing_variables"]
    assert (
        sandbox_client.get("/messages/threads/th_000003").json()["data"]["composer"]["draft_body"] == rendered["body"]
    )

    saved = sandbox_client.post(
        "/messages/templates",
        json={"name": "Oi curto", "language": "pt", "body": "Oi {{creator_name}}!"},
        headers=idem(),
    )
    assert saved.status_code == 201 and saved.json()["data"]["template_id"].startswith("tp_")
    assert_error(
        sandbox_client.post(
            "/messages/templates", json={"name": "x", "language": "english!", "body": "b"}, headers=idem()
        ),
        422,
        "VALIDATION_ERROR",
    )


# --- schedule / cancel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_send_at", "hint"),
    [
        ("2026-11-21T09:00:00+05:30", "whole hour"),
        ("2026-11-21T09:00:00", "offset"),
        ("2026-11-19T09:00:00Z", "future"),
        ("next tuesday", "ISO 8601"),
        ("2026-13-45T09:00:00Z", "calendar"),
        ("", "required"),
    ],
)
def test_schedule_time_must_be_whole_hour_offset_and_future(
    sandbox_client: httpx.Client, plan_send_at: str, hint: str
) -> None:
    body = {"content": "Following up!", "sender_auth_id": "sa_maya", "plan_send_at": plan_send_at}
    error = assert_error(
        sandbox_client.post("/messages/threads/th_000004/schedule", json=body, headers=idem()), 422, "VALIDATION_ERROR"
    )
    assert hint in error["data"]["fields"]["plan_send_at"]


def test_schedule_cancel_and_delivery(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    t = "/messages/threads/th_000004"
    assert_error(sandbox_client.delete(f"{t}/schedule", headers=idem()), 409, "NOTHING_SCHEDULED")
    for when in ("2026-11-20T12:00:00Z", "2026-11-20T20:00:00+08:00", "2026-11-20T06:00:00-05:00"):
        body = {"content": "Following up!", "sender_auth_id": "sa_maya", "plan_send_at": when}
        response = sandbox_client.post(f"{t}/schedule", json=body, headers=idem())
        assert response.status_code == 200, response.text
        thread = response.json()["data"]
        assert datetime.fromisoformat(thread["scheduled_at"]) == datetime.fromisoformat(when.replace("Z", "+00:00"))
        assert thread["composer"]["scheduled"]["content"] == "Following up!"
    cancelled = sandbox_client.delete(f"{t}/schedule", headers=idem())
    assert cancelled.status_code == 200 and cancelled.json()["data"]["scheduled_at"] is None
    assert_error(sandbox_client.delete(f"{t}/schedule", headers=idem()), 409, "NOTHING_SCHEDULED")

    body = {"content": "Scheduled hello", "sender_auth_id": "sa_diego", "plan_send_at": "2026-11-20T10:00:00Z"}
    assert sandbox_client.post(f"{t}/schedule", json=body, headers=idem()).status_code == 200
    before = sandbox_client.get(t).json()["data"]["message_count"]
    moved = httpx.post(f"{sandbox.root_url}/_sandbox/clock", headers=auth(), json={"advance_seconds": 2 * 3600})
    assert moved.status_code == 200
    after = sandbox_client.get(t).json()["data"]
    assert after["message_count"] == before + 1
    assert after["scheduled_at"] is None
    last = after["messages"][-1]
    assert last["direction"] == "outbound" and last["body_text"] == "Scheduled hello"
    assert datetime.fromisoformat(last["sent_at"]) == datetime.fromisoformat("2026-11-20T10:00:00+00:00")
    assert after["needs_reply"] is False
    assert stats(sandbox)["scheduled_deliveries"] == 1


# --- list filters and pagination ---------------------------------------------------------------


def test_list_is_sorted_newest_first(sandbox_client: httpx.Client) -> None:
    threads = all_threads(sandbox_client)
    assert len(threads) == 60
    stamps = [datetime.fromisoformat(t["last_message_at"]) for t in threads]
    assert stamps == sorted(stamps, reverse=True)


def test_each_filter_returns_exactly_the_matching_threads(sandbox_client: httpx.Client) -> None:
    everything = all_threads(sandbox_client)
    ids = lambda rows: {t["thread_id"] for t in rows}  # noqa: E731
    task = next(t["business_id"] for t in everything if t["business_kind"] == "email_task")
    two_projects = sorted({p for t in everything for p in t["project_ids"]})[:2]
    label = next(label["label_id"] for t in everything for label in t["labels"])
    cases: list[tuple[dict[str, str], Any]] = [
        ({"needs_reply": "true"}, lambda t: t["needs_reply"]),
        ({"needs_reply": "false"}, lambda t: not t["needs_reply"]),
        ({"last_message_direction": "inbound"}, lambda t: t["last_message_direction"] == "inbound"),
        ({"last_message_direction": "outbound"}, lambda t: t["last_message_direction"] == "outbound"),
        ({"status": "deal"}, lambda t: t["coop_status"]["code"] == "deal"),
        ({"business_kind": "email_task"}, lambda t: t["business_kind"] == "email_task"),
        ({"business_kind": "direct"}, lambda t: t["business_kind"] == "direct"),
        ({"business_kind": "email_task", "business_id": task}, lambda t: t["business_id"] == task),
        ({"project_ids": two_projects[0]}, lambda t: two_projects[0] in t["project_ids"]),
        ({"project_ids": ",".join(two_projects)}, lambda t: bool(set(two_projects) & set(t["project_ids"]))),
        ({"creator_uids": "u_tom"}, lambda t: t["owner_uid"] == "u_tom"),
        ({"creator_uids": "u_maya,u_diego"}, lambda t: t["owner_uid"] in ("u_maya", "u_diego")),
        ({"label_id": label}, lambda t: label in [x["label_id"] for x in t["labels"]]),
        ({"keyword": "MAYA"}, lambda t: _text_has(t, "maya")),
        (
            {"needs_reply": "true", "status": "interested"},
            lambda t: t["needs_reply"] and t["coop_status"]["code"] == "interested",
        ),
    ]
    for params, predicate in cases:
        expected = {t["thread_id"] for t in everything if predicate(t)}
        got = all_threads(sandbox_client, **params)
        assert ids(got) == expected, params
        assert expected or params.get("keyword"), f"filter {params} matches nothing in the seed"


def _text_has(thread: dict[str, Any], needle: str) -> bool:
    creator = thread["creator"]
    fields = (creator["name"], creator.get("handle") or "", thread["subject"], thread["snippet"])
    return any(needle.lower() in field.lower() for field in fields)


def test_updated_since(sandbox_client: httpx.Client) -> None:
    everything = all_threads(sandbox_client)
    newest = max(datetime.fromisoformat(t["updated_at"]) for t in everything)
    assert all_threads(sandbox_client, updated_since=newest.isoformat()) == []
    sandbox_client.put("/messages/threads/th_000007/labels", json={"label_ids": ["lb_vip"]}, headers=idem())
    changed = all_threads(sandbox_client, updated_since=newest.isoformat())
    assert [t["thread_id"] for t in changed] == ["th_000007"]
    assert_error(
        sandbox_client.get("/messages/threads", params={"updated_since": "yesterday"}), 422, "VALIDATION_ERROR"
    )


def test_pagination(sandbox_client: httpx.Client) -> None:
    seen: list[str] = []
    page = 1
    while True:
        body = sandbox_client.get("/messages/threads", params={"page": page, "page_size": 7}).json()
        assert body["meta"]["total"] == 60
        seen += [t["thread_id"] for t in body["data"]]
        if not body["data"]:
            break
        page += 1
    assert page == 10 and len(seen) == 60 == len(set(seen))
    assert seen == [t["thread_id"] for t in all_threads(sandbox_client)]
    for params in (
        {"page_size": 101},
        {"page_size": 0},
        {"page": 0},
        {"page": "x"},
        {"needs_reply": "maybe"},
        {"last_message_direction": "sideways"},
        {"status": "nope"},
        {"label_id": "lb_nope"},
    ):
        assert_error(sandbox_client.get("/messages/threads", params=params), 422, "VALIDATION_ERROR")
    assert sandbox_client.get("/messages/threads", params={"page_size": 100}).status_code == 200
    labels = sandbox_client.get("/messages/labels", params={"page": 2, "page_size": 3}).json()
    assert len(labels["data"]) == 3 and labels["meta"]["total"] == 8
    assert [x["name"] for x in sandbox_client.get("/messages/labels", params={"keyword": "lead"}).json()["data"]] == [
        "Hot lead"
    ]


def test_archive_takes_sibling_threads_out_of_the_list(sandbox_client: httpx.Client) -> None:
    everything = all_threads(sandbox_client)
    by_creator: dict[str, list[str]] = {}
    for t in everything:
        by_creator.setdefault(t["creator"]["creator_id"], []).append(t["thread_id"])
    siblings = next(sorted(v) for v in by_creator.values() if len(v) >= 2)
    projects = sandbox_client.get(f"/messages/threads/{siblings[0]}/projects").json()["data"]
    assert {p["thread_id"] for p in projects} >= set(siblings) - {s for s in siblings if not s}
    response = sandbox_client.post(f"/messages/threads/{siblings[0]}/archive", headers=idem())
    assert response.status_code == 200, response.text
    assert sorted(response.json()["data"]["archived_thread_ids"]) == siblings
    remaining = {t["thread_id"] for t in all_threads(sandbox_client)}
    assert not remaining & set(siblings) and len(remaining) == 60 - len(siblings)
    archived = sandbox_client.get(f"/messages/threads/{siblings[-1]}").json()["data"]
    assert archived["archived"] is True
    assert_error(
        sandbox_client.post(f"/messages/threads/{siblings[-1]}/send", json=send_body(), headers=idem()), 409, "CONFLICT"
    )


def test_simulated_inbound_reopens_the_thread(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    thread = next(t for t in all_threads(sandbox_client, needs_reply="false", last_message_direction="outbound"))
    response = httpx.post(
        f"{sandbox.root_url}/_sandbox/threads/{thread['thread_id']}/inbound",
        headers=auth(),
        json={"body_text": "Any update on the contract?"},
    )
    assert response.status_code == 201, response.text
    after = sandbox_client.get(f"/messages/threads/{thread['thread_id']}").json()["data"]
    assert after["needs_reply"] is True and after["last_message_direction"] == "inbound"
    assert after["messages"][-1]["body_text"] == "Any update on the contract?"
    assert after["updated_at"] > thread["updated_at"]
    assert stats(sandbox)["simulated_inbound"] == 1


# --- attachments, CRM, body cap ----------------------------------------------------------------


def test_attachments_upload_list_and_cap(sandbox_client: httpx.Client) -> None:
    t = "/messages/threads/th_000008/attachments"
    files = {"file": ("media kit.pdf", b"%PDF-1.4 demo", "application/pdf")}
    uploaded = sandbox_client.post(t, files=files, headers=idem())
    assert uploaded.status_code == 201, uploaded.text
    item = uploaded.json()["data"]
    assert item["filename"] == "media kit.pdf" and item["size"] == 13 and item["content_type"] == "application/pdf"
    assert item["attachment_id"] in {a["attachment_id"] for a in sandbox_client.get(t).json()["data"]}
    big = {"file": ("big.bin", b"\0" * (10 * 1024 * 1024 + 1), "application/octet-stream")}
    error = assert_error(sandbox_client.post(t, files=big, headers=idem()), 422, "VALIDATION_ERROR")
    assert "file" in error["data"]["fields"]
    sent = sandbox_client.post(
        "/messages/threads/th_000008/send",
        json={**send_body("Media kit attached"), "attachment_ids": [item["attachment_id"]]},
        headers=idem(),
    )
    assert sent.status_code == 200, sent.text
    assert sent.json()["data"]["messages"][-1]["attachments"][0]["attachment_id"] == item["attachment_id"]


def test_crm_patch(sandbox_client: httpx.Client) -> None:
    response = sandbox_client.patch(
        "/crm/channels/cr_000001", json={"notes": "Prefers DMs", "owner_uid": "u_tom"}, headers=idem()
    )
    assert response.status_code == 200, response.text
    channel = sandbox_client.get("/crm/channels/cr_000001").json()["data"]
    assert channel["notes"] == "Prefers DMs" and channel["owner_uid"] == "u_tom"
    assert_error(
        sandbox_client.patch("/crm/channels/cr_000001", json={"owner_uid": "u_nobody"}, headers=idem()),
        422,
        "VALIDATION_ERROR",
    )
    assert_error(sandbox_client.patch("/crm/channels/cr_000001", json={}, headers=idem()), 422, "VALIDATION_ERROR")
    assert_error(sandbox_client.patch("/crm/channels/cr_000002", json={"notes": "x"}, headers=idem()), 404, "NOT_FOUND")


def test_body_size_cap(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    huge = {"body": "x" * 2_100_000}
    response = sandbox_client.put("/messages/threads/th_000001/draft", json=huge, headers=idem())
    body = assert_error(response, 413, "VALIDATION_ERROR")
    assert "body" in body["data"]["fields"]
    assert sandbox_client.get("/messages/threads/th_000001").json()["data"]["composer"]["draft_body"] != huge["body"]
    bad_json = sandbox_client.put(
        "/messages/threads/th_000001/draft",
        content=b"{not json",
        headers={**idem(), "Content-Type": "application/json"},
    )
    assert_error(bad_json, 422, "VALIDATION_ERROR")


# --- SQL metacharacters ------------------------------------------------------------------------


@pytest.mark.parametrize("keyword", [SQL_NASTY, "%", "_", '"', "' OR 1=1 --", "%_%", "a", "re"])
def test_keywords_are_literal(sandbox_client: httpx.Client, keyword: str) -> None:
    everything = all_threads(sandbox_client)
    expected = {t["thread_id"] for t in everything if _text_has(t, keyword)}
    got = {t["thread_id"] for t in all_threads(sandbox_client, keyword=keyword)}
    assert got == expected
    assert len(all_threads(sandbox_client)) == 60  # the table is still there


def test_metacharacters_are_stored_and_matched_literally(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    text = f'{SQL_NASTY} 100% _off_ "deal" \\ ;'
    t = "/messages/threads/th_000009"
    assert sandbox_client.put(f"{t}/draft", json={"body": text}, headers=idem()).status_code == 200
    assert sandbox_client.get(t).json()["data"]["composer"]["draft_body"] == text
    assert sandbox_client.post(f"{t}/send", json=send_body(text), headers=idem()).status_code == 200
    found = all_threads(sandbox_client, keyword='100% _off_ "deal"')
    assert [x["thread_id"] for x in found] == ["th_000009"]
    assert all_threads(sandbox_client, keyword="100x _off_") == []
    assert sandbox_client.patch("/crm/channels/cr_000001", json={"notes": text}, headers=idem()).status_code == 200
    assert sandbox_client.get("/crm/channels/cr_000001").json()["data"]["notes"] == text
    saved = sandbox_client.post(
        "/messages/templates", json={"name": SQL_NASTY, "language": "en", "body": text}, headers=idem()
    )
    assert saved.json()["data"]["name"] == SQL_NASTY
    assert stats(sandbox)["threads"] == 60


# --- faults ------------------------------------------------------------------------------------


def test_fault_status_with_retry_after(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    set_faults(
        sandbox, [{"method": "GET", "path": r"^/v1/messages/threads$", "status": 429, "retry_after": 3, "times": 1}]
    )
    limited = sandbox_client.get("/messages/threads")
    assert_error(limited, 429, "RATE_LIMITED")
    assert limited.headers["Retry-After"] == "3"
    assert sandbox_client.get("/messages/threads").status_code == 200  # expired after one hit
    set_faults(sandbox, [{"path": "/send$", "status": 503}])
    assert_error(
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body(), headers=idem()), 503, "UPSTREAM_ERROR"
    )
    assert stats(sandbox)["sends"] == 0  # the handler never ran
    faults = httpx.get(f"{sandbox.root_url}/_sandbox/faults", headers=auth()).json()["data"]
    assert faults[0]["hits"] == 1


def test_fault_drop_before_is_a_transport_error_without_a_write(
    sandbox: SandboxServer, sandbox_client: httpx.Client
) -> None:
    set_faults(sandbox, [{"path": "/send$", "mode": "drop_before", "times": 1}])
    with pytest.raises(httpx.TransportError):
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body(), headers=idem())
    assert stats(sandbox)["sends"] == 0


def test_fault_drop_after_commits_then_replay_writes_nothing(
    sandbox: SandboxServer, sandbox_client: httpx.Client
) -> None:
    set_faults(sandbox, [{"path": "/send$", "mode": "drop_after", "times": 1}])
    key = idem()
    with pytest.raises(httpx.RemoteProtocolError):
        sandbox_client.post("/messages/threads/th_000001/send", json=send_body(), headers=key)
    assert stats(sandbox)["sends"] == 1  # the write happened
    retry = sandbox_client.post("/messages/threads/th_000001/send", json=send_body(), headers=key)
    assert retry.status_code == 200 and retry.headers["Idempotent-Replayed"] == "true"
    assert stats(sandbox)["sends"] == 1  # exactly once


def test_fault_invalid_and_truncated_json(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    set_faults(sandbox, [{"method": "GET", "path": "/messages/threads$", "mode": "invalid_json", "times": 1}])
    response = sandbox_client.get("/messages/threads")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    set_faults(
        sandbox, [{"method": "GET", "path": "/messages/threads/th_000001$", "mode": "truncated_json", "times": 1}]
    )
    cut = sandbox_client.get("/messages/threads/th_000001")
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    whole = sandbox_client.get("/messages/threads/th_000001")
    assert whole.content.startswith(cut.content) and len(cut.content) < len(whole.content)


def test_fault_html_page(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    set_faults(sandbox, [{"mode": "html"}])
    response = sandbox_client.get("/messages/threads")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert b"<html>" in response.content
    assert httpx.get(f"{sandbox.root_url}/_sandbox/stats", headers=auth()).status_code == 200  # admin is never faulted


def test_fault_hang_and_latency(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    set_faults(sandbox, [{"path": "/coop-statuses$", "mode": "hang", "hang_seconds": 5, "times": 1}])
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        sandbox_client.get("/messages/coop-statuses", timeout=0.3)
    assert time.monotonic() - started < 2
    set_faults(sandbox, [{"path": "/senders$", "latency_ms": 300}])
    started = time.monotonic()
    assert sandbox_client.get("/messages/senders").status_code == 200
    assert time.monotonic() - started >= 0.3
    httpx.delete(f"{sandbox.root_url}/_sandbox/faults", headers=auth()).raise_for_status()
    assert sandbox_client.get("/messages/coop-statuses").status_code == 200


def test_fault_rate_is_deterministic(sandbox: SandboxServer, sandbox_client: httpx.Client) -> None:
    def pattern() -> list[int]:
        set_faults(sandbox, [{"path": "/senders$", "status": 503, "rate": 0.5}])
        return [sandbox_client.get("/messages/senders").status_code for _ in range(12)]

    first = pattern()
    assert first == pattern()
    assert set(first) == {200, 503}


def test_bad_fault_rules_are_refused(sandbox: SandboxServer) -> None:
    response = httpx.post(f"{sandbox.root_url}/_sandbox/faults", headers=auth(), json=[{"mode": "explode"}])
    assert_error(response, 422, "VALIDATION_ERROR")
    response = httpx.post(f"{sandbox.root_url}/_sandbox/faults", headers=auth(), json=[{"path": "(unclosed"}])
    assert_error(response, 422, "VALIDATION_ERROR")


def test_sandbox_now_is_the_seed_clock(sandbox: SandboxServer) -> None:
    now = datetime.fromisoformat(httpx.get(f"{sandbox.root_url}/_sandbox/clock", headers=auth()).json()["data"]["now"])
    assert SANDBOX_NOW <= now < SANDBOX_NOW + timedelta(minutes=5)


def test_concurrent_replays_of_one_key_write_once(sandbox: SandboxServer) -> None:
    """Twelve simultaneous copies of one planned send (same key): one write, one answer, twelve times."""
    from concurrent.futures import ThreadPoolExecutor

    key = idem()

    def post(_: int) -> httpx.Response:
        with httpx.Client(base_url=sandbox.base_url, headers=auth(), timeout=10) as client:
            return client.post("/messages/threads/th_000010/send", json=send_body(), headers=key)

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(post, range(12)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1
    assert stats(sandbox)["sends"] == 1


def test_serve_forever_refuses_non_loopback_hosts(tmp_path: Any) -> None:
    from noxtui.sandbox import serve_forever

    for host in ("0.0.0.0", "192.168.1.20", "::"):
        with pytest.raises(ValueError, match="loopback"):
            serve_forever(tmp_path / "x.sqlite3", host=host)
    assert not (tmp_path / "x.sqlite3").exists()
