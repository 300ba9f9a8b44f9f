"""Values accepted by their class's own ``==``: classes with caches, and when not to believe it.

A ``dict`` subclass that fills a cache when it is read never has, once built again, the state it
had at the call; its ``==`` still says the rebuilt value is the recorded one. The calls here are
recorded by ``pytead run`` from a small program, then ``gen-tests`` writes and verifies the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import recorded_calc, run_pytead, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)
from pytead._codec.source import equal_by_class

CALC = '''
class Settings(dict):
    """A mapping whose reads fill a cache of case-folded keys (a private attribute)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._folded = {}

    def lookup(self, key):
        if key not in self._folded:
            self._folded[key] = {k.lower(): v for k, v in self.items()}.get(key.lower())
        return self._folded[key]

    def describe(self):
        return ", ".join(f"{key}={value}" for key, value in sorted(self.items()))

    def reads(self):
        return len(self._folded)

    def __repr__(self):
        return f"Settings({dict(self)!r})"


class Labelled(dict):
    """A mapping with a public attribute that its (inherited) == does not look at."""

    def __init__(self, items, label="none"):
        super().__init__(items)
        self.label = label

    def __repr__(self):
        return f"Labelled({dict(self)!r})"


def loaded(pairs):
    settings = Settings(pairs)
    settings.lookup("A")
    return settings


def labelled(pairs, label):
    return Labelled(pairs, label)
'''

MAIN = """
import calc

settings = calc.Settings({"A": 1, "b": 2})
settings.lookup("a")
settings.lookup("B")
settings._folded["c"] = None  # filled where pytead does not look: no replay gives it back
print(settings.describe(), settings.reads())
print(calc.loaded({"A": 3}), calc.labelled({"x": 1}, "shown"))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_calc(tmp_path, monkeypatch, CALC, MAIN)


def gen_tests(root: Path, *args: str) -> tuple[str, str]:
    """``gen-tests`` as users run it: the module it writes, and what it said on stderr."""
    result = run_pytead("gen-tests", *args, cwd=root)
    assert result.returncode == 0, result.stderr
    return (root / "tests" / "test_pytead_generated.py").read_text(), result.stderr


def test_a_value_whose_cache_differs_is_written_as_its_constructor_call(project: Path) -> None:
    text, err = gen_tests(project)
    describe = text[text.index("def test_settings_describe") :].split("\n\n\n", 1)[0]
    # its cache's extra entry is not given back; a dict subclass is not filled item by item
    assert 'settings = Settings({"A": 1, "b": 2})' in describe
    assert "fixture_value" not in describe
    assert "none left out" in err
    assert 'loaded({"A": 3}) == Settings({"A": 3})' in text  # the expected value
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode == 0


def test_a_public_attribute_the_equality_ignores_must_still_agree(project: Path) -> None:
    text, _ = gen_tests(project)
    test = text[text.index("def test_labelled") :].split("\n\n\n", 1)[0]
    assert "Labelled({" not in test  # its repr hides the label: it does not stand for it
    assert "snapshot ==" in test


def test_a_case_whose_test_fails_that_way_is_written_again_strict(project: Path) -> None:
    text, err = gen_tests(project)
    reads = text[text.index("def test_settings_reads") :].split("\n\n\n", 1)[0]
    # Built again by its history, reads() would give 2: the case is kept, its receiver written
    # with its recorded state, and the module says so for `--check`.
    assert "settings.reads() == 3" in reads
    assert "fixture_value(" in reads
    assert "Written with exact recorded states only" in text
    assert "calc.Settings.reads" in text.split("Written with exact recorded states only", 1)[1]
    assert "left out calc.Settings.reads" not in err
    assert run_pytead("gen-tests", "--check", cwd=project).returncode == 0
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode == 0


class _AlwaysEqual:
    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


class _Money:
    def __init__(self, cents: int, cache: object = None) -> None:
        self.cents = cents
        self._shown = cache

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Money) and other.cents == self.cents

    __hash__ = object.__hash__


def test_an_equality_that_cannot_say_no_is_not_believed() -> None:
    assert not equal_by_class(_AlwaysEqual(1), _AlwaysEqual(2))
    assert equal_by_class(_Money(5), _Money(5, cache="5 ct"))
    assert not equal_by_class(_Money(5), _Money(6))
    assert not equal_by_class(_Money(5), 5)  # another class, even if equal


class _Sized:
    """Equal by its items, its ``==`` asking for ``len(other)`` first (it raises for others)."""

    def __init__(self, *items: int, cache: str = "") -> None:
        self.items = list(items)
        self._cache = cache

    def __eq__(self, other: object) -> bool:
        if len(other) != len(self.items):  # type: ignore[arg-type]
            return False
        return isinstance(other, _Sized) and self.items == other.items

    def __len__(self) -> int:
        return len(self.items)

    __hash__ = None  # type: ignore[assignment]


def test_an_equality_that_raises_for_a_stranger_can_say_no() -> None:
    with pytest.raises(TypeError):
        _Sized(1) == object()  # noqa: B015  (what the check meets)
    assert equal_by_class(_Sized(1, 2), _Sized(1, 2, cache="read"))
    assert not equal_by_class(_Sized(1, 2), _Sized(2, 1))
