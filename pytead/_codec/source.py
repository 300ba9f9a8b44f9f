"""Tagged tree -> a Python source expression that builds an equal value, plus its imports.

Generated tests and doctests need values as code a reviewer can read: ``Decimal("9.99")``,
``datetime(2024, 1, 2, tzinfo=timezone.utc)``, ``Point(x=1, y=2)``. Strings go through
``repr``, so no crafted text can escape its literal. An object takes the first of these roads
that gives back the recorded value, each checked by building it (nothing is evaluated from
text):

1. the constructor call the codec knows (dataclasses, named tuples, attrs, deques...);
2. its own ``repr()``, when that reads as a call of trusted classes (`pytead._codec.reprs`);
3. a call of the class whose keyword parameters take the recorded attributes (``_major``,
   ``_Version__major`` feed ``major``; a ``**options`` parameter the mapping ``options``; a
   ``list`` or ``dict`` subclass its items first);
4. for a node of a tree whose nodes point back to their parent, its root written by its
   constructor (which sets the back pointers) and the path down to it (`pytead._codec.trees`);
5. the small documented helper `pytead.rebuild`.

A candidate is first accepted only when it has the recorded state exactly (constants that
link only to their own kind, such as a lexer's token kinds, compared by class and value:
`pytead._codec.linked`); a part of a tree is accepted without the back pointers its parent's
constructor sets, the tree's root then checked whole. An object whose
class compares by value (its own ``__eq__``) gets a second chance, with ``equality=True``,
before `pytead.rebuild`: roads 1-3 are tried again, each candidate accepted when the class's own
``==`` says it equals the recorded value both ways (`equal_by_class`). A read cache, a lazily
filled attribute then no longer stops a value from being written as its constructor call.
`Source.by_equality` says that it happened: the caller runs the test and, if it fails, writes
the case again without this second chance.

Values that cannot be written as code at all (opaque, redacted, cyclic) raise `NotRenderable` so
the caller can fall back to `pytead.fixture_value`. `Source.roads` says which road each object
took, for the report of ``gen-tests``.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import functools
import importlib
import inspect
import keyword
import re
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pytead._codec.decoder import Decoder
from pytead._codec.encoder import Encoder
from pytead._codec.jsonio import canonical
from pytead._codec.linked import without_links
from pytead._codec.literals import bytes_literal, float_literal, str_literal
from pytead._codec.nodes import Node, Tagged, defining_name
from pytead._codec.registry import REGISTRY, Registry
from pytead._codec.reprs import ReprCall, build_call, call_quietly, find_repr_call
from pytead._codec.trees import Step as TreeStep
from pytead._codec.trees import follow, root_path, without_attributes
from pytead._errors import CodecError, value_path_part
from pytead._names import is_dotted, is_import
from pytead._pyformat import Doc, Group, concat, flat

__all__ = [
    "CONSTRUCTOR",
    "KEYWORD_CALL",
    "LITERAL",
    "REBUILD",
    "REPR",
    "Import",
    "NotRenderable",
    "Source",
    "bytes_literal",
    "equal_by_class",
    "init_keywords",
    "render_source",
    "same_value",
    "str_literal",
]

#: ``(module, name)``: ``from module import name``; ``(module, "")``: ``import module``.
Import = tuple[str, str]

#: The roads a value takes to become code (see the module docstring): plain data and the
#: standard types the codec writes itself (``Decimal("9.99")``) are literals.
LITERAL = "literal"
CONSTRUCTOR = "constructor"
REPR = "repr"
KEYWORD_CALL = "keyword call"
REBUILD = "rebuild"


class NotRenderable(CodecError):
    """The value cannot be written as a Python expression."""


class _TooDeep(NotRenderable):
    """The value is nested deeper than the renderer's recursion can go."""


@dataclass(frozen=True)
class Source:
    """A Python expression and the imports it needs.

    Attributes:
        text: The expression on one line, e.g. ``'Decimal("1.10")'``.
        imports: What must be imported for *text* to evaluate.
        doc: The same expression as a layout document, to wrap long values as ruff does.
        roads: The road each object in the value took (`CONSTRUCTOR`, `REPR`...), innermost
            first, the value's own last; ``(LITERAL,)`` for a value holding no object.
        by_equality: Whether some object of it was accepted by its class's ``==`` rather than
            by its recorded state (see the module docstring).
        definitions: Functions *text* names that the test defines first, each its source
            (a ``!function`` argument defined inside a function, see `pytead._localsource`).
    """

    text: str
    imports: frozenset[Import] = frozenset()
    doc: Doc = field(default="", compare=False, repr=False)
    roads: tuple[str, ...] = field(default=(LITERAL,), compare=False)
    by_equality: bool = field(default=False, compare=False)
    definitions: tuple[str, ...] = field(default=(), compare=False)

    @property
    def road(self) -> str:
        """The road the value itself took (`LITERAL` for data holding objects)."""
        return self.roads[-1]

    @property
    def uses_pytead(self) -> bool:
        """Whether the expression needs pytead's helpers at test time."""
        return any(module == "pytead" for module, _ in self.imports)


