"""The sandbox's Inbox routes (``/inbox/api/v1``) tell the truth about the vendor's v1 document.

Plain HTTP against a running sandbox, so these pin the *server's* rules: every answer is exactly
the document's shape (checked strictly against the transcription in
``tests/contract/inbox_v1_openapi.json``: no field missing, none added), every parameter is read
as the document encodes it and anything else is a 400, errors are the v2 SDK's
``{code, message, details, requestId}``, and no Idempotency-Key is asked for. The provider's
behaviour on top of them is in ``tests/contract/test_inbox_provider.py``.
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
from noxtui.sandbox.inbox.seed import ensure_inbox, seed_inbox
from tests.contract.inbox_spec import response_problems
from tests.sandbox_support import SANDBOX_NOW, SANDBOX_TOKEN, auth

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
    """The shared layers' error envelope (auth, faults): not Inbox's, read by the client's fallback."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error_code"] == code and body["summary"]
    return body


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """An Inbox refusal: ``{code, message, details, requestId}`` with a camelCase code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details", "requestId"} and body["code"] == code and body["message"]
    return body


def conforms(operation: str, response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert response_problems(operation, body) == [], operation
    return body


# --- auth, ids, shapes ---------------------------------------------------------------------------


def test_every_route_needs_the_bearer_token(reader: SandboxServer) -> None:
    sandbox = reader
    base = f"{sandbox.root_url}/inbox/api/v1"
    for headers in ({}, auth("wrong-token")):
        for method, path in (("GET", "/threads"), ("GET", "/team"), ("POST", "/threads/xt000001/messages")):
            response = httpx.request(method, base + path, headers=headers, json={"content": "hi"})
            assert_envelope(response, 401, "UNAUTHENTICATED")


def test_malformed_ids_are_400(reading: httpx.Client) -> None:
    inbox = reading
    for bad in BAD_IDS:
        for method, path, body in (
            ("GET", f"/threads/{bad}", None),
            ("GET", f"/threads/{bad}/messages", None),
            ("POST", f"/threads/{bad}/messages", {"content": "hi"}),
            ("PATCH", f"/threads/{bad}", {"done": True}),
            ("GET", f"/prospects/{bad}", None),
            ("PATCH", f"/prospects/{bad}/context", {"notes": "x"}),
        ):
            error = assert_error(inbox.request(method, path, json=body), 400, "invalidRequest")
            assert error["details"]["fields"], (bad, method, path, error)


def test_well_formed_unknown_ids_are_404(reader: SandboxServer, reading: httpx.Client) -> None:
    inbox = reading
    for path in ("/threads/xt999999", "/threads/abc", "/threads/xm0000001", "/threads/xt999999/messages"):
        assert_error(inbox.get(path), 404, "threadNotFound")
    assert_error(inbox.patch("/prospects/xp999999/context", json={"notes": "x"}), 404, "contactNotFound")
    assert_error(inbox.post("/threads/xt999999/messages", json={"content": "x"}), 404, "threadNotFound")
    unimported = rows(reader, "SELECT seq FROM inbox_prospects WHERE imported = 0")[0][0]
    assert_error(inbox.get(f"/prospects/xp{unimported:06d}"), 404, "contactNotFound")  # no externalId yet


def test_every_answer_is_exactly_the_documents_shape(reader: SandboxServer, reading: httpx.Client) -> None:
    inbox = reading
    page = conforms("GET /threads", inbox.get("/threads", params={"limit": 100}))
    threads = page["threads"] + conforms("GET /threads", inbox.get("/threads", params={"inbox": "archived"}))["threads"]
    assert any(t["lastMessage"] is None for t in threads) and any(t["assigneeId"] is None for t in threads)
    assert any(t["prospect"]["externalId"] is None for t in walk(inbox, "requests"))
    for thread in threads[:15]:
        conforms("GET /threads/{threadId}", inbox.get(f"/threads/{thread['id']}"))
        messages = conforms("GET /threads/{threadId}/messages", inbox.get(f"/threads/{thread['id']}/messages"))
        assert messages["threadId"] == thread["id"]
        if thread["prospect"]["externalId"]:
            prospect = conforms(
                "GET /prospects/{prospectId}", inbox.get(f"/prospects/{thread['prospect']['externalId']}")
            )
            assert thread["id"] in {t["id"] for t in prospect["context"]["threads"]}
    tags = conforms("GET /tags", inbox.get("/tags"))
    assert [tag["name"] for tag in tags][:2] == ["VIP", "Hot lead"]
    assert [s["name"] for s in conforms("GET /statuses", inbox.get("/statuses"))][0] == "Contacted"
    assert [m["name"] for m in conforms("GET /members", inbox.get("/members"))][0] == "Maya Ortiz"
    links = conforms("GET /account-links", inbox.get("/account-links"))
    assert {link["status"] for link in links} == {"active", "offline"}
    team = conforms("GET /team", inbox.get("/team"))
    assert team["name"] == "Glowbrook Social" and "members" not in team
    conforms("GET /events", inbox.get("/events"))
    username = threads[0]["prospect"]["username"]
    found = conforms(
        "GET /threads/lookup-by-username", inbox.get("/threads/lookup-by-username", params={"username": username})
    )
    assert threads[0]["id"] in {t["id"] for t in found}


def test_direction_is_told_by_author_id(reading: httpx.Client) -> None:
    for thread in walk(reading, "default", limit=50):
        last = thread["lastMessage"]
        if last is None:
            continue
        prospect = thread["prospect"]
        theirs = prospect["externalId"] or prospect["platformId"]
        assert last["authorId"] in (thread["accountLinkId"], theirs)
        assert (last["userId"] is None) or last["authorId"] == thread["accountLinkId"]


# --- listing -------------------------------------------------------------------------------------


def test_views_partition_every_thread_and_cursors_neither_skip_nor_repeat(
    reader: SandboxServer, reading: httpx.Client
) -> None:
    sandbox, inbox = reader, reading
    seen: list[str] = []
    for view in ("default", "requests", "archived"):
        threads = walk(inbox, view)
        stamps = [(t["computedSortTimestamp"], t["id"]) for t in threads]
        assert stamps == sorted(stamps, reverse=True)  # newest first by default
        seen += [t["id"] for t in threads]
    assert len(seen) == len(set(seen)) == rows(sandbox, "SELECT COUNT(*) FROM inbox_threads")[0][0] == 60
    done = {t["id"] for t in walk(inbox, "archived")}
    assert done == {f"xt{r[0]:06d}" for r in rows(sandbox, "SELECT seq FROM inbox_threads WHERE done = 1")}
    no_reply = walk(inbox, "no-reply")
    assert no_reply and all(t["lastMessage"]["authorId"] == t["accountLinkId"] for t in no_reply)
    oldest = walk(inbox, "no-reply", **{"filters[sortOrder]": "asc"})
    assert [t["id"] for t in oldest] == [t["id"] for t in reversed(no_reply)]


def test_filters_are_the_documents_deep_object(reader: SandboxServer, reading: httpx.Client) -> None:
    sandbox, inbox = reader, reading
    tagged = walk(inbox, "default", **{"filters[tags][selectedIds][]": "xg0001"})
    assert tagged and all("xg0001" in t["prospect"]["context"]["tags"] for t in tagged)
    indexed = walk(inbox, "default", **{"filters[tags][selectedIds][0]": "xg0001"})
    assert [t["id"] for t in indexed] == [t["id"] for t in tagged]
    mine = walk(inbox, "default", **{"filters[assignees][selectedIds][]": ["xu001", "xu002"]})
    assert mine and {t["assigneeId"] for t in mine} <= {"xu001", "xu002"}
    assert walk(inbox, "default", **{"filters[tags][selectedIds][]": "xg9999"}) == []
    untagged = walk(inbox, "default", **{"filters[tags][noTags]": "true"})
    assert untagged and all(t["prospect"]["context"]["tags"] == [] for t in untagged)
    unassigned = walk(inbox, "default", **{"filters[assignees][noAssignee]": "true"})
    assert unassigned and all(t["assigneeId"] is None for t in unassigned)
    no_status = walk(inbox, "default", **{"filters[statuses][noStatus]": "true"})
    assert no_status and all(t["prospect"]["context"]["statusId"] is None for t in no_status)
    signed = walk(inbox, "default", **{"filters[statuses][selectedIds][]": "xs003"})
    assert signed and all(t["prospect"]["context"]["statusId"] == "xs003" for t in signed)
    second = walk(inbox, "default", **{"accountLinkIds[]": "xa002"})
    assert second and all(t["accountLinkId"] == "xa002" for t in second)
    expected = rows(
        sandbox, "SELECT COUNT(*) FROM inbox_threads WHERE account_link_seq = 2 AND done = 0 AND is_request = 0"
    )
    assert len(second) == expected[0][0]


def test_unknown_or_mis_encoded_parameters_are_400(reading: httpx.Client) -> None:
    inbox = reading
    for params in (
        {"limit": 101},
        {"limit": 0},
        {"inbox": "everything"},
        {"sort": "desc"},  # no top-level sort in the document
        {"filters[tags][]": "xg0001"},  # an array where the document has an object
        {"filters[assignees][]": "xu001"},
        {"filters[labels][selectedIds][]": "xg0001"},
        {"filters[sortOrder]": "sideways"},
        {"filters[tags][noTags]": "yes"},
        {"filters[tags][selectedIds][x]": "xg0001"},
        {"accountLinkIds[a][b]": "xa001"},
        {"search": "collab"},
        {"cursorId": "xt000001"},
        {"cursorId": "xt000001", "cursorTimestamp": "yesterday"},
        {"cursorId": "xt000001", "cursorTimestamp": "2026-11-01T00:00:00Z", "cursor[id]": "xt000001"},
        {"filters[tags][selectedIds][]": "BAD_ID"},
    ):
        assert_error(inbox.get("/threads", params=params), 400, "invalidRequest")
    wrong_list = inbox.get("/threads", params={"cursorId": "xm0000001", "cursorTimestamp": "2026-11-01T00:00:00Z"})
    assert_error(wrong_list, 400, "invalidCursor")
    for path in ("/tags", "/team", "/members", "/threads/xt000001"):
        assert_error(inbox.get(path, params={"page": 2}), 400, "invalidRequest")
    assert_error(inbox.get("/threads/xt000001/messages", params={"sort": "asc"}), 400, "invalidRequest")
    assert_error(inbox.get("/events", params={"afterSeq": -1}), 400, "invalidRequest")
    assert_error(inbox.get("/threads/lookup-by-username"), 400, "invalidRequest")


def test_long_conversations_page_oldest_first_and_say_when_syncing(
    reader: SandboxServer, reading: httpx.Client
) -> None:
    sandbox, inbox = reader, reading
    thread_id = first(sandbox, "SELECT thread_seq FROM inbox_messages GROUP BY thread_seq HAVING COUNT(*) > 100")
    expected = rows(sandbox, "SELECT COUNT(*) FROM inbox_messages WHERE thread_seq = ?", (int(thread_id[2:]),))[0][0]
    page = inbox.get(f"/threads/{thread_id}/messages").json()
    assert len(page["messages"]) == 50 and page["nextCursor"]  # default page size
    collected: list[dict[str, Any]] = []
    syncing: list[bool] = [page["isSyncing"]]
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params |= {"cursorId": cursor["id"], "cursorTimestamp": cursor["timestamp"]}
        body = inbox.get(f"/threads/{thread_id}/messages", params=params).json()
        collected += body["messages"]
        syncing.append(body["isSyncing"])
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert len(collected) == expected == len({m["id"] for m in collected})
    assert [m["createdAt"] for m in collected] == sorted(m["createdAt"] for m in collected)
    assert syncing[0] is True and syncing[-1] is False  # still loading its history, then settled


# --- writes --------------------------------------------------------------------------------------


def test_writes_take_no_idempotency_key_and_a_repeat_is_a_second_message(
    sandbox: SandboxServer, inbox: httpx.Client
) -> None:
    thread_id = first(sandbox, "SELECT seq FROM inbox_threads WHERE last_message_seq IS NOT NULL AND done = 0")
    before = rows(sandbox, "SELECT COUNT(*) FROM inbox_messages")[0][0]
    a = conforms(
        "POST /threads/{threadId}/messages", inbox.post(f"/threads/{thread_id}/messages", json={"content": "Thanks!"})
    )
    b = conforms(
        "POST /threads/{threadId}/messages", inbox.post(f"/threads/{thread_id}/messages", json={"content": "Thanks!"})
    )
    assert a["id"] != b["id"] and a["origin"] == "api" and a["userId"] is None
    assert rows(sandbox, "SELECT COUNT(*) FROM inbox_messages")[0][0] == before + 2  # the document defines no replay
    events = conforms("GET /events", inbox.get("/events"))
    assert [e["type"] for e in events["events"]][-2:] == ["message.created", "message.created"]


def test_send_validation_and_the_outbound_first_refusal(reader: SandboxServer, reading: httpx.Client) -> None:
    sandbox, inbox = reader, reading
    talking = first(sandbox, "SELECT seq FROM inbox_threads WHERE last_message_seq IS NOT NULL")
    empty = first(sandbox, "SELECT seq FROM inbox_threads WHERE last_message_seq IS NULL")
    for body in (
        {"content": "   "},
        {},
        {"content": 5},
        {"content": "x" * 10_001},
        {"content": "hi", "extra": 1},
        {"content": "hi", "replyToMessageId": "BAD"},
    ):
        assert_error(inbox.post(f"/threads/{talking}/messages", json=body), 400, "invalidRequest")
    foreign = rows(sandbox, "SELECT seq FROM inbox_messages WHERE thread_seq != ? LIMIT 1", (int(talking[2:]),))[0][0]
    reply = {"content": "hi", "replyToMessageId": f"xm{foreign:07d}"}
    assert_error(inbox.post(f"/threads/{talking}/messages", json=reply), 404, "messageNotFound")
    refused = assert_error(inbox.post(f"/threads/{empty}/messages", json={"content": "Hi!"}), 403, "planRequired")
    assert "first outbound message" in refused["message"] and "Outbound Messages add-on" in refused["message"]
    assert rows(sandbox, "SELECT COUNT(*) FROM inbox_messages WHERE thread_seq = ?", (int(empty[2:]),))[0][0] == 0


def test_thread_and_prospect_writes_are_read_back(sandbox: SandboxServer, inbox: httpx.Client) -> None:
    thread_id = first(
        sandbox,
        "SELECT t.seq FROM inbox_threads t JOIN inbox_prospects p ON p.seq = t.prospect_seq "
        "WHERE t.done = 0 AND t.is_request = 0 AND p.imported = 1",
    )
    updated = conforms("PATCH /threads/{threadId}", inbox.patch(f"/threads/{thread_id}", json={"done": True}))
    assert updated["done"] is True and thread_id in {t["id"] for t in walk(inbox, "archived")}
    assigned = inbox.patch(f"/threads/{thread_id}", json={"assigneeId": "xu003"}).json()
    assert assigned["assigneeId"] == "xu003"
    assert inbox.patch(f"/threads/{thread_id}", json={"assigneeId": None}).json()["assigneeId"] is None
    assert_error(inbox.patch(f"/threads/{thread_id}", json={"done": "yes"}), 400, "invalidRequest")
    assert_error(inbox.patch(f"/threads/{thread_id}", json={"assigneeId": "xu999"}), 404, "memberNotFound")
    prospect = updated["prospect"]["externalId"]
    context = f"/prospects/{prospect}/context"
    operation = "PATCH /prospects/{prospectId}/context"
    after = conforms(operation, inbox.patch(context, json={"addTags": ["xg0003", "xg0004"], "removeTags": []}))
    assert {"xg0003", "xg0004"} <= set(after["context"]["tags"])
    change = {"removeTags": ["xg0003"], "statusId": "xs002", "notes": "call Tue", "valuation": 1250.5}
    after = conforms(operation, inbox.patch(context, json=change))["context"]
    assert "xg0003" not in after["tags"] and (after["statusId"], after["notes"], after["valuation"]) == (
        "xs002",
        "call Tue",
        1250.5,
    )
    assert inbox.get(f"/threads/{thread_id}").json()["prospect"]["context"]["tags"] == after["tags"]
    cleared = inbox.patch(context, json={"statusId": None, "notes": None, "valuation": None}).json()["context"]
    assert (cleared["statusId"], cleared["notes"], cleared["valuation"]) == (None, None, None)
    assert_error(inbox.patch(context, json={"addTags": ["xg9999"]}), 404, "tagNotFound")
    assert_error(inbox.patch(context, json={"statusId": "xs999"}), 404, "statusNotFound")
    for body in ({"addTags": ["xg0001"], "removeTags": ["xg0001"]}, {"addTags": "xg0001"}, {"valuation": "lots"}):
        assert_error(inbox.patch(context, json=body), 400, "invalidRequest")
    kinds = [e["type"] for e in inbox.get("/events").json()["events"]]
    assert {"thread.archived", "thread.assigned", "thread.unassigned", "prospect.tagsChanged"} <= set(kinds)
    assert {"prospect.statusChanged", "prospect.notesChanged", "prospect.valuationChanged"} <= set(kinds)


def test_the_event_feed_pages_by_sequence(sandbox: SandboxServer, inbox: httpx.Client) -> None:
    thread_id = first(sandbox, "SELECT seq FROM inbox_threads WHERE done = 0")
    for done in (True, False, True):
        inbox.patch(f"/threads/{thread_id}", json={"done": done})
    first_page = inbox.get("/events", params={"limit": 2}).json()
    assert len(first_page["events"]) == 2 and first_page["hasMore"] is True
    rest = inbox.get("/events", params={"afterSeq": first_page["lastSeq"]}).json()
    assert [e["type"] for e in rest["events"]] == ["thread.archived"] and rest["hasMore"] is False
    assert inbox.get("/events", params={"afterSeq": rest["lastSeq"]}).json() == {
        "events": [],
        "hasMore": False,
        "lastSeq": None,
    }


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


def test_an_older_inbox_workspace_is_rebuilt_in_the_documents_shape(tmp_path: Path) -> None:
    store = Store(tmp_path / "old.sqlite3")
    try:
        with store.write() as conn:
            conn.execute("DROP TABLE inbox_threads")
            conn.execute("CREATE TABLE inbox_threads (seq INTEGER PRIMARY KEY, done INTEGER)")
            conn.execute("INSERT INTO inbox_threads(seq, done) VALUES (1, 0)")
        assert ensure_inbox(store, seed=7, now=SANDBOX_NOW)["inbox_threads"] == 60
        assert ensure_inbox(store, seed=7, now=SANDBOX_NOW) == {}
    finally:
        store.close()
