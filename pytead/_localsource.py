"""A function argument no name imports (``!function``), written into a test from the project's
own source.

A lambda or a helper defined inside a test function, passed to a target (``sorted(items,
key=lambda x: -x)``, ``register_encoder(encode_decimal)``), cannot be imported by the test. Its
fixture node says where it is defined (`pytead._codec.functions.function_payload`); this module
reads that file -- the project's own code, trusted like the modules gen-tests imports -- finds
the one ``lambda`` or ``def`` at that place with `ast`, and checks that it is the function
recorded: same qualname, same parameters, a lambda's body at the same columns. Nothing of the
fixture is pasted into code: the text written is the project's source, and the names imported
are identifiers found in it.

- A lambda is written inline, as it is in the source (``lambda x: x + 1``).
- A ``def`` becomes a local function at the top of the test, its source re-indented. Its
  decorators are left out: the function recorded has the code of the ``def`` itself (a
  decorator's wrapper has the code of the wrapper), so it is the undecorated function, the one
  a ``__wrapped__`` or a ``staticmethod`` holds.
- The global names the function uses are imported: the import the module itself makes, when it
  is a plain ``import a`` or ``from a import b`` at its top level, else ``from <module> import
  name``. Built-in names need nothing.

A closure variable that the enclosing function binds only by an absolute import (``import
decimal`` inside a test function) is imported the same way, as the source spells it. Refused,
each with one clear reason: a function using other variables of the function it was defined in
(a closure: a test cannot give it those values), a file outside the project or missing, a
place where no function matches (the file changed since the capture), a module whose name does
not match its file (it is not importable from the project's root), a global name the module
does not bind.
"""

from __future__ import annotations

import ast
import builtins
import functools
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytead._errors import CodecError
from pytead._names import is_dotted

if TYPE_CHECKING:  # capture reads sources too: the codec's writer is not imported for a type
    from pytead._codec.source import Import

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>")
_HINT = "define the function at the top level of a module, or capture the call again"


@dataclass(frozen=True)
class LocalFunction:
    """A function argument as a test writes it.

    Attributes:
        expression: The lambda's text, or the name of the local function.
        definition: The local function's source, dedented (empty for a lambda).
        imports: What the function's global names need.
    """

    expression: str
    definition: str = ""
    imports: frozenset[Import] = frozenset()


@dataclass(frozen=True)
class _Parsed:
    """A source file read once: its text, tree, and what its top level binds."""

    text: str
    tree: ast.Module
    bindings: dict[str, Import | None]


def local_function(payload: Any, root: Path) -> LocalFunction:
    """The ``!function`` *payload* as a test writes it, from the project's source under *root*.

    Raises:
        CodecError: It cannot be written (the reason says why and how to fix it).
    """
    if not isinstance(payload, dict):
        raise _refused("its !function node is not a mapping")
    qualname, module = payload.get("qualname"), payload.get("module")
    if not isinstance(qualname, str) or not is_dotted(module):
        raise _refused("its !function node lacks its qualname or module")
    closure = payload.get("closure") or []
    if not isinstance(closure, list) or not all(isinstance(name, str) for name in closure):
        raise _refused("its !function node's closure is not a list of names")
    file, line = payload.get("file"), payload.get("line")
    if not isinstance(file, str) or type(line) is not int:
        raise _refused(f"{qualname} is not defined in a file of the project")
    parsed = _parsed_file(_project_file(file, root))
    where = f"{file}:{line}"
    _check_module(str(module), file, where)
    found: tuple[ast.AST, tuple[ast.AST, ...]]
    if qualname.rpartition(".")[2] == "<lambda>":
        found = _find_lambda(parsed, qualname, (line, payload.get("body")), where)
    else:
        found = _find_def(parsed, qualname, line, where)
    node, enclosing = found
    _check_parameters(node, payload.get("params"), where)
    imported = _closure_imports(closure, enclosing, qualname)
    imports = _global_imports(node, parsed, str(module), where, set(imported))
    imports |= frozenset(imported.values())
    if isinstance(node, ast.Lambda):
        return LocalFunction(_lambda_text(parsed.text, node), "", imports)
    assert isinstance(node, _FUNCTIONS)
    return LocalFunction(node.name, _def_text(parsed.text, node, where), imports)


