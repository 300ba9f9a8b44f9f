"""Python value -> tagged tree, for anything a traced program may pass or return.

Encoding happens inside the traced program, so it never raises: whatever cannot be described
faithfully becomes ``!opaque {type, repr}`` and the case is kept but marked not replayable. One
`Encoder` serves one recorded call, so an object seen both as ``self`` and as an argument becomes
a single shared node (an anchor in YAML).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import fractions
import inspect
import pathlib
import reprlib
import types
import uuid
import weakref
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytead._codec import nodes as n
from pytead._codec.functions import function_payload
from pytead._codec.jsonio import canonical
from pytead._codec.nodes import Node, Tagged
from pytead._codec.registry import REGISTRY, Registry
from pytead._codec.secrets import PLAIN_DATA, Redactor, Secrets
from pytead._codec.streams import STREAM_REASON, is_stream


class _TooLarge(Exception):
    """Raised inside the encoder when a value exceeds its node or byte budget."""

    def __init__(self, reason: str, *, bounded: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        #: Whether its repr must be bounded too (a value too large in bytes).
        self.bounded = bounded


NO_REDACTION = Redactor((), patterns=False)
#: Default of `Encoder.max_bytes`, the ``max_value_bytes`` setting.
MAX_VALUE_BYTES = 1 << 20


class Encoder:
    """Turn Python values into nodes, sharing nodes for objects seen more than once.

    Attributes:
        mutable_seen: Whether the last `encode` met a mutable container or object (only those
            can have been changed by the call, so only those are encoded again afterwards).
    """

    def __init__(
        self,
        *,
        redact: Redactor = NO_REDACTION,
        max_nodes: int = 10_000,
        max_bytes: int = MAX_VALUE_BYTES,
        registry: Registry = REGISTRY,
        secrets: Secrets | None = None,
        root: Path | None = None,
    ) -> None:
        self.redact = redact
        #: The project's root, that a ``!function`` node's source file is relative to (the
        #: project's root as `pytead._project.project_root` finds it, when not given).
        self.root = root
        self.max_nodes = max_nodes
        self.max_bytes = max_bytes
        self.registry = registry
        #: What was hidden while encoding, to remove wherever else the same case holds it.
        self.secrets = Secrets() if secrets is None else secrets
        self.mutable_seen = False
        #: Whether some object was met twice, so the tree holds shared nodes.
        self.shared_seen = False
        self._memo: dict[int, tuple[object, Node]] = {}
        self._budget = max_nodes
        self._bytes_left = max_bytes

    def encode(self, value: object) -> Node:
        """Encode one value; too large or failing values become ``!opaque``."""
        self._budget = self.max_nodes
        self._bytes_left = self.max_bytes
        self.mutable_seen = False
        try:
            return self._encode(value)
        except _TooLarge as exc:
            return self._opaque(
                value, exc.reason, shown=_bounded_repr(value) if exc.bounded else None
            )
        except RecursionError:
            return self._opaque(value, "nested too deeply")
        except Exception as exc:  # user code (__getstate__, properties...) failed while read
            return self._opaque(value, f"reading it raised {type(exc).__name__}: {exc}")

    def encode_fresh(self, value: object) -> Node:
        """Encode *value* as it is now, ignoring what this encoder has already seen."""
        self._memo = {}
        return self.encode(value)

    def encode_named(self, name: str, value: object) -> Node:
        """Encode *value* unless *name* says it holds a secret."""
        return self._hidden(value) if self._secret_named(name, value) else self.encode(value)

    def encode_small(self, name: str, value: object) -> Node | None:
        """`encode_named`, or None when *value* is over the budget or cannot be read.

        For values recorded on the side of the call, such as a constructor's arguments: a value
        too large for the budget costs no more than the budget (no repr is taken of it).
        """
        if self._secret_named(name, value):
            return self._hidden(value)
        self._budget = self.max_nodes
        self._bytes_left = self.max_bytes
        self.mutable_seen = False
        try:
            return self._encode(value)
        except Exception:  # too large, nested too deeply, or its state failed to read
            return None

    def _secret_named(self, name: str, value: object) -> bool:
        return type(value) in PLAIN_DATA and self.redact(name)

    def _hidden(self, value: object) -> Node:
        self.secrets.add(value)
        return Tagged(n.REDACTED, "")

    def _opaque(self, value: object, reason: str, *, shown: str | None = None) -> Tagged:
        return opaque(value, reason=reason, redact=self.redact, shown=shown)

    # -- dispatch -------------------------------------------------------------------------

    def _encode(self, value: object) -> Node:
        self._budget -= 1
        if self._budget < 0:
            raise _TooLarge(f"larger than max_value_nodes={self.max_nodes}")
        kind = type(value)
        if kind is str:
            return self._text(value)  # type: ignore[arg-type]
        if kind in _NATIVE:
            return value  # type: ignore[return-value]
        remembered = self._memo.get(id(value))
        if remembered is not None:
            self.mutable_seen = True  # the same object twice: assume it may change
            self.shared_seen = True
            return remembered[1]
        handler = _BY_TYPE.get(kind)
        if handler is not None:
            return handler(self, value)
        return self._encode_other(value)

    def _text(self, value: str) -> Node:
        size = len(value)
        if size > self.max_bytes:
            return self._oversized(value, f"{size} characters")
        self._spend(size)
        found: list[str] = []
        clean = self.redact.scrub(value, found)
        if clean is None:
            return value
        self.secrets.add_texts(found)
        return Tagged(n.REDACTED, clean)

    def _spend(self, size: int) -> None:
        """Count *size* bytes of text against both budgets of the value being encoded."""
        self._budget -= size // 80
        self._bytes_left -= size
        if self._bytes_left < 0:
            raise _TooLarge(
                f"larger than max_value_bytes={self.max_bytes} once encoded", bounded=True
            )

    def _oversized(self, value: str | bytes | bytearray, size: str) -> Node:
        """A text or bytes value alone over the byte budget: its size and its start are kept."""
        reason = f"{size}, more than max_value_bytes={self.max_bytes}"
        return self._opaque(value, reason, shown=_bounded_repr(value))

    def _remember(self, value: object, node: Node) -> Node:
        self._memo[id(value)] = (value, node)
        return node

    def _encode_other(self, value: object) -> Node:
        codec = self.registry.find(type(value))
        if codec is not None:
            self.mutable_seen = True  # a codec's type may be mutable: look again after the call
            return self._remember(value, Tagged(codec.tag, self._encode(codec.encode(value))))
        if is_stream(value):
            return self._opaque(value, STREAM_REASON)
        for test, handler in _BY_KIND:
            if test(value):
                return handler(self, value)
        return self._opaque(value, _NO_CODEC)

    # -- containers -----------------------------------------------------------------------

    def _list(self, value: list[Any]) -> Node:
        self.mutable_seen = True
        node: list[Node] = []
        self._remember(value, node)
        node.extend(self._encode(item) for item in value)
        return node

    def _tuple(self, value: tuple[Any, ...]) -> Node:
        node = Tagged(n.TUPLE, [])
        self._remember(value, node)
        node.value.extend(self._encode(item) for item in value)  # type: ignore[union-attr]
        return node

    def _set(self, value: set[Any] | frozenset[Any]) -> Node:
        if type(value) is set:
            self.mutable_seen = True
        node = Tagged(n.SET if isinstance(value, set) else n.FROZENSET, [])
        self._remember(value, node)
        # Sets have no order; sorting their encoded items keeps fixtures byte-stable.
        items = [self._encode(item) for item in value]
        node.value = sorted(items, key=canonical)
        return node

    def _dict(self, value: dict[Any, Any]) -> Node:
        self.mutable_seen = True
        # A key starting with NUL could pass for one of the journal's markers (see jsonio):
        # such a mapping is written as pairs, like one with keys that are not strings.
        if all(type(key) is str and not key.startswith("\x00") for key in value):
            mapping: dict[str, Node] = {}
            self._remember(value, mapping)
            for key, item in value.items():
                found: list[str] = []
                clean = self.redact.scrub(key, found)
                if clean is None:
                    mapping[key] = self._named(key, item)
                else:  # a key shaped like a credential (a token mapping to a session)
                    self.secrets.add_texts(found)
                    mapping[clean] = self._hidden(item)
            return mapping
        pairs: list[Node] = []
        node = self._remember(value, Tagged(n.DICT, pairs))
        for key, item in value.items():
            name = key if isinstance(key, str) else ""
            pairs.append([self._encode(key), self._named(name, item)])
        return node

    def _named(self, name: str, value: object) -> Node:
        """`encode_named`, inside an encoding already under way."""
        return self._hidden(value) if self._secret_named(name, value) else self._encode(value)

    # -- objects --------------------------------------------------------------------------

    def _object(self, value: object) -> Node:
        cls = type(value)
        name = n.qualified_name(cls)
        payload: dict[str, Node] = {"type": name} if name is not None else {}
        if name is None:
            bound = n.module_binding(value)
            if bound is not None:  # a sentinel its module keeps: the very object, by its name
                return self._remember(value, Tagged(n.REF, bound))
            payload = self._local_class(cls)
            if not payload:
                return self._opaque(value, "its class cannot be imported by name")
        sentinel = n.sentinel_binding(value)
        if sentinel is not None:  # ``MISSING = object()``: that very object, by its name
            return self._remember(value, Tagged(n.REF, sentinel))
        node = self._remember(value, Tagged(n.OBJ, payload))
        self.mutable_seen = True
        if isinstance(value, BaseException):
            payload["args"] = self._encode(list(value.args))
        elif _is_namedtuple(value):
            payload["fields"] = self._mapping(value._asdict())  # type: ignore[attr-defined]
            return node
        elif (recipe := pickle_recipe(value)) is not None:
            return self._from_recipe(payload, node, *recipe)
        elif isinstance(value, _BUILTIN_BASES):
            payload.update(self._builtin_base_payload(value))
        state = _object_state(value)
        if state is None:
            if "args" in payload or "items" in payload or "value" in payload:
                return node
            return self._opaque(value, "it has no readable state")
        if state or not (payload.keys() - {"type"}):
            payload["state"] = self._state(state)
        return node

    def _from_recipe(
        self, payload: dict[str, Node], node: Node, args: tuple[Any, ...], state: object
    ) -> Node:
        """An object the class's own pickle recipe makes: ``cls(*args)``, then its state."""
        payload["reduce_args"] = self._encode(list(args))
        if state is not None:
            payload["state"] = self._state(state)
        return node

    def _state(self, state: object) -> Node:
        """An object's state: its attributes by name (secrets hidden by name), else a value."""
        return self._mapping(state) if isinstance(state, dict) else self._encode(state)

    def _mapping(self, mapping: dict[str, Any]) -> dict[str, Node]:
        """Encode a name -> value mapping inside an encoding already under way."""
        return {key: self._named(key, item) for key, item in mapping.items()}

    def _local_class(self, cls: type) -> dict[str, Node]:
        """``type`` and ``class`` (where it is defined) of a class defined in a function of the
        project; empty when it is not one (see `pytead._classplace.class_place`)."""
        from pytead._classplace import class_place  # lazily: it reads source files

        place = class_place(cls, self._project_root())
        if place is None:
            return {}
        module = n.importable_module_name(str(cls.__module__))
        return {"type": f"{module}.{place['qualname']}", "class": Tagged(n.LOCALCLASS, place)}

    def _builtin_base_payload(self, value: object) -> dict[str, Node]:
        if isinstance(value, defaultdict):
            factory = value.default_factory
            factory_node = None if factory is None else self._encode(factory)
            return {"factory": factory_node, "items": self._dict(dict(value))}
        if isinstance(value, dict):
            return {"items": self._dict(dict(value))}
        if isinstance(value, (list, deque)):
            extra: dict[str, Node] = {"items": self._list(list(value))}
            if isinstance(value, deque) and value.maxlen is not None:
                extra["maxlen"] = value.maxlen
            return extra
        if isinstance(value, (set, frozenset)):
            return {"items": self._set(set(value))}
        base: Any = next(b for b in _IMMUTABLE_BASES if isinstance(value, b))
        return {"value": self._encode(base(value))}

    def _enum(self, value: enum.Enum) -> Node:
        name = n.qualified_name(type(value))
        if name is None or value.name is None:
            return self._opaque(value, "its enum class cannot be imported by name")
        return Tagged(n.ENUM, f"{name}.{value.name}")

    def _ref(self, value: object) -> Node:
        name = value.__name__ if isinstance(value, types.ModuleType) else n.qualified_name(value)
        try:
            found = None if name is None else n.locate(name)
        except Exception:
            found = None
        if name is not None and found is value:
            return Tagged(n.REF, name)
        # A wrapper made by functools.wraps names the function it wraps, not itself.
        defined = n.defining_name(value) if isinstance(value, types.FunctionType) else None
        if defined is not None:
            return Tagged(n.REF, defined)
        return self._opaque(value, "it cannot be imported by name")

    def _callable(self, value: object) -> Node:
        """``!ref`` when *value* can be imported by name; a method bound to an object else is
        ``!method``, a plain function ``!function``."""
        node = self._ref(value)
        if not _is_opaque(node):
            return node
        bound = bound_method(value)
        if bound is not None:
            owner, name = bound
            kind = owner if isinstance(owner, type) else type(owner)
            known = n.module_binding(value, kind.__module__)  # ``random.random``: that name
            if known is not None:
                return self._remember(value, Tagged(n.REF, known))
            method = Tagged(n.METHOD, {"name": name})
            self._remember(value, method)
            method.value = {"self": self._encode(owner), "name": name}
            return method
        if not isinstance(value, types.FunctionType):
            return node
        payload = function_payload(value, self._project_root())
        if payload is None:
            return node
        wrapped = value.__dict__.get("__wrapped__")  # set by functools.wraps: no code runs
        if wrapped is not None:
            payload["wrapped"] = self._encode(wrapped)
        return Tagged(n.FUNCTION, payload)

    def _project_root(self) -> Path:
        if self.root is None:
            from pytead._project import project_root  # lazily: the codec is the foundation

            self.root = project_root()
        return self.root


