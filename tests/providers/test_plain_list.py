"""``message list`` read without models (``plain_list``) gives exactly what the models give.

A first sync of a million threads reads each page as plain JSON items and flattens them straight
into the cache's columns. The rule that makes that safe: an item is taken that way only when
``ThreadSummary`` would read it to the very same values; anything else goes through the models
(validated, refused as before). So here every plain item's columns and list row equal the
model's, on awkward values (unicode, nulls, empty lists, markup-like text, missing optional
fields, unknown fields), and every item pydantic would coerce or refuse is not taken as plain.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as PydanticValidationError

from noxtui.domain.errors import ProtocolError
from noxtui.domain.models import ThreadPage, ThreadQuery, ThreadSummary
from noxtui.domain.rows import PlainSummaries, row_from_plain, row_from_summary
from noxtui.providers.nox_rest import plain_list
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.envelope import decode_thread_list
from noxtui.sandbox import SandboxServer
from noxtui.storage.cache.columns import flatten, flatten_page, flatten_plain

BASE: dict[str, Any] = {
    "thread_id": "th_1",
    "creator": {"creator_id": "cr_1", "name": "Noah Kim", "platform": "instagram"},
    "last_message_at": "2026-11-20T08:40:00+00:00",
    "last_message_direction": "inbound",
    "needs_reply": True,
}


def page_body(items: list[Any], **envelope: Any) -> bytes:
    meta = {"page": 1, "page_size": 100, "total": len(items), "request_id": "req_1"}
    return json.dumps({"success": True, "data": items, "summary": "", "meta": meta, **envelope}).encode()


def answer(body: bytes, status: int = 200, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": content_type})


def assert_same_as_models(item: dict[str, Any], text: str) -> None:
    """The plain item flattens to the model's columns and row; its stored text reads back to the model."""
    model = ThreadSummary.model_validate_json(text)
    plain, expected = flatten_plain(item, text), flatten(model)
    assert plain._replace(summary_json="") == expected._replace(summary_json="")
    assert row_from_plain(item) == row_from_summary(model)
    assert ThreadSummary.model_validate_json(plain.summary_json) == model


# --- awkward values, one by one and generated ------------------------------------------------------

AWKWARD: list[dict[str, Any]] = [
    BASE,
    {**BASE, "subject": "ΟΔΟΣ ΣΟΦΙΑΣ", "snippet": "  ΟΔΟΣ\n\tΣΟΦΙΑΣ  🎉 こんにちは  "},  # final sigma, spaces
    {**BASE, "snippet": "[bold red]not markup[/] \x1b[31m", "subject": "[link=http://x]y[/link]"},
    {**BASE, "owner_uid": None, "pending_reason": None, "coop_status": None, "scheduled_at": None, "updated_at": None},
    {**BASE, "labels": [], "project_ids": [], "business_kind": "", "business_id": ""},
    {**BASE, "labels": [{"label_id": "l1", "name": "VIP"}, {"label_id": "l2", "name": "Ünïcode", "color": "#fff"}]},
    {**BASE, "coop_status": {"code": "declined"}},  # no name: the code shows
    {**BASE, "coop_status": {"code": "declined", "name": ""}},
    {**BASE, "creator": {**BASE["creator"], "platform": "threads", "handle": None, "email": None}},
    {**BASE, "creator": {**BASE["creator"], "platform": "", "handle": "ÀLICE", "x-new": [1, {"a": None}]}},
    {**BASE, "last_message_at": "2026-11-20T08:40:00.5Z", "updated_at": "2026-11-20T14:10:00.123456+05:30"},
    {**BASE, "archived": False, "future_field": {"nested": ["kept"]}, "message_count": 0, "has_draft": True},
    {**BASE, "scheduled_at": "2026-12-01T00:00:00-08:00", "project_ids": ["email_task:1", "email_task:2"]},
    {**BASE, "creator": {**BASE["creator"], "name": "ΟΔΟΣ", "handle": "Σ"}, "subject": "Σ", "snippet": "ΣΣ ς"},
]


_greek = st.text(alphabet="ΣσςΑa .'\u0301\u00ad\n", max_size=5)


@settings(max_examples=300, deadline=None)
@given(name=_greek, handle=st.none() | _greek, subject=_greek, snippet=_greek)
def test_the_keyword_text_lowers_each_field_as_it_would_alone(
    name: str, handle: str | None, subject: str, snippet: str
) -> None:
    """A capital sigma lowers by what surrounds it (final or not): the fields' separator must not
    change that, whether it stands at the start or the end of a field."""
    creator = {**BASE["creator"], "name": name, "handle": handle}
    item = {**BASE, "creator": creator, "subject": subject, "snippet": snippet}
    assert_same_as_models(item, json.dumps(item))


