"""Copying a recorded value keeps its shared and cyclic parts, and takes stand-ins."""

from __future__ import annotations

import sys

from pytead._codec.nodes import Node, Tagged, copy_graph


def test_shared_and_cyclic_parts_stay_shared_in_the_copy() -> None:
    shared: list[Node] = [1, 2]
    node = Tagged("obj", {"a": shared, "b": shared}, 3)
    assert isinstance(node.value, dict)
    node.value["self"] = node  # a cycle back to the root
    copied = copy_graph(node)
    assert isinstance(copied, Tagged) and isinstance(copied.value, dict)
    assert copied is not node and copied.line == 3
    assert copied.value["a"] == [1, 2] and copied.value["a"] is not shared
    assert copied.value["a"] is copied.value["b"]
    assert copied.value["self"] is copied


def test_a_stand_in_is_copied_and_what_pointed_to_the_part_points_to_it() -> None:
    leaf = Tagged("function", {"qualname": "f"})
    root: Node = {"x": leaf, "y": [leaf, 5]}
    copied = copy_graph(root, lambda item: None if item is leaf else item)
    assert copied == {"x": None, "y": [None, 5]}


def test_a_value_deeper_than_the_recursion_limit_is_copied() -> None:
    deep: Node = []
    top = deep
    for _ in range(sys.getrecursionlimit() * 2):
        inner: list[Node] = []
        deep.append(inner)
        deep = inner
    copied = copy_graph(top)
    depth = 0
    while copied:
        assert isinstance(copied, list)
        copied = copied[0]
        depth += 1
    assert depth == sys.getrecursionlimit() * 2
