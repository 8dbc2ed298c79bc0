"""The thread list paints the screenful below and above between frames (bench figure 3).

A page key then finds its lines already painted; what it shows must still be what the rows say
after a write changed one of them, a mark, or a resize.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.app import App, ComposeResult

import noxtui.tui.widgets.thread_list as thread_list_module
from noxtui.domain.rows import ThreadRow
from noxtui.tui.widgets.thread_list import ThreadList

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def row(number: int, name: str | None = None) -> ThreadRow:
    return ThreadRow(
        thread_id=f"t{number}",
        creator_name=name or f"Creator {number}",
        platform="YT",
        snippet=f"snippet {number}",
        needs_reply=number % 3 == 0,
        inbound=number % 2 == 0,
        labels="",
        coop_name="",
        coop_code="",
        last_ts=NOW.timestamp() - 600,
        has_draft=False,
        scheduled=False,
        business_kind="",
        business_id="",
    )


class ListOnly(App[None]):
    def compose(self) -> ComposeResult:
        yield ThreadList(clock=lambda: NOW)

    def on_mount(self) -> None:
        listing = self.query_one(ThreadList)
        listing.set_rows([row(number) for number in range(500)])
        listing.focus()


async def to_the_bottom_edge(pilot) -> ThreadList:  # type: ignore[no-untyped-def]
    """The first page-down only takes the cursor to the bottom line; from there each one scrolls."""
    await pilot.pause()
    await pilot.press("pagedown")
    await pilot.pause()
    return pilot.app.query_one(ThreadList)  # type: ignore[no-any-return]


def shown(listing: ThreadList) -> list[str]:
    return [listing.render_line(y).text for y in range(listing.size.height)]


@pytest.fixture
def painted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Thread ids in the order the list painted them."""
    seen: list[str] = []
    real = thread_list_module.paint_row

    def counting(thread: ThreadRow, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(thread.thread_id)
        return real(thread, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(thread_list_module, "paint_row", counting)
    return seen


async def test_the_next_page_is_painted_before_page_down(painted: list[str]) -> None:
    app = ListOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await to_the_bottom_edge(pilot)
        height = listing.size.height
        before = set(painted)
        await pilot.press("pagedown")
        await pilot.pause()
        top = int(listing.scroll_offset.y)
        assert top >= height - 2, "the page-down scrolled the list"
        on_screen = {f"t{number}" for number in range(top, top + height)} - {f"t{listing.cursor}"}
        assert on_screen <= before, "page-down painted lines it could have painted ahead"
        assert f"Creator {top} " in shown(listing)[0]


async def test_a_row_changed_after_it_was_painted_ahead_shows_its_new_text() -> None:
    app = ListOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await to_the_bottom_edge(pilot)
        below = listing.size.height + 2
        listing.replace_row(row(below, name="Renamed Creator"))
        await pilot.press("pagedown")
        await pilot.pause()
        assert any("Renamed Creator" in line for line in shown(listing))
        assert not any(f"Creator {below} " in line for line in shown(listing))


async def test_a_mark_and_a_resize_after_painting_ahead_are_shown() -> None:
    app = ListOnly()
    async with app.run_test(size=(80, 24)) as pilot:
        listing = await to_the_bottom_edge(pilot)
        listing.move_to("t30")  # below the screen: the list scrolls there
        await pilot.press("space")  # marks t30 (the cursor goes on to t31)
        await pilot.pause()
        listing.set_flags(fresh={"t31"}, unsent=set())
        listing.move_to("t0")
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        lines = shown(listing)
        assert any(line.startswith("*") and "Creator 30 " in line for line in lines)
        assert any(line[1] == "N" and "Creator 31 " in line for line in lines)
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert all(len(line) == listing.scrollable_content_region.width for line in shown(listing))
