"""The architecture of the bundle, as the README describes it.

- The import contract of ``pyproject.toml`` (``[tool.importlinter]``):
  capabilities independent of each other, ``common`` importing none, no
  import cycle. On failure the import graph between the packages is printed.
- No repeated code across ``ckanext/`` (pylint's duplicate-code check).
- No Portuguese literal in Python outside ``i18n/`` and data files: visible
  strings are English msgids with their pt_BR translation; word lists and
  other Portuguese data live in data files.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ckanext" / "mogi"
BIN = Path(sys.executable).parent
PROPER_NOUNS = ROOT / "tests" / "data" / "portuguese_proper_nouns.txt"

#: The source tree, not the installed wheel: the contract is about the code.
SOURCE_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _run(*command: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=SOURCE_ENV, capture_output=True,
                          text=True, timeout=timeout)


def import_graph() -> str:
    """Imports between the bundle's packages, ``importer -> imported (modules)``."""
    import grimp

    sys.path.insert(0, str(ROOT))
    try:
        graph = grimp.build_graph("ckanext.mogi", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))

    def package(module: str) -> str:
        return ".".join(module.split(".")[:3])

    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if package(module) != package(imported):
                edges[package(module), package(imported)].add(f"{module} -> {imported}")
    return "\n".join(f"{a} -> {b}: " + ", ".join(sorted(via))
                     for (a, b), via in sorted(edges.items()))


def test_import_contract_holds():
    done = _run(str(BIN / "lint-imports"), "--no-cache")
    assert done.returncode == 0, (
        f"{done.stdout}\n{done.stderr}\nImport graph between packages:\n{import_graph()}")


def test_no_code_is_repeated():
    # Migrations are the one accepted repeat: each Alembic env.py is the
    # boilerplate Alembic generates for its own version table, and a
    # migration must keep working as written whatever the code does later.
    done = _run(str(BIN / "pylint"), "--disable=all", "--enable=duplicate-code",
                "--min-similarity-lines=6", "--score=n",
                "--ignore-paths=^ckanext/mogi/migration/.*$", "ckanext/mogi")
    assert done.returncode == 0, done.stdout + done.stderr


# ------------------------------------------------------------ Portuguese literals

ACCENTED = re.compile(r"[áàâãéêíóôõúüçÁÀÂÃÉÊÍÓÔÕÚÜÇ]")
FUNCTION_WORDS = re.compile(
    r"(?:^|\s)(de|da|das|dos|não|para|com|uma|pelo|pela|são|está|em|que|ao|aos|ou|"
    r"também|sem|seu|sua)(?=\s)", re.IGNORECASE)


def proper_nouns() -> list[str]:
    lines = PROPER_NOUNS.read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return sorted(names, key=len, reverse=True)


def is_portuguese(text: str, allowed: list[str]) -> bool:
    for name in allowed:
        text = text.replace(name, "")
    return bool(ACCENTED.search(text) or FUNCTION_WORDS.search(text))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                found.add(id(first.value))
    return found


def portuguese_literals(path: Path, allowed: list[str]) -> list[str]:
    """``file:line: 'literal'`` of each Portuguese string literal (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    return [f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:80]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and is_portuguese(node.value, allowed)]


def test_the_detector_tells_portuguese_from_english_and_names():
    allowed = proper_nouns()
    assert is_portuguese("Valida só este conjunto", allowed)
    assert is_portuguese("conjunto de dados validado", allowed)
    assert not is_portuguese("Validates only this dataset (may be repeated).", allowed)
    assert not is_portuguese("Tools of the Mogi das Cruzes open-data portal.", allowed)
    assert not is_portuguese("example.com/dados", allowed)


def test_no_portuguese_literal_in_python():
    allowed = proper_nouns()
    found = [line for path in sorted(PACKAGE.rglob("*.py"))
             if "i18n" not in path.relative_to(ROOT).parts
             for line in portuguese_literals(path, allowed)]
    assert not found, ("Portuguese literals (make them English msgids with a pt_BR "
                       "entry, or data files):\n" + "\n".join(found))


def test_test_files_have_distinct_names():
    """pytest imports test files by their base name (rootdir import mode, no
    __init__.py in tests/): two folders with the same file name break the
    collection of one of them, only when both land on the same worker."""
    seen: dict[str, list[str]] = defaultdict(list)
    for path in (ROOT / "tests").rglob("test_*.py"):
        seen[path.name].append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
