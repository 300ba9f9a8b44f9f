"""An object's ``repr()`` read as the call that builds it, without ever evaluating it.

Many classes say how to build them in their repr: ``Version(major=1, minor=2, patch=3)``.
Such a repr is the most natural code for the value, but it is text, and evaluating text is what
pytead never does (the object's state comes from a fixture, and a repr may put any of it in
the text). So the repr is parsed, and only one restricted form is accepted: a call whose callee
is a dotted name that resolves, in the namespace of the module defining the object's class, to
a class or function the caller trusts, with arguments that are literals (`ast.literal_eval`) or
calls of the same form. `build_call` then makes the call with the values themselves; the
renderer compares the result with the recorded object and writes the code from the parsed
tree, re-encoding every literal, so that no text of the repr reaches a generated file.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import keyword
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["ReprCall", "build_call", "call_quietly", "find_repr_call"]

#: A longer repr would not read as a value in a test anyway.
MAX_REPR = 2000
#: How deep calls may nest in a repr (``Line(Point(1, 2), Point(3, 4))`` is 2).
MAX_DEPTH = 6

T = TypeVar("T")


@dataclass(frozen=True)
class ReprCall:
    """A call read from a repr.

    Attributes:
        callee: The class or function the callee's name resolved to.
        args: Positional arguments: Python values (literals) or nested calls.
        keywords: ``(name, argument)`` pairs, in the repr's order.
    """

    callee: Callable[..., Any]
    args: tuple[Any, ...]
    keywords: tuple[tuple[str, Any], ...]


def find_repr_call(value: object, trusted: Callable[[object], bool]) -> ReprCall | None:
    """*value*'s repr as a `ReprCall`, if it has the accepted form and *trusted* every callee.

    Examples:
        >>> from fractions import Fraction
        >>> call = find_repr_call(Fraction(1, 3), lambda callee: callee is Fraction)
        >>> call.callee.__name__, call.args
        ('Fraction', (1, 3))
    """
    found, text = call_quietly(repr, value)
    if not found or not isinstance(text, str) or len(text) > MAX_REPR:
        return None
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    module = sys.modules.get(type(value).__module__)
    namespace = vars(module) if module is not None else {}
    return _call(tree, namespace, trusted, 0)


def build_call(call: ReprCall) -> Any:
    """Make *call* with its values (nested calls first), as the repr says."""
    args = [_built(item) for item in call.args]
    keywords = {name: _built(item) for name, item in call.keywords}
    return call.callee(*args, **keywords)


def call_quietly(function: Callable[..., T], *args: Any) -> tuple[bool, T | None]:
    """``(True, result)`` of the project's *function*, or ``(False, None)`` if it raised.

    What the project's code prints while pytead checks a candidate is not pytead's output.
    """
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            return True, function(*args)
    except Exception:
        return False, None


def _built(item: Any) -> Any:
    return build_call(item) if isinstance(item, ReprCall) else item


def _call(
    node: ast.expr, namespace: dict[str, Any], trusted: Callable[[object], bool], depth: int
) -> ReprCall | None:
    if not isinstance(node, ast.Call) or depth > MAX_DEPTH:
        return None
    callee = _resolve(node.func, namespace)
    if callee is None or not trusted(callee):
        return None
    args = [_argument(item, namespace, trusted, depth) for item in node.args]
    keywords = [
        (item.arg, _argument(item.value, namespace, trusted, depth)) for item in node.keywords
    ]
    if any(arg is _REFUSED for arg in args) or any(v is _REFUSED for _, v in keywords):
        return None
    if not all(name is not None and not keyword.iskeyword(name) for name, _ in keywords):
        return None  # ``**mapping``
    return ReprCall(callee, tuple(args), tuple((str(k), v) for k, v in keywords))


_REFUSED = object()


def _argument(
    node: ast.expr, namespace: dict[str, Any], trusted: Callable[[object], bool], depth: int
) -> Any:
    """A literal's value, a nested call, or `_REFUSED`."""
    if isinstance(node, ast.Starred):
        return _REFUSED
    if isinstance(node, ast.Call):
        nested = _call(node, namespace, trusted, depth + 1)
        return _REFUSED if nested is None else nested
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _REFUSED


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    """What a dotted callee names in *namespace*, looked up statically (no property runs)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in namespace:
        return None
    found = namespace[node.id]
    for part in reversed(parts):
        if part.startswith("__"):
            return None
        try:
            found = inspect.getattr_static(found, part)
        except AttributeError:
            return None
    return found if isinstance(found, type) or inspect.isfunction(found) else None
