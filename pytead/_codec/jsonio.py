"""Tagged tree <-> one line of JSON, for the capture journal and for stable hashing.

JSON is what capture can afford on the traced program's hot path (the C encoder); YAML is only
written when journals are compacted into fixtures. A tagged node is written as
``{"\\u0000t": tag, "v": value}``. Shared and cyclic nodes, which plain JSON cannot express,
take a slower path that writes ``{"\\u0000a": n, "v": ...}`` at the first occurrence and
``{"\\u0000r": n}`` for later ones.
"""

from __future__ import annotations

import json
from typing import Any

from pytead._codec.nodes import Node, Tagged

_TAG = "\x00t"
_ANCHOR = "\x00a"
_REF = "\x00r"


def _tagged_to_json(obj: object) -> dict[str, Any]:
    if isinstance(obj, Tagged):
        return {_TAG: obj.tag, "v": obj.value}
    raise TypeError(f"not a node: {type(obj).__name__}")


_FAST = json.JSONEncoder(
    default=_tagged_to_json, ensure_ascii=False, separators=(",", ":"), allow_nan=True
)
_SORTED = json.JSONEncoder(
    default=_tagged_to_json,
    ensure_ascii=False,
    separators=(",", ":"),
    allow_nan=True,
    sort_keys=True,
)


def to_json(node: Node, *, shared: bool = False) -> str:
    """Write *node* as one JSON line; ``shared=True`` when it may hold shared or cyclic nodes."""
    if not shared:
        try:
            return _FAST.encode(node)
        except ValueError:  # a cycle after all
            pass
    return _FAST.encode(_with_anchors(node))


def canonical(node: Node) -> str:
    """A text that is equal for equal trees, used to hash inputs and to sort set items."""
    try:
        return _SORTED.encode(node)
    except ValueError:
        return _SORTED.encode(_with_anchors(node))


def from_json(text: str) -> Node:
    """Read a node written by `to_json`.

    Raises:
        ValueError: *text* is not valid JSON.
    """
    raw = json.loads(text)
    return _Reader().read(raw)


def _with_anchors(node: Node) -> object:
    """Rewrite a tree with shared nodes into plain JSON data with anchor markers."""
    counts: dict[int, int] = {}
    _count_refs(node, counts)
    multi = {key for key, count in counts.items() if count > 1}
    numbers: dict[int, int] = {}
    return _anchored(node, multi, numbers)


def _count_refs(node: Node, counts: dict[int, int]) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if not isinstance(item, (list, dict, Tagged)):
            continue
        counts[id(item)] = counts.get(id(item), 0) + 1
        if counts[id(item)] > 1:
            continue
        if isinstance(item, Tagged):
            stack.append(item.value)
        elif isinstance(item, list):
            stack.extend(item)
        else:
            stack.extend(item.values())


def _anchored(node: Node, multi: set[int], numbers: dict[int, int]) -> object:
    if not isinstance(node, (list, dict, Tagged)):
        return node
    key = id(node)
    if key in numbers:
        return {_REF: numbers[key]}
    if key in multi:
        numbers[key] = len(numbers)
    if isinstance(node, Tagged):
        body: object = {_TAG: node.tag, "v": _anchored(node.value, multi, numbers)}
    elif isinstance(node, list):
        body = [_anchored(item, multi, numbers) for item in node]
    else:
        body = {k: _anchored(v, multi, numbers) for k, v in node.items()}
    return {_ANCHOR: numbers[key], "v": body} if key in multi else body


class _Reader:
    """Turn parsed JSON back into nodes, resolving anchors (cycles included)."""

    def __init__(self) -> None:
        self.anchors: dict[int, Node] = {}

    def read(self, raw: Any) -> Node:
        if isinstance(raw, list):
            return [self.read(item) for item in raw]
        if not isinstance(raw, dict):
            return raw  # type: ignore[no-any-return]
        if len(raw) == 1 and _REF in raw:
            return self.anchors[raw[_REF]]
        if len(raw) == 2 and _ANCHOR in raw and "v" in raw:
            return self._read_anchor(raw[_ANCHOR], raw["v"])
        if len(raw) == 2 and _TAG in raw and "v" in raw:
            return Tagged(raw[_TAG], self.read(raw["v"]))
        return {key: self.read(value) for key, value in raw.items()}

    def _read_anchor(self, number: int, body: Any) -> Node:
        # Build the empty container first so references inside it (cycles) can point at it.
        if isinstance(body, list):
            items: list[Node] = []
            self.anchors[number] = items
            items.extend(self.read(item) for item in body)
            return items
        if isinstance(body, dict) and len(body) == 2 and _TAG in body and "v" in body:
            tagged = Tagged(body[_TAG], None)
            self.anchors[number] = tagged
            tagged.value = self.read(body["v"])
            return tagged
        mapping: dict[str, Node] = {}
        self.anchors[number] = mapping
        mapping.update((k, self.read(v)) for k, v in body.items())
        return mapping
