"""Modules stay small enough to read in one sitting; functions short enough to follow.

STYLE.md: split a module before ~500 lines; a function over ~80 lines is doing several
things. Migrations are generated, so they are left out.
"""

import ast
from pathlib import Path

from tests.source_tree import APPS, ROOT

MODULE_MAX_LINES = 500
FUNCTION_MAX_LINES = 80


def _sources() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def long_functions(source: str) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            length = (node.end_lineno or node.lineno) - start + 1
            if length > FUNCTION_MAX_LINES:
                found.append((node.name, length))
    return found


def test_no_module_is_over_500_lines() -> None:
    sources = _sources()
    assert len(sources) > 80
    long = {
        str(path.relative_to(ROOT)): n
        for path in sources
        if (n := len(path.read_text().splitlines())) > MODULE_MAX_LINES
    }
    assert not long, f"split these modules: {long}"


def test_no_function_is_over_80_lines() -> None:
    long = {
        f"{path.relative_to(ROOT)}:{name}": n
        for path in _sources()
        for name, n in long_functions(path.read_text())
    }
    assert not long, f"split these functions: {long}"


def test_long_functions_counts_decorators_and_nested_functions() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_MAX_LINES))
    source = f"@decorated\ndef long():\n{body}\n\ndef short():\n    pass\n"
    assert long_functions(source) == [("long", FUNCTION_MAX_LINES + 2)]
    nested = f"class A:\n    def method(self):\n{body.replace('    ', '        ')}\n"
    assert long_functions(nested) == [("method", FUNCTION_MAX_LINES + 1)]
