"""The keyword prompt as Inbox answers it: ``GET /threads/lookup-by-username`` (``query._lookup``).

One answer holds every thread of the prospect with that exact username (across the team's
accounts); the rest of the query is checked on its rows, and the numbered pages are cut here.
"""

from __future__ import annotations

import asyncio

from noxtui.domain.models import ThreadPage
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.catalogue import InboxCatalogue, parse_list
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.inbox.mapping import summary_of
from noxtui.providers.inbox.query import ListSpec
from noxtui.providers.inbox.wire import InboxThread


async def looked_up(
    http: InboxHttp, catalogue: InboxCatalogue, spec: ListSpec, page: int, page_size: int
) -> ThreadPage:
    assert spec.username is not None
    data, directory = await asyncio.gather(
        http.get_json(routes.THREAD_LOOKUP_BY_USERNAME, routes.lookup_params(spec.username)), catalogue.directory()
    )
    threads = parse_list(InboxThread, data, "thread lookup")
    rows = [row for row in (summary_of(t, directory) for t in threads) if spec.keep is None or spec.keep(row)]
    start = (page - 1) * page_size
    return ThreadPage(threads=rows[start : start + page_size], page=page, page_size=page_size, total=len(rows))


__all__ = ["looked_up"]
