"""An instance of a class defined inside a function, written into a test from the project's own
source.

A test suite often defines a class inside a test (``class MySchema(Schema): ...``, ``class
DefaultCache(Cache): def __missing__(...)``) and hands an instance of it to the code under
test. No name imports that class, so capture records, besides the instance's state as usual,
where the class is defined (`pytead._classplace.class_place`): a ``!localclass {file, line,
qualname}`` node under the ``!obj``'s ``class`` key. gen-tests reads that file -- the
project's own code, trusted like the modules it imports -- finds the one ``class`` statement
with that qualname starting at that line with `ast`, and defines the class from that source
(`local_class`): at gen time, to build the instance through the usual roads and check each
against the recorded state, and at the top of the test, where the same source is written,
re-indented, with the imports its global names need. Nothing of the fixture is pasted into
code or run: the text is the project's source, the names imported are identifiers found in it.

Refused, each with one clear reason: a class whose body, bases or decorators use names of the
function it was defined in (other than names that function binds by an absolute import, and its
other classes, written before it), a file outside the project or missing, a line that no longer
starts that class (the file changed since the capture), a module whose name is not its file's,
a global name the module does not bind, a module the trust policy does not trust.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import textwrap
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytead._classplace import class_index, classes, first_line, last_line
from pytead._errors import CodecError
from pytead._localsource import (
    _FUNCTIONS,
    _assigned,
    _check_module,
    _closure_imports,
    _free_names,
    _Parsed,
    _parsed_file,
    _plain_qualname,
    _project_file,
    _scope_bindings,
)
from pytead._names import is_dotted

if TYPE_CHECKING:  # capture reads sources too: the codec's writer is not imported for a type
    from pytead._codec.source import Import

_HINT = "define the class at the top level of a module, or capture the call again"


@dataclass(frozen=True)
class LocalClass:
    """A class defined inside a function, as a test writes it.

    Attributes:
        name: The class's name, which the test's own definition binds.
        definitions: Its source, dedented, decorators included, after those of the classes of
            its function it uses.
        imports: What its global names need.
    """

    name: str
    definitions: tuple[str, ...]
    imports: frozenset[Import]


# -- at gen time --------------------------------------------------------------------------------


#: Classes made from source, by where they are defined and the file's version.
_MADE: dict[tuple[Path, int, int, str, str], type] = {}
#: How the test writes each class made here.
_WRITTEN: weakref.WeakKeyDictionary[type, LocalClass] = weakref.WeakKeyDictionary()


def written_class(cls: object) -> LocalClass | None:
    """How a test writes *cls* when it is a class `local_class` made; None for any other."""
    return _WRITTEN.get(cls) if isinstance(cls, type) else None


def local_class(payload: Any, type_name: str, root: Path | None = None) -> type:
    """The class the ``!localclass`` *payload* names, made from the project's source under
    *root* (the project's root when not given); *type_name* is its ``!obj`` type.

    The module's globals are its global names (the module is imported, through the trust
    policy), the names the enclosing function bound by an import are imported again, and a
    class of that function it uses (``class OuterSchema(Schema): inner = Nested(InnerSchema)``)
    is made the same way first. The same place of the same file gives the same class.

    Raises:
        CodecError: It cannot be made (the reason says why and how to fix it).
    """
    from pytead._project import project_root

    root = project_root() if root is None else root
    return _class_at(_place(payload, type_name, root))


@dataclass(frozen=True)
class _Place:
    """Where a class is defined: as the fixture says, and the file found in the project."""

    file: str
    line: int
    qualname: str
    module: str
    path: Path
    root: Path
    #: The dotted names of the bases the class had at capture, when recorded.
    bases: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _place(payload: Any, type_name: str, root: Path) -> _Place:
    if not isinstance(payload, dict):
        raise _refused("its !localclass node is not a mapping")
    file, line, qualname = payload.get("file"), payload.get("line"), payload.get("qualname")
    if not isinstance(qualname, str) or not type_name.endswith("." + qualname):
        raise _refused("its !localclass node's qualname is not the end of its type")
    module = type_name[: -len(qualname) - 1]
    if not is_dotted(module):
        raise _refused(f"its module {module!r:.80} is not a dotted name")
    if not isinstance(file, str) or type(line) is not int:
        raise _refused(f"{qualname} is not defined in a file of the project")
    try:
        path = _project_file(file, root)
    except CodecError as exc:
        raise _refused(_reason(exc)) from None
    bases = payload.get("bases", [])
    if not isinstance(bases, list) or not all(is_dotted(base) for base in bases):
        raise _refused("its !localclass node's bases are not dotted names")
    return _Place(file, line, qualname, module, path, root, tuple(bases))


#: The classes being made: one met again uses itself through another class of its function.
_MAKING: set[tuple[Path, int, int, str, str]] = set()


def _class_at(place: _Place) -> type:
    key = (place.path, place.path.stat().st_mtime_ns, place.line, place.qualname, place.module)
    made = _MADE.get(key)
    if made is not None:
        return made
    if key in _MAKING:
        raise _refused(f"the class at {place.where} needs itself, through another class")
    _MAKING.add(key)
    try:
        made = _make(place)
    finally:
        _MAKING.discard(key)
    _MADE[key] = made
    return made


def _make(place: _Place) -> type:
    """Find the class statement, check what it needs, define the class from its source."""
    try:
        parsed = _parsed_file(place.path)
        _check_module(place.module, place.file, place.where)
    except CodecError as exc:
        raise _refused(_reason(exc)) from None
    node, enclosing = _find_class(parsed, place.qualname, place.line, place.where)
    text = _class_text(parsed.text, node, place.where)
    free = class_free_names(node) - {node.name}  # its own name: the test's definition binds it
    local = sorted(name for name in free if any(name in _scope_bindings(s) for s in enclosing))
    recorded = _recorded_bases(node, local, place)
    base_imports: set[Import] = set()
    if recorded is not None:  # bases spelled with the function's names: the ones it had
        text, base_imports = recorded
        free = class_free_names(node, with_bases=False) - {node.name}
        local = sorted(n for n in free if any(n in _scope_bindings(s) for s in enclosing))
    siblings = _siblingclasses(place, local, enclosing)
    closure = _closure_of([name for name in local if name not in siblings], enclosing, place)
    imports = set(closure.values()) | _global_imports(free - set(local), parsed, place)
    imports |= base_imports
    classes: dict[str, type] = {}
    earlier: list[str] = []
    for name, sibling in siblings.items():
        classes[name] = made = _class_at(sibling)
        written = _WRITTEN[made]
        earlier += written.definitions
        imports |= written.imports
    cls = _define(text, node, place, (closure, classes), base_imports)
    _WRITTEN[cls] = LocalClass(node.name, (*dict.fromkeys(earlier), text), frozenset(imports))
    return cls


def _recorded_bases(
    node: ast.ClassDef, local: list[str], place: _Place
) -> tuple[str, set[Import]] | None:
    """The class's source with its bases spelled by the names of the classes it had at
    capture (``class DefaultCache(cachetools.LRUCache):`` for ``class
    DefaultCache(self.Cache):``), and the imports they need; None when its bases use no name
    of its function, or their recorded names do not match them one for one.

    Only the bases change: a name of the function used anywhere else still refuses the class.
    Each base is named through its module (``import cachetools``), so it never clashes with
    the class's own name in the test that defines it.
    """
    in_bases = set().union(*(_free_names(base) for base in node.bases)) & set(local)
    if not in_bases or len(place.bases) != len(node.bases) or not node.bases:
        return None
    if any(isinstance(base, ast.Starred) for base in node.bases):
        return None
    from pytead._trust import current, untrusted

    for name in place.bases:
        if not current().trusts_type(name):
            raise untrusted("!localclass base", name)
    imports: set[Import] = set()
    spelled: list[str] = []
    for name in place.bases:
        module, qualname = _split_class_name(name, place)
        if module == "builtins":
            spelled.append(qualname)
        else:
            imports.add((module, ""))
            spelled.append(f"{module}.{qualname}")
    return _with_bases(node, ", ".join(spelled), place), imports


def _split_class_name(name: str, place: _Place) -> tuple[str, str]:
    """``pkg.mod.Class.Inner`` as its module and qualname: the longest importable prefix."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        try:
            found: Any = importlib.import_module(module)
        except ImportError:
            continue
        for part in parts[cut:]:
            found = getattr(found, part, None)
        if isinstance(found, type):
            return module, ".".join(parts[cut:])
    raise _refused(f"the base {name} of the class at {place.where} cannot be imported")


