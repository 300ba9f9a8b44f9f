"""A small AST mutator: the mutants the field benchmark runs the generated tests against.

Each mutant changes one thing inside one target function (a method, or a function of a module)
and leaves every other line of the file as it was: the function's own lines are replaced by the
unparsed, mutated function, re-indented, and the rest of the file is kept byte for byte. The
operators are the classic ones: swap ``+``/``-``, negate a comparison, add 1 to a number,
``return x`` -> ``return None``, flip a boolean constant, drop the body of an ``if``.
"""

from __future__ import annotations

import ast
import copy
import random
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_SWAPPED_BINOPS: dict[type[ast.operator], type[ast.operator]] = {ast.Add: ast.Sub, ast.Sub: ast.Add}
_NEGATED_COMPARISONS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    """One change to one target function.

    Attributes:
        target: The traced target the function belongs to (``pkg.mod.Class.method``).
        path: The source file, relative to the folder the package was copied to.
        qualname: The function's qualified name in its module.
        operator: Which operator made it (``swap-binop``, ``negate-compare``, ...).
        index: Which site of that operator in the function, in source order.
        line: The line of the changed node in the original file.
    """

    target: str
    path: str
    qualname: str
    operator: str
    index: int
    line: int

    @property
    def label(self) -> str:
        """A short readable name, e.g. ``toolz/itertoolz.py:120 negate-compare#2``."""
        return f"{self.path}:{self.line} {self.operator}#{self.index}"


# -- operators: each yields the nodes it can change and changes one in place --------------------

Site = tuple[ast.AST, Callable[[], None]]


def _swap_binops(tree: ast.AST) -> Iterator[Site]:
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _SWAPPED_BINOPS:

            def change(target: ast.BinOp | ast.AugAssign = node) -> None:
                target.op = _SWAPPED_BINOPS[type(target.op)]()

            yield node, change


def _negate_comparisons(tree: ast.AST) -> Iterator[Site]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _NEGATED_COMPARISONS:

            def change(target: ast.Compare = node) -> None:
                target.ops[0] = _NEGATED_COMPARISONS[type(target.ops[0])]()

            yield node, change


def _bump_numbers(tree: ast.AST) -> Iterator[Site]:
    for node in ast.walk(tree):
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(value, int | float) and not isinstance(value, bool):

            def change(target: ast.Constant = node) -> None:
                target.value = target.value + 1

            yield node, change


def _return_none(tree: ast.AST) -> Iterator[Site]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and not _is_none(node.value):

            def change(target: ast.Return = node) -> None:
                target.value = ast.Constant(None)

            yield node, change


def _flip_booleans(tree: ast.AST) -> Iterator[Site]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):

            def change(target: ast.Constant = node) -> None:
                target.value = not target.value

            yield node, change


def _drop_if_bodies(tree: ast.AST) -> Iterator[Site]:
    for node in ast.walk(tree):
        if isinstance(node, ast.If):

            def change(target: ast.If = node) -> None:
                target.body = [ast.Pass()]

            yield node, change


def _is_none(node: ast.expr | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


OPERATORS: dict[str, Callable[[ast.AST], Iterator[Site]]] = {
    "swap-binop": _swap_binops,
    "negate-compare": _negate_comparisons,
    "bump-number": _bump_numbers,
    "return-none": _return_none,
    "flip-bool": _flip_booleans,
    "drop-if-body": _drop_if_bodies,
}


# -- finding the function, listing and applying mutants ----------------------------------------

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def find_function(tree: ast.Module, qualname: str) -> FunctionNode | None:
    """The definition of *qualname* (``Class.method``, ``func``) at the top of *tree*."""
    scope: list[ast.stmt] = tree.body
    found: ast.AST | None = None
    for part in qualname.split("."):
        found = next(
            (node for node in scope if _defines(node, part)),
            None,
        )
        if found is None:
            return None
        scope = found.body if isinstance(found, ast.ClassDef | FunctionNode) else []
    return found if isinstance(found, FunctionNode) else None


def _defines(node: ast.stmt, name: str) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name == name
    return False


def list_mutants(source: str, *, target: str, path: str, qualname: str) -> list[Mutant]:
    """Every mutant of *qualname* in *source*, in a stable order (operator, then source order)."""
    function = find_function(ast.parse(source), qualname)
    if function is None:
        return []
    mutants = []
    for operator, sites in OPERATORS.items():
        for index, (node, _change) in enumerate(_ordered(sites(_body_only(function)))):
            line = getattr(node, "lineno", function.lineno)
            mutants.append(Mutant(target, path, qualname, operator, index, line))
    return mutants


def _ordered(sites: Iterator[Site]) -> list[Site]:
    """Sites in source order (``ast.walk`` is breadth-first)."""
    return sorted(
        sites, key=lambda site: (getattr(site[0], "lineno", 0), getattr(site[0], "col_offset", 0))
    )


def _body_only(function: FunctionNode) -> ast.Module:
    """The function's statements, without its docstring, decorators, defaults or annotations."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return ast.Module(body=body, type_ignores=[])


def apply_mutant(source: str, mutant: Mutant) -> str:
    """*source* with *mutant* applied: only the function's own lines change."""
    tree = ast.parse(source)
    function = find_function(tree, mutant.qualname)
    if function is None:
        raise LookupError(f"{mutant.qualname} is not defined in {mutant.path}")
    changed = copy.deepcopy(function)
    sites = _ordered(OPERATORS[mutant.operator](_body_only(changed)))
    _node, change = sites[mutant.index]
    change()
    changed.decorator_list = []  # the original decorator lines are kept as they are
    lines = source.splitlines(keepends=True)
    start, end = function.lineno - 1, function.end_lineno or function.lineno
    indent = lines[start][: function.col_offset]
    text = textwrap.indent(ast.unparse(ast.fix_missing_locations(changed)), indent) + "\n"
    return "".join([*lines[:start], text, *lines[end:]])


def sample(mutants: list[Mutant], *, size: int, seed: str) -> list[Mutant]:
    """At most *size* mutants, drawn reproducibly from *seed*, back in their listed order."""
    if len(mutants) <= size:
        return list(mutants)
    chosen = set(random.Random(seed).sample(range(len(mutants)), size))
    return [mutant for index, mutant in enumerate(mutants) if index in chosen]
