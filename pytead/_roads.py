"""How a generated test builds each value, and how many values took each road.

A value code must spell (a receiver, an argument, an expected result) takes the first road that
gives back what was recorded, checked at gen time by building it:

1. ``literal``: plain data, and the standard types the codec writes itself (``Decimal("9.99")``);
2. ``constructor``: a constructor call the codec knows (dataclasses, named tuples, attrs...);
3. ``recorded call``: the call that built that very instance in the program, when its state has
   not changed since (``Cart(owner="ann")``), for receivers and arguments (`Case.built`);
4. ``history``: that call followed by the traced calls made on the instance before, replayed
   here (``cart = Cart()`` then ``cart.add("mug", 1)``);
5. ``repr``: the object's own repr, read as a call and rebuilt (`pytead._codec.reprs`);
6. ``constructor`` again: a call whose keyword parameters take the recorded attributes (or,
   for a node of a tree pointing back to its parent, its root's call and the path down to it);
7. ``rebuild``: ``pytead.rebuild(Cls, state)``; ``fixture_value`` for what has no source form.

Roads 2 to 6 first accept a candidate only if it has the recorded state exactly. An object
whose class compares by value then gets a second chance before road 7: roads 3 to 6 again,
accepting a candidate its class's own ``==`` finds equal to the recorded value
(`pytead._codec.source.equal_by_class`); its case's test is run before it is written, and
written again without that second chance if it fails.

A mapping whose class the program was not seen building, or whose recorded history does not
give it back, takes road 4 too when a call of its class with its recorded attributes makes it
empty and setting its items one by one fills it as recorded (`find_filling`: ``cache =
Cache(maxsize=2)``, then ``cache[1] = 1``), before pytead's helpers. An item the mapping made
from a plain scalar (a document storing ``"A"`` as its own ``String``) is set as that scalar
when that gives the same state.

This module finds roads 3 and 4 (`find_making`) and counts the roads (`render_roads`); the
codec finds the others (`pytead._codec.source`). Replaying runs the project's own code, which is
trusted; every callee of a replay is a plain function defined on the instance's class, never a
name the fixture made up, and any failure of a replay only means that the next road is taken.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from pytead._built import ITEM_METHODS, MAX_CALLS, Built, Step
from pytead._calls import Param, parse_parameters, split_arguments
from pytead._codec import Decoder, Encoder, Node, Tagged, is_replayable
from pytead._codec.reprs import call_quietly
from pytead._codec.source import (
    CONSTRUCTOR,
    KEYWORD_CALL,
    LITERAL,
    REBUILD,
    REPR,
    equal_by_class,
    init_keywords,
    same_value,
)

RECORDED_CALL = "recorded call"
HISTORY = "history"
FIXTURE_VALUE = "fixture_value"

#: The roads in the order they are tried, as the report lists them.
ROADS = (LITERAL, CONSTRUCTOR, RECORDED_CALL, HISTORY, REPR, REBUILD, FIXTURE_VALUE)


def counted_as(road: str) -> str:
    """The road a value is counted under: a keyword call is a constructor call."""
    return CONSTRUCTOR if road == KEYWORD_CALL else road


def render_roads(counts: Mapping[str, int]) -> str:
    """The report's line of how many values took each road.

    Examples:
        >>> render_roads({"literal": 4, "recorded call": 1}).split(", ")[:3]
        ['values: 4 literal', '0 constructor', '1 recorded call']
    """
    return "values: " + ", ".join(f"{counts.get(road, 0)} {road}" for road in ROADS)


@dataclass(frozen=True)
class Making:
    """How to make an instance as the program did, checked to give back its recorded state.

    Attributes:
        cls: The instance's class.
        init: The arguments of the constructor call, bound to its parameter names.
        steps: The calls to make on the instance afterwards, oldest first.
    """

    cls: type
    init: dict[str, Node]
    steps: tuple[Step, ...]

    #: Whether the steps were made up from the mapping's items (`find_filling`), not recorded.
    filled: bool = False

    @property
    def road(self) -> str:
        """`RECORDED_CALL` for a bare constructor call, `HISTORY` when calls follow it."""
        return HISTORY if self.steps else RECORDED_CALL


def find_making(node: Node, built: Built, *, equality: bool = False) -> Making | None:
    """The way *built* says the instance *node* was made, if replaying it gives *node* back.

    A history is tried first without the steps that raised (they seldom changed anything),
    then with them, each expected to raise what it raised in the program. With *equality*, what
    the replay makes is accepted when its class's ``==`` finds it equal to the recorded value
    (a read cache then left unfilled does not matter), not only when it has the same state.
    """
    if not isinstance(node, Tagged) or node.tag != "obj":
        return None
    if built.args is None and not built.calls:
        return None
    try:
        expected = Decoder().decode(node)
    except Exception:
        return None
    init = built.args if built.args is not None else {}  # not seen: try ``Cls()``
    quiet = tuple(step for step in built.calls if step.raised is None)
    for steps in [quiet] if quiet == built.calls else [quiet, built.calls]:
        making = Making(type(expected), init, steps)
        found, made = call_quietly(replay_making, making)
        if found and _gives_back(made, expected, equality=equality):
            return making
    return None


def find_filling(
    node: Node, *, built: Built | None = None, equality: bool = False
) -> Making | None:
    """A mapping made by a call of its class, then filled item by item (``cache[1] = 1``), if
    that gives *node* back (with *equality*, as its ``==`` says).

    The call is the recorded constructor call when *built* holds one and no traced call came
    after it (the items were set by calls pytead did not trace), else a call from the recorded
    attributes. Only for a mutable mapping whose ``__setitem__`` is a plain function of its
    class, with at most `MAX_CALLS` items, each of which can be written. A ``dict`` subclass
    counts only when it sets items its own way (an LRU cache linking each key): else its items
    are recorded as such and the codec writes it as a call taking them. Items that subclass a
    builtin scalar are first set as that scalar, as a person would set them, the mapping
    making its own item again; the replay checks that the state is the same.
    """
    if not isinstance(node, Tagged) or node.tag != "obj" or not isinstance(node.value, dict):
        return None
    state = node.value.get("state")
    try:
        expected = Decoder().decode(node)
    except Exception:
        return None
    cls = type(expected)
    if not isinstance(expected, MutableMapping) or not _sets_items_itself(cls):
        return None
    init = _filling_call(cls, state, built)
    if init is None:
        return None
    for plain in (True, False):  # the items as a person sets them first: ``doc["a"] = 1``
        steps = _filling_steps(expected, plain=plain)
        if steps is None:
            continue
        making = Making(cls, init, steps, filled=True)
        found, made = call_quietly(replay_making, making)
        # set as plain scalars, items must come back exactly: an ``==`` finding ``1`` equal
        # to an ``IntEnum`` member would let the test lose what the mapping holds
        if found and _gives_back(made, expected, equality=equality and not plain):
            return making
    return None


def _sets_items_itself(cls: type) -> bool:
    """Whether items of *cls* are set by its own code: any mapping but a plain ``dict``'s."""
    return not issubclass(cls, dict) or getattr(cls, "__setitem__", None) is not dict.__setitem__


