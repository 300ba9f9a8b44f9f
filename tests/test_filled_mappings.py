"""A mapping the program filled where pytead did not look is built empty, then filled item by item.

A cache class is a ``MutableMapping`` whose items live in a private attribute; when only one of
its methods is traced, its case says nothing of how it was built. Its test then makes it as a
person would (``store = Store(maxsize=3)``, ``store["a"] = 1``...), when doing so gives back the
recorded state, rather than with ``pytead.rebuild``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)

CALC = """
from collections.abc import MutableMapping


class Store(MutableMapping):
    def __init__(self, maxsize):
        self._data = {}
        self._maxsize = maxsize

    def __getitem__(self, key):
        return self._data[key]

    def __setitem__(self, key, value):
        if len(self._data) >= self._maxsize:
            raise ValueError("full")
        self._data[key] = value

    def __delitem__(self, key):
        del self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def room(self):
        return self._maxsize - len(self._data)
"""

MAIN = """
import calc

store = calc.Store(maxsize=3)
store["a"] = 1
store["b"] = 2
print(store.room())
"""


def recorded_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sources: tuple[str, str], target: str
) -> Iterator[Path]:
    """A project with *sources* (``calc.py``, ``main.py``), *target* recorded over main.py."""
    calc, main = sources
    for root in calc_project(tmp_path, monkeypatch, calc):
        (root / "main.py").write_text(main)
        assert run_pytead("run", target, "--", "main.py", cwd=root).returncode == 0
        yield root


def assert_filled_and_caught(project: Path, expected: str, change: tuple[str, str]) -> None:
    """gen-tests writes *expected* without pytead, its tests pass, and fail once calc.py has
    *change* (old text, new text) made."""
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert expected in text, text
    assert "pytead" not in text.split("\n", 3)[-1]
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode == 0
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace(*change))
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode != 0


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_project(tmp_path, monkeypatch, (CALC, MAIN), "calc.Store.room")


def test_a_mapping_is_built_empty_then_filled_item_by_item(project: Path) -> None:
    setup = '    store = Store(maxsize=3)\n    store["a"] = 1\n    store["b"] = 2\n'
    expected = setup + "    assert store.room() == 1\n"
    assert_filled_and_caught(project, expected, ("self._data[key] = value", "pass"))


RECENT = '''
import threading


class Recent(dict):
    """A dict that remembers the order its keys were set in."""

    def __init__(self, max_size=8):
        super().__init__()
        self.max_size = max_size
        self._lock = threading.RLock()
        self._order = []

    def __setitem__(self, key, value):
        with self._lock:  # its own bookkeeping: items cannot be set before its state
            if key in self._order:
                self._order.remove(key)
            self._order.append(key)
            super().__setitem__(key, value)

    def oldest(self):
        return self._order[0]

    def pop(self, key, *default):
        """Remove *key* and return its value."""
        with self._lock:
            value = super().pop(key, *default)
            if key in self._order:
                self._order.remove(key)
            return value
'''

RECENT_MAIN = """
import calc

cache = calc.Recent(max_size=2)
cache["b"] = 2
cache["a"] = 1
print(cache.oldest())
"""


def test_a_dict_subclass_setting_items_its_own_way_is_made_by_its_call_then_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for project in recorded_project(
        tmp_path, monkeypatch, (RECENT, RECENT_MAIN), "calc.Recent.oldest"
    ):
        setup = '    recent = Recent(max_size=2)\n    recent["b"] = 2\n    recent["a"] = 1\n'
        expected = setup + '    assert recent.oldest() == "b"\n'
        assert_filled_and_caught(project, expected, ("self._order.append(key)", "pass"))


DOCUMENT = '''
import enum
from collections.abc import MutableMapping


class Level(enum.IntEnum):
    LOW = 1


class Text(str):
    """A string item that knows how it was written."""

    def __new__(cls, value, quote='"'):
        text = super().__new__(cls, value)
        text.quote = quote
        return text

    def __reduce__(self):
        return type(self), (str(self), self.quote)


class Document(MutableMapping):
    """Keys in the order they were set, pickled through its own reduce (a state tuple); a
    plain string set in it is kept as a Text."""

    def __init__(self, parsed=False):
        self._parsed = parsed
        self._map = {}
        self._body = []

    def __reduce__(self):
        return type(self), (self._parsed,), (self._map, self._body)

    def __setstate__(self, state):
        self._map, self._body = state

    def __getitem__(self, key):
        return self._body[self._map[key]][1]

    def __setitem__(self, key, value):
        if isinstance(value, str) and not isinstance(value, Text):
            value = Text(value)
        self._map[key] = len(self._body)
        self._body.append((key, value))

    def __delitem__(self, key):
        raise NotImplementedError

    def __iter__(self):
        return iter(self._map)

    def __len__(self):
        return len(self._map)

    def plain(self):
        plain = {}
        for key, value in self.items():
            plain[key] = str(value) if isinstance(value, Text) else value
        return plain
'''

DOCUMENT_MAIN = """
import calc

document = calc.Document(parsed=True)
document["a"] = 1
document["b"] = "two"
document["c"] = calc.Level.LOW
print(document.plain())
"""


def test_a_mapping_recording_its_state_through_its_reduce_is_made_by_its_call_then_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its state is the tuple its __reduce__ gives, not attributes: the recorded constructor
    # call still makes it, and its items are set as the program set them (the plain string,
    # not the Text it became; an IntEnum member stays one)
    for project in recorded_project(
        tmp_path, monkeypatch, (DOCUMENT, DOCUMENT_MAIN), "calc.Document.plain"
    ):
        setup = (
            "    document = Document(parsed=True)\n"
            '    document["a"] = 1\n'
            '    document["b"] = "two"\n'
            '    document["c"] = Level.LOW\n'
        )
        expected = setup + '    assert document.plain() == {"a": 1, "b": "two", "c": Level.LOW}\n'

        assert_filled_and_caught(project, expected, ("len(self._body)", "0"))
