"""Local data that fails: the app starts anyway, says what is wrong, and loses no text.

A damaged drafts file, a full disk or a read-only data folder stopped the app at start or, worse,
silently: a full disk crashed it on autosave with the text typed since the last save, and a
read-only folder turned local drafts off without a word. Each case here runs the real app against
the sandbox. A full disk is the write path raising ``ENOSPC`` (``drafts.write`` for a save,
``ensure_private_file`` for the store's creation), and in one case a real file-size limit on the
real command; a read-only folder is the OS refusing to create the file (``EROFS``: the tests run as
root, which no permission bit stops).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from noxtui.paths import Paths
from noxtui.sandbox import SandboxServer
from noxtui.storage import drafts as drafts_module
from noxtui.storage.drafts import LocalDrafts
from noxtui.storage.settings import Settings, save_settings
from noxtui.tui.app import NoxTUI
from tests.reliability.support import make_tui, tmp_paths
from tests.reliability.terminal import run_in_terminal, screen_columns, toast_text
from tests.tui.support import inbox, list_loaded, plain, record_notifications, thread_opened, wait_for

pytestmark = pytest.mark.reliability

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
EROFS = OSError(errno.EROFS, os.strerror(errno.EROFS))


def drafts_file(paths: Paths) -> Path:
    return paths.data_dir / "drafts.sqlite3"


def composer_text(app: NoxTUI) -> str:
    return app.screen.query_one("#draft", TextArea).text


def composer_warning(app: NoxTUI) -> str:
    line = app.screen.query_one("#composer-local", Static)
    return plain(line).strip() if line.display else ""


async def open_and_type(pilot: Pilot, text: str) -> str:
    """Open the first thread, type ``text`` after its draft; returns the thread id."""
    await list_loaded(pilot)
    await pilot.press("enter")
    await thread_opened(pilot)
    thread = inbox(pilot).thread
    assert thread is not None
    await pilot.press("e", *text)
    return thread.thread_id


def stored_bodies(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT body FROM local_drafts")]


# --- a damaged drafts file --------------------------------------------------------------------------


async def test_a_damaged_drafts_file_is_moved_aside_and_the_app_starts(
    shared_sandbox: SandboxServer, tmp_path: Path
) -> None:
    paths = tmp_paths(tmp_path)
    damaged = drafts_file(paths)
    damaged.parent.mkdir(parents=True)
    garbage = b"this is not a database\x00" * 400
    damaged.write_bytes(garbage)

    app = make_tui(shared_sandbox, paths, timeout=5.0)
    notes = record_notifications(app)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: any("damaged" in n.message for n in notes))
        await open_and_type(pilot, " kept")
        await wait_for(pilot, lambda: any(" kept" in body for body in stored_bodies(damaged)))
    told = next(n for n in notes if "damaged" in n.message)
    aside = [p for p in damaged.parent.iterdir() if p.name.startswith("drafts.sqlite3.damaged-")]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage, "the damaged file is kept, byte for byte"
    assert str(aside[0]) in told.message and "not deleted" in told.message


def test_what_a_damaged_drafts_file_still_holds_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    first = LocalDrafts(path, "scope")
    first.save("t1", "an unsent reply", "")
    first.close()
    conn = sqlite3.connect(path)  # readable rows, but the file fails its integrity check
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 3000,)] * 40)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'filler'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:  # scribble over the filler table's root page
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)

    store = LocalDrafts(path, "scope")
    loaded = store.load("t1")
    assert loaded is not None and loaded.body == "an unsent reply"
    assert store.notice is not None and "1 unsent draft(s) were recovered" in store.notice
    assert store.problem is None
    store.close()


# --- a full disk ------------------------------------------------------------------------------------


async def test_a_full_disk_at_start_leaves_the_app_up_and_says_so(
    shared_sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path) -> None:
        raise ENOSPC

    monkeypatch.setattr(drafts_module, "ensure_private_file", disk_full)
    app = make_tui(shared_sandbox, tmp_paths(tmp_path), timeout=5.0)
    notes = record_notifications(app)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: any("Local drafts are off" in n.message for n in notes))
        thread_id = await open_and_type(pilot, " still here")
        assert "the disk is full" in composer_warning(app)
        # Text kept in memory: leave the thread and come back, it is still there.
        await pilot.press("escape", "escape", "j", "enter")
        await wait_for(pilot, lambda: inbox(pilot).thread is not None and inbox(pilot).thread.thread_id != thread_id)
        await pilot.press("k", "enter")
        await thread_opened(pilot, thread_id)
        await wait_for(pilot, lambda: composer_text(app).endswith(" still here"))
    told = next(n for n in notes if "Local drafts are off" in n.message)
    assert "the disk is full" in told.message and "ctrl+s" in told.message


async def test_a_full_disk_on_autosave_keeps_the_text_says_why_and_retries(
    shared_sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = tmp_paths(tmp_path)
    app = make_tui(shared_sandbox, paths, timeout=5.0)
    notes = record_notifications(app)
    real_write = drafts_module.write

    def disk_full(conn: sqlite3.Connection, sql: str, params: tuple[str, ...]) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    async with app.run_test(size=(160, 45)) as pilot:
        thread_id = await open_and_type(pilot, " first")
        await wait_for(pilot, lambda: any(body.endswith(" first") for body in stored_bodies(drafts_file(paths))))
        monkeypatch.setattr(drafts_module, "write", disk_full)
        await pilot.press(*" second")
        await wait_for(pilot, lambda: any(n.title == "Local saving" for n in notes))
        assert app.is_running
        failed = next(n for n in notes if n.title == "Local saving")
        assert "Local saving failed: the disk is full" in failed.message and "ctrl+s" in failed.message
        assert "Local saving failed" in composer_warning(app)
        assert composer_text(app).endswith(" first second"), "nothing typed is lost"
        unsent = app.service.unsent(thread_id)
        assert unsent is not None and unsent.body.endswith(" first second"), "the unsent text is in memory"

        monkeypatch.setattr(drafts_module, "write", real_write)  # space again: the next pause saves it
        await pilot.press(*" third")
        await wait_for(pilot, lambda: any(body.endswith(" second third") for body in stored_bodies(drafts_file(paths))))
        await wait_for(pilot, lambda: composer_warning(app) == "")
    assert any("works again" in n.message for n in notes)


# --- a read-only data folder -------------------------------------------------------------------------


async def test_a_read_only_data_folder_offers_earlier_text_and_says_drafts_are_off(
    shared_sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = tmp_paths(tmp_path)
    app = make_tui(shared_sandbox, paths, timeout=5.0)
    async with app.run_test(size=(160, 45)) as pilot:  # an earlier session left unsent text on disk
        thread_id = await open_and_type(pilot, " from yesterday")
        await wait_for(pilot, lambda: any(b.endswith(" from yesterday") for b in stored_bodies(drafts_file(paths))))

    def read_only(path: Path) -> None:
        raise EROFS

    monkeypatch.setattr(drafts_module, "ensure_private_file", read_only)
    app = make_tui(shared_sandbox, paths, timeout=5.0)
    notes = record_notifications(app)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: any("Local drafts are off" in n.message for n in notes))
        await list_loaded(pilot)
        await pilot.press("enter")
        await thread_opened(pilot, thread_id)
        await wait_for(pilot, lambda: composer_text(app).endswith(" from yesterday"))
        assert "read-only" in composer_warning(app)
    told = next(n for n in notes if "Local drafts are off" in n.message)
    assert str(paths.data_dir) in told.message and "read-only" in told.message


# --- a real full disk, the real command ------------------------------------------------------------------


def test_the_command_starts_on_a_disk_that_takes_no_more_bytes(sandbox_home: tuple[Path, SandboxServer]) -> None:
    """``prlimit --fsize``: every file write fails (cache, drafts, log); the app still starts and quits."""
    home, _ = sandbox_home
    screen, code = run_in_terminal(home, "tok_SECRET_1234567890", file_size_limit=0, keys_after=("Local saving", "q"))
    assert code == 0, screen[-3000:]
    assert "Traceback" not in screen and "Logging error" not in screen
    told = toast_text(screen_columns(screen), "Local drafts are off")
    assert told.startswith("Local drafts are off") and "disk I/O error" in told, told
    assert told.endswith("saves it as a server draft."), told


@pytest.fixture
def sandbox_home(shared_sandbox: SandboxServer, tmp_path: Path) -> tuple[Path, SandboxServer]:
    home = tmp_path / "home"
    paths = Paths(home / "config", home / "data", home / "cache", home / "state")
    from noxtui.storage.settings import Profile

    save_settings(Settings(profiles={"default": Profile(base_url=shared_sandbox.base_url)}), paths)
    return home, shared_sandbox


# --- folders under umask 000 ----------------------------------------------------------------------------


def test_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "noxtui-home"
    script = (
        "import os\n"
        "os.umask(0)\n"
        "from noxtui.paths import Paths\n"
        "from noxtui.logging_setup import configure_logging\n"
        "from noxtui.storage.settings import Settings, save_settings\n"
        "from noxtui.storage.drafts import LocalDrafts\n"
        "paths = Paths.default()\n"
        "configure_logging(paths)\n"
        "save_settings(Settings(), paths)\n"
        "LocalDrafts(paths.data_dir / 'drafts.sqlite3', 's').close()\n"
    )
    env = {**os.environ, "NOXTUI_HOME": str(home)}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    folders = [home, *(p for p in home.rglob("*") if p.is_dir())]
    assert {p.name for p in folders} >= {"noxtui-home", "config", "data", "state"}
    loose = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in folders if stat.S_IMODE(p.stat().st_mode) != 0o700}
    assert not loose, f"folders others can open: {loose}"
    files = [p for p in home.rglob("*") if p.is_file()]
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in files), files
