"""A value its module names (a token kind of a tuple subclass, say) is written by that name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

CALC = """
class _Kind(tuple):
    parent = None

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        new = _Kind(self + (name,))
        setattr(self, name, new)
        new.parent = self
        return new

    def __repr__(self):
        return "Kind" + ("." if self else "") + ".".join(self)


Kind = _Kind()
Word = Kind.Word
Number = Kind.Literal.Number
_KNOWN = [Kind.Word.Upper]  # made when the module loads, named by no public name


def classify(text):
    return Number if text.isdigit() else Word.Upper if text.isupper() else Word


def describe(kind):
    return ".".join(kind)
"""

MAIN = """\
import calc
calc.classify("12")
calc.classify("AB")
calc.describe(calc.Kind.Word.Upper)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def test_values_the_module_names_are_written_by_their_names(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    traced = run_pytead("run", "calc.classify", "calc.describe", "--", "main.py", cwd=project)
    assert traced.returncode == 0, traced.stderr
    text, lines = gen_tests(capsys)
    assert 'classify("12") == Number' in text, text  # a public name of the module
    assert 'classify("AB") == Kind.Word.Upper' in text, text  # the path its repr spells
    assert 'describe(Kind.Word.Upper) == "Word.Upper"' in text, text
    assert "none left out" in lines[-1], lines
    assert roads(lines)["rebuild"] == 0 and roads(lines)["fixture_value"] == 0
    assert pytest_passes(project)


def test_a_mutable_module_object_is_never_handed_to_a_test() -> None:
    from pytead._codec.source import _IMMUTABLE_BASES

    assert not any(issubclass(kind, _IMMUTABLE_BASES) for kind in (list, dict, set, object))
