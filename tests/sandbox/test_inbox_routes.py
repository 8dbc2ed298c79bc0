"""The sandbox's Inbox routes (``/inbox/api/v1``): ids, auth, raw JSON, cursors, writes and replay.

Plain HTTP against a running sandbox, so these pin the *server's* rules; the provider's behaviour
on top of them is in ``tests/contract/test_inbox_provider.py``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from noxtui.sandbox import SandboxServer, Store
from noxtui.sandbox.inbox.seed import seed_inbox
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_TOKEN, auth, idem

ID_RE = re.compile(r"^[0-9a-z]+$")
BAD_IDS = ("XT000001", "xt_000001", "xt-1", "xt 1", "x" * 129, "%2E%2E")


@pytest.fixture
def inbox(sandbox: SandboxServer, sandbox_token: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.root_url}/inbox/api/v1", headers=auth(sandbox_token), timeout=10.0) as client:
        yield client


@pytest.fixture(scope="module")
def reader(sandbox_template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One sandbox shared by the tests that write nothing and set no faults (faster than one each)."""
    db_file = tmp_path_factory.mktemp("inbox-routes") / "sandbox.sqlite3"
    shutil.copyfile(sandbox_template_db, db_file)
    with SandboxServer(db_file, token=SANDBOX_TOKEN) as server:
        yield server


