"""Trees whose nodes point back to their parent: where a node sits below its root.

A parser's node (a token of a statement, an element of a document) often keeps its parent,
which keeps its own, up to a root that keeps none. Such a node cannot be written as a call of
its class: what it points to is not made by that call. Its root can be (its constructor sets
the back pointers of the children it is given, see `pytead._codec.source`), and the node is
then reached from it as a person would: ``Statement(tokens=[...]).tokens[4].tokens[0]``.
This module finds that root and the path from it, in the recorded tree; reading nothing but
nodes, it runs no code.
"""

from __future__ import annotations

from pytead._codec.nodes import Node, Tagged, copy_graph

__all__ = ["MAX_DEPTH", "Step", "follow", "root_path", "without_attributes"]

#: The most parents followed up to a root: past that the tree is taken for a chain.
MAX_DEPTH = 40

#: One step down from a node: an attribute, then an index into it if it is a list.
Step = tuple[str, int | None]


def root_path(node: Tagged) -> tuple[Tagged, list[Step]] | None:
    """The root above *node* and the steps down from it to *node*; None if it has no parent.

    A parent is an object an attribute of *node* holds that holds *node* in turn, in one of its
    attributes or in a list one of them holds.

    Examples:
        >>> root = Tagged("obj", {"type": "t.Node", "state": {"kids": [], "up": None}})
        >>> kid = Tagged("obj", {"type": "t.Node", "state": {"kids": [], "up": root}})
        >>> root.value["state"]["kids"].append(kid)
        >>> found = root_path(kid)
        >>> found is not None and found[0] is root, found and found[1]
        (True, [('kids', 0)])
    """
    path: list[Step] = []
    current, seen = node, {id(node)}
    for _ in range(MAX_DEPTH):
        found = _parent(current)
        if found is None:
            return (current, path) if path else None
        parent, step = found
        if id(parent) in seen:
            return None  # a ring, not a tree
        seen.add(id(parent))
        path.insert(0, step)
        current = parent
    return None


def follow(value: object, path: list[Step]) -> object:
    """What *path* reaches from *value* (``value.kids[0]``), read as the test will read it.

    Raises:
        Exception: Whatever reading an attribute or an item raises.
    """
    for attribute, index in path:
        value = getattr(value, attribute)
        if index is not None:
            value = value[index]  # type: ignore[index]
    return value


def _state(node: Node) -> dict[str, Node] | None:
    if not isinstance(node, Tagged) or node.tag != "obj" or not isinstance(node.value, dict):
        return None
    state = node.value.get("state")
    return state if isinstance(state, dict) else None


def _parent(node: Tagged) -> tuple[Tagged, Step] | None:
    """The parent *node* points to, and the step from it down to *node*."""
    for item in (_state(node) or {}).values():
        if not isinstance(item, Tagged):
            continue
        step = _step_to(item, node)
        if step is not None:
            return item, step
    return None


def _step_to(parent: Tagged, child: Tagged) -> Step | None:
    """The attribute of *parent* (and the index in it) that holds *child*, if one does."""
    for key, item in (_state(parent) or {}).items():
        if not key.isidentifier():
            continue
        if item is child:
            return key, None
        if isinstance(item, list):
            index = next((i for i, part in enumerate(item) if part is child), None)
            if index is not None:
                return key, index
    return None


def without_attributes(node: Tagged, keys: set[str]) -> Tagged:
    """A copy of what *node* reaches, *node* itself without the attributes *keys*.

    Every part that points to *node* points to its copy, so a subtree read without its back
    pointer to its parent reaches nothing above it (when its parts point only within it).
    """

    def swap(item: Node) -> Node:
        if item is node:
            return Tagged(node.tag, _pruned(node.value, keys), node.line)
        return item

    result = copy_graph(node, swap)
    assert isinstance(result, Tagged)
    return result


def _pruned(payload: Node, keys: set[str]) -> Node:
    if not isinstance(payload, dict) or not isinstance(payload.get("state"), dict):
        return payload
    state = payload["state"]
    assert isinstance(state, dict)
    return {**payload, "state": {k: v for k, v in state.items() if k not in keys}}
