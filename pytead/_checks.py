"""What a test asserts after the call: the attributes it changed, each compared as it can be.

A method's test checks the attributes the call changed (``assert inventory.stock == {...}``),
one assert each, and ``not hasattr(...)`` for one it removed; a call that changed nothing gets
no check. A private attribute ``_x`` is read through the class's property ``x`` when that gives
the same value on the recorded state after the call. An argument the call mutated is checked the
same way when it is an object, as a whole value otherwise.

A value is compared with ``==`` when its class compares by value; an object equal only to itself
(its class keeps ``object.__eq__``) is compared through its state (``vars(x) == {...}``, or its
slots one by one); a text showing a memory address through a pattern accepting any address.
Another value showing an address cannot be checked: its case is left out, saying why. A value
whose ``==`` sees only its items (a ``list`` subclass with a layout of its own) is also compared
by the text it renders itself as (`pytead._textchecks`).
"""

from __future__ import annotations

import inspect
from collections import deque
from typing import TYPE_CHECKING, Any, TypeGuard

from pytead._codec import Decoder, Encoder, Node, NotRenderable, Tagged, canonical, is_replayable
from pytead._codec.literals import str_literal
from pytead._codec.nodes import made_by_recipe, object_after
from pytead._errors import CodecError, value_path_part
from pytead._expected import by_identity, holds_address, match_pattern
from pytead._names import is_identifier
from pytead._plainform import equals_plain, plain_form
from pytead._pyformat import Doc, Group, flat
from pytead._textchecks import text_check

if TYPE_CHECKING:
    from pytead._model import Case
    from pytead._testcases import CaseBuilder

#: ``(reader, expected)``: ``assert reader == expected``; with no expected value, the reader is
#: itself what is asserted (``not hasattr(cart, "total")``).
Check = tuple[Doc, Doc | None]


def state_of(node: Node) -> dict[str, Node] | None:
    """The recorded attributes of an ``!obj`` node, if it is one whose state is a mapping."""
    if isinstance(node, Tagged) and node.tag == "obj" and isinstance(node.value, dict):
        state = node.value.get("state")
        if isinstance(state, dict) and "fields" not in node.value:
            return state
    return None


def receiver_checks(builder: CaseBuilder, receiver: str, case: Case) -> list[Check]:
    """The checks of the instance a method's call changed; none if it changed nothing."""
    state: Node = case.self_after
    if state is None:
        return []
    cls = type(builder.decoded(case.self, "self"))
    if made_by_recipe(state):
        return _recipe_receiver_checks(builder, receiver, case.self, state)
    if _holds_items(state) and _holds_items(case.self):
        return _items_receiver_checks(builder, receiver, case.self, state)
    if own_getstate(cls):  # the state was recorded as __getstate__ gave it: compared whole
        return [(f"{receiver}.__getstate__()", builder.value(state, "self_after"))]
    if isinstance(state, dict):
        return changed_checks(builder, receiver, case.self, state, "self_after")
    # Recorded as a whole value (a list or dict subclass, say): compared whole.
    return expected_checks(builder, receiver, state, "self_after")


def mutated_checks(
    builder: CaseBuilder, reader: str, before: Node, after: Node, where: str
) -> list[Check]:
    """The checks of an argument the call mutated: an object's changed attributes, or its value."""
    after_state = state_of(after)
    if (
        after_state is not None
        and state_of(before) is not None
        and _type_name(before) == _type_name(after)
        and not own_getstate(type(builder.decoded(before, where)))
    ):
        return changed_checks(builder, reader, before, after_state, where)
    return expected_checks(builder, reader, after, where)


def _recipe_receiver_checks(
    builder: CaseBuilder, receiver: str, before: Node, after: Node
) -> list[Check]:
    """An instance recorded by its class's recipe: compared whole by its own ``==``, else by
    the attributes the call changed, read from the objects the recipe remakes."""
    if not by_identity(builder.decoded(after, "self_after")):
        return expected_checks(builder, receiver, after, "self_after")
    before_view = vars_view(builder, before, "self")
    after_state = state_of(vars_view(builder, after, "self_after"))
    if state_of(before_view) is None or after_state is None:
        return expected_checks(builder, receiver, after, "self_after")
    return changed_checks(builder, receiver, before_view, after_state, "self_after")