@pytest.mark.parametrize("item", AWKWARD)
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_a_plain_item_flattens_as_its_model_does(item: dict[str, Any], ensure_ascii: bool) -> None:
    body = json.dumps({"success": True, "data": [item], "meta": {"page": 1, "page_size": 1, "total": 1}},
                      ensure_ascii=ensure_ascii).encode()  # fmt: skip
    page = plain_list.read(answer(body))
    assert page is not None, "taken as plain"
    assert page.items == [item]
    assert json.loads(page.texts[0]) == item
    assert_same_as_models(page.items[0], page.texts[0])


_text = st.text(max_size=12)
_offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_stamp = st.datetimes(datetime(1970, 1, 2), datetime(2100, 1, 1), timezones=_offsets).map(
    lambda when: when.isoformat().replace("+00:00", "Z") if when.microsecond % 2 else when.isoformat()
)


@st.composite
def plain_items(draw: st.DrawFn) -> dict[str, Any]:
    """Items of the documented shape, optional fields present or not, values awkward."""
    item: dict[str, Any] = {
        "thread_id": draw(_text),
        "creator": {"creator_id": draw(_text), "name": draw(_text), "platform": draw(_text)},
        "last_message_at": draw(_stamp),
        "last_message_direction": draw(st.sampled_from(["inbound", "outbound"])),
        "needs_reply": draw(st.booleans()),
    }
    optional = {
        "business_kind": _text,
        "business_id": _text,
        "subject": _text,
        "snippet": _text,
        "pending_reason": st.none() | _text,
        "owner_uid": st.none() | _text,
        "updated_at": st.none() | _stamp,
        "scheduled_at": st.none() | _stamp,
        "has_draft": st.booleans(),
        "message_count": st.integers(-(2**40), 2**40),
        "project_ids": st.lists(_text, max_size=3),
        "labels": st.lists(st.fixed_dictionaries({"label_id": _text, "name": _text}), max_size=3),
        "coop_status": st.none() | st.fixed_dictionaries({"code": _text}, optional={"name": _text}),
        "archived": st.booleans(),
        "unknown": st.none() | _text | st.lists(st.integers(), max_size=2),
    }
    for name, values in optional.items():
        if draw(st.booleans()):
            item[name] = draw(values)
    for name, values in {"handle": st.none() | _text, "email": st.none() | _text, "channel_url": _text}.items():
        if draw(st.booleans()):
            item["creator"][name] = draw(values)
    return item


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(plain_items(), min_size=1, max_size=4), ensure_ascii=st.booleans())
def test_generated_plain_pages_read_as_the_models_read_them(items: list[dict[str, Any]], ensure_ascii: bool) -> None:
    meta = {"page": 1, "page_size": 100, "total": 9}
    body = json.dumps({"meta": meta, "data": items, "success": True}, ensure_ascii=ensure_ascii).encode()
    page = plain_list.read(answer(body))
    assert page is not None
    models, _ = decode_thread_list(answer(body), False)
    for item, text, model in zip(page.items, page.texts, models, strict=True):
        assert ThreadSummary.model_validate_json(text) == model
        assert_same_as_models(item, text)
    live, archived, newest = flatten_page(page)
    expected = flatten_page(ThreadPage(threads=models, page=1, page_size=100, total=9))
    assert [flat._replace(summary_json="") for flat in live] == [f._replace(summary_json="") for f in expected.live]
    assert (archived, newest) == (expected.archived, expected.newest)


# --- what is not plain goes through the models -------------------------------------------------------

NOT_PLAIN: dict[str, dict[str, Any]] = {
    "needs_reply as 1": {**BASE, "needs_reply": 1},
    "needs_reply as text": {**BASE, "needs_reply": "true"},
    "a stamp without offset": {**BASE, "last_message_at": "2026-11-20T08:40:00"},
    "a stamp with a space": {**BASE, "last_message_at": "2026-11-20 08:40:00Z"},
    "a date alone": {**BASE, "updated_at": "2026-11-20"},
    "a unix time": {**BASE, "last_message_at": 1_700_000_000},
    "nine fraction digits": {**BASE, "updated_at": "2026-11-20T08:40:00.123456789Z"},
    "a thirteenth month": {**BASE, "last_message_at": "2026-13-20T08:40:00Z"},
    "no direction": {k: v for k, v in BASE.items() if k != "last_message_direction"},
    "an unknown direction": {**BASE, "last_message_direction": "sideways"},
    "a null snippet": {**BASE, "snippet": None},
    "null labels": {**BASE, "labels": None},
    "a label without name": {**BASE, "labels": [{"label_id": "l1"}]},
    "a numeric project": {**BASE, "project_ids": [7]},
    "a count as text": {**BASE, "message_count": "3"},
    "a count as float": {**BASE, "message_count": 2.0},
    "a count as true": {**BASE, "message_count": True},
    "a creator without name": {**BASE, "creator": {"creator_id": "c", "platform": "youtube"}},
    "a null coop name": {**BASE, "coop_status": {"code": "x", "name": None}},
    "a thread id as number": {**BASE, "thread_id": 12},
    "a list": [BASE],
}


