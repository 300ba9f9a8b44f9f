"""A Python source file as text, with positions counted the way the parser counts them.

The parser breaks lines on ``\\n``, ``\\r\\n`` and ``\\r`` only; ``str.splitlines`` also breaks on
form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029, so line numbers from the AST and
lines from ``splitlines`` disagree as soon as one of those stands in a file. Everything here
counts lines the parser's way, and turns the AST's (line, UTF-8 byte column) pairs into offsets
in the text. A file is read in the encoding it declares (a BOM or a coding comment) and written
back in it.
"""

from __future__ import annotations

import ast
import bisect
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BYTE_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class SourceText:
    """The text of a source file and how to write it back.

    Attributes:
        text: The decoded text (without BOM), line endings as they are.
        encoding: The codec it was decoded with (``utf-8-sig`` when it starts with a BOM).
    """

    text: str
    encoding: str = "utf-8"


def read_source(path: Path) -> SourceText:
    """Read *path* in the encoding it declares.

    Raises:
        OSError: The file cannot be read.
        SyntaxError: Its coding declaration names an unknown codec or contradicts its BOM.
        UnicodeDecodeError: Its bytes are not in the declared encoding.
    """
    data = path.read_bytes()
    # The declaration is on one of the first two lines, which may end in a lone CR.
    lines = (found.group() for found in _BYTE_LINES.finditer(data))
    encoding, _ = tokenize.detect_encoding(lambda: next(lines, b""))
    return SourceText(data.decode(encoding), encoding)


def newline_of(text: str) -> str:
    """The line ending of *text*'s first line (``\\n`` when it has none)."""
    found = _LINE_BREAK.search(text)
    return found.group() if found else "\n"


class Positions:
    """Offsets in a text of the parser's (line, column) positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [found.end() for found in _LINE_BREAK.finditer(text)]

    def line(self, lineno: int) -> str:
        """Line *lineno* (1-based), without its line ending."""
        start = self.starts[lineno - 1]
        found = _LINE_BREAK.search(self.text, start)
        return self.text[start : found.start() if found else len(self.text)]

    def offset(self, lineno: int, byte_column: int) -> int:
        """The offset in the text of an AST position (its column counts UTF-8 bytes)."""
        head = self.line(lineno).encode("utf-8", "surrogatepass")[:byte_column]
        return self.starts[lineno - 1] + len(head.decode("utf-8", "surrogatepass"))

    def span(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        """Where *node* starts and ends in the text."""
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = self.offset(node.lineno, node.col_offset)
        return start, self.offset(node.end_lineno, node.end_col_offset)

    def line_start(self, offset: int) -> int:
        """The offset of the start of the line holding *offset*."""
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """The offset just past the line ending of the line holding *offset*."""
        found = _LINE_BREAK.search(self.text, offset)
        return found.end() if found else len(self.text)