def _with_bases(node: ast.ClassDef, bases: str, place: _Place) -> str:
    """The class's source (see `_class_text`) with the text of its bases replaced by *bases*."""
    lines = _read_lines(place.path)[first_line(node) - 1 : last_line(node)]
    start, end = node.bases[0], node.bases[-1]
    first, last = start.lineno - first_line(node), (end.end_lineno or end.lineno) - first_line(node)
    head = lines[first][: start.col_offset]
    tail = lines[last][end.end_col_offset :]
    spliced = [*lines[:first], head + bases + tail, *lines[last + 1 :]]
    indent = spliced[0][: len(spliced[0]) - len(spliced[0].lstrip())]
    if not all(line.startswith(indent) or not line.strip() for line in spliced):
        raise _refused(f"the source at {place.where} is not indented as a class inside a function")
    return textwrap.dedent("\n".join(spliced)) + "\n"


def _read_lines(path: Path) -> list[str]:
    return _parsed_file(path).text.splitlines()


def _siblingclasses(
    place: _Place, local: list[str], enclosing: tuple[ast.AST, ...]
) -> dict[str, _Place]:
    """The names among *local* that the innermost enclosing function binds only by a class
    statement of its own (written from source the same way), each with that class's place."""
    scope = _scope_bindings(enclosing[-1])
    prefix = place.qualname[: place.qualname.rindex("<locals>.") + len("<locals>.")]
    index = class_index(place.path, place.path.stat().st_mtime_ns)
    found: dict[str, _Place] = {}
    for name in local:
        statements = index.get(_plain_qualname(prefix + name), [])
        if scope.get(name) == [None] and len(statements) == 1:
            line = first_line(statements[0][1])
            found[name] = _Place(
                place.file, line, prefix + name, place.module, place.path, place.root
            )
    return found


