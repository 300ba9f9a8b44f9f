"""An item method with optional parameters after its key and value is still written
``obj[key] = value``.

A cache's ``__setitem__(self, key, value, cache_setitem=Cache.__setitem__)`` takes its last
parameter only to reach its base class quickly; the item syntax leaves it out, and so can the
set-up of a test that fills the cache item by item.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)

CALC = """
from collections.abc import MutableMapping


class Base(MutableMapping):
    def __init__(self, maxsize):
        self._data = {}
        self._maxsize = maxsize

    def __getitem__(self, key):
        return self._data[key]

    def __setitem__(self, key, value):
        self._data[key] = value

    def __delitem__(self, key):
        del self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


class Recent(Base):
    def __init__(self, maxsize):
        super().__init__(maxsize)
        self._order = []

    def __setitem__(self, key, value, base_setitem=Base.__setitem__):
        base_setitem(self, key, value)
        if key in self._order:
            self._order.remove(key)
        self._order.append(key)

    def oldest(self):
        return self._order[0]
"""

MAIN = """
import calc

cache = calc.Recent(maxsize=3)
cache["a"] = 1
cache["b"] = 2
print(cache.oldest())
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for root in calc_project(tmp_path, monkeypatch, CALC):
        (root / "main.py").write_text(MAIN)
        assert run_pytead("run", "calc.Recent.oldest", "--", "main.py", cwd=root).returncode == 0
        yield root


def test_a_setitem_with_an_optional_parameter_fills_the_mapping(project: Path) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    setup = '    recent = Recent(maxsize=3)\n    recent["a"] = 1\n    recent["b"] = 2\n'
    assert setup + '    assert recent.oldest() == "a"\n' in text
    assert "pytead" not in text.split("\n", 3)[-1]
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode == 0
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace("self._order.append(key)", "self._order[:0] = [key]"))
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode != 0
