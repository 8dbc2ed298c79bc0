"""A line at a time, or a page at a time over SSH (``domain/scrolling.py``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noxtui.domain.scrolling import pages, scroll_sentence, top_for

SSH = {"SSH_CONNECTION": "10.0.0.2 52814 10.0.0.1 22"}


@pytest.mark.parametrize(
    ("setting", "environ", "expected"),
    [
        ("auto", {}, False),
        ("auto", SSH, True),
        ("auto", {"SSH_TTY": "/dev/pts/3"}, True),
        ("auto", {"SSH_CONNECTION": ""}, False),
        (None, SSH, True),
        ("line", SSH, False),
        ("page", {}, True),
    ],
)
def test_the_mode_follows_the_setting_and_the_session(setting: str | None, environ: dict, expected: bool) -> None:
    assert pages(setting, environ) is expected


def test_by_line_the_list_moves_just_enough() -> None:
    assert top_for(40, 0, 40, paging=False) == 1
    assert top_for(9, 10, 40, paging=False) == 9
    assert top_for(25, 10, 40, paging=False) == 10


def test_by_page_one_past_the_bottom_shows_the_next_screenful_from_its_first_line() -> None:
    assert top_for(40, 0, 40, paging=True) == 40
    assert top_for(39, 40, 40, paging=True) == 0
    assert top_for(120, 40, 40, paging=True) == 120
    assert top_for(2, 5, 10, paging=True) == 0  # never above the first row


@given(cursor=st.integers(0, 10_000), top=st.integers(0, 10_000), height=st.integers(1, 200), paging=st.booleans())
def test_the_cursor_is_always_on_screen(cursor: int, top: int, height: int, paging: bool) -> None:
    new = top_for(cursor, top, height, paging=paging)
    assert new >= 0 and new <= cursor < new + height
    if top <= cursor < top + height:
        assert new == top, "a cursor on screen never moves the list"
    elif paging:
        assert (new - top) % height == 0 or new == 0, "pages move by whole screenfuls"


def test_doctor_says_which_mode_and_how_to_change_it() -> None:
    assert "a page at a time" in scroll_sentence("auto", SSH) and 'scroll = "line"' in scroll_sentence("auto", SSH)
    assert "a line at a time" in scroll_sentence("auto", {}) and "over SSH" in scroll_sentence("auto", {})
    assert "even in this SSH session" in scroll_sentence("line", SSH)
    assert scroll_sentence("page", {}).startswith("The list scrolls a page at a time")
