"""Functions as values: the codec of ``functools.partial``, and what is kept of a function that
cannot be imported by name.

A partial is its function and the arguments bound to it, so it is recorded as those three
(``!functools.partial {func: !ref mod.f, args: [...], keywords: {...}}``), rebuilt by calling
``functools.partial`` again, and written in a test as ``functools.partial(f, 1, key=2)`` when
its function can be imported by name. A partial of a lambda keeps its function ``!opaque``:
the case is kept in the fixture and never written as code.

A function that cannot be imported by name (a lambda, a function defined inside a test, the
new function a decorator returns) is recorded as ``!function`` (`function_payload`): its
``module`` and ``qualname``, the function it wraps (``__wrapped__``, set by `functools.wraps`),
and where its source is -- the ``file`` relative to the project's root, its first ``line``, for a
lambda the ``body`` span its bytecode covers, and the names of its ``closure`` variables. A test
checks a returned function by those names (`pytead._fnchecks`); gen-tests writes a function
argument from the project's own source (`pytead._localsource`). A function hidden behind the
decorated one its module exports (``validators.between.between`` is the wrapper, the function
it wraps is ``between.__wrapped__``) is found again by its name and `unwrapped_function`.
Nothing else of it is kept: its code lives in the project, never in the fixture.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytead._codec.nodes import importable_module_name
from pytead._names import is_dotted

#: The tag of a recorded partial.
PARTIAL_TAG = "functools.partial"


def _partial_encode(value: functools.partial[Any]) -> dict[str, Any]:
    """The function, positional and keyword arguments a partial holds."""
    return {"func": value.func, "args": list(value.args), "keywords": dict(value.keywords)}


def _partial_decode(data: Any) -> functools.partial[Any]:
    """Build the partial again; a payload that is not one gives a clear error."""
    if not isinstance(data, dict) or not callable(data.get("func")):
        raise ValueError("a !functools.partial value needs a callable 'func'")
    return functools.partial(data["func"], *data.get("args", []), **data.get("keywords", {}))


def _partial_source(data: Any) -> tuple[str, set[tuple[str, str]]]:
    """``functools.partial(f, *args, **keywords)``, each part written by the codec itself."""
    from pytead._codec.encoder import Encoder
    from pytead._codec.source import render_source

    encoder = Encoder()
    func = render_source(encoder.encode(data["func"]))
    parts = [func.text]
    imports: set[tuple[str, str]] = {("functools", ""), *func.imports}
    for item in data.get("args", []):
        written = render_source(encoder.encode(item))
        parts.append(written.text)
        imports |= written.imports
    for key, item in data.get("keywords", {}).items():
        if not key.isidentifier():
            raise ValueError(f"keyword {key!r} is not a Python name")
        written = render_source(encoder.encode(item))
        parts.append(f"{key}={written.text}")
        imports |= written.imports
    return f"functools.partial({', '.join(parts)})", imports


#: ``(type, tag, encode, decode, source)`` of the partial codec.
PARTIAL_CODEC: tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any] = (
    functools.partial,
    PARTIAL_TAG,
    _partial_encode,
    _partial_decode,
    _partial_source,
)


def function_payload(value: types.FunctionType, root: Path) -> dict[str, Any] | None:
    """What a ``!function`` node records of *value* (its ``wrapped`` function apart).

    None when its module or qualname is not a plain string (then it stays ``!opaque``). The
    source's place is kept only for a file inside *root*: a path outside the project would
    differ from machine to machine, and gen-tests reads only the project's own files.
    """
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return None
    payload: dict[str, Any] = {"module": importable_module_name(module), "qualname": qualname}
    for key, part in _code_place(value.__code__, root):
        payload[key] = list(part) if isinstance(part, tuple) else part
    return payload


@functools.lru_cache(maxsize=256)
def _code_place(code: types.CodeType, root: Path) -> tuple[tuple[str, Any], ...]:
    """What a ``!function`` node records of its code: parameters, source place, closure.

    Kept per code object, which every lambda made by one expression shares: a program that
    passes a new lambda at each call resolves its file and reads its positions once.
    Parts that are lists are given as tuples; `function_payload` copies them.
    """
    place: list[tuple[str, Any]] = [("params", tuple(code_parameters(code)))]
    file = _relative_file(code.co_filename, root)
    if file is not None:
        place += [("file", file), ("line", code.co_firstlineno)]
        span = lambda_body_span(code) if code.co_name == "<lambda>" else None
        if span is not None:
            place.append(("body", span))
    if code.co_freevars:
        place.append(("closure", code.co_freevars))
    return tuple(place)


def code_parameters(code: types.CodeType) -> list[str]:
    """The parameter names of a function's code, as a signature spells them.

    Examples:
        >>> code_parameters((lambda a, /, b, *rest, c, **more: 0).__code__)
        ['a', '/', 'b', '*rest', 'c', '**more']
    """
    names, positional, keyword = code.co_varnames, code.co_argcount, code.co_kwonlyargcount
    found = list(names[:positional])
    if code.co_posonlyargcount:
        found.insert(code.co_posonlyargcount, "/")
    extra = positional + keyword  # where *args and **kwargs sit among the local names
    if code.co_flags & inspect.CO_VARARGS:
        found.append("*" + names[extra])
        extra += 1
    elif keyword:
        found.append("*")
    found += names[positional : positional + keyword]
    if code.co_flags & inspect.CO_VARKEYWORDS:
        found.append("**" + names[extra])
    return found


def _relative_file(filename: str, root: Path) -> str | None:
    """*filename* as a POSIX path relative to *root*, or None when it is outside (or unreal)."""
    if filename.startswith("<"):  # "<string>", "<stdin>": code with no file
        return None
    try:
        return Path(filename).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def lambda_body_span(code: types.CodeType) -> tuple[int, int, int, int] | None:
    """``(line, column, end line, end column)`` of a lambda's body, from its bytecode positions.

    The union of the positions of its instructions is the span of the body expression, which
    is how gen-tests tells apart two lambdas on one line. The first instruction (``RESUME``)
    sits on the definition's line at column 0 and is left out.
    """
    spans = [
        (line, column, end_line, end_column)
        for line, end_line, column, end_column in code.co_positions()
        if None not in (line, end_line, column, end_column) and (column, end_column) != (0, 0)
    ]
    if not spans:
        return None
    start = min((line, column) for line, column, _, _ in spans)
    end = max((end_line, end_column) for _, _, end_line, end_column in spans)
    return (*start, *end)  # type: ignore[return-value]


#: How many links `unwrapped_function` follows (decorators stacked on one function).
MAX_UNWRAP = 4


def unwrapped_function(
    payload: Any, reach: Callable[[str, str], object]
) -> tuple[tuple[str, ...], types.FunctionType] | None:
    """A ``!function`` its module exports behind a decorator: the attributes that lead to it
    from its name, and the function; None when its name reaches no such function.

    *reach* gets ``(module, qualname)`` and returns what the module binds under that qualname
    (through the trust policy: the names come from a fixture). A link is ``__wrapped__``, set
    by `functools.wraps` and read from the wrapper's ``__dict__`` (no code runs), or the
    ``func`` of a decorator object that keeps the function it wraps as a ``functools.partial``
    does (toolz's ``curry``: ``merge = curry(merge)`` leaves ``merge.func``). The function
    found must have the recorded qualname, module and parameters.
    """
    if not isinstance(payload, dict):
        return None
    module, qualname = payload.get("module"), payload.get("qualname")
    if not is_dotted(module) or not is_dotted(qualname):  # "<locals>": no name reaches it
        return None
    found = reach(str(module), str(qualname))
    path: tuple[str, ...] = ()
    for _ in range(MAX_UNWRAP):
        link, found = _wrapped_by(found)
        if not isinstance(found, types.FunctionType):
            return None
        path += (link,)
        same = (found.__module__, found.__qualname__) == (module, qualname)
        if same and code_parameters(found.__code__) == payload.get("params"):
            return path, found
    return None


def _wrapped_by(wrapper: object) -> tuple[str, object]:
    """The attribute of *wrapper* that holds the function it wraps, and that function."""
    wrapped = getattr(wrapper, "__dict__", {}).get("__wrapped__")  # a plain read
    if wrapped is not None or isinstance(wrapper, types.FunctionType):
        return "__wrapped__", wrapped
    if not callable(wrapper):
        return "func", None
    static = inspect.getattr_static(wrapper, "func", None)
    if static is None or isinstance(static, types.FunctionType):
        return "func", static  # none, or kept as it is (``self.func = func``)
    try:
        return "func", getattr(wrapper, "func")  # noqa: B009  (its own, trusted, code may run)
    except Exception:
        return "func", None


def reach_in_module(module: str, qualname: str) -> object:
    """What *module* binds under *qualname*, importing the module by its own name.

    Not `pytead._codec.nodes.locate`: a package may bind a function under its submodule's
    name (``validators.length`` is the function, ``validators.length.length`` the submodule's).

    Raises:
        LookupError: The module cannot be imported, or binds nothing under that name.
    """
    try:
        found: object = importlib.import_module(module)
    except ImportError as exc:
        raise LookupError(f"cannot import {module!r}: {exc}") from None
    for part in qualname.split("."):
        found = getattr(found, part, _MISSING)
        if found is _MISSING:
            raise LookupError(f"{module}.{qualname} does not exist")
    return found


_MISSING = object()
