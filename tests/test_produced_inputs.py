"""An input only pytead's helpers could write is made by the traced call that returned it.

A parsed document refers to itself, so no constructor call writes it and its test would read
it back from YAML (``pytead.fixture_value``). When a traced function returned that very value
(``parse("a=1")``), the test makes it that way, as a person would: ``dumps(parse("a=1\\nb=2"))``.
An expected value is never made so: today's code would then check itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import recorded_calc, run_pytead, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)

CALC = """
class Document:
    def __init__(self, pairs):
        self.pairs = pairs


def parse(text):
    document = Document([line.split("=") for line in text.splitlines()])
    document.root = document
    return document


def dumps(document):
    return ";".join(key + "=" + value for key, value in document.pairs)
"""

MAIN = """
import calc

print(calc.dumps(calc.parse("a=1\\nb=2")))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_calc(tmp_path, monkeypatch, CALC, MAIN)


def _passes(project: Path) -> bool:
    run = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    return run.returncode == 0


def test_a_parsed_document_argument_is_made_by_its_parse_call(project: Path) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert 'assert dumps(parse("a=1\\nb=2")) == "a=1;b=2"' in text, text
    assert "fixture_value" not in text.split("def test_dumps", 1)[1].split("def test_", 1)[0]
    assert _passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace('";".join', '",".join'))
    assert not _passes(project)
