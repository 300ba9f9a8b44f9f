"""What a method does to the items of its ``dict`` subclass instance is recorded, tested, shown.

A ``dict`` subclass is recorded as its items and its attributes. A method that set an item and
left the attributes alone (``registry.register("A", 1)``) was recorded as having changed only
its attributes -- to what they already were -- so its test checked nothing of what it did, and
its example showed a bare call. The instance after the call is now recorded whole when it holds
items, its test compares it whole, and its example shows it after the call (``>>> registry``,
then ``{'a': 1}``), the item methods written as a person writes them (``registry["b"] = 2``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, passes_then_catches, run_pytead

from pytead._store import load_fixture

CALC = '''
class Registry(dict):
    """Plugins by lower-case name."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def register(self, key, value):
        self[key] = value

    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)

    def __contains__(self, key):
        return super().__contains__(key.lower())

    def __repr__(self):
        return f"Registry({self.name!r}, {dict(self)!r})"
'''

MAIN = """
import calc

registry = calc.Registry("plugins")
registry.register("A", 1)
registry["B"] = 2
print("a" in registry, "C" in registry)
"""

TARGETS = ("calc.Registry.register", "calc.Registry.__setitem__", "calc.Registry.__contains__")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for root in calc_project(tmp_path, monkeypatch, CALC):
        (root / "main.py").write_text(MAIN)
        traced = run_pytead("run", *TARGETS, "--", "main.py", cwd=root)
        assert traced.returncode == 0, traced.stderr
        yield root


def test_the_instance_after_the_call_is_recorded_with_its_items(project: Path) -> None:
    fixture = load_fixture(project / "call_logs" / "calc" / "Registry.register.yaml")
    (case,) = fixture.cases
    assert case.self_after is not None
    assert "items" in case.self_after.value  # type: ignore[union-attr]


def test_replay_sees_a_change_to_the_items(project: Path) -> None:
    assert run_pytead("replay", cwd=project).returncode == 0
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace("key.lower(), value", "key, value"))
    replayed = run_pytead("replay", cwd=project)
    assert replayed.returncode != 0 and "items: {A: 1}" in replayed.stdout + replayed.stderr


def test_its_test_checks_the_items_and_catches_a_change_to_them(project: Path) -> None:
    for other in ("__setitem__", "__contains__"):  # only register's own test
        (project / "call_logs" / "calc" / f"Registry.{other}.yaml").unlink()
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert (
        '    assert dict(registry) == {"a": 1}\n' in text and "pytead" not in text.split("\n", 3)[3]
    )
    passes_then_catches(project, ("key.lower(), value", "key, value"))


def test_its_example_shows_the_instance_after_the_call_and_items_as_a_person_writes_them(
    project: Path,
) -> None:
    result = run_pytead("enrich-docs", "calc.py", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "calc.py").read_text()
    assert '>>> registry.register("A", 1)\n' in text
    assert ">>> registry\n" in text and "Registry('plugins', {'a': 1})" in text
    assert '>>> registry["B"] = 2\n' in text and "Registry('plugins', {'a': 1, 'b': 2})" in text
    assert '>>> "a" in registry\n' in text and "registry.__contains__(" not in text


TEMPERATURE = """
class Temperature:
    def __init__(self, degrees, scale="C"):
        if scale not in ("C", "F"):
            raise ValueError(f"unknown scale {scale!r}")
        self.degrees = float(degrees)
        self.scale = scale

    def __repr__(self):
        return f"Temperature({self.degrees!r}, {self.scale!r})"
"""

TEMPERATURE_MAIN = """
import calc

calc.Temperature(21)
calc.Temperature(70, scale="F")
try:
    calc.Temperature(1, "K")
except ValueError:
    pass
"""


@pytest.fixture
def temperatures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A project whose ``Temperature.__init__`` calls are recorded."""
    for root in calc_project(tmp_path, monkeypatch, TEMPERATURE):
        (root / "main.py").write_text(TEMPERATURE_MAIN)
        traced = run_pytead("run", "calc.Temperature.__init__", "--", "main.py", cwd=root)
        assert traced.returncode == 0, traced.stderr
        yield root


def test_an_initializer_is_shown_as_a_call_of_its_class_and_the_instance_it_made(
    temperatures: Path,
) -> None:
    result = run_pytead("enrich-docs", "calc.py", cwd=temperatures)
    assert result.returncode == 0, result.stderr
    text = (temperatures / "calc.py").read_text()
    assert ">>> Temperature(21)\n" in text and "Temperature(21.0, 'C')\n" in text, text
    assert '>>> Temperature(70, "F")\n' in text and "Temperature(70.0, 'F')" in text
    assert '>>> Temperature(1, "K")\n' in text and "ValueError: unknown scale 'K'" in text
    assert "__init__(" not in text.split("def __init__", 1)[1]


def test_an_initializer_s_test_calls_its_class_and_checks_what_it_set(temperatures: Path) -> None:
    result = run_pytead("gen-tests", "--parametrize", cwd=temperatures)
    assert result.returncode == 0, result.stderr
    assert "none left out" in result.stderr
    text = (temperatures / "tests" / "test_pytead_generated.py").read_text()
    assert "    result = Temperature(21)\n    assert result.degrees == 21.0\n" in text
    assert '        Temperature(1, "K")\n' in text and "__init__(" not in text
    passes_then_catches(temperatures, ("float(degrees)", "float(degrees) + 1"))
