"""The sandbox is safe to run on a laptop: loopback only, token on every route, bounded bodies,
and SQL that treats every character a rep can type as data.

The sandbox's token is public (it is in the docs), so these are the properties that keep "run the
demo" from meaning "expose a writable service" or "let a pasted string rewrite the database".
"""

from __future__ import annotations

import inspect
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.routing import Mount, Route

from noxtui.cli import build_parser
from noxtui.sandbox import SandboxServer, create_app, serve_forever
from noxtui.sandbox.server import SandboxRefused
from tests.reliability.support import SECRET_TOKEN, SENDER

pytestmark = pytest.mark.reliability

META = [
    "'; DROP TABLE threads; --",
    "%",
    "_",
    '"',
    "\\",
    "' OR '1'='1",
    "%_%",
    '"; DELETE FROM messages; --',
    "\\'; --",
]


# --- binding -------------------------------------------------------------------------------------


def test_loopback_is_the_default_everywhere() -> None:
    assert inspect.signature(SandboxServer.__init__).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(serve_forever).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(serve_forever).parameters["allow_remote"].default is False
    args = build_parser().parse_args(["sandbox", "serve"])
    assert args.host == "127.0.0.1" and args.allow_remote is False


def test_a_started_sandbox_listens_on_loopback_only(sandbox: SandboxServer) -> None:
    assert sandbox.root_url.startswith("http://127.0.0.1:")
    server = sandbox.uvicorn_server
    assert server is not None
    bound = {sock.getsockname()[0] for s in server.servers for sock in s.sockets}
    assert bound == {"127.0.0.1"}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.com"])
def test_a_public_address_is_refused_without_allow_remote(host: str, tmp_path: Path) -> None:
    db = tmp_path / "refused.sqlite3"
    with pytest.raises(SandboxRefused) as raised:
        serve_forever(db, host=host, port=0, announce=lambda _: None)
    assert "allow_remote" in str(raised.value) or "--allow-remote" in str(raised.value)
    assert not db.exists(), "refused before anything was created"


# --- the token on every route --------------------------------------------------------------------


