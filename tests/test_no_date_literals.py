"""No date is written as a literal in the product's code: every date a value holds from
comes from data (extractor/data/*.json, the documents, the dataset). Docstrings and
comments may quote dates as examples; strings and calls the code runs may not."""

from __future__ import annotations

import ast
import re

from .conftest import ROOT

ISO = re.compile(r"(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?:-\d{2})?(?!\d)")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each date literal in ``source``: an ISO date in a string the code
    uses, or a call date(YYYY, …) / datetime(YYYY, …) with a year written out."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            found += [(node.lineno, m.group(0)) for m in ISO.finditer(node.value)]
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("date", "datetime") and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, int) and 1900 <= node.args[0].value <= 2200:
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_scan_finds_what_it_looks_for():
    code = 'from datetime import date\nA = "2024-04-01"\nB = date(2024, 6, 1)\ndef f():\n    """2024-04-01 in a docstring"""\n    return "令和6年"  # 2024-06\n'
    assert literals(code) == [(2, "2024-04-01"), (3, "date(2024, 6, 1)")]


def test_no_date_literal_in_the_code():
    found = []
    for path in sorted((ROOT / "extractor").rglob("*.py")):
        found += [f"{path.relative_to(ROOT)}:{line}: {text}" for line, text in literals(path.read_text("utf-8"))]
    assert not found, "dates belong in data files (extractor/data/revisions.json …), not code:\n" + "\n".join(found)