def _closure_of(
    names: list[str], enclosing: tuple[ast.AST, ...], place: _Place
) -> dict[str, Import]:
    """The imports standing for names of the enclosing functions; refused for any other."""
    try:
        return _closure_imports(names, enclosing, place.qualname)
    except CodecError as exc:
        raise _refused(_reason(exc)) from None


def _global_imports(names: set[str], parsed: _Parsed, place: _Place) -> set[Import]:
    """The imports of the global names the class uses; refused for one its module lacks."""
    imports: set[Import] = set()
    for name in sorted(names):
        if name in parsed.bindings:
            imports.add(parsed.bindings[name] or (place.module, name))
        elif not hasattr(builtins, name):
            raise _refused(
                f"the class at {place.where} uses {name}, which its module does not bind"
            )
    return imports


def _find_class(
    parsed: _Parsed, qualname: str, line: int, where: str
) -> tuple[ast.ClassDef, tuple[ast.AST, ...]]:
    wanted = _plain_qualname(qualname)
    found = [
        (node, enclosing)
        for name, node, enclosing in classes(parsed.tree)
        if name == wanted and first_line(node) == line
    ]
    if len(found) != 1 or not found[0][1]:
        raise _refused(f"no class {qualname} at {where} (the file changed since the capture?)")
    return found[0]


