"""What the generated test modules are made of: how many need pytead at test time, memory
addresses written into them or their snapshots, and how gen-tests built their values.

A test "needs pytead" when it (or its row of a parametrized table) calls `pytead.rebuild` or
`pytead.fixture_value`: a value with no other way to be written. The share of such tests is a
figure of the field benchmark, as is the number of memory-address shapes (``0x7f3a...``,
``@ 140654066821824``) found in what gen-tests wrote: such a test fails on the next run.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

#: The helpers of pytead a generated test may call.
HELPERS = frozenset({"rebuild", "fixture_value"})
#: What a memory address looks like in a default repr or an ``id()``-based one. A bare hex
#: number counts from 9 digits, a 64-bit pointer's size: 8 are a program's own data just as
#: often (``0xDEADBEEF`` in a TOML file a test parses).
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{9,}\b|\bat 0x[0-9a-fA-F]+|@ \d{9,}\b|\bid=\d{9,}\b")
#: gen-tests' line saying which road each value took (``pytead: values: 3 literal, ...``).
_ROADS = re.compile(r"^pytead: values?(?: built)?: (?P<counts>.*)$", re.MULTILINE)
_COUNT = re.compile(r"(?P<number>\d+) (?P<road>[A-Za-z_][\w -]*)")


def inspect_generated(folder: Path) -> dict[str, Any]:
    """Modules and tests needing pytead, and address shapes, in a folder gen-tests wrote."""
    modules = sorted(folder.rglob("test_*.py"))
    needing = 0
    tests = tests_needing = 0
    for module in modules:
        text = module.read_text(encoding="utf-8")
        counted = _tests_needing_pytead(text)
        tests += counted[0]
        tests_needing += counted[1]
        needing += _imports_pytead(text)
    addresses = [
        f"{path.relative_to(folder)}: {match.group(0)}"
        for path in sorted([*modules, *folder.rglob("*.ambr")])
        for match in ADDRESS.finditer(path.read_text(encoding="utf-8"))
    ]
    return {
        "modules": len(modules),
        "modules_importing_pytead": needing,
        "tests_counted": tests,
        "tests_needing_pytead": tests_needing,
        "addresses": len(addresses),
        "address_examples": addresses[:5],
    }


def roads(report: str) -> dict[str, int]:
    """gen-tests' count of the values built by each road, from its output."""
    found = _ROADS.search(report)
    if found is None:
        return {}
    counts = {}
    for part in found["counts"].split(","):
        match = _COUNT.search(part)
        if match:
            counts[match["road"].strip()] = int(match["number"])
    return counts


def _imports_pytead(text: str) -> bool:
    return bool(re.search(r"^(from pytead import|import pytead\b)", text, re.MULTILINE))


def _tests_needing_pytead(text: str) -> tuple[int, int]:
    """(tests, tests calling pytead's helpers), a table's rows counted one test each."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return 0, 0
    tests = needing = 0
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test"):
            continue
        in_body = _calls_helper(node.body)
        rows = _parametrize_rows(node)
        if rows is None:
            tests += 1
            needing += in_body
        else:
            tests += len(rows)
            needing += sum(1 for row in rows if in_body or _calls_helper([row]))
    return tests, needing


def _parametrize_rows(function: ast.FunctionDef) -> list[ast.AST] | None:
    for decorator in function.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and ast.unparse(decorator.func).endswith("mark.parametrize")
            and len(decorator.args) >= 2
            and isinstance(decorator.args[1], ast.List | ast.Tuple)
        ):
            return list(decorator.args[1].elts)
    return None


def _calls_helper(nodes: list[Any]) -> bool:
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func).rpartition(".")[2]
                if name in HELPERS:
                    return True
    return False
