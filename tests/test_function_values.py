"""Functions as values: ``functools.partial`` is recorded, replayed and written as code."""

from __future__ import annotations

import functools
import importlib
import operator
import re
import sys
import types
from pathlib import Path

import pytest

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import NotRenderable, render_source
from pytead._errors import CodecError
from pytead._trust import TrustPolicy, trusting


def test_partial_round_trips_through_its_function_and_arguments() -> None:
    value = functools.partial(operator.add, 2)
    node = Encoder().encode(value)
    assert isinstance(node, Tagged) and node.tag == "functools.partial"
    rebuilt = decode(node)
    assert isinstance(rebuilt, functools.partial)
    assert rebuilt.func is operator.add and rebuilt(3) == 5


def test_partial_is_written_as_a_call_that_builds_it() -> None:
    value = functools.partial(int, base=16)
    source = render_source(Encoder().encode(value))
    assert source.text == "functools.partial(int, base=16)"
    built = eval(source.text, {"functools": functools})
    assert built("ff") == 255


def test_partial_of_a_lambda_is_not_written() -> None:
    node = Encoder().encode(functools.partial(lambda x, y: x + y, 1))
    try:
        render_source(node)
    except NotRenderable:
        pass
    except Exception as exc:  # the renderer wraps other errors in its own CodecError
        assert "opaque" in str(exc) or "cannot" in str(exc)
    else:
        raise AssertionError("a partial of a lambda was written as code")


def _module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str
) -> types.ModuleType:
    """The module *name* made of *source*, imported afresh from *tmp_path*."""
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return importlib.import_module(name)


def _wrapping_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """``wrapping.total`` wraps ``wrapped_origin.total`` with functools.wraps, under its name."""
    _module(tmp_path, monkeypatch, "wrapped_origin", "def total(a, b):\n    return a + b\n")
    return _module(
        tmp_path,
        monkeypatch,
        "wrapping",
        "import functools\nimport wrapped_origin\n\n"
        "@functools.wraps(wrapped_origin.total)\n"
        "def total(a, b):\n    return wrapped_origin.total(a, b) * 10\n\n"
        "def make():\n"
        "    @functools.wraps(wrapped_origin.total)\n"
        "    def total(a, b):\n        return 0\n"
        "    return total\n",
    )


def test_a_wrapper_naming_the_function_it_wraps_is_referred_to_where_it_is_defined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapping = _wrapping_modules(tmp_path, monkeypatch)
    assert wrapping.total.__module__ == "wrapped_origin"  # what functools.wraps copied
    node = Encoder().encode(wrapping.total)
    assert node == Tagged("ref", "wrapping.total")
    with trusting(TrustPolicy(first_party=frozenset({"wrapping"}))):
        source = render_source(node)
        assert "wrapping" in {module for module, _ in source.imports}
        assert decode(node) is wrapping.total
        assert decode(Encoder().encode(functools.partial(wrapping.total, 1)))(2) == 30


def test_a_wrapper_its_module_does_not_bind_is_not_referred_to_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapping = _wrapping_modules(tmp_path, monkeypatch)
    node = Encoder().encode(wrapping.make())
    assert isinstance(node, Tagged) and node.tag != "ref"


def test_a_method_of_a_pattern_is_recorded_with_its_pattern_and_written_as_code() -> None:
    match = re.compile("a+").match
    node = Encoder().encode(match)
    assert isinstance(node, Tagged) and node.tag == "method"
    assert node.value["name"] == "match" and node.value["self"].tag == "re.Pattern"
    rebuilt = decode(node)
    assert rebuilt.__self__ == match.__self__ and rebuilt("aab").group() == "aa"
    written = render_source(node)
    assert written.text == 're.compile("a+").match'
    assert eval(written.text, {"re": re})("xa") is None


def test_a_method_of_an_object_is_rebuilt_bound_to_the_object_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checker = _module(
        tmp_path,
        monkeypatch,
        "checker",
        "class Checker:\n"
        "    def __init__(self, low):\n"
        "        self.low = low\n"
        "        self.check = self.at_least  # a method of its own, kept as a callback\n\n"
        "    def at_least(self, value):\n"
        "        return value >= self.low\n\n"
        "    @classmethod\n"
        "    def make(cls):\n"
        "        return cls(0)\n",
    )
    with trusting(TrustPolicy(first_party=frozenset({"checker"}))):
        rebuilt = decode(Encoder().encode(checker.Checker(3)))
        assert rebuilt.check.__self__ is rebuilt and rebuilt.check(3) and not rebuilt.check(2)
        made = Encoder().encode(checker.Checker.make)
        assert isinstance(made, Tagged) and made.tag == "method"
        assert render_source(made).text == "Checker.make"
        assert decode(made)().low == 0
    assert Encoder().encode(len) == Tagged("ref", "builtins.len")


@pytest.mark.parametrize(
    ("payload", "wrong"),
    [
        ({"self": 1, "name": "__class__"}, "is not a method of its object"),
        ({"self": 1, "name": "no such"}, "is not a Python name"),
        ({"self": 1, "name": "nothing_here"}, "has no such method"),
        ({"name": "get"}, "needs 'self'"),
    ],
)
def test_a_method_naming_what_its_object_does_not_have_is_refused(
    payload: dict[str, object], wrong: str
) -> None:
    with pytest.raises(CodecError, match=wrong):
        decode(Tagged("method", payload))


def test_a_function_a_decorator_object_keeps_as_func_is_found_again_by_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    curried = _module(
        tmp_path,
        monkeypatch,
        "curried",
        "class Curried:\n"
        "    def __init__(self, func):\n"
        "        self._func = func\n\n"
        "    @property\n"
        "    def func(self):\n"
        "        return self._func\n\n"
        "    def __call__(self, *args):\n"
        "        return self._func(*args)\n\n\n"
        "@Curried\n"
        "def add(a, b):\n"
        "    return a + b\n",
    )
    node = Encoder().encode(curried.add.func)  # the module binds the Curried under its name
    assert isinstance(node, Tagged) and node.tag == "function"
    with trusting(TrustPolicy(first_party=frozenset({"curried"}))):
        assert decode(node) is curried.add.func
        written = render_source(node)
    assert written.text == "add.func" and ("curried", "add") in written.imports


def test_a_method_a_module_binds_by_name_is_referred_to_by_that_name() -> None:
    import random

    assert Encoder().encode(random.random) == Tagged("ref", "random.random")
    assert render_source(Tagged("method", {"self": -1, "name": "real"})).text == "(-1).real"
