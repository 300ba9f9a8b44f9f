"""The plain built-in value an object equals: how a person writes an expected mapping or text.

A parser's document that subclasses ``dict``, a ``str`` subclass carrying its source text: when
such a value has no source form of its own but pytead's helpers, a person still writes the
expected value as the plain data it compares equal to (``assert doc == {"title": "TOML"}``).
`plain_form` builds that data, and the caller keeps it only if the recorded value equals it.
"""

from __future__ import annotations

from typing import Any

#: Built-in bases whose subclasses are read as their plain value.
_SCALARS: tuple[type, ...] = (str, bytes, int, float)
_CONTAINERS: tuple[type, ...] = (dict, list, tuple, set, frozenset)
#: How many objects a plain form may hold: a larger value stays as it was recorded.
MAX_ITEMS = 10_000


class _GiveUp(Exception):
    """The value has no plain form worth writing (a cycle, too many items)."""


def plain_form(value: object) -> Any:
    """*value* with every ``dict``, ``list``, ``tuple``, ``set``, ``str``, ``bytes``, ``int``
    and ``float`` subclass inside it turned into the built-in itself; None if it has none.

    Objects of other kinds are kept as they are; named tuples too (their fields are code).

    Examples:
        >>> class Tag(str): ...
        >>> class Doc(dict): ...
        >>> plain_form(Doc(name=Tag("a"), tags=[Tag("b")]))
        {'name': 'a', 'tags': ['b']}
        >>> plain_form(3) is None  # already plain: nothing to gain
        True
    """
    plainer = _Plainer()
    try:
        plain = plainer.plain(value)
    except (_GiveUp, RecursionError):
        return None
    except Exception:  # the value's own methods (items(), __iter__) failed: keep it as it was
        return None
    return plain if plainer.changed else None


class _Plainer:
    def __init__(self) -> None:
        self.active: set[int] = set()  # containers being read: one met again is a cycle
        self.left = MAX_ITEMS
        self.changed = False  # whether some subclass was turned into its built-in

    def plain(self, value: object) -> Any:
        self.left -= 1
        if self.left < 0:
            raise _GiveUp
        if isinstance(value, bool) or value is None:
            return value
        for base in _SCALARS:
            if isinstance(value, base):
                if type(value) is base:
                    return value
                _check_nothing_ignored(value, base)
                self.changed = True
                return base(value)
        if not isinstance(value, dict | list | tuple | set | frozenset):
            return value
        if isinstance(value, tuple) and hasattr(type(value), "_fields"):
            return value  # a named tuple: written by its own constructor
        if id(value) in self.active:
            raise _GiveUp
        if type(value) not in _CONTAINERS:
            _check_nothing_ignored(value, next(b for b in _CONTAINERS if isinstance(value, b)))
            self.changed = True
        self.active.add(id(value))
        try:
            return self._container(value)
        finally:
            self.active.discard(id(value))

    def _container(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.plain(key): self.plain(item) for key, item in value.items()}
        items = [self.plain(item) for item in value]
        if isinstance(value, list):
            return items
        if isinstance(value, tuple):
            return tuple(items)
        return frozenset(items) if isinstance(value, frozenset) else set(items)


def _check_nothing_ignored(value: object, base: type) -> None:
    """Give up on a subclass that compares as its built-in yet keeps public attributes.

    Its ``==`` (the built-in's) ignores them, so plain data would not check them: the value
    is better left to the roads that keep its class (a snapshot, its state).
    """
    attributes = getattr(value, "__dict__", None)
    equality: Any = type(value).__eq__
    if not attributes or equality is not base.__eq__:
        return  # nothing of its own, or its own == says what counts
    if any(not name.startswith("_") for name in attributes):
        raise _GiveUp


def equals_plain(value: object, plain: object) -> bool:
    """Whether ``value == plain`` holds, as the generated assertion will ask it."""
    try:
        return bool(value == plain)
    except Exception:
        return False
