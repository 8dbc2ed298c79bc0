"""The vendor CLI's output read into noxtui's terms: envelopes, exit codes, the list schema, list flags.

Written against the survivors of ``python -m tools.mutation`` on ``noxtui.providers.nox_cli.errors``,
``runner`` (``decode``), ``schema`` and ``filters``: a retryable code read as final (or the other
way round), an error envelope read as success, a deprecated flag offered, a filter the tool lacks
silently dropped. Pure functions over recorded outputs; the real tool runs in
``tests/contract/test_cli_provider.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from noxtui.domain.errors import (
    AuthError,
    CapabilityError,
    ConflictError,
    InsufficientCreditError,
    NotFoundError,
    PlanError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from noxtui.domain.models import Creator, ThreadQuery, ThreadSummary
from noxtui.providers.nox_cli import errors, filters, schema
from noxtui.providers.nox_cli.process import Completed
from noxtui.providers.nox_cli.runner import decode
from noxtui.providers.nox_cli.wire import ExitCodeCatalogue, Failure

CATALOGUE = errors.Catalogue()


def completed(exit_code: int, stdout: object = b"", stderr: bytes = b"") -> Completed:
    out = stdout if isinstance(stdout, bytes) else json.dumps(stdout).encode()
    return Completed(argv=("noxinfluencer",), exit_code=exit_code, stdout=out, stderr=stderr, elapsed=0.1)


def raised(exit_code: int, stdout: object = b"", stderr: bytes = b"", catalogue: errors.Catalogue = CATALOGUE) -> Any:
    with pytest.raises(Exception) as excinfo:
        decode(completed(exit_code, stdout, stderr), "noxinfluencer message list", catalogue)
    return excinfo.value


# --- decode: the envelope of one run ----------------------------------------------------------------


def test_a_success_envelope_on_exit_0_is_the_answer() -> None:
    answer = decode(completed(0, {"success": True, "data": {"x": 1}, "summary": "ok"}), "cmd", CATALOGUE)
    assert (answer.success, answer.data, answer.summary) == (True, {"x": 1}, "ok")


def test_a_success_envelope_with_a_failing_exit_code_is_a_failure() -> None:
    error = raised(7, {"success": True, "data": {}})
    assert isinstance(error, ServerError) and error.retryable is True


def test_nothing_printed() -> None:
    error = raised(0, b"  \n")
    assert isinstance(error, ProtocolError)
    assert (error.what, error.todo) == (
        "`noxinfluencer message list` printed nothing",
        "Run `noxtui doctor` to check the tool.",
    )
    error = raised(4, b"", b"thread not found\n")
    assert isinstance(error, NotFoundError)
    assert error.what == "`noxinfluencer message list` failed (exit 4): thread not found"


def test_not_json() -> None:
    error = raised(0, b"Welcome!\nUpdate available")
    assert isinstance(error, ProtocolError)
    assert (error.what, error.todo) == (
        "`noxinfluencer message list` printed something that is not JSON: Welcome!",
        "Run `noxtui doctor`; an older or newer tool may print a different format.",
    )
    error = raised(3, b"Please log in")
    assert isinstance(error, AuthError) and error.what.endswith("(exit 3): Please log in")
    assert isinstance(raised(0, b"[" * 100_000), ProtocolError)


def test_json_that_is_not_an_envelope() -> None:
    error = raised(0, [1, 2])
    assert isinstance(error, ProtocolError)
    assert (error.what, error.todo) == (
        "`noxinfluencer message list` printed JSON that is not an envelope",
        "Run `noxtui doctor`.",
    )


def test_a_success_envelope_of_the_wrong_shape() -> None:
    error = raised(0, {"success": True, "meta": "not an object"})
    assert isinstance(error, ProtocolError)
    assert (error.what, error.todo) == (
        "`noxinfluencer message list` printed an envelope noxtui cannot read",
        "Run `noxtui doctor`.",
    )


def test_an_envelope_without_a_success_flag() -> None:
    error = raised(0, {"data": {}})
    assert isinstance(error, ProtocolError)
    assert (error.what, error.todo) == (
        "`noxinfluencer message list` printed an envelope without a success flag",
        "Run `noxtui doctor`.",
    )


def test_an_error_envelope_is_typed_by_its_code_and_keeps_the_hint() -> None:
    envelope = {
        "success": False,
        "error_code": "RATE_LIMITED",
        "summary": "  Slow down  ",
        "action": {"hint": "Wait a minute", "url": "https://example.com/limits"},
        "data": {"retry": 60},
    }
    error = raised(6, envelope)
    assert isinstance(error, RateLimitedError) and error.retryable is True
    assert (error.what, error.todo, error.hint_url, error.data) == (
        "Slow down",
        "Wait a minute",
        "https://example.com/limits",
        {"retry": 60},
    )


def test_an_error_envelope_on_exit_0_and_an_unreadable_one() -> None:
    error = raised(0, {"success": False, "error_code": "", "summary": ""})
    assert error.what == "The NoxInfluencer tool refused the request (exit 0)"
    assert error.retryable is False
    broken = raised(5, {"success": False, "summary": 42, "action": "x"})
    assert isinstance(broken, ConflictError)
    assert broken.what == "The NoxInfluencer tool refused the request (exit 5)"


# --- exit codes and the catalogue ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind", "status", "retryable"),
    [
        (2, ValidationError, 422, False),
        (3, AuthError, 401, False),
        (4, NotFoundError, 404, False),
        (5, ConflictError, 409, False),
        (6, RateLimitedError, 429, True),
        (7, ServerError, 503, True),
        (8, InsufficientCreditError, 402, False),
    ],
)
def test_each_documented_exit_code_without_an_envelope(code: int, kind: type, status: int, retryable: bool) -> None:
    error = errors.from_exit(code, b"", b"  \n said on stderr \n", "nox x", CATALOGUE)
    assert type(error) is kind and error.retryable is retryable
    assert error.what == f"`nox x` failed (exit {code}): said on stderr"
    assert error.status == status


def test_an_internal_error_envelope_on_exit_1_is_not_retried() -> None:
    error = errors.from_failure(Failure(error_code="INTERNAL", summary="crashed"), 1, CATALOGUE)
    assert isinstance(error, ServerError) and error.error_code == "INTERNAL"
    assert error.retryable is False and error.what == "crashed" and error.status == 0
    assert (CATALOGUE.status(1), CATALOGUE.retryable(1), CATALOGUE.status(0), CATALOGUE.retryable(0)) == (
        None,
        False,
        None,
        False,
    )


def test_an_unknown_or_generic_exit_code_is_a_protocol_error() -> None:
    for code in (1, 99):
        error = errors.from_exit(code, b"", b"", "nox x", CATALOGUE)
        assert isinstance(error, ProtocolError) and error.retryable is False
        assert (error.what, error.todo) == (
            f"`nox x` failed (exit {code})",
            "The tool's answer was not JSON; run `noxtui doctor` and try again.",
        )
    assert errors.from_exit(1, b"boom on stdout", b"not this", "nox x", CATALOGUE).what.endswith(": boom on stdout")


def test_the_catalogue_answers_for_codes_it_does_not_know() -> None:
    assert (CATALOGUE.status(42), CATALOGUE.retryable(42)) == (None, False)
    assert (CATALOGUE.status(6), CATALOGUE.retryable(6)) == (429, True)
    assert CATALOGUE.from_tool is False and errors.Catalogue().codes == errors.DEFAULT_CODES


def test_the_tools_catalogue_wins_and_names_give_statuses() -> None:
    wire = ExitCodeCatalogue.model_validate(
        {
            "codes": [
                {"code": 0, "name": "OK_AUTH", "retryable": False},
                {"code": 1, "name": "INTERNAL", "retryable": False},
                {"code": 6, "name": "RATE_LIMITED", "retryable": False},
                {"code": 9, "name": "UPSTREAM_TEMPORARY", "retryable": True},
                {"code": 10, "name": "Credit_Exhausted"},
                {"code": 4, "name": "MYSTERY"},
                {"code": 11, "name": "MYSTERY"},
            ]
        }
    )
    catalogue = errors.catalogue_from(wire)
    assert catalogue.from_tool is True
    assert catalogue.codes[0] == (None, False)
    assert catalogue.codes[1] == (None, False)
    assert catalogue.codes[6] == (429, False)
    assert catalogue.codes[9] == (503, True)
    assert catalogue.codes[10] == (402, False)
    assert catalogue.codes[4] == (404, False), "an unknown name keeps the code's documented status"
    assert catalogue.codes[11] == (None, False)
    assert catalogue.codes[8] == (402, False), "codes the tool does not list keep the documented meaning"
    error = errors.from_failure(Failure(error_code="", summary="busy"), 6, catalogue)
    assert isinstance(error, RateLimitedError) and error.retryable is False


def test_the_tools_catalogue_decides_retries_without_an_envelope_too() -> None:
    wire = ExitCodeCatalogue.model_validate({"codes": [{"code": 6, "name": "RATE_LIMITED", "retryable": False}]})
    error = errors.from_exit(6, b"", b"slow down", "nox x", errors.catalogue_from(wire))
    assert isinstance(error, RateLimitedError) and error.retryable is False


def test_an_envelopes_code_names_the_error_whatever_the_exit_code() -> None:
    error = errors.from_failure(Failure(error_code="NOT_FOUND", summary="gone"), 2, CATALOGUE)
    assert isinstance(error, NotFoundError) and (error.error_code, error.status) == ("NOT_FOUND", 422)
    unnamed = errors.from_failure(Failure(error_code="", summary="bad"), 2, CATALOGUE)
    assert isinstance(unnamed, ValidationError) and unnamed.error_code is None


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("INVALID_INPUT", 422),
        ("USAGE", 422),
        ("AUTH_REQUIRED", 401),
        ("NOT_FOUND", 404),
        ("NOTFOUND", 404),
        ("CONFLICT", 409),
        ("RATE", 429),
        ("UPSTREAM", 503),
        ("TEMPORARY", 503),
        ("QUOTA", 402),
        ("CREDIT", 402),
    ],
)
def test_every_name_word_maps_to_its_status(name: str, status: int) -> None:
    wire = ExitCodeCatalogue.model_validate({"codes": [{"code": 20, "name": name}]})
    assert errors.catalogue_from(wire).codes[20] == (status, False)


def test_first_line_is_the_first_visible_line_made_safe_and_cut() -> None:
    assert errors.first_line(b"\n  \n  hello  \nworld") == "hello"
    assert errors.first_line(b"") == ""
    assert errors.first_line(b"\xff\xfe bad") == "\ufffd\ufffd bad"
    assert errors.first_line(b"[red]x[/red] \x1b[31mred") == "[red]x[/red] ^[[31mred"
    long = errors.first_line(b"a" * 200)
    assert long == "a" * 119 + "…" and len(long) == 120
    assert errors.first_line(b"b" * 120) == "b" * 120
    assert errors.first_line(b"c" * 50, limit=10) == "c" * 9 + "…"


# --- the list schema --------------------------------------------------------------------------------


def flag_schema(**flags: Any) -> dict[str, Any]:
    return {"command": "message list", "flags": flags}


def test_the_tools_schema_keeps_live_flags_and_reads_page_size_and_views() -> None:
    read = schema.parse(
        flag_schema(
            **{
                "--label_id": {},
                "--coop_status": {"deprecated": True},
                "--page_size": {"type": "integer", "maximum": 50},
                "--status": {"enum": ["deal", "unread"]},
            }
        )
    )
    assert read.flags == frozenset({"--label_id", "--page_size", "--status"})
    assert (read.max_page_size, read.views, read.source, read.problem) == (50, ("deal", "unread"), "tool", None)
    assert read.missing == ("task", "task_id", "projects", "members", "coop_status")
    assert read.has("label") and read.has("view") and not read.has("coop_status")


def test_a_schema_without_limits_uses_the_documented_ones() -> None:
    read = schema.parse(flag_schema(**{"--page_size": {}, "--status": {}}), source="cache")
    assert (read.max_page_size, read.views, read.source) == (100, schema.DOCUMENTED_VIEWS, "cache")
    assert schema.parse(flag_schema(**{"--page_size": {"maximum": 0}})).max_page_size == 100
    assert schema.parse(flag_schema(**{"--page_size": {"maximum": -5}})).max_page_size == 1
    assert schema.documented().views == ("deal", "unread", "draft", "scheduled")


def test_unreadable_schemas_fall_back_to_the_documented_flags_saying_why() -> None:
    documented = frozenset({*schema.FILTER_FLAGS.values(), "--page", "--page_size"})
    for raw, problem in (
        ("nonsense", "the tool's schema for `message list` could not be parsed"),
        ({"command": "message get", "flags": {"--x": {}}}, "the tool's schema for `message list` lists no flags"),
        ({"command": "message list", "flags": {}}, "the tool's schema for `message list` lists no flags"),
    ):
        read = schema.parse(raw)
        assert (read.flags, read.problem, read.source, read.missing) == (documented, problem, "documented", ())
    assert schema.documented().problem is None


def test_the_schema_is_kept_per_tool_version(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    raw = flag_schema(**{"--label_id": {}})
    assert schema.load_cached(folder, "1.2.3") is None
    schema.store_cached(folder, "1.2.3", raw)
    assert schema.cache_file(folder, "1.2.3") == folder / "nox-cli-schema-1.2.3.json"
    kept = schema.load_cached(folder, "1.2.3")
    assert kept is not None and kept.flags == frozenset({"--label_id"}) and kept.source == "cache"
    assert schema.load_cached(folder, "1.2.4") is None
    assert schema.cache_file(folder, "../x y") == folder / "nox-cli-schema-..xy.json"
    assert schema.cache_file(folder, "/ ") == folder / "nox-cli-schema-unknown.json"
    schema.store_cached(folder, "bad", "not a schema")
    assert schema.load_cached(folder, "bad") is None
    schema.cache_file(folder, "junk").write_text("{", encoding="utf-8")
    assert schema.load_cached(folder, "junk") is None
    assert (folder.stat().st_mode & 0o777) == 0o700
    schema.store_cached(folder, "1.2.5", raw)  # the folder exists already
    assert schema.load_cached(folder, "1.2.5") is not None
    deep = tmp_path / "a" / "b"
    schema.store_cached(deep, "1.2.3", raw)  # missing parents are made
    assert schema.load_cached(deep, "1.2.3") is not None
    assert schema.load_cached(None, "1.2.3") is None
    schema.store_cached(None, "1.2.3", raw)
    blocked = tmp_path / "file"
    blocked.write_text("x")
    schema.store_cached(blocked, "1.2.3", raw)  # cannot be written: asked again next time
    assert not (tmp_path / "file" / "nox-cli-schema-1.2.3.json").exists()


# --- list flags ---------------------------------------------------------------------------------------

FULL = schema.documented()


def row(**fields: Any) -> ThreadSummary:
    base: dict[str, Any] = {
        "thread_id": "th_1",
        "creator": Creator(creator_id="cr_1", name="Mia Chen", handle="@MiaMakes", platform="youtube"),
        "subject": "Spring launch",
        "snippet": "Loved the brief",
        "last_message_at": "2025-06-01T08:00:00Z",
        "last_message_direction": "inbound",
        "needs_reply": True,
    }
    return ThreadSummary.model_validate({**base, **fields})


def test_every_tool_filter_becomes_its_flag_in_order() -> None:
    spec = filters.list_spec(
        ThreadQuery(
            creator_uids=("u_1", "u_2"), coop_status="deal", label_id="lb_1", view="unread", project_ids=("p1",)
        ),
        FULL,
    )
    assert spec.flags == (
        "--project_ids",
        "p1",
        "--creator_uids",
        "u_1,u_2",
        "--coop_status",
        "deal",
        "--label_id",
        "lb_1",
        "--status",
        "unread",
    )
    assert spec.keep is None
    task = filters.list_spec(ThreadQuery(business_kind="email_task", business_id="et_1"), FULL)
    assert task.flags == ("--business_kind", "email_task", "--business_id", "et_1")
    assert filters.list_spec(ThreadQuery(project_ids=("p1", "p2")), FULL).flags == ("--project_ids", "p1,p2")


def test_refusals_for_filters_that_cannot_be_sent() -> None:
    with pytest.raises(PlanError) as both:
        filters.list_spec(ThreadQuery(project_ids=("p1",), business_id="et_1"), FULL)
    assert (both.value.what, both.value.todo) == (
        "A project filter and an email task cannot be combined",
        "Clear one of them and try again.",
    )
    with pytest.raises(PlanError) as half:
        filters.list_spec(ThreadQuery(business_kind="email_task"), FULL)
    assert (half.value.what, half.value.todo) == (
        "An email task filter needs both its kind and its id",
        "Pick the task again.",
    )
    with pytest.raises(PlanError):
        filters.list_spec(ThreadQuery(business_id="et_1"), FULL)
    with pytest.raises(PlanError):
        filters.list_spec(ThreadQuery(label_id="lb 1"), FULL)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (ThreadQuery(business_kind="email task", business_id="et_1"), "task kind"),
        (ThreadQuery(business_kind="email_task", business_id="et 1"), "task id"),
        (ThreadQuery(project_ids=("p1", "p 2")), "project id"),
        (ThreadQuery(creator_uids=("u/1",)), "team member id"),
        (ThreadQuery(coop_status="deal!"), "coop status"),
        (ThreadQuery(label_id="lb 1"), "label id"),
    ],
)
def test_an_id_that_did_not_come_from_the_server_is_refused_by_name(query: ThreadQuery, field: str) -> None:
    with pytest.raises(PlanError) as excinfo:
        filters.list_spec(query, FULL)
    assert excinfo.value.fields == {field: "invalid characters"}
    assert excinfo.value.what.startswith(f"The {field} ")


@pytest.mark.parametrize(
    ("query", "flag", "what"),
    [
        (ThreadQuery(label_id="lb_1"), "--label_id", "label"),
        (ThreadQuery(coop_status="deal"), "--coop_status", "coop status"),
        (ThreadQuery(project_ids=("p1",)), "--project_ids", "project"),
        (ThreadQuery(creator_uids=("u1",)), "--creator_uids", "team member"),
        (ThreadQuery(business_kind="email_task", business_id="e"), "--business_kind", "email task"),
        (ThreadQuery(business_kind="email_task", business_id="e"), "--business_id", "email task"),
        (ThreadQuery(view="deal"), "--status", "view"),
    ],
)
def test_a_filter_the_tool_lacks_is_refused_never_dropped(query: ThreadQuery, flag: str, what: str) -> None:
    lacking = schema.ListSchema(flags=FULL.flags - {flag})
    with pytest.raises(CapabilityError) as excinfo:
        filters.list_spec(query, lacking)
    assert (excinfo.value.what, excinfo.value.todo) == (
        f"The installed noxinfluencer tool cannot filter by {what}",
        "Clear that filter, or update the tool (`noxtui doctor` lists what it lacks).",
    )


def test_a_view_the_tool_does_not_offer_is_refused() -> None:
    with pytest.raises(CapabilityError) as excinfo:
        filters.list_spec(ThreadQuery(view="scheduled"), schema.ListSchema(flags=FULL.flags, views=("deal",)))
    assert (excinfo.value.what, excinfo.value.todo) == (
        "The installed noxinfluencer tool has no 'scheduled' view",
        "Clear the view.",
    )


def test_row_filters_stay_on_the_client() -> None:
    spec = filters.list_spec(
        ThreadQuery(needs_reply=True, last_message_direction="inbound", keyword=" MIAMAKES "), FULL
    )
    assert spec.flags == () and spec.keep is not None
    assert spec.keep(row())
    assert not spec.keep(row(needs_reply=False))
    assert not spec.keep(row(last_message_direction="outbound"))
    assert not spec.keep(row(creator=Creator(creator_id="c", name="Bo", platform="x")))
    keep = filters.list_spec(ThreadQuery(keyword="brief"), FULL).keep
    assert keep is not None and keep(row(needs_reply=False, last_message_direction="outbound"))
    assert not keep(row(snippet="other"))
    keep = filters.list_spec(ThreadQuery(keyword="spring"), FULL).keep
    assert keep is not None and keep(row()) and not keep(row(subject=""))
    keep = filters.list_spec(ThreadQuery(keyword="mia chen"), FULL).keep
    assert keep is not None and keep(row())
    assert filters.list_spec(ThreadQuery(needs_reply=False), FULL).keep(row(needs_reply=False))  # type: ignore[misc]
    keep = filters.list_spec(ThreadQuery(last_message_direction="outbound"), FULL).keep
    assert keep is not None and keep(row(last_message_direction="outbound")) and not keep(row())
    assert filters.list_spec(ThreadQuery(keyword="  "), FULL).keep is None
    # The separator keeps a keyword from matching across two fields.
    assert not filters.list_spec(ThreadQuery(keyword="chen@miamakes"), FULL).keep(row())  # type: ignore[misc]


def test_the_server_part_drops_only_the_row_filters() -> None:
    query = ThreadQuery(needs_reply=True, last_message_direction="inbound", keyword="x", label_id="lb_1", view="deal")
    assert filters.server_part(query) == ThreadQuery(label_id="lb_1", view="deal")