def _filling_call(cls: type, state: Node, built: Built | None) -> dict[str, Node] | None:
    """The constructor call a filling starts from: the recorded one, else from the attributes
    (when the state is recorded as attributes, not as what the class's ``__reduce__`` gave)."""
    if built is not None and built.args is not None and not built.calls:
        return dict(built.args)
    if not isinstance(state, dict):
        return None
    call = init_keywords(cls, state)
    return None if call is None or call[0] else dict(call[1])


def _filling_steps(mapping: MutableMapping[Any, Any], *, plain: bool) -> tuple[Step, ...] | None:
    """``mapping[key] = value`` for each of its items, as steps; None if one cannot be, or if
    *plain* (each value as the builtin scalar it subclasses) changes none of them."""
    params = item_parameters(type(mapping), "__setitem__")
    found, items = call_quietly(lambda: list(mapping.items()))
    if params is None or not found or items is None:
        return None
    if not items or len(items) > MAX_CALLS:
        return None
    if plain:
        plain_items = [(key, _plain_scalar(value)) for key, value in items]
        if all(new is old for (_, new), (_, old) in zip(plain_items, items, strict=True)):
            return None  # the same steps as the exact ones
        items = plain_items
    encoder = Encoder()
    steps = []
    for key, value in items:
        args = {
            params[0].key: encoder.encode_fresh(key),
            params[1].key: encoder.encode_fresh(value),
        }
        if not all(map(is_replayable, args.values())):
            return None
        steps.append(Step("__setitem__", args))
    return tuple(steps)


#: The scalars a mapping may turn into its own item class when set (``doc["a"] = 1`` stores an
#: ``Integer``).
_SCALARS: tuple[type, ...] = (int, float, complex, str, bytes)


def _plain_scalar(value: object) -> object:
    """*value* as the builtin scalar its class subclasses, else *value* itself."""
    for scalar in _SCALARS:
        # an enum member is set as itself: its name says more than its value
        exact = type(value) is scalar or isinstance(value, enum.Enum)
        if isinstance(value, scalar) and not exact:
            found, plain = call_quietly(scalar, value)
            return plain if found else value
    return value


