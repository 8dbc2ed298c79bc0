"""A private copy of the tree to mutate, and which modules must be re-imported for a mutant.

Mutants are never written into the checkout: other people run tests in it at the same time. The
copy (``/tmp/mut-XXXX``) holds ``noxtui/``, ``tests/``, ``tools/`` and ``pyproject.toml``, without
bytecode, and is removed when the run ends.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

_COPIED_DIRS = ("noxtui", "tests", "tools")
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")


def copy_tree(repo: Path) -> Path:
    """A fresh copy of the parts of ``repo`` the tests need; the caller removes it."""
    root = Path(tempfile.mkdtemp(prefix="mut-"))
    for name in _COPIED_DIRS:
        shutil.copytree(repo / name, root / name, ignore=_IGNORED)
    shutil.copy2(repo / "pyproject.toml", root / "pyproject.toml")
    # Installed, the themes folder is the package noxtui.themes (pyproject's package-dir).
    if (repo / "themes").is_dir() and not (root / "noxtui" / "themes").exists():
        shutil.copytree(repo / "themes", root / "noxtui" / "themes", ignore=_IGNORED)
    return root


def module_name(root: Path, path: Path) -> str:
    """``noxtui/storage/cache/store.py`` → ``noxtui.storage.cache.store``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.Module, name: str, is_package: bool) -> set[str]:
    """Every module ``name`` imports, anywhere in its body (lazy imports inside functions too)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            # ``from package import module`` imports the submodule too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def dependents(root: Path, target: str, packages: Iterable[str] = ("noxtui", "tests")) -> set[str]:
    """``target`` and every module of ``packages`` that imports it, directly or through others.

    These are the modules a mutant's test run must import afresh; everything else may stay loaded
    from before the fork, which is what makes one mutant cost a test run rather than a start-up.
    """
    imported_by: dict[str, set[str]] = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            name = module_name(root, path)
            tree = ast.parse(path.read_bytes(), filename=str(path))
            for imported in _imports(tree, name, path.name == "__init__.py"):
                imported_by.setdefault(imported, set()).add(name)
    result = {target}
    pending = [target]
    while pending:
        for importer in imported_by.get(pending.pop(), ()):
            if importer not in result:
                result.add(importer)
                pending.append(importer)
    return result
