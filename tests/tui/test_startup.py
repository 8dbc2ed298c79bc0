"""The two-step start (``noxtui.startup``): cached rows first, the inbox when ``prepare`` is done.

``prepare`` is held on a gate here, so each test sees the start-up screen for as long as it likes
and decides when the slow half finishes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from noxtui.paths import Paths
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.providers.nox_rest.provider import NoxProvider
from noxtui.startup import LaunchError, Prepared, Startup, pause_gc, resume_gc
from noxtui.storage.cache import CacheScope, SyncEngine, ThreadCache
from noxtui.storage.settings import Settings
from noxtui.tui.app import NoxTUI
from noxtui.tui.screens.boot import BootScreen
from noxtui.tui.screens.inbox import InboxScreen
from noxtui.tui.widgets.thread_list import ThreadList
from tests.sandbox_support import SANDBOX_NOW
from tests.tui.support import plain, wait_for

LABEL = "test"


@pytest.fixture
async def cached_rows(sandbox, sandbox_token: str) -> AsyncIterator[list]:
    """The app's cache filled for this account by one sync, as a rep's would be from yesterday."""
    provider = NoxProvider(NoxClient(sandbox.base_url, sandbox_token, backoff=0.01, max_retries=1))
    cache = ThreadCache(Paths.default().cache_db)
    try:
        await SyncEngine(provider, cache, CacheScope.of("nox", sandbox.base_url, LABEL)).first_sync()
        yield cache.rows(CacheScope.of("nox", sandbox.base_url, LABEL))
    finally:
        cache.close()
        await provider.aclose()


def gated_app(sandbox, token: str, gate: threading.Event, prepared: list[Prepared]) -> NoxTUI:
    def prepare() -> Prepared:
        assert gate.wait(20), "the test never opened the gate"
        made = Prepared(
            settings=Settings(),
            provider=NoxProvider(NoxClient(sandbox.base_url, token, backoff=0.01, max_retries=1)),
            base_url=sandbox.base_url,
            label=LABEL,
        )
        prepared.append(made)
        return made

    startup = Startup(Paths.default(), LABEL, prepare, provider_name="nox", base_url=sandbox.base_url)
    return NoxTUI(startup=startup, clock=lambda: SANDBOX_NOW, persist_settings=False)


def filter_line(app: NoxTUI) -> str:
    return plain(app.screen.query_one("#filter-line", Static))


async def test_the_cached_list_is_up_before_prepare_and_n_filters_it_at_once(
    sandbox, sandbox_token: str, cached_rows: list
) -> None:
    gate = threading.Event()
    prepared: list[Prepared] = []
    app = gated_app(sandbox, sandbox_token, gate, prepared)
    pause_gc()  # as the command line does
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            assert not gc.isenabled()
            listing = app.screen.query_one(ThreadList)
            assert list(listing.rows) == cached_rows[: len(listing.rows)]
            assert listing.row_count == min(len(cached_rows), 200)
            assert "loading" in plain(app.screen.query_one("#filter-count", Static))

            await pilot.press("n")  # acts at once, from the cache: the inbox is not loaded
            assert isinstance(app.screen, BootScreen) and filter_line(app).strip() == "▼ needs reply"
            needing = [row for row in cached_rows if row.needs_reply]
            assert list(listing.rows) == needing[: len(listing.rows)]
            assert app.start_keys is not None and app.start_keys.held == []

            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            await wait_for(pilot, lambda: screen.filters.needs_reply == "needs")
            assert "needs reply" in filter_line(app)  # the filter carried over, not toggled twice
            await wait_for(pilot, lambda: list(screen.thread_list.rows)[:5] == needing[:5])
            assert gc.isenabled()  # collection resumes once the inbox is up
    finally:
        gate.set()
        resume_gc()


async def test_the_start_up_list_moves_at_once_and_the_inbox_takes_over_in_place(
    sandbox, sandbox_token: str, cached_rows: list
) -> None:
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            boot_list = app.screen.query_one(ThreadList)
            await pilot.press("j", "j", "j", "k")
            assert boot_list.cursor == 2  # the list is interactive before the inbox exists
            await pilot.press("pagedown")
            moved_to = boot_list.cursor
            assert moved_to > 2
            top = boot_list.scroll_offset.y
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            await wait_for(pilot, lambda: screen.thread_list.current == cached_rows[moved_to])
            assert screen.thread_list.scroll_offset.y == top
    finally:
        gate.set()


async def test_once_a_key_is_held_later_keys_wait_too_so_the_order_typed_holds(
    sandbox, sandbox_token: str, cached_rows: list
) -> None:
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            await pilot.press("j", "space", "j")  # space (mark) needs the inbox, so the last j waits
            assert app.screen.query_one(ThreadList).cursor == 1
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            # space marks and steps down (as in mutt), then the held j: row 3.
            await wait_for(pilot, lambda: screen.thread_list.cursor == 3)
            assert [row.thread_id for row in screen.thread_list.marked_rows()] == [cached_rows[1].thread_id]
    finally:
        gate.set()


async def test_a_start_that_cannot_go_on_ends_the_app_with_the_message(sandbox, cached_rows: list) -> None:
    def prepare() -> Prepared:
        raise LaunchError("No token for profile 'test'. Run `noxtui login --profile test`.")

    startup = Startup(Paths.default(), LABEL, prepare, provider_name="nox", base_url=sandbox.base_url)
    app = NoxTUI(startup=startup, clock=lambda: SANDBOX_NOW, persist_settings=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.startup_error is not None)
    assert "noxtui login" in str(app.startup_error)
    assert app.return_code == 2
    assert app.services == []


async def test_quit_is_never_held_even_when_the_start_hangs(sandbox, sandbox_token: str, cached_rows: list) -> None:
    gate = threading.Event()
    prepared: list[Prepared] = []
    app = gated_app(sandbox, sandbox_token, gate, prepared)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            await pilot.press("ctrl+q")
            await wait_for(pilot, lambda: app.return_code is not None)
    finally:
        gate.set()
        for made in prepared:
            await made.provider.aclose()
    assert app.services == []


async def test_without_a_cache_the_start_up_screen_is_empty_and_the_inbox_follows(sandbox, sandbox_token: str) -> None:
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            assert app.screen.query_one(ThreadList).row_count == 0
            assert app.screen.has_class("-narrow")  # same breakpoint as the inbox
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen))
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            await wait_for(pilot, lambda: screen.thread_list.row_count > 0)
    finally:
        gate.set()


def test_a_first_page_is_only_read_for_the_profiles_own_scope(tmp_path: Path) -> None:
    """A demo (port unknown until its sandbox starts) or an unknown profile paints no rows."""
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "s")
    never: Callable[[], Prepared] = lambda: (_ for _ in ()).throw(AssertionError("not called"))  # noqa: E731
    app = NoxTUI(startup=Startup(paths, "demo", never), persist_settings=False)
    assert app.wiring.first_rows(Startup(paths, "demo", never), app.label) == []


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_start_up_screen_layout(
    snap_compare, sandbox, sandbox_token: str, cached_rows: list, size: tuple[int, int]
) -> None:
    """The first frame: the inbox's own layout, the cached rows, the count still loading."""
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])

    def painted() -> bool:
        return isinstance(app.screen, BootScreen) and any(lst.row_count for lst in app.screen.query(ThreadList))

    async def boot_painted(pilot: Pilot) -> None:
        await wait_for(pilot, painted)
        await pilot.wait_for_scheduled_animations()

    try:
        assert snap_compare(app, terminal_size=size, run_before=boot_painted)
    finally:
        gate.set()