_NO_CODEC = "pytead has no codec for its type"


def bound_method(value: object) -> tuple[object, str] | None:
    """``(object, name)`` of a method bound to an object that the object's class gives under
    that name (``re.compile("a").match``, ``cache.load``), read without running any code.

    None for a builtin function of a module (``len``), and for a method its class does not
    give by its name (one set on the instance, or renamed): reading the name back would not
    give it.

    Examples:
        >>> bound_method({}.get)
        ({}, 'get')
        >>> bound_method(len) is None
        True
    """
    if not isinstance(value, (types.MethodType, types.BuiltinMethodType)):
        return None
    owner, name = value.__self__, getattr(value, "__name__", None)
    if owner is None or isinstance(owner, types.ModuleType) or not isinstance(name, str):
        return None
    if not name.isidentifier():
        return None
    if isinstance(value, types.MethodType):
        where = owner if isinstance(owner, type) else type(owner)
        found = inspect.getattr_static(where, name, None)
        func = getattr(found, "__func__", found)  # a classmethod's function
        if func is not value.__func__:
            return None
    return owner, name


def _is_opaque(node: Node) -> bool:
    return isinstance(node, Tagged) and node.tag == n.OPAQUE


def opaque(
    value: object,
    *,
    reason: str = _NO_CODEC,
    redact: Redactor = NO_REDACTION,
    shown: str | None = None,
) -> Tagged:
    """Describe a value that cannot be rebuilt: its type and a stable, shortened repr.

    Args:
        value: The value.
        reason: Why it cannot be rebuilt.
        redact: Removes credentials from the repr (a connection's repr may show its password).
        shown: The repr to use instead of ``repr(value)`` (the start of a huge value).
    """
    text = shown if shown is not None else _safe_repr(value)
    text = n.sanitize_repr(text)
    text = redact.scrub(text) or text
    kind = type(value)
    type_name = n.qualified_name(kind) or f"{kind.__module__}.{kind.__qualname__}"
    return Tagged(n.OPAQUE, {"type": type_name, "repr": text, "why": reason})


