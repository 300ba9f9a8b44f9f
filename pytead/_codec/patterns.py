"""Compiled regular expressions: the codec of ``re.Pattern``.

A compiled pattern is its text and its flags and nothing else, so it is recorded as those two
(``!re.Pattern {pattern: '\\d+', flags: 0}``), rebuilt with ``re.compile`` and written in a
test as ``re.compile("\\d+")`` or ``re.compile("a.b", re.IGNORECASE | re.DOTALL)``. Patterns
compare equal when their text and flags do, so a test compares them with ``==``. The flag a
``str`` pattern always has (``re.UNICODE``) is left out of the record, so that it reads as the
program spelled it.

A match (``re.Match``, what a callback of ``re.sub`` or a parser's converter receives) is the
pattern, the text and where it matched: ``!re.Match {pattern: !re.Pattern ..., string: ...,
start: 4, endpos: 9}``. It is recorded only when matching the pattern again at its start gives
the very same groups, and it is rebuilt, and written in a test, that way:
``re.compile("(\\d+)").match("abc 12", 4)``.
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


#: The tag of a recorded match.
MATCH_TAG = "re.Match"


def _match_encode(value: re.Match[Any]) -> dict[str, Any]:
    """The pattern, the text and the span a match covers, if matching there gives it again."""
    again = value.re.match(value.string, value.start(), value.endpos)
    if again is None or again.regs != value.regs:
        raise ValueError("this match is not what its pattern matches at its start")
    return {
        "pattern": value.re,
        "string": value.string,
        "start": value.start(),
        "endpos": value.endpos,
    }


def _match_parts(data: Any) -> tuple[re.Pattern[Any], str | bytes, int, int]:
    """The checked parts of a recorded match; a payload that is not one gives a clear error."""
    if not isinstance(data, dict):
        raise ValueError("a !re.Match value needs pattern, string, start and endpos")
    pattern, string = data.get("pattern"), data.get("string")
    start, endpos = data.get("start", 0), data.get("endpos", None)
    if not isinstance(pattern, re.Pattern) or not isinstance(string, str | bytes):
        raise ValueError("a !re.Match value needs a !re.Pattern 'pattern' and a 'string'")
    endpos = len(string) if endpos is None else endpos
    positions = (start, endpos)
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in positions):
        raise ValueError("the start and endpos of a !re.Match value must be positions")
    return pattern, string, start, endpos


def _match_decode(data: Any) -> re.Match[Any]:
    """Match the pattern again at the recorded start."""
    pattern, string, start, endpos = _match_parts(data)
    found = pattern.match(string, start, endpos)
    if found is None:
        raise ValueError("the pattern of a !re.Match value no longer matches at its start")
    return found


def _match_source(data: Any) -> tuple[str, set[tuple[str, str]]]:
    """``re.compile(...).match(string, start[, endpos])``, every part re-escaped."""
    from pytead._codec.source import bytes_literal, str_literal

    _match_decode(data)  # the same checks as replay, before anything is written
    pattern, string, start, endpos = _match_parts(data)
    compiled, imports = _pattern_source(_pattern_encode(pattern))
    text = str_literal(string) if isinstance(string, str) else bytes_literal(string)
    arguments = [text, str(start)] + ([str(endpos)] if endpos != len(string) else [])
    return f"{compiled}.match({', '.join(arguments)})", imports


#: ``(type, tag, encode, decode, source)`` of the match codec.
MATCH_CODEC: tuple[type, str, Callable[[Any], Any], Callable[[Any], Any], Any] = (
    re.Match,
    MATCH_TAG,
    _match_encode,
    _match_decode,
    _match_source,
)
