"""Every mutant of one module, found by walking its syntax tree.

A mutant is one edit of the original text: the span of one node (located by the parser's byte
offsets) replaced by new text. Editing the text rather than re-printing the whole tree keeps every
other line, comment and line number exactly as written, so a survivor's ``file:line`` points at
the code a reader knows.

What is mutated, and what deliberately is not:

* operators: ``and``/``or``; ``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``in``/``not in``,
  ``is``/``is not``; ``+``/``-``, ``*``/``/``, ``//`` → ``*`` (also in ``+=``-style assignments);
  ``not x`` → ``x``;
* constants: numbers ±1, ``True``/``False`` swapped, strings emptied; a string that reads as SQL
  gets keyword swaps instead (``AND``/``OR``, ``>``/``>=``, ``<``/``<=``, ``=``/``!=`` after
  ``WHERE``, ``ASC``/``DESC``, ``IS NULL``/``IS NOT NULL``, ``IN``/``NOT IN``);
* statements: deleted (replaced by ``pass``); ``return value`` → ``return None``.

Never mutated: docstrings, type annotations, decorators, ``if TYPE_CHECKING:`` blocks,
``__all__``, imports, ``def``/``class`` themselves, the insides of f-strings, and calls to a
logger (``log.debug(...)``): changing them cannot change what a rep sees, and each would only add
an equivalent mutant to explain.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
}
_DELETABLE = (
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Raise,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.Delete,
    ast.Assert,
    ast.Continue,
    ast.Break,
)
_SKIPPED_FIELDS = frozenset({"annotation", "returns", "decorator_list", "type_comment", "type_params"})
_LOGGER_NAMES = frozenset({"log", "logger", "_log", "_logger", "LOG", "LOGGER"})

_SQL_HINT = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|WHERE|PRAGMA|JOIN|ORDER BY)\b|\w+\s*(=|<|>|<=|>=|!=|\bIN\b|\bLIKE\b)\s*[?(]"
)
# (pattern, replacement, label): each occurrence of a pattern is its own mutant.
_SQL_SWAPS: tuple[tuple[str, str, str], ...] = (
    (r"\bAND\b", "OR", "AND → OR"),
    (r"\bOR\b(?!\s+(REPLACE|IGNORE|ABORT|ROLLBACK|FAIL)\b)", "AND", "OR → AND"),
    (r">=", ">", ">= → >"),
    (r"<=", "<", "<= → <"),
    (r"(?<![<>!=])>(?!=)", ">=", "> → >="),
    (r"(?<![<>!=])<(?![=>])", "<=", "< → <="),
    (r"!=", "=", "!= → ="),
    (r"\bIS NOT NULL\b", "IS NULL", "IS NOT NULL → IS NULL"),
    (r"\bIS NULL\b", "IS NOT NULL", "IS NULL → IS NOT NULL"),
    (r"\bNOT IN\b", "IN", "NOT IN → IN"),
    (r"(?<!NOT )\bIN\b(?=\s*\()", "NOT IN", "IN → NOT IN"),
    (r"\bDESC\b", "ASC", "DESC → ASC"),
    (r"\bASC\b", "DESC", "ASC → DESC"),
)
_SQL_EQUALS = re.compile(r"(?<![<>!=])=(?!=)")


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug: bytes ``start:end`` of the module replaced by ``replacement``."""

    line: int
    scope: str  # the enclosing function or class ("Store.delete"), "<module>" at top level
    description: str
    start: int
    end: int
    replacement: str

    def apply(self, original: bytes) -> str:
        """The module's text with this mutant in it."""
        return (original[: self.start] + self.replacement.encode() + original[self.end :]).decode()


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_docstring(node: ast.stmt, parent: ast.AST) -> bool:
    body = getattr(parent, "body", None) or [None]
    return (
        isinstance(parent, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and body[0] is node
        and isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_bare_string(node: ast.stmt) -> bool:
    """A string on its own line (an attribute's docstring): it does nothing at run time."""
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_logger_call(node: ast.stmt) -> bool:
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    func = node.value.func
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in _LOGGER_NAMES


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_dunder_all(node: ast.AST) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and any(
        isinstance(target, ast.Name) and target.id == "__all__" for target in targets
    )


class _Finder:
    """Walks one module and yields its mutants in source order."""

    def __init__(self, source: bytes, type_aliases: frozenset[str] = frozenset()) -> None:
        self.source = source
        self.type_aliases = type_aliases
        self._line_starts = [0]
        for index, byte in enumerate(source):
            if byte == 0x0A:
                self._line_starts.append(index + 1)

    def _is_type_alias(self, node: ast.AST) -> bool:
        return (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in self.type_aliases
        )

    def offsets(self, node: ast.AST) -> tuple[int, int]:
        start = self._line_starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = self._line_starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return start, end

    def text(self, node: ast.AST) -> str:
        start, end = self.offsets(node)
        return self.source[start:end].decode()

    def mutant(self, node: ast.AST, scope: str, description: str, replacement: str) -> Mutant:
        start, end = self.offsets(node)
        return Mutant(node.lineno, scope, description, start, end, replacement)  # type: ignore[attr-defined]

    # -- the walk ---------------------------------------------------------------------------------

    def walk(self, node: ast.AST, scope: str) -> Iterator[Mutant]:
        if isinstance(node, ast.JoinedStr | ast.Import | ast.ImportFrom) or _is_type_checking_block(node):
            return
        if _is_dunder_all(node) or self._is_type_alias(node):
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            scope = node.name if scope == "<module>" else f"{scope}.{node.name}"
        yield from self.expression_mutants(node, scope)
        for field, value in ast.iter_fields(node):
            if field in _SKIPPED_FIELDS:
                continue
            children = value if isinstance(value, list) else [value]
            for child in children:
                if not isinstance(child, ast.AST):
                    continue
                if isinstance(child, ast.stmt):
                    if _is_docstring(child, node) or _is_bare_string(child) or _is_logger_call(child):
                        continue
                    yield from self.statement_mutants(child, scope)
                if isinstance(child, ast.arguments):
                    yield from self.walk_arguments(child, scope)
                    continue
                yield from self.walk(child, scope)

    def walk_arguments(self, arguments: ast.arguments, scope: str) -> Iterator[Mutant]:
        """Defaults are mutated; the parameters' annotations are not."""
        for default in [*arguments.defaults, *[d for d in arguments.kw_defaults if d is not None]]:
            yield from self.walk(default, scope)

    def statement_mutants(self, node: ast.stmt, scope: str) -> Iterator[Mutant]:
        if _is_type_checking_block(node) or _is_dunder_all(node) or self._is_type_alias(node):
            return
        if isinstance(node, _DELETABLE) and not (isinstance(node, ast.AnnAssign) and node.value is None):
            yield self.mutant(node, scope, f"delete `{_short(self.text(node))}`", "pass")
        if isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                yield self.mutant(node, scope, f"`{_short(self.text(node))}` → `return None`", "return None")
        if isinstance(node, ast.AugAssign) and type(node.op) in _BINOP_SWAPS:
            mutated = copy.copy(node)
            mutated.op = _BINOP_SWAPS[type(node.op)]()
            yield self.mutant(
                node, scope, f"`{_short(self.text(node))}` → `{_short(ast.unparse(mutated))}`", ast.unparse(mutated)
            )

    def expression_mutants(self, node: ast.AST, scope: str) -> Iterator[Mutant]:
        if isinstance(node, ast.BoolOp):
            boolop = copy.copy(node)
            boolop.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            yield self.replaced(node, boolop, scope)
        elif isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    compare = copy.copy(node)
                    compare.ops = [*node.ops]
                    compare.ops[index] = _COMPARE_SWAPS[type(op)]()
                    yield self.replaced(node, compare, scope)
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            binop = copy.copy(node)
            binop.op = _BINOP_SWAPS[type(node.op)]()
            yield self.replaced(node, binop, scope)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield self.mutant(
                node,
                scope,
                f"`{_short(self.text(node))}` → `{_short(ast.unparse(node.operand))}`",
                f"({ast.unparse(node.operand)})",
            )
        elif isinstance(node, ast.Constant):
            yield from self.constant_mutants(node, scope)

    def replaced(self, node: ast.expr, mutated: ast.expr, scope: str) -> Mutant:
        new = ast.unparse(mutated)
        return self.mutant(node, scope, f"`{_short(self.text(node))}` → `{_short(new)}`", f"({new})")

    def constant_mutants(self, node: ast.Constant, scope: str) -> Iterator[Mutant]:
        value = node.value
        original = self.text(node)
        if isinstance(value, bool):
            yield self.mutant(node, scope, f"`{value}` → `{not value}`", f"({not value})")
        elif isinstance(value, int | float):
            for delta in (1, -1):
                new = repr(value + delta)
                yield self.mutant(node, scope, f"`{_short(original)}` → `{new}`", f"({new})")
        elif isinstance(value, str) and value:
            if _SQL_HINT.search(value):
                yield from self.sql_mutants(node, value, scope)
            else:
                yield self.mutant(node, scope, f"`{_short(original)}` → `''`", "('')")

    def sql_mutants(self, node: ast.Constant, value: str, scope: str) -> Iterator[Mutant]:
        edits: list[tuple[int, int, str, str]] = []
        for pattern, replacement, label in _SQL_SWAPS:
            for match in re.finditer(pattern, value):
                edits.append((match.start(), match.end(), replacement, label))
        where = value.upper().find("WHERE")
        if where >= 0:
            for match in _SQL_EQUALS.finditer(value, where):
                edits.append((match.start(), match.end(), "!=", "= → !="))
        for start, end, replacement, label in sorted(edits):
            new_value = value[:start] + replacement + value[end:]
            context = _short(value[max(0, start - 25) : end + 25], 60)
            yield self.mutant(node, scope, f"SQL {label} in `…{context}…`", f"({new_value!r})")


_TYPING_FORMS = frozenset({"Literal", "Union", "Optional", "Annotated", "Callable"})


def _annotation_only_aliases(tree: ast.Module) -> frozenset[str]:
    """Module-level type aliases (``X = Literal[...]``) read nowhere but in annotations.

    Such an alias is an annotation by another name: mutating it cannot change behaviour. One read
    at run time (``get_args(VendorView)``) is code, and is mutated like any other.
    """
    aliases = {
        node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Subscript)
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id in _TYPING_FORMS
    }
    return frozenset(aliases - _runtime_names(tree))


def _runtime_names(node: ast.AST) -> set[str]:
    """Names read outside annotations (the aliases' own definitions aside)."""
    found: set[str] = set()
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        found.add(node.id)
    for field, value in ast.iter_fields(node):
        if field in _SKIPPED_FIELDS:
            continue
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, ast.arguments):
                for default in [*child.defaults, *(d for d in child.kw_defaults if d is not None)]:
                    found |= _runtime_names(default)
            elif isinstance(child, ast.AST):
                found |= _runtime_names(child)
    return found


def find_mutants(source: str) -> list[Mutant]:
    """Every mutant of a module's source, in order of line."""
    tree = ast.parse(source)
    finder = _Finder(source.encode(), _annotation_only_aliases(tree))
    mutants = list(finder.walk(tree, "<module>"))
    return sorted(mutants, key=lambda mutant: (mutant.start, mutant.end, mutant.description))
