"""Which fast tests are each core module's own: the map ``python -m tools.mutation`` runs from.

Keep every selection small and quick (a mutant runs it once, one mutant at a time): unit tests and
direct cache tests, no sandbox, no TUI. ``conftest`` is False when the tests need no fixture of a
``conftest.py``, so pytest skips loading them (the root one imports the whole app and the sandbox).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    module: str
    tests: tuple[str, ...]
    conftest: bool = False
    scopes: tuple[str, ...] = ()  # only mutants inside these functions ("decode"); empty: the whole module

    @property
    def path(self) -> str:
        return self.module.replace(".", "/") + ".py"


_NOX_PLANS = ("tests/unit/test_plans.py", "tests/unit/test_mutation_nox_plans.py")
_RULES = ("tests/unit/test_mutation_plan_rules.py",)
_CACHE = ("tests/cache/test_mut_store.py",)

TARGETS: tuple[Target, ...] = (
    # The plan builders and the rules every plan obeys.
    Target("noxtui.providers.nox_rest.plans", _NOX_PLANS),
    Target("noxtui.providers.nox_rest.composer_plans", _NOX_PLANS),
    Target("noxtui.providers.inbox.plans", ("tests/unit/test_mutation_inbox_plans.py",)),
    Target("noxtui.domain.plan_rules", _RULES),
    Target("noxtui.domain.schedule", _RULES),
    # Filters and saved views.
    Target("noxtui.domain.filters", ("tests/unit/test_filters_and_text.py", "tests/unit/test_mutation_filters.py")),
    Target("noxtui.storage.views", ("tests/unit/test_mutation_filters.py",)),
    # The offline cache.
    Target("noxtui.storage.cache.store", _CACHE),
    Target("noxtui.storage.cache.query", ("tests/cache/test_mut_query.py",)),
    Target("noxtui.storage.cache.sync", ("tests/cache/test_mut_sync.py",)),
    Target("noxtui.storage.cache.list_tables", _CACHE),
    Target("noxtui.storage.cache.opened", _CACHE),
    Target("noxtui.storage.cache.integrity", _CACHE),
    Target("noxtui.storage.cache.sync_state", _CACHE),
    Target("noxtui.storage.cache.filtering", ("tests/cache/test_mut_query.py", "tests/cache/test_mut_store.py")),
    # The vendor CLI's output mapping.
    Target("noxtui.providers.nox_cli.errors", ("tests/unit/test_mutation_cli_output.py",)),
    Target("noxtui.providers.nox_cli.runner", ("tests/unit/test_mutation_cli_output.py",), scopes=("decode",)),
    Target("noxtui.providers.nox_cli.schema", ("tests/unit/test_mutation_cli_output.py",)),
    Target("noxtui.providers.nox_cli.filters", ("tests/unit/test_mutation_cli_output.py",)),
    # Inbox's wire mapping.
    Target(
        "noxtui.providers.inbox.mapping",
        ("tests/unit/test_inbox_errors_and_mapping.py", "tests/unit/test_mutation_inbox_mapping.py"),
    ),
)


def find(name: str) -> Target:
    """A target by dotted name or path (``noxtui/storage/cache/store.py``)."""
    dotted = name.removesuffix(".py").replace("/", ".")
    for target in TARGETS:
        if target.module == dotted:
            return target
    return Target(dotted, ())
