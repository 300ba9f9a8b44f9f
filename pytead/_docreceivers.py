"""Receivers of docstring examples built the way the generated tests build them.

When the codec cannot write an instance without pytead's helpers, the instance may still be
made as the program made it, by the same roads gen-tests takes (`pytead._roads`): the recorded
constructor call, then the calls made on it before (`find_making`, which checks by replaying
that the recorded state comes back); or, for a mapping, a call of its class with its recorded
attributes and then its items set one by one (`find_filling`). The class called is the
instance's own: a subclass is imported from its module, a class defined in a function (a
test's ``class DefaultCache(cachetools.Cache)``) is defined first from the project's source,
with the bases it had at capture (`pytead._localclass`).

The lines are the ones a person would type: ``cache = LRUCache(maxsize=2)``, ``cache[3] = 3``,
``del cache[3]``; a method step's result is bound to ``_`` so that the doctest does not expect
its repr. When nothing works, `NoReceiver` says in one line which value could not be made and
why: that there was no record, what the replay of its record gave back differently (its size,
an attribute), or, for a node of a tree pointing back to its parent, where it sits and which
part of the root no call of its class gives back.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from pytead._built import ITEM_METHODS, Built, Step
from pytead._calls import Param, call_text
from pytead._codec import Encoder, Node, Tagged, canonical, render_source
from pytead._codec.reprs import call_quietly
from pytead._codec.trees import root_path
from pytead._docoutput import NotShown
from pytead._errors import CodecError
from pytead._leftout import one_line
from pytead._localclass import written_class
from pytead._names import is_dotted
from pytead._pyformat import Doc, concat
from pytead._roads import (
    Making,
    find_filling,
    find_making,
    init_parameters,
    item_parameters,
    item_step_names,
    method_parameters,
    replay_making,
)
from pytead._trust import current as current_trust

_PREFIX = "receiver cannot be built: "


class NoReceiver(NotShown):
    """The receiver of a method's example cannot be built; the message is one short line."""


@dataclass(frozen=True)
class Made:
    """How an example makes its receiver as the program made it.

    Attributes:
        definitions: Sources of the classes defined in a function that it calls, to define
            first (see `pytead._localclass.doctest_lines`).
        statements: ``variable = Cls(...)``, then one statement per step of its history.
        imports: What the class called needs (``(module, name)``, as the codec's imports).
    """

    definitions: tuple[str, ...]
    statements: tuple[Doc, ...]
    imports: frozenset[tuple[str, str]]


def unwritable(error: CodecError, node: Node = None) -> NoReceiver:
    """The reason an instance the codec cannot write as plain code gives as a receiver.

    The codec's hint tells what gen-tests does instead (a snapshot, ``fixture_value``), which
    an example cannot do: only where the value fails and what it is are kept. A node of a
    tree that points back to its parent (*node*) is reached from its root or not at all: the
    reason says where it sits and why that root cannot be written.
    """
    found = root_path(node) if isinstance(node, Tagged) else None
    if found is None:
        return NoReceiver(_PREFIX + one_line(_error_text(error), 200))
    root, path = found
    where = "".join(f".{name}" + ("" if at is None else f"[{at}]") for name, at in path)
    try:
        if not render_source(root).uses_pytead:  # the root is plain: its path down is not
            return NoReceiver(_PREFIX + one_line(_error_text(error), 200))
    except CodecError as failed:
        error = failed
    reason = (
        f"it sits at {where} in a tree whose root, a {_type_name(root)}, plain code cannot "
        f"write ({_part_failing(root, error)})"
    )
    return NoReceiver(_PREFIX + one_line(reason, 240))


#: One step of a value path as the codec writes it: ``.name`` or ``[index]``.
_PATH_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")


def _part_failing(root: Node, error: CodecError) -> str:
    """Why the root cannot be written: a part of it that refers back into the tree is a part
    no plain road gave back (its constructor, its repr), named with its type."""
    steps = list(_PATH_STEP.finditer(error.where))
    if error.what != "the value refers to itself" or len(steps) < 2:
        return _error_text(error)
    part = _part_at(root, steps[:-1])  # the last step is the pointer back into the tree
    if not isinstance(part, Tagged):
        return _error_text(error)
    at = error.where[: steps[-1].start()]
    return f"its part {at}, a {_type_name(part)}, is given back by no call of its class"


def _part_at(root: Node, steps: list[re.Match[str]]) -> Node:
    """The part of *root* the path *steps* reaches in the recorded tree; None if none."""
    part: Node = root
    for step in steps:
        name, index = step.group(1), step.group(2)
        state = (
            part.value.get("state")
            if isinstance(part, Tagged) and isinstance(part.value, dict)
            else None
        )
        if name is not None and isinstance(state, dict) and name in state:
            part = state[name]
        elif index is not None and isinstance(part, list) and int(index) < len(part):
            part = part[int(index)]
        else:
            return None
    return part


