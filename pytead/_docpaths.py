"""Paths inside the project shown relative to its root, as a reader of its docs would type them.

A call recorded while the tests ran often names a file of the project by its absolute path
(``main(["/home/ann/src/sqlparse/tests/files/function.sql"])``): written so, the example shows
one machine's checkout, and would change each time the docs are made on another. An example
whose arguments hold such a path is first written with it relative to the project's root
(``"tests/files/function.sql"``), which is where doctests run from; the example as recorded
stays its fallback, for a call whose outcome depends on where the file was named from.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytead._codec import Node, Tagged
from pytead._codec.nodes import PATH
from pytead._model import Case


def relative_case(case: Case, root: Path) -> Case | None:
    """*case* with each absolute path under *root* in its arguments made relative to it (a
    string or a ``pathlib`` path, at any depth of a list or a mapping); None when it has
    none."""
    prefix = str(root.resolve()).rstrip("/") + "/"
    args = {key: _relative(node, prefix) for key, node in case.args.items()}
    if args == case.args:
        return None
    return dataclasses.replace(case, args=args)


def _relative(node: Node, prefix: str) -> Node:
    if isinstance(node, str):
        return _cut(node, prefix)
    if isinstance(node, list):
        return [_relative(item, prefix) for item in node]
    if isinstance(node, dict):
        return {key: _relative(item, prefix) for key, item in node.items()}
    if isinstance(node, Tagged) and node.tag == PATH:
        value = node.value
        if isinstance(value, str):
            return Tagged(PATH, _cut(value, prefix), node.line)
        path = value.get("path") if isinstance(value, dict) else None
        if isinstance(value, dict) and isinstance(path, str):
            return Tagged(PATH, {**value, "path": _cut(path, prefix)}, node.line)
    if isinstance(node, Tagged) and node.tag in ("tuple", "list") and isinstance(node.value, list):
        return Tagged(node.tag, [_relative(item, prefix) for item in node.value], node.line)
    return node


def _cut(text: str, prefix: str) -> str:
    """*text* without *prefix* when it is a path under it (never the root itself)."""
    rest = text.removeprefix(prefix)
    return rest if rest != text and rest and "\n" not in text else text
