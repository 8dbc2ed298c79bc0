"""One send-time rule: the app and the sandbox accept exactly the same ``plan_send_at`` texts.

Before, the app took ``+0900`` and refused ``-13:00`` while the sandbox did the opposite, so a time
the confirm modal had shown could be refused by the server (and a time the server takes could not
be typed). Both now judge with ``noxtui.domain.schedule.parse_plan_send_at``; these tests hold the
two sides to one verdict over generated texts, against a real sandbox on loopback.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noxtui.domain.errors import PlanError
from noxtui.domain.schedule import parse_plan_send_at
from noxtui.sandbox import SandboxServer
from tests.reliability.support import SECRET_TOKEN, SENDER

pytestmark = pytest.mark.reliability

THREAD = "/v1/messages/threads/th_000010/schedule"


@pytest.fixture(scope="module")
def client(shared_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {SECRET_TOKEN}"}
    with httpx.Client(base_url=shared_sandbox.root_url, headers=headers, timeout=30.0) as http:
        yield http


def sandbox_now(client: httpx.Client) -> datetime:
    return datetime.fromisoformat(client.get("/_sandbox/clock").json()["data"]["now"])


def app_accepts(text: str, now: datetime) -> bool:
    try:
        parse_plan_send_at(text, now)
    except PlanError as refused:
        assert "plan_send_at" in refused.fields and refused.what and refused.todo
        return False
    return True


def sandbox_accepts(client: httpx.Client, text: str) -> bool:
    body = {"content": "See you then", "sender_auth_id": SENDER, "plan_send_at": text}
    response = client.post(THREAD, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert "plan_send_at" in response.json()["data"]["fields"], response.text
        return False
    scheduled = datetime.fromisoformat(response.json()["data"]["scheduled_at"])
    typed = parse_plan_send_at(text, scheduled - timedelta(days=1))
    assert abs(scheduled - typed) <= timedelta(milliseconds=1), "the instant kept is the one typed (to the ms)"
    return True


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("2027-01-05T09:00+0900", True),  # the sandbox refused it; the app took it
        ("2027-01-05T09:00:00-13:00", False),  # the app refused it; the sandbox took it
        ("2027-01-05T09:00:00+14:00", True),
        ("2027-01-05T09:00:00-12:00", True),
        ("2027-01-05T09:00:00+14:30", False),
        ("2027-01-05T09:00+09", True),
        ("2027-01-05 09:00Z", True),
        ("2027-01-05T09:00:00", False),
        ("2027-01-05", False),
        ("\u0662\u0660\u0662\u0667-01-05T09:00Z", False),  # Arabic-Indic digits
        ("9999-12-31T23:00:00-05:00", False),  # past the year 9999 in UTC
        ("9999-12-31T23:59:59.999999Z", False),  # rounds into the year 10000
        ("2027-02-30T09:00Z", False),
    ],
)
def test_the_app_and_the_sandbox_agree_on_known_cases(client: httpx.Client, text: str, accepted: bool) -> None:
    now = sandbox_now(client)
    assert app_accepts(text, now) is accepted
    assert sandbox_accepts(client, text) is accepted


@st.composite
def send_times(draw: st.DrawFn) -> str:
    """Times built from parts, offsets in every spelling, some of them not real."""
    year = draw(st.sampled_from([2025, 2026, 2027, 2030, 9998, 9999]))
    date = f"{year:04d}-{draw(st.integers(1, 13)):02d}-{draw(st.integers(1, 31)):02d}"
    clock = f"{draw(st.integers(0, 24)):02d}:{draw(st.sampled_from([0, 30, 59])):02d}"
    clock += draw(st.sampled_from(["", ":00", ":59.999999", ":00.5"]))
    hours = draw(st.integers(-15, 15))
    minutes = draw(st.sampled_from([0, 0, 30, 45]))
    sign = "-" if hours < 0 else "+"
    offset = draw(
        st.sampled_from(
            ["Z", "z", "", f"{sign}{abs(hours):02d}:{minutes:02d}", f"{sign}{abs(hours):02d}{minutes:02d}"]
            + [f"{sign}{abs(hours):02d}"]
        )
    )
    separator = draw(st.sampled_from(["T", " ", "t"]))
    return f"{date}{separator}{clock}{offset}"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(send_times(), st.text(max_size=30)))
def test_generated_send_times_get_one_verdict_on_both_sides(client: httpx.Client, text: str) -> None:
    now = sandbox_now(client)
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
        return  # refused at the sandbox's door (NUL, lone surrogates) before any field rule; see the fuzz test
    assert sandbox_accepts(client, text) is app_accepts(text, now), text


def test_an_accepted_time_is_sent_normalised_and_read_back_in_its_zone() -> None:
    when = parse_plan_send_at("2027-01-05T09:00+0900", datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert when.isoformat() == "2027-01-05T09:00:00+09:00"
