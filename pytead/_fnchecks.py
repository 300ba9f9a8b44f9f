"""How a test checks a returned function that cannot be imported by name (``!function``).

A decorator that returns a new function, a factory that returns a lambda: the function itself
cannot be compared with anything, but what it is called and where it comes from can. The test
asserts that the result is callable, its ``__qualname__`` and ``__module__``, and, when it wraps
another function (`functools.wraps` sets ``__wrapped__``), that one: by identity when it can be
imported by name, else by its own names. Such a test fails when the decorator returns something
else (the function unwrapped, another wrapper, a value that is not a function).

A function the test itself passed as an argument (written from the project's source, see
`pytead._localsource`) has other names in the test than in the program: it is then compared with
the test's own function -- ``result is encode`` when the call returned it, ``result.__qualname__
== encode.__qualname__`` for a wrapper that copied its names; a lambda has no name to compare
with, so only that it is one (``__name__ == "<lambda>"``).

Every name comes from the fixture: it is written only as an escaped string literal, or, for a
wrapped function, through the codec (``!ref`` names go through the trust policy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytead._checks import Check
from pytead._codec import Node, Tagged, canonical
from pytead._codec.literals import str_literal
from pytead._codec.nodes import FUNCTION, REF, walk_nodes
from pytead._errors import CodecError
from pytead._pyformat import concat

if TYPE_CHECKING:
    from pytead._testcases import CaseBuilder


def is_function_node(node: Node) -> bool:
    """Whether *node* is a ``!function`` (a function that cannot be imported by name)."""
    return isinstance(node, Tagged) and node.tag == FUNCTION and isinstance(node.value, dict)


#: A function argument of the case by its recorded names: its recorded node (canonical), and
#: its name in the test (None for a lambda, written inline).
StandIns = dict[tuple[str, str], tuple[str, str | None]]


def function_checks(
    builder: CaseBuilder, reader: str, node: Tagged, where: str, arguments: Node = None
) -> list[Check]:
    """The checks that *reader* holds the function *node* recorded.

    *arguments*: the case's arguments, whose functions the test writes from source.

    Raises:
        CodecError: The node lacks its names, or the function it wraps cannot be written.
    """
    return _checks(builder, reader, node, where, stand_ins(arguments))


def _checks(
    builder: CaseBuilder, reader: str, node: Tagged, where: str, known: StandIns
) -> list[Check]:
    payload = node.value
    assert isinstance(payload, dict)
    module, qualname = payload.get("module"), payload.get("qualname")
    if not (isinstance(module, str) and module and isinstance(qualname, str) and qualname):
        raise CodecError("a !function value needs its qualname and module", where=where)
    checks: list[Check] = [(f"callable({reader})", None)]
    found = known.get((module, qualname))
    if found is None:
        checks += [(f"{reader}.__qualname__", str_literal(qualname))]
        checks += [(f"{reader}.__module__", str_literal(module))]
    elif found[1] is None:  # named after a lambda the test writes inline
        checks += [(f"{reader}.__name__", str_literal("<lambda>"))]
    elif found[0] == canonical(node):  # the very function the test passed
        return [(f"{reader} is {found[1]}", None)]
    else:  # a wrapper named after it
        checks += [(f"{reader}.__{key}__", f"{found[1]}.__{key}__") for key in _NAMES]
    wrapped = payload.get("wrapped")
    if wrapped is not None:
        inner = f"{reader}.__wrapped__"
        checks += _wrapped_checks(builder, inner, wrapped, f"{where}.wrapped", known)
    return checks


_NAMES = ("qualname", "module")


def _wrapped_checks(
    builder: CaseBuilder, reader: str, node: Node, where: str, known: StandIns
) -> list[Check]:
    """The function a wrapper wraps: the very one when importable, else checked by its names."""
    if isinstance(node, Tagged) and node.tag == REF:
        return [(concat(reader, " is ", builder.value(node, where)), None)]
    if is_function_node(node):
        assert isinstance(node, Tagged)
        return _checks(builder, reader, node, where, known)
    raise CodecError("the function it wraps was not recorded by name", where=where)


def stand_ins(arguments: Node) -> StandIns:
    """The ``!function`` values among *arguments*, by their recorded module and qualname."""
    found: StandIns = {}
    for item in walk_nodes(arguments):
        if is_function_node(item):
            assert isinstance(item, Tagged) and isinstance(item.value, dict)
            module, qualname = item.value.get("module"), item.value.get("qualname")
            if isinstance(module, str) and isinstance(qualname, str):
                name = qualname.rpartition(".")[2]
                found[(module, qualname)] = (canonical(item), None if "<" in name else name)
    return found


def without_functions(node: Node) -> Node:
    """*node* with each ``!function`` part as None (shared parts stay shared).

    For the check gen-tests makes that a value written with pytead's helpers rebuilds: a
    function in it is written as code (from the project's source), not rebuilt from the
    fixture, so only the rest of the value needs checking here.
    """
    from pytead._codec.nodes import FUNCTION, copy_graph, iter_tags

    if FUNCTION not in iter_tags(node):
        return node
    return copy_graph(node, lambda item: None if is_function_node(item) else item)
