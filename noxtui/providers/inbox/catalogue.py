"""The team's catalogues: tags, pipeline statuses, members and account links (each its own GET).

Each read is one operation of the document, answered with a bare array: ``GET /tags``,
``GET /statuses``, ``GET /members``, ``GET /account-links``. The provider needs some of them to map
a thread at all — tag *ids* are named from ``/tags``, our own messages are recognised by account
link id and named from ``/members`` — so ``directory()`` keeps the last answer of each. That lookup
is forgiving on purpose: a token that may not list members must still show its threads (with ids
instead of names; a failed catalogue counts as empty until ``forget``); the explicit reads
(``tags()``, ``members()``…) raise like any other read.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from noxtui.domain.errors import NoxError, ProtocolError
from noxtui.providers.inbox import routes
from noxtui.providers.inbox.http import InboxHttp
from noxtui.providers.inbox.mapping import Directory, label_of, pipeline_status
from noxtui.providers.inbox.wire import InboxAccountLink, InboxMember, InboxStatus, InboxTag, InboxTeam

M = TypeVar("M", bound=BaseModel)
logger = logging.getLogger("noxtui.providers.inbox")


def parse(model: type[M], data: Any, what: str) -> M:
    """``data`` as ``model``, or a ``ProtocolError`` naming what was unreadable."""
    try:
        return model.model_validate(data)
    except PydanticValidationError:
        raise ProtocolError(f"Inbox's {what} is missing fields noxtui needs") from None


def parse_list(model: type[M], data: Any, what: str) -> list[M]:
    """A bare JSON array of ``model`` (the document's list operations answer with one)."""
    if not isinstance(data, list):
        raise ProtocolError(f"Inbox's {what} is not a list")
    return [parse(model, item, what) for item in data]


class InboxCatalogue:
    """Reads the catalogues and remembers them for mapping (``directory``)."""

    def __init__(self, http: InboxHttp) -> None:
        self.http = http
        self._tags: list[InboxTag] | None = None
        self._members: list[InboxMember] | None = None
        self._links: list[InboxAccountLink] | None = None
        self._statuses: list[InboxStatus] | None = None
        self._lock = asyncio.Lock()

    async def tags(self) -> list[InboxTag]:
        self._tags = parse_list(InboxTag, await self.http.get_json(routes.TAGS), "tag list")
        return self._tags

    async def statuses(self) -> list[InboxStatus]:
        self._statuses = parse_list(InboxStatus, await self.http.get_json(routes.STATUSES), "status list")
        return self._statuses

    async def members(self) -> list[InboxMember]:
        self._members = parse_list(InboxMember, await self.http.get_json(routes.MEMBERS), "member list")
        return self._members

    async def account_links(self) -> list[InboxAccountLink]:
        self._links = parse_list(InboxAccountLink, await self.http.get_json(routes.ACCOUNT_LINKS), "account links")
        return self._links

    async def team(self) -> InboxTeam:
        return parse(InboxTeam, await self.http.get_object(routes.TEAM, what="team"), "team")

    async def directory(self) -> Directory:
        """What mapping needs, each catalogue fetched once; one that fails is taken as empty until ``forget``."""
        async with self._lock:
            wanted = {
                "_tags": self.tags,
                "_members": self.members,
                "_links": self.account_links,
                "_statuses": self.statuses,
            }
            missing = {name: fetch for name, fetch in wanted.items() if getattr(self, name) is None}
            if missing:
                outcomes = await asyncio.gather(*(fetch() for fetch in missing.values()), return_exceptions=True)
                for name, outcome in zip(missing, outcomes, strict=True):
                    if isinstance(outcome, NoxError):
                        logger.info("%s could not be read for mapping: %s", name.strip("_"), outcome.what)
                        setattr(self, name, [])
                    elif isinstance(outcome, BaseException):
                        raise outcome
        return self.snapshot()

    def snapshot(self) -> Directory:
        names: dict[str, str] = {}
        for member in self._members or []:
            if member.name or member.email:
                names[member.user_id or member.id] = member.name or member.email
        links = self._links or []
        for link in links:
            if link.name or link.username:
                names[link.id] = link.name or f"@{link.username}"
        return Directory(
            accounts={link.id: link for link in links},
            tags={tag.id: label_of(tag) for tag in self._tags or []},
            account_links=frozenset(link.id for link in links),
            names=names,
            statuses={
                status.id: pipeline_status(order, status.id, status.name)
                for order, status in enumerate(self._statuses or [])
            },
        )

    def forget(self) -> None:
        """Drop what is remembered (after a tag was created elsewhere, say): read again on next use."""
        self._tags = self._members = self._links = None
        self._statuses = None


__all__ = ["InboxCatalogue", "parse", "parse_list"]
