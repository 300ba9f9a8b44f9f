"""Tagged tree -> Python value: rebuild what a fixture recorded, to replay it or compare with it.

Objects are rebuilt the way pickle does it, without calling ``__init__``: ``cls.__new__(cls)``
then the recorded state. Every name a fixture gives (``!obj`` types, ``!enum`` classes, ``!ref``)
goes through the trust policy (`pytead._trust`) before anything is imported, only classes can be
named by ``!obj``, and a constructor is called (``cls(**fields)``) only for the project's own
or trusted classes, so decoding never runs code a fixture chose.
"""

from __future__ import annotations

import codecs
import datetime as dt
import decimal
import enum
import fractions
import pathlib
import re
import sys
import types
import uuid
import zoneinfo
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from pytead._codec import nodes as n
from pytead._codec.nodes import Node, Tagged, qualified_name
from pytead._codec.registry import REGISTRY, Registry
from pytead._errors import CodecError, value_path_part
from pytead._trust import TrustPolicy, current, locate_trusted


class NotReplayable(CodecError):
    """The value was not recorded in full (``!opaque`` or ``!redacted``)."""


_IN_PROGRESS = object()


class Decoder:
    """Rebuild values from nodes; a node shared in the tree gives one shared object."""

    def __init__(self, registry: Registry = REGISTRY, trust: TrustPolicy | None = None) -> None:
        self.registry = registry
        self._trust = trust
        self._memo: dict[int, object] = {}

    @property
    def trust(self) -> TrustPolicy:
        """The policy names are checked against (the one in force, unless one was given)."""
        if self._trust is None:
            self._trust = current()
        return self._trust

    def locate(self, name: str, what: str) -> Any:
        """Import what a fixture names, if the policy trusts it (see `pytead._trust`).

        Raises:
            CodecError: It is not trusted (`pytead._trust.UntrustedName`), or does not exist.
        """
        codec_types = {qualified_name(kind) or "" for kind in self.registry.types()}
        try:
            return locate_trusted(name, what, self.trust, codec_types)
        except LookupError as exc:
            shown = f"its class {name}" if what == "!obj type" else f"{what} {name}"
            raise CodecError(
                f"{shown} cannot be imported ({exc})",
                hint="make its module importable from the project root, or capture the call again",
            ) from None

    def reach(self, module: str, qualname: str) -> object:
        """What *module* binds under *qualname*, if the policy trusts that name.

        Raises:
            CodecError: It is not trusted.
            LookupError: Nothing has that name.
        """
        from pytead._codec.functions import reach_in_module

        self.trust.check_ref(f"{module}.{qualname}")
        return reach_in_module(module, qualname)

    def decode(self, node: Node) -> Any:
        """Rebuild the value *node* describes.

        Raises:
            NotReplayable: The node holds ``!opaque`` or ``!redacted`` parts.
            CodecError: The node is malformed or names something that cannot be imported.
        """
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        known = self._memo.get(id(node), None)
        if known is _IN_PROGRESS:
            raise CodecError("a cycle runs through an immutable value", hint="edit the fixture")
        if id(node) in self._memo:
            return known
        if isinstance(node, list):
            items: list[Any] = []
            self._memo[id(node)] = items
            items.extend(self._inside(item, f"[{index}]") for index, item in enumerate(node))
            return items
        if isinstance(node, dict):
            mapping: dict[str, Any] = {}
            self._memo[id(node)] = mapping
            mapping.update((k, self._inside(v, value_path_part(k))) for k, v in node.items())
            return mapping
        return self._tagged(node)

    def _inside(self, node: Node, part: str) -> Any:
        """Decode a part of a value; an error says where in the value it happened."""
        try:
            return self.decode(node)
        except CodecError as exc:
            exc.inside(part)
            raise

    def _tagged(self, node: Tagged) -> Any:
        handler = _HANDLERS.get(node.tag)
        if handler is None:
            codec = self.registry.by_tag(node.tag)
            if codec is None:
                raise CodecError(
                    f"unknown tag !{node.tag}",
                    hint="register a codec for it with pytead.register_codec before loading",
                )
            self._memo[id(node)] = _IN_PROGRESS
            payload = self.decode(node.value)
            value = self._rebuilt(node, lambda: codec.decode(payload))
        else:
            self._memo[id(node)] = _IN_PROGRESS
            value = self._rebuilt(node, lambda: handler(self, node))
        self._memo[id(node)] = value
        return value

    def _rebuilt(self, node: Tagged, rebuild: Callable[[], Any]) -> Any:
        """What *rebuild* gives; a failure of its own (a payload it refuses) is a `CodecError`
        naming the value, as every malformed part of a fixture is."""
        try:
            return rebuild()
        except (CodecError, RecursionError):
            raise
        except Exception as exc:
            raise CodecError(
                f"cannot rebuild !{node.tag} {node.value!r:.80}: {exc}",
                hint="fix the value in the fixture or capture it again",
            ) from exc

    def _items(self, node: Tagged) -> list[Any]:
        if not isinstance(node.value, list):
            raise CodecError(f"!{node.tag} expects a list", hint="edit the fixture")
        return [self._inside(item, f"[{index}]") for index, item in enumerate(node.value)]

    def _pairs(self, node: Tagged) -> dict[Any, Any]:
        return {self.decode(pair[0]): self.decode(pair[1]) for pair in node.value}  # type: ignore[index,union-attr]

    def _obj(self, node: Tagged) -> Any:
        payload = node.value
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            raise CodecError("!obj needs a 'type' name", hint="edit the fixture")
        type_name = str(payload["type"])
        cls = self._object_class(payload, type_name)
        if not isinstance(cls, type):
            raise CodecError(f"!obj type {type_name} is not a class", hint="edit the fixture")
        if "fields" in payload:
            return self._from_fields(cls, type_name, self.decode(payload["fields"]))
        if "reduce_args" in payload:
            obj = self._from_recipe(cls, type_name, payload["reduce_args"])
        else:
            obj = self._new(cls, payload)
            constant = module_constant(obj) if "value" in payload else None
            if constant is not None:  # the module's own object: its state is the module's
                self._memo[id(node)] = constant
                return constant
        self._memo[id(node)] = obj  # before the state, which may point back at obj
        if "state" in payload:
            set_state(obj, self.decode(payload["state"]))
        return obj

    def _object_class(self, payload: dict[str, Node], type_name: str) -> Any:
        """The class an ``!obj`` names, or, for one defined in a function (``!localclass``),
        the class made from the project's source (`pytead._localclass`)."""
        place = payload.get("class")
        if place is None:
            return self.locate(type_name, "!obj type")
        if not (isinstance(place, Tagged) and place.tag == n.LOCALCLASS):
            raise CodecError("!obj class must be a !localclass node", hint="edit the fixture")
        from pytead._localclass import local_class  # lazily: it reads source files

        return local_class(place.value, type_name)

    def _from_fields(self, cls: type, type_name: str, fields: Any) -> Any:
        """A named tuple is filled as a tuple; another class's constructor runs only if trusted."""
        if not isinstance(fields, dict):
            raise CodecError("!obj fields must be a mapping", hint="edit the fixture")
        names = getattr(cls, "_fields", None)
        if issubclass(cls, tuple) and isinstance(names, tuple) and set(names) == set(fields):
            return tuple.__new__(cls, [fields[name] for name in names])
        self._check_callable(type_name)
        return cls(**fields)

    def _check_callable(self, type_name: str) -> None:
        """Refuse to call the class *type_name* unless the trust policy lets its constructor run."""
        if not self.trust.trusts_call(type_name):
            raise CodecError(
                f"!obj type {type_name} would be built by calling it, and is not trusted to",
                hint=f'add "{type_name}" to [tool.pytead] trusted-types if the project trusts it',
            )

    def _from_recipe(self, cls: type, type_name: str, args: Node) -> Any:
        """``cls(*args)``, the class's own pickle recipe: its constructor runs, so trusted only."""
        self._check_callable(type_name)
        values = self.decode(args)
        if not isinstance(values, list):
            raise CodecError("!obj reduce_args must be a list", hint="edit the fixture")
        return cls(*values)

    def _new(self, cls: type, payload: dict[str, Node]) -> Any:
        if issubclass(cls, BaseException):
            args = tuple(self.decode(payload.get("args", [])))
            exc = cls.__new__(cls, *args)
            exc.args = args
            return exc
        if "value" in payload:
            value = self.decode(payload["value"])
            if issubclass(cls, bytearray):
                array = cls.__new__(cls)
                array[:] = value
                return array
            return _bare_new(cls, value)
        if "items" in payload:
            return self._new_container(cls, payload)
        return _bare_new(cls)

    def _new_container(self, cls: type, payload: dict[str, Node]) -> Any:
        items = self.decode(payload["items"])
        new: Any = cls.__new__
        if issubclass(cls, frozenset):
            return new(cls, items)
        obj: Any = new(cls)
        # Filled through the class's own methods, as pickle does, so subclasses that keep
        # extra bookkeeping (OrderedDict's links, Counter...) stay consistent.
        if issubclass(cls, deque):
            maxlen = payload.get("maxlen")
            deque.__init__(obj, items, maxlen if isinstance(maxlen, int) else None)
        elif issubclass(cls, dict):
            if issubclass(cls, defaultdict):
                obj.default_factory = self.decode(payload.get("factory"))
            _fill_mapping(obj, items)
        elif issubclass(cls, list):
            obj.extend(items)
        elif issubclass(cls, set):
            obj.update(items)
        return obj