#: How a test reads the items of a ``dict``, ``list`` (or ``deque``) and ``set`` subclass, as
#: the recorder read them.
_ITEM_VIEWS: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("dict", dict),
    ("list", (list, deque)),
    ("set", (set, frozenset)),
)


def _holds_items(node: Node) -> TypeGuard[Tagged]:
    """Whether *node* is an ``!obj`` of a ``dict``, ``list`` or ``set`` subclass: its items,
    and its attributes apart."""
    return (
        isinstance(node, Tagged)
        and node.tag == "obj"
        and isinstance(node.value, dict)
        and "items" in node.value
        and not made_by_recipe(node)
    )


def _items_receiver_checks(
    builder: CaseBuilder, receiver: str, before: Tagged, after: Tagged
) -> list[Check]:
    """The instance of a ``dict``, ``list`` or ``set`` subclass after the call: its items when
    they changed (``assert dict(registry) == {"a": 1}``), then each attribute it changed."""
    obj = builder.decoded(after, "self_after")
    view = next((name for name, base in _ITEM_VIEWS if isinstance(obj, base)), None)
    assert isinstance(before.value, dict) and isinstance(after.value, dict)
    after_state = after.value.get("state", {})
    if view is None or not isinstance(after_state, dict):
        return expected_checks(builder, receiver, after, "self_after")
    checks: list[Check] = []
    items = after.value["items"]
    if canonical(items) != canonical(before.value["items"]):
        checks += expected_checks(builder, f"{view}({receiver})", items, "self_after.items")
    return checks + changed_checks(builder, receiver, before, after_state, "self_after")


def vars_view(builder: CaseBuilder, node: Node, where: str) -> Node:
    """*node*, or for an object recorded by its recipe, the same object seen by its ``vars()``.

    A recipe's arguments and state are for remaking the object, not for reading it: what a
    test checks is its attributes, read here from the object the recipe remakes.
    """
    if not made_by_recipe(node):
        return node
    obj = builder.decoded(node, where)
    if not hasattr(obj, "__dict__"):
        return node
    assert isinstance(node, Tagged) and isinstance(node.value, dict)
    state = Encoder().encode_fresh(dict(vars(obj)))
    return Tagged(node.tag, {"type": node.value["type"], "state": state})


def own_getstate(cls: type) -> bool:
    """Whether *cls* says what its state is with a ``__getstate__`` of its own."""
    return getattr(cls, "__getstate__", None) is not getattr(object, "__getstate__", None)


def _type_name(node: Node) -> Node:
    """The class an ``!obj`` node names."""
    if isinstance(node, Tagged) and isinstance(node.value, dict):
        return node.value.get("type")
    return None


def changed_checks(
    builder: CaseBuilder, reader: str, before: Node, after: dict[str, Node], where: str
) -> list[Check]:
    """One check per attribute the call changed on the object *before* (an ``!obj`` node)."""
    state = state_of(before) or {}
    after_obj = _after_object(before, after)
    checks: list[Check] = []
    for name, node in after.items():
        if name in state and canonical(state[name]) == canonical(node):
            continue
        attribute = _attribute_reader(reader, name, after_obj, node)
        checks += expected_checks(builder, attribute, node, where + value_path_part(name))
    removed = [name for name in state if name not in after]
    checks += [(f"not hasattr({reader}, {str_literal(name)})", None) for name in removed]
    return checks


def expected_checks(builder: CaseBuilder, reader: str, node: Node, where: str) -> list[Check]:
    """Checks that *reader* holds the recorded *node*, compared as its kind allows.

    Raises:
        CodecError: The value shows a memory address where no pattern can stand for it.
    """
    if isinstance(node, str) and holds_address(node):
        search = builder.namer.module("re") + ".search("
        return [(Group(search, (match_pattern(node), reader), ")"), None)]
    from pytead._fnchecks import function_checks, is_function_node  # it imports this module

    if is_function_node(node):  # a function no name imports (a closure set as an attribute)
        assert isinstance(node, Tagged)
        return function_checks(builder, reader, node, where)
    state = state_of(node)
    if state is None and made_by_recipe(node):
        state = state_of(vars_view(builder, node, where))  # its attributes, not its recipe
    if state is not None and by_identity(builder.decoded(node, where)):
        return state_checks(builder, reader, node, state, where)
    items = _items_by_state(builder, reader, node, where)
    if items is not None:
        return [items]
    if holds_by_identity(builder.decoded(node, where)):  # == would fail on any run
        return _keyed_state_checks(builder, reader, node, where)
    if holds_address(node):
        raise address_error(where)
    plain = plain_check(builder, reader, node, where)
    main = plain if plain is not None else (reader, builder.value(node, where))
    text = text_check(builder, reader, node, where)  # what an items-only == cannot see
    return [main] if text is None else [main, text]


