"""Bad input, generated: every plan builder and parser against hostile and random input.

Properties (hypothesis):

* nothing raises anything but ``PlanError`` / ``ValidationError`` (a crash in a builder would take a
  keypress down with it);
* invalid input is refused with a message that says what and what to do (and which field);
* valid input yields a plan whose path is one noxtui could have built (no ``..``, no ``/`` or ``%``
  smuggled into a segment) and whose body is the rep's text, byte for byte, as valid JSON;
* what the confirm modal shows of any plan contains no terminal control sequence;
* nothing is sent: a client whose transport records every call stays silent throughout, including
  when its own methods are handed a hostile id.

Plus the rendering check: a server body carrying OSC 52 (clipboard write) and Rich markup is shown as
text in the TUI, never interpreted.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.widgets import Static

from noxtui.domain.errors import NoxError, PlanError, ValidationError
from noxtui.domain.models import (
    CoopStatus,
    CrmChannel,
    Label,
    Project,
    Sender,
    Template,
    Thread,
    WritePlan,
)
from noxtui.providers.nox_rest import plans, routes
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.envelope import decode, parse_retry_after
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.sandbox import ESCAPE_THREAD_ID, SandboxServer
from noxtui.tui.screens.confirm import describe_plan
from tests.reliability.support import SECRET_TOKEN, make_tui, tmp_paths
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import inbox, list_loaded, plain, thread_opened

pytestmark = pytest.mark.reliability

NOW = SANDBOX_NOW
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- fixtures as plain values (hypothesis forbids function-scoped fixtures) -----------------------

CATALOGUE = [Label(label_id=f"lbl_{i:03d}", name=f"Label {i}", color="#00aa00") for i in range(1, 21)]
KNOWN_IDS = [label.label_id for label in CATALOGUE]
SENDERS = [Sender(sender_auth_id="sa_maya", address="maya@glowbrook.example", name="Maya")]
STATUSES = [CoopStatus(code=code, name=code.title(), order=i) for i, code in enumerate(["new", "interested", "deal"])]

BASE_THREAD: dict[str, Any] = {
    "thread_id": "th_000042",
    "business_kind": "email_task",
    "business_id": "et_0001",
    "creator": {"creator_id": "cr_000007", "name": "Mia Chen", "platform": "youtube"},
    "subject": "Glowbrook × Mia",
    "last_message_at": "2026-11-19T10:00:00Z",
    "last_message_direction": "inbound",
    "needs_reply": True,
    "labels": [CATALOGUE[0].model_dump(), CATALOGUE[1].model_dump()],
    "coop_status": {"code": "new", "name": "New"},
    "composer": {"draft_body": "old draft", "sender_auth_id": "sa_maya"},
}


def thread(**changes: Any) -> Thread:
    return Thread.model_validate({**BASE_THREAD, **changes})


class Recorder:
    """A transport that records every request and answers nothing useful: the assertion is silence."""

    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        return httpx.Response(599, json={"success": False, "error_code": "INTERNAL", "summary": "recorded"})


def recording_provider() -> tuple[NoxProvider, Recorder]:
    recorder = Recorder()
    client = NoxClient("https://nox.invalid/v1", SECRET_TOKEN, transport=recorder.transport, max_retries=0)
    provider = NoxProvider(client, clock=lambda: NOW)
    provider._senders = list(SENDERS)  # what provider.senders() would have cached
    return provider, recorder


def attempt(build: Callable[[], WritePlan]) -> WritePlan | PlanError:
    """Run a builder; only a ``PlanError`` may come out of it, and it must be actionable."""
    try:
        return build()
    except PlanError as error:
        assert_refusal(error)
        return error


def assert_refusal(error: NoxError) -> None:
    assert isinstance(error, (PlanError, ValidationError)), type(error)
    assert error.what.strip() and error.todo.strip()
    assert SECRET_TOKEN not in error.message
    assert "\x1b" not in error.message or "\x1b" in error.what  # only ever an echo of the input


def rendered(plan: WritePlan) -> str:
    """The confirm modal's text for ``plan``, as the terminal would receive it."""
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    console.print(describe_plan(plan, "maya@glowbrook.example"))
    return console.export_text()


_CONTROL = {chr(c) for c in [*range(0, 9), *range(11, 32), 127, *range(0x80, 0xA0)]}