def _safe_repr(value: object) -> str:
    try:
        return repr(value)
    except Exception as exc:  # a broken __repr__ must not break the traced program
        return f"<repr failed: {type(exc).__name__}>"


def _bounded_repr(value: object) -> str:
    """The start of a huge value's repr, without building the whole of it."""
    if isinstance(value, (str, bytes, bytearray)):
        return _safe_repr(value[:200]) + "..."
    return reprlib.repr(value) if type(value) in PLAIN_DATA else _safe_repr(value)


def _is_namedtuple(value: object) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def pickle_recipe(value: object) -> tuple[tuple[Any, ...], object] | None:
    """``(args, state)`` when *value*'s class says how to remake it by calling itself.

    A class that writes its own ``__reduce__``/``__reduce_ex__`` does so because its
    ``__dict__`` alone does not remake it: a ``__setstate__`` that wants the reduced state, a
    ``dict`` subclass whose ``__setitem__`` needs attributes set first, a ``datetime``
    subclass whose value is not in its ``__dict__``. Its recipe is kept only in its plainest
    shape, ``(cls, args[, state])`` with *cls* the value's own class, which the decoder can
    follow as pickle does (``cls(*args)``, then the state) without naming anything else.
    """
    cls = type(value)
    if not _writes_own_reduce(cls):
        return None
    try:
        reduced = value.__reduce_ex__(4)
    except Exception:  # the class's own code: a failure means no recipe, never an error
        return None
    if not isinstance(reduced, tuple) or not 2 <= len(reduced) <= 5:
        return None
    if reduced[0] is not cls or not isinstance(reduced[1], tuple):
        return None
    if any(part is not None for part in reduced[3:]):  # items fed by iterators: not followed
        return None
    return reduced[1], reduced[2] if len(reduced) > 2 else None


