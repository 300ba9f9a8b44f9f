"""The value helpers of the public API.

`rebuild` and `fixture_value` are what generated tests call when a value cannot be written as
plain Python (generated modules import nothing from pytead otherwise). `to_yaml` and `to_source`
show how pytead writes a value in fixtures and in generated code, which helps when writing a
codec for a type of your own.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pytead._codec import Encoder, decode, dump_yaml, load_yaml, render_source
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
        Real calls, recorded by pytead:

        >>> fixture_value("!tuple [the, 2]")
        ('the', 2)
    """
    return decode(load_yaml(text))


def to_yaml(value: Any) -> str:
    """Write *value* the way pytead writes it in a fixture.

    Args:
        value: Any value a traced function might take or return.

    Returns:
        Its YAML text, tags included (``!tuple``, ``!decimal``, ``!obj``...).

    Examples:
        Real calls, recorded by pytead:

        >>> print(to_yaml({"ann": 30.0, "bob": 30.0, "shares": (1, 2)}))
        ann: 30.0
        bob: 30.0
        shares: !tuple [1, 2]
        <BLANKLINE>
    """
    return dump_yaml(Encoder().encode(value)).removesuffix("...\n")


def to_source(value: Any) -> str:
    """Write *value* as the Python expression generated tests and docs use for it.

    Args:
        value: Any value a traced function might take or return.

    Returns:
        A Python expression that evaluates to an equal value (its imports are left out).

    Raises:
        CodecError: The value cannot be written as code (an unreadable object, a cycle).

    Examples:
        Real calls, recorded by pytead:

        >>> from decimal import Decimal
        >>> to_source(Decimal("95.00"))
        'Decimal("95.00")'
    """
    return render_source(Encoder().encode(value)).text
