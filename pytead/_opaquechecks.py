"""How a test checks a result it cannot compare whole: by the names it still shows.

A value pytead has no codec for (a generator, an iterator over a list, a compiled pattern of a
library) is kept in the fixture as its type and its repr only, so no test can compare it with
what was returned. What is left can still be checked: the class of the value, and, for a
generator or a coroutine, the function that made it, which its repr names
(``<generator object _merge_binary at 0x...>``). Such a test fails when the function returns
something else: ``None``, a list iterator where a generator was, another generator function.

A list of items that refer to themselves (tokens pointing back to the statement holding them)
can be neither written as code nor shown in a snapshot; its test checks how many items there
are and the class of each (``[type(item).__qualname__ for item in result] == ["Identifier",
"Identifier"]``), so a change that yields nothing, or other kinds of items, fails it.

An open stream (``sys.stdout``, a file) is left out still: which object it is matters, and a
test runner replaces some of them.

Every name comes from the fixture: it is kept only when it reads as a dotted Python name and is
written only as an escaped string literal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pytead._checks import Check
from pytead._codec import Node, Tagged
from pytead._codec.literals import str_literal
from pytead._codec.streams import STREAM_REASON
from pytead._names import is_dotted, is_qualname

if TYPE_CHECKING:
    from pytead._testcases import CaseBuilder

#: The repr CPython gives a generator, a coroutine or an async generator: its ``__qualname__``.
_MADE_BY = re.compile(r"<(?:generator|coroutine|async_generator) object (?P<name>[^\s]+) at 0x")
#: The types whose instances carry the ``__qualname__`` of the function that made them.
_MADE_BY_FUNCTION = frozenset({"generator", "coroutine", "async_generator"})


def opaque_result(node: Node) -> tuple[str, str, str] | None:
    """The module and qualname of the class of an ``!opaque`` *node*, and the qualname of the
    function that made it ("" if it names none); None when *node* is not one or its names do
    not read as Python names.

    Examples:
        >>> opaque_result(Tagged("opaque", {"type": "builtins.generator",
        ...     "repr": "<generator object count_up at 0x...>"}))
        ('builtins', 'generator', 'count_up')
        >>> opaque_result(Tagged("opaque", {"type": "os; import sys"})) is None
        True
    """
    if not (isinstance(node, Tagged) and node.tag == "opaque" and isinstance(node.value, dict)):
        return None
    if node.value.get("why") == STREAM_REASON:
        return None
    module, _, qualname = str(node.value.get("type", "")).rpartition(".")
    if not (is_dotted(module) and is_qualname(qualname)):
        return None
    made_by = ""
    found = _MADE_BY.match(str(node.value.get("repr", "")))
    if qualname in _MADE_BY_FUNCTION and found and is_qualname(found["name"]):
        made_by = found["name"]
    return module, qualname, made_by


def opaque_checks(reader: str, node: Node) -> list[Check]:
    """The checks that *reader* holds a value of the class *node* recorded, made by the same
    function (empty when *node* is not an ``!opaque`` value with readable names)."""
    found = opaque_result(node)
    if found is None:
        return []
    module, qualname, made_by = found
    checks: list[Check] = [
        (f"type({reader}).__qualname__", str_literal(qualname)),
        (f"type({reader}).__module__", str_literal(module)),
    ]
    if made_by:
        checks.append((f"{reader}.__qualname__", str_literal(made_by)))
    return checks


#: Past this many items, only their number is checked: a test should stay readable.
_MAX_KINDS = 12


def kind_checks(builder: CaseBuilder, reader: str, items: list[Any]) -> list[Check]:
    """The checks that *reader* holds as many *items*, of the same classes, in order."""
    if len(items) > _MAX_KINDS:
        return [(f"len({reader})", str(len(items)))]
    names: list[Node] = [type(item).__qualname__ for item in items]
    return [(f"[type(item).__qualname__ for item in {reader}]", builder.value(names, "kinds"))]
