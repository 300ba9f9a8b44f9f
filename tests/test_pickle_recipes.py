"""Objects whose class writes its own pickle recipe (``__reduce__``) are remade by following it.

Such a class says that its ``__dict__`` alone does not remake it: a ``dict`` subclass whose
``__setitem__`` needs what ``__init__`` set, a ``datetime`` subclass whose value is not in its
``__dict__``, a ``__setstate__`` that wants the reduced state. The recipe ``cls(*args)`` (then
the state) is recorded as ``reduce_args`` and is also how gen-tests writes the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

from pytead._codec.decoder import Decoder
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import render_source
from pytead._errors import CodecError
from pytead._trust import TrustPolicy

CALC = '''
import datetime


class Labelled(dict):
    """Every key starts with the label, which __init__ sets before any item."""

    def __init__(self, label, items=()):
        self.label = label
        super().__init__()
        for key, value in dict(items).items():
            self[key] = value

    def __setitem__(self, key, value):
        if not key.startswith(self.label):
            raise KeyError(key)
        super().__setitem__(key, value)

    def __reduce__(self):
        return (type(self), (self.label, dict(self)))

    def put(self, key, value):
        self[self.label + key] = value
        return len(self)


class Stamp(datetime.datetime):
    """A datetime with a note: its date is not in its __dict__."""

    def __new__(cls, year, month, day, note):
        self = super().__new__(cls, year, month, day)
        self.note = note
        return self

    def __reduce_ex__(self, protocol):  # datetime's own __reduce_ex__ would win over __reduce__
        return (type(self), (self.year, self.month, self.day, self.note))


class Packed:
    """Its __setstate__ takes the reduced state, a tuple, not a __dict__."""

    def __init__(self, size):
        self.size = size
        self._slots = [0] * size

    def put(self, index, value):
        self._slots[index] = value
        return sum(self._slots)

    def __reduce__(self):
        return (type(self), (self.size,), tuple(self._slots))

    def __setstate__(self, state):
        self._slots = list(state)


class Broken:
    def __init__(self):
        self.size = 1

    def __reduce__(self):
        raise RuntimeError("not picklable")


def total(labelled):
    return sum(labelled.values())


def describe(stamp):
    return f"{stamp.note} on {stamp.date().isoformat()}"
'''

MAIN = """\
import calc
calc.total(calc.Labelled("n", {"n1": 1, "n2": 2}))
calc.describe(calc.Stamp(2024, 2, 29, "leap"))
packed = calc.Packed(3)
packed.put(0, 5)
packed.put(2, 1)
labelled = calc.Labelled("k", {"k1": 1})
labelled.put("2", 2)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def _calc() -> object:
    import calc  # the project's module, importable once `project` is set up

    return calc


def _trusting_calc() -> Decoder:
    return Decoder(trust=TrustPolicy(first_party=frozenset({"calc"})))


def test_a_dict_subclass_is_recorded_by_its_recipe_and_rebuilt_equal(project: Path) -> None:
    calc: object = _calc()
    value = calc.Labelled("n", {"n1": 1})  # type: ignore[attr-defined]
    node = Encoder().encode(value)
    assert isinstance(node, Tagged) and "reduce_args" in node.value  # type: ignore[operator]
    rebuilt = _trusting_calc().decode(node)
    assert type(rebuilt) is type(value) and rebuilt == value and rebuilt.label == "n"


def test_a_datetime_subclass_keeps_its_date(project: Path) -> None:
    calc: object = _calc()
    value = calc.Stamp(2024, 2, 29, "leap")  # type: ignore[attr-defined]
    rebuilt = _trusting_calc().decode(Encoder().encode(value))
    assert (rebuilt, rebuilt.note) == (value, "leap")
    assert render_source(Encoder().encode(value)).text == 'Stamp(2024, 2, 29, "leap")'


def test_a_recipe_with_a_state_is_followed_as_pickle_does(project: Path) -> None:
    calc: object = _calc()
    value = calc.Packed(3)  # type: ignore[attr-defined]
    value.put(1, 4)
    rebuilt = _trusting_calc().decode(Encoder().encode(value))
    assert (rebuilt.size, rebuilt._slots) == (3, [0, 4, 0])


def test_a_recipe_that_fails_leaves_the_object_recorded_by_its_state(project: Path) -> None:
    calc: object = _calc()
    node = Encoder().encode(calc.Broken())  # type: ignore[attr-defined]
    assert isinstance(node, Tagged) and node.value == {"type": "calc.Broken", "state": {"size": 1}}


def test_a_fixture_cannot_make_an_untrusted_class_run_its_constructor() -> None:
    hostile = Tagged("obj", {"type": "collections.OrderedDict", "reduce_args": [[["a", 1]]]})
    with pytest.raises(CodecError, match="would be built by calling it, and is not trusted"):
        Decoder(trust=TrustPolicy()).decode(hostile)


def test_a_signature_is_rebuilt_from_its_recipe() -> None:
    import inspect

    def sample(a: int, b: str = "x", *rest: int) -> None:
        del a, b, rest

    value = inspect.signature(sample)
    node = Encoder().encode(value)
    assert isinstance(node, Tagged) and "reduce_args" in node.value  # type: ignore[operator]
    assert Decoder(trust=TrustPolicy()).decode(node) == value  # stdlib, trusted to be called
    other = Tagged("obj", {**node.value, "type": "inspect.BoundArguments"})  # type: ignore[dict-item]
    with pytest.raises(CodecError, match="not trusted"):
        Decoder(trust=TrustPolicy()).decode(other)


def test_values_made_by_their_recipe_get_passing_tests_without_pytead(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    assert run_pytead("run", "calc", "--", "main.py", cwd=project).returncode == 0
    text, lines = gen_tests(capsys)
    assert 'Labelled("n", {"n1": 1, "n2": 2})' in text, text
    assert 'Stamp(2024, 2, 29, "leap")' in text, text
    assert "none left out" in lines[-1], lines
    assert "packed._slots == [5, 0, 1]" in text, text  # what the call changed, read plainly
    assert 'labelled == Labelled("k", {"k1": 1, "k2": 2})' in text, text  # by its own ==
    counted = roads(lines)
    assert counted["rebuild"] == 0, lines
    assert pytest_passes(project)


def test_a_cyclic_or_deep_value_is_searched_for_addresses_without_recursing() -> None:
    from pytead._expected import holds_address

    cyclic: list[object] = ["plain"]
    cyclic.append(cyclic)
    deep: list[object] = ["<Cell object at 0x7f3a12345678>"]
    for _ in range(5000):
        deep = [deep]
    assert holds_address(cyclic) is False  # type: ignore[arg-type]
    assert holds_address(deep) is True  # type: ignore[arg-type]
