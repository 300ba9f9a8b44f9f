"""A value whose ``==`` sees only its items is also checked by the text it renders itself as.

A ``list`` subclass that keeps a layout of its own (the separator it joins its items with) and
is remade by its recipe (``__reduce__``, as a parsed document's items are) compares equal to
any list of the same items: a test asserting ``row == Row([1, 2], ", ")`` passes whatever the
call did to the layout. Its class renders itself with ``as_string()``, so the test compares
that text too, and a change to the layout fails it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool
from test_filled_mappings import recorded_project

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)
from pytead._textchecks import blind_equality, text_method

CALC = """
class Row(list):
    def __init__(self, items=(), sep=","):
        super().__init__(items)
        self.sep = sep

    def add(self, item, gap=" "):
        self.append(item)
        self.sep = "," + gap

    def as_string(self):
        return "[" + self.sep.join(str(item) for item in self) + "]"

    def __reduce__(self):
        return type(self), (list(self), self.sep)
"""

MAIN = """
import calc

row = calc.Row([1])
row.add(2)
print(row.as_string())
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_project(tmp_path, monkeypatch, (CALC, MAIN), "calc.Row.add")


def _passes(project: Path) -> bool:
    run = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    return run.returncode == 0


def test_the_layout_an_items_only_equality_misses_is_checked_by_its_text(project: Path) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert 'row.as_string() == "[1, 2]"' in text, text
    assert _passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace('self.sep = "," + gap', 'self.sep = ","'))
    assert not _passes(project)


class _Plain(list[int]):
    def as_string(self, *, pretty: bool = False) -> str:
        return str(list(self))


class _Own(list[int]):
    def __eq__(self, other: object) -> bool:
        return list.__eq__(self, other) and type(other) is type(self)

    __hash__ = None  # type: ignore[assignment]

    def to_string(self) -> str:
        return str(list(self))


class _Needy(list[int]):
    def as_string(self, indent: int) -> str:
        return " " * indent


def test_only_an_items_only_equality_with_a_text_method_of_its_own_gets_the_check() -> None:
    assert blind_equality(_Plain) and text_method(_Plain) == "as_string"
    assert not blind_equality(_Own)  # its own == sees what it wants
    assert text_method(_Needy) is None  # a method that needs an argument is not a rendering
    assert text_method(list) is None