def assert_safe_plan(plan: WritePlan, thread_id: str | None = None) -> None:
    """The path is one noxtui builds; the body is JSON; the modal shows no control character."""
    assert routes.check_plan_path(plan.path) == plan.path
    segments = [unquote(part) for part in plan.path.split("/")[1:]]
    assert all(s not in {"", ".", ".."} and "/" not in s for s in segments)
    if thread_id is not None and segments[:2] == ["messages", "threads"]:
        assert segments[2] == thread_id
    if plan.body is not None:
        encoded = json.dumps(plan.body, ensure_ascii=False, allow_nan=False)
        assert json.loads(encoded) == plan.body
    shown = rendered(plan)
    assert not (_CONTROL & set(shown)), "a control character reached the confirm modal"
    assert plan.idempotency_key and plan.method != "GET"


# --- strategies ----------------------------------------------------------------------------------

SAFE_ID = st.from_regex(r"\A[A-Za-z0-9_:.-]{1,40}\Z")
HOSTILE_IDS = [
    "", ".", "..", "../", "/", "../../admin", "%2e%2e", "%2F", "th_1/../../x", "th 1", "th_1?x=1", "th_1#frag",
    "th_1\n", "th_1\x00", "\u202eth_1", "тред", "th_1\\..", "😀", "a" * 300 + "/",
]
THREAD_IDS = st.one_of(SAFE_ID, st.sampled_from(HOSTILE_IDS), st.text(max_size=30))


def is_valid_id(value: str) -> bool:
    return bool(routes.SEGMENT_RE.fullmatch(value)) and value not in {".", ".."}


ESCAPES = [
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x9b31m",
    "\x1bP+q\x1b\\",
    "[bold red]x[/bold red]",
    "[link=https://evil.invalid]here[/link]",
]
RTL_EMOJI = ["مرحبا بك 👋", "\u202eevil\u202c", "שלום 🎉🎉", "👨‍👩‍👧‍👦 family pack", "e\u0301\u0301\u0301"]
WHITESPACE = st.text(alphabet=" \t\n\r\u00a0\u2003\u3000\u2028\u2029", max_size=20)
INVISIBLE = st.text(alphabet=" \t\n\u200b\u200c\u200d\u2060\ufeff\u00ad", min_size=1, max_size=10)
BODIES = st.one_of(
    st.just(""),
    WHITESPACE,
    st.text(max_size=200),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x9F), max_size=50),
    st.sampled_from(ESCAPES + RTL_EMOJI),
    st.lists(st.sampled_from(ESCAPES + RTL_EMOJI + ["Hi ", "\n", "rate: $1,200"]), max_size=8).map("".join),
)


@st.composite
def send_times(draw: st.DrawFn) -> tuple[str, bool]:
    """A timestamp string built from parts, and whether the contract accepts it (the oracle)."""
    year = draw(st.integers(2024, 2032))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    hour = draw(st.integers(0, 23))
    minute = draw(st.sampled_from([0, 15, 30, 59]))
    kind = draw(st.sampled_from(["Z", "offset", "naive"]))
    off_h = draw(st.integers(-14, 15))
    off_m = draw(st.sampled_from([0, 0, 0, 30, 45]))
    sign = "-" if off_h < 0 else "+"
    zone = {"Z": "Z", "naive": "", "offset": f"{sign}{abs(off_h):02d}:{off_m:02d}"}[kind]
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}{zone}"
    try:
        date(year, month, day)
    except ValueError:
        return text, False
    if kind == "naive":
        return text, False
    offset = timedelta(0) if kind == "Z" else (1 if off_h >= 0 else -1) * timedelta(hours=abs(off_h), minutes=off_m)
    if offset % timedelta(hours=1) or not timedelta(hours=-12) <= offset <= timedelta(hours=14):
        return text, False
    when = datetime(year, month, day, hour, minute, tzinfo=timezone(offset))
    return text, when > NOW


EDGE_TIMES = [
    "2028-02-29T09:00+08:00",  # leap day
    "2027-02-29T09:00+08:00",  # not a leap year
    "2027-03-14T02:30:00-05:00",  # inside the US spring-forward gap, but the offset is explicit
    "2027-11-07T01:30:00-04:00",  # the US fall-back hour, first pass
    "2027-11-07T01:30:00-05:00",  # ... second pass
    "2027-03-28T02:30:00+01:00",  # EU spring-forward gap
    "2027-01-01T09:00+05:30",  # India: half-hour offset
    "2027-01-01T09:00+05:45",  # Nepal
    "2027-01-01T09:00+14:00",
    "2027-01-01T09:00-12:00",
    "2027-01-01T09:00+15:00",
    "2026-11-20T09:00:00Z",  # exactly now
    "9999-12-31T23:00-12:00",
    "0001-01-01T00:00+14:00",
    "2027-01-01T09:00+08:00:30",
    "tomorrow 9am",
    "2027-13-01T09:00Z",
    "2027-01-01T25:00Z",
    "",
    "   ",
    "\x1b]52;c;ZXZpbA==\x07",
]