_OWN_REDUCE: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def _writes_own_reduce(cls: type) -> bool:
    """Whether the nearest ``__reduce_ex__`` or ``__reduce__`` of *cls* is Python code."""
    known = _OWN_REDUCE.get(cls)
    if known is None:
        known = any(
            isinstance(_nearest(cls, name), types.FunctionType)
            for name in ("__reduce_ex__", "__reduce__")
        )
        _OWN_REDUCE[cls] = known
    return known


def _nearest(cls: type, name: str) -> object:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _object_state(value: object) -> object | None:
    """Return what describes *value*'s state, or ``None`` when nothing does."""
    cls = type(value)
    if dataclasses.is_dataclass(value):
        fields: dict[str, Any] = {
            f.name: getattr(value, f.name)
            for f in dataclasses.fields(value)
            if hasattr(value, f.name)
        }
        fields.update(getattr(value, "__dict__", {}))
        return fields
    if getattr(cls, "__getstate__", _DEFAULT_GETSTATE) is not _DEFAULT_GETSTATE:
        return value.__getstate__()
    state: dict[str, Any] | None = dict(vars(value)) if hasattr(value, "__dict__") else None
    slots = _slot_values(value)
    if slots:
        state = {**(state or {}), **slots}
    if state is None and "__slots__" in _mro_dicts(cls):
        return {}
    return state


