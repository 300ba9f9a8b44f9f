"""A function a call sets as an attribute is checked by its names, not compared with ``==``.

A method that freezes its instance by setting a closure in place of a method (``self.push =
refuse``) leaves an attribute holding a function that no name imports. A test cannot compare
it with a function of its own (``==`` is identity for functions, so it would fail on every
run, and the case was left out); it checks that the attribute is callable and its
``__qualname__`` and ``__module__``, so a change that no longer sets it fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool
from test_filled_mappings import recorded_project

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)

CALC = """
class Stack:
    def __init__(self):
        self.items = []

    def freeze(self):
        def refuse(*args):
            raise TypeError("frozen")

        self.push = refuse
        return len(self.items)
"""

MAIN = """
import calc

stack = calc.Stack()
print(stack.freeze())
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_project(tmp_path, monkeypatch, (CALC, MAIN), "calc.Stack.freeze")


def _passes(project: Path) -> bool:
    run = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    return run.returncode == 0


def test_a_closure_set_as_an_attribute_is_checked_by_its_names(project: Path) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert "    assert callable(stack.push)\n" in text, text
    assert 'stack.push.__qualname__ == "Stack.freeze.<locals>.refuse"' in text, text
    assert "Left out" not in text
    assert _passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace("self.push = refuse", "self.push = print"))
    assert not _passes(project)
