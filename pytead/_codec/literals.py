"""Literals as ``ruff format`` writes them: strings and bytes in its quotes, floats as it spells
them. Text goes through ``repr``, so no crafted string can escape its literal, and every
character a reader could not see or that would end a line (NUL and other controls, zero-width
and bidi characters, line and paragraph separators, lone surrogates) is written as an escape.

Text that lands in a comment goes through `comment_text`, escaped the same way, on one line.
"""

from __future__ import annotations

import math

from pytead._pyformat import Doc, Group, concat


def _call(callee: str, *args: Doc) -> Group:
    return Group(callee + "(", args, ")")


def bytes_literal(value: bytes) -> str:
    """A bytes literal quoted the way ruff format quotes it (see `str_literal`)."""
    return "b" + _quoted(repr(value)[1:], value.count(b'"'), value.count(b"'"))


def str_literal(text: str) -> str:
    """A string literal quoted the way ruff format quotes it: double quotes, unless the text
    holds more double quotes than single ones.

    Examples:
        >>> print(str_literal("it's"))
        "it's"
        >>> print(str_literal('say "hi"'))
        'say "hi"'
    """
    return _quoted(repr(text), text.count('"'), text.count("'"))


def raw_str_literal(text: str) -> str | None:
    """``r"text"`` when a raw literal spells *text* exactly and shows every character; else None.

    Examples:
        >>> print(raw_str_literal(r"^a\\(b$"))
        r"^a\\(b$"
        >>> raw_str_literal("^a\\x00b$") is None
        True
    """
    if '"' in text or not text.isprintable() or _odd_backslashes_at_end(text):
        return None
    return f'r"{text}"'


def _odd_backslashes_at_end(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def comment_text(text: str) -> str:
    """*text* for a ``#`` comment: one line, with what cannot be seen written as escapes.

    Examples:
        >>> print(comment_text("calls/add\\nimport os.yaml"))
        calls/add\\nimport os.yaml
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _quoted(literal: str, doubles: int, singles: int) -> str:
    """Requote a ``repr()`` literal; quotes inside are escaped only for the quote used."""
    # Unescape the quote repr() chose (a "\\" run is always even, so no ambiguity).
    used = literal[0]
    body = literal[1:-1].replace("\\" + used, used)
    quote = '"' if doubles <= singles else "'"
    return quote + body.replace(quote, "\\" + quote) + quote


def float_literal(value: float) -> Doc:
    if math.isnan(value):
        return _call("float", '"nan"')
    if math.isinf(value):
        return _call("float", '"inf"') if value > 0 else concat("-", _call("float", '"inf"'))
    return repr(value).replace("e+", "e")  # 1e16, as formatters write it