@pytest.fixture
def reading(reader: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{reader.root_url}/inbox/api/v1", headers=auth(), timeout=10.0) as client:
        yield client


def rows(sandbox: SandboxServer, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sandbox.store.read() as conn:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def first(sandbox: SandboxServer, sql: str) -> str:
    """The id of the first thread row matching ``sql`` (a ``SELECT seq FROM inbox_threads …``)."""
    found = rows(sandbox, sql)
    assert found, sql
    return f"xt{found[0][0]:06d}"


def walk(client: httpx.Client, view: str, limit: int = 7, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor: dict[str, Any] | None = None
    while True:
        query: dict[str, Any] = {"inbox": view, "limit": limit, **params}
        if cursor:
            query |= {"cursorId": cursor["id"], "cursorTimestamp": cursor["timestamp"]}
        response = client.get("/threads", params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        out.extend(body["threads"])
        cursor = body["nextCursor"]
        if cursor is None:
            return out


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error_code"] == code and body["summary"]
    return body


# --- auth, ids, shapes ---------------------------------------------------------------------------


def test_every_route_needs_the_bearer_token(reader: SandboxServer) -> None:
    sandbox = reader
    base = f"{sandbox.root_url}/inbox/api/v1"
    for headers in ({}, auth("wrong-token")):
        for method, path in (("GET", "/threads"), ("GET", "/team"), ("POST", "/threads/xt000001/messages")):
            response = httpx.request(method, base + path, headers={**headers, **idem()}, json={"content": "hi"})
            assert_envelope(response, 401, "UNAUTHENTICATED")


def test_malformed_ids_are_422_envelopes(reading: httpx.Client) -> None:
    inbox = reading
    for bad in BAD_IDS:
        for method, path, body in (
            ("GET", f"/threads/{bad}", None),
            ("GET", f"/threads/{bad}/messages", None),
            ("POST", f"/threads/{bad}/messages", {"content": "hi"}),
            ("PATCH", f"/threads/{bad}", {"done": True}),
            ("PATCH", f"/prospects/{bad}/context", {"notes": "x"}),
        ):
            response = inbox.request(method, path, json=body, headers=idem() if body else None)
            envelope = assert_envelope(response, 422, "VALIDATION_ERROR")
            assert envelope["data"]["fields"], (bad, method, path, envelope)


def test_well_formed_unknown_ids_are_404(reading: httpx.Client) -> None:
    inbox = reading
    for path in ("/threads/xt999999", "/threads/abc", "/threads/xm0000001", "/threads/xt999999/messages"):
        assert_envelope(inbox.get(path), 404, "NOT_FOUND")
    assert_envelope(inbox.patch("/prospects/xp999999/context", json={"notes": "x"}, headers=idem()), 404, "NOT_FOUND")
    assert_envelope(inbox.post("/threads/xt999999/messages", json={"content": "x"}, headers=idem()), 404, "NOT_FOUND")


def test_success_bodies_are_raw_inbox_json_with_contract_ids(reading: httpx.Client) -> None:
    inbox = reading
    body = inbox.get("/threads", params={"limit": 3}).json()
    assert set(body) == {"threads", "nextCursor"}
    assert set(body["nextCursor"]) == {"id", "timestamp"}
    thread = body["threads"][0]
    thread_keys = (
        "id",
        "teamId",
        "externalId",
        "accountLinkId",
        "done",
        "assigneeId",
        "status",
        "isRequest",
        "prospect",
    )
    assert set(thread_keys) | {"lastMessage"} <= set(thread)
    assert thread["prospect"]["username"] and isinstance(thread["prospect"]["tags"], list)
    messages = inbox.get(f"/threads/{thread['id']}/messages").json()
    assert set(messages) == {"messages", "nextCursor", "isSyncing"}
    message = messages["messages"][0]
    message_keys = ("platform", "teamId", "threadId", "id", "userId", "createdAt", "content", "authorId", "origin")
    assert set(message_keys) | {"reactions", "isEdited", "deletedAt", "platformDeletedAt"} <= set(message)
    for value in (thread["id"], thread["teamId"], thread["accountLinkId"], thread["prospect"]["id"], message["id"]):
        assert ID_RE.fullmatch(value)
    team = inbox.get("/team").json()
    assert team["members"] and team["accountLinks"]
    assert [tag["name"] for tag in inbox.get("/tags").json()["tags"]][:2] == ["VIP", "Hot lead"]


# --- listing -------------------------------------------------------------------------------------


def test_views_partition_every_thread_and_cursors_neither_skip_nor_repeat(
    reader: SandboxServer, reading: httpx.Client
) -> None:
    sandbox, inbox = reader, reading
    seen: list[str] = []
    for view in ("default", "requests", "archived"):
        threads = walk(inbox, view)
        stamps = [(t["lastMessageAt"] or t["createdAt"], t["id"]) for t in threads]
        assert stamps == sorted(stamps, reverse=True)  # newest first
        seen += [t["id"] for t in threads]
    assert len(seen) == len(set(seen)) == rows(sandbox, "SELECT COUNT(*) FROM inbox_threads")[0][0] == 60
    done = {t["id"] for t in walk(inbox, "archived")}
    assert done == {f"xt{r[0]:06d}" for r in rows(sandbox, "SELECT seq FROM inbox_threads WHERE done = 1")}
    no_reply = walk(inbox, "no-reply")
    assert no_reply and all(t["lastMessage"]["authorId"] == t["accountLinkId"] for t in no_reply)


def test_filters_by_tag_and_assignee(reading: httpx.Client) -> None:
    inbox = reading
    tagged = walk(inbox, "default", **{"filters[tags][]": "xg0001"})
    assert tagged and all("xg0001" in {g["id"] for g in t["prospect"]["tags"]} for t in tagged)
    mine = walk(inbox, "default", **{"filters[assignees][]": ["xu001", "xu002"]})
    assert mine and {t["assigneeId"] for t in mine} <= {"xu001", "xu002"}
    assert walk(inbox, "default", **{"filters[tags][]": "xg9999"}) == []


def test_bad_list_parameters_are_422(reading: httpx.Client) -> None:
    inbox = reading
    for params in (
        {"limit": 101},
        {"limit": 0},
        {"inbox": "everything"},
        {"sort": "sideways"},
        {"cursorId": "xt000001"},
        {"cursorId": "xt000001", "cursorTimestamp": "yesterday"},
        {"cursorId": "xm0000001", "cursorTimestamp": "2026-11-01T00:00:00Z"},
        {"filters[tags][]": "BAD_ID"},
    ):
        assert_envelope(inbox.get("/threads", params=params), 422, "VALIDATION_ERROR")


def test_long_conversations_page_oldest_first(reader: SandboxServer, reading: httpx.Client) -> None:
    sandbox, inbox = reader, reading
    thread_id = first(sandbox, "SELECT thread_seq FROM inbox_messages GROUP BY thread_seq HAVING COUNT(*) > 100")
    expected = rows(sandbox, "SELECT COUNT(*) FROM inbox_messages WHERE thread_seq = ?", (int(thread_id[2:]),))[0][0]
    page = inbox.get(f"/threads/{thread_id}/messages").json()
    assert len(page["messages"]) == 50 and page["nextCursor"]  # default page size
    collected: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params |= {"cursorId": cursor["id"], "cursorTimestamp": cursor["timestamp"]}
        body = inbox.get(f"/threads/{thread_id}/messages", params=params).json()
        collected += body["messages"]
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert len(collected) == expected == len({m["id"] for m in collected})
    assert [m["createdAt"] for m in collected] == sorted(m["createdAt"] for m in collected)


# --- writes --------------------------------------------------------------------------------------


def test_writes_need_an_idempotency_key_and_replay_once(sandbox: SandboxServer, inbox: httpx.Client) -> None:
    thread_id = first(sandbox, "SELECT seq FROM inbox_threads WHERE last_message_seq IS NOT NULL AND done = 0")
    assert_envelope(inbox.post(f"/threads/{thread_id}/messages", json={"content": "hi"}), 422, "VALIDATION_ERROR")
    before = rows(sandbox, "SELECT COUNT(*) FROM inbox_messages")[0][0]
    key = idem()
    a = inbox.post(f"/threads/{thread_id}/messages", json={"content": "Thanks!"}, headers=key)
    b = inbox.post(f"/threads/{thread_id}/messages", json={"content": "Thanks!"}, headers=key)
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json() and b.headers["Idempotent-Replayed"] == "true"
    assert (
        a.json()["content"] == "Thanks!"
        and a.json()["origin"] == "api"
        and a.json()["authorId"] == a.json()["authorId"]
    )
    assert rows(sandbox, "SELECT COUNT(*) FROM inbox_messages")[0][0] == before + 1
    other = inbox.post(f"/threads/{thread_id}/messages", json={"content": "Different"}, headers=key)
    assert_envelope(other, 409, "IDEMPOTENCY_KEY_REUSED")


def test_send_validation_and_the_outbound_first_refusal(reader: SandboxServer, reading: httpx.Client) -> None:
    sandbox, inbox = reader, reading
    talking = first(sandbox, "SELECT seq FROM inbox_threads WHERE last_message_seq IS NOT NULL")
    empty = first(sandbox, "SELECT seq FROM inbox_threads WHERE last_message_seq IS NULL")
    foreign = rows(sandbox, "SELECT seq FROM inbox_messages WHERE thread_seq != ? LIMIT 1", (int(talking[2:]),))[0][0]
    for body in (
        {"content": "   "},
        {},
        {"content": 5},
        {"content": "x" * 10_001},
        {"content": "hi", "extra": 1},
        {"content": "hi", "replyToMessageId": f"xm{foreign:07d}"},
        {"content": "hi", "replyToMessageId": "BAD"},
    ):
        assert_envelope(inbox.post(f"/threads/{talking}/messages", json=body, headers=idem()), 422, "VALIDATION_ERROR")
    answer = inbox.post(f"/threads/{empty}/messages", json={"content": "Hi!"}, headers=idem())
    refused = assert_envelope(answer, 402, "OUTBOUND_ADDON_REQUIRED")
    assert "first outbound message" in refused["summary"] and "Outbound Messages add-on" in refused["summary"]
    assert rows(sandbox, "SELECT COUNT(*) FROM inbox_messages WHERE thread_seq = ?", (int(empty[2:]),))[0][0] == 0


def test_done_and_tags_are_written_and_read_back(sandbox: SandboxServer, inbox: httpx.Client) -> None:
    thread_id = first(sandbox, "SELECT seq FROM inbox_threads WHERE done = 0 AND is_request = 0")
    updated = inbox.patch(f"/threads/{thread_id}", json={"done": True}, headers=idem()).json()
    assert updated["done"] is True and thread_id in {t["id"] for t in walk(inbox, "archived")}
    assert_envelope(inbox.patch(f"/threads/{thread_id}", json={"done": "yes"}, headers=idem()), 422, "VALIDATION_ERROR")
    assert_envelope(
        inbox.patch(f"/threads/{thread_id}", json={"assigneeId": "xu999"}, headers=idem()), 422, "VALIDATION_ERROR"
    )
    prospect = updated["prospect"]["id"]
    context = f"/prospects/{prospect}/context"
    after = inbox.patch(context, json={"addTags": ["xg0003", "xg0004"], "removeTags": []}, headers=idem()).json()
    assert {"xg0003", "xg0004"} <= {t["id"] for t in after["tags"]}
    after = inbox.patch(
        context, json={"removeTags": ["xg0003"], "statusId": "xs002", "notes": "call Tue"}, headers=idem()
    ).json()
    assert (
        "xg0003" not in {t["id"] for t in after["tags"]}
        and after["statusId"] == "xs002"
        and after["notes"] == "call Tue"
    )
    assert {t["id"] for t in inbox.get(f"/threads/{thread_id}").json()["prospect"]["tags"]} == {
        t["id"] for t in after["tags"]
    }
    for body in ({"addTags": ["xg0001"], "removeTags": ["xg0001"]}, {"addTags": ["xg9999"]}, {"addTags": "xg0001"}, {}):
        assert_envelope(inbox.patch(context, json=body, headers=idem()), 422, "VALIDATION_ERROR")


def test_fault_injection_covers_the_inbox_routes(sandbox: SandboxServer, inbox: httpx.Client) -> None:
    sandbox.faults.set_rules([{"path": "^/inbox/api/v1/threads$", "status": 429, "retry_after": 1, "times": 1}])
    limited = inbox.get("/threads")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert inbox.get("/threads").status_code == 200


# --- seed ----------------------------------------------------------------------------------------


def test_inbox_seed_is_deterministic(tmp_path: Path) -> None:
    def dump(name: str, seed: int) -> list[Any]:
        store = Store(tmp_path / f"{name}.sqlite3")
        try:
            seed_inbox(store, seed=seed, now=SANDBOX_NOW)
            with store.read() as conn:
                return [
                    [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
                    for table in ("inbox_prospects", "inbox_prospect_tags", "inbox_threads", "inbox_messages")
                ]
        finally:
            store.close()

    assert dump("a", 7) == dump("b", 7)
    assert dump("c", 8) != dump("d", 7)
