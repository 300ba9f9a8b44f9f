"""Examples of calls that change an argument in place: bind it, call, then show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._examples import outcome_of, sort_cases
from pytead._model import Case, Fixture, Returned, TargetInfo

NESTED = '''
def set_value(dct, key, value):
    """Set *value* at the dotted *key* of *dct*, making the levels it needs."""
    head, _, rest = key.partition(".")
    if rest:
        set_value(dct.setdefault(head, {}), rest, value)
    else:
        dct[head] = value


def pop_all(items):
    """Empty *items*, returning how many it held."""
    count = len(items)
    items.clear()
    return count
'''

MAIN = """
from nested import set_value, pop_all
set_value({}, "a.b", 1)
set_value({"a": {"c": 2}}, "a.b", 3)
set_value({}, "top", [1, 2])
pop_all([1, 2, 3])
pop_all([])
"""


def test_a_changed_argument_is_bound_then_shown(tmp_path: Path) -> None:
    (tmp_path / "nested.py").write_text(NESTED)
    (tmp_path / "main.py").write_text(MAIN)
    targets = ("nested.set_value", "nested.pop_all")
    assert run_pytead("run", *targets, "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "nested.py").read_text()
    expected = '>>> dct = {}\n        >>> set_value(dct, "a.b", 1)\n        >>> dct\n'
    assert expected + "        {'a': {'b': 1}}\n" in source, source
    assert ">>> items = [1, 2, 3]\n        >>> pop_all(items)\n        3\n" in source, source
    done = run_python("-c", "import doctest, nested; print(doctest.testmod(nested))", cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout


def _info(signature: str) -> TargetInfo:
    return TargetInfo("m.fill", "m", "fill", signature=signature)


def test_each_change_is_its_own_outcome() -> None:
    cases = [
        Case(name, {"bag": []}, Returned(None), args_after={"bag": [name]}) for name in ("x", "y")
    ]
    found = sort_cases(Fixture(_info("(bag)"), cases), {})
    assert not found.unshown
    assert sorted(outcome_of(e) for e in found.examples) == [
        (">>> bag", "['x']"),
        (">>> bag", "['y']"),
    ]


@pytest.mark.parametrize(("namespace", "name"), [({}, "a_list"), ({"a_list": 0}, "the_list_value")])
def test_a_changed_argument_never_shadows_a_builtin_or_module_name(
    namespace: dict[str, object], name: str
) -> None:
    case = Case("c", {"list": []}, Returned(None), args_after={"list": [1]})
    (example,) = sort_cases(Fixture(_info("(list)"), [case]), namespace).examples
    assert example.lines[0] == f">>> {name} = []", example
    assert example.lines[-2:] == (f">>> {name}", "[1]")


def test_a_changed_star_argument_is_refused_with_a_reason() -> None:
    case = Case("c", {"*rest": [[]]}, Returned(None), args_after={"*rest": [[1]]})
    found = sort_cases(Fixture(_info("(*rest)"), [case]), {})
    assert found.unshown and "*args" in found.unshown[0].reason
