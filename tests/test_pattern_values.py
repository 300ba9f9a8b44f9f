"""Compiled regular expressions are recorded by text and flags and written as ``re.compile``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project
from test_value_roads import gen_tests, pytest_passes, roads

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import render_source
from pytead._errors import CodecError


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (re.compile(r"\d+"), 're.compile("\\\\d+")'),
        (re.compile(b"a.b", re.I | re.S), 're.compile(b"a.b", re.IGNORECASE | re.DOTALL)'),
        (re.compile("x", re.MULTILINE), 're.compile("x", re.MULTILINE)'),
    ],
)
def test_a_pattern_round_trips_and_is_written_as_re_compile(
    value: re.Pattern[str], written: str
) -> None:
    node = Encoder().encode(value)
    assert isinstance(node, Tagged) and node.tag == "re.Pattern"
    assert decode(node) == value
    source = render_source(node)
    assert source.text == written
    assert eval(source.text, {"re": re}) == value


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"pattern": "(", "flags": 0}, "does not compile"),
        ({"pattern": 3}, "needs a 'pattern' string"),
        ({"pattern": "a", "flags": "os.system"}, "non-negative integer"),
    ],
)
def test_a_bad_pattern_in_a_fixture_gets_a_clear_error(
    payload: dict[str, object], why: str
) -> None:
    with pytest.raises((CodecError, ValueError), match=why):
        decode(Tagged("re.Pattern", payload))


MATCHER = """
import re


class Matcher:
    def __init__(self, expression):
        self._regex = re.compile(expression, re.IGNORECASE)

    def count(self, text):
        return len(self._regex.findall(text))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, MATCHER)


def test_an_instance_holding_a_pattern_gets_a_test_without_pytead(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text("import calc\ncalc.Matcher('ab+').count('AB abb x')\n")
    from conftest import run_pytead

    assert run_pytead("run", "calc.Matcher.count", "--", "main.py", cwd=project).returncode == 0
    fixture = (project / "call_logs" / "calc" / "Matcher.count.yaml").read_text()
    assert "!re.Pattern" in fixture and "!opaque" not in fixture
    text, lines = gen_tests(capsys)
    assert "Matcher(" in text and "== 2" in text
    assert roads(lines)["rebuild"] == 0 and roads(lines)["fixture_value"] == 0
    assert pytest_passes(project)