def class_free_names(node: ast.ClassDef, *, with_bases: bool = True) -> set[str]:
    """Names a class statement reads from outside it, with a class's own scoping.

    Its bases, keywords and decorators are read where the class is defined; its methods are
    scopes of their own, which do not see the names the class body binds (``self`` is a
    method's parameter, not a name of the class); the rest of the body sees what it binds.
    """
    bases = node.bases if with_bases else []
    outside = [*bases, *(keyword.value for keyword in node.keywords), *node.decorator_list]
    free = set().union(*(_free_names(expression) for expression in outside))
    read: set[str] = set()
    bound: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.ClassDef):
            free |= class_free_names(statement)
            bound.add(statement.name)
        elif isinstance(statement, _FUNCTIONS):
            free |= _free_names(statement)
            bound.add(statement.name)
        else:
            read |= _free_names(statement)
            bound |= _assigned(statement)
    return free | (read - bound)


def _class_text(text: str, node: ast.ClassDef, where: str) -> str:
    """The class's source, decorators included, without the indentation it had."""
    lines = text.splitlines()[first_line(node) - 1 : last_line(node)]
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    if not all(line.startswith(indent) or not line.strip() for line in lines):
        raise _refused(f"the source at {where} is not indented as a class inside a function")
    return textwrap.dedent("\n".join(lines)) + "\n"


def _define(
    text: str,
    node: ast.ClassDef,
    place: _Place,
    given: tuple[dict[str, Import], dict[str, type]],
    modules: set[Import],
) -> type:
    """Run the class statement among the module's globals, with the closure's imports and the
    classes of its function it uses (*given*).

    The module is imported as the test will import it (its name is checked by the trust
    policy first); the statement is compiled with the lines of its file, so a traceback of
    it points at the project's source.
    """
    from pytead._trust import current, untrusted

    if not current().trusts_code(place.module):
        raise untrusted("!localclass module", place.module)
    try:
        namespace = dict(vars(importlib.import_module(place.module)))
        namespace.update((name, _imported(spelled)) for name, spelled in given[0].items())
        namespace.update(given[1])
        for module, _ in modules:  # ``import a.b`` binds ``a``, with ``a.b`` loaded
            importlib.import_module(module)
            namespace[module.split(".")[0]] = importlib.import_module(module.split(".")[0])
        tree = ast.parse(text, str(place.path))
        ast.increment_lineno(tree, first_line(node) - 1)
        exec(compile(tree, str(place.path), "exec"), namespace)  # the project's own source
    except Exception as exc:  # defining it ran the project's code, and that failed
        raise _refused(f"defining it raised {type(exc).__name__}: {exc}") from None
    made = namespace.get(node.name)
    if not isinstance(made, type):
        raise _refused(f"its source does not define a class {node.name}")
    return made


def _imported(spelled: Import) -> object:
    """What ``import a`` or ``from a import b [as c]`` binds."""
    module, name = spelled
    found = importlib.import_module(module)
    if not name:
        return found
    attribute = name.split(" as ")[0]
    if hasattr(found, attribute):
        return getattr(found, attribute)
    return importlib.import_module(f"{module}.{attribute}")


def _refused(reason: str) -> CodecError:
    return CodecError(f"cannot write the class from source: {reason}", hint=_HINT)


def _reason(exc: CodecError) -> str:
    """The reason a function-source check gave, without its own prefix and hint."""
    return exc.what.removeprefix("cannot write the function from source: ")


#: The longest class definition a docstring example shows (its lines, decorators included).
MAX_EXAMPLE_LINES = 8


def doctest_lines(definitions: tuple[str, ...]) -> list[str]:
    """*definitions* as doctest source: ``>>> class X(...):`` then ``...`` continuation lines
    (a blank line inside a class would end a doctest's source: it is written ``...``).

    Raises:
        ValueError: A definition is longer than `MAX_EXAMPLE_LINES`, too long to show.
    """
    lines: list[str] = []
    for definition in definitions:
        source = definition.rstrip("\n").splitlines()
        if len(source) > MAX_EXAMPLE_LINES:
            first = source[0].rstrip(":")
            raise ValueError(f"its {first} is {len(source)} lines, more than an example shows")
        lines += [f">>> {source[0]}", *(f"... {line}".rstrip() for line in source[1:])]
    return lines
