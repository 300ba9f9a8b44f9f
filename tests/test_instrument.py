"""Instrumented code (the 3.11 backend): what the probe sees, and what the function keeps."""

from __future__ import annotations

import importlib
import inspect
import pickle
import sys
import textwrap
import types
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytead._instrument import Probe, _Inert
from pytead._rewrite import from_source
from pytead._trampoline import trampoline

MODULE = '''
import sys

def plain(a, /, b=2, *rest, c, **extra):
    """Doc."""
    return a + b + c

def fallthrough(x):
    x += 1

def finally_wins():
    try:
        return 1
    finally:
        return 2

def raises(x):
    raise KeyError(x)

def caller_name():
    return sys._getframe(1).f_code.co_name

def counter():
    n = 0
    def bump():
        nonlocal n
        n += 1
        return n
    return bump

class Base:
    def who(self):
        return "base"

class Child(Base):
    def who(self):
        return "child/" + super().who()

def items(n):
    got = yield n
    yield from range(got)
    return "end"
'''


class Spy:
    """A probe that writes down what the instrumented code tells it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def enter(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        self.events.append(("enter", dict(zip(names, values, strict=True))))

    def returned(self, value: Any) -> Any:
        self.events.append(("returned", value))
        return value

    def raised(self) -> None:
        self.events.append(("raised", type(sys.exc_info()[1]).__name__))

    def leave(self) -> None:
        self.events.append(("leave", None))

    def stepping(self) -> bool:
        return True

    def step(self, item: Any) -> Generator[Any, Any, Any]:
        self.events.append(("yielded", item))
        return (yield item)

    def delegate(self, iterable: Any) -> Iterator[Any]:
        self.events.append(("delegate", None))
        return iter(iterable)


@pytest.fixture
def module(in_tmp_path: Path) -> Iterator[types.ModuleType]:
    (in_tmp_path / "shapes_mod.py").write_text(MODULE)
    yield importlib.import_module("shapes_mod")
    sys.modules.pop("shapes_mod", None)


def swap(function: Any, *, source: bool = True) -> Spy:
    spy = Spy()
    code = (from_source if source else trampoline)(function, spy)
    assert code is not None
    function.__code__ = code
    return spy


@pytest.mark.parametrize("source", [True, False], ids=["from source", "trampoline"])
def test_the_function_keeps_what_introspection_reads(
    module: types.ModuleType, source: bool
) -> None:
    plain = module.plain
    before = (
        plain.__code__,
        inspect.signature(plain),
        inspect.getsource(plain),
        plain.__defaults__,
    )
    spy = swap(plain, source=source)
    code = plain.__code__
    assert code is not before[0]
    for attribute in ("co_name", "co_qualname", "co_filename", "co_firstlineno", "co_argcount"):
        assert getattr(code, attribute) == getattr(before[0], attribute)
    assert code.co_varnames[:5] == before[0].co_varnames[:5]
    assert (inspect.signature(plain), inspect.getsource(plain), plain.__defaults__) == before[1:]
    assert plain(1, c=3) == 6
    assert spy.events[0] == ("enter", {"a": 1, "b": 2, "rest": (), "c": 3, "extra": {}})
    assert spy.events[1:] == [("returned", 6), ("leave", None)]
    with pytest.raises(TypeError) as bad_call:
        plain()
    assert str(bad_call.value) == "plain() missing 1 required positional argument: 'a'"


def test_the_last_word_on_how_a_call_ends_wins(module: types.ModuleType) -> None:
    spies = {
        name: swap(getattr(module, name)) for name in ("fallthrough", "finally_wins", "raises")
    }
    assert module.fallthrough(1) is None and module.finally_wins() == 2
    with pytest.raises(KeyError):
        module.raises(3)
    assert [e for e, _ in spies["fallthrough"].events] == ["enter", "leave"]
    assert spies["finally_wins"].events[1:] == [("returned", 1), ("returned", 2), ("leave", None)]
    assert spies["raises"].events[1:] == [("raised", "KeyError"), ("leave", None)]


def test_code_from_source_runs_in_the_functions_own_frame(module: types.ModuleType) -> None:
    swap(module.caller_name)
    assert module.caller_name() == "test_code_from_source_runs_in_the_functions_own_frame"
    traceback_names = []
    swap(module.raises)
    try:
        module.raises(1)
    except KeyError as exc:
        tb = exc.__traceback__
        while tb is not None:
            traceback_names.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
            tb = tb.tb_next
    raise_line = MODULE.splitlines().index("    raise KeyError(x)") + 1
    assert traceback_names[1:] == [("raises", raise_line)]  # that statement, no frame of pytead


def test_closures_nonlocal_and_super_keep_working(module: types.ModuleType) -> None:
    bump = module.counter()
    swap(bump)
    swap(module.Child.who)
    assert (bump(), bump(), module.Child().who()) == (1, 2, "child/base")


def test_generators_report_each_item_and_their_return(module: types.ModuleType) -> None:
    spy = swap(module.items)
    generator = module.items(5)
    assert next(generator) == 5 and generator.send(2) == 0 and list(generator) == [1]
    events = [event for event in spy.events if event[0] != "enter"]
    assert events == [("yielded", 5), ("delegate", None), ("returned", "end"), ("leave", None)]


def test_a_file_edited_since_import_gets_a_trampoline(
    module: types.ModuleType, in_tmp_path: Path
) -> None:
    (in_tmp_path / "shapes_mod.py").write_text("\n" + MODULE)  # every line moved down by one
    assert from_source(module.plain, Spy()) is None
    spy = swap(module.plain, source=False)
    assert module.plain(1, c=1) == 4 and spy.events[-2] == ("returned", 4)


def test_functions_without_source_get_a_trampoline(in_tmp_path: Path) -> None:
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(MODULE), namespace)
    assert from_source(namespace["plain"], Spy()) is None
    spy = swap(namespace["plain"], source=False)
    assert namespace["plain"](1, 1, c=1) == 3 and spy.events[-2] == ("returned", 3)


def test_a_pickled_probe_records_nothing_where_it_is_loaded() -> None:
    probe = Probe.__new__(Probe)
    loaded = pickle.loads(pickle.dumps(probe))
    assert isinstance(loaded, _Inert)
    assert loaded.returned(5) == 5 and loaded.enter(("x",), (1,)) is None


def line_events(name: str, call: Any) -> list[tuple[str, int | None]]:
    """The trace events a debugger or coverage tool sees in *name*'s frames during *call*."""
    events: list[tuple[str, int | None]] = []

    def tracer(frame: types.FrameType, event: str, _arg: Any) -> Any:
        if frame.f_code.co_name == name:
            events.append((event, frame.f_lineno))
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    except KeyError:
        pass
    finally:
        sys.settrace(previous)
    return events


def drive(generator: Any) -> None:
    next(generator)
    generator.send(2)
    list(generator)


def test_tracers_see_the_lines_they_see_untraced(module: types.ModuleType) -> None:
    calls = {
        "plain": lambda: module.plain(1, 2, c=3),
        "items": lambda: drive(module.items(3)),
        "raises": lambda: module.raises(1),
    }
    untraced = {name: line_events(name, call) for name, call in calls.items()}
    for name in calls:
        swap(getattr(module, name))
    assert line_events("plain", calls["plain"]) == untraced["plain"]
    # A recorded yield goes through the probe's one-item generator; on 3.11, with a tracer set,
    # CPython reports that generator's end as an `exception` event: the lines are the same.
    items = line_events("items", calls["items"])
    assert [event for event in items if event[0] != "exception"] == untraced["items"]
    # An exception leaves from the `def` line: the one step a tracer sees more.
    def_line = module.raises.__code__.co_firstlineno
    assert line_events("raises", calls["raises"]) == [
        *untraced["raises"][:-1], ("line", def_line), ("return", def_line),
    ]  # fmt: skip
