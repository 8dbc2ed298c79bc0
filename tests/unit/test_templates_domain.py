"""Template variables: which a template uses, what a thread fills in, and the rendered preview."""

from __future__ import annotations

from datetime import datetime, timezone

from noxtui.domain.models import Composer, Creator, Template, Thread
from noxtui.domain.templates import render, thread_values, variables_in
from noxtui.providers.nox_rest import plans

THREAD = Thread(
    thread_id="th_1",
    creator=Creator(creator_id="cr_1", name="Mia Chen", platform="youtube", channel_url="https://yt/mia"),
    subject="Spring launch",
    last_message_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
    last_message_direction="inbound",
    needs_reply=True,
    composer=Composer(),
)
RATES = Template(
    template_id="tp_1",
    name="Rates",
    language="en",
    subject="{{ fee }} for {{creator_first_name}}",
    body="Hi {{creator_first_name}}, {{fee}} for {{deliverable}} on {{platform}}.",
)


def test_variables_in_order_of_first_use_each_once() -> None:
    assert variables_in(RATES) == ["fee", "creator_first_name", "deliverable", "platform"]


def test_render_fills_what_is_known_and_lists_the_rest() -> None:
    text, missing = render(RATES.body, {"creator_first_name": "Mia", "fee": "", "platform": "youtube"})
    assert text == "Hi Mia, {{fee}} for {{deliverable}} on youtube."
    assert missing == ["fee", "deliverable"]


def test_thread_values_prefill_the_creator_and_thread() -> None:
    values = thread_values(THREAD)
    assert values["creator_first_name"] == "Mia" and values["creator_name"] == "Mia Chen"
    assert values["channel_url"] == "https://yt/mia" and values["thread_subject"] == "Spring launch"
    assert "creator_email" not in values  # unknown values are not offered as empty strings


def test_the_use_plan_shows_the_draft_rendered_with_the_reps_values() -> None:
    plan = plans.template_use(THREAD, RATES, {"fee": "$900"})
    assert plan.diff.text is not None
    assert plan.diff.text.after == "Hi Mia, $900 for {{deliverable}} on youtube."
    assert plan.body == {"thread_id": "th_1", "variables": {"fee": "$900"}}
