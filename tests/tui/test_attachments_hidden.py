"""Draft files are offered only where the provider has them: NoxInfluencer yes, Inbox (X DMs) no key."""

from __future__ import annotations

from tests.tui.support import inbox, list_loaded, make_app, make_inbox_app


async def test_attach_and_remove_keys_exist_for_nox_and_are_hidden_for_inbox(sandbox, sandbox_token) -> None:
    for app, offered in ((make_app(sandbox, sandbox_token), True), (make_inbox_app(sandbox, sandbox_token), False)):
        async with app.run_test(size=(120, 40)) as pilot:
            await list_loaded(pilot)
            screen = inbox(pilot)
            assert bool(screen.check_action("attach_file", ())) is offered
            assert bool(screen.check_action("remove_file", ())) is offered