def _gives_back(made: object, expected: object, *, equality: bool) -> bool:
    if equality:
        return equal_by_class(made, expected)
    return same_value(made, expected)


def init_parameters(cls: type, args: Mapping[str, object] | None = None) -> list[Param] | None:
    """The parameters a call of *cls* takes (without ``self``), or None if it does not say.

    Given the call's *args*, the parameters that may be named are keyword-only, so that the
    call reads ``Cart(owner="ann")`` as the codec writes objects, unless ``*args`` items must
    come after them.
    """
    params = _parameters(cls)
    if params is None or any(key.startswith("*") and key[1:2] != "*" for key in args or {}):
        return params
    return [
        Param(p.name, "keyword_only", p.default) if p.kind == "positional" else p for p in params
    ]


def method_parameters(cls: type, name: str) -> list[Param] | None:
    """The parameters of the plain function *name* of *cls*, without ``self``; else None.

    Only a function defined on the class (or a base) counts: not a static or class method, not
    an attribute an instance or a metaclass provides.
    """
    method = _method(cls, name)
    params = None if method is None else _parameters(method)
    return None if params is None or not params else params[1:]


def item_parameters(cls: type, name: str) -> list[Param] | None:
    """The parameters ``obj[key] = value`` (``del obj[key]``) passes to the item method *name*
    of *cls*: its first two (one), when any after them have defaults; else None.

    A cache's ``__setitem__(self, key, value, cache_setitem=Cache.__setitem__)`` takes its
    extra parameter only to reach its base class quickly: the item syntax leaves it out too.
    """
    params = method_parameters(cls, name)
    wanted = 2 if name == "__setitem__" else 1
    if params is None or len(params) < wanted:
        return None
    leading, rest = params[:wanted], params[wanted:]
    if any(p.kind not in ("positional", "positional_only") for p in leading):
        return None
    if any(p.kind not in ("var_positional", "var_keyword") and p.default is None for p in rest):
        return None
    return leading


def item_step_names(params: list[Param] | None, step: Step) -> list[str] | None:
    """The names of the key (and value) an item step passes, in order, when they are those of
    its method's item parameters (`item_parameters`); else None."""
    names = [param.key for param in params or []]
    wanted = 2 if step.method == "__setitem__" else 1
    return names if len(names) == wanted and set(step.args) == set(names) else None


def step_exception(step: Step) -> str | None:
    """The qualified name of the exception *step* raised (``builtins.KeyError``), if any."""
    if step.raised is None:
        return None
    return step.raised if "." in step.raised else f"builtins.{step.raised}"


def _method(cls: type, name: str) -> Any:
    if name.startswith("__") and name not in ITEM_METHODS:  # ``__init__``, ``__setattr__``
        return None
    try:
        found = inspect.getattr_static(cls, name)
    except AttributeError:
        return None
    return found if inspect.isfunction(found) else None


def _parameters(function: Any) -> list[Param] | None:
    try:
        return parse_parameters(str(inspect.signature(function)))
    except (TypeError, ValueError):
        return None


def replay_making(making: Making) -> object:
    """Build the instance and replay its steps; raise if any of it does not go as recorded."""
    instance = _invoke(making.cls, init_parameters(making.cls), making.init)
    for step in making.steps:
        method = _method(making.cls, step.method)
        params = method_parameters(making.cls, step.method)
        if method is None or params is None:
            raise LookupError(f"{step.method} is not a method of the class")
        _replay_step(method, params, step, instance)
    return instance


def _replay_step(method: Any, params: list[Param], step: Step, instance: object) -> None:
    raised = step_exception(step)
    if raised is None:
        _invoke(method, params, step.args, instance)
        return
    try:
        _invoke(method, params, step.args, instance)
    except Exception as exc:
        kind = type(exc)
        if f"{kind.__module__}.{kind.__qualname__}" == raised:
            return
        raise
    raise AssertionError(f"the step did not raise {raised}")


def _invoke(
    function: Any, params: list[Param] | None, args: dict[str, Node], *first: object
) -> Any:
    if params is None:
        raise LookupError("the callable does not say what parameters it takes")
    if set(args) - {param.key for param in params}:
        raise LookupError("the record names a parameter the callable does not have")
    decoder = Decoder()
    values = {key: decoder.decode(node) for key, node in args.items()}
    call = split_arguments(values, params)
    keywords = {name: value for name, value in call.keywords if name != "**"}
    return function(*first, *(value for _, value in call.positional), **keywords)
