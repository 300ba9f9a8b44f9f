"""Ranges, slices and ``...`` are recorded, read back and written as code (`pytead._codec.ranges`).

``row[1:3]`` hands ``__getitem__`` a slice, ``tabulate(range(3))`` a range, ``a[..., 0]`` an
Ellipsis: they were ``!opaque`` ("no readable state"), so no case holding one replayed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, passes_then_catches, run_pytead

from pytead._codec import Decoder, Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import render_source
from pytead._errors import CodecError


@pytest.mark.parametrize(
    ("value", "node", "code"),
    [
        (range(3), Tagged("builtins.range", [0, 3]), "range(0, 3)"),
        (range(9, 1, -2), Tagged("builtins.range", [9, 1, -2]), "range(9, 1, -2)"),
        (slice(1, 5), Tagged("builtins.slice", [1, 5, None]), "slice(1, 5)"),
        (
            slice(None, None, -1),
            Tagged("builtins.slice", [None, None, -1]),
            "slice(None, None, -1)",
        ),
        (..., Tagged("builtins.Ellipsis", {}), "..."),
    ],
)
def test_each_is_recorded_by_its_arguments_read_back_equal_and_written_as_made(
    value: object, node: Tagged, code: str
) -> None:
    assert Encoder().encode(value) == node
    assert Decoder().decode(node) == value
    assert render_source(node).text == code
    assert eval(code) == value


def test_a_slice_of_labels_stays_opaque_with_its_reason() -> None:
    node = Encoder().encode(slice("a", "c"))
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert "not integers or None" in str(node.value)


@pytest.mark.parametrize(
    ("node", "message"),
    [
        (Tagged("builtins.range", [0, "9"]), "list of 2 or 3 integers"),
        (Tagged("builtins.range", [0, 1, 0]), "cannot be 0"),
        (Tagged("builtins.range", {"start": 0}), "list of 2 or 3 integers"),
        (Tagged("builtins.slice", [1, 2]), "list of 3 integers or nulls"),
        (Tagged("builtins.slice", [1, 2.5, None]), "list of 3 integers or nulls"),
        (Tagged("builtins.Ellipsis", [1]), "holds nothing"),
    ],
)
def test_a_malformed_payload_is_refused_with_what_it_should_be(node: Tagged, message: str) -> None:
    with pytest.raises(CodecError, match=message):  # with the hint to fix or capture again
        Decoder().decode(node)


CALC = '''
class Row:
    """A row of cells."""

    def __init__(self, *cells):
        self.cells = list(cells)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Row(*self.cells[index])
        return self.cells[index]

    def __eq__(self, other):
        return isinstance(other, Row) and self.cells == other.cells

    def __repr__(self):
        return f"Row({', '.join(map(repr, self.cells))})"


def numbered(lines, start=range(1, 4)):
    """Each line after its number, the numbers taken from *start*."""
    return [f"{number}. {line}" for number, line in zip(start, lines)]
'''

MAIN = """
import calc

row = calc.Row("a", "b", "c", "d")
print(row[1:3], row[::-1], row[0])
print(calc.numbered(["x", "y"]), calc.numbered(["z"], range(10, 0, -1)))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for root in calc_project(tmp_path, monkeypatch, CALC):
        (root / "main.py").write_text(MAIN)
        traced = run_pytead(
            "run", "calc.Row.__getitem__", "calc.numbered", "--", "main.py", cwd=root
        )
        assert traced.returncode == 0, traced.stderr
        yield root


def test_calls_given_slices_and_ranges_give_tests_that_pass_and_catch_a_change(
    project: Path,
) -> None:
    result = run_pytead("gen-tests", "--parametrize", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "none left out" in result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert "slice(1, 3)" in text and "range(10, 0, -1)" in text
    passes_then_catches(project, ("self.cells[index])", "self.cells[index][:1])"))


def test_a_slice_is_shown_as_the_subscript_a_person_writes(project: Path) -> None:
    result = run_pytead("enrich-docs", "calc.py", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "calc.py").read_text()
    assert ">>> row[1:3]\n" in text or ">>> row[::-1]\n" in text, text
    assert "slice(" not in text
    assert '>>> numbered(["z"], range(10, 0, -1))' in text, text


def test_a_malformed_range_in_a_fixture_leaves_its_case_out_with_why_and_the_rest_is_written(
    project: Path,
) -> None:
    fixture = project / "call_logs" / "calc" / "numbered.yaml"
    text = fixture.read_text()
    assert "!builtins.range [10, 0, -1]" in text
    fixture.write_text(text.replace("!builtins.range [10, 0, -1]", "!builtins.range [0, 10**9]"))
    result = run_pytead("gen-tests", cwd=project)
    left_out = [line for line in result.stderr.splitlines() if "left out calc.numbered" in line]
    assert len(left_out) == 1 and "a list of 2 or 3 integers" in left_out[0], result.stderr
    written = (project / "tests" / "test_pytead_generated.py").read_text()
    assert "slice(1, 3)" in written and '["x", "y"]' in written  # the other cases are written
