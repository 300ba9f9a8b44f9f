"""Instrumented code objects: a function's own code, compiled again with calls to a probe.

The 3.11 backend swaps a target's ``__code__`` for one of these, so the function object (and
every reference to it, taken before or after) stays the same and reaches the recorder. Two
ways to build one:

- **From source**, whenever the function's ``def`` can be found in its file. It is compiled
  again inside a scaffold that reproduces its qualified name and free variables, and must give
  a code object equal to the running one (bytecode, constants, names, line and column table)
  before the probe calls are added. The result runs in the function's own frame: the caller,
  ``sys._getframe(1)``, ``warnings.warn(stacklevel=2)`` and tracebacks see no difference.
- **A trampoline** otherwise (code built by ``exec``, lambdas, a file edited since import):
  same parameters, same free variables, same name, file and first line, calling a clone of the
  original. It costs one frame, named and placed like the function itself.

The probe is handed over in the code's constants, never through a global name::

    def f(a, b=1):
        PROBE.enter()                       # binds the arguments from the frame's locals
        try:
            ...                             # return X -> return PROBE.returned(X)
        except:                             # yield X -> yield PROBE.yielded(X)
            PROBE.raised()                  # yield from X -> yield from PROBE.delegate(X)
            raise
        finally:
            PROBE.leave()                   # the call is over: record its outcome
"""

from __future__ import annotations
import __future__

import ast
import copy
import functools
import inspect
import linecache
import types
from collections.abc import Iterator
from typing import Any, TypeVar

#: Constants standing in for the probe and the clone until the code is compiled.
PROBE_MARK = "\x00pytead:probe"
CLONE_MARK = "\x00pytead:clone"

_FUTURE_FLAGS = functools.reduce(
    lambda flags, name: flags | getattr(__future__, name).compiler_flag,
    __future__.all_feature_names,
    0,
)
_LAYOUT_FLAGS = (
    inspect.CO_GENERATOR
    | inspect.CO_COROUTINE
    | inspect.CO_ASYNC_GENERATOR
    | inspect.CO_VARARGS
    | inspect.CO_VARKEYWORDS
)
_AnyDef = ast.FunctionDef | ast.AsyncFunctionDef
_Node = TypeVar("_Node", bound=ast.AST)
_BLOCKS = (ast.ExceptHandler, ast.match_case)  # parts of a statement holding statements


def instrumented_code(function: types.FunctionType, probe: object) -> types.CodeType | None:
    """*function*'s code with calls to *probe*, from its source if it can be found."""
    return from_source(function, probe) or trampoline(function, probe)


# -- from source ------------------------------------------------------------------------------


def from_source(function: types.FunctionType, probe: object) -> types.CodeType | None:
    """Recompile *function* from its source, with the probe calls; ``None`` if not faithful."""
    code = function.__code__
    found = _find_def(code, function.__globals__)
    if found is None:
        return None
    node, imports = found
    pristine = _compile(_scaffold(copy.deepcopy(node), code, imports), code)
    if pristine is None or not same_code(_carry_flags(pristine, code), code):
        return None
    instrumented = _compile(_scaffold(instrument_def(copy.deepcopy(node)), code, imports), code)
    if instrumented is None:
        return None
    return _with_constants(_carry_flags(instrumented, code), {PROBE_MARK: probe})


def _carry_flags(built: types.CodeType, running: types.CodeType) -> types.CodeType:
    """``@types.coroutine`` sets a flag on the code after compiling it: set it again."""
    flag = running.co_flags & inspect.CO_ITERABLE_COROUTINE
    return built.replace(co_flags=built.co_flags | flag) if flag else built


def _find_def(
    code: types.CodeType, module_globals: dict[str, Any]
) -> tuple[_AnyDef, list[ast.stmt]] | None:
    """The ``def`` that *code* was compiled from, and the imports of its module."""
    linecache.checkcache(code.co_filename)
    text = "".join(linecache.getlines(code.co_filename, module_globals))
    parsed = _parsed(text, code.co_filename) if text else None
    if parsed is None:
        return None
    tree, imports = parsed
    for node in ast.walk(tree):
        if isinstance(node, _AnyDef) and node.name == code.co_name:
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            if first == code.co_firstlineno:
                return node, imports
    return None


