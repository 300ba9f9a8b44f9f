"""A result no test can compare whole is checked by the names it still shows.

A function that hands back a generator (or an iterator over a list) made by another function
records it as ``!opaque``: its items were not seen. Its test cannot compare it with a value, but
it checks its class and the function that made it, so a change that returns an iterator of
another kind, or nothing, fails the test. A list of items that point back to what holds them
can be shown neither as code nor in a snapshot: its test checks the class of each item.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import recorded_calc, run_pytead, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)
from pytead._codec import Tagged
from pytead._opaquechecks import opaque_checks, opaque_result

CALC = """
def _count(n):
    i = 0
    while i < n:
        yield i
        i += 1


def counter(n):
    if n == 0:
        return iter([])
    return _count(n)
"""

MAIN = """
import calc

print(list(calc.counter(3)), list(calc.counter(0)))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_calc(tmp_path, monkeypatch, CALC, MAIN)


def _generated(project: Path) -> str:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    return (project / "tests" / "test_pytead_generated.py").read_text()


def _passes(project: Path) -> bool:
    run = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    return run.returncode == 0


def test_a_returned_generator_is_checked_by_its_class_and_its_function(project: Path) -> None:
    text = _generated(project)
    assert '    assert type(result).__qualname__ == "generator"\n' in text, text
    assert '    assert result.__qualname__ == "_count"\n' in text, text
    assert '    assert type(result).__qualname__ == "list_iterator"\n' in text, text
    assert "Left out" not in text
    assert _passes(project)


@pytest.mark.parametrize(
    "change",
    [("if n == 0:", "if n != 0:"), ("return _count(n)", "return None")],
    ids=["other-kind", "nothing"],
)
def test_returning_another_kind_of_iterator_fails_the_test(
    project: Path, change: tuple[str, str]
) -> None:
    _generated(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace(*change))
    assert not _passes(project)


def test_names_that_are_not_python_names_are_not_written() -> None:
    node = Tagged("opaque", {"type": "os.system('x')", "repr": "<generator object g at 0x1>"})
    assert opaque_result(node) is None
    assert opaque_checks("result", node) == []
    odd = Tagged("opaque", {"type": "builtins.generator", "repr": "<generator object a;b at 0x1>"})
    assert opaque_result(odd) == ("builtins", "generator", "")


TREE = """
class Token:
    def __init__(self, text):
        self.text = text
        self.parent = None


class Group:
    def __init__(self, tokens):
        self.tokens = tokens
        for token in tokens:
            token.parent = self


def words(text):
    group = Group([Token(part) for part in text.split()])
    return [token for token in group.tokens if token.text != ","]
"""

TREE_MAIN = """
import calc

print(len(calc.words("a , b")))
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_calc(tmp_path, monkeypatch, TREE, TREE_MAIN)


def test_items_that_refer_to_themselves_are_checked_by_their_number_and_kinds(
    tree: Path,
) -> None:
    text = _generated(tree)
    assert "    result = words(" in text, text
    assert '[type(item).__qualname__ for item in result] == ["Token", "Token"]' in text, text
    assert _passes(tree)
    calc = tree / "calc.py"
    calc.write_text(calc.read_text().replace('token.text != ","', 'token.text == ","'))
    assert not _passes(tree)
