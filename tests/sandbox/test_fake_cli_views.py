"""``message list --status deal|unread|draft|scheduled`` through the fake, and the sandbox's read
state behind ``unread`` (``message get`` marks a thread read; a new inbound reply makes it unread).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox import fake_cli_support as support
from tests.sandbox.fake_cli_support import FakeCli

# The module's fixtures (one sandbox for the whole module; see fake_cli_support).
fake = support.fake
module_sandbox = support.module_sandbox
rest = support.rest


def rows(fake: FakeCli, *flags: str) -> list[dict[str, Any]]:
    ran = fake.run("message", "list", "--page_size", "100", *flags)
    assert ran.code == 0, ran.out
    assert ran.json["meta"]["total"] == len(ran.json["data"])
    data: list[dict[str, Any]] = ran.json["data"]
    return data


def test_deal_is_every_thread_the_creator_wrote_last(fake: FakeCli) -> None:
    everything = rows(fake)
    deal = rows(fake, "--status", "deal")
    assert deal
    assert {r["thread_id"] for r in deal} == {r["thread_id"] for r in everything
                                              if r["last_message_direction"] == "inbound"}


def test_unread_until_opened_and_again_after_a_new_reply(fake: FakeCli, rest: httpx.Client) -> None:
    unread = rows(fake, "--status", "unread")
    assert unread and all(r["last_message_direction"] == "inbound" for r in unread)
    target = unread[0]["thread_id"]
    assert fake.run("message", "get", target).code == 0
    assert target not in {r["thread_id"] for r in rows(fake, "--status", "unread")}
    assert target in {r["thread_id"] for r in rows(fake, "--status", "deal")}, "deal is not the same as unread"
    root = str(rest.base_url).removesuffix("/v1/")
    reply = rest.post(f"{root}/_sandbox/threads/{target}/inbound", json={"body_text": "One more question"})
    assert reply.status_code < 300, reply.text
    assert target in {r["thread_id"] for r in rows(fake, "--status", "unread")}


def test_draft_and_scheduled_views_within_a_task(fake: FakeCli) -> None:
    task = ["--business_kind", "email_task", "--business_id", "et_0002"]
    in_task = rows(fake, *task)
    target = next(r["thread_id"] for r in in_task if not r["has_draft"] and not r["scheduled_at"])
    draft = fake.body_file("d.json", {"body": "Draft for later"})
    assert fake.run("message", "draft", "save", target, "--body-file", draft, "--force").code == 0
    drafts = rows(fake, "--status", "draft", *task)
    assert target in {r["thread_id"] for r in drafts}
    assert all(r["has_draft"] and r["business_id"] == "et_0002" for r in drafts)
    plan = fake.body_file("p.json", {"content": "Scheduled hello", "sender_auth_id": "sa_maya",
                                     "plan_send_at": "2026-12-02T10:00:00Z"})
    assert fake.run("message", "schedule", target, "--body-file", plan, "--force").code == 0
    scheduled = rows(fake, "--status", "scheduled", *task)
    assert target in {r["thread_id"] for r in scheduled}
    assert all(r["scheduled_at"] for r in scheduled)


def test_the_view_combines_with_other_filters(fake: FakeCli) -> None:
    status = rows(fake, "--coop_status", "deal")
    both = rows(fake, "--coop_status", "deal", "--status", "deal")
    expected = {r["thread_id"] for r in status if r["last_message_direction"] == "inbound"}
    assert expected and len(expected) < len(status)
    assert {r["thread_id"] for r in both} == expected