#: Values whose identity nobody can change: a module may share them as named constants.
_IMMUTABLE = (int, float, complex, str, bytes, tuple)


def module_constant(value: Any) -> Any:
    """The object the module of *value*'s class binds to that value, by a public name or by
    the attribute path its repr spells (``Token.Punctuation``), or None.

    A token type compared by identity (``ttype is T.Punctuation``) is then the module's own,
    as in the program, not an equal copy. Only immutable values of a class's own, from a
    module already imported, read without calling anything.
    """
    cls = type(value)
    if cls in _IMMUTABLE or not isinstance(value, _IMMUTABLE) or isinstance(value, bool):
        return None
    module = sys.modules.get(cls.__module__)
    if module is None:
        return None
    from pytead._codec.source import _MISSING, _constant_paths, _follow  # it imports this one

    base: Any = next(kind for kind in cls.__mro__ if kind in _IMMUTABLE)
    names = vars(module)
    for path in _constant_paths(names, value):
        found = _follow(names, path)
        if found is not _MISSING and type(found) is cls and base.__eq__(found, value) is True:
            return found
    return None


def _fill_mapping(obj: dict[Any, Any], items: dict[Any, Any]) -> None:
    """Set *items* on a new ``dict`` subclass through its own ``__setitem__``, or through
    ``dict``'s when its own needs what the recorded state gives it next (a two-way mapping
    that writes to its inverse): the items and the state are then the recorded ones."""
    try:
        for key, value in items.items():
            obj[key] = value
    except Exception:
        dict.clear(obj)
        dict.update(obj, items)


