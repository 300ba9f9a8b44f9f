"""A second check for a value whose ``==`` cannot see all of it: the text it renders itself as.

A class that keeps the ``==`` of a built-in container (a ``list`` or ``dict`` subclass, a
``collections.abc.Mapping``) compares only its items: what else it holds -- the layout of a
parsed document, its comments, the whitespace between its items -- is invisible to ``==``. A
test that checks such a value only with ``==`` passes whatever the call did to the rest. When
the class also says how it renders itself, with a public method that takes no argument and
returns text (``as_string()``, ``to_string()``), the test compares that text too::

    assert array == Array([...])
    assert array.as_string() == "[\\n    1, 2, 3, # Line 1\\n]"

The text is the one the value recorded renders: the value is rebuilt from its fixture and the
method called on it at gen time (the project's own code, which is trusted). It is written only
as an escaped string literal, and only when it shows no memory address and is short.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING

from pytead._codec.literals import str_literal
from pytead._errors import CodecError
from pytead._expected import holds_address

if TYPE_CHECKING:
    from pytead._checks import Check
    from pytead._codec import Node
    from pytead._testcases import CaseBuilder

#: Method names that promise the value's own text and nothing else (no file, no stream).
TEXT_METHODS = ("as_string", "to_string", "as_text", "to_text")
#: Where an ``==`` that compares only items comes from.
_CONTAINER_MODULES = frozenset({"builtins", "collections.abc", "_collections_abc"})
#: A longer text is left to the other checks: a test should stay readable.
_MAX_TEXT = 2000


def blind_equality(cls: type) -> bool:
    """Whether *cls* compares by the ``==`` of a built-in container it derives from, which
    sees its items and nothing else it holds.

    Examples:
        >>> class Tagged(list):
        ...     pass
        >>> blind_equality(Tagged), blind_equality(list), blind_equality(int)
        (True, False, False)
    """
    owner = next((k for k in cls.__mro__ if "__eq__" in vars(k)), object)
    return owner is not object and owner is not cls and owner.__module__ in _CONTAINER_MODULES


def text_method(cls: type) -> str | None:
    """The first of `TEXT_METHODS` that *cls* defines (not a built-in's) and that takes no
    argument, or None."""
    for name in TEXT_METHODS:
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or owner.__module__ in _CONTAINER_MODULES:
            continue
        method = vars(owner)[name]
        if inspect.isfunction(method) and _takes_nothing(method):
            return name
    return None


def text_check(builder: CaseBuilder, reader: str, node: Node, where: str) -> Check | None:
    """``reader.as_string() == "<text>"`` for a value whose ``==`` sees only its items, or
    None when its class renders no text of its own (or the text cannot be written)."""
    try:
        value = builder.decoded(node, where)
    except CodecError:
        return None
    cls = type(value)
    name = text_method(cls) if blind_equality(cls) else None
    if name is None:
        return None
    try:
        text = getattr(value, name)()
    except Exception:  # the value rebuilt cannot render itself: its other checks stay
        return None
    if not isinstance(text, str) or len(text) > _MAX_TEXT or holds_address(text):
        return None
    return (f"{reader}.{name}()", str_literal(text))


def _takes_nothing(method: Callable[..., object]) -> bool:
    """Whether *method* can be called with ``self`` alone."""
    try:
        params = list(inspect.signature(method).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    optional = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return all(p.default is not p.empty or p.kind in optional for p in params)