# --- thread ids ----------------------------------------------------------------------------------


@PROPS
@given(thread_id=THREAD_IDS)
@example(thread_id="..")
@example(thread_id="%2e%2e")
def test_every_thread_builder_refuses_unsafe_ids_and_builds_safe_paths(thread_id: str) -> None:
    provider, recorder = recording_provider()
    target = thread(thread_id=thread_id)
    scheduled = thread(
        thread_id=thread_id,
        composer={
            "draft_body": "",
            "scheduled": {"plan_send_at": "2027-01-01T09:00:00Z", "content": "x", "sender_auth_id": "sa_maya"},
        },
    )
    template = Template(template_id="tpl_001", name="Intro", language="en", body="Hi {{creator_first_name}}")
    builders: list[Callable[[], WritePlan]] = [
        lambda: provider.plan_labels(target, [KNOWN_IDS[0]], CATALOGUE),
        lambda: provider.plan_coop(target, STATUSES[2]),
        lambda: provider.plan_draft(target, "new text", "sa_maya"),
        lambda: provider.plan_send(target, "Thanks!", "sa_maya"),
        lambda: provider.plan_schedule(target, "Thanks!", "sa_maya", "2027-01-05T09:00+08:00"),
        lambda: provider.plan_cancel(scheduled),
        lambda: provider.plan_template_use(target, template),
        lambda: provider.plan_archive(target, []),
    ]
    for build in builders:
        outcome = attempt(build)
        if is_valid_id(thread_id):
            assert isinstance(outcome, WritePlan), outcome
            assert_safe_plan(outcome, thread_id)
        else:
            assert isinstance(outcome, PlanError)
            assert outcome.fields, "the refusal names the field"
    assert recorder.calls == []


@PROPS
@given(thread_id=THREAD_IDS.filter(lambda t: not is_valid_id(t)))
def test_the_client_refuses_unsafe_ids_before_sending_anything(thread_id: str) -> None:
    provider, recorder = recording_provider()
    client = provider.client

    async def every_method() -> None:
        calls = [
            client.get_thread(thread_id),
            client.thread_projects(thread_id),
            client.attachments(thread_id),
            client.set_labels(thread_id, []),
            client.set_coop_status(thread_id, "deal"),
            client.save_draft(thread_id, "x"),
            client.send(thread_id, "x", "sa_maya"),
            client.schedule(thread_id, "x", "sa_maya", "2027-01-01T09:00Z"),
            client.cancel_schedule(thread_id),
            client.archive(thread_id),
            client.use_template("tpl_001", thread_id),
            client.use_template(thread_id, "th_000001"),
            client.email_task(thread_id),
            client.crm_channel(thread_id),
            client.upload_attachment(thread_id, "a.txt", b"x"),
        ]
        for call in calls:
            with pytest.raises(PlanError) as raised:
                await call
            assert_refusal(raised.value)

    asyncio.run(every_method())
    assert recorder.calls == []


@PROPS
@given(
    path=st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                "/messages/threads/../x",
                "/a/%2e%2e/b",
                "/a/%2F/b",
                "//evil.invalid/x",
                "https://evil.invalid/v1/x",
                "/messages/threads/th_1/send",
            ]
        ),
    )
)
def test_a_tampered_plan_path_is_refused_before_sending(path: str) -> None:
    provider, recorder = recording_provider()
    plan = plans.send(thread(), "hello", "sa_maya", senders=SENDERS).model_copy(update={"path": path})
    try:
        checked = routes.check_plan_path(path)
    except PlanError as error:
        assert_refusal(error)
        with pytest.raises(PlanError):
            asyncio.run(provider.execute(plan))
        assert recorder.calls == []
        return
    assert checked.startswith("/") and not checked.startswith("//")
    assert all(unquote(p) not in {".", ".."} and "/" not in unquote(p) for p in checked.split("/")[1:])


# --- schedule times ------------------------------------------------------------------------------