def write_local_function(payload: Any) -> tuple[str, frozenset[Import], str]:
    """`local_function` under the project's root: the expression, its imports, its definition.

    Raises:
        CodecError: It cannot be written.
    """
    from pytead._project import project_root

    found = local_function(payload, project_root())
    return found.expression, found.imports, found.definition


def _refused(reason: str) -> CodecError:
    return CodecError(f"cannot write the function from source: {reason}", hint=_HINT)


def _project_file(file: str, root: Path) -> Path:
    """The file a fixture names, refused unless it is a file inside the project."""
    base = root.resolve()
    path = (base / file).resolve()
    if Path(file).is_absolute() or not path.is_relative_to(base):
        raise _refused(f"{file!r:.80} is outside the project")
    if path.suffix != ".py" or not path.is_file():
        raise _refused(f"{file!r:.80} is not a Python file of the project")
    return path


def _check_module(module: str, file: str, where: str) -> None:
    """The module must be the file, so ``from module import name`` reaches its globals."""
    parts = Path(file).with_suffix("").parts
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    names = tuple(module.split("."))
    if parts[-len(names) :] != names:
        raise _refused(f"its module {module} is not the file {where} (not importable by name)")


@functools.lru_cache(maxsize=64)
def _parsed_at(path: Path, _stamp: int) -> _Parsed:
    with tokenize.open(path) as stream:  # the encoding its coding line declares
        text = stream.read()
    tree = ast.parse(text, str(path))
    return _Parsed(text, tree, _top_bindings(tree))


def _parsed_file(path: Path) -> _Parsed:
    try:
        return _parsed_at(path, path.stat().st_mtime_ns)
    except (OSError, SyntaxError, ValueError) as exc:
        raise _refused(f"{path.name} cannot be read ({type(exc).__name__}: {exc})") from None


def _top_bindings(tree: ast.Module) -> dict[str, Import | None]:
    """The names the module's top level binds, with the import that binds a name when it is a
    plain one (None: bound another way, or more than once)."""
    found: dict[str, Import | None] = {}
    for statement in tree.body:
        for name, spelled in _bound_by(statement):
            found[name] = spelled if name not in found else None
    return found


def _bound_by(statement: ast.stmt) -> list[tuple[str, Import | None]]:
    if isinstance(statement, ast.Import):
        return [
            (alias.asname or alias.name.split(".")[0], _plain_import(alias.name, alias.asname))
            for alias in statement.names
        ]
    if isinstance(statement, ast.ImportFrom):
        module = statement.module if statement.level == 0 else None
        return [
            (alias.asname or alias.name, _from_import(module, alias.name, alias.asname))
            for alias in statement.names
        ]
    return [(name, None) for name in _assigned(statement)]


def _plain_import(name: str, asname: str | None) -> Import | None:
    return (name, "") if asname is None and "." not in name else None


def _from_import(module: str | None, name: str, asname: str | None) -> Import | None:
    if module is None or name == "*":
        return None
    return (module, name if asname is None else f"{name} as {asname}")


def _assigned(statement: ast.stmt) -> set[str]:
    """Names a top-level statement binds (assignments, defs, classes, loops, with, try...)."""
    if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
        return {statement.name}
    found: set[str] = set()
    for node in ast.walk(statement):
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)) and node is not statement:
            found.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.alias):
            found.add(node.asname or node.name.split(".")[0])
    return found


# -- finding the function --------------------------------------------------------------------


#: A function of a source file: its qualname, its node, the functions it is defined in.
_Found = tuple[str, ast.AST, tuple[ast.AST, ...]]