def plain_check(builder: CaseBuilder, reader: str, node: Node, where: str) -> Check | None:
    """``reader == <plain data>`` for a value only pytead's helpers could write otherwise."""
    plain = plain_expected(builder, node, where)
    return None if plain is None else (reader, plain[1])


def plain_expected(builder: CaseBuilder, node: Node, where: str) -> tuple[Node, Doc] | None:
    """The plain data an expected value equals, as a node and as code, when only pytead's
    helpers could write the value itself.

    A ``dict`` subclass that compares equal to the ``dict`` of its items (a parsed document,
    a config object) is checked against that ``dict``: what a person writes, and no pytead at
    test time. Kept only when the recorded value equals the plain data.
    """
    if not _needs_helpers(builder, node, where):
        return None
    value = builder.decoded(node, where)
    plain = plain_form(value)
    if plain is None or not equals_plain(value, plain):
        return None
    plain_node = Encoder().encode_fresh(plain)
    try:
        source = builder.source(plain_node, where)
    except CodecError:
        return None
    if source.uses_pytead:
        return None
    builder.use(source)
    return plain_node, source.doc


def _needs_helpers(builder: CaseBuilder, node: Node, where: str) -> bool:
    """Whether *node* could be written only with `pytead.rebuild` or `pytead.fixture_value`."""
    try:
        return builder.source(node, where).uses_pytead
    except NotRenderable:
        return is_replayable(node)
    except CodecError:
        return False


def state_checks(
    builder: CaseBuilder, reader: str, node: Node, state: dict[str, Node], where: str
) -> list[Check]:
    """Compare an object equal only to itself through its state: ``vars()`` or its slots.

    An attribute holding objects equal only to themselves (the links of a linked list) is
    compared through their state in turn, down to `_NESTED_STATES` levels and never round a
    cycle; one that cannot be is not checked: ``==`` would fail on any run.
    """
    if holds_address(state):
        raise address_error(where)
    obj = builder.decoded(node, where)
    whole = hasattr(obj, "__dict__") and set(vars(obj)) == set(state)
    if whole and not holds_by_identity(builder.decoded(state, where)):
        return [(f"vars({reader})", builder.value(state, where))]
    return _attribute_state_checks(builder, reader, state, where, [id(node)])


#: How deep an attribute of an object equal only to itself is followed through its state.
_NESTED_STATES = 3


def _attribute_state_checks(
    builder: CaseBuilder, reader: str, state: dict[str, Node], where: str, seen: list[int]
) -> list[Check]:
    checks: list[Check] = []
    for name, item in state.items():
        at, attribute = where + value_path_part(name), _attribute(reader, name)
        if not holds_by_identity(builder.decoded(item, at)):
            checks.append((attribute, builder.value(item, at)))
            continue
        inner = state_of(item)
        if inner is not None and id(item) not in seen and len(seen) < _NESTED_STATES:
            checks += _attribute_state_checks(builder, attribute, inner, at, [*seen, id(item)])
        elif isinstance(item, list) and len(seen) < _NESTED_STATES:
            checks += _list_state_checks(builder, attribute, item, at, seen)
    return checks


def _list_state_checks(
    builder: CaseBuilder, reader: str, items: list[Node], where: str, seen: list[int]
) -> list[Check]:
    """A list holding objects equal only to themselves (a tree's children): its length, then
    each item through its state, so that a call adding or changing a child is still seen."""
    checks: list[Check] = [(f"len({reader})", builder.value(len(items), where))]
    for index, item in enumerate(items):
        inner = state_of(item)
        if inner is not None and id(item) not in seen:
            at, element = f"{where}[{index}]", f"{reader}[{index}]"
            checks += _attribute_state_checks(builder, element, inner, at, [*seen, id(item)])
    return checks