@PROPS
@given(case=send_times())
def test_schedule_times_from_parts_follow_the_contract(case: tuple[str, bool]) -> None:
    text, valid = case
    provider, recorder = recording_provider()
    outcome = attempt(lambda: provider.plan_schedule(thread(), "See you then", "sa_maya", text))
    if not valid:
        assert isinstance(outcome, PlanError), f"{text!r} must be refused"
        assert "plan_send_at" in outcome.fields
    else:
        assert isinstance(outcome, WritePlan), f"{text!r} must be accepted: {outcome}"
        assert_safe_plan(outcome, "th_000042")
        sent = datetime.fromisoformat(outcome.body["plan_send_at"])
        assert sent == datetime.fromisoformat(text.replace("Z", "+00:00"))
        assert sent.utcoffset() is not None and not sent.utcoffset() % timedelta(hours=1)
        assert outcome.send_at == sent
    assert recorder.calls == []


@PROPS
@given(text=st.one_of(st.sampled_from(EDGE_TIMES), st.text(max_size=40)))
def test_any_schedule_text_is_either_a_future_whole_hour_time_or_refused(text: str) -> None:
    try:
        when = plans.parse_plan_send_at(text, NOW)
    except PlanError as error:
        assert_refusal(error)
        assert "plan_send_at" in error.fields
        return
    offset = when.utcoffset()
    assert offset is not None and not offset % timedelta(hours=1)
    assert timedelta(hours=-12) <= offset <= timedelta(hours=14)
    assert when > NOW
    plans.format_when(when)  # what the modal shows must not crash either


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("2028-02-29T09:00+08:00", True),
        ("2027-02-29T09:00+08:00", False),
        ("2027-03-14T02:30:00-05:00", True),
        ("2027-11-07T01:30:00-04:00", True),
        ("2027-11-07T01:30:00-05:00", True),
        ("2027-01-01T09:00+05:30", False),
        ("2027-01-01T09:00+05:45", False),
        ("2027-01-01T09:00+15:00", False),
        ("2026-11-20T09:00:00Z", False),
        ("2026-11-20T09:00:01Z", True),
    ],
)
def test_schedule_edge_dates(text: str, accepted: bool) -> None:
    outcome = attempt(lambda: plans.schedule(thread(), "x", "sa_maya", text, NOW, senders=SENDERS))
    assert isinstance(outcome, WritePlan) is accepted


# --- label id lists ------------------------------------------------------------------------------


@PROPS
@given(
    wanted=st.lists(
        st.one_of(
            st.sampled_from(KNOWN_IDS), st.sampled_from(["lbl_999", "", "../x", "lbl_001 "]), st.text(max_size=8)
        ),
        max_size=40,
    )
)
@example(wanted=[])
@example(wanted=["lbl_001", "lbl_001", "lbl_001"])
def test_label_sets_are_deduplicated_checked_and_undoable(wanted: list[str]) -> None:
    provider, recorder = recording_provider()
    target = thread()
    outcome = attempt(lambda: provider.plan_labels(target, wanted, CATALOGUE))
    current = [label.label_id for label in target.labels]
    unknown = [w for w in wanted if w not in KNOWN_IDS]
    deduped = list(dict.fromkeys(wanted))
    if unknown:
        assert isinstance(outcome, PlanError) and "label_ids" in outcome.fields
    elif set(deduped) == set(current):
        assert isinstance(outcome, PlanError)  # nothing to change
    else:
        assert isinstance(outcome, WritePlan)
        assert_safe_plan(outcome, "th_000042")
        assert outcome.body == {"label_ids": deduped}
        labels = outcome.diff.labels
        assert labels is not None
        assert {lb.label_id for lb in labels.added} == set(deduped) - set(current)
        assert {lb.label_id for lb in labels.removed} == set(current) - set(deduped)
        undo = provider.plan_undo(outcome)
        assert set(undo.body["label_ids"]) == set(current) and undo.idempotency_key != outcome.idempotency_key
    assert recorder.calls == []


def test_a_huge_label_set_is_planned_without_choking() -> None:
    catalogue = [Label(label_id=f"lbl_{i:05d}", name=f"L{i}") for i in range(10_000)]
    wanted = [label.label_id for label in catalogue] * 2
    plan = plans.labels_set(thread(labels=[]), wanted, catalogue)
    assert len(plan.body["label_ids"]) == 10_000
    assert_safe_plan(plan, "th_000042")
    with pytest.raises(PlanError) as raised:
        plans.labels_set(thread(labels=[]), [*wanted, *(f"nope_{i}" for i in range(5_000))], catalogue)
    assert len(raised.value.message) < 200_000  # refused with a message, whatever its length


# --- bodies --------------------------------------------------------------------------------------


