"""Generated hostile requests for every sandbox route, and the verdict on each answer.

One generator serves two drivers: the hypothesis test (``tests/reliability/test_sandbox_fuzz.py``,
which shrinks a failure to its smallest form) and the fuzz command (``python -m bench.fuzz``, which
throws 10,000 of them and counts). Both hand it a ``Picker``: hypothesis's ``data.draw`` or a seeded
``random.Random``. Routes are read from the Starlette app itself, so a route added tomorrow is
fuzzed without anyone listing it here.

What a request may carry is what the 1,446-probe audit found the sandbox tripping on, plus what a
client could plausibly send by mistake: ids and pages of 20+ digits, 5,000-digit integers, deeply
nested bodies, lone surrogates (as JSON escapes and as raw UTF-8 in the URL), NUL, times past the
year 9999 or rounding into it, non-ASCII digits, over-long text, templates that would grow past the
caps. The verdict: no 5xx, every answer JSON, every refusal an error envelope, every Nox success a
success envelope, and a refused write leaves the database as it was.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import httpx
from starlette.routing import Mount, Route

from bench.fuzz_values import (
    BAD_IDS,
    BODY_FIELDS,
    GOOD_IDS,
    JSON_LITERALS,
    NUMBERS,
    OTHER_METHODS,
    QUERY_FIELDS,
    RAW_BODIES,
    TEXTS,
    TIMES,
)

T = TypeVar("T")

INBOX_PREFIX = "/inbox/api/v1"
# Routes whose success changes the sandbox itself (not the workspace): the driver undoes them.
FAULTS_PATH = "/_sandbox/faults"
CLOCK_PATH = "/_sandbox/clock"
NO_ANSWER = 0  # the status counted when the connection dropped instead of answering


class Picker(Protocol):
    """The one source of choices: hypothesis draws or a seeded ``random.Random``."""

    def choice(self, options: Sequence[T]) -> T: ...

    def integer(self, low: int, high: int) -> int: ...


@dataclass(frozen=True)
class RouteSpec:
    """A route as the app declares it: ``/v1/messages/threads/{thread_id}`` and one method."""

    method: str
    template: str
    params: tuple[str, ...]


def app_routes(app: Any, prefix: str = "") -> list[RouteSpec]:
    """Every (method, path template) of a Starlette app, mounts included, HEAD left out."""
    found: list[RouteSpec] = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.extend(app_routes(route, prefix + route.path))
        elif isinstance(route, Route):
            params = tuple(route.param_convertors)
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append(RouteSpec(method, prefix + route.path, params))
    return found


# --- one request ---------------------------------------------------------------------------------


@dataclass
class FuzzRequest:
    route: RouteSpec
    path: str  # percent-encoded, ready for the wire
    query: str
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_write(self) -> bool:
        return self.route.method != "GET"

    def describe(self) -> str:
        body = "" if self.body is None else f" body={self.body[:120]!r}{'…' if len(self.body) > 120 else ''}"
        query = f"?{self.query[:160]}" if self.query else ""
        return f"{self.route.method} {self.path[:160]}{query}{body}"


def _encode(text: str) -> str:
    """Percent-encoded UTF-8; a lone surrogate goes out as the invalid bytes a broken client sends."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _value(pick: Picker) -> Any:
    kind = pick.integer(0, 6)
    if kind == 0:
        return pick.choice(GOOD_IDS)
    if kind == 1:
        return pick.choice(BAD_IDS)
    if kind == 2:
        return pick.choice(TIMES)
    if kind == 3:
        return pick.choice(TEXTS)
    if kind == 4:
        return pick.choice(JSON_LITERALS)
    if kind == 5:
        return [pick.choice(GOOD_IDS + BAD_IDS) for _ in range(pick.integer(0, 3))]
    return int(pick.choice(NUMBERS[:8])) if pick.integer(0, 1) else pick.choice(NUMBERS)


def _path_value(pick: Picker) -> str:
    return pick.choice(GOOD_IDS) if pick.integer(0, 2) == 0 else pick.choice(BAD_IDS + NUMBERS)


