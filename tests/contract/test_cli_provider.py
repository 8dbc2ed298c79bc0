"""The CLI provider against the fake vendor tool and the sandbox: reads, filters, writes, failures.

Every test runs real processes (the project's fake ``noxinfluencer``) against a loopback sandbox.
"""

from __future__ import annotations

import pytest

from noxtui.domain.errors import (
    AuthError,
    CapabilityError,
    ConflictError,
    InsufficientCreditError,
    NotFoundError,
    NoxError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_cli import discovery
from noxtui.providers.nox_cli.process import ToolTimeout
from noxtui.providers.nox_cli.schema import documented
from noxtui.providers.nox_rest.client import NoxClient
from tests.cli_support import FakeCli, cli_provider
from tests.tui.support import server_threads


async def test_list_get_and_catalogues_read_like_the_rest_provider(fake_cli: FakeCli, sandbox, sandbox_token) -> None:
    provider = cli_provider(fake_cli)
    page = await provider.list_threads(ThreadQuery(), page=1, page_size=20)
    truth = await server_threads(sandbox, sandbox_token, ThreadQuery())
    assert page.total == len(truth) and [t.thread_id for t in page.threads] == [t.thread_id for t in truth[:20]]
    thread = await provider.get_thread(page.threads[0].thread_id)
    assert thread.messages and thread.composer is not None
    assert await provider.labels() and await provider.coop_statuses() and await provider.senders()
    status = await provider.auth_status()
    assert status.authenticated and status.user is not None


async def test_row_filters_without_a_cache_match_the_server(fake_cli: FakeCli, sandbox, sandbox_token) -> None:
    """needs_reply / direction / keyword are no tool flags: the provider filters every row it read."""
    provider = cli_provider(fake_cli)
    query = ThreadQuery(needs_reply=True, last_message_direction="inbound")
    truth = await server_threads(sandbox, sandbox_token, query)
    page = await provider.list_threads(query, page=1, page_size=100)
    assert page.total == len(truth)
    assert {t.thread_id for t in page.threads} == {t.thread_id for t in truth}
    assert not any("needs_reply" in " ".join(run["argv"]) for run in fake_cli.runs())


async def test_a_filter_the_installed_tool_lacks_is_refused_not_ignored(fake_cli: FakeCli) -> None:
    provider = cli_provider(fake_cli)
    provider.schema = documented().__class__(flags=frozenset({"--page", "--page_size"}))
    with pytest.raises(CapabilityError, match="cannot filter by label"):
        await provider.list_threads(ThreadQuery(label_id="lb_vip"), page=1, page_size=10)
    assert not [run for run in fake_cli.runs() if run["argv"][:2] == ["message", "list"]]


async def test_the_schema_is_read_from_the_tool_and_kept_per_version(fake_cli: FakeCli, tmp_path) -> None:
    info = discovery.probe(fake_cli.tool, tmp_path)
    assert info.schema.source == "tool" and info.schema.max_page_size == 100 and not info.schema.missing
    again = discovery.probe(fake_cli.tool, tmp_path)
    assert again.schema.source == "cache"
    schema_runs = [run for run in fake_cli.runs() if run["argv"][:1] == ["schema"]]
    assert len(schema_runs) == 1


def test_a_missing_tool_says_how_to_install_it(tmp_path) -> None:
    with pytest.raises(discovery.ToolProblem, match="npm install -g @noxinfluencer/cli"):
        discovery.probe([str(tmp_path / "nowhere" / "noxinfluencer")], None)
    with pytest.raises(discovery.ToolProblem, match="not on PATH"):
        discovery.probe(None, None)


def test_a_tool_older_than_0_5_8_is_refused_with_the_update_command(
    fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOXTUI_FAKE_NOX_VERSION", "0.5.7")
    with pytest.raises(discovery.ToolProblem, match=r"0\.5\.7.*0\.5\.8 or newer.*npm install"):
        discovery.probe(fake_cli.tool, None)


def test_a_tool_that_is_not_logged_in_says_how_to_log_in(fake_cli: FakeCli) -> None:
    import subprocess

    subprocess.run([*fake_cli.tool, "auth", "logout"], check=True, capture_output=True)
    with pytest.raises(discovery.ToolProblem, match="noxtui login --provider cli"):
        discovery.probe(fake_cli.tool, None)


async def test_non_json_output_is_a_clear_error_quoting_its_first_line(
    fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = cli_provider(fake_cli)
    monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT", "garbage")
    with pytest.raises(NoxError) as caught:
        await provider.list_threads(ThreadQuery(), page=1, page_size=10)
    assert "TypeError: Cannot read properties of undefined" in caught.value.what
    assert "Traceback" not in caught.value.message


async def test_a_hung_tool_is_stopped_after_the_timeout_and_the_rep_told(
    fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = cli_provider(fake_cli, timeout=1.5)
    monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT", "hang")
    with pytest.raises(ToolTimeout, match="did not answer within 1.5 s"):
        await provider.list_threads(ThreadQuery(), page=1, page_size=10)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (1, ServerError),
        (2, ValidationError),
        (3, AuthError),
        (4, NotFoundError),
        (5, ConflictError),
        (6, RateLimitedError),
        (7, ServerError),
        (8, InsufficientCreditError),
    ],
)
async def test_each_exit_code_is_its_typed_error(
    code: int, error: type[Exception], fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = cli_provider(fake_cli)
    monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT", f"exit:{code}")
    with pytest.raises(error) as caught:
        await provider.coop_statuses()
    runs = [run for run in fake_cli.runs() if run["argv"][:2] == ["message", "coop-statuses"]]
    retryable = code in (6, 7)
    assert len(runs) == (1 + provider.runner.max_retries if retryable else 1), "only retryable codes are retried"
    assert "Injected fault" in caught.value.what


async def test_a_retried_write_reuses_its_key_and_lands_once(
    fake_cli: FakeCli, monkeypatch: pytest.MonkeyPatch, sandbox, sandbox_token
) -> None:
    provider = cli_provider(fake_cli)
    page = await provider.list_threads(ThreadQuery(), page=1, page_size=5)
    thread = await provider.get_thread(page.threads[0].thread_id)
    sender = (await provider.senders())[0].sender_auth_id
    plan = provider.plan_send(thread, "Thanks, confirmed for Tuesday.", sender)
    monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT", "once:exit:7")
    monkeypatch.setenv("NOXTUI_FAKE_NOX_FAULT_ON", "send --force")
    result = await provider.execute(plan)
    assert "Thanks, confirmed for Tuesday." in str(result.data)
    sends = [run for run in fake_cli.forced() if run["argv"][:2] == ["message", "send"]]
    assert len(sends) == 2 and {run["idempotency_key"] for run in sends} == {plan.idempotency_key}
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        after = await client.get_thread(thread.thread_id)
    assert after.message_count == thread.message_count + 1
    assert [m.body_text for m in after.messages].count("Thanks, confirmed for Tuesday.") == 1


async def test_dry_run_shows_the_command_and_body_and_writes_nothing(fake_cli: FakeCli, sandbox, sandbox_token) -> None:
    provider = cli_provider(fake_cli)
    page = await provider.list_threads(ThreadQuery(), page=1, page_size=5)
    thread = await provider.get_thread(page.threads[0].thread_id)
    labels = await provider.labels()
    plan = provider.plan_labels(thread, [labels[0].label_id], labels)
    dry = await provider.dry_run(plan)
    assert dry.ok and "message labels set" in dry.command and "--force" not in dry.command
    assert dry.body_file is not None and labels[0].label_id in dry.body_file
    assert not fake_cli.forced()
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        unchanged = await client.get_thread(thread.thread_id)
    assert [lb.label_id for lb in unchanged.labels] == [lb.label_id for lb in thread.labels]


async def test_every_other_write_runs_through_the_tool(fake_cli: FakeCli, sandbox, sandbox_token) -> None:
    """Template save, CRM update and the draft's files: the writes the triage flow does not press."""
    provider = cli_provider(fake_cli)
    saved = await provider.execute(provider.plan_template_save("Rates follow-up", "en", "Hi {{creator_name}}!"))
    assert saved.data["name"] == "Rates follow-up"
    assert any(t.name == "Rates follow-up" for t in await provider.templates())

    page = await provider.list_threads(ThreadQuery(), page=1, page_size=5)
    thread = await provider.get_thread(page.threads[0].thread_id)
    channel = await provider.crm_channel(thread.creator.creator_id)
    await provider.execute(provider.plan_crm_update(channel, notes="Prefers email on Mondays."))
    assert (await provider.crm_channel(thread.creator.creator_id)).notes == "Prefers email on Mondays."

    uploaded = await provider.upload_attachment(thread.thread_id, "brief.pdf", b"%PDF-1.4 brief", "application/pdf")
    assert uploaded.filename == "brief.pdf" and uploaded.size == len(b"%PDF-1.4 brief")
    assert uploaded.attachment_id in {a.attachment_id for a in await provider.attachments(thread.thread_id)}
    await provider.delete_attachment(thread.thread_id, uploaded.attachment_id)
    assert uploaded.attachment_id not in {a.attachment_id for a in await provider.attachments(thread.thread_id)}
    assert all(run["idempotency_key"] for run in fake_cli.forced())


def test_an_unreadable_schema_falls_back_to_the_documented_filters_and_says_so(
    fake_cli: FakeCli, tmp_path
) -> None:
    import shlex

    from noxtui.domain.target import Target
    from noxtui.tui.bootstrap import build_cli_provider

    wrapper = tmp_path / "noxinfluencer"
    wrapper.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "schema" ]; then echo "schema: command not found"; exit 1; fi\n'
        f'exec {shlex.join(fake_cli.tool)} "$@"\n'
    )
    wrapper.chmod(0o700)
    said: list[str] = []
    provider = build_cli_provider(Target("cli", "cli:x", "", True, "t", cli_path=str(wrapper)), warn=said.append)
    assert provider.capabilities.max_page_size == 100 and not provider.capabilities.missing_filters
    assert said and "documented list filters" in said[0] and "schema: command not found" in said[0]