def every_route(app: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, concrete path) for every route of the Starlette app, mounts included."""
    for route in app.routes:
        if isinstance(route, Mount):
            yield from every_route(route, prefix + route.path)
        elif isinstance(route, Route):
            path = prefix + route.path
            for name in route.param_convertors:
                path = path.replace("{" + name + "}", "x_1")
            for method in sorted(route.methods or ()):
                yield method, path


@pytest.fixture
def routes(sandbox: SandboxServer) -> list[tuple[str, str]]:
    found = list(every_route(create_app(sandbox.store, token=SECRET_TOKEN)))
    assert len(found) > 25, "the walk must see the whole app"
    return found


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer tok_WRONG_0987654321"},
        {"Authorization": f"Bearer {SECRET_TOKEN}x"},
        {"Authorization": f"Bearer {SECRET_TOKEN[:-1]}"},
        {"Authorization": f"bearer{SECRET_TOKEN}"},
        {"Authorization": f"Basic {SECRET_TOKEN}"},
        {"Authorization": SECRET_TOKEN},
        {"X-Api-Key": SECRET_TOKEN},
    ],
    ids=["none", "wrong", "token-plus-suffix", "token-prefix", "no-space", "basic", "bare", "other-header"],
)
def test_every_route_refuses_a_request_without_the_token(
    sandbox: SandboxServer, routes: list[tuple[str, str]], headers: dict[str, str]
) -> None:
    before = sandbox.store.dump()
    with httpx.Client(base_url=sandbox.root_url, timeout=5.0) as client:
        for method, path in routes:
            if path == "/healthz":
                continue
            sent = {**headers, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
            body = b'{"rules": [{"status": 500}], "label_ids": [], "body": "x", "content": "x", "notes": "x"}'
            response = client.request(method, path, headers=sent, content=None if method in ("GET", "HEAD") else body)
            assert response.status_code == 401, f"{method} {path} answered {response.status_code} without the token"
            if method != "HEAD":
                assert response.json()["error_code"] == "UNAUTHENTICATED"
                assert SECRET_TOKEN not in response.text
        # Unknown routes too: no route map for strangers.
        assert client.get("/v1/no/such/route", headers=headers).status_code == 401
        assert client.get("/_sandbox/../v1/messages/threads", headers=headers).status_code == 401
    assert sandbox.faults.describe() == [], "an unauthenticated request armed a fault"
    assert sandbox.store.dump() == before, "an unauthenticated request changed the database"


def test_with_the_token_the_same_reads_pass_the_gate(sandbox: SandboxServer, routes: list[tuple[str, str]]) -> None:
    """Proof the 401s above come from the token check, not from the placeholder ids."""
    with httpx.Client(
        base_url=sandbox.root_url, timeout=5.0, headers={"Authorization": f"Bearer {SECRET_TOKEN}"}
    ) as client:
        for method, path in routes:
            if method == "GET":
                assert client.get(path).status_code != 401, path
    assert httpx.get(f"{sandbox.root_url}/healthz").json()["data"] == {"status": "ok"}  # the one public route


# --- request size --------------------------------------------------------------------------------


def _draft_url(sandbox: SandboxServer, thread_id: str) -> str:
    return f"{sandbox.base_url}/messages/threads/{thread_id}/draft"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_oversized_body_is_refused_with_413(
    sandbox: SandboxServer, sandbox_client: httpx.Client, chunked: bool
) -> None:
    thread_id = sandbox_client.get("/messages/threads", params={"page_size": 1}).json()["data"][0]["thread_id"]
    before = sandbox.store.stats()
    payload = b'{"body": "' + b"a" * (sandbox.max_body_bytes + 100_000) + b'"}'

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(payload), 65_536):
            yield payload[start : start + 65_536]

    headers = {
        "Authorization": f"Bearer {SECRET_TOKEN}",
        "Idempotency-Key": str(uuid.uuid4()),
        "Content-Type": "application/json",
    }
    response = httpx.put(
        _draft_url(sandbox, thread_id), headers=headers, content=pieces() if chunked else payload, timeout=30
    )
    assert response.status_code == 413
    body = response.json()
    assert body["error_code"] == "VALIDATION_ERROR" and "limit" in body["summary"]
    assert sandbox.store.stats() == before


def test_an_oversized_body_without_the_token_is_refused_before_it_is_read(sandbox: SandboxServer) -> None:
    payload = b"x" * (sandbox.max_body_bytes * 2)
    response = httpx.put(_draft_url(sandbox, "th_000001"), content=payload, timeout=30)
    assert response.status_code == 401


# --- SQL: metacharacters are data ----------------------------------------------------------------


def _write_headers() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _db_shape(path: Path) -> tuple[str, list[str], dict[str, int]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        counts = {
            t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in ("threads", "labels", "creators", "crm_channels")
        }
    return check, tables, counts


@pytest.fixture
def threads(sandbox_client: httpx.Client) -> list[dict[str, Any]]:
    data = sandbox_client.get("/messages/threads", params={"page_size": 100}).json()["data"]
    assert len(data) >= len(META) + 1
    return data


def test_sql_metacharacters_are_stored_and_matched_literally(
    sandbox: SandboxServer, sandbox_client: httpx.Client, threads: list[dict[str, Any]]
) -> None:
    check, tables_before, counts_before = _db_shape(sandbox.db_path)
    assert check == "ok"
    client = sandbox_client
    crm_creator = next(
        t["creator"]["creator_id"]
        for t in threads
        if client.get(f"/crm/channels/{t['creator']['creator_id']}").status_code == 200
    )

    for meta, thread in zip(META, threads, strict=False):  # more threads than metacharacters
        tid = thread["thread_id"]
        marker = f"zq{meta}zq"
        # draft body
        saved = client.put(f"/messages/threads/{tid}/draft", json={"body": f"draft {marker}"}, headers=_write_headers())
        assert saved.status_code == 200, saved.text
        assert client.get(f"/messages/threads/{tid}").json()["data"]["composer"]["draft_body"] == f"draft {marker}"
        # send content, then find it by keyword (FTS phrase) — exactly this thread
        sent = client.post(
            f"/messages/threads/{tid}/send",
            json={"content": f"reply {marker}", "sender_auth_id": SENDER},
            headers=_write_headers(),
        )
        assert sent.status_code == 200, sent.text
        assert client.get(f"/messages/threads/{tid}").json()["data"]["messages"][-1]["body_text"] == f"reply {marker}"
        found = client.get("/messages/threads", params={"keyword": marker, "page_size": 100}).json()["data"]
        assert [t["thread_id"] for t in found] == [tid], meta
        # template name and body
        made = client.post(
            "/messages/templates",
            json={"name": f"T {meta}", "language": "en", "body": f"B {meta}"},
            headers=_write_headers(),
        )
        assert made.status_code == 201, made.text
        listed = client.get("/messages/templates", params={"language": "en"}).json()["data"]
        assert [t["body"] for t in listed if t["name"] == f"T {meta}".strip()] == [f"B {meta}"]
        # CRM notes (on a creator who has a CRM channel)
        patched = client.patch(
            f"/crm/channels/{crm_creator}", json={"notes": f"notes {meta}"}, headers=_write_headers()
        )
        assert patched.status_code == 200, patched.text
        assert client.get(f"/crm/channels/{crm_creator}").json()["data"]["notes"] == f"notes {meta}"

    # Short keywords take the scan path (no trigram index): still literal, never a LIKE wildcard.
    everything = client.get("/messages/threads", params={"page_size": 100}).json()["data"]
    for needle in ("%", "_", "%_", "'", "\\"):
        hits = {
            t["thread_id"]
            for t in client.get("/messages/threads", params={"keyword": needle, "page_size": 100}).json()["data"]
        }
        visible = {
            t["thread_id"]
            for t in everything
            if needle
            in " ".join([t["creator"]["name"], t["creator"].get("handle") or "", t["subject"], t["snippet"]]).lower()
        }
        assert hits, f"{needle!r} must match the threads it was written into"
        assert len(hits) < len(everything), f"{needle!r} matched everything: a wildcard, not a character"
        assert hits == visible, needle

    # Label search: literal substring of the name.
    labels = client.get("/messages/labels", params={"page_size": 100}).json()["data"]
    for needle in META:
        got = [
            lb["label_id"]
            for lb in client.get("/messages/labels", params={"keyword": needle, "page_size": 100}).json()["data"]
        ]
        want = (
            [lb["label_id"] for lb in labels if needle.strip().lower() in lb["name"].lower()]
            if needle.strip()
            else [lb["label_id"] for lb in labels]
        )
        assert got == want, needle

    check, tables_after, counts_after = _db_shape(sandbox.db_path)
    assert check == "ok"
    assert tables_after == tables_before
    assert counts_after == counts_before
