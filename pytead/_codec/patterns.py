"""Compiled regular expressions: the codec of ``re.Pattern``.

A compiled pattern is its text and its flags and nothing else, so it is recorded as those two
(``!re.Pattern {pattern: '\\d+', flags: 0}``), rebuilt with ``re.compile`` and written in a
test as ``re.compile("\\d+")`` or ``re.compile("a.b", re.IGNORECASE | re.DOTALL)``. Patterns
compare equal when their text and flags do, so a test compares them with ``==``. The flag a
``str`` pattern always has (``re.UNICODE``) is left out of the record, so that it reads as the
program spelled it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: The tag of a recorded pattern.
PATTERN_TAG = "re.Pattern"


def _implicit_flags(pattern: str | bytes) -> int:
    """The flags ``re.compile`` adds by itself: ``re.UNICODE`` for a text pattern."""
    return int(re.UNICODE) if isinstance(pattern, str) else 0


def _pattern_encode(value: re.Pattern[Any]) -> dict[str, Any]:
    """The pattern's text and the flags it was compiled with."""
    return {"pattern": value.pattern, "flags": value.flags & ~_implicit_flags(value.pattern)}


def _pattern_decode(data: Any) -> re.Pattern[Any]:
    """Compile the pattern again; a payload that is not one gives a clear error."""
    if not isinstance(data, dict) or not isinstance(data.get("pattern"), str | bytes):
        raise ValueError("a !re.Pattern value needs a 'pattern' string")
    flags = data.get("flags", 0)
    if not isinstance(flags, int) or isinstance(flags, bool) or flags < 0:
        raise ValueError("the flags of a !re.Pattern value must be a non-negative integer")
    try:
        return re.compile(data["pattern"], flags)
    except (re.error, ValueError) as error:
        raise ValueError(f"a !re.Pattern value does not compile: {error}") from None


def _flags_source(flags: int) -> str:
    """``re.IGNORECASE | re.DOTALL`` for the flags, or the number when names do not cover it."""
    names = [member for member in re.RegexFlag if member.value and flags & member.value]
    covered = 0
    for member in names:
        covered |= member.value
    if covered != flags:
        return str(flags)
    return " | ".join(f"re.{member.name}" for member in names)


def _pattern_source(data: Any) -> tuple[str, set[tuple[str, str]]]:
    """``re.compile(pattern[, flags])`` for a recorded payload, its text re-escaped."""
    from pytead._codec.source import bytes_literal, str_literal

    compiled = _pattern_decode(data)  # the same checks as replay, before anything is written
    pattern = compiled.pattern
    text = str_literal(pattern) if isinstance(pattern, str) else bytes_literal(pattern)
    flags = compiled.flags & ~_implicit_flags(pattern)
    arguments = f"{text}, {_flags_source(flags)}" if flags else text
    return f"re.compile({arguments})", {("re", "")}


#: ``(type, tag, encode, decode, source)`` of the pattern codec.
PATTERN_CODEC: tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any] = (
    re.Pattern,
    PATTERN_TAG,
    _pattern_encode,
    _pattern_decode,
    _pattern_source,
)
