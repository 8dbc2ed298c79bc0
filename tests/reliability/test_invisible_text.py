"""A reply that shows nothing is refused — by the app's plans and by the sandbox, with one rule.

The audit found 9 of 19 invisible characters passing the "invisible-only reply" check (it knew
whitespace, Cc and Cf, not lone combining marks, variation selectors, the Hangul fillers or the
braille blank). Such a reply looks empty to the creator yet would clear the thread's pending state.
The rule is ``noxtui.domain.text.has_visible_text``; here it is checked character by character
against the Unicode categories, with hypothesis over any mix, and end to end: the Nox and Inbox plan
builders and the sandbox's Nox and Inbox send routes refuse the same texts, and rich text that
shows nothing (``<p><br></p>``) is refused where html bodies exist.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noxtui.domain.errors import PlanError
from noxtui.domain.models import Thread
from noxtui.domain.plan_rules import is_blank
from noxtui.domain.text import BLANK_GLYPHS, has_visible_text, html_text, is_invisible
from noxtui.providers.inbox import plans as inbox_plans
from noxtui.providers.nox_rest import composer_plans as nox_plans
from noxtui.sandbox import SandboxServer
from tests.reliability.support import SECRET_TOKEN, SENDER

pytestmark = pytest.mark.reliability

# Every kind the rule must know, the audit's 19 among them.
INVISIBLE = [
    "\u200b",  # zero-width space (Cf)
    "\u200c",  # zero-width non-joiner (Cf)
    "\u200d",  # zero-width joiner (Cf)
    "\u2060",  # word joiner (Cf)
    "\ufeff",  # BOM / zero-width no-break space (Cf)
    "\u00ad",  # soft hyphen (Cf)
    "\u180e",  # Mongolian vowel separator (Cf)
    "\u200e",  # left-to-right mark (Cf)
    "\u202e",  # right-to-left override (Cf)
    "\u2061",  # function application (Cf)
    "\u2064",  # invisible plus (Cf)
    "\u061c",  # Arabic letter mark (Cf)
    "\U000e0020",  # tag space (Cf)
    "\u115f",  # Hangul choseong filler (Lo, drawn blank)
    "\u1160",  # Hangul jungseong filler (Lo, drawn blank)
    "\u3164",  # Hangul filler (Lo, drawn blank)
    "\uffa0",  # halfwidth Hangul filler (Lo, drawn blank)
    "\u2800",  # braille pattern blank (So, drawn blank)
    "\ufe0f",  # variation selector 16 (Mn)
    "\ufe00",  # variation selector 1 (Mn)
    "\U000e0100",  # variation selector 17 (Mn)
    "\u034f",  # combining grapheme joiner (Mn)
    "\u17b4",  # Khmer vowel inherent AQ (Mn)
    "\u0301",  # combining acute accent, with no base (Mn)
    "\u20e3",  # combining enclosing keycap, with no base (Me)
    "\u3000",  # ideographic space (Zs)
    "\u00a0",  # no-break space (Zs)
    "\u2028",  # line separator (Zl)
    "\u2029",  # paragraph separator (Zp)
    "\x00",  # NUL (Cc)
    " \t\r\n",
]
BLANK_HTML = ["<p><br></p>", "<p>&nbsp;</p>", "<div><br/></div>", "<p>&#8203;</p>", "<p>\u3164</p>", "<p></p>"]
BASE_THREAD: dict[str, Any] = {
    "business_kind": "email_task",
    "creator": {"creator_id": "cr_000007", "name": "Mia Chen", "platform": "youtube"},
    "last_message_at": "2026-11-19T10:00:00Z",
    "last_message_direction": "inbound",
    "needs_reply": True,
}


# Every code point but the surrogates (which no str from a decoder holds).
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF).filter(lambda ch: not "\ud800" <= ch <= "\udfff")
DRAWN_BLANK = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
SHOW_NOTHING = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def category_oracle(ch: str) -> bool:
    """What the issue asks for, spelled out: whitespace, C*, M*, separators, fillers, braille blank."""
    return ch.isspace() or unicodedata.category(ch) in SHOW_NOTHING or ch in DRAWN_BLANK


# --- the rule ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", INVISIBLE, ids=[f"U+{ord(t[0]):04X}" for t in INVISIBLE])
def test_each_invisible_character_is_blank_alone_and_repeated(text: str) -> None:
    assert not has_visible_text(text) and is_blank(text)
    assert is_blank(text * 5 + " ")
    assert not is_blank(text + "ok") and not is_blank("e" + text)


def blanks(min_size: int = 0, max_size: int = 20) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(INVISIBLE), min_size=min_size, max_size=max_size).map("".join)


@given(text=blanks(min_size=1, max_size=40))
def test_any_mix_of_invisible_characters_is_blank(text: str) -> None:
    assert is_blank(text)


@given(
    blank=blanks(),
    visible=ANY_CHARACTER.filter(lambda ch: not category_oracle(ch)),
)
def test_one_visible_character_among_invisible_ones_is_not_blank(blank: str, visible: str) -> None:
    assert visible not in BLANK_GLYPHS
    assert not is_blank(blank + visible + blank)


@given(ch=ANY_CHARACTER)
def test_every_character_is_judged_by_its_unicode_category(ch: str) -> None:
    assert is_invisible(ch) is category_oracle(ch)
    assert has_visible_text(ch) is not category_oracle(ch)


@pytest.mark.parametrize("html", BLANK_HTML)
def test_rich_text_with_no_visible_text_is_blank(html: str) -> None:
    assert not has_visible_text(html_text(html))


def test_rich_text_reads_as_its_text() -> None:
    assert html_text("<p>Hi&nbsp;<b>Mia</b>,<br>rates attached</p><script>x()</script>") == "Hi Mia,\nrates attached"


# --- the app's plans ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", INVISIBLE, ids=[f"U+{ord(t[0]):04X}" for t in INVISIBLE])
def test_both_providers_plans_refuse_an_invisible_reply(text: str) -> None:
    nox_thread = Thread.model_validate({**BASE_THREAD, "thread_id": "th_000042"})
    inbox_thread = Thread.model_validate({**BASE_THREAD, "thread_id": "xt000002"})
    with pytest.raises(PlanError):
        nox_plans.send(nox_thread, text, SENDER)
    with pytest.raises(PlanError):
        nox_plans.schedule(nox_thread, text, SENDER, "2030-01-01T09:00Z")
    with pytest.raises(PlanError):
        inbox_plans.send(inbox_thread, text)


# --- the sandbox -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(shared_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SECRET_TOKEN}"}
    with httpx.Client(base_url=shared_sandbox.root_url, headers=headers, timeout=30.0) as http:
        yield http


def post(client: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})


def message_count(client: httpx.Client) -> int:
    return int(client.get("/v1/messages/threads/th_000006").json()["data"]["message_count"])


@pytest.mark.parametrize("text", INVISIBLE, ids=[f"U+{ord(t[0]):04X}" for t in INVISIBLE])
def test_the_sandbox_refuses_an_invisible_reply_on_every_send_route(client: httpx.Client, text: str) -> None:
    before = message_count(client)
    sent = post(client, "/v1/messages/threads/th_000006/send", {"content": text, "sender_auth_id": SENDER})
    assert sent.status_code == 422, sent.text
    scheduled = post(
        client,
        "/v1/messages/threads/th_000006/schedule",
        {"content": text, "sender_auth_id": SENDER, "plan_send_at": "2030-01-01T09:00Z"},
    )
    assert scheduled.status_code == 422, scheduled.text
    dm = post(client, "/inbox/api/v1/threads/xt000002/messages", {"content": text})
    assert dm.status_code in (400, 422), dm.text
    assert message_count(client) == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(INVISIBLE[:-2]), min_size=1, max_size=12))
def test_the_sandbox_refuses_any_mix_of_invisible_characters(client: httpx.Client, text: str) -> None:
    sent = post(client, "/v1/messages/threads/th_000006/send", {"content": text, "sender_auth_id": SENDER})
    assert sent.status_code == 422, sent.text


@pytest.mark.parametrize("html", BLANK_HTML)
def test_the_sandbox_refuses_rich_text_that_shows_nothing(client: httpx.Client, html: str) -> None:
    before = message_count(client)
    sent = post(client, "/v1/messages/threads/th_000006/send", {"html_body": html, "sender_auth_id": SENDER})
    assert sent.status_code == 422, sent.text
    assert "html_body" in sent.json()["data"]["fields"]
    assert message_count(client) == before


def test_the_sandbox_sends_rich_text_as_the_text_it_shows(client: httpx.Client) -> None:
    body = {"html_body": "<p>Hi <b>Mia</b>,<br>rates attached</p>", "sender_auth_id": SENDER}
    sent = post(client, "/v1/messages/threads/th_000006/send", body)
    assert sent.status_code == 200, sent.text
    last = sent.json()["data"]["messages"][-1]
    assert last["body_text"] == "Hi Mia,\nrates attached"
    both = post(client, "/v1/messages/threads/th_000006/send", {**body, "content": "Hi"})
    assert both.status_code == 422