async def test_direction_and_keyword_filter_the_start_up_list_and_the_inbox_keeps_them(
    sandbox, sandbox_token: str, cached_rows: list
) -> None:
    """d and / act from the cache before the inbox exists; the inbox opens on the same filter,
    keyword, cursor and open keyword box, and none of those keys is replayed on it."""
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            listing = app.screen.query_one(ThreadList)
            await pilot.press("d", "j", "slash", "a")
            assert filter_line(app).startswith("▼ inbound")
            assert listing.row_count and all(row.inbound for row in listing.rows)
            assert app.start_keys is not None and app.start_keys.held == []
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            assert screen.filters.direction == "inbound" and screen.filters.keyword == "a"
            assert screen.filter_bar.typing  # the box the rep was typing in is still open
            await pilot.press("enter")
            await wait_for(pilot, lambda: not screen.filter_bar.typing)
            assert screen.filters.direction == "inbound"  # d was not applied a second time
    finally:
        gate.set()


async def test_enter_on_the_start_up_list_says_opening_and_opens_once_the_inbox_is_up(
    sandbox, sandbox_token: str, cached_rows: list
) -> None:
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            await pilot.press("j", "enter")
            assert plain(app.screen.query_one("#boot-reading", Static)).startswith(
                f"Opening {cached_rows[1].creator_name}"
            )
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            await wait_for(pilot, lambda: screen.thread is not None)
            assert screen.thread is not None and screen.thread.thread_id == cached_rows[1].thread_id
    finally:
        gate.set()


async def test_held_keys_reach_the_inbox_in_order_even_a_keyword_typed_after_a_held_key(
    sandbox, sandbox_token: str, cached_rows: list
) -> None:
    """space needs the inbox, so it and everything after it wait; on the inbox ``/`` opens the
    box and the letters after it go into it, not to the list that had focus a moment before."""
    gate = threading.Event()
    app = gated_app(sandbox, sandbox_token, gate, [])
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, BootScreen) and bool(app.screen.query(ThreadList)))
            await pilot.press("space", "slash", "a", "b")
            assert app.start_keys is not None and [key.key for key in app.start_keys.held] == [
                "space", "slash", "a", "b",
            ]  # fmt: skip
            gate.set()
            await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen) and app.ready)
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            assert screen.filters.keyword == "ab" and screen.filter_bar.typing  # no letter lost
    finally:
        gate.set()