def _qualnames(tree: ast.Module) -> list[_Found]:
    """Every function and lambda of *tree* with the qualname Python gives it."""
    found: list[_Found] = []

    def visit(node: ast.AST, prefix: str, enclosing: tuple[ast.AST, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (*_FUNCTIONS, ast.Lambda)):
                name = child.name if isinstance(child, _FUNCTIONS) else "<lambda>"
                found.append((prefix + name, child, enclosing))
                visit(child, f"{prefix}{name}.<locals>.", (*enclosing, child))
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.", enclosing)
            else:
                visit(child, prefix, enclosing)

    visit(tree, "", ())
    return found


def _plain_qualname(qualname: str) -> str:
    """Without the scopes comprehensions had before 3.12 (``f.<locals>.<listcomp>.<lambda>``)."""
    return ".".join(part for part in qualname.split(".") if part not in _COMPREHENSIONS).replace(
        "<locals>.<locals>.", "<locals>."
    )


def _find_lambda(
    parsed: _Parsed, qualname: str, place: tuple[int, Any], where: str
) -> tuple[ast.Lambda, tuple[ast.AST, ...]]:
    """The one lambda with that qualname on that line whose body holds the recorded span.

    The span is what the lambda's bytecode covers: all of its body, or a part of it (a body
    that is a constant has no position from 3.12 on, then the qualname and line must do).
    """
    line, body = place
    span = _recorded_span(body, where)
    wanted = _plain_qualname(qualname)
    found = [
        (node, enclosing)
        for name, node, enclosing in _qualnames(parsed.tree)
        if isinstance(node, ast.Lambda)
        and name == wanted
        and node.lineno == line
        and (span is None or _holds(node.body, span))
    ]
    if len(found) != 1:
        raise _refused(f"no lambda of {qualname} at {where} (the file changed since the capture?)")
    return found[0]


def _recorded_span(body: Any, where: str) -> tuple[int, int, int, int] | None:
    if body is None:
        return None
    if not (isinstance(body, list) and len(body) == 4 and all(type(i) is int for i in body)):
        raise _refused(f"the position of the lambda at {where} is not four numbers")
    return (body[0], body[1], body[2], body[3])


def _holds(node: ast.expr, span: tuple[int, int, int, int]) -> bool:
    """Whether the source of *node* holds *span* (line, column, end line, end column)."""
    end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
    return (node.lineno, node.col_offset) <= span[:2] and span[2:] <= end


def _find_def(
    parsed: _Parsed, qualname: str, line: int, where: str
) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, tuple[ast.AST, ...]]:
    wanted = _plain_qualname(qualname)
    found = [
        (node, enclosing)
        for name, node, enclosing in _qualnames(parsed.tree)
        if isinstance(node, _FUNCTIONS) and name == wanted and _first_line(node) == line
    ]
    if len(found) != 1:
        raise _refused(f"no function {qualname} at {where} (the file changed since the capture?)")
    return found[0]


