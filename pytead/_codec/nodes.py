"""The tagged tree: the one neutral form every value takes between Python, YAML, JSON and source.

A node is ``None``, ``bool``, ``int``, ``float``, ``str``, a ``list`` of nodes, a ``dict`` from
``str`` to nodes, or a `Tagged` node for everything else (``!tuple [1, 2]``, ``!obj {...}``).
The same node object appearing twice in a tree means the same Python object appeared twice: the
YAML writer turns that into an anchor and an alias, which is how shared and cyclic references
survive a round trip.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final, TypeAlias, final


@final
class Tagged:
    """A node that carries a tag, written ``!tag value`` in YAML.

    Attributes:
        tag: The tag name without its ``!`` (``"tuple"``, ``"obj"``, or a user codec's tag).
        value: The payload, itself a node (a string for scalars, a list or a mapping otherwise).
        line: The 1-based line it was read from, for nodes read from a file (errors name it).
    """

    __slots__ = ("line", "tag", "value")

    def __init__(self, tag: str, value: Node, line: int | None = None) -> None:
        self.tag = tag
        self.value = value
        self.line = line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tagged) and self.tag == other.tag and self.value == other.value

    __hash__ = None  # type: ignore[assignment]  # mutable, like the lists and dicts it sits with

    def __repr__(self) -> str:
        return f"Tagged({self.tag!r}, {self.value!r})"


Node: TypeAlias = bool | int | float | str | list["Node"] | dict[str, "Node"] | Tagged | None

# The built-in tags. User codecs register their own names (see `pytead.register_codec`).
TUPLE: Final = "tuple"
SET: Final = "set"
FROZENSET: Final = "frozenset"
BYTES: Final = "bytes"
DATETIME: Final = "datetime"
DATE: Final = "date"
TIME: Final = "time"
TIMEDELTA: Final = "timedelta"
DECIMAL: Final = "decimal"
FRACTION: Final = "fraction"
COMPLEX: Final = "complex"
UUID: Final = "uuid"
PATH: Final = "path"
ENUM: Final = "enum"
DICT: Final = "dict"
OBJ: Final = "obj"
REF: Final = "ref"
OPAQUE: Final = "opaque"
REDACTED: Final = "redacted"
#: A function that cannot be imported by name (a lambda, a function defined in a function):
#: where it is defined, so gen-tests can write it from the project's source (`pytead._localsource`).
FUNCTION: Final = "function"
#: A method bound to an object (``pattern.match``, ``cache.load``): the object and the method's
#: name, rebuilt by reading that attribute of the object rebuilt.
METHOD: Final = "method"
#: Where a class defined in a function is defined, under an ``!obj``'s ``class`` key, so
#: gen-tests can define it from the project's source (`pytead._localclass`).
LOCALCLASS: Final = "localclass"

#: Every tag pytead itself reads and writes.
BUILTIN_TAGS: Final = frozenset(
    {TUPLE, SET, FROZENSET, BYTES, DATETIME, DATE, TIME, TIMEDELTA, DECIMAL, FRACTION, COMPLEX}
    | {UUID, PATH, ENUM, DICT, OBJ, REF, OPAQUE, REDACTED, FUNCTION, LOCALCLASS, METHOD}
)

#: Tags whose cases cannot be replayed: the value was never fully recorded (a ``!function`` or
#: a ``!localclass`` is recorded by where its source is, which only gen-tests reads, see
#: `pytead._localsource` and `pytead._localclass`).
UNREPLAYABLE_TAGS: Final = frozenset({OPAQUE, REDACTED, FUNCTION, LOCALCLASS})
#: The parts gen-tests writes from the project's source rather than rebuilding them.
FROM_SOURCE_TAGS: Final = frozenset({FUNCTION, LOCALCLASS})

_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def qualified_name(obj: object) -> str | None:
    """Return ``module.qualname`` for a class or function that can be imported by that name.

    Examples:
        >>> qualified_name(Tagged)
        'pytead._codec.nodes.Tagged'
        >>> qualified_name(lambda: 0) is None
        True
    """
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    module = importable_module_name(module)
    return None if module in _MAIN_NAMES else f"{module}.{qualname}"


def defining_name(function: types.FunctionType) -> str | None:
    """``module.name`` of *function* in the module whose code defined it, when bound there.

    `functools.wraps` copies the wrapped function's ``__module__`` and ``__qualname__``, so a
    wrapper defined in one module (``toolz.curried.exceptions.merge``, wrapping
    ``toolz.dicttoolz.merge``) names a function it is not. Its globals still say where it was
    defined, and a wrapper bound at that module's top level by its ``__name__`` is importable
    by that name. Reads the module's namespace only: no code runs.

    Examples:
        >>> defining_name(qualified_name) == f"{__name__}.qualified_name"
        True
    """
    module_name = function.__globals__.get("__name__")
    name = getattr(function, "__name__", None)
    if not isinstance(module_name, str) or not isinstance(name, str):
        return None
    module = sys.modules.get(module_name)
    if module is None or vars(module).get(name) is not function:
        return None
    importable = importable_module_name(module_name)
    return None if importable in _MAIN_NAMES else f"{importable}.{name}"


#: What the main script is called in its own process, and in multiprocessing's spawned children.
_MAIN_NAMES = ("__main__", "__mp_main__")


def importable_module_name(module: str) -> str:
    """The name the main script can be imported by (``python -m pkg.app`` or ``python app.py``).

    A child started by multiprocessing's *spawn* method runs the parent's script again as
    ``__mp_main__``: it gets the same name as in the parent, so the calls of both land in one
    fixture that generated tests can import.
    """
    if module not in _MAIN_NAMES:
        return module
    main = sys.modules.get(module) or sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name and spec.name not in _MAIN_NAMES:
        return str(spec.name)
    file = getattr(main, "__file__", None)
    stem = Path(file).stem if isinstance(file, str) else ""
    return stem if stem.isidentifier() else module


def locate(dotted: str) -> object:
    """Import the object a dotted name points to, the way ``import a.b; a.b.c`` would.

    Attributes win over submodules, as in Python itself; a submodule is imported only when the
    attribute does not exist yet. Importing runs the module's code: a name that comes from a
    fixture goes through `pytead._trust.locate_trusted` instead, which asks the trust policy
    first.

    Raises:
        LookupError: No object has that name, or it is not a dotted name.
    """
    parts = dotted.split(".")
    if not all(part.isidentifier() for part in parts):
        raise LookupError(f"{dotted!r:.80} is not a dotted name")
    try:
        current: object = importlib.import_module(parts[0])
    except ImportError as exc:
        raise LookupError(f"cannot import {parts[0]!r}: {exc}") from None
    path = parts[0]
    for part in parts[1:]:
        path = f"{path}.{part}"
        if hasattr(current, part):
            current = getattr(current, part)
            continue
        try:
            current = importlib.import_module(path)
        except ImportError:
            raise LookupError(f"{path!r} does not exist") from None
    return current


def module_binding(value: object, module_name: object = None) -> str | None:
    """``module.NAME`` when the module of *value*'s class (or *module_name*) binds *value*
    itself at its top level.

    For an object whose class no name imports (``_MISSING = make_sentinel("_MISSING")``, its
    class defined inside ``make_sentinel``): the module's name for it is how a test reaches
    that very object; for a method bound to a module's hidden instance (``random.random``),
    the module of that instance's class. Only the module's namespace is read (an identity test
    on each of its values); nothing of the object runs. The first name binding it, in the
    module's order.
    """
    if module_name is None:
        module_name = getattr(type(value), "__module__", None)
    module = sys.modules.get(module_name) if isinstance(module_name, str) else None
    names = getattr(module, "__dict__", None)
    if not isinstance(names, dict):
        return None
    for name, item in tuple(names.items()):  # a copy: another thread may bind a name meanwhile
        if item is value and isinstance(name, str) and name.isidentifier():
            module_name = importable_module_name(str(module_name))
            return None if module_name in _MAIN_NAMES else f"{module_name}.{name}"
    return None


#: The bare ``object()`` sentinels modules bind: by id, the object (which keeps its id its own)
#: and its name; rebuilt when modules were imported since (see `sentinel_binding`).
_SENTINELS: dict[int, tuple[object, str]] = {}
_SENTINELS_SEEN = -1  # how many modules were loaded when `_SENTINELS` was built


def sentinel_binding(value: object) -> str | None:
    """``module.NAME`` of a bare ``object()`` a module binds at its top level (``MISSING =
    object()``, a marker compared with ``is``), or None.

    Such an object has no state: its identity is all it means, and the module's name is the
    only way back to it. Its class says nothing of its module, so the loaded modules are
    indexed (their namespaces read, identity tests only, nothing of them run), once per set of
    loaded modules; a public name in a public module is preferred, then the first module by
    name, so the choice does not depend on import order.
    """
    global _SENTINELS, _SENTINELS_SEEN
    if type(value) is not object:
        return None
    if len(sys.modules) != _SENTINELS_SEEN:
        _SENTINELS_SEEN = len(sys.modules)
        _SENTINELS = _sentinel_index()
    found = _SENTINELS.get(id(value))
    return found[1] if found is not None and found[0] is value else None


#: How a plain module reads its attributes: a module whose class reads them otherwise (a lazy
#: module that imports itself on first use) is not indexed.
_MODULE_GETATTRIBUTE = types.ModuleType.__getattribute__


def _sentinel_index() -> dict[int, tuple[object, str]]:
    ranked: dict[int, tuple[bool, str, object]] = {}  # by id: (private, name, the object)
    loaded = list(sys.modules.items())  # a copy: another thread may import meanwhile
    loaded.sort(key=lambda item: str(item[0]))
    for module_name, module in loaded:
        if not isinstance(module_name, str) or module_name in _MAIN_NAMES:
            continue
        plain = isinstance(module, types.ModuleType)
        if not plain or type(module).__getattribute__ is not _MODULE_GETATTRIBUTE:
            continue  # not a plain module: a lazy one would load itself when read
        names = tuple(vars(module).items())  # a copy: another thread may bind a name
        for name, item in names:
            if type(item) is not object or not isinstance(name, str) or not name.isidentifier():
                continue
            dotted = f"{module_name}.{name}"
            private = any(part.startswith("_") for part in dotted.split("."))
            known = ranked.get(id(item))
            if known is None or (private, dotted) < known[:2]:
                ranked[id(item)] = (private, dotted, item)
    return {key: (item, dotted) for key, (_, dotted, item) in ranked.items()}


def sanitize_repr(text: str, limit: int = 200) -> str:
    """Drop memory addresses and cap the length, so a repr is stable from run to run.

    Examples:
        >>> sanitize_repr("<Lock object at 0x7f3a2b1c9d80>")
        '<Lock object at 0x...>'
    """
    text = _ADDRESS.sub("0x...", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def copy_graph(root: Node, swap: Callable[[Node], Node] | None = None) -> Node:
    """A copy of what *root* reaches, with its shared and cyclic parts shared as in it.

    *swap*, when given, tells what each part is copied from (itself, or a stand-in: a part
    left out as None, a node with fewer attributes); whatever pointed to the part points to
    the copy of its stand-in. Iterative, so a deep value cannot exhaust the stack.
    """
    copies: dict[int, Node] = {}
    unfilled: list[tuple[Node, Node]] = []  # (what to copy from, its copy, still empty)

    def shell(item: Node) -> Node:
        if id(item) in copies:
            return copies[id(item)]
        source = item if swap is None else swap(item)
        made: Node
        if isinstance(source, list):
            made = []
        elif isinstance(source, dict):
            made = {}
        elif isinstance(source, Tagged):
            made = Tagged(source.tag, None, source.line)
        else:
            return source
        copies[id(item)] = made
        unfilled.append((source, made))
        return made

    result = shell(root)
    while unfilled:
        source, made = unfilled.pop()
        if isinstance(source, list) and isinstance(made, list):
            made.extend(shell(part) for part in source)
        elif isinstance(source, dict) and isinstance(made, dict):
            made.update((key, shell(part)) for key, part in source.items())
        elif isinstance(source, Tagged) and isinstance(made, Tagged):
            made.value = shell(source.value)
    return result


def walk_nodes(node: Node) -> Iterator[Node]:
    """*node* and every node inside it, dict keys included, each once.

    Iterative, and each container is visited once: a tree thousands of levels deep, or one
    whose anchors make it refer to itself (a parse tree's parent pointers), is walked without
    recursion.
    """
    seen: set[int] = set()
    stack: list[Node] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Tagged | list | dict):
            if id(item) in seen:
                continue
            seen.add(id(item))
        yield item
        stack.extend(reversed(node_children(item)))


def node_children(node: Node) -> list[Node]:
    """The nodes directly inside *node*: a tag's value, a list's items, a mapping's keys and
    values in pairs; none for a scalar."""
    if isinstance(node, Tagged):
        return [node.value]
    if isinstance(node, list):
        return node
    if isinstance(node, dict):
        return [part for pair in node.items() for part in pair]
    return []


def iter_tags(node: Node) -> set[str]:
    """Collect every tag used anywhere in *node* (shared and cyclic nodes are visited once)."""
    return {item.tag for item in walk_nodes(node) if isinstance(item, Tagged)}


def is_replayable(node: Node) -> bool:
    """Tell whether every part of *node* was recorded in full (no ``!opaque``, no ``!redacted``)."""
    return not (iter_tags(node) & UNREPLAYABLE_TAGS)


def state_only(node: Node) -> tuple[Node] | None:
    """``(state,)`` when *node* is an ``!obj`` that its recorded attributes alone describe.

    Not for one made by its class's own recipe (``reduce_args``), nor for one holding items or
    a value besides its attributes (a ``dict`` or ``list`` subclass, an exception's args):
    those are part of it, so a change to it is recorded, and checked, as the whole value.
    """
    if not (isinstance(node, Tagged) and node.tag == OBJ and isinstance(node.value, dict)):
        return None
    if "state" not in node.value or node.value.keys() - _ATTRIBUTES_ONLY:
        return None
    return (node.value["state"],)


#: The keys of an ``!obj`` that its attributes describe: its class (named, or where a test
#: defined it) and its state.
_ATTRIBUTES_ONLY = frozenset({"type", "class", "state"})


def object_after(before: Node, after: Node) -> Node:
    """The ``!obj`` a call left as *after* (a method's ``self_after``): that node when it was
    recorded whole (an object holding items, see `state_only`), else *before* with *after* as
    its state; None when *before* is no ``!obj``."""
    if not (isinstance(before, Tagged) and before.tag == OBJ and isinstance(before.value, dict)):
        return None
    if isinstance(after, Tagged):
        return after
    return Tagged(OBJ, {**before.value, "state": after})


def made_by_recipe(node: Node) -> bool:
    """Whether *node* is an ``!obj`` recorded by its class's own pickle recipe (``reduce_args``)."""
    return (
        isinstance(node, Tagged)
        and node.tag == OBJ
        and isinstance(node.value, dict)
        and "reduce_args" in node.value
    )