_DEFAULT_GETSTATE: Any = getattr(object, "__getstate__", None)


def _slot_values(value: object) -> dict[str, object]:
    found: dict[str, object] = {}
    for klass in type(value).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            if slot not in ("__dict__", "__weakref__") and hasattr(value, slot):
                found[slot] = getattr(value, slot)
    return found


def _mro_dicts(cls: type) -> set[str]:
    return {key for klass in cls.__mro__[:-1] for key in klass.__dict__}


def _scalar(tag: str, to_text: Callable[[Any], str]) -> Callable[[Encoder, Any], Node]:
    def handler(_encoder: Encoder, value: Any) -> Node:
        return Tagged(tag, to_text(value))

    return handler


def _timedelta_text(value: dt.timedelta) -> str:
    """Python's own rendering: ``1:30:00``, ``2 days, 0:00:00``, ``-1 day, 23:59:59.500000``."""
    return str(value)


def _datetime_node(encoder: Encoder, value: dt.datetime | dt.time) -> Node:
    zone = getattr(value.tzinfo, "key", None)  # zoneinfo.ZoneInfo keeps its IANA name
    text = value.isoformat()
    if isinstance(zone, str):
        tag = n.DATETIME if isinstance(value, dt.datetime) else n.TIME
        payload: dict[str, Node] = {"iso": text, "zone": zone}
        if value.fold:  # the second 01:30 of a night when clocks go back
            payload["fold"] = 1
        return Tagged(tag, payload)
    return Tagged(n.DATETIME if isinstance(value, dt.datetime) else n.TIME, text)


