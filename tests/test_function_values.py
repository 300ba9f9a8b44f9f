"""Functions as values: ``functools.partial`` is recorded, replayed and written as code."""

from __future__ import annotations

import functools
import operator

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import NotRenderable, render_source


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
