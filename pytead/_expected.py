"""How an expected value is asserted: inline when it reads well, else through a snapshot; how an
exception's message is matched.
"""

from __future__ import annotations

import enum
import math
import re
import types
from typing import Any

from pytead._codec import Node, Tagged
from pytead._codec.literals import raw_str_literal, str_literal
from pytead._pyformat import LINE_LENGTH, Doc, width


def match_pattern(message: str) -> Doc:
    """A ``pytest.raises(match=...)`` pattern matching exactly *message*.

    Examples:
        >>> print(match_pattern("bad value (3)"))
        r"^bad value \\(3\\)$"
    """
    # re.escape also escapes characters that are plain outside a character class: unescape them.
    pattern = "^" + re.sub(r"\\([ \-#&~])", r"\1", re.escape(message)) + "$"
    # A raw literal reads best, but cannot escape what it holds (a NUL, a zero-width space).
    return raw_str_literal(pattern) or str_literal(pattern)


def needs_snapshot(node: Node, value: Any, text: str, threshold: int) -> bool:
    """Whether an expected value is asserted through a syrupy snapshot rather than inline."""
    return (
        len(text) > threshold
        or width(f"    assert result == {text}") > LINE_LENGTH  # a long string cannot be wrapped
        or _depth(node) > 1
        or _has_nan(value)
        or not _compares_by_value(value)
    )


def _depth(node: Node) -> int:
    """How many containers deep *node* goes (``[1]`` is 1, ``{"a": [1]}`` is 2)."""
    if isinstance(node, Tagged):
        inner = node.value
        if node.tag == "obj" and isinstance(inner, dict):
            inner = inner.get("state", inner.get("fields", {}))
        if isinstance(inner, list | dict):
            return 1 + max([_depth(item) for item in _children(inner)], default=0)
        return 0
    if isinstance(node, list | dict):
        return 1 + max([_depth(item) for item in _children(node)], default=0)
    return 0


def _children(node: list[Node] | dict[str, Node]) -> list[Node]:
    return list(node.values()) if isinstance(node, dict) else node


def _has_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, complex):
        return math.isnan(value.real) or math.isnan(value.imag)
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nan(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nan(item) for item in value.values())
    return False


def _compares_by_value(value: Any) -> bool:
    if isinstance(value, list | tuple | set | frozenset):
        return all(_compares_by_value(item) for item in value)
    if isinstance(value, dict):
        return all(_compares_by_value(k) and _compares_by_value(v) for k, v in value.items())
    if value is None or isinstance(value, enum.Enum | type | types.FunctionType):
        return True  # singletons: identity is their equality
    equality: Any = type(value).__eq__
    return equality is not object.__eq__