def _keyed_state_checks(builder: CaseBuilder, reader: str, node: Node, where: str) -> list[Check]:
    """The keys of a mapping of objects equal only to themselves, then its items, each through
    its state (``links[4].count == 2``); a list of them by its length and items; nothing for
    another value holding such objects."""
    if isinstance(node, list):
        return _list_state_checks(builder, reader, node, where, [])
    pairs = _pairs(node)
    if pairs is None:
        return []
    keys: Node = [key for key, _ in pairs]
    checks: list[Check] = [(f"list({reader})", builder.value(keys, where))]
    for key, item in pairs:
        inner = state_of(item)
        if inner is None:
            continue
        at, element = f"{where}[{key!r}]", f"{reader}[{flat(builder.value(key, where))}]"
        checks += _attribute_state_checks(builder, element, inner, at, [id(item)])
    return checks


_PLAIN = (list, tuple, set, frozenset)


def _pairs(node: Node) -> list[tuple[str | int, Node]] | None:
    """The ``(key, value)`` pairs of a recorded mapping whose keys are all str or int."""
    if isinstance(node, dict):
        return list(node.items())
    found: list[tuple[str | int, Node]] = []
    raw = node.value if isinstance(node, Tagged) and node.tag == "dict" else None
    for pair in raw if isinstance(raw, list) else [None]:
        if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) in (str, int)):
            return None
        key = pair[0]
        assert isinstance(key, str | int)
        found.append((key, pair[1]))
    return found


def holds_by_identity(value: object) -> bool:
    """Whether *value* is, or a container in it holds, an object equal only to itself.

    Examples:
        >>> holds_by_identity({"a": [1, (2, object())]}), holds_by_identity({"a": [1, "b"]})
        (True, False)
    """
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, list | tuple | set | frozenset) and type(item) in _PLAIN:
            stack.extend(item)
        elif isinstance(item, dict) and type(item) is dict:
            stack.extend([*item.keys(), *item.values()])
        elif by_identity(item):
            return True
    return False


def _items_by_state(builder: CaseBuilder, reader: str, node: Node, where: str) -> Check | None:
    """A list or dict of objects equal only to themselves, compared item by item by ``vars()``."""
    if isinstance(node, list) and node and all(_by_vars(builder, i, where) for i in node):
        states: Node = [state_of(item) for item in node]
        return f"[vars(item) for item in {reader}]", builder.value(states, where)
    if isinstance(node, dict) and node and all(_by_vars(builder, i, where) for i in node.values()):
        states = {key: state_of(item) for key, item in node.items()}
        comprehension = f"{{key: vars(item) for key, item in {reader}.items()}}"
        return comprehension, builder.value(states, where)
    return None


def _by_vars(builder: CaseBuilder, node: Node, where: str) -> bool:
    """Whether *node* is an object equal only to itself whose ``vars()`` is its whole state."""
    state = state_of(node)
    if state is None or holds_address(state):
        return False
    obj = builder.decoded(node, where)
    if not (by_identity(obj) and hasattr(obj, "__dict__") and set(vars(obj)) == set(state)):
        return False
    return not holds_by_identity(dict(vars(obj)))  # its state is then compared with ==


def address_error(where: str) -> CodecError:
    """Why a value showing a memory address cannot be checked."""
    return CodecError(
        "it shows a memory address, which changes from one run to the next",
        where=where,
        hint="give its class a __repr__ or __eq__ of its own, or leave the case out",
    )


def _attribute_reader(reader: str, name: str, after_obj: object, node: Node) -> str:
    """``reader.name``, or ``reader.x`` for a private ``_x`` its public property ``x`` shows."""
    public = name[1:]
    if name.startswith("_") and not name.startswith("__") and is_identifier(public):
        found = inspect.getattr_static(type(after_obj), public, None)
        if isinstance(found, property) and _reads(after_obj, public, node):
            return f"{reader}.{public}"
    return _attribute(reader, name)


def _reads(obj: object, name: str, node: Node) -> bool:
    """Whether ``obj.name`` gives the recorded *node*."""
    try:
        return canonical(Encoder().encode(getattr(obj, name))) == canonical(node)
    except Exception:  # the project's property failed on the rebuilt object: not a road
        return False


def _after_object(before: Node, after: dict[str, Node]) -> Any:
    """The object as the call left it, rebuilt from its recorded state (None if it cannot be)."""
    node = object_after(before, after)
    if node is None:
        return None
    try:
        return Decoder().decode(node)
    except Exception:  # its properties then stay unread
        return None


def _attribute(reader: str, name: str) -> str:
    if is_identifier(name):
        return f"{reader}.{name}"
    return f"getattr({reader}, {str_literal(name)})"
