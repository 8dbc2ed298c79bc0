"""A rep's day, finished (#16, navigation): ``/`` searches inside the reading pane when the pane has
the focus (on the list it stays the keyword filter). Enter jumps to the first match and highlights
it, ``n``/``N`` move between matches with a "2/5" counter, ``esc`` clears; "no match" is said
plainly, and the search text is matched literally (``[b]`` is not markup)."""

from __future__ import annotations

import re
from collections import Counter

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from noxtui.domain.models import ThreadQuery
from noxtui.providers.nox_rest.client import NoxClient
from noxtui.tui.widgets.pane_search import CURRENT, MATCH
from noxtui.tui.widgets.thread_detail import ThreadDetail
from tests.tui.support import inbox, list_loaded, make_app, plain, server_threads, thread_opened, wait_for


async def _longest(sandbox, token: str) -> str:
    threads = await server_threads(sandbox, token, ThreadQuery())
    return max(threads, key=lambda t: t.message_count).thread_id


def _repeated_word(text: str) -> tuple[str, int]:
    """A word of the oldest message that the whole conversation repeats most, and how often."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]{5,}", text)]
    first = set(words[: max(len(words) // 4, 1)])
    counts = Counter(w for w in words if w in first)
    word, _ = counts.most_common(1)[0]
    return word, len(re.findall(re.escape(word), text, re.IGNORECASE))


async def _open_reading(pilot, thread_id: str) -> tuple[ThreadDetail, VerticalScroll]:
    await list_loaded(pilot)
    screen = inbox(pilot)
    screen.thread_list.move_to(thread_id)
    await pilot.press("enter")
    await thread_opened(pilot, thread_id)
    detail = screen.query_one(ThreadDetail)
    scroll = detail.query_one("#detail-scroll", VerticalScroll)
    scroll.focus()
    await wait_for(pilot, lambda: scroll.max_scroll_y > 0 and scroll.scroll_y == scroll.max_scroll_y)
    return detail, scroll


def _status(detail: ThreadDetail) -> str:
    return plain(detail.query_one("#pane-search-status", Static)).strip()


def _highlighted(detail: ThreadDetail) -> list[tuple[str, str]]:
    """(matched text, "current"/"match") for every highlighted span in the messages shown."""
    group = detail.query_one("#detail-messages", Static).content
    found: list[tuple[str, str]] = []
    for part in group.renderables:  # type: ignore[union-attr]
        text = getattr(part, "renderable", part)
        if isinstance(text, Text):
            for span in text.spans:
                if span.style in (CURRENT, MATCH):
                    found.append((text.plain[span.start : span.end], "current" if span.style == CURRENT else "match"))
    return found


async def test_slash_in_the_pane_jumps_to_the_first_match_and_n_N_walk_the_rest(sandbox, sandbox_token) -> None:
    thread_id = await _longest(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        detail, scroll = await _open_reading(pilot, thread_id)
        word, total = _repeated_word(plain(detail.query_one("#detail-messages", Static)))
        assert total >= 2, (word, total)
        bottom = scroll.scroll_y
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*word.upper(), "enter")  # case-blind
        await wait_for(pilot, lambda: _status(detail).startswith(f"1/{total} "))
        assert isinstance(app.focused, VerticalScroll), "after enter the keys are the pane's again (n/N)"
        line = detail.current_line
        assert line is not None and line < bottom, "the first match is above the newest message: a real jump"
        await wait_for(pilot, lambda: scroll.scroll_y <= line < scroll.scroll_y + scroll.size.height)
        marks = _highlighted(detail)
        assert len(marks) == total and all(m.lower() == word for m, _ in marks)
        assert [kind for _, kind in marks].count("current") == 1 and marks[0][1] == "current"

        filters_before = inbox(pilot).filters
        await pilot.press("n")
        await wait_for(pilot, lambda: _status(detail).startswith(f"2/{total} "))
        assert inbox(pilot).filters == filters_before, "n moved the search, not the needs-reply filter"
        assert _highlighted(detail)[1][1] == "current"
        await pilot.press("N", "N")
        await wait_for(pilot, lambda: _status(detail).startswith(f"{total}/{total} "))

        await pilot.press("escape")
        await wait_for(pilot, lambda: detail.search_query is None)
        assert _highlighted(detail) == [] and not detail.query_one("#pane-search").display
        await pilot.press("n")  # no search now: n is the needs-reply filter again
        await wait_for(pilot, lambda: inbox(pilot).filters != filters_before)


async def test_no_match_is_said_plainly_and_the_list_keeps_its_keyword_filter(sandbox, sandbox_token) -> None:
    thread_id = await _longest(sandbox, sandbox_token)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(80, 24)) as pilot:
        detail, _ = await _open_reading(pilot, thread_id)
        await pilot.press("slash", *"zqxjvw", "enter")
        await wait_for(pilot, lambda: detail.search_query == "zqxjvw")
        assert _status(detail).startswith("No match for “zqxjvw” in this thread")
        await pilot.press("escape")
        await wait_for(pilot, lambda: detail.search_query is None)
        inbox(pilot).thread_list.focus()
        await pilot.pause()
        await pilot.press("slash")  # the list has the focus: the keyword filter
        await wait_for(pilot, lambda: inbox(pilot).filter_bar.typing)
        assert detail.search_query is None and not detail.query_one("#pane-search").display


async def test_the_search_text_is_matched_literally_never_as_markup(sandbox, sandbox_token) -> None:
    thread_id = await _longest(sandbox, sandbox_token)
    async with NoxClient(sandbox.base_url, sandbox_token) as client:
        sender = (await client.senders())[0].sender_auth_id
        await client.send(thread_id, "Bring the [b] sample, not the [B] one. [/b] ends nothing.", sender)
    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        detail, _ = await _open_reading(pilot, thread_id)
        await pilot.press("slash", *"[b]", "enter")
        await wait_for(pilot, lambda: detail.search_query == "[b]")
        assert _status(detail).startswith("1/2 “[b]”"), _status(detail)
        assert [m for m, _ in _highlighted(detail)] == ["[b]", "[B]"]
        shown = plain(detail.query_one("#detail-messages", Static))
        assert "Bring the [b] sample, not the [B] one. [/b] ends nothing." in shown


async def test_help_lists_the_reading_panes_search_keys(sandbox, sandbox_token) -> None:
    from noxtui.tui.screens.help import HelpScreen

    app = make_app(sandbox, sandbox_token)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = plain(app.screen.query_one("#help-table", Static))
        for words in ("Search this thread", "reading.search", "Next match", "Previous match"):
            assert words in table, words