@pytest.mark.parametrize("item", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_an_item_the_models_would_coerce_or_refuse_is_not_plain(item: Any) -> None:
    body = page_body([BASE, item])
    assert plain_list.read(answer(body)) is None
    try:
        expected: Any = decode_thread_list(answer(body), False)
    except ProtocolError as error:
        with pytest.raises(ProtocolError) as raised:
            plain_list.decode(answer(body), False)
        assert str(raised.value) == str(error)
    else:
        assert plain_list.decode(answer(body), False) == expected


ENVELOPES: dict[str, bytes] = {
    "not a success": page_body([BASE], success=False),
    "success as 1": page_body([BASE], success=1),
    "no meta": json.dumps({"success": True, "data": [BASE]}).encode(),
    "a total as text": json.dumps({"success": True, "data": [], "meta": {"page": 1, "total": "0"}}).encode(),
    "a meta key twice": page_body([])[:-1] + b', "meta": {"page": 1, "page_size": 1, "total": 0}}',
    "data twice": page_body([BASE])[:-1] + b', "data": [' + json.dumps(BASE).encode() + b"]}",
    "data not a list": page_body([])[:-1] + b', "data": {}}',
    "trailing text": page_body([BASE]) + b" x",
    "cut short": page_body([BASE])[:-3],
    "a lone high surrogate": page_body([{**BASE, "subject": "\ud83d\ude00"}]).replace(b"\\ude00", b"x"),
    "a lone low surrogate": page_body([{**BASE, "subject": "\ud83d\ude00"}]).replace(b"\\ud83d", b"x"),
    "a summary that is not text": page_body([BASE], summary=5),
    "an array": json.dumps([BASE]).encode(),
    "an item that is not JSON": page_body([BASE, BASE]).replace(b"}, {", b"}, x{", 1),
    "two items without a comma": page_body([BASE, BASE]).replace(b"}, {", b"} {", 1),
    "a comma after the last item": page_body([BASE]).replace(b"}]", b"},]", 1),
    "an item left open": page_body([BASE]).replace(b"}]", b"]", 1),
}  # fmt: skip


@pytest.mark.parametrize("body", ENVELOPES.values(), ids=ENVELOPES.keys())
def test_an_answer_that_is_not_a_plain_success_is_read_the_validating_way(body: bytes) -> None:
    assert plain_list.read(answer(body)) is None


SURROGATE_PIECES = ["\\ud83d", "\\ude00", "\\uDBFF", "\\uDC00", "a", "\\u00e9"]


@example(pieces=["\\ud83d", "\\ude00", "\\ude00"])
@example(pieces=["\\ud83d", "\\ud83d", "\\ude00"])
@given(pieces=st.lists(st.sampled_from(SURROGATE_PIECES), max_size=6))
def test_escaped_surrogates_are_plain_exactly_when_the_model_reads_them(pieces: list[str]) -> None:
    escaped = "".join(pieces)
    item_text = json.dumps({**BASE, "subject": "SUBJECT"}).replace("SUBJECT", escaped)
    try:
        ThreadSummary.model_validate_json(item_text)
        readable = True
    except PydanticValidationError:
        readable = False
    body = page_body([{**BASE, "subject": "SUBJECT"}]).replace(b"SUBJECT", escaped.encode())
    assert (plain_list.read(answer(body)) is not None) == readable


def test_web_pages_and_errors_are_not_read_plainly() -> None:
    assert plain_list.read(answer(page_body([BASE]), content_type="text/html")) is None
    assert plain_list.read(answer(page_body([BASE]), status=500)) is None
    assert plain_list.read(answer(b"\xff" + page_body([BASE]))) is None


@example(spacing=" \n\t\r ")
@given(spacing=st.text(alphabet=" \n\t\r", max_size=3))
def test_any_json_spacing_reads_the_same(spacing: str) -> None:
    document = {"success": True, "data": [BASE, BASE], "meta": {"page": 1, "page_size": 2, "total": 2}}
    marks = (f"{spacing},{spacing}", f"{spacing}:{spacing}")
    text = spacing + json.dumps(document, indent=spacing or None, separators=marks) + spacing
    page = plain_list.read(answer(text.encode()))
    assert page is not None
    assert page.items == [BASE, BASE] and [json.loads(t) for t in page.texts] == [BASE, BASE]


# --- over loopback HTTP, from the sandbox ----------------------------------------------------------


async def test_the_sandboxs_pages_are_plain_and_read_as_the_models_read_them(
    sandbox: SandboxServer, sandbox_token: str
) -> None:
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        plain = await client.list_plain_threads(ThreadQuery(), page=1, page_size=100)
        models = await client.list_threads(ThreadQuery(), page=1, page_size=100)
    assert isinstance(plain, PlainSummaries), "the sandbox sends the documented shape"
    assert (plain.page, plain.page_size, plain.total) == (models.page, models.page_size, models.total)
    assert len(plain.items) == len(models.threads) == models.total
    for item, text, model in zip(plain.items, plain.texts, models.threads, strict=True):
        assert ThreadSummary.model_validate_json(text) == model
        assert_same_as_models(item, text)
