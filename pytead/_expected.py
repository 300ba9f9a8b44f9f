"""How an expected value is asserted: inline when it reads well, else through a snapshot; how an
exception's message is matched; what in a recorded value is a memory address.

A memory address (a default repr's ``0x7f3a...``, an ``id()`` a repr shows) changes from one run
to the next: it is never written into a test as it was recorded. A message holding one is matched
with a pattern accepting any address there; a value holding one is compared another way.
"""

from __future__ import annotations

import enum
import math
import re
import types
from typing import Any

from pytead._codec import Node, Tagged
from pytead._codec.literals import raw_str_literal, str_literal
from pytead._pyformat import LINE_LENGTH, Doc, flat, layout, width

#: What a memory address looks like in a repr: ``0x7f3a2b1c0d90`` (default reprs), an ``id()``
#: shown after ``@`` or ``id=`` (``<py3-none-any @ 140654066821824>``), or the end of a default
#: repr pytest shortened (``<shop.Item...7f3a2b1c0d90>``).
ADDRESS = re.compile(
    r"0x[0-9a-fA-F]{6,}|(?:@|\bid[=:]) ?[1-9][0-9]{8,}|(?<=\.\.\.)[0-9a-fA-F]{6,}(?=>)"
)
#: A pattern matching any address, where a message showed one.
ANY_ADDRESS = r"(?:0x)?[0-9a-fA-F]+"
#: An expected value laid out on more lines than this goes to a snapshot.
INLINE_LINES = 12
#: Containers nested deeper than this go to a snapshot (``{"a": [1]}`` is 2).
INLINE_DEPTH = 3


def match_pattern(message: str) -> Doc:
    """A ``pytest.raises(match=...)`` pattern matching exactly *message*.

    Examples:
        >>> print(match_pattern("bad value (3)"))
        r"^bad value \\(3\\)$"
    """
    pieces = [_escaped(part) for part in ADDRESS.split(message)]
    prefixes = [_address_prefix(found) for found in ADDRESS.findall(message)]
    body = pieces[0] + "".join(
        _escaped(prefix) + ANY_ADDRESS + piece
        for prefix, piece in zip(prefixes, pieces[1:], strict=True)
    )
    pattern = "^" + body + "$"
    # A raw literal reads best, but cannot escape what it holds (a NUL, a zero-width space).
    return raw_str_literal(pattern) or str_literal(pattern)


def _escaped(text: str) -> str:
    # re.escape also escapes characters that are plain outside a character class: unescape them.
    return re.sub(r"\\([ \-#&~])", r"\1", re.escape(text))


def _address_prefix(found: str) -> str:
    """What an address match holds before its number (``@ ``, ``id=``), kept literally."""
    prefix = re.match(r"(?:@|id[=:]) ?", found)
    return prefix.group(0) if prefix else ""


def holds_address(node: Node) -> bool:
    """Whether a recorded value holds a text showing a memory address.

    Examples:
        >>> holds_address(["<Tag @ 140654066821824>"]), holds_address({"n": 140654066821824})
        (True, False)
    """
    # Walked with a stack, each shared node once: a recorded value may be deep or cyclic (a
    # linked list's cells, a tree whose nodes point at their parent).
    pending: list[Node] = [node]
    seen: set[int] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if ADDRESS.search(item) is not None:
                return True
        elif id(item) not in seen:
            seen.add(id(item))
            if isinstance(item, Tagged):
                pending.append(item.value)
            elif isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                pending.extend(item)
                pending.extend(item.values())
    return False


def needs_snapshot(node: Node, value: Any, doc: Doc, threshold: int) -> bool:
    """Whether an expected value is asserted through a syrupy snapshot rather than inline.

    Inline when it fits on a few lines as Python (a small dict of lists stays inline), is not
    deeply nested and compares by value; a snapshot otherwise.
    """
    return (
        len(flat(doc)) > threshold
        or _too_wide(doc)
        or _depth(node) > INLINE_DEPTH
        or _has_nan(value)
        or not compares_by_value(value)
    )


def _too_wide(doc: Doc) -> bool:
    """Whether laid out it runs past the line (a long string cannot be wrapped) or too long."""
    lines = layout(doc, indent="    ", prefix="assert result == ")
    return len(lines) > INLINE_LINES or any(width(line) > LINE_LENGTH for line in lines)


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


def compares_by_value(value: Any) -> bool:
    """Whether ``==`` on *value* compares what it holds (not, for some part, its identity)."""
    if isinstance(value, list | tuple | set | frozenset):
        return all(compares_by_value(item) for item in value)
    if isinstance(value, dict):
        return all(compares_by_value(k) and compares_by_value(v) for k, v in value.items())
    return not by_identity(value)


def by_identity(value: Any) -> bool:
    """Whether *value* is an object whose class keeps ``object.__eq__`` (equal to itself only).

    Singletons (None, enum members, classes, functions) are not counted: for them identity is
    what equality means.
    """
    if value is None or isinstance(value, enum.Enum | type | types.FunctionType):
        return False
    equality: Any = type(value).__eq__
    return equality is object.__eq__