def _first_line(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _check_parameters(node: ast.AST, recorded: Any, where: str) -> None:
    assert isinstance(node, (*_FUNCTIONS, ast.Lambda))
    written = _parameters(node.args)
    if recorded != written:
        raise _refused(f"the parameters at {where} are not those recorded (the file changed?)")


def _parameters(args: ast.arguments) -> list[str]:
    """The parameter names as `pytead._codec.functions.code_parameters` spells them."""
    found = [a.arg for a in args.posonlyargs]
    if args.posonlyargs:
        found.append("/")
    found += [a.arg for a in args.args]
    if args.vararg is not None:
        found.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        found.append("*")
    found += [a.arg for a in args.kwonlyargs]
    if args.kwarg is not None:
        found.append("**" + args.kwarg.arg)
    return found


# -- what it needs ---------------------------------------------------------------------------


def _global_imports(
    node: ast.AST, parsed: _Parsed, module: str, where: str, imported: set[str]
) -> frozenset[Import]:
    """The imports of the global names *node* uses (those of its closure, *imported*, apart);
    refused for a name the module lacks."""
    imports: set[Import] = set()
    for name in sorted(_free_names(node) - imported):
        if name in parsed.bindings:
            imports.add(parsed.bindings[name] or (module, name))
        elif not hasattr(builtins, name):
            raise _refused(f"the function at {where} uses {name}, which its module does not bind")
    return frozenset(imports)


def _free_names(node: ast.AST) -> set[str]:
    """Names *node* reads and never binds itself (nor in a function or comprehension inside).

    Binding a name anywhere inside counts for the whole function: a name both read and bound
    is then local, never taken from the module (a rare shadowing it may get wrong fails the
    test's verification, and the case is left out).
    """
    read: set[str] = set()
    bound: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            (bound if isinstance(inner.ctx, (ast.Store, ast.Del)) else read).add(inner.id)
        elif isinstance(inner, ast.arg):
            bound.add(inner.arg)
        elif isinstance(inner, (*_FUNCTIONS, ast.ClassDef)) and inner is not node:
            bound.add(inner.name)
        elif isinstance(inner, ast.alias):
            bound.add(inner.asname or inner.name.split(".")[0])
        elif isinstance(inner, (ast.Global, ast.Nonlocal)):
            read.update(inner.names)
        elif isinstance(inner, ast.ExceptHandler) and inner.name:
            bound.add(inner.name)
    return read - bound


def _closure_imports(
    closure: list[str], enclosing: tuple[ast.AST, ...], qualname: str
) -> dict[str, Import]:
    """The imports standing for closure variables the enclosing functions bind only by an
    absolute import (``import decimal`` inside a test function): read from the source, so the
    test binds the same name the same way. Refused for any other closure variable."""
    found: dict[str, Import] = {}
    for name in closure:
        for scope in reversed(enclosing):  # the innermost function binding it is the one
            bindings = _scope_bindings(scope).get(name)
            if bindings is not None:
                if len(set(bindings)) == 1 and bindings[0] is not None:
                    found[name] = bindings[0]
                break
    missing = [name for name in closure if name not in found]
    if missing:
        names = ", ".join(missing)
        raise _refused(f"{qualname} uses variables of the function it was defined in ({names})")
    return found


def _scope_bindings(function: ast.AST) -> dict[str, list[Import | None]]:
    """What binds each name in *function*'s own scope: the import spelling it, or None."""
    assert isinstance(function, (*_FUNCTIONS, ast.Lambda))
    found: dict[str, list[Import | None]] = {}
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
    for arg in every:
        found.setdefault(arg.arg, []).append(None)
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, spelled in _bound_by(node):
                found.setdefault(name, []).append(spelled)
            continue
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            found.setdefault(node.name, []).append(None)
            continue  # a scope of its own
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.setdefault(node.id, []).append(None)
        stack.extend(ast.iter_child_nodes(node))
    return found


# -- the text written ------------------------------------------------------------------------


def _lambda_text(text: str, node: ast.Lambda) -> str:
    """The lambda as the source spells it, its lines joined when it spans several (unparsed
    when joining them would change it: a comment, a string running over lines)."""
    segment = ast.get_source_segment(text, node) or ""
    joined = " ".join(line.strip() for line in segment.splitlines())
    try:
        same = ast.dump(ast.parse(joined, mode="eval").body) == ast.dump(node)
    except (SyntaxError, ValueError):
        same = False
    return joined if same else ast.unparse(node)


def _def_text(text: str, node: ast.FunctionDef | ast.AsyncFunctionDef, where: str) -> str:
    """The function's source without the indentation it had where it was defined."""
    lines = text.splitlines()[node.lineno - 1 : node.end_lineno]
    indent = lines[0][: node.col_offset]
    if indent.strip() or not all(line.startswith(indent) or not line.strip() for line in lines):
        raise _refused(f"the source at {where} is not indented as a function inside another")
    return textwrap.dedent("\n".join(lines)) + "\n"
