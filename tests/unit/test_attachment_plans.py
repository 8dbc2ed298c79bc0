"""Draft-file plans and the path picker's completion: the vendor's limits refused locally, with the
reason; the plan names the file, its size and type and the thread. No network."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from noxtui.domain.attachments import LocalFile, refusal
from noxtui.domain.errors import PlanError
from noxtui.domain.models import Attachment, Composer, Creator, Thread
from noxtui.providers.nox_rest import attachment_plans
from noxtui.services.files import complete_path, local_file


def thread(*files: str) -> Thread:
    return Thread(
        thread_id="th_1",
        creator=Creator(creator_id="cr_1", name="Mia Chen", platform="youtube"),
        last_message_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        last_message_direction="inbound",
        needs_reply=True,
        composer=Composer(attachment_ids=list(files)),
    )


PDF = LocalFile(path="/home/rep/rates.pdf", filename="rates.pdf", size=12_800, content_type="application/pdf")


def test_an_upload_plan_names_the_file_its_size_type_and_thread() -> None:
    plan = attachment_plans.upload(thread(), PDF)
    assert (plan.kind, plan.method, plan.path) == ("attachment_upload", "POST", "/messages/threads/th_1/attachments")
    assert plan.summary == "Attach rates.pdf (12.5 KB, application/pdf) to the draft for Mia Chen (YouTube)"
    assert plan.thread_id == "th_1"


@pytest.mark.parametrize(
    ("file", "on_draft", "reason"),
    [
        (LocalFile("/x/setup.EXE", "setup.EXE", 10, "application/octet-stream"), 0, "executables and scripts"),
        (LocalFile("/x/big.mov", "big.mov", 10 * 1024 * 1024 + 1, "video/quicktime"), 0, "at most 10 MB"),
        (PDF, 2, "remove one first"),
    ],
)
def test_what_the_vendor_refuses_is_refused_before_any_upload(file: LocalFile, on_draft: int, reason: str) -> None:
    with pytest.raises(PlanError, match=reason):
        attachment_plans.upload(thread(*[f"att_{i}" for i in range(on_draft)]), file)
    assert refusal(file.filename, file.size, on_draft) is not None


def test_only_a_file_on_the_draft_can_be_removed() -> None:
    kit = Attachment(attachment_id="att_000001", filename="kit.pdf", size=2048)
    plan = attachment_plans.delete(thread("att_000001"), kit)
    assert plan.path == "/messages/threads/th_1/attachments/att_000001" and plan.method == "DELETE"
    assert plan.summary.startswith("Remove kit.pdf (2.0 KB")
    with pytest.raises(PlanError, match="not on this thread's draft"):
        attachment_plans.delete(thread(), kit)


def test_the_path_prompt_completes_and_reads_the_file(tmp_path: Path) -> None:
    (tmp_path / "rates-2026.pdf").write_bytes(b"%PDF")
    (tmp_path / "reports").mkdir()
    assert complete_path(str(tmp_path / "ra")) == str(tmp_path / "rates-2026.pdf")
    assert complete_path(str(tmp_path / "rep")) == str(tmp_path / "reports") + "/"
    assert complete_path(str(tmp_path / "r")) == str(tmp_path / "r")
    assert complete_path(str(tmp_path / "zz")) is None
    found = local_file(str(tmp_path / "rates-2026.pdf"))
    assert (found.filename, found.size, found.content_type) == ("rates-2026.pdf", 4, "application/pdf")
    with pytest.raises(PlanError, match="not a regular file"):
        local_file(str(tmp_path / "reports"))
    with pytest.raises(PlanError, match="no file"):
        local_file(str(tmp_path / "missing.pdf"))