def render_source(
    node: Node,
    registry: Registry = REGISTRY,
    aliases: Mapping[Import, str] | None = None,
    *,
    equality: bool = False,
    from_root: bool = True,
) -> Source:
    """Write *node* as a Python expression.

    *aliases* renames imported names that would clash in the module the code goes into:
    ``{("datetime", "date"): "datetime_date"}`` gives ``from datetime import date as
    datetime_date``. *equality* gives objects that compare by value their second chance (see
    the module docstring). *from_root* lets a node of a tree that points back to its parent be
    reached from its root (`_Renderer._from_root`); not for a part a constructor call being
    written assembles, which would then build the tree twice.

    Raises:
        NotRenderable: The node holds opaque, redacted or cyclic parts.

    Examples:
        >>> from pytead._codec.nodes import Tagged
        >>> render_source(Tagged("decimal", "9.99")).text
        'Decimal("9.99")'
    """
    renderer = _Renderer(registry, aliases or {}, equality=equality)
    renderer.from_root = from_root
    doc = renderer.render(node)
    roads = list(renderer.roads)
    if not (isinstance(node, Tagged) and node.tag == "obj"):
        roads.append(LITERAL)  # a container of objects: it is written as a literal itself
    imports = frozenset(renderer.imports)
    definitions = tuple(renderer.definitions)
    return Source(
        flat(doc), imports, doc, tuple(roads), renderer.by_equality, definitions=definitions
    )


#: A road for an object: its class, its payload and its node -> its code, or None if it does not
#: give back the recorded value.
_Attempt = Callable[[type, dict[str, Node], Tagged], Doc | None]


def _call(callee: str, *args: Doc) -> Group:
    return Group(callee + "(", args, ")")


