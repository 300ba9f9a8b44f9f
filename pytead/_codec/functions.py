"""Functions as values: the codec of ``functools.partial``.

A partial is its function and the arguments bound to it, so it is recorded as those three
(``!functools.partial {func: !ref mod.f, args: [...], keywords: {...}}``), rebuilt by calling
``functools.partial`` again, and written in a test as ``functools.partial(f, 1, key=2)`` when
its function can be imported by name. A partial of a lambda keeps its function ``!opaque``:
the case is kept in the fixture and never written as code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

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