def _query(pick: Picker) -> str:
    pairs: list[str] = []
    for _ in range(pick.integer(0, 4)):
        name = pick.choice(QUERY_FIELDS)
        source = pick.integer(0, 3)
        value = (
            pick.choice(NUMBERS)
            if source == 0
            else pick.choice(TIMES)
            if source == 1
            else pick.choice(TEXTS[:23])
            if source == 2
            else _path_value(pick)
        )
        pairs.append(f"{quote(name, safe='[]')}={_encode(value)}")
    if pick.integer(0, 4) == 0:  # a cursor whose id is real, so its timestamp is what gets judged
        names = pick.choice((("cursorId", "cursorTimestamp"), ("cursor[id]", "cursor[timestamp]")))
        stamp = pick.choice(NUMBERS + TIMES + TEXTS[:23])
        pairs.append(f"{quote(names[0], safe='[]')}={pick.choice(('xt000001', 'xm0000001'))}")
        pairs.append(f"{quote(names[1], safe='[]')}={_encode(stamp)}")
    return "&".join(pairs)


def _json_body(pick: Picker) -> bytes:
    if pick.integer(0, 3) == 0:
        return pick.choice(RAW_BODIES)
    body = {pick.choice(BODY_FIELDS): _value(pick) for _ in range(pick.integer(0, 5))}
    if pick.integer(0, 1):  # most writes name a sender, so the handler gets past that check
        body.setdefault("sender_auth_id", "sa_maya")
    if pick.integer(0, 1):
        body.setdefault("content", pick.choice(TEXTS[:23]))
    # ``ensure_ascii`` writes a lone surrogate as the JSON escape ``\ud800``, which is how it arrives.
    return json.dumps(body, ensure_ascii=True).encode()


def _multipart(pick: Picker) -> tuple[bytes, str]:
    boundary = "fuzzboundary"
    name = pick.choice(("file", "other", "file\x00"))
    filename = pick.choice(("a.txt", "", "../../etc/passwd", "a\x00b.png", "é.pdf", "x" * 500, "\u202egnp.exe"))
    data = pick.choice((b"", b"hello", b"\x00" * 100, b"%PDF-1.4"))
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
    body = head.encode("utf-8", "surrogatepass") + b"Content-Type: text/plain\r\n\r\n" + data
    tail = pick.choice((f"\r\n--{boundary}--\r\n".encode(), b"", b"\r\n--other--\r\n"))
    return body + tail, f"multipart/form-data; boundary={boundary}"


def generate(pick: Picker, routes: Sequence[RouteSpec]) -> FuzzRequest:
    """One hostile request to one of ``routes`` (now and then with a method the route does not take)."""
    route = pick.choice(routes)
    if pick.integer(0, 15) == 0:
        route = RouteSpec(pick.choice(OTHER_METHODS), route.template, route.params)
    path = route.template
    for name in route.params:
        path = path.replace("{" + name + "}", _encode(_path_value(pick)))
    headers: dict[str, str] = {}
    body: bytes | None = None
    if route.method != "GET":
        key = pick.integer(0, 9)
        if key:
            headers["Idempotency-Key"] = str(uuid.uuid4()) if key > 2 else ("x" * 201 if key == 1 else "")
        if route.template.endswith("/attachments"):
            body, headers["Content-Type"] = _multipart(pick)
        else:
            body = _json_body(pick)
            headers["Content-Type"] = "application/json"
    return FuzzRequest(route, path, _query(pick), body, headers)


# --- the verdict ---------------------------------------------------------------------------------


@dataclass
class Verdict:
    status: int
    problems: list[str]


def _is_error_envelope(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and payload.get("success") is False
        and isinstance(payload.get("error_code"), str)
        and isinstance(payload.get("summary"), str)
    )


def _is_inbox_error(payload: Any) -> bool:
    """Inbox's own refusal body: ``{code, message, details?, requestId?}``."""
    return (
        isinstance(payload, dict) and isinstance(payload.get("code"), str) and isinstance(payload.get("message"), str)
    )


