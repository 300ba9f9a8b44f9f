"""How a test checks a returned function that cannot be imported by name (``!function``).

A decorator that returns a new function, a factory that returns a lambda: the function itself
cannot be compared with anything, but what it is called and where it comes from can. The test
asserts that the result is callable, its ``__qualname__`` and ``__module__``, and, when it wraps
another function (`functools.wraps` sets ``__wrapped__``), that one: by identity when it can be
imported by name, else by its own names. Such a test fails when the decorator returns something
else (the function unwrapped, another wrapper, a value that is not a function).

Every name comes from the fixture: it is written only as an escaped string literal, or, for a
wrapped function, through the codec (``!ref`` names go through the trust policy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytead._checks import Check
from pytead._codec import Node, Tagged
from pytead._codec.literals import str_literal
from pytead._codec.nodes import FUNCTION, REF
from pytead._errors import CodecError
from pytead._pyformat import concat

if TYPE_CHECKING:
    from pytead._testcases import CaseBuilder


def is_function_node(node: Node) -> bool:
    """Whether *node* is a ``!function`` (a function that cannot be imported by name)."""
    return isinstance(node, Tagged) and node.tag == FUNCTION and isinstance(node.value, dict)


def function_checks(builder: CaseBuilder, reader: str, node: Tagged, where: str) -> list[Check]:
    """The checks that *reader* holds the function *node* recorded.

    Raises:
        CodecError: The node lacks its names, or the function it wraps cannot be written.
    """
    payload = node.value
    assert isinstance(payload, dict)
    names = [(key, payload.get(key)) for key in ("qualname", "module")]
    if not all(isinstance(value, str) and value for _, value in names):
        raise CodecError("a !function value needs its qualname and module", where=where)
    checks: list[Check] = [(f"callable({reader})", None)]
    checks += [(f"{reader}.__{key}__", str_literal(str(value))) for key, value in names]
    wrapped = payload.get("wrapped")
    if wrapped is not None:
        checks += _wrapped_checks(builder, f"{reader}.__wrapped__", wrapped, f"{where}.wrapped")
    return checks


def _wrapped_checks(builder: CaseBuilder, reader: str, node: Node, where: str) -> list[Check]:
    """The function a wrapper wraps: the very one when importable, else checked by its names."""
    if isinstance(node, Tagged) and node.tag == REF:
        return [(concat(reader, " is ", builder.value(node, where)), None)]
    if is_function_node(node):
        assert isinstance(node, Tagged)
        return function_checks(builder, reader, node, where)
    raise CodecError("the function it wraps was not recorded by name", where=where)
