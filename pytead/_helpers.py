"""Helpers that generated tests call when a value cannot be written as plain Python.

Generated modules import nothing from pytead when every value can be written as source; the
others use these two small functions, which is all they need from pytead at test time.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pytead._codec import decode, load_yaml
from pytead._codec.decoder import set_state

T = TypeVar("T")


def rebuild(cls: type[T], state: dict[str, Any]) -> T:
    """Create an instance of *cls* with *state*, without calling ``__init__`` (as pickle does).

    Args:
        cls: The class to instantiate.
        state: Its attributes (or what its ``__setstate__`` expects).

    Examples:
        >>> from fractions import Fraction
        >>> class Cart:
        ...     def __init__(self):
        ...         self.items = {}
        >>> cart = rebuild(Cart, {"items": {"apple": 2}})
        >>> cart.items
        {'apple': 2}
    """
    obj = cls.__new__(cls)
    set_state(obj, state)
    return obj


def fixture_value(text: str) -> Any:
    """Rebuild a value from its YAML form, as written in a fixture.

    Used for values plain Python cannot spell, such as self-referencing structures.

    Examples:
        >>> fixture_value("!tuple [1, 2]")
        (1, 2)
    """
    return decode(load_yaml(text))
