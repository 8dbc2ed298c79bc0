"""The tool's own list views (deal, unread) and its schema deciding which filters the rep gets."""

from __future__ import annotations

import httpx

from noxtui.providers.nox_cli.schema import FILTER_FLAGS, ListSchema
from noxtui.tui.screens.picker import PickerScreen
from tests.cli_support import FakeCli, make_cli_app
from tests.sandbox_support import auth
from tests.tui.support import inbox, list_loaded, wait_for


def _server_count(sandbox, token: str, **params: str) -> int:
    with httpx.Client(base_url=sandbox.base_url, headers=auth(token)) as client:
        response = client.get("/messages/threads", params={**params, "page": "1", "page_size": "1"})
        response.raise_for_status()
        return int(response.json()["meta"]["total"])


async def test_f_cycles_the_tools_deal_and_unread_views(fake_cli: FakeCli, sandbox, sandbox_token) -> None:
    app = make_cli_app(fake_cli)
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        deal = _server_count(sandbox, sandbox_token, view="deal")
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.filters.view == "deal")
        await list_loaded(pilot)
        assert screen.thread_list.row_count == deal
        assert all(row.inbound for row in screen.thread_list.rows), "deal: the creator wrote last"
        assert "deal" in screen.filters.describe()
        runs = [run["argv"] for run in fake_cli.runs() if run["argv"][:2] == ["message", "list"]]
        assert any("--status" in argv and "deal" in argv for argv in runs)

        unread = _server_count(sandbox, sandbox_token, view="unread")
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.filters.view == "unread")
        await list_loaded(pilot)
        assert screen.thread_list.row_count == unread
        await pilot.press("f")
        await wait_for(pilot, lambda: screen.filters.view == "any")


async def test_a_filter_the_installed_tool_lacks_has_no_key(fake_cli: FakeCli) -> None:
    flags = frozenset(flag for name, flag in FILTER_FLAGS.items() if name != "label") | {"--page", "--page_size"}
    app = make_cli_app(fake_cli, schema=ListSchema(flags=flags, missing=("label",)))
    async with app.run_test(size=(120, 40)) as pilot:
        await list_loaded(pilot)
        screen = inbox(pilot)
        assert screen.check_action("pick_label", ()) is False
        assert screen.check_action("pick_status", ()) is True
        await pilot.press("L")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, PickerScreen)
