"""A function's own code, compiled again from its source with calls to a probe.

The 3.11 backend swaps a target's ``__code__`` for such a code object, so the function object
(and every reference to it, taken before or after) stays the same and reaches the recorder.
The function's ``def`` is found in its file and compiled again inside a scaffold that
reproduces its qualified name, free variables and the module's imports; it must give a code
object equal to the running one (bytecode, constants, names, line and column table) before the
probe calls are added. The result runs in the function's own frame: the caller,
``sys._getframe(1)``, ``warnings.warn(stacklevel=2)`` and tracebacks see no difference. Without
a faithful source, `pytead._trampoline` builds the code instead.

The probe is handed over in the code's constants, never through a global name, and no local
name is added (``locals()`` reads the same)::

    def f(a, b=1):
        PROBE.enter(("a", "b"), (a, b))     # the parameters, by name, as the call starts
        try:
            try:
                ...                         # return X -> return PROBE.returned(X)
            except:                         # yield X -> yield from PROBE.step(X)
                PROBE.raised()              # yield from X -> yield from PROBE.delegate(X)
                raise
            finally:
                PROBE.leave()               # the call is over: record how it ended
        except:                             # on the `def` line: see `instrument_def`
            raise

Asked for lines (`pytead._linecover`), each statement of the function's own body (not of
nested classes) is preceded by ``PROBE.line(N)``, placed on the statement's own line so that a
tracer sees the same lines run; in the body of a function defined inside it, the call is
``PROBE.nested_line(N)``, which finds the target's call a few frames up.
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

#: The constant standing in for the probe until the code is compiled.
PROBE_MARK = "\x00pytead:probe"

#: Flags of ``from __future__`` imports, which a code object carries (``nested_scopes`` is
#: ``CO_NESTED``, a property of the function rather than of its module: left out).
_FUTURE_FLAGS = sum(
    getattr(__future__, name).compiler_flag
    for name in __future__.all_feature_names
    if name != "nested_scopes"
)
AnyDef = ast.FunctionDef | ast.AsyncFunctionDef
_Node = TypeVar("_Node", bound=ast.AST)
_BLOCKS = (ast.ExceptHandler, ast.match_case)  # parts of a statement holding statements


# -- from source ------------------------------------------------------------------------------


def from_source(
    function: types.FunctionType, probe: object, *, lines: bool = False
) -> types.CodeType | None:
    """Recompile *function* from its source, with the probe calls; ``None`` if not faithful.

    With *lines*, the probe is also told each line of the function's body that runs.
    """
    code = function.__code__
    found = _find_def(code, function.__globals__)
    if found is None:
        return None
    node, imports = found
    pristine = _compile(_scaffold(copy.deepcopy(node), code, imports), code)
    if pristine is None or not same_code(carry_flags(pristine, code), code):
        return None
    probed = instrument_def(copy.deepcopy(node), lines=lines)
    instrumented = _compile(_scaffold(probed, code, imports), code)
    if instrumented is None:
        return None
    return with_constants(carry_flags(instrumented, code), {PROBE_MARK: probe})


def carry_flags(built: types.CodeType, running: types.CodeType) -> types.CodeType:
    """``@types.coroutine`` sets a flag on the code after compiling it: set it again."""
    flag = running.co_flags & inspect.CO_ITERABLE_COROUTINE
    return built.replace(co_flags=built.co_flags | flag) if flag else built


def _find_def(
    code: types.CodeType, module_globals: dict[str, Any]
) -> tuple[AnyDef, list[ast.stmt]] | None:
    """The ``def`` that *code* was compiled from, and the imports of its module."""
    linecache.checkcache(code.co_filename)
    text = "".join(linecache.getlines(code.co_filename, module_globals))
    parsed = _parsed(text, code.co_filename) if text else None
    if parsed is None:
        return None
    tree, imports = parsed
    for node in ast.walk(tree):
        if isinstance(node, AnyDef) and node.name == code.co_name:
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


def _scaffold(node: AnyDef, code: types.CodeType, imports: list[ast.stmt]) -> ast.Module | None:
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
            body = [assign_none(free), *body]
            assigned = True
        body = [scope(kind, name, body)]
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


def assign_none(names: list[str]) -> ast.stmt:
    targets: list[ast.expr] = [ast.Name(id=name, ctx=ast.Store()) for name in names]
    return ast.Assign(targets=targets, value=ast.Constant(None), lineno=1)


def scope(kind: str, name: str, body: list[ast.stmt]) -> ast.stmt:
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
    for found in nested_codes(compiled):
        if found.co_qualname == code.co_qualname and found.co_firstlineno == code.co_firstlineno:
            return found
    return None


def nested_codes(code: types.CodeType) -> Iterator[types.CodeType]:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from nested_codes(const)


def same_code(built: types.CodeType, running: types.CodeType) -> bool:
    """Whether *built* is *running* again: code equality, plus names it leaves out."""
    if built != running:  # bytecode, constants, names, flags, line and exception tables
        return False
    built_all, running_all = [built, *nested_codes(built)], [running, *nested_codes(running)]
    return len(built_all) == len(running_all) and all(
        a.co_qualname == b.co_qualname
        and a.co_freevars == b.co_freevars
        and a.co_cellvars == b.co_cellvars
        for a, b in zip(built_all, running_all, strict=True)
    )


# -- the probe calls --------------------------------------------------------------------------


def instrument_def(node: AnyDef, *, lines: bool = False) -> AnyDef:
    """Add the probe calls to a function definition (see the module docstring)."""
    body = node.body
    docstring = body[:1] if ast.get_docstring(node, clean=False) is not None else []
    rest = body[len(docstring) :] or [ast.Pass()]
    rest = [_Probed().visit(stmt) for stmt in (_with_lines(rest) if lines else rest)]
    recorded = ast.Try(
        body=rest,
        handlers=[_bare_except([_probe_statement("raised"), ast.Raise()])],
        orelse=[],
        finalbody=[_probe_statement("leave")],
    )
    # Line events stay those of the untraced function: the call starts on the line of the
    # first statement, the probe's own instructions have no line (see `_unplaced`), and an
    # exception leaving the body leaves from the `def` line, which ran at import already (a
    # line-coverage tool sees nothing new).
    leaving = ast.Try(
        body=[_unplaced(recorded)],
        handlers=[_place(_bare_except([ast.Raise()]), node)],
        orelse=[],
        finalbody=[],
    )
    # On the line of the first statement that runs code: a `global` declaration runs none.
    first = next(filter(None, map(_first_line_node, rest)), rest[0])
    enter = _on_line(_probe_statement("enter", *_parameters(node.args)), first)
    node.body = [*docstring, enter, _unplaced(leaving)]
    return node


#: Statements that run no instruction of their own: a line probe there would add a line event.
_NO_CODE = (ast.Global, ast.Nonlocal)


def _with_lines(statements: list[ast.stmt], method: str = "line") -> list[ast.stmt]:
    """*statements*, each preceded by ``PROBE.<method>(N)`` (and so, in turn, their blocks')."""
    probed: list[ast.stmt] = []
    for statement in statements:
        _lines_inside(statement, method)
        where = _first_line_node(statement)
        if where is not None:
            line = ast.Constant(where.lineno)
            probed.append(_on_line(_probe_statement(method, line), where))
        probed.append(statement)
    return probed


def _lines_inside(statement: ast.stmt, method: str) -> None:
    """Add line probes to the blocks of a compound statement and to the functions defined in
    it (``nested_line``), not to nested classes."""
    if isinstance(statement, ast.ClassDef):
        return
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        body = statement.body
        docstring = body[:1] if ast.get_docstring(statement, clean=False) is not None else []
        if body[len(docstring) :]:
            statement.body = [*docstring, *_with_lines(body[len(docstring) :], "nested_line")]
        return
    for name in ("body", "orelse", "finalbody"):
        block = getattr(statement, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            setattr(statement, name, _with_lines(block, method))
    for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        part.body = _with_lines(part.body, method)


#: The part of a statement that runs first, when it is not the statement's own first line.
_FIRST_PART = {
    ast.Assign: "value",
    ast.AnnAssign: "value",
    ast.Return: "value",
    ast.Expr: "value",
    ast.If: "test",
    ast.While: "test",
    ast.For: "iter",
    ast.AsyncFor: "iter",
    ast.Raise: "exc",
    ast.Assert: "test",
    ast.Match: "subject",
}
#: The part of an expression that is evaluated first.
_FIRST_OPERAND = {
    ast.BinOp: "left",
    ast.Compare: "left",
    ast.Call: "func",
    ast.Attribute: "value",
    ast.Subscript: "value",
    ast.IfExp: "test",
    ast.NamedExpr: "value",
    ast.Await: "value",
    ast.Starred: "value",
    ast.UnaryOp: "operand",
}


def _first_line_node(statement: ast.stmt) -> ast.stmt | ast.expr | None:
    """Where the first instruction of *statement* is: its first decorator, the first part of
    it evaluated (``x = (⏎ f())`` starts on the line of ``f()``), or itself.

    ``None`` for what compiles to nothing: a declaration, a local's bare annotation.
    """
    if isinstance(statement, _NO_CODE):
        return None
    if isinstance(statement, ast.AnnAssign) and statement.value is None:
        return None if isinstance(statement.target, ast.Name) else statement
    decorators: list[ast.expr] | None = getattr(statement, "decorator_list", None)
    if decorators:
        return decorators[0]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return _first_evaluated(statement.items[0].context_expr)
    part = getattr(statement, _FIRST_PART.get(type(statement), ""), None)
    return _first_evaluated(part) if isinstance(part, ast.expr) else statement


def _first_evaluated(node: ast.expr) -> ast.expr:
    """The innermost part of *node* whose instruction runs first."""
    while True:
        if isinstance(node, ast.BoolOp):
            node = node.values[0]
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            # Constants only: one constant, folded, where the display starts.
            if not node.elts or all(isinstance(e, ast.Constant) for e in node.elts):
                return node
            node = node.elts[0]
        else:
            part = getattr(node, _FIRST_OPERAND.get(type(node), ""), None)
            if not isinstance(part, ast.expr):
                return node
            node = part


def _on_line(node: _Node, where: ast.AST) -> _Node:
    """Give *node*'s new parts the first line of *where* only; the original nodes keep theirs.

    Not *where*'s whole span: the compiler places a method call spanning several lines on its
    last line (for tracebacks), which would be a line event of its own.
    """
    line, column = getattr(where, "lineno", 1), getattr(where, "col_offset", 0)
    for child in ast.walk(node):
        if "lineno" in child._attributes and not hasattr(child, "lineno"):
            child.lineno = child.end_lineno = line  # type: ignore[attr-defined]
            child.col_offset = child.end_col_offset = column  # type: ignore[attr-defined]
    return node


def _parameters(arguments: ast.arguments) -> tuple[ast.expr, ast.expr]:
    """``("a", "b")`` and ``(a, b)``: the parameters' names (one constant) and their values."""
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    names += [arguments.vararg.arg] if arguments.vararg else []
    names += [a.arg for a in arguments.kwonlyargs]
    names += [arguments.kwarg.arg] if arguments.kwarg else []
    values = ast.Tuple(elts=[ast.Name(id=name, ctx=ast.Load()) for name in names], ctx=ast.Load())
    constant = ast.Tuple(elts=[ast.Constant(name) for name in names], ctx=ast.Load())  # folded
    return constant, values


def _bare_except(body: list[ast.stmt]) -> ast.ExceptHandler:
    return ast.ExceptHandler(type=None, name=None, body=body)


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
        # On one line, where the value's first instruction is: a call spanning the lines of
        # the statement would run on its last line, a line event of its own.
        where = _first_evaluated(node.value) if node.value is not None else node
        node.value = _on_line(_probe_call("returned", node.value, where), where)
        return node

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        # `(yield from PROBE.step(X)) if PROBE.stepping() else (yield X)`: a recorded call's
        # yield goes through a one-item generator of the probe, which sees the item and how
        # the consumer resumes the generator (next, send, throw); any other call yields as is.
        self.generic_visit(node)
        stepping = _probe_call("stepping", None, node, arguments=0)
        step = ast.YieldFrom(value=_probe_call("step", copy.deepcopy(node.value), node))
        return _place(ast.IfExp(test=stepping, body=_place(step, node), orelse=node), node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        self.generic_visit(node)
        node.value = _probe_call("delegate", node.value, node)
        return node


def _probe_call(
    method: str, value: ast.expr | None, where: ast.AST, *, arguments: int = 1
) -> ast.expr:
    argument = value if value is not None else _place(ast.Constant(None), where)
    callee = ast.Attribute(value=ast.Constant(PROBE_MARK), attr=method, ctx=ast.Load())
    call = ast.Call(func=callee, args=[argument][:arguments], keywords=[])
    return _place(call, where)


def _probe_statement(method: str, *args: ast.expr) -> ast.stmt:
    callee = ast.Attribute(value=ast.Constant(PROBE_MARK), attr=method, ctx=ast.Load())
    return ast.Expr(ast.Call(func=callee, args=list(args), keywords=[]))


def _unplaced(node: _Node) -> _Node:
    """Mark *node*'s new parts as having no source position; the original nodes keep theirs.

    The compiler then gives their instructions the line of the instruction before them: a
    tracer or coverage tool sees the same line events as in the untraced function (the probe
    called as the call ends shares the line of the ``return`` or ``raise`` that ended it).
    """
    for child in ast.walk(node):
        if "lineno" in child._attributes and not hasattr(child, "lineno"):
            for attribute in ("lineno", "end_lineno", "col_offset", "end_col_offset"):
                setattr(child, attribute, -1)
    return node


def _place(node: _Node, where: ast.AST) -> _Node:
    """Give *node* (and its new children) *where*'s position; the original nodes keep theirs."""
    for child in ast.walk(node):
        if "lineno" in child._attributes and not hasattr(child, "lineno"):
            ast.copy_location(child, where)
    return node


def with_constants(code: types.CodeType, replacements: dict[str, object]) -> types.CodeType:
    """*code* with the constants named in *replacements* replaced, in nested code too (code
    holding none of them is left as it is)."""
    consts = tuple(_replaced(const, replacements) for const in code.co_consts)
    if all(new is old for new, old in zip(consts, code.co_consts, strict=True)):
        return code
    return code.replace(co_consts=consts)


def _replaced(const: object, replacements: dict[str, object]) -> object:
    if type(const) is str:  # exact type: a str subclass is the user's
        return replacements.get(const, const)
    if isinstance(const, types.CodeType):
        return with_constants(const, replacements)
    return const
