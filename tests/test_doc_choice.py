"""The examples `enrich-docs` picks teach: distinct outcomes first, typical sizes, reproducible."""

from __future__ import annotations

from pytead._examples import Example, choose, outcome_of, shortlist


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
