"""Where a class defined inside a function is defined, found at capture for its instances.

An instance of a class no name imports (a test's own ``class DefaultCache(Cache)``) is
recorded with its state and, under its ``!obj``'s ``class`` key, a ``!localclass {file, line,
qualname}`` node (`class_place`): the file of its module relative to the project's root, and
the first line of its ``class`` statement, found with `ast` in an index of the file's class
statements built once per version of the file (`class_index`), and the dotted names of the
bases it really had (``bases``), for a statement that spells them with its function's names.
gen-tests defines the class again from that source (`pytead._localclass`). Runs in the traced
program: it never raises, and imports nothing beyond the parser.
"""

from __future__ import annotations

import ast
import functools
import sys
import types
import weakref
from pathlib import Path
from typing import Any

from pytead._localsource import _FUNCTIONS, _parsed_at, _plain_qualname

#: A class statement of a source file: its qualname, its node, the functions it is inside.
Found = tuple[str, ast.ClassDef, tuple[ast.AST, ...]]


_PLACES: weakref.WeakKeyDictionary[type, tuple[Path, dict[str, Any] | None]] = (
    weakref.WeakKeyDictionary()
)


def class_place(cls: type, root: Path) -> dict[str, Any] | None:
    """Where *cls*, defined inside a function, is defined: ``{file, line, qualname}``.

    None when it is not such a class, when its module's file is outside *root*, or when its
    ``class`` statement cannot be told apart in that file. Worked out once per class (the file
    is parsed once per version of it); never raises, it runs in the traced program.
    """
    known = _PLACES.get(cls)
    if known is not None and known[0] == root:
        return None if known[1] is None else dict(known[1])
    try:
        place = _find_place(cls, root)
    except Exception:  # a class or a file pytead cannot read: the instance stays !opaque
        place = None
    _PLACES[cls] = (root, place)
    return None if place is None else dict(place)


def _find_place(cls: type, root: Path) -> dict[str, Any] | None:
    from pytead._codec.functions import _relative_file
    from pytead._codec.nodes import importable_module_name

    module, qualname = cls.__dict__.get("__module__"), getattr(cls, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<locals>" not in qualname:
        return None
    if importable_module_name(module) in ("__main__", "__mp_main__"):
        return None
    filename = getattr(sys.modules.get(module), "__file__", None)
    file = _relative_file(filename, root) if isinstance(filename, str) else None
    if file is None or not file.endswith(".py"):
        return None
    path = root / file
    found = class_index(path, path.stat().st_mtime_ns).get(_plain_qualname(qualname), [])
    if len(found) > 1:  # the same name defined twice in one function: its methods' lines tell
        lines = _method_lines(cls)
        found = [f for f in found if any(first_line(f[1]) <= n <= last_line(f[1]) for n in lines)]
    if len(found) != 1:
        return None
    place: dict[str, Any] = {"file": file, "line": first_line(found[0][1]), "qualname": qualname}
    bases = _base_names(cls)
    if bases is not None:
        place["bases"] = bases
    return place


def _base_names(cls: type) -> list[str] | None:
    """The dotted names of *cls*'s bases, each the class its module binds at that name; None
    when one has no such name (a base made in the function too, say).

    A class statement may spell its bases with names of its function (``class
    DefaultCache(self.Cache)``): gen-tests writes such a class with the bases it really had.
    """
    names: list[str] = []
    for base in cls.__bases__:
        module, qualname = getattr(base, "__module__", None), getattr(base, "__qualname__", "")
        if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
            return None
        found: Any = sys.modules.get(module)
        for part in qualname.split("."):
            found = getattr(found, part, None)
        if found is not base:
            return None
        names.append(f"{module}.{qualname}")
    return names


@functools.lru_cache(maxsize=64)
def class_index(path: Path, stamp: int) -> dict[str, list[Found]]:
    """The class statements of a file by qualname, worked out once per version of the file."""
    index: dict[str, list[Found]] = {}
    for found in classes(_parsed_at(path, stamp).tree):
        index.setdefault(found[0], []).append(found)
    return index


def _method_lines(cls: type) -> list[int]:
    lines = []
    for item in cls.__dict__.values():  # read from the class's own namespace: no code runs
        function = item.__func__ if isinstance(item, staticmethod | classmethod) else item
        if isinstance(function, types.FunctionType):
            lines.append(function.__code__.co_firstlineno)
    return lines


def classes(tree: ast.Module) -> list[Found]:
    """Every class statement of *tree* with the qualname Python gives it."""
    found: list[Found] = []

    def visit(node: ast.AST, prefix: str, enclosing: tuple[ast.AST, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):  # no class statement inside an expression
                continue
            if isinstance(child, _FUNCTIONS):
                visit(child, f"{prefix}{child.name}.<locals>.", (*enclosing, child))
            elif isinstance(child, ast.ClassDef):
                found.append((prefix + child.name, child, enclosing))
                visit(child, f"{prefix}{child.name}.", enclosing)  # a class is no scope for it
            else:
                visit(child, prefix, enclosing)

    visit(tree, "", ())
    return found


def first_line(node: ast.ClassDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def last_line(node: ast.ClassDef) -> int:
    return node.end_lineno or node.lineno