def _bare_new(cls: type, *args: Any) -> Any:
    """``cls.__new__(cls, *args)``, as pickle makes an object before giving it its state.

    A ``__new__`` of the class's own that wants more than that (a ``str`` subclass whose
    ``__new__`` takes the parts it is made of) is passed over for the nearest built-in one
    (``str.__new__``): the recorded state then gives the object the rest.
    """
    new: Any = cls.__new__
    try:
        return new(cls, *args)
    except TypeError:
        for base in cls.__mro__[1:]:
            builtin = base.__dict__.get("__new__")
            if builtin is not None and not isinstance(builtin, staticmethod | classmethod):
                return builtin(cls, *args)
        raise


def set_state(obj: Any, state: Any) -> None:
    """Give a freshly created *obj* its recorded *state* (``__setstate__`` when it has one)."""
    setstate = getattr(type(obj), "__setstate__", None)
    if setstate is not None and not isinstance(obj, BaseException):
        setstate(obj, state)
        return
    if not isinstance(state, dict):
        raise CodecError("!obj state must be a mapping for this class", hint="edit the fixture")
    instance_dict = getattr(obj, "__dict__", None)
    for key, value in state.items():
        if instance_dict is not None and not _is_slot(type(obj), key):
            instance_dict[key] = value
        else:
            object.__setattr__(obj, key, value)


def _is_slot(cls: type, name: str) -> bool:
    return any(
        name in ((s,) if isinstance(s, str) else s)
        for s in (k.__dict__.get("__slots__", ()) for k in cls.__mro__)
    )


def _text(node: Tagged) -> str:
    if not isinstance(node.value, str):
        raise CodecError(
            f"!{node.tag} expects a string, not {node.value!r:.40}", hint="edit the fixture"
        )
    return node.value


def _datetime(_d: Decoder, node: Tagged) -> Any:
    parse = dt.datetime.fromisoformat if node.tag == n.DATETIME else dt.time.fromisoformat
    if isinstance(node.value, dict):
        zone = zoneinfo.ZoneInfo(str(node.value["zone"]))
        wall = parse(str(node.value["iso"])).replace(tzinfo=None)
        return wall.replace(tzinfo=zone, fold=int(node.value.get("fold", 0)))  # type: ignore[arg-type]
    return parse(_text(node))


_TIMEDELTA = re.compile(r"^(?:(-?\d+) days?, )?(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?$")


def _timedelta(_d: Decoder, node: Tagged) -> dt.timedelta:
    """Read ``str(timedelta)`` back (``1:30:00``, ``2 days, 0:00:00``)."""
    match = _TIMEDELTA.match(_text(node).strip())
    if match is None:
        raise CodecError(f"!timedelta {_text(node)!r} is not like '1 day, 2:03:04.5'")
    days, hours, minutes, seconds, fraction = match.groups()
    micros = int((fraction or "0").ljust(6, "0"))
    return dt.timedelta(
        days=int(days or 0),
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds),
        microseconds=micros,
    )


