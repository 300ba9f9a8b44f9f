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
from collections.abc import Iterator
from typing import Any

from pytead._codec import Node, Tagged
from pytead._codec.literals import raw_str_literal, str_literal
from pytead._codec.nodes import node_children, walk_nodes
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
#: Nodes nested deeper than this cannot go to a snapshot either (an object is three: its tag,
#: its payload, its state): syrupy's serializer recurses several frames an object, and would
#: stop at Python's recursion limit.
SNAPSHOT_DEPTH = 120
#: A snapshot showing more parts than this (shared parts counted each time they are shown)
#: would not be read by anyone, and could take very long to write.
SNAPSHOT_PARTS = 50_000


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
    if isinstance(node, str):  # most values: no walk to set up
        return ADDRESS.search(node) is not None
    if not isinstance(node, Tagged | list | dict):
        return False
    return any(
        isinstance(part, str) and ADDRESS.search(part) is not None for part in walk_nodes(node)
    )


def snapshot_problem(node: Node) -> str | None:
    """Why the recorded *node* cannot be shown in a snapshot, or None if it can.

    A snapshot shows every part of a value where it sits: a value that refers to itself (a
    tree whose nodes point back to their parent) would be shown without end, a very deep one
    would stop syrupy at the recursion limit.

    Examples:
        >>> loop: list = []
        >>> loop.append(loop)
        >>> snapshot_problem(loop), snapshot_problem([[1], [2]])
        ('it refers to itself (a part points back to a part holding it)', None)
    """
    if _refers_to_itself(node):
        return "it refers to itself (a part points back to a part holding it)"
    depth, parts = _measure(node)
    if depth > SNAPSHOT_DEPTH:
        return f"it is nested more than {SNAPSHOT_DEPTH} levels deep"
    if parts > SNAPSHOT_PARTS:
        return f"it would show more than {SNAPSHOT_PARTS} parts"
    return None


def _refers_to_itself(node: Node) -> bool:
    """Whether a container inside *node* holds itself, directly or further down (iterative)."""
    state: dict[int, bool] = {}  # container -> True while it is being walked, False once done
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        item, leaving = stack.pop()
        if not isinstance(item, Tagged | list | dict):
            continue
        if leaving:
            state[id(item)] = False
            continue
        if state.get(id(item)) is True:
            return True
        if id(item) in state:
            continue
        state[id(item)] = True
        stack.append((item, True))
        stack += [(child, False) for child in node_children(item)]
    return False


def _measure(node: Node) -> tuple[int, int]:
    """How deep the (acyclic) *node* goes, in nodes, and how many parts a snapshot of it shows,
    shared parts counted each time they are shown; both stop growing past their limits."""
    sizes: dict[int, tuple[int, int]] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        item, leaving = stack.pop()
        if not isinstance(item, Tagged | list | dict) or (id(item) in sizes and not leaving):
            continue
        children = node_children(item)
        if leaving:
            inner = [sizes.get(id(child), (0, 1)) for child in children]
            depth = 1 + max((d for d, _ in inner), default=0)
            parts = 1 + sum(p for _, p in inner)
            sizes[id(item)] = (min(depth, SNAPSHOT_DEPTH + 1), min(parts, SNAPSHOT_PARTS + 1))
            continue
        stack.append((item, True))
        stack += [(child, False) for child in children]
    return sizes.get(id(node), (0, 1))


def needs_snapshot(node: Node, value: Any, doc: Doc, threshold: int) -> bool:
    """Whether an expected value is asserted through a syrupy snapshot rather than inline.

    Inline when it fits on a few lines as Python (a small dict of lists stays inline), is not
    deeply nested and compares by value; a snapshot otherwise. A value written as one piece of
    text (a name its module gives it, a codec's call) has no nesting to read, however deep the
    recorded state behind it.
    """
    return (
        len(flat(doc)) > threshold
        or _too_wide(doc)
        or (not isinstance(doc, str) and _depth(node) > INLINE_DEPTH)
        or _has_nan(value)
        or not compares_by_value(value)
    )


def _too_wide(doc: Doc) -> bool:
    """Whether laid out it runs past the line (a long string cannot be wrapped) or too long."""
    lines = layout(doc, indent="    ", prefix="assert result == ")
    return len(lines) > INLINE_LINES or any(width(line) > LINE_LENGTH for line in lines)


def _depth(node: Node, limit: int = INLINE_DEPTH + 1) -> int:
    """How many containers deep *node* goes (``[1]`` is 1, ``{"a": [1]}`` is 2), up to *limit*.

    Counting stops at *limit*: past it the value goes to a snapshot anyway, and a tree that
    deep or one that refers to itself is not walked further.
    """
    deepest = 0
    stack: list[tuple[Node, int]] = [(node, 0)]
    while stack and deepest < limit:
        item, depth = stack.pop()
        inner = _contents(item)
        if inner is not None:
            deepest = max(deepest, depth + 1)
            stack += [(child, depth + 1) for child in _children(inner)]
    return deepest


def _children(node: list[Node] | dict[str, Node]) -> list[Node]:
    return list(node.values()) if isinstance(node, dict) else node


def _contents(node: Node) -> list[Node] | dict[str, Node] | None:
    """What a container node holds (an object's state), or None for a leaf."""
    if isinstance(node, Tagged):
        inner = node.value
        if node.tag == "obj" and isinstance(inner, dict):
            inner = inner.get("state", inner.get("fields", {}))
        return inner if isinstance(inner, list | dict) else None
    return node if isinstance(node, list | dict) else None


def _has_nan(value: Any) -> bool:
    if not _is_container(value):
        return _is_nan(value)
    return any(_is_nan(item) for item in _walk_values(value))


def _is_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, complex):
        return math.isnan(value.real) or math.isnan(value.imag)
    return False


def compares_by_value(value: Any) -> bool:
    """Whether ``==`` on *value* compares what it holds (not, for some part, its identity)."""
    if not _is_container(value):  # most values: no walk to set up
        return not by_identity(value)
    return not any(
        by_identity(item) for item in _walk_values(value, keys=True) if not _is_container(item)
    )


def _is_container(value: Any) -> bool:
    return isinstance(value, list | tuple | set | frozenset | dict)


def _walk_values(value: Any, *, keys: bool = False) -> Iterator[Any]:
    """*value* and the items of the plain containers inside it, each container once, without
    recursion (a list may hold itself); with *keys*, a dict's keys too."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if _is_container(item):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                stack += [*item.keys()] if keys else []
                stack += list(item.values())
            else:
                stack += list(item)
        yield item


def by_identity(value: Any) -> bool:
    """Whether *value* is an object whose class keeps ``object.__eq__`` (equal to itself only).

    Singletons (None, enum members, classes, functions) are not counted: for them identity is
    what equality means.
    """
    if value is None or isinstance(value, enum.Enum | type | types.FunctionType):
        return False
    equality: Any = type(value).__eq__
    return equality is object.__eq__
