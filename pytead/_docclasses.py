"""Classes and functions of the project's tests, defined in an example from their source.

A test module often declares, at its top level, the small classes and functions its tests use
(``class ValidatesSchema(Schema): foo = fields.Int()`` and a validating method, ``def
wrappable(a, b): return a, b``): an example of a call made with one cannot import it, since the
package's users do not have the test suite. When it is short
(`pytead._localclass.MAX_EXAMPLE_LINES`) and reads nothing of its test module but imports (and
the module's other such classes and functions, defined before it), the example defines it
first from the project's source, as it does for a class or function defined inside a test
function (`pytead._localclass`, `pytead._localsource`). Nothing of the fixture is pasted: the
module and names a value's import line gives are checked identifiers, and the text is the
project's own.

Refused, each with one reason: a file that is not the project's, a name bound more than once or
by something else than a ``class`` or ``def`` statement, a definition reading a name its module
binds by other means (a constant, say), a name the module where the example runs already uses.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytead._docoutput import NotShown
from pytead._errors import CodecError
from pytead._localclass import class_free_names
from pytead._localsource import _FUNCTIONS, _free_names, _Parsed, _parsed_file, _project_file

#: A name and the module it is imported from: ``("tests.base", "User")``.
Import = tuple[str, str]

#: How many classes of a test module one example may define.
MAX_CLASSES = 3


@dataclass(frozen=True)
class SuiteClasses:
    """The classes of test modules an example defines, and what their source needs.

    Attributes:
        definitions: Each class's source, dedented, those it uses first.
        imports: The imports their global names need.
    """

    definitions: tuple[str, ...] = ()
    imports: frozenset[Import] = frozenset()


def suite_classes(
    names: set[Import], outside: set[str], namespace: dict[str, Any], root: Path
) -> SuiteClasses:
    """The definitions standing for the imports *names* of modules whose top package is in
    *outside* (the project's code that is not the documented package).

    Raises:
        NotShown: One of them cannot be defined from source (the reason says which and why).
    """
    written: dict[Import, tuple[str, frozenset[Import]]] = {}
    for module, name in sorted(names):
        if module.split(".")[0] in outside:
            _define(module, name, namespace, root, written)
    imports = frozenset().union(*(needed for _, needed in written.values()))
    return SuiteClasses(tuple(text for text, _ in written.values()), frozenset(imports))


def _define(
    module: str,
    name: str,
    namespace: dict[str, Any],
    root: Path,
    written: dict[Import, tuple[str, frozenset[Import]]],
) -> None:
    """Add the class or function *module*.*name* to *written*, after the definitions of its
    module it uses."""
    if (module, name) in written:
        return
    if len(written) >= MAX_CLASSES:
        raise NotShown(f"it needs more than {MAX_CLASSES} definitions of {module}")
    if not name.isidentifier() or name in namespace or hasattr(builtins, name):
        raise NotShown(f"it needs {module}.{name}, whose name the example cannot bind")
    parsed = _module_source(module, root)
    node = _top_definition(parsed, module, name)
    free_names = class_free_names(node) if isinstance(node, ast.ClassDef) else _free_names(node)
    imports: set[Import] = set()
    for free in sorted(free_names - {name}):
        if hasattr(builtins, free) and free not in parsed.bindings:
            continue
        spelled = parsed.bindings.get(free, ...)
        if spelled is None and _is_definition(parsed, free):
            _define(module, free, namespace, root, written)
        elif spelled is None or spelled is ...:
            raise NotShown(
                f"its {_kind(node)} {module}.{name} uses {free}, which only {module} defines"
            )
        else:
            imports.add(spelled)
    written[(module, name)] = (_class_text(parsed.text, node), frozenset(imports))


def _module_source(module: str, root: Path) -> _Parsed:
    """The parsed file of the project's *module*."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    origin = None if spec is None else spec.origin
    if origin is None:
        raise NotShown(f"it needs {module}, whose source cannot be found")
    try:
        base = root.resolve()
        path = _project_file(str(Path(origin).resolve().relative_to(base)), base)
        return _parsed_file(path)
    except (ValueError, CodecError):
        raise NotShown(f"it needs {module}, whose source is not a file of the project") from None


#: The statements a definition taken from a test module is.
_DEFINITIONS = (ast.ClassDef, *_FUNCTIONS)
_Definition = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef


def _top_definition(parsed: _Parsed, module: str, name: str) -> _Definition:
    """The one ``class`` or ``def`` statement binding *name* at the top of the module."""
    found = [s for s in parsed.tree.body if isinstance(s, _DEFINITIONS) and s.name == name]
    if len(found) != 1 or parsed.bindings.get(name, ...) is not None:
        raise NotShown(f"it needs {module}.{name}, which {module} binds otherwise than once")
    return found[0]


def _is_definition(parsed: _Parsed, name: str) -> bool:
    return any(isinstance(s, _DEFINITIONS) and s.name == name for s in parsed.tree.body)


def _kind(node: _Definition) -> str:
    return "class" if isinstance(node, ast.ClassDef) else "function"


def _class_text(text: str, node: _Definition) -> str:
    """The statement's source, decorators included."""
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    lines = text.splitlines()[first - 1 : node.end_lineno or node.lineno]
    return textwrap.dedent("\n".join(lines)) + "\n"
