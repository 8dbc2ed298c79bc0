"""Saved views: the rep's filter as the config file stores it, and back.

Kept out of ``domain.filters`` so the filter itself stays free of the settings model (pydantic,
the config file's shape).
"""

from __future__ import annotations

from noxtui.domain.filters import Choice, FilterState
from noxtui.storage.settings import SavedChoice, SavedView


def _saved(choice: Choice | None) -> SavedChoice | None:
    return SavedChoice(value=choice.value, name=choice.name) if choice else None


def _choice(saved: SavedChoice | None) -> Choice | None:
    return Choice(saved.value, saved.name) if saved else None


def to_saved_view(state: FilterState) -> SavedView:
    """The filter as the config file stores it."""
    return SavedView(
        needs_reply=state.needs_reply,
        direction=state.direction,
        label=_saved(state.label),
        coop_status=_saved(state.coop_status),
        project=_saved(state.project),
        member=_saved(state.member),
        keyword=state.keyword,
        business_kind=state.business_kind,
        business_id=state.business_id,
    )


def from_saved_view(view: SavedView) -> FilterState:
    return FilterState(
        needs_reply=view.needs_reply,
        direction=view.direction,
        label=_choice(view.label),
        coop_status=_choice(view.coop_status),
        project=_choice(view.project),
        member=_choice(view.member),
        keyword=view.keyword,
        business_kind=view.business_kind,
        business_id=view.business_id,
    )