def _path(_d: Decoder, node: Tagged) -> pathlib.PurePath:
    if isinstance(node.value, dict):
        kind = getattr(pathlib, str(node.value["type"]))
        if not (isinstance(kind, type) and issubclass(kind, pathlib.PurePath)):
            raise CodecError(f"!path type {node.value['type']} is not a pathlib class")
        path: pathlib.PurePath = kind(str(node.value["path"]))
        return path
    return pathlib.Path(_text(node))


def _enum(decoder: Decoder, node: Tagged) -> enum.Enum:
    class_name, _, member = _text(node).rpartition(".")
    cls = decoder.locate(class_name, "!enum class")
    if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
        raise CodecError(f"!enum {class_name} is not an Enum class", hint="edit the fixture")
    if "|" in member:  # a combination of Flag members
        value = cls[member.split("|")[0]]
        for part in member.split("|")[1:]:
            value |= cls[part]  # type: ignore[operator]
        return value
    return cls[member]


def _unreplayable(_d: Decoder, node: Tagged) -> Any:
    if node.tag == n.REDACTED:
        raise NotReplayable("a secret was redacted at capture", hint="record it with redaction off")
    if node.tag == n.LOCALCLASS:
        raise NotReplayable(
            "a class defined in a function is rebuilt only inside its !obj",
            hint="define the class at the top level of a module",
        )
    if node.tag == n.FUNCTION:
        what = node.value.get("qualname", "?") if isinstance(node.value, dict) else "?"
        raise NotReplayable(
            f"the function {what} cannot be imported by name",
            hint="define it at the top level of a module to replay calls that receive it",
        )
    what = node.value.get("type", "?") if isinstance(node.value, dict) else "?"
    raise NotReplayable(f"a {what} value was recorded as opaque", hint="register a codec for it")


def _function(decoder: Decoder, node: Tagged) -> Any:
    """A function its module exports behind a decorator (see `unwrapped_function`)."""
    from pytead._codec.functions import unwrapped_function

    try:
        found = unwrapped_function(node.value, decoder.reach)
    except (CodecError, LookupError):  # not trusted, or not there: it is not one of those
        found = None
    if found is None:
        return _unreplayable(decoder, node)
    return found[1]


def _method(decoder: Decoder, node: Tagged) -> Any:
    """The method *name* of the object rebuilt from ``self``, read as ``obj.name`` reads it."""
    payload = node.value
    name = payload.get("name") if isinstance(payload, dict) else None
    if not isinstance(payload, dict) or "self" not in payload or not isinstance(name, str):
        raise CodecError("!method needs 'self' and a 'name'", hint="edit the fixture")
    if not name.isidentifier():
        raise CodecError(f"!method name {name!r:.80} is not a Python name", hint="edit the fixture")
    owner = decoder._inside(payload["self"], ".self")
    if isinstance(owner, types.ModuleType):
        raise CodecError("a !method of a module is a !ref", hint="edit the fixture")
    try:
        found = getattr(owner, name)
    except Exception as error:
        raise CodecError(
            f"!method {name}: the object has no such method ({type(error).__name__})",
            hint="capture the call again",
        ) from None
    if getattr(found, "__self__", None) is not owner:
        raise CodecError(f"!method {name} is not a method of its object", hint="edit the fixture")
    return found


_HANDLERS: dict[str, Callable[[Decoder, Tagged], Any]] = {
    n.TUPLE: lambda d, node: tuple(d._items(node)),
    n.SET: lambda d, node: set(d._items(node)),
    n.FROZENSET: lambda d, node: frozenset(d._items(node)),
    n.BYTES: lambda _d, node: codecs.escape_decode(_text(node).encode("utf-8"))[0],
    n.DATETIME: _datetime,
    n.TIME: _datetime,
    n.DATE: lambda _d, node: dt.date.fromisoformat(_text(node)),
    n.TIMEDELTA: _timedelta,
    n.DECIMAL: lambda _d, node: decimal.Decimal(_text(node)),
    n.FRACTION: lambda _d, node: fractions.Fraction(_text(node)),
    n.COMPLEX: lambda _d, node: complex(_text(node)),
    n.UUID: lambda _d, node: uuid.UUID(_text(node)),
    n.PATH: _path,
    n.ENUM: _enum,
    n.DICT: Decoder._pairs,
    n.OBJ: Decoder._obj,
    n.REF: lambda d, node: d.locate(_text(node), "!ref"),
    n.OPAQUE: _unreplayable,
    n.REDACTED: _unreplayable,
    n.FUNCTION: _function,
    n.LOCALCLASS: _unreplayable,
    n.METHOD: _method,
}


def decode(node: Node, registry: Registry = REGISTRY, trust: TrustPolicy | None = None) -> Any:
    """Rebuild the Python value a node describes (see `Decoder.decode`)."""
    return Decoder(registry, trust).decode(node)
