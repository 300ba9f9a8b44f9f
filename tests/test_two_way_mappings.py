"""A ``dict`` subclass whose ``__setitem__`` needs its own attributes is rebuilt all the same.

A two-way mapping writes each item to its inverse too (``self.inv[value] = key``), so filling
a bare instance item by item, before its state gives it ``inv``, fails. Its recorded items and
state are then set as they were, through ``dict`` itself: the case becomes a test instead of
being left out (``cannot rebuild``), and a change to the function it is given to fails it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool
from test_filled_mappings import recorded_project

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)

CALC = """
class TwoWay(dict):
    def __init__(self, pairs=()):
        super().__init__()
        self.inv = {}
        for key, value in pairs:
            self[key] = value

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        self.inv[value] = key


def owner(mapping, value):
    return mapping.inv[value]
"""

MAIN = """
import calc

print(calc.owner(calc.TwoWay([("a", 1), ("b", 2)]), 2))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_project(tmp_path, monkeypatch, (CALC, MAIN), "calc.owner")


def _passes(project: Path) -> bool:
    run = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    return run.returncode == 0


def test_a_two_way_mapping_argument_becomes_a_test(project: Path) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert "Left out" not in text, text
    assert '== "b"' in text, text
    assert _passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace("return mapping.inv[value]", "return None"))
    assert not _passes(project)
