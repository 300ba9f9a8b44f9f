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
from test_filled_mappings import assert_filled_and_caught, recorded_project

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
    yield from recorded_project(tmp_path, monkeypatch, (CALC, MAIN), "calc.Recent.oldest")


def test_a_setitem_with_an_optional_parameter_fills_the_mapping(project: Path) -> None:
    setup = '    recent = Recent(maxsize=3)\n    recent["a"] = 1\n    recent["b"] = 2\n'
    expected = setup + '    assert recent.oldest() == "a"\n'
    assert_filled_and_caught(
        project, expected, ("self._order.append(key)", "self._order[:0] = [key]")
    )
