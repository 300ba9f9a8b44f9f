"""``@pytead.trace``: the same capture as ``pytead run``, without the command line.

The decorator hands back the very function it was given, observed through ``sys.monitoring``
(3.12+) or through its own instrumented code (3.11). Only a callable without Python code gets a
wrapper, which keeps ``__wrapped__``, the signature and ``iscoroutinefunction``. A failure to
set up tracing is logged and the function is returned untouched: decorating must never break
the program.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, overload

from pytead._binding import Binder
from pytead._capture import make_wrapper
from pytead._codec.nodes import importable_module_name
from pytead._model import Kind
from pytead._session import get_session
from pytead._targets import Target, target_info

log = logging.getLogger("pytead")

F = TypeVar("F", bound=Callable[..., Any])


@overload
def trace(function: F, /) -> F: ...


@overload
def trace(
    *, limit: int | None = None, storage_dir: str | Path | None = None
) -> Callable[[F], F]: ...


def trace(
    function: Any = None, /, *, limit: int | None = None, storage_dir: str | Path | None = None
) -> Any:
    """Record real calls of the decorated function or method into YAML fixtures.

    Usable bare (``@trace``) or with settings (``@trace(limit=5)``). Works on functions,
    methods, classmethods and staticmethods (either order), async functions and generators.

    Args:
        function: The function to trace (given when used bare).
        limit: Distinct cases to keep for this target (default: the configured limit).
        storage_dir: Where its fixture goes (default: the configured storage dir).

    Decorate the function, then run the program as usual; its calls land in
    ``call_logs/<module>/double.yaml`` when the program ends:

    ```python
    import pytead

    @pytead.trace(limit=3)
    def double(x):
        return 2 * x
    ```
    """
    directory = Path(storage_dir) if storage_dir is not None else None
    if function is None:
        return lambda fn: _traced_safely(fn, limit=limit, storage_dir=directory)
    return _traced_safely(function, limit=limit, storage_dir=directory)


def _traced_safely(function: Any, *, limit: int | None, storage_dir: Path | None) -> Any:
    try:
        return _traced(function, limit=limit, storage_dir=storage_dir)
    except Exception as exc:
        log.warning("pytead: cannot trace %r (%s); it runs untraced", function, exc)
        return function


def _traced(function: Any, *, limit: int | None, storage_dir: Path | None) -> Any:
    if isinstance(function, (classmethod, staticmethod)):
        kind: Kind = "classmethod" if isinstance(function, classmethod) else "staticmethod"
        inner = _traced_plain(function.__func__, kind, limit=limit, storage_dir=storage_dir)
        return function if inner is function.__func__ else type(function)(inner)
    return _traced_plain(function, _guess_kind(function), limit=limit, storage_dir=storage_dir)


def _traced_plain(function: Any, kind: Kind, *, limit: int | None, storage_dir: Path | None) -> Any:
    module = importable_module_name(str(function.__module__))
    name = f"{module}.{function.__qualname__}"
    info = target_info(name, module, kind, function)
    target = Target(info, function, owner=None, attribute=function.__name__)
    session = get_session()
    if session.observe(target, limit=limit, storage_dir=storage_dir) is not None:
        return function
    state = session.recorder.add_target(
        info, receiver=target.has_receiver, limit=limit, storage_dir=storage_dir
    )
    return make_wrapper(
        function, state, Binder(function, receiver=target.has_receiver), session.recorder
    )


def _guess_kind(function: Any) -> Kind:
    """At decoration time the class does not exist yet: read the kind off the qualname."""
    parts = function.__qualname__.split(".")
    if len(parts) < 2 or parts[-2] == "<locals>":
        return "function"
    params = list(inspect.signature(function).parameters)
    if params and params[0] == "self":
        return "method"
    if params and params[0] == "cls":
        return "classmethod"
    return "staticmethod"
