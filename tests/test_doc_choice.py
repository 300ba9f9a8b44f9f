"""The examples `enrich-docs` picks teach: distinct outcomes first, typical sizes, reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import calc_project, run_pytead

from pytead._codec.nodes import Node, Tagged
from pytead._examples import Example, _kind, choose, outcome_of, shortlist
from pytead._model import Case, Returned


def _example(case_id: str, call: str, result: str, kind: str = "str->int") -> Example:
    raised = result.startswith("Traceback")
    lines = (
        (f">>> {call}", "Traceback (most recent call last):", "    ...", result.split("|")[1])
        if raised
        else (f">>> {call}", result)
    )
    return Example(case_id, lines, raised, kind)


def _pool() -> list[Example]:
    same = [_example(f"c{i}", f"f({'x' * i!r})", "-1") for i in range(1, 6)]
    other = _example("c9", "f('needle in a long haystack')", "7")
    error = _example("c8", "f(None)", "Traceback|TypeError: no", "NoneType->TypeError")
    return [*same, other, error]


def test_distinct_outcomes_shown_before_repeats() -> None:
    picked = choose(_pool(), 3)
    outcomes = [outcome_of(e) for e in picked]
    assert len(set(outcomes)) == 3
    assert picked[-1].raised


def test_typical_size_preferred_over_the_tiniest() -> None:
    picked = choose(_pool(), 3)
    repeated = next(e for e in picked if outcome_of(e) == ("-1",))
    assert repeated.case_id == "c3"  # the median of c1..c5, not the shortest c1


def test_choice_does_not_depend_on_input_order() -> None:
    pool = _pool()
    assert choose(pool, 3) == choose(list(reversed(pool)), 3)


def test_shortlist_covers_every_outcome_even_when_short() -> None:
    pool = _pool()
    listed = shortlist(pool, 3)
    assert {outcome_of(e) for e in listed} == {outcome_of(e) for e in pool}


def test_new_argument_shape_before_a_repeat_of_the_same_shape() -> None:
    same = [_example(f"c{i}", f"f({'x' * i!r})", "-1") for i in range(1, 4)]
    shaped = _example("k1", "f(b'xx')", "-1", kind="bytes->int")
    picked = choose([*same, shaped], 2)
    assert {e.kind for e in picked} == {"str->int", "bytes->int"}


def _shape(args: dict[str, Node]) -> str:
    return _kind(Case("c", args, Returned(Tagged("ref", "builtins.int"))))


def test_an_argument_s_shape_tells_what_its_container_holds_and_which_parameters_were_given() -> (
    None
):
    assert _shape({"values": Tagged("tuple", [2, 3])}) == _shape(
        {"values": Tagged("tuple", [4, 1])}
    )
    shapes = {
        _shape({"values": Tagged("tuple", [2, 3])}),
        _shape({"values": Tagged("tuple", [0, 1, None])}),  # a None among the numbers
        _shape({"values": Tagged("tuple", [])}),  # empty
        _shape({"values": ["a", 1]}),
        _shape({"values": [1, "a"]}),  # the same item types, in another order
        _shape({"values": Tagged("tuple", [2, 3]), "numparse": False}),  # a keyword given
        _shape({"values": ""}),
        _shape({"values": "ab"}),
    }
    assert len(shapes) == 7


def test_a_new_shape_of_a_repeated_outcome_is_shown_before_the_same_shape_again() -> None:
    cases = {
        "a1": (Tagged("tuple", [2, 3]), "<class 'int'>"),
        "a2": (Tagged("tuple", [4, 1]), "<class 'int'>"),
        "a3": (Tagged("tuple", [0, 1, None]), "<class 'int'>"),
        "a4": (Tagged("tuple", ["a", "b"]), "<class 'str'>"),
    }
    pool = [
        Example(
            case_id,
            (f">>> column_type({value.value!r})", shown),
            False,
            _kind(Case(case_id, {"values": value}, Returned(Tagged("ref", "builtins.int")))),
        )
        for case_id, (value, shown) in cases.items()
    ]
    picked = {e.case_id for e in choose(pool, 3)}
    assert "a3" in picked and "a4" in picked  # not a second tuple of plain integers


FIND = '''
def find(names, prefix):
    """The first of *names* starting with *prefix*."""
    for name in names:
        if name.startswith(prefix):
            return name
    return None


def forget(names, name):
    """Remove *name* from *names*."""
    names.remove(name)
'''

FIND_MAIN = """
import calc

calc.find(["ann", "bob"], "b")
calc.find(["ann", "bob"], "z")
calc.forget(["ann", "bob"], "ann")
"""


def test_a_none_among_other_results_is_shown_outright(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for root in calc_project(tmp_path, monkeypatch, FIND):
        (root / "main.py").write_text(FIND_MAIN)
        assert run_pytead("run", "calc", "--", "main.py", cwd=root).returncode == 0
        result = run_pytead("enrich-docs", "calc.py", cwd=root)
        assert result.returncode == 0, result.stderr
        text = (root / "calc.py").read_text()
        assert '>>> find(["ann", "bob"], "b")\n' in text and "'bob'" in text
        assert '>>> print(find(["ann", "bob"], "z"))\n        None\n' in text, text
        # a function that only ever returns None is not printed: its effect is what it shows
        assert '>>> forget(names, "ann")\n' in text and "print(forget" not in text
