"""Trampolines: code with a function's parameters that calls a clone of the function.

When a target's source cannot be found or does not compile back to its code (a function built
by ``exec``, a lambda, a file edited since it was imported), the 3.11 backend swaps its
``__code__`` for a trampoline instead: same parameters, same free variables, same name, file and
first line, with the probe calls of `pytead._rewrite` around a call of a clone that runs the
original code. The function object keeps its identity; the trampoline costs one frame, named
and placed like the function itself, which is what ``sys._getframe(1)`` then sees.
"""

from __future__ import annotations

import ast
import inspect
import types

from pytead._rewrite import (
    PROBE_MARK,
    AnyDef,
    assign_none,
    carry_flags,
    instrument_def,
    nested_codes,
    scope,
    with_constants,
)

#: The constant standing in for the clone until the code is compiled.
CLONE_MARK = "\x00pytead:clone"

_LAYOUT_FLAGS = (
    inspect.CO_GENERATOR
    | inspect.CO_COROUTINE
    | inspect.CO_ASYNC_GENERATOR
    | inspect.CO_VARARGS
    | inspect.CO_VARKEYWORDS
)


def trampoline(function: types.FunctionType, probe: object) -> types.CodeType | None:
    """Code with *function*'s parameters that calls a clone of it; ``None`` if impossible."""
    code = function.__code__
    if code.co_flags & inspect.CO_ASYNC_GENERATOR:
        return None
    # Every part of the trampoline sits on one line, which becomes the function's first line.
    node = instrument_def(ast.fix_missing_locations(_trampoline_def(code)))
    scopes: list[tuple[str, str]] = [("function", "outer")]
    if "__class__" in code.co_freevars:
        scopes.append(("class", "Owner"))
    free = [name for name in code.co_freevars if name != "__class__"]
    body: list[ast.stmt] = [node]
    for kind, name in reversed(scopes):
        if kind == "function" and free:
            body = [assign_none(free), *body]
        body = [scope(kind, name, body)]
    module = ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))
    built = _compile_trampoline(module, code)
    if built is None:
        return None
    clone = _clone(function)
    return with_constants(built, {PROBE_MARK: probe, CLONE_MARK: clone})


def _trampoline_def(code: types.CodeType) -> AnyDef:
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


def _trampoline_node(code: types.CodeType, arguments: ast.arguments, call: ast.expr) -> AnyDef:
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
    found = next((c for c in nested_codes(compiled) if c.co_name == "trampoline"), None)
    if found is None or not _same_layout(found, code):
        return None
    found = found.replace(
        co_name=code.co_name, co_qualname=code.co_qualname, co_firstlineno=code.co_firstlineno
    )
    return carry_flags(found, code)


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