def in_tree(node: Node) -> bool:
    """Whether *node* is a node of a tree that points back to its parent (not its root)."""
    return isinstance(node, Tagged) and root_path(node) is not None


def _error_text(error: CodecError) -> str:
    """Where the value fails and what it is, without the hint."""
    return f"{error.where}: {error.what}" if error.where else error.what


def made_receiver(
    variable: str,
    node: Node,
    built: Built | None,
    code: Callable[[Node], str],
    *,
    equality: bool = False,
) -> Made:
    """The making of the instance *node* as *variable*, as the program made it.

    *code* writes one argument as source (raising when it cannot). With *equality*, a making
    is accepted when the class's own ``==`` finds what it makes equal to the recorded instance
    (see `pytead._roads.find_making`).

    Raises:
        NoReceiver: No record gives the instance back, or a step cannot be shown; the reason
            names what failed.
    """
    making = None if built is None else find_making(node, built, equality=equality)
    making = making or find_filling(node, built=built, equality=equality)
    if making is None:
        raise NoReceiver(_PREFIX + _why_not_made(node, built))
    imports: set[tuple[str, str]] = set()
    definitions: list[str] = []
    callee = _class_name(making.cls, imports, definitions)
    init = _call(callee, init_parameters(making.cls, making.init), making.init, code)
    statements: list[Doc] = [concat(f"{variable} = ", init)]
    statements += [_step(variable, making.cls, step, code) for step in making.steps]
    return Made(tuple(definitions), tuple(statements), frozenset(imports))


def module_object(node: Node) -> tuple[str, str] | None:
    """``(module, name)`` of the receiver *node* when its module binds it at its top level.

    A decorator that makes an object of a function (``merge = curry(merge)``) gives it the
    function's ``__module__`` and ``__qualname__``: the object carries the name a person
    imports it by. It is that object when the module binds it under that name and it encodes
    as recorded. A module named only by the fixture is imported only when the trust policy
    trusts its code.
    """
    payload = node.value if isinstance(node, Tagged) and node.tag == "obj" else None
    state = payload.get("state") if isinstance(payload, dict) else None
    if not isinstance(state, dict):
        return None
    module_name, name = state.get("__module__"), state.get("__qualname__")
    if not is_dotted(module_name) or not isinstance(name, str) or not name.isidentifier():
        return None
    module = sys.modules.get(str(module_name))
    if module is None and current_trust().trusts_code(str(module_name)):
        _, module = call_quietly(importlib.import_module, str(module_name))  # None if it fails
    bound = getattr(module, "__dict__", {}).get(name)
    if bound is None:
        return None
    found, live = call_quietly(Encoder().encode, bound)
    return (str(module_name), name) if found and _same_but_caches(live, node) else None


def _same_but_caches(live: Node, recorded: Node) -> bool:
    """Whether the module's object (*live*) encodes as *recorded*, but for the attributes a
    first use fills in (``None`` or absent on the live object: a signature cached lazily) and
    its ``__doc__``, which is documentation (a docstring pytead's examples went into since)."""
    if canonical(live) == canonical(recorded):
        return True
    if not (isinstance(live, Tagged) and isinstance(recorded, Tagged) and live.tag == "obj"):
        return False
    if not (isinstance(live.value, dict) and isinstance(recorded.value, dict)):
        return False
    if live.value.keys() != recorded.value.keys():
        return False
    now, then = live.value.get("state"), recorded.value.get("state")
    if not (isinstance(now, dict) and isinstance(then, dict)):
        return False
    others = {key: part for key, part in live.value.items() if key != "state"}
    if canonical(others) != canonical({k: recorded.value[k] for k in others}):
        return False
    return all(
        key == "__doc__" or now.get(key) is None or canonical(now[key]) == canonical(then.get(key))
        for key in now.keys() | then.keys()
    )


def making_lines(
    variable: str,
    node: Node,
    built: Built | None,
    code: Callable[[Node], str],
    *,
    equality: bool = False,
) -> list[str]:
    """The statements of `made_receiver` as flat source lines (without class definitions).

    Examples:
        >>> making_lines("cart", {}, None, str)
        Traceback (most recent call last):
          ...
        pytead._docreceivers.NoReceiver: receiver cannot be built: ...
    """
    from pytead._pyformat import flat

    made = made_receiver(variable, node, built, code, equality=equality)
    return [flat(statement) for statement in made.statements]


def _class_name(cls: type, imports: set[tuple[str, str]], definitions: list[str]) -> str:
    """Spell the class an example calls: defined from source when a function defines it,
    else imported by its top-level name from its module."""
    local = written_class(cls)
    if local is not None:
        imports |= local.imports
        definitions += local.definitions
        return local.name
    module, qualname = str(cls.__module__), str(cls.__qualname__)
    if not is_dotted(qualname) or not is_dotted(module):
        raise NoReceiver(_PREFIX + f"its class {module}.{qualname} cannot be reached by name")
    if module != "builtins":
        imports.add((module, qualname.split(".")[0]))
    return qualname


