"""An expected value only pytead's helpers could write is checked against the data it equals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

CALC = '''
class Raw(str):
    """A value with the text it was read from."""


class Document(dict):
    """What parse() returns: the items, and how many lines were read."""

    def __init__(self):
        super().__init__()
        self._lines = 0


class Strict(Document):
    """Equal only to another Strict: its plain items are not enough."""

    def __eq__(self, other):
        return type(other) is Strict and dict.__eq__(self, other)

    __hash__ = None


def parse(text, kind=Document):
    document = kind()
    for line in text.splitlines():
        key, _, value = line.partition("=")
        document[key.strip()] = Raw(value.strip())
        document._lines += 1
    return document


def parse_strict(text):
    return parse(text, Strict)
'''

MAIN = """\
import calc
calc.parse("a = 1\\nb = two")
calc.parse_strict("c = 3")
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def test_a_dict_subclass_result_is_checked_against_its_plain_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    assert (
        run_pytead(
            "run", "calc.parse", "calc.parse_strict", "--", "main.py", cwd=project
        ).returncode
        == 0
    )
    text, lines = gen_tests(capsys)
    assert 'parse("a = 1\\nb = two") == {"a": "1", "b": "two"}' in text, text
    # A class whose == wants its own type is not compared with plain data: a snapshot holds it.
    strict = text[text.index("def test_parse_strict") :]
    assert "assert snapshot == parse_strict(" in strict, text
    assert roads(lines)["fixture_value"] == 0 and roads(lines)["rebuild"] == 0, lines
    assert pytest_passes(project)


def test_plain_forms() -> None:
    from pytead._plainform import equals_plain, plain_form

    class Tag(str): ...

    class Rows(list): ...

    cyclic: list[object] = []
    cyclic.append(Rows([cyclic]))
    assert plain_form(Rows([Tag("a"), (Tag("b"), 2)])) == ["a", ("b", 2)]
    assert type(plain_form(Rows([Tag("a")]))[0]) is str  # type: ignore[index]
    assert plain_form({"k": [1, "x"]}) is None  # plain already: nothing to write differently
    assert plain_form(cyclic) is None
    assert equals_plain(Rows([1]), [1]) and not equals_plain(Rows([1]), [2])
    named = Rows([1])
    named.title = "kept"  # type: ignore[attr-defined]
    assert plain_form(named) is None  # list's == would ignore its title: not plain data
    named._cache = {}  # type: ignore[attr-defined]
    del named.title  # type: ignore[attr-defined]
    assert plain_form(named) == [1]  # a private attribute is the class's own business
