"""Numbered pages as NoxInfluencer serves them: the bounds a request must respect, and a page of items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from noxtui.domain.errors import PlanError

MAX_PAGE_SIZE = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paged catalogue (labels) with the server's total."""

    items: list[T]
    page: int
    page_size: int
    total: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def check_paging(page: int, page_size: int) -> None:
    """Refuse a page the contract does not serve, before anything is sent."""
    if page < 1:
        raise PlanError(f"Page {page} does not exist", "Pages start at 1.", fields={"page": "must be ≥ 1"})
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise PlanError(
            f"A page of {page_size} items is not allowed",
            f"Use a page size between 1 and {MAX_PAGE_SIZE}.",
            fields={"page_size": f"1–{MAX_PAGE_SIZE}"},
        )


__all__ = ["MAX_PAGE_SIZE", "Page", "check_paging"]