def _step(variable: str, cls: type, step: Step, code: Callable[[Node], str]) -> Doc:
    """One call of the history: ``variable[key] = value``, ``del variable[key]`` or
    ``_ = variable.method(...)``."""
    if step.raised is not None:
        raise NoReceiver(
            _PREFIX + f"its history's call {step.method}() raised {step.raised}, "
            "which an example's setup does not show"
        )
    if step.method in ITEM_METHODS:
        return _item_step(variable, item_parameters(cls, step.method), step, code)
    params = method_parameters(cls, step.method)
    return concat("_ = ", _call(f"{variable}.{step.method}", params, step.args, code))


def _item_step(
    variable: str, params: list[Param] | None, step: Step, code: Callable[[Node], str]
) -> str:
    names = item_step_names(params, step)
    if names is None:
        raise NoReceiver(_PREFIX + f"its history's {step.method} does not match its parameters")
    item = f"{variable}[{code(step.args[names[0]])}]"
    if step.method == "__delitem__":
        return f"del {item}"
    return f"{item} = {code(step.args[names[1]])}"


def _call(
    callee: str, params: list[Param] | None, args: dict[str, Node], code: Callable[[Node], str]
) -> str:
    if params is None:
        raise NoReceiver(_PREFIX + f"{callee} does not say what parameters it takes")
    return call_text(callee, args, params, code)


# -- why not ------------------------------------------------------------------------------------


def _why_not_made(node: Node, built: Built | None) -> str:
    """Which value could not be made and why, for a receiver no making gives back."""
    kind = _type_name(node)
    if built is None:
        return f"pytead did not see the {kind} made, and plain code cannot write it"
    if built.args is None and not built.calls:
        return f"pytead did not see the {kind}'s constructor call, and plain code cannot write it"
    replay = _replayed(node, built)
    return f"replaying how the program made the {kind} {replay}"


def _replayed(node: Node, built: Built) -> str:
    """What replaying *built* gives instead of *node*: the first attribute that differs."""
    from pytead._codec import Decoder

    try:
        expected = Decoder().decode(node)
    except CodecError as exc:  # the record itself cannot be read back: what part, and why
        return f"cannot be checked: {_error_text(exc)}"
    except Exception as exc:
        return f"cannot be checked: reading its record raised {type(exc).__name__}"
    init = built.args if built.args is not None else {}
    sink = io.StringIO()  # what the project's code prints while checked is not pytead's
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            made = replay_making(Making(type(expected), init, built.calls))
    except Exception as exc:
        return f"raises {type(exc).__name__}: {one_line(str(exc), 80)}"
    return f"({_what_replayed(built)}) {_difference(made, expected, node)}"


def _what_replayed(built: Built) -> str:
    """The record replayed, as a reader checks it against the program."""
    steps = len(built.calls)
    after = "no traced call after it" if not steps else f"then the {steps} traced call(s) on it"
    if built.args is None:
        return f"a call of its class without arguments, {after}"
    return f"its recorded constructor call, {after}"


def _difference(made: object, expected: object, node: Node) -> str:
    """What *made* has otherwise than the recorded *node*: its size, else an attribute."""
    sizes = [call_quietly(len, value) for value in (made, expected)]
    if all(found and isinstance(size, int) for found, size in sizes):
        (_, size), (_, recorded) = sizes
        if size != recorded:
            return f"gives {size} item(s), not the {recorded} recorded"
    differs = _first_difference(made, node)
    if differs is None:
        return "gives back another value than recorded"
    return f"gives a different {differs} than recorded"


def _first_difference(made: object, node: Node) -> str | None:
    """The first recorded attribute of *node* that *made* does not have the same."""
    try:
        encoded = Encoder().encode_fresh(made)
        recorded = node.value if isinstance(node, Tagged) else None
        found = encoded.value if isinstance(encoded, Tagged) else None
        if not isinstance(recorded, dict) or not isinstance(found, dict):
            return None
        if canonical(recorded.get("items")) != canonical(found.get("items")):
            return "content"
        state, other = recorded.get("state"), found.get("state")
        if not isinstance(state, dict) or not isinstance(other, dict):
            return None if canonical(state) == canonical(other) else "state"
        for key, value in state.items():
            if key not in other or canonical(value) != canonical(other[key]):
                return str(key) if is_dotted(str(key)) else "state"
    except Exception:  # a value the codec cannot read: no detail to give
        return None
    return None


def _type_name(node: Node) -> str:
    if isinstance(node, Tagged) and isinstance(node.value, dict):
        name = node.value.get("type")
        if isinstance(name, str):
            return name
    return "instance"