def is_blank(text: str) -> bool:
    return plans.is_blank(text)


@PROPS
@given(body=BODIES)
@example(body="\u200b\u200b")
@example(body="\x1b]52;c;ZXZpbA==\x07")
def test_send_and_draft_keep_the_text_exactly_and_refuse_blank_replies(body: str) -> None:
    provider, recorder = recording_provider()
    target = thread()
    sent = attempt(lambda: provider.plan_send(target, body, "sa_maya"))
    if not body.strip() or is_blank(body):
        assert isinstance(sent, PlanError) and "content" in sent.fields
    else:
        assert isinstance(sent, WritePlan)
        assert_safe_plan(sent, "th_000042")
        assert sent.body["content"] == body

    saved = attempt(lambda: provider.plan_draft(target, body, None))
    if body == target.composer.draft_body:
        assert isinstance(saved, PlanError)
    else:
        assert isinstance(saved, WritePlan)
        assert_safe_plan(saved, "th_000042")
        assert saved.body["body"] == body  # a draft is stored as typed, escapes and all

    scheduled = attempt(lambda: provider.plan_schedule(target, body, "sa_maya", "2027-01-05T09:00+08:00"))
    assert isinstance(scheduled, WritePlan) is isinstance(sent, WritePlan)
    assert recorder.calls == []


