"""What the terminal shows is plain text: no markdown backticks in messages, hints or help."""

from __future__ import annotations

import ast
from pathlib import Path

import robloxassets

PACKAGE = Path(robloxassets.__file__).parent
#: Text that is matched, not shown: the knowledge base marks commands with backticks, and
#: these modules read or strip them.
READERS = {"core/errorcodes/model.py", "core/errorcodes/text.py"}


def shown_strings(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module except docstrings (which use ``this``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_no_backticks_in_what_the_cli_and_core_say() -> None:
    found = []
    for path in sorted([PACKAGE / "cli.py", *(PACKAGE / "commands").glob("*.py"),
                        *(PACKAGE / "core").rglob("*.py")]):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in READERS:
            continue
        for line, text in shown_strings(path):
            if "`" in text.replace("``", ""):
                found.append(f"{relative}:{line}: {text[:60]!r}")
    assert not found, "\n".join(found)
