"""A rep's day, the list (#16 item 8): a wrong or expired token is said where the list would be,
with what to do, instead of looking like an empty inbox."""

from __future__ import annotations

import pytest

from tests.tui.support import inbox, make_app, wait_for


@pytest.mark.parametrize("use_cache", [True, False], ids=["cache", "no-cache"])
async def test_a_refused_token_is_said_where_the_list_would_be(sandbox, use_cache: bool) -> None:
    app = make_app(sandbox, "an-expired-token", use_cache=use_cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1 and bool(inbox(pilot).thread_list.problem))
        listing = inbox(pilot).thread_list
        await pilot.pause()
        shown = " ".join(listing.render_line(y).text for y in range(listing.size.height)).split()
        said = " ".join(shown)
        assert "refused your token" in said and "not empty" in said and "noxtui login" in said, said
        assert listing.row_count == 0