def _bytes_text(value: bytes | bytearray) -> str:
    return repr(bytes(value))[2:-1]


def _bytes_node(encoder: Encoder, value: bytes | bytearray) -> Node:
    """``!bytes``, or ``!redacted`` when the text shows a credential, or too large: ``!opaque``."""
    if len(value) > encoder.max_bytes:
        return encoder._oversized(value, f"{len(value)} bytes")
    text = _bytes_text(value)
    encoder._spend(len(text))
    found: list[str] = []
    clean = encoder.redact.scrub(text, found)
    if clean is None:
        return Tagged(n.BYTES, text)
    encoder.secrets.add_texts(found)
    return Tagged(n.REDACTED, clean)


def _bytearray_node(encoder: Encoder, value: bytearray) -> Node:
    encoder.mutable_seen = True
    inner = _bytes_node(encoder, value)
    if not (isinstance(inner, Tagged) and inner.tag == n.BYTES):
        return inner
    payload: dict[str, Node] = {"type": "builtins.bytearray", "value": inner}
    return encoder._remember(value, Tagged(n.OBJ, payload))


def _complex_text(value: complex) -> str:
    return repr(value).strip("()")


def _path_node(_encoder: Encoder, value: pathlib.PurePath) -> Node:
    if type(value) in (pathlib.PosixPath, pathlib.WindowsPath):
        return Tagged(n.PATH, str(value))
    return Tagged(n.PATH, {"type": type(value).__name__, "path": str(value)})


_NATIVE = frozenset({type(None), bool, int, float})
_IMMUTABLE_BASES: tuple[type, ...] = (bool, int, float, complex, str, bytes, tuple)
_BUILTIN_BASES: tuple[type, ...] = (dict, list, set, frozenset, deque, *_IMMUTABLE_BASES)

_BY_TYPE: dict[type, Callable[[Encoder, Any], Node]] = {
    list: Encoder._list,
    tuple: Encoder._tuple,
    dict: Encoder._dict,
    set: Encoder._set,
    frozenset: Encoder._set,
    bytes: _bytes_node,
    bytearray: _bytearray_node,
    dt.datetime: _datetime_node,
    dt.time: _datetime_node,
    dt.date: _scalar(n.DATE, dt.date.isoformat),
    dt.timedelta: _scalar(n.TIMEDELTA, _timedelta_text),
    decimal.Decimal: _scalar(n.DECIMAL, str),
    fractions.Fraction: _scalar(n.FRACTION, str),
    complex: _scalar(n.COMPLEX, _complex_text),
    uuid.UUID: _scalar(n.UUID, str),
    pathlib.PosixPath: _path_node,
    pathlib.PurePosixPath: _path_node,
    pathlib.PureWindowsPath: _path_node,
}

#: What is recorded by name (``!ref``), else as ``!method`` or ``!function`` (`Encoder._callable`).
_CALLABLE_KINDS = (
    type,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.ModuleType,
    types.MethodType,
)

_BY_KIND: tuple[tuple[Callable[[object], bool], Callable[[Encoder, Any], Node]], ...] = (
    (lambda v: isinstance(v, enum.Enum), Encoder._enum),
    (
        lambda v: isinstance(v, _CALLABLE_KINDS),
        Encoder._callable,
    ),
    (
        lambda v: isinstance(v, (types.GeneratorType, types.CoroutineType)),
        lambda e, v: e._opaque(v, _NO_CODEC),
    ),
    (lambda v: True, Encoder._object),
)
