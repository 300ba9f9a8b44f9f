"""A docstring's string literal: its parts, text written to fit inside it, and its value.

pytead never re-encodes a docstring: it keeps the literal's source text and splices its own
section into it, so the escapes, quotes and prefix of what a person wrote stay as they are. The
text it splices in is encoded for that literal: in a plain literal backslashes are doubled and
characters that must not stand raw in a source file (NUL, other control characters, line and
paragraph separators, zero-width and bidi marks, anything the file's encoding cannot hold) are
written as escapes; a raw literal takes text as it is, or not at all.
"""

from __future__ import annotations

import ast
import re
import unicodedata
import warnings
from dataclasses import dataclass

_PARTS = re.compile(r"([rRuU]*)('''|\"\"\"|'|\")")
#: Unicode categories never written raw: control, format (zero-width, bidi), line and paragraph
#: separators, surrogates, private use and unassigned code points.
_ESCAPED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class Literal:
    """A string literal's source text, in parts.

    Attributes:
        prefix: Its prefix (``r``, ``u``, ... or none).
        quote: Its quotes (``'``, ``"``, ``'''`` or ``\"\"\"``).
        body: The source text between the quotes.
    """

    prefix: str
    quote: str
    body: str

    @property
    def raw(self) -> bool:
        """Whether backslashes are kept as they are."""
        return "r" in self.prefix.lower()

    @property
    def text(self) -> str:
        """The literal's source text."""
        return self.prefix + self.quote + self.body + self.quote

    def tripled(self) -> Literal:
        """The same literal in triple quotes (a body written for single ones means the same)."""
        return Literal(self.prefix, self.quote[0] * 3, self.body)


def split_literal(text: str) -> Literal | None:
    """*text* in parts, if it is exactly one string literal (not bytes, not an f-string).

    Examples:
        >>> split_literal("r'''a'''")
        Literal(prefix='r', quote="'''", body='a')
        >>> split_literal('"a" "b"') is None
        True
    """
    found = _PARTS.match(text)
    if found is None or len(text) < found.end() + len(found.group(2)):
        return None
    literal = Literal(found.group(1), found.group(2), text[found.end() : -len(found.group(2))])
    return literal if text.endswith(literal.quote) and _closes_at_end(literal) else None


def _closes_at_end(literal: Literal) -> bool:
    """Whether nothing in the body ends the literal early (its quotes, or a bare line break)."""
    body, index = literal.body, 0
    while index < len(body):
        if body[index] == "\\":
            index += 2  # an escaped character never ends a literal, raw or not
            continue
        if body.startswith(literal.quote, index):
            return False
        if len(literal.quote) == 1 and body[index] in "\r\n":
            return False
        index += 1
    return index == len(body)  # a final backslash would escape the closing quote


def value(literal: Literal) -> str | None:
    """The string *literal* stands for (``None``: it is not a valid literal)."""
    if split_literal(literal.text) != literal:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `\d` in a plain literal is the author's business
            parsed = ast.literal_eval(literal.text)
    except (SyntaxError, ValueError):
        return None
    return parsed if isinstance(parsed, str) else None


def encode(text: str, literal: Literal, encoding: str) -> str | None:
    """Source text that stands for *text* inside *literal*'s quotes (``None``: none does).

    *text* must not hold line breaks: the caller joins lines with the file's own line ending.

    Examples:
        >>> encode("a\\\\b\\x00", Literal("", '\"\"\"', ""), "utf-8")
        'a\\\\\\\\b\\\\x00'
        >>> encode("a\\x00", Literal("r", '\"\"\"', ""), "utf-8") is None
        True
    """
    if literal.raw:
        writable = literal.quote not in text and all(_kept(c, encoding) for c in text)
        return text if writable else None
    encoded = "".join(_escaped(char, encoding) for char in text)
    return _break_quote_runs(encoded, literal.quote)


def _kept(char: str, encoding: str) -> bool:
    """Whether *char* may stand raw in the file."""
    if char == "\t":
        return True
    if unicodedata.category(char) in _ESCAPED_CATEGORIES:
        return False
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _escaped(char: str, encoding: str) -> str:
    if char == "\\":
        return "\\\\"
    if _kept(char, encoding):
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _break_quote_runs(encoded: str, quote: str) -> str:
    """Escape every third quote character of a run, so the run never closes the literal."""
    if len(quote) == 1:
        return encoded.replace(quote, "\\" + quote)

    def broken(run: re.Match[str]) -> str:
        return "".join("\\" + c if i % 3 == 2 else c for i, c in enumerate(run.group()))

    return re.sub(re.escape(quote[0]) + "{3,}", broken, encoded)
