"""A regular-expression match is recorded by pattern, text and start, and written as .match()."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import render_source
from pytead._errors import CodecError


def test_a_match_round_trips_and_is_written_as_a_match_call() -> None:
    found = re.search(r"(\d+)-(\d+)", "ab 12-34 cd", re.ASCII)
    assert found is not None
    node = Encoder().encode(found)
    assert isinstance(node, Tagged) and node.tag == "re.Match"
    again = decode(node)
    assert (again.span(), again.groups(), again.re) == (found.span(), found.groups(), found.re)
    source = render_source(node).text
    assert source == 're.compile("(\\\\d+)-(\\\\d+)", re.ASCII).match("ab 12-34 cd", 3)'
    rebuilt = eval(source, {"re": re})
    assert rebuilt.regs == found.regs


def test_a_match_that_matching_at_its_start_would_not_give_stays_opaque() -> None:
    whole = re.fullmatch("a|ab", "ab")  # match() at 0 would stop at "a"
    node = Encoder().encode(whole)
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "not what its pattern matches at its start" in str(node.value)


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"pattern": "x", "string": "x"}, "needs a !re.Pattern"),
        ({"pattern": re.compile("x"), "string": "x", "start": -1}, "must be positions"),
        ({"pattern": re.compile("x"), "string": "y", "start": 0}, "no longer matches"),
    ],
)
def test_a_bad_match_in_a_fixture_gets_a_clear_error(payload: dict[str, object], why: str) -> None:
    from pytead._codec.patterns import MATCH_CODEC

    decode_payload = MATCH_CODEC[3]
    with pytest.raises(ValueError, match=why):
        decode_payload(payload)


def test_a_match_tag_naming_anything_but_a_pattern_is_refused() -> None:
    hostile = Tagged("re.Match", {"pattern": Tagged("ref", "os.system"), "string": "x"})
    with pytest.raises(CodecError):
        decode(hostile)


CONVERT = r"""
import re

NUMBER = re.compile(r"(?P<sign>-)?(?P<digits>\d+)")


def to_int(match):
    value = int(match.group("digits"))
    return -value if match.group("sign") else value


def parse_all(text):
    return [to_int(found) for found in NUMBER.finditer(text)]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CONVERT)


def test_a_converter_of_matches_gets_tests_without_pytead(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text("import calc\ncalc.parse_all('3 -4 10')\n")
    assert run_pytead("run", "calc.to_int", "--", "main.py", cwd=project).returncode == 0
    text, lines = gen_tests(capsys)
    assert '.match("3 -4 10", 2)' in text, text
    assert "none left out" in lines[-1], lines
    assert roads(lines)["rebuild"] == 0 and roads(lines)["fixture_value"] == 0
    assert pytest_passes(project)
