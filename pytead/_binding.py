"""Bind a call's arguments to parameter names, fast, the way the recorder stores them.

``inspect.Signature.bind`` is exact but slow for a hot path; a `Binder` precomputes the plan once
per target. Arguments left at their default (the very default object) are left out, so a case
shows what the caller chose. ``*args`` and ``**kwargs`` are stored under ``"*args"`` and
``"**kwargs"``, which is also how generated calls splat them back.

A mutable default (``def add(item, bucket=[])``) is one object shared by every call: a call can
change it, and the next call then sees that state. Such a default is handed to the recorder as
`AtDefault`, with its state when the binder was made, so the recorder can tell whether the call
depends on what earlier calls did to it (see `pytead._inputs`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pytead._codec.encoder import Encoder
from pytead._codec.jsonio import canonical
from pytead._codec.nodes import is_replayable

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_MISSING = object()


@dataclass(frozen=True, slots=True)
class AtDefault:
    """A mutable default object the call is about to use.

    Attributes:
        value: The default object itself.
        pristine: Its state (canonical text) when the function was set up for tracing.
    """

    value: Any
    pristine: str

    def changed(self) -> bool:
        """Whether earlier calls (or anything else) changed the default since then."""
        return _state_of(self.value) != self.pristine


def _state_of(value: object) -> str:
    """Canonical text of *value*'s state, to compare a default with itself later."""
    return canonical(Encoder().encode(value))


def _mutable_defaults(defaults: dict[str, Any]) -> dict[str, str]:
    """Parameter -> pristine state, for the defaults a call could change (lists, dicts, objects)."""
    found: dict[str, str] = {}
    for name, default in defaults.items():
        encoder = Encoder()
        node = encoder.encode(default)
        if encoder.mutable_seen and is_replayable(node):  # an opaque state cannot be compared
            found[name] = canonical(node)
    return found


class Binder:
    """The binding plan of one callable.

    Attributes:
        receiver: Name of the ``self``/``cls`` parameter the recorder keeps apart, if any.
    """

    def __init__(self, function: Callable[..., Any], *, receiver: bool = False) -> None:
        params = list(inspect.signature(function, follow_wrapped=False).parameters.values())
        self.receiver = params[0].name if receiver and params else None
        self.params = params
        self.positional = [p.name for p in params if p.kind in _POSITIONAL]
        self.keyword = {
            p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }
        self.var_positional = next((p.name for p in params if p.kind == p.VAR_POSITIONAL), None)
        self.var_keyword = next((p.name for p in params if p.kind == p.VAR_KEYWORD), None)
        self.defaults = {p.name: p.default for p in params if p.default is not p.empty}
        self.mutable_defaults = _mutable_defaults(self.defaults)

    def bind(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, Any] | None:
        """Bind a call made as ``f(*args, **kwargs)``; ``None`` if Python would reject it."""
        bound: dict[str, Any] = dict(zip(self.positional, args, strict=False))
        rest = args[len(self.positional) :]
        if rest:
            if self.var_positional is None:
                return None
            bound["*" + self.var_positional] = list(rest)
        extra: dict[str, Any] = {}
        for name, value in kwargs.items():
            if name in self.keyword and name not in bound:
                bound[name] = value
            elif self.var_keyword is not None and name not in bound:
                extra[name] = value
            else:
                return None
        if extra:
            bound["**" + self.var_keyword] = extra  # type: ignore[operator]
        return self._ordered(bound)

    def from_locals(self, frame_locals: Mapping[str, Any]) -> dict[str, Any]:
        """Bind from a frame's locals at the start of the call (the sys.monitoring path)."""
        bound: dict[str, Any] = {}
        for param in self.params:
            value = frame_locals.get(param.name, _MISSING)
            if value is _MISSING:
                continue
            if param.kind == param.VAR_POSITIONAL:
                if value:
                    bound["*" + param.name] = list(value)
            elif param.kind == param.VAR_KEYWORD:
                if value:
                    bound["**" + param.name] = dict(value)
            else:
                bound[param.name] = value
        return self._ordered(bound)

    def _ordered(self, bound: dict[str, Any]) -> dict[str, Any]:
        # With *args items, every positional parameter before them was passed: keep them all.
        has_rest = self.var_positional is not None and "*" + self.var_positional in bound
        ordered: dict[str, Any] = {}
        for param in self.params:
            key = param.name
            if param.kind == param.VAR_POSITIONAL:
                key = "*" + key
            elif param.kind == param.VAR_KEYWORD:
                key = "**" + key
            value = bound.get(key, _MISSING)
            if value is _MISSING:
                value = self.defaults.get(key, _MISSING)  # left out: the default is used
                if value is _MISSING:
                    continue
            at_default = value is self.defaults.get(key, _MISSING)
            if at_default and not (has_rest and param.kind in _POSITIONAL):
                if key in self.mutable_defaults:
                    ordered[key] = AtDefault(value, self.mutable_defaults[key])
                continue
            ordered[key] = value
        return ordered


def format_signature(function: Callable[..., Any]) -> str:
    """The signature as Python prints it, without memory addresses or quoted annotations.

    Examples:
        >>> def add(a: int, b: int = 1) -> int: ...
        >>> format_signature(add)
        '(a: int, b: int = 1) -> int'
    """
    from pytead._codec.nodes import sanitize_repr

    try:
        signature = inspect.signature(function, follow_wrapped=False)
    except (TypeError, ValueError):
        return "(...)"
    params = [p.replace(annotation=_unquoted(p.annotation)) for p in signature.parameters.values()]
    signature = signature.replace(
        parameters=params, return_annotation=_unquoted(signature.return_annotation)
    )
    return sanitize_repr(str(signature), limit=2000)


class _Text:
    """An annotation written as text (``from __future__ import annotations``), shown unquoted."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _unquoted(annotation: Any) -> Any:
    return _Text(annotation) if isinstance(annotation, str) else annotation