def _is_success_envelope(payload: Any) -> bool:
    return (
        isinstance(payload, dict)
        and payload.get("success") is True
        and "data" in payload
        and isinstance(payload.get("summary"), str)
        and isinstance(payload.get("meta"), dict)
    )


def judge(request: FuzzRequest, response: httpx.Response, wrote: bool) -> Verdict:
    """What is wrong with ``response`` to ``request`` (nothing, ideally); ``wrote``: the database changed."""
    problems: list[str] = []
    status = response.status_code
    if status >= 500:
        problems.append(f"HTTP {status}")
    try:
        payload = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        problems.append(f"HTTP {status} answer is not JSON: {response.content[:80]!r}")
        return Verdict(status, problems)
    if status >= 400:
        inbox = request.route.template.startswith(INBOX_PREFIX)
        if not (_is_error_envelope(payload) or inbox and _is_inbox_error(payload)):
            problems.append(f"HTTP {status} answer is not an error envelope: {response.content[:120]!r}")
        if wrote and request.is_write and not request.route.template.startswith("/_sandbox"):
            problems.append(f"HTTP {status} refusal, yet the database changed")
    elif request.route.template.startswith(INBOX_PREFIX):
        if not isinstance(payload, (dict, list)):
            problems.append("an Inbox success that is neither a JSON object nor an array")
    elif not _is_success_envelope(payload):
        problems.append(f"HTTP {status} answer is not a success envelope")
    return Verdict(status, problems)


class DataVersion:
    """Has any other connection committed to the sandbox's database since the last look?

    ``PRAGMA data_version`` changes exactly when another connection commits, so one cheap pragma
    per request tells a refused write that left a trace from one that did not.
    """

    def __init__(self, db_path: Path) -> None:
        self._conn = sqlite3.connect(db_path, check_same_thread=False)

    def read(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        self._conn.close()


def send(client: httpx.Client, request: FuzzRequest, versions: DataVersion, *, reset_now: str) -> Verdict:
    """Send ``request`` as is, judge the answer, and undo what a test control changed.

    ``reset_now``: where the sandbox clock goes back to after a request moved it, so every request
    meets the same "now" (a clock left in the year 9999 would make every send time "past").
    """
    before = versions.read()
    url = request.path + (f"?{request.query}" if request.query else "")
    try:
        response = client.request(request.route.method, url, content=request.body, headers=request.headers)
    except httpx.TransportError as exc:  # the server dropped us: as bad as a 500, and counted as "no answer"
        return Verdict(NO_ANSWER, [f"no answer ({type(exc).__name__})"])
    verdict = judge(request, response, versions.read() != before)
    if response.is_success and request.route.template == FAULTS_PATH and request.route.method == "POST":
        client.delete(FAULTS_PATH)  # never leave an injected fault standing for the next request
    if response.is_success and request.route.template == CLOCK_PATH and request.route.method == "POST":
        client.post(CLOCK_PATH, json={"now": reset_now})
    return verdict


def settle(client: httpx.Client, now: str) -> None:
    """Deliver every scheduled reply of the seed now, then put the clock back at ``now``.

    A seeded reply falling due mid-run would be delivered by whichever request came next — a
    commit the partial-write check would pin on that request. Moving the clock a year ahead
    (which delivers what is due) and back leaves nothing scheduled but what the fuzz itself
    schedules, and that is years away.
    """
    client.post(CLOCK_PATH, json={"advance_seconds": 400 * 86400}).raise_for_status()
    client.post(CLOCK_PATH, json={"now": now}).raise_for_status()


def route_table(app: Any) -> list[RouteSpec]:
    """The routes to fuzz: all of them but the health check (public, takes no input)."""
    return [r for r in app_routes(app) if r.template != "/healthz"]


def iterate(pick: Picker, routes: Sequence[RouteSpec], count: int) -> Iterator[FuzzRequest]:
    for _ in range(count):
        yield generate(pick, routes)
