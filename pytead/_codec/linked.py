"""Linked constants: values of a class whose instances only point to each other, compared by
their class and value alone.

A token type of a lexer (``Token.Keyword.DML``, a ``tuple`` subclass) keeps as attributes its
parent and the children made from it, and makes a child the first time it is asked for one
(``Token.Comment.Multiline``). Its recorded state is then the whole tree of token types the
program had made by then, and the same constant read at gen time, or at test time, may hold
fewer children. What such a value stands for is its class and its value (``("Keyword",
"DML")``): two trees of objects that hold it are compared with each such constant reduced to
that, so that a token the program made is found equal to one made again, while every other
part of them is compared as recorded.

A node counts as a linked constant when it is an ``!obj`` recorded by its immutable value (a
``value`` key: a ``tuple``, ``str`` or ``int`` subclass) and every attribute of its state holds
None or an object of its own class.
"""

from __future__ import annotations

from pytead._codec.nodes import Node, Tagged

__all__ = ["is_linked_constant", "without_links"]


def is_linked_constant(node: Node) -> bool:
    """Whether *node* is an object of a class whose attributes only link it to its own kind.

    Examples:
        >>> root = Tagged("obj", {"type": "lex.Kind", "value": Tagged("tuple", [])})
        >>> child = Tagged("obj", {"type": "lex.Kind", "value": Tagged("tuple", ["Name"]),
        ...                        "state": {"parent": root}})
        >>> is_linked_constant(child), is_linked_constant(Tagged("obj", {"type": "x.Y"}))
        (True, False)
    """
    if not isinstance(node, Tagged) or node.tag != "obj" or not isinstance(node.value, dict):
        return False
    payload = node.value
    state = payload.get("state")
    if set(payload) != {"type", "value", "state"} or not isinstance(state, dict) or not state:
        return False
    return all(item is None or _same_type(item, payload["type"]) for item in state.values())


def without_links(node: Node) -> Node:
    """A copy of *node* in which each linked constant is its class and value only.

    Shared parts stay shared and cycles stay cycles, so that `pytead._codec.jsonio.canonical`
    numbers the anchors of two equal trees alike. A tree holding no linked constant is given
    back as it is.
    """
    if not _holds_linked(node):
        return node
    return _Copier().copy(node)


def _same_type(item: Node, name: Node) -> bool:
    return (
        isinstance(item, Tagged)
        and item.tag == "obj"
        and isinstance(item.value, dict)
        and item.value.get("type") == name
    )


def _holds_linked(node: Node) -> bool:
    """Whether a linked constant sits anywhere in *node* (walked once, without recursing)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if not isinstance(item, (list, dict, Tagged)) or id(item) in seen:
            continue
        seen.add(id(item))
        if is_linked_constant(item):
            return True
        if isinstance(item, Tagged):
            stack.append(item.value)
        else:
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False


class _Copier:
    """Copies a tree once per node, the copy of a container made before its parts (cycles)."""

    def __init__(self) -> None:
        self._copies: dict[int, Node] = {}

    def copy(self, node: Node) -> Node:
        if not isinstance(node, (list, dict, Tagged)):
            return node
        known = self._copies.get(id(node))
        if known is not None:
            return known
        if isinstance(node, list):
            items: list[Node] = []
            self._copies[id(node)] = items
            items.extend(self.copy(item) for item in node)
            return items
        if isinstance(node, dict):
            pairs: dict[str, Node] = {}
            self._copies[id(node)] = pairs
            pairs.update((key, self.copy(item)) for key, item in node.items())
            return pairs
        return self._tagged(node)

    def _tagged(self, node: Tagged) -> Tagged:
        copied = Tagged(node.tag, None, node.line)
        self._copies[id(node)] = copied
        if is_linked_constant(node):
            assert isinstance(node.value, dict)
            kept = {key: node.value[key] for key in ("type", "value")}
            copied.value = self.copy(kept)
        else:
            copied.value = self.copy(node.value)
        return copied
