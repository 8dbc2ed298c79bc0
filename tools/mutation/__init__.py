"""Mutation testing for noxtui's core modules: ``python -m tools.mutation MODULE``.

Each mutant is one small deliberate bug (an operator swapped, a constant nudged, a statement
deleted, a SQL ``AND`` turned into ``OR``). A mutant the module's own fast tests fail on is
*killed*; one they pass on *survived*, which means a rep could meet that bug and no test would
notice. See ``docs/mutation.md``.
"""
