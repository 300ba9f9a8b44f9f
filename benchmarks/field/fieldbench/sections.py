"""pytead's managed docstring sections, found and removed independently of pytead's own code.

The field benchmark checks that `pytead enrich-docs` changed nothing but its own sections: it
removes every managed section from the edited file and compares what is left with the original,
byte for byte. This module does that from the documented format alone (an ``Examples:`` heading,
or ``Examples`` underlined, whose first line is the marker; a docstring pytead created starts with
its summary line), so a bug in pytead's editor cannot hide itself here.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

MARKER = "Real calls, recorded by pytead:"
CREATED_SUMMARY = "Examples of real calls, recorded by pytead."

_HEADING = re.compile(r"^[ \t]*Examples?:?\s*$")
_UNDERLINE = re.compile(r"^[ \t]*-{3,}\s*$")
_LITERAL = re.compile(r"^([rRuUbBfF]*)('''|\"\"\"|'|\")", re.DOTALL)


@dataclass(frozen=True)
class Literal:
    """A string literal of a source file that holds a managed section.

    Attributes:
        start: Its offset in the file text (the first character of its prefix).
        end: The offset just past its closing quotes.
        text: Its source text.
    """

    start: int
    end: int
    text: str


def managed_literals(source: str) -> list[Literal]:
    """The string literals of *source* that pytead manages, in file order.

    Raises:
        SyntaxError: *source* does not tokenize.
    """
    offsets = _line_offsets(source)
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except tokenize.TokenError as error:
        raise SyntaxError(str(error)) from None
    for token in tokens:
        if token.type == tokenize.STRING and MARKER in token.string:
            start = offsets[token.start[0] - 1] + token.start[1]
            end = offsets[token.end[0] - 1] + token.end[1]
            found.append(Literal(start, end, token.string))
    return found


def _line_offsets(source: str) -> list[int]:
    """Where each line starts, splitting on ``\\n`` only, as the tokenizer does."""
    offsets = [0]
    for line in source.split("\n")[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def section_lines(body: str) -> tuple[int, int] | None:
    """First and last (exclusive) line of the managed section in a docstring *body*.

    The blank lines before the heading belong to the section. The section ends at the next
    heading of the same docstring, or at a line indented no deeper than its heading.
    """
    lines = body.split("\n")
    for index in range(len(lines)):
        if not _is_heading(lines, index):
            continue
        content = index + (2 if _underlined(lines, index) else 1)
        following = next((text.strip() for text in lines[content:] if text.strip()), "")
        if following != MARKER:
            continue
        start = index
        while start > 0 and not lines[start - 1].strip():
            start -= 1
        return start, _section_end(lines, index, content)
    return None


def _is_heading(lines: list[str], index: int) -> bool:
    line = lines[index]
    if not _HEADING.match(line):
        return False
    return line.rstrip().endswith(":") or _underlined(lines, index)


def _underlined(lines: list[str], index: int) -> bool:
    return index + 1 < len(lines) and bool(_UNDERLINE.match(lines[index + 1]))


def _section_end(lines: list[str], heading: int, content: int) -> int:
    base = _indent(lines[heading])
    numpy = content == heading + 2
    end = len(lines)
    for index in range(content, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if (numpy and _underlined(lines, index)) or (not numpy and _indent(line) <= base):
            end = index
            break
    # Trailing blank lines and the closing quotes' indentation stay with the docstring.
    while end > content and not lines[end - 1].strip():
        end -= 1
    return end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def section_text(body: str) -> str | None:
    """The managed section of a docstring *body*, or None."""
    span = section_lines(body)
    if span is None:
        return None
    return "\n".join(body.split("\n")[span[0] : span[1]])


def literal_body(literal: str) -> tuple[str, str, str]:
    """A literal's prefix, quotes and body (the source text between the quotes)."""
    match = _LITERAL.match(literal)
    if match is None:
        raise ValueError(f"not a string literal: {literal[:40]!r}")
    prefix, quote = match.group(1), match.group(2)
    return prefix, quote, literal[len(prefix) + len(quote) : len(literal) - len(quote)]


def _stripped_variants(literal: str) -> Iterator[str]:
    """What the literal may have been before pytead wrote its section into it.

    A docstring that fitted on one line comes back with its closing quotes on a line of their
    own, so both the literal as left and the one with its quotes pulled back are candidates; a
    single-quoted one comes back triple-quoted, so its single quotes are a candidate too.
    """
    prefix, quote, body = literal_body(literal)
    span = section_lines(body)
    if span is None:
        yield literal
        return
    lines = body.split("\n")
    kept = "\n".join(lines[: span[0]] + lines[span[1] :])
    yield prefix + quote + kept + quote
    core, _newline, tail = kept.rpartition("\n")
    if core and not tail.strip() and "\n" not in core.rstrip("\r"):
        yield prefix + quote + core.rstrip("\r") + quote
        yield prefix + quote[0] + core.rstrip("\r") + quote[0]


def _created(literal: str) -> bool:
    _prefix, _quote, body = literal_body(literal)
    return body.lstrip().startswith(CREATED_SUMMARY)


def same_outside_sections(original: str, edited: str) -> tuple[bool, str]:
    """Whether *edited* is *original* plus managed sections only; if not, where they differ.

    Returns:
        ``(True, "")``, or ``(False, "line N: ...")`` naming the first differing line of the
        original.
    """
    try:
        literals = managed_literals(edited)
    except SyntaxError as error:
        return False, f"the edited file does not tokenize: {error}"
    position = 0  # in original
    cursor = 0  # in edited
    for literal in literals:
        ok, position, cursor = _match_literal(original, edited, literal, position, cursor)
        if not ok:
            return False, _where(original, position)
    if original[position:] != edited[cursor:]:
        return False, _where(
            original, position + _common_prefix(original[position:], edited[cursor:])
        )
    return True, ""


def _match_literal(
    original: str, edited: str, literal: Literal, position: int, cursor: int
) -> tuple[bool, int, int]:
    """Match the text before *literal* and the literal itself; the new positions."""
    before = edited[cursor : literal.start]
    if _created(literal.text):
        # A docstring pytead inserted: its whole lines go (indentation and line ending included).
        line_start = edited.rfind("\n", 0, literal.start) + 1
        line_end = edited.find("\n", literal.end)
        line_end = len(edited) if line_end < 0 else line_end + 1
        before = edited[cursor:line_start]
        if not original.startswith(before, position):
            return False, position + _common_prefix(original[position:], before), cursor
        return True, position + len(before), line_end
    if not original.startswith(before, position):
        return False, position + _common_prefix(original[position:], before), cursor
    position += len(before)
    for variant in _stripped_variants(literal.text):
        if original.startswith(variant, position):
            return True, position + len(variant), literal.end
    return False, position, cursor


def _common_prefix(left: str, right: str) -> int:
    size = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        size += 1
    return size


def _where(original: str, position: int) -> str:
    line = original.count("\n", 0, position) + 1
    text = original.split("\n")[line - 1]
    return f"line {line}: {text.strip()[:80]!r}"