class _Renderer:
    def __init__(
        self, registry: Registry, aliases: Mapping[Import, str], *, equality: bool = False
    ) -> None:
        self.registry = registry
        self.aliases = aliases
        self.equality = equality  # whether objects that compare by value get a second chance
        self.by_equality = False  # whether one was accepted by its class's ``==``
        self.imports: set[Import] = set()
        self.roads: list[str] = []  # the road of each object written, innermost first
        self.definitions: list[str] = []  # local functions the expression names
        self._active: set[int] = set()  # containers being written: a cycle comes back to one
        self._by_class = False  # the road being tried accepts a candidate by the class's ==
        self.from_root = True  # whether a node of a tree may be reached from its root
        self._constants: dict[tuple[int, bool], list[str] | None] = {}  # by node, `_by_class`

    def name(self, module: str, name: str) -> str:
        if not is_import(module, name):  # a class defined in a function, an odd module name
            raise NotRenderable(f"{module}.{name} cannot be imported by name")
        if module == "builtins":
            return name
        module = public_module(module, name)
        alias = self.aliases.get((module, name))
        self.imports.add((module, name if alias is None else f"{name} as {alias}"))
        return alias or name

    def render(self, node: Node, part: str = "") -> Doc:
        """Write *node*; *part* says where it sits in its parent, for error messages."""
        try:
            return self._render(node)
        except _TooDeep:
            raise  # its path would be as long as the value is deep: the message says it all
        except CodecError as exc:
            exc.inside(part)
            raise
        except RecursionError:
            raise _TooDeep(
                "the value is nested too deeply to be written as code",
                hint="it is compared through a snapshot or rebuilt from YAML instead",
            ) from None
        except Exception as exc:  # a codec's source function, an odd payload: one clear error
            what = f"cannot be written as code ({type(exc).__name__}: {exc})"
            raise CodecError(what).inside(part) from exc

    def _render(self, node: Node) -> Doc:
        if isinstance(node, float):
            return float_literal(node)
        if isinstance(node, str):
            return str_literal(node)
        if node is None or isinstance(node, (bool, int)):
            return repr(node)
        if id(node) in self._active:
            raise NotRenderable(
                "the value refers to itself", hint="it is rebuilt from YAML instead"
            )
        self._active.add(id(node))
        try:
            return self._container(node)
        finally:
            self._active.discard(id(node))

    def _container(self, node: list[Node] | dict[str, Node] | Tagged) -> Doc:
        if isinstance(node, list):
            return Group("[", tuple(self.render(v, f"[{i}]") for i, v in enumerate(node)), "]")
        if isinstance(node, dict):
            return Group("{", self._pairs(node), "}")
        method = getattr(self, "_tag_" + node.tag, None)
        if method is not None:
            return method(node)  # type: ignore[no-any-return]
        return self._user_tag(node)

    def _pairs(self, node: dict[str, Node]) -> tuple[Doc, ...]:
        return tuple(
            concat(str_literal(k) + ": ", self.render(v, value_path_part(k)))
            for k, v in node.items()
        )

    def _value(self, node: Tagged) -> Any:
        return Decoder(self.registry).decode(node)

    # -- containers and scalars ------------------------------------------------------------

    def _items(self, node: Tagged) -> tuple[Doc, ...]:
        items: Any = node.value
        return tuple(self.render(item, f"[{i}]") for i, item in enumerate(items))

    def _tag_tuple(self, node: Tagged) -> Doc:
        return Group("(", self._items(node), ")", singleton_comma=True)

    def _tag_set(self, node: Tagged) -> Doc:
        items = self._items(node)
        return Group("{", items, "}") if items else "set()"

    def _tag_frozenset(self, node: Tagged) -> Doc:
        items = self._items(node)
        return _call("frozenset", Group("{", items, "}")) if items else "frozenset()"

    def _tag_dict(self, node: Tagged) -> Doc:
        pairs: Any = node.value
        docs = []
        for index, (key, value) in enumerate(pairs):
            key_doc = self.render(key, f".keys[{index}]")
            docs.append(concat(key_doc, ": ", self.render(value, f"[{flat(key_doc)}]")))
        return Group("{", tuple(docs), "}")

    def _tag_bytes(self, node: Tagged) -> Doc:
        return bytes_literal(self._value(node))

    def _tag_decimal(self, node: Tagged) -> Doc:
        text = str(self._value(node))
        # Decimal(10) rather than Decimal("10"): what linters ask for (FURB157).
        argument = text if re.fullmatch(r"-?[1-9][0-9]*|0", text) else str_literal(text)
        return _call(self.name("decimal", "Decimal"), argument)

    def _tag_fraction(self, node: Tagged) -> Doc:
        value = self._value(node)
        return _call(
            self.name("fractions", "Fraction"), str(value.numerator), str(value.denominator)
        )

    def _tag_complex(self, node: Tagged) -> Doc:
        value = self._value(node)
        return _call("complex", float_literal(value.real), float_literal(value.imag))

    def _tag_uuid(self, node: Tagged) -> Doc:
        return _call(self.name("uuid", "UUID"), str_literal(str(self._value(node))))

    def _tag_path(self, node: Tagged) -> Doc:
        value = self._value(node)
        kind = type(value).__name__
        kind = "Path" if kind in ("PosixPath", "WindowsPath") else kind
        return _call(self.name("pathlib", kind), str_literal(str(value)))

    def _tag_ref(self, node: Tagged) -> Doc:
        value = self._value(node)
        if inspect.ismodule(value):
            if not is_dotted(value.__name__):
                raise NotRenderable(f"the module {value.__name__!r} cannot be imported by name")
            self.imports.add((value.__name__, ""))
            return value.__name__
        if not (inspect.isclass(value) or inspect.isroutine(value)):
            return self._bound_name(str(node.value), value)
        return self._qualified_expr(value)

    def _tag_method(self, node: Tagged) -> Doc:
        """``owner.name``, the owner written as code, in parentheses unless it reads as one
        primary (a name, a call, a display): ``re.compile("a+").match``, ``(1).bit_length``."""
        payload = node.value
        if not isinstance(payload, dict) or not isinstance(payload.get("name"), str):
            raise NotRenderable("!method needs 'self' and a 'name'")
        name = str(payload["name"])
        if not name.isidentifier():
            raise NotRenderable(f"!method name {name!r:.80} is not a Python name")
        owner = self.render(payload.get("self"), ".self")
        if _is_primary(flat(owner)):
            return concat(owner, f".{name}")
        return concat("(", owner, f").{name}")

    def _bound_name(self, dotted: str, value: object) -> Doc:
        """An object a module binds at its top level (a sentinel), spelled by that name.

        The name is imported only once the module is found binding that very object.
        """
        module, _, name = dotted.rpartition(".")
        if getattr(sys.modules.get(module), "__dict__", {}).get(name, _MISSING) is not value:
            raise NotRenderable(f"{dotted} is not a name its module binds at its top level")
        return self.name(module, name)

    def _tag_enum(self, node: Tagged) -> Doc:
        value = self._value(node)
        cls = self._qualified_expr(type(value))
        members = str(node.value).rpartition(".")[2].split("|")
        return " | ".join(
            f"{cls}.{m}" if m.isidentifier() else f"{cls}[{str_literal(m)}]" for m in members
        )

    # -- dates and times ----------------------------------------------------------------------

    def _tag_date(self, node: Tagged) -> Doc:
        value: dt.date = self._value(node)
        return _call(self.name("datetime", "date"), *map(str, (value.year, value.month, value.day)))

    def _tag_datetime(self, node: Tagged) -> Doc:
        value: dt.datetime = self._value(node)
        parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
        parts.append(value.microsecond)
        return self._clock("datetime", parts, keep=3, value=value)

    def _tag_time(self, node: Tagged) -> Doc:
        value: dt.time = self._value(node)
        parts = [value.hour, value.minute, value.second, value.microsecond]
        return self._clock("time", parts, keep=1, value=value)

    def _clock(
        self, kind: str, parts: list[int], *, keep: int, value: dt.datetime | dt.time
    ) -> Doc:
        while len(parts) > keep and parts[-1] == 0:
            parts.pop()
        args: list[Doc] = [str(p) for p in parts]
        if value.tzinfo is not None:
            args.append(concat("tzinfo=", self._tzinfo(value.tzinfo, value)))
        if value.fold:
            args.append("fold=1")
        return _call(self.name("datetime", kind), *args)

    def _tzinfo(self, tz: dt.tzinfo, value: dt.datetime | dt.time) -> Doc:
        key = getattr(tz, "key", None)
        if isinstance(key, str):
            return _call(self.name("zoneinfo", "ZoneInfo"), str_literal(key))
        offset = tz.utcoffset(value if isinstance(value, dt.datetime) else None)
        if tz is dt.UTC:
            return self.name("datetime", "UTC")
        if offset is None:
            raise NotRenderable(f"time zone {tz!r} has no fixed offset")
        return _call(self.name("datetime", "timezone"), self._delta(offset))

    def _tag_timedelta(self, node: Tagged) -> Doc:
        return self._delta(self._value(node))

    def _delta(self, value: dt.timedelta) -> Doc:
        fields = [
            ("days", value.days),
            ("seconds", value.seconds),
            ("microseconds", value.microseconds),
        ]
        whole_hours = value.days == 0 and value.microseconds == 0 and value.seconds % 3600 == 0
        if whole_hours and value.seconds:
            fields = [("hours", value.seconds // 3600)]
        args = [f"{k}={v}" for k, v in fields if v] or ["0"]
        return _call(self.name("datetime", "timedelta"), *args)

    # -- objects --------------------------------------------------------------------------------

    def _qualified_expr(self, obj: Any) -> str:
        """Spell a class or function as ``Top.Nested``, importing ``Top`` from its module."""
        from pytead._localclass import written_class  # it reads source files: only when used

        local = written_class(obj)
        if local is not None:  # defined in a function: the test defines it from its source
            self.imports |= local.imports
            self.definitions += local.definitions
            return local.name
        renamed = _renamed_function(obj)
        if renamed is not None:  # functools.wraps gave it the name of what it wraps
            module, _, name = renamed.rpartition(".")
            return self.name(module, name)
        qualname, module = str(obj.__qualname__), str(obj.__module__)
        if not is_dotted(qualname):
            raise NotRenderable(f"{module}.{qualname} cannot be reached by name")
        top = qualname.split(".")[0]
        return self.name(module, top) + qualname[len(top) :]

    def _tag_obj(self, node: Tagged) -> Doc:
        payload = node.value
        assert isinstance(payload, dict)
        cls = _object_class(payload, self.registry)
        if not isinstance(cls, type):
            raise NotRenderable(f"{payload['type']} is not a class")
        for road, attempt, by_class in self._attempts(cls):
            imports, roads, equal = set(self.imports), len(self.roads), self.by_equality
            outer, self._by_class = self._by_class, by_class
            try:
                doc = attempt(cls, payload, node)
            finally:
                self._by_class = outer  # an object inside another is judged by its own road
            if doc is not None:
                self.roads.append(road)
                self.by_equality = equal or by_class
                return doc
            self.imports = imports  # what a road given up needed is not imported
            self.by_equality = equal
            del self.roads[roads:]
        raise NotRenderable(f"cannot write a {payload['type']} as code")

    def _attempts(self, cls: type) -> list[tuple[str, _Attempt, bool]]:
        """The roads to try, in order, and whether each accepts a candidate by ``==``."""
        calls: list[tuple[str, _Attempt]] = [
            (CONSTRUCTOR, self._codec_call),
            (REPR, self._repr_call),
            (KEYWORD_CALL, self._keyword_call),
        ]
        attempts = [(road, attempt, False) for road, attempt in calls]
        attempts.append((LITERAL, self._named_constant, False))
        if self.equality and compares_by_value(cls):
            attempts += [(road, attempt, True) for road, attempt in calls]
        if self.from_root:
            attempts.append((CONSTRUCTOR, self._from_root, False))
        return [*attempts, (REBUILD, self._rebuild_call, False)]

    def _from_root(self, _cls: type, _payload: dict[str, Node], node: Tagged) -> Doc | None:
        """A node of a tree that points back to its parent, reached from its root, the root
        written with its exact state (``Statement(tokens=[...]).tokens[2]``, see `trees`).

        What the path reaches is checked to have the recorded state, on the root rebuilt from
        the record, which the written root was checked to equal.
        """
        found = root_path(node)
        if found is None or id(found[0]) in self._active:
            return None  # a part of a tree being written: its root's call makes it
        root, path = found
        equal = self.by_equality
        self._active.discard(id(node))  # reached from the root, it is not a cycle there
        try:
            doc = self.render(root)
        except CodecError:
            return None
        finally:
            self._active.add(id(node))
        helpers = any(module == "pytead" for module, _ in self.imports)
        if helpers or (self.by_equality and not equal) or not self._reaches(root, path, node):
            return None
        steps = "".join(f".{name}" + ("" if at is None else f"[{at}]") for name, at in path)
        return concat(doc, steps)

    def _reaches(self, root: Tagged, path: list[TreeStep], node: Tagged) -> bool:
        try:
            reached = follow(Decoder(self.registry).decode(root), path)
            expected = Decoder(self.registry).decode(node)
        except Exception:
            return False
        return same_value(reached, expected, self.registry)

    def _named_constant(self, cls: type, _payload: dict[str, Node], node: Tagged) -> Doc | None:
        """The name its class's module gives the value (``DML``), or the path its repr spells
        from such a name (``Token.Keyword.DML``), when what it names has the recorded state.

        Only for immutable values (subclasses of ``tuple``, ``str``, ``int``...): a test handed
        a mutable object that lives in a module could change it for every later test.
        """
        if not issubclass(cls, _IMMUTABLE_BASES):
            return None
        module = sys.modules.get(cls.__module__)
        try:
            value = self._value(node)
        except Exception:
            return None
        if module is None:
            return None
        key = (id(node), self._by_class)
        if key not in self._constants:  # a constant shared by many parts of a value: once
            self._constants[key] = self._constant_path(cls, vars(module), value)
        path = self._constants[key]
        return None if path is None else ".".join([self.name(cls.__module__, path[0]), *path[1:]])

    def _constant_path(
        self, cls: type, names: Mapping[str, Any], value: object
    ) -> list[str] | None:
        """The first path from *names* to a value of *cls* equal to *value* as its immutable
        base says (cheap, so tried first), and as the road being tried judges."""
        base: Any = next(kind for kind in cls.__mro__ if kind in _IMMUTABLE_BASES)
        for path in _constant_paths(names, value):
            found = _follow(names, path)
            if found is _MISSING or type(found) is not cls:
                continue
            if base.__eq__(found, value) is True and self._accepts(found, value):
                return path
        return None

    def _accepts(self, built: object, expected: object) -> bool:
        """Whether a candidate gives back the recorded value, as the road being tried judges."""
        if self._by_class:
            return equal_by_class(built, expected, self.registry)
        return same_value(built, expected, self.registry)

    def _codec_call(self, cls: type, payload: dict[str, Node], node: Tagged) -> Doc | None:
        state = payload.get("state")
        if _declares_fields(cls) and isinstance(state, dict):  # a dataclass's fields: its state
            return self._constructor_call(cls, init_keywords(cls, state), node)
        return self._constructor_call(cls, _constructor_args(cls, payload), node)

    def _keyword_call(self, cls: type, payload: dict[str, Node], node: Tagged) -> Doc | None:
        state = payload.get("state")
        if not isinstance(state, dict):
            return None
        return self._constructor_call(
            cls, _with_items(cls, payload, init_keywords(cls, state)), node
        )

    def _constructor_call(
        self, cls: type, args: tuple[list[Node], dict[str, Node]] | None, node: Tagged
    ) -> Doc | None:
        if args is None or not all(map(_is_keyword_name, args[1])):
            return None
        positional, keywords = args
        rendered = [self.render(a, f".args[{i}]") for i, a in enumerate(positional)]
        rendered += [concat(f"{k}=", self.render(v, f".{k}")) for k, v in keywords.items()]
        doc = _call(self._qualified_expr(cls), *rendered)
        helpers = any(module == "pytead" for module, _ in self.imports)
        if not helpers and self._builds_same(cls, args, node):
            return doc
        return None

    def _builds_same(
        self, cls: type, args: tuple[list[Node], dict[str, Node]], node: Tagged
    ) -> bool:
        """Whether calling *cls* with the decoded *args* gives back the recorded value.

        The candidate call is checked by calling the class with the values themselves, never
        by evaluating its source; the class was trusted when it was located (see
        `_locate_class`).
        """
        decoder = Decoder(self.registry)
        pointers = self._back_pointers(node)
        try:
            positional = [decoder.decode(item) for item in args[0]]
            keywords = {key: decoder.decode(value) for key, value in args[1].items()}
            expected = None if pointers else Decoder(self.registry).decode(node)
        except Exception:
            return False
        found, built = call_quietly(lambda: cls(*positional, **keywords))
        if not found:
            return False
        if pointers:
            return self._built_but_for_parent(built, node, pointers)
        return self._accepts(built, expected)

    def _back_pointers(self, node: Tagged) -> set[str]:
        """The attributes of *node* that point back to an object being written around it."""
        state = node.value.get("state") if isinstance(node.value, dict) else None
        if not isinstance(state, dict):
            return set()
        return {key for key, item in state.items() if id(item) in self._active - {id(node)}}

    def _built_but_for_parent(self, built: object, node: Tagged, pointers: set[str]) -> bool:
        """Whether *built* has the recorded state but for its attributes *pointers*, which
        point back to an object being written around it (``token.parent``) and which it leaves
        unset (None).

        A tree whose nodes point back to their parent is written from its root: the parent's
        constructor sets the back pointers of the children it is given. So an inner node is
        accepted without them, compared with the record read without them (which then reaches
        nothing above it), and the outermost object, which no pointer leaves, is checked with
        its whole state, back pointers included: what is written is what was recorded. Never by
        a class's ``==`` alone: that would not check the pointers.
        """
        if self._by_class:
            return False
        try:
            expected = Decoder(self.registry).decode(without_attributes(node, pointers))
            encoder = Encoder(registry=self.registry)
            made, recorded = encoder.encode_fresh(built), encoder.encode_fresh(expected)
        except Exception:
            return False
        return _state_without(made, pointers) == _state_without(recorded, set())

    def _repr_call(self, cls: type, _payload: dict[str, Node], node: Tagged) -> Doc | None:
        """The object's own repr, when it reads as a call that builds an equal object."""
        if getattr(cls, "__repr__", None) is object.__repr__:
            return None  # ``<Cls object at 0x...>``: nothing to read
        if self._back_pointers(node):
            return None  # a part of a tree: its repr cannot set what points back to its parent
        try:
            value = self._value(node)
        except Exception:
            return None
        call = find_repr_call(value, self._trusted_callee)
        if call is None:
            return None
        found, rebuilt = call_quietly(build_call, call)
        if not found or not self._accepts(rebuilt, value):
            return None
        return self._repr_doc(call)

    def _trusted_callee(self, callee: object) -> bool:
        """A class the fixture could have named (first-party, a codec's, a value type).

        Not a function, even a first-party one: a repr may paste recorded text unquoted, so a
        crafted string could make it name any call; calling a class only builds a value, as
        `_builds_same` does.
        """
        from pytead._trust import real_name

        name = real_name(callee)
        if not isinstance(callee, type) or name is None or not is_dotted(name):
            return False
        codec_types = {_type_name(kind) for kind in self.registry.types()}
        return Decoder(self.registry).trust.trusts_type(name, codec_types | _VALUE_TYPES)

    def _repr_doc(self, call: ReprCall) -> Doc:
        """The parsed repr written by pytead itself: its literals re-encoded and escaped."""
        items = [self._repr_argument(item) for item in call.args]
        items += [concat(f"{k}=", self._repr_argument(v)) for k, v in call.keywords]
        return _call(self._qualified_expr(call.callee), *items)

    def _repr_argument(self, item: object) -> Doc:
        if isinstance(item, ReprCall):
            return self._repr_doc(item)
        return self.render(Encoder(registry=self.registry).encode_fresh(item))

    def _rebuild_call(self, cls: type, payload: dict[str, Node], _node: Tagged) -> Doc | None:
        if set(payload) - {"type", "state"}:
            return None
        state = self.render(payload.get("state", {}))
        return _call(self.name("pytead", "rebuild"), self._qualified_expr(cls), state)

    def _user_tag(self, node: Tagged) -> Doc:
        codec = self.registry.by_tag(node.tag)
        if codec is None or codec.source is None:
            raise NotRenderable(f"!{node.tag} values have no source form")
        plain = Decoder(self.registry).decode(node.value)
        text, imports = codec.source(plain)
        if not _one_expression(text):  # the only code not built here: check it is code
            raise NotRenderable(f"the source form of a !{node.tag} value is not an expression")
        self.imports |= imports
        return text

    def _tag_opaque(self, node: Tagged) -> Doc:
        what = node.value.get("type", "?") if isinstance(node.value, dict) else "?"
        raise NotRenderable(f"a {what} value was recorded as opaque")

    def _tag_function(self, node: Tagged) -> Doc:
        """A function behind the decorated one its module exports (``between.__wrapped__``),
        else from the project's own source (`pytead._localsource`)."""
        from pytead._codec.functions import unwrapped_function
        from pytead._localsource import write_local_function  # gen-time only: reads files

        try:
            found = unwrapped_function(node.value, Decoder(self.registry).reach)
        except (CodecError, LookupError):
            found = None
        if found is not None:
            module, qualname = found[1].__module__, found[1].__qualname__
            top, _, rest = qualname.partition(".")
            name = self.name(module, top) + (f".{rest}" if rest else "")
            return name + "".join(f".{link}" for link in found[0])
        text, imports, definition = write_local_function(node.value)
        self.imports |= imports
        if definition:
            self.definitions.append(definition)
        return text

    def _tag_redacted(self, _node: Tagged) -> Doc:
        raise NotRenderable("a secret was redacted at capture")


_IMMUTABLE_BASES: tuple[type, ...] = (tuple, str, bytes, int, float, complex, frozenset)
_MISSING = object()


@functools.cache
def _is_primary(text: str) -> bool:
    """Whether the expression *text* can take ``.name`` as it is: a name, an attribute, a call,
    a subscript or a display; not a number (``1.real`` does not parse) nor an operation
    (``-x.real`` would bind the attribute first).

    Examples:
        >>> [_is_primary(t) for t in ('re.compile("a")', "[1]", "1", "-x", "a | b")]
        [True, True, False, False, False]
    """
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return False
    return isinstance(tree, (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Dict))


def _renamed_function(obj: object) -> str | None:
    """Where a function whose ``__module__`` is not the module that defined it is bound.

    ``None`` for any other object, and for a function its defining module does not bind by
    its name (`pytead._codec.nodes.defining_name`).
    """
    if not isinstance(obj, types.FunctionType):
        return None
    if obj.__globals__.get("__name__") == getattr(obj, "__module__", None):
        return None
    return defining_name(obj)


def public_module(module: str, name: str) -> str:
    """The public standard-library module that binds *module*'s *name* to the same object.

    A C function reports the private module that implements it (``_operator.add``); a person
    imports it from the module the documentation names (``from operator import add``). Only
    standard-library modules are imported to check this: the names come from fixture text.

    Examples:
        >>> public_module("_operator", "add"), public_module("json", "dumps")
        ('operator', 'json')
    """
    head, _, last = module.rpartition(".")
    if not last.startswith("_") or last.startswith("__") or len(last) < 2:
        return module
    public = f"{head}.{last[1:]}" if head else last[1:]
    stdlib = sys.stdlib_module_names
    if module.split(".")[0] not in stdlib or public.split(".")[0] not in stdlib:
        return module
    try:
        same = getattr(importlib.import_module(public), name) is getattr(
            importlib.import_module(module), name
        )
    except Exception:  # no such module or name: keep what was recorded
        return module
    return public if same else module


def _constant_paths(names: Mapping[str, Any], value: object) -> list[list[str]]:
    """Where a module may keep *value*: its public names of its class, then its repr's path."""
    kind = type(value)
    paths = [[name] for name, item in names.items() if type(item) is kind and name[:1] != "_"]
    try:
        spelled = repr(value)
    except Exception:
        return paths
    if is_dotted(spelled) and not spelled.split(".")[0].startswith("_"):
        paths.append(spelled.split("."))
    return paths


def _follow(names: Mapping[str, Any], path: list[str]) -> Any:
    """What *path* names from *names*, read without calling anything (no ``__getattr__``)."""
    found: Any = names.get(path[0], _MISSING)
    for part in path[1:]:
        attributes = getattr(found, "__dict__", None)
        if not isinstance(attributes, dict) or part not in attributes:
            return _MISSING
        found = attributes[part]
    return found


def _state_without(node: Node, keys: set[str]) -> object:
    """The canonical form of an object's freshly encoded *node* without the attributes *keys*
    (taken out in place, so that its parts pointing back to it see it without them too); None
    (never equal to a recorded form) unless each of them is there and None."""
    payload = node.value if isinstance(node, Tagged) and node.tag == "obj" else None
    state = payload.get("state") if isinstance(payload, dict) else None
    if not isinstance(state, dict) or not keys <= set(state):
        return None
    if any(state[key] is not None for key in keys):
        return None
    for key in keys:
        del state[key]
    return canonical(without_links(node))


def _one_expression(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):  # ValueError: a NUL in the text
        return False
    return "\n" not in text and text.isprintable()


def _locate_class(name: str, registry: Registry) -> object:
    """The class an ``!obj`` names, imported as the generated test will import it.

    Raises:
        CodecError: It is not trusted (see `pytead._trust`), or cannot be imported (renamed, or
            defined where the tests cannot reach, such as a test file outside the import path).
    """
    return Decoder(registry).locate(name, "!obj type")


def _object_class(payload: dict[str, Node], registry: Registry) -> object:
    """`_locate_class`, or the class made from the project's source for one defined in a
    function (its ``!obj`` has a ``class``, see `pytead._localclass`)."""
    if "class" not in payload:
        return _locate_class(str(payload.get("type")), registry)
    return Decoder(registry)._object_class(payload, str(payload.get("type")))


def _constructor_args(
    cls: type, payload: dict[str, Node]
) -> tuple[list[Node], dict[str, Node]] | None:
    """The ``cls(...)`` arguments the codec recorded (fields, items); `_builds_same` checks."""
    if "fields" in payload and isinstance(payload["fields"], dict):
        return [], dict(payload["fields"])
    if "reduce_args" in payload and isinstance(payload["reduce_args"], list):
        # The class's own recipe; with a state after it, `_builds_same` finds the call short.
        return list(payload["reduce_args"]), {}
    if "args" in payload and isinstance(payload["args"], list) and "state" not in payload:
        return list(payload["args"]), {}
    if "value" in payload and "state" not in payload:
        return [payload["value"]], {}
    if "items" in payload and "state" not in payload:
        factory = [payload["factory"]] if payload.get("factory") is not None else []
        maxlen = [payload["maxlen"]] if "maxlen" in payload else []
        return [*factory, payload["items"], *maxlen], {}
    return None  # a plain object's state: see `init_keywords`


def _declares_fields(cls: type) -> bool:
    """Whether *cls* is a dataclass or an attrs class: its constructor takes its fields."""
    return dataclasses.is_dataclass(cls) or hasattr(cls, "__attrs_attrs__")


def init_keywords(cls: type, state: dict[str, Node]) -> tuple[list[Node], dict[str, Node]] | None:
    """Feed ``__init__``'s named parameters from the recorded attributes, if all it requires.

    A parameter ``major`` takes the attribute ``major``, else ``_major``, else the mangled
    ``_Version__major`` (slots included: their values are recorded with the state).
    """
    klass: Any = cls
    if klass.__init__ is object.__init__:
        return ([], {}) if klass.__new__ is object.__new__ else None
    params = _init_parameters(cls)
    if params is None:
        return None
    named = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    required = {p.name for p in named if p.default is p.empty}
    keywords: dict[str, Node] = {}
    for param in named:
        attribute = _attribute_for(cls, param.name, state)
        if attribute is not None:
            keywords[param.name] = state[attribute]
    for param in params:
        if param.kind == param.VAR_KEYWORD:
            keywords = _spread_options(cls, param.name, state, keywords)
    return ([], keywords) if required <= set(keywords) else None


def _init_parameters(cls: type) -> list[inspect.Parameter] | None:
    """The parameters a call of *cls* takes, as its ``__init__`` says when a ``__new__`` of its
    own takes anything (``(*args, **kwargs)``, which `inspect.signature` reports); else None."""
    try:
        params = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return None
    loose = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    init = getattr(cls, "__init__", None)
    if not all(p.kind in loose for p in params) or not inspect.isfunction(init):
        return params
    try:
        return list(inspect.signature(init).parameters.values())[1:]
    except (TypeError, ValueError):
        return params


def _spread_options(
    cls: type, name: str, state: dict[str, Node], keywords: dict[str, Node]
) -> dict[str, Node]:
    """*keywords*, with the items of the recorded mapping a ``**name`` parameter most likely
    keeps (``self.options = options``) added as keywords, those already fed kept as they are.

    Only a mapping of plain names: a key that cannot be written ``key=`` would need ``**{}``.
    """
    attribute = _attribute_for(cls, name, state)
    options = None if attribute is None else state[attribute]
    if not isinstance(options, dict) or not all(map(_is_keyword_name, options)):
        return keywords
    return {**options, **keywords}


def _with_items(
    cls: type, payload: dict[str, Node], call: tuple[list[Node], dict[str, Node]] | None
) -> tuple[list[Node], dict[str, Node]] | None:
    """The call, given first the items of a ``list`` or ``dict`` subclass that keeps a state
    too (``BoxList([1, 2], box_dots=True)``), when ``__init__``'s first parameter takes them."""
    items = payload.get("items")
    if call is None or items is None or call[0] or not issubclass(cls, (list, dict)):
        return call
    first = next(iter(_init_parameters(cls) or []), None)
    if first is None or first.kind not in (first.POSITIONAL_OR_KEYWORD, first.VAR_POSITIONAL):
        return None
    if first.name in call[1]:
        return None
    return [items], call[1]


def _attribute_for(cls: type, name: str, state: dict[str, Node]) -> str | None:
    """The recorded attribute a parameter *name* most likely sets: itself, private, mangled."""
    mangled = [f"_{klass.__name__.lstrip('_')}__{name}" for klass in cls.__mro__[:-1]]
    for candidate in (name, f"_{name}", *mangled):
        if candidate in state:
            return candidate
    return None


def _is_keyword_name(name: str) -> bool:
    """Whether *name* can be written as ``name=`` in a call."""
    return name.isidentifier() and not keyword.iskeyword(name)


def same_value(built: object, expected: object, registry: Registry = REGISTRY) -> bool:
    """Whether two values have the same recorded form (what a fixture would hold of each), the
    constants that link only to their own kind compared by class and value
    (`pytead._codec.linked`)."""
    try:
        encoder = Encoder(registry=registry)
        made, recorded = encoder.encode_fresh(built), encoder.encode_fresh(expected)
        if canonical(made) == canonical(recorded):
            return True
        # A token type holds the children the program had made of it by then: see `linked`.
        return canonical(without_links(made)) == canonical(without_links(recorded))
    except Exception:
        return False


def compares_by_value(cls: type) -> bool:
    """Whether instances of *cls* compare with an ``__eq__`` other than ``object``'s."""
    equality: Any = getattr(cls, "__eq__", None)
    return equality is not None and equality is not object.__eq__


def equal_by_class(built: object, expected: object, registry: Registry = REGISTRY) -> bool:
    """Whether *built* stands for the recorded *expected* by its class's own ``==``.

    Both are of one class that compares by value, and equal both ways. The answer is believed
    only if that ``==`` can say no (it is False for an object of another class: a mock's or an
    always-True ``__eq__`` is not believed), and, when the class inherits its ``==`` from a
    built-in (a ``dict`` subclass compares its items only), if their public attributes agree
    too: a private one (``_cache``) is taken as what the class keeps for itself.
    """
    kind = type(built)
    if kind is not type(expected) or not compares_by_value(kind):
        return False
    found, equal = call_quietly(_equal_both_ways, built, expected)
    if not found or equal is not True:
        return False
    return not _builtin_equality(kind) or _public_state(built, registry) == _public_state(
        expected, registry
    )


class _Stranger:
    """An object no value's ``==`` should find equal to it."""


def _equal_both_ways(built: object, expected: object) -> bool:
    return (
        (built == expected) is True
        and (expected == built) is True
        and (built != expected) is False
        and not _equals_a_stranger(built)
    )


def _equals_a_stranger(value: object) -> bool:
    """Whether *value*'s ``==`` says yes to an object of a class it cannot know (it says yes
    to anything). One that raises for such an object (``len(other)`` of an object without a
    length) says no: it never finds it equal."""
    try:
        return (value == _Stranger()) is not False
    except Exception:
        return False


def _builtin_equality(kind: type) -> bool:
    """Whether the ``__eq__`` *kind* uses is defined by a built-in class (``dict``, ``list``)."""
    owner = next((k for k in kind.__mro__ if "__eq__" in vars(k)), object)
    return owner.__module__ == "builtins"


def _public_state(value: object, registry: Registry) -> object:
    """The canonical form of the recorded attributes of *value* whose names are public."""
    try:
        node = Encoder(registry=registry).encode_fresh(value)
    except Exception:
        return None
    payload = node.value if isinstance(node, Tagged) and isinstance(node.value, dict) else {}
    state = payload.get("state")
    if not isinstance(state, dict):
        return canonical(state) if state is not None else None
    return canonical({key: item for key, item in state.items() if not key.startswith("_")})


def _type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


#: Standard value types a repr may call (``Money(amount=Decimal('1.20'))``): their
#: constructors only parse what they are given.
_VALUE_TYPES = frozenset(
    {
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "decimal.Decimal",
        "fractions.Fraction",
        "pathlib.PurePosixPath",
        "pathlib.PosixPath",
        "pathlib.Path",
        "uuid.UUID",
    }
)