@pytest.mark.parametrize("filler", ["a", "é", "😀", "\x1b[31m", "[b]"])
def test_a_one_megabyte_body_is_planned_intact(filler: str) -> None:
    body = (filler * (1_000_000 // len(filler.encode())))[:1_000_000]
    plan = plans.send(thread(), body, "sa_maya", senders=SENDERS)
    assert plan.body["content"] == body
    draft = plans.draft_save(thread(), body, senders=SENDERS)
    assert draft.body["body"] == body
    assert json.loads(json.dumps(plan.body))["content"] == body


@PROPS
@given(
    name=BODIES,
    language=st.one_of(st.sampled_from(["en", "de", ""]), st.text(max_size=5)),
    body=BODIES,
    subject=st.none() | BODIES,
)
def test_template_save(name: str, language: str, body: str, subject: str | None) -> None:
    outcome = attempt(lambda: plans.template_save(name, language, body, subject))
    blank = [f for f, v in (("name", name), ("language", language), ("body", body)) if not v.strip()]
    if blank:
        assert isinstance(outcome, PlanError) and set(outcome.fields) == set(blank)
    else:
        assert isinstance(outcome, WritePlan)
        assert_safe_plan(outcome)
        assert outcome.body["body"] == body and outcome.body["name"] == name.strip()


@PROPS
@given(template_id=THREAD_IDS, variables=st.dictionaries(st.text(max_size=10), BODIES, max_size=4))
def test_template_use(template_id: str, variables: dict[str, str]) -> None:
    template = Template(template_id=template_id, name="Intro", language="en", body="Hi")
    outcome = attempt(lambda: plans.template_use(thread(), template, variables))
    if not is_valid_id(template_id) or any(not k.strip() for k in variables):
        assert isinstance(outcome, PlanError)
    else:
        assert isinstance(outcome, WritePlan)
        assert_safe_plan(outcome)
        assert outcome.body.get("variables", {}) == variables


@PROPS
@given(creator_id=THREAD_IDS, notes=st.none() | BODIES, owner=st.none() | st.sampled_from(["", " ", "u_2", "u_1"]))
def test_crm_update(creator_id: str, notes: str | None, owner: str | None) -> None:
    before = CrmChannel.model_validate({"creator_id": "cr_000007", "notes": "old", "owner_uid": "u_1"})
    outcome = attempt(lambda: plans.crm_update(creator_id, notes, owner, before=before))
    if isinstance(outcome, WritePlan):
        assert is_valid_id(creator_id)
        assert_safe_plan(outcome)
        if notes is not None and notes != "old":
            assert outcome.body["notes"] == notes


@PROPS
@given(code=st.one_of(st.sampled_from(["new", "deal", "", "  "]), st.text(max_size=10)))
def test_coop_set(code: str) -> None:
    outcome = attempt(lambda: plans.coop_set(thread(), CoopStatus(code=code, name=code)))
    if not code.strip() or code == "new":
        assert isinstance(outcome, PlanError)
    else:
        assert isinstance(outcome, WritePlan)
        assert_safe_plan(outcome, "th_000042")
        assert plans.inverse(outcome).body == {"coop_status": "new"}


@PROPS
@given(
    siblings=st.lists(
        st.builds(
            Project,
            project_id=st.text(max_size=10),
            name=BODIES,
            thread_id=st.none() | THREAD_IDS,
            needs_reply=st.none() | st.booleans(),
        ),
        max_size=6,
    )
)
def test_archive_lists_siblings_safely(siblings: list[Project]) -> None:
    outcome = attempt(lambda: plans.archive(thread(), siblings))
    assert isinstance(outcome, WritePlan)
    assert_safe_plan(outcome, "th_000042")
    assert outcome.body is None


def test_cancel_without_a_schedule_is_refused() -> None:
    with pytest.raises(PlanError) as raised:
        plans.cancel(thread())
    assert_refusal(raised.value)


# --- parsers -------------------------------------------------------------------------------------


@PROPS
@given(
    value=st.one_of(
        st.none(),
        st.text(max_size=40),
        st.sampled_from(["inf", "-1", "nan", "1e400", "Wed, 21 Oct 2099 07:28:00 GMT", "0", " 2 "]),
    )
)
def test_retry_after_is_a_finite_wait_or_nothing(value: str | None) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or (0 <= seconds < float("inf"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
ENVELOPE_LIKE = st.fixed_dictionaries(
    {},
    optional={
        "success": st.booleans() | st.none() | st.text(max_size=3),
        "data": JSON,
        "summary": JSON,
        "error_code": st.sampled_from(["UNAUTHENTICATED", "RATE_LIMITED", "VALIDATION_ERROR", "??"]) | JSON,
        "action": JSON,
        "meta": JSON,
    },
)


@PROPS
@given(
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 599]),
    body=st.one_of(
        st.binary(max_size=200),
        JSON.map(lambda v: json.dumps(v).encode()),
        ENVELOPE_LIKE.map(lambda v: json.dumps(v).encode()),
    ),
    content_type=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
    retry_after=st.none() | st.text(max_size=12),
    write=st.booleans(),
)
def test_any_server_answer_decodes_to_an_envelope_or_a_typed_error(
    status: int, body: bytes, content_type: str, retry_after: str | None, write: bool
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    if retry_after is not None and retry_after.isascii() and retry_after.isprintable():
        headers["retry-after"] = retry_after
    response = httpx.Response(status, content=body, headers=headers)
    try:
        decode(response, write=write)
    except NoxError as error:
        assert error.what.strip() and error.todo.strip()
        assert "<html" not in error.message.lower()
        return
    assert 200 <= status < 300


# --- rendering of hostile server text ------------------------------------------------------------


@pytest.fixture
def escape_sandbox(sandbox: SandboxServer) -> Iterator[SandboxServer]:
    """The 60-thread workspace seeds ``ESCAPE_THREAD_ID``; fall back to the admin route otherwise."""
    response = httpx.get(
        f"{sandbox.base_url}/messages/threads/{ESCAPE_THREAD_ID}", headers={"Authorization": f"Bearer {SECRET_TOKEN}"}
    )
    assert response.status_code == 200, "the escape fixture thread must exist in the test workspace"
    bodies = [m["body_text"] for m in response.json()["data"]["messages"]]
    if not any("\x1b]52;c;ZXZpbA==\x07" in b and "[bold red]" in b for b in bodies):
        added = httpx.post(
            f"{sandbox.root_url}/_sandbox/threads/{ESCAPE_THREAD_ID}/inbound",
            headers={"Authorization": f"Bearer {SECRET_TOKEN}"},
            json={"body_text": "Hi \x1b]52;c;ZXZpbA==\x07 [bold red]what's the budget?[/bold red]"},
        )
        assert added.status_code == 201
    yield sandbox


async def test_hostile_server_text_is_shown_as_text_never_interpreted(
    escape_sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_tui(escape_sandbox, tmp_paths(tmp_path), timeout=5.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        screen.thread_list.move_to(ESCAPE_THREAD_ID)
        await pilot.press("enter")
        await thread_opened(pilot, ESCAPE_THREAD_ID)
        shown = plain(screen.query_one("#detail-messages", Static))
        assert "^[]52;c;ZXZpbA==^G" in shown  # the escape, made visible in caret notation
        assert "[bold red]what's the budget?[/bold red]" in shown  # markup shown, not applied
        assert "\x1b" not in shown and "\x07" not in shown
        svg = app.export_screenshot()
    assert "\x1b]52" not in svg and "\x1b" not in svg and "\x07" not in svg
    assert "ZXZpbA==" in svg  # the payload is on screen, as inert text