@functools.lru_cache(maxsize=4)
def _parsed(text: str, filename: str) -> tuple[ast.Module, list[ast.stmt]] | None:
    try:
        tree = ast.parse(text, filename)
    except (SyntaxError, ValueError):
        return None
    return tree, list(_module_imports(tree.body))


def _module_imports(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Imports run at module level, however nested in ``if``/``try``/``with`` blocks.

    The compiler reads them: a method called on an imported name (``sys._getframe()``) is
    compiled differently from one called on any other global.
    """
    for statement in body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            if not (isinstance(statement, ast.ImportFrom) and statement.module == "__future__"):
                yield statement
        elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(statement, field, ()):
                    inner = child.body if isinstance(child, _BLOCKS) else [child]
                    yield from _module_imports(inner)


def _scaffold(node: _AnyDef, code: types.CodeType, imports: list[ast.stmt]) -> ast.Module | None:
    """A module in which *node* compiles with *code*'s qualified name and free variables.

    ``outer.<locals>.Box.method`` becomes ``def outer(): <free variables> = None`` holding
    ``class Box:`` holding the method. ``__class__`` (free in methods that call ``super()``)
    comes from the enclosing class, as in the original.
    """
    scopes = _enclosing_scopes(code.co_qualname)
    if scopes is None:
        return None
    free = [name for name in code.co_freevars if name != "__class__"]
    body: list[ast.stmt] = [node]
    assigned = False
    for kind, name in reversed(scopes):
        if kind == "function" and not assigned and free:
            body = [_assign_none(free), *body]
            assigned = True
        body = [_scope(kind, name, body)]
    if free and not assigned:
        return None
    module = ast.Module(body=[*copy.deepcopy(imports), *body], type_ignores=[])
    return ast.fix_missing_locations(module)


def _enclosing_scopes(qualname: str) -> list[tuple[str, str]] | None:
    """``a.<locals>.B.c`` -> ``[("function", "a"), ("class", "B")]``; ``None`` if unusual."""
    parts = qualname.split(".")[:-1]
    scopes: list[tuple[str, str]] = []
    for index, part in enumerate(parts):
        if part == "<locals>":
            continue
        if not part.isidentifier():
            return None
        follows = parts[index + 1] if index + 1 < len(parts) else ""
        scopes.append(("function" if follows == "<locals>" else "class", part))
    return scopes


def _assign_none(names: list[str]) -> ast.stmt:
    targets: list[ast.expr] = [ast.Name(id=name, ctx=ast.Store()) for name in names]
    return ast.Assign(targets=targets, value=ast.Constant(None), lineno=1)


def _scope(kind: str, name: str, body: list[ast.stmt]) -> ast.stmt:
    if kind == "class":
        return ast.ClassDef(
            name=name, bases=[], keywords=[], body=body, decorator_list=[], lineno=1
        )
    no_args = ast.arguments(
        posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]
    )
    return ast.FunctionDef(
        name=name, args=no_args, body=body, decorator_list=[], returns=None, lineno=1
    )


def _compile(module: ast.Module | None, code: types.CodeType) -> types.CodeType | None:
    """Compile *module* as *code*'s file was, and pick the code object standing for *code*."""
    if module is None:
        return None
    try:
        compiled = compile(
            module, code.co_filename, "exec", flags=code.co_flags & _FUTURE_FLAGS, dont_inherit=True
        )
    except (SyntaxError, ValueError, TypeError):
        return None
    for found in _nested_codes(compiled):
        if found.co_qualname == code.co_qualname and found.co_firstlineno == code.co_firstlineno:
            return found
    return None


def _nested_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from _nested_codes(const)


def same_code(built: types.CodeType, running: types.CodeType) -> bool:
    """Whether *built* is *running* again: code equality, plus names it leaves out."""
    if built != running:  # bytecode, constants, names, flags, line and exception tables
        return False
    built_all, running_all = [built, *_nested_codes(built)], [running, *_nested_codes(running)]
    return len(built_all) == len(running_all) and all(
        a.co_qualname == b.co_qualname
        and a.co_freevars == b.co_freevars
        and a.co_cellvars == b.co_cellvars
        for a, b in zip(built_all, running_all, strict=True)
    )


# -- the probe calls --------------------------------------------------------------------------


def instrument_def(node: _AnyDef) -> _AnyDef:
    """Add the probe calls to a function definition (see the module docstring)."""
    body = node.body
    docstring = body[:1] if ast.get_docstring(node, clean=False) is not None else []
    rest = [_Probed().visit(stmt) for stmt in body[len(docstring) :]] or [ast.Pass()]
    at_start = rest[0]
    # What runs as the call ends is placed on the `def` line, which has run (at import) anyway:
    # a line-coverage tool never sees a line run that did not.
    at_def = _place(ast.Pass(), node)
    reraise: list[ast.stmt] = [_probe_statement("raised"), ast.Raise()]
    handler = ast.ExceptHandler(type=None, name=None, body=reraise)
    wrapped = ast.Try(
        body=rest,
        handlers=[_place(handler, at_def)],
        orelse=[],
        finalbody=[_place(_probe_statement("leave"), at_def)],
    )
    node.body = [*docstring, _place(_probe_statement("enter"), at_start), _place(wrapped, at_start)]
    return node


class _Probed(ast.NodeTransformer):
    """Route returned values and yielded items through the probe, outside nested scopes."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        return node

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        return node

    def visit_Return(self, node: ast.Return) -> ast.AST:
        self.generic_visit(node)
        node.value = _probe_call("returned", node.value, node)
        return node

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        self.generic_visit(node)
        node.value = _probe_call("yielded", node.value, node)
        return node

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        self.generic_visit(node)
        node.value = _probe_call("delegate", node.value, node)
        return node


def _probe_call(method: str, value: ast.expr | None, where: ast.AST) -> ast.expr:
    argument = value if value is not None else _place(ast.Constant(None), where)
    callee = ast.Attribute(value=ast.Constant(PROBE_MARK), attr=method, ctx=ast.Load())
    return _place(ast.Call(func=callee, args=[argument], keywords=[]), where)


def _probe_statement(method: str) -> ast.stmt:
    callee = ast.Attribute(value=ast.Constant(PROBE_MARK), attr=method, ctx=ast.Load())
    return ast.Expr(ast.Call(func=callee, args=[], keywords=[]))


def _place(node: _Node, where: ast.AST) -> _Node:
    """Give *node* (and its new children) *where*'s position; the original nodes keep theirs."""
    for child in ast.walk(node):
        if "lineno" in child._attributes and not hasattr(child, "lineno"):
            ast.copy_location(child, where)
    return node


def _with_constants(code: types.CodeType, replacements: dict[str, object]) -> types.CodeType:
    consts = tuple(
        replacements.get(c, c) if type(c) is str else c  # exact type: a str subclass is the user's
        for c in code.co_consts
    )
    return code.replace(co_consts=consts)


# -- the trampoline ---------------------------------------------------------------------------


def trampoline(function: types.FunctionType, probe: object) -> types.CodeType | None:
    """Code with *function*'s parameters that calls a clone of it; ``None`` if impossible."""
    code = function.__code__
    if code.co_flags & inspect.CO_ASYNC_GENERATOR:
        return None
    node = instrument_def(_trampoline_def(code))
    scopes: list[tuple[str, str]] = [("function", "outer")]
    if "__class__" in code.co_freevars:
        scopes.append(("class", "Owner"))
    free = [name for name in code.co_freevars if name != "__class__"]
    body: list[ast.stmt] = [node]
    for kind, name in reversed(scopes):
        if kind == "function" and free:
            body = [_assign_none(free), *body]
        body = [_scope(kind, name, body)]
    module = ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
    built = _compile_trampoline(module, code)
    if built is None:
        return None
    clone = _clone(function)
    return _with_constants(built, {PROBE_MARK: probe, CLONE_MARK: clone})


def _trampoline_def(code: types.CodeType) -> _AnyDef:
    """``def f(<same parameters>): return CLONE(<each parameter, as it was passed>)``."""
    names = code.co_varnames
    posonly = code.co_posonlyargcount
    positional = code.co_argcount
    kwonly = names[positional : positional + code.co_kwonlyargcount]
    index = positional + code.co_kwonlyargcount
    vararg = names[index] if code.co_flags & inspect.CO_VARARGS else None
    index += 1 if vararg else 0
    varkw = names[index] if code.co_flags & inspect.CO_VARKEYWORDS else None
    arguments = ast.arguments(
        posonlyargs=[ast.arg(arg=name) for name in names[:posonly]],
        args=[ast.arg(arg=name) for name in names[posonly:positional]],
        vararg=ast.arg(arg=vararg) if vararg else None,
        kwonlyargs=[ast.arg(arg=name) for name in kwonly],
        kw_defaults=[None] * len(kwonly),
        kwarg=ast.arg(arg=varkw) if varkw else None,
        defaults=[],
    )
    call_args: list[ast.expr] = [_load(name) for name in names[:positional]]
    if vararg:
        call_args.append(ast.Starred(value=_load(vararg), ctx=ast.Load()))
    keywords = [ast.keyword(arg=name, value=_load(name)) for name in kwonly]
    if varkw:
        keywords.append(ast.keyword(arg=None, value=_load(varkw)))
    callee = ast.Attribute(value=ast.Constant(CLONE_MARK), attr="__call__", ctx=ast.Load())
    call: ast.expr = ast.Call(func=callee, args=call_args, keywords=keywords)
    return _trampoline_node(code, arguments, call)


def _trampoline_node(code: types.CodeType, arguments: ast.arguments, call: ast.expr) -> _AnyDef:
    # Naming the free variables after the return makes them free here too (never run).
    keep_free = [ast.Expr(_load(name)) for name in code.co_freevars]
    if code.co_flags & inspect.CO_COROUTINE:
        body: list[ast.stmt] = [ast.Return(ast.Await(call)), *keep_free]
        return ast.AsyncFunctionDef(
            name="trampoline", args=arguments, body=body, decorator_list=[], lineno=1
        )
    if code.co_flags & inspect.CO_GENERATOR:
        call = ast.YieldFrom(call)
    body = [ast.Return(call), *keep_free]
    return ast.FunctionDef(
        name="trampoline", args=arguments, body=body, decorator_list=[], lineno=1
    )


def _load(name: str) -> ast.expr:
    return ast.Name(id=name, ctx=ast.Load())


def _compile_trampoline(module: ast.Module, code: types.CodeType) -> types.CodeType | None:
    try:
        compiled = compile(module, code.co_filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, TypeError):
        return None
    found = next((c for c in _nested_codes(compiled) if c.co_name == "trampoline"), None)
    if found is None or not _same_layout(found, code):
        return None
    found = found.replace(
        co_name=code.co_name, co_qualname=code.co_qualname, co_firstlineno=code.co_firstlineno
    )
    return _carry_flags(found, code)


def _same_layout(built: types.CodeType, running: types.CodeType) -> bool:
    """Same parameters, free variables and kind: Python accepts it as the function's code."""
    nargs = running.co_argcount + running.co_kwonlyargcount
    nargs += bool(running.co_flags & inspect.CO_VARARGS)
    nargs += bool(running.co_flags & inspect.CO_VARKEYWORDS)
    return (
        built.co_varnames[:nargs] == running.co_varnames[:nargs]
        and built.co_argcount == running.co_argcount
        and built.co_posonlyargcount == running.co_posonlyargcount
        and built.co_kwonlyargcount == running.co_kwonlyargcount
        and built.co_freevars == running.co_freevars
        and (built.co_flags ^ running.co_flags) & _LAYOUT_FLAGS == 0
    )


def _clone(function: types.FunctionType) -> types.FunctionType:
    """A second function object running the original code, for the trampoline to call."""
    clone = types.FunctionType(
        function.__code__,
        function.__globals__,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    clone.__kwdefaults__ = function.__kwdefaults__
    clone.__qualname__ = function.__qualname__
    return clone
