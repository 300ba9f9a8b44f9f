"""Ranges, slices and ``...``: small built-in values that are their arguments and nothing else.

A ``range`` is its start, stop and step, recorded as ``!builtins.range [0, 10, 2]``
(``!builtins.range [0, 3]`` when it counts by one) and written in a test as it was made,
``range(0, 10, 2)``. A slice is what ``obj[1:5]`` hands to ``__getitem__``: ``!builtins.slice
[1, 5, null]``, written ``slice(1, 5)`` (and ``obj[1:5]`` in a docstring example); one whose
bounds are not integers or None (a label slice of a table) is kept ``!opaque``, as a value
pytead cannot write. ``...`` (``Ellipsis``) is ``!builtins.Ellipsis {}``, written ``...``. All
three compare by value (or are one object), so a test compares them with ``==``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_ELLIPSIS_TYPE: type = type(...)


def _is_int(part: object) -> bool:
    return isinstance(part, int) and not isinstance(part, bool)


def _range_encode(value: range) -> list[int]:
    parts = [value.start, value.stop, value.step]
    return parts[:2] if value.step == 1 else parts


def _range_decode(data: Any) -> range:
    if not isinstance(data, list) or not 2 <= len(data) <= 3 or not all(map(_is_int, data)):
        raise ValueError(
            "a !builtins.range value is a list of 2 or 3 integers: [start, stop, step]"
        )
    if len(data) == 3 and data[2] == 0:
        raise ValueError("the step of a !builtins.range value cannot be 0")
    return range(*data)


def _range_source(data: Any) -> tuple[str, set[tuple[str, str]]]:
    return repr(_range_decode(data)), set()


def _slice_encode(value: slice) -> list[int | None]:
    parts = [value.start, value.stop, value.step]
    if not all(part is None or _is_int(part) for part in parts):
        raise ValueError("a slice whose bounds are not integers or None cannot be written")
    return parts


def _slice_decode(data: Any) -> slice:
    if (
        not isinstance(data, list)
        or len(data) != 3
        or not all(part is None or _is_int(part) for part in data)
    ):
        raise ValueError(
            "a !builtins.slice value is a list of 3 integers or nulls: [start, stop, step]"
        )
    return slice(*data)


def _slice_source(data: Any) -> tuple[str, set[tuple[str, str]]]:
    start, stop, step = _slice_decode(data).start, data[1], data[2]
    shown = [start, stop] if step is None else [start, stop, step]
    return f"slice({', '.join(map(repr, shown))})", set()


def _ellipsis_encode(_value: object) -> dict[str, Any]:
    return {}


def _ellipsis_decode(data: Any) -> Any:
    if data not in ({}, None):
        raise ValueError("a !builtins.Ellipsis value holds nothing: write it as {}")
    return ...


def _ellipsis_source(_data: Any) -> tuple[str, set[tuple[str, str]]]:
    return "...", set()


#: ``(type, tag, encode, decode, source)`` of each codec of this module.
RANGE_CODECS: tuple[tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any], ...] = (
    (range, "builtins.range", _range_encode, _range_decode, _range_source),
    (slice, "builtins.slice", _slice_encode, _slice_decode, _slice_source),
    (_ELLIPSIS_TYPE, "builtins.Ellipsis", _ellipsis_encode, _ellipsis_decode, _ellipsis_source),
)
