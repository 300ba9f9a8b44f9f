"""Surgical docstring edits: write pytead's Examples section, and nothing else, into source files.

Only the text inside one string literal changes (or a docstring is inserted where none was):
indentation, quotes, prefixes, line endings and every other byte of the file stay as they were,
so the module is AST-equal to the original apart from its docstrings. pytead's section is the one
whose first line is `MARKER`; it is replaced on each run, which makes runs idempotent. A section
a human wrote (an Examples heading without the marker) is never touched: the function is skipped.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Style = Literal["google", "numpy"]

MARKER = "Real calls, recorded by pytead:"
#: Summary line of a docstring pytead created for a function that had none.
CREATED_SUMMARY = "Examples of real calls, recorded by pytead."

_GOOGLE_HEADING = re.compile(r"^\s*Examples?:\s*$")
_NUMPY_HEADING = re.compile(r"^\s*Examples?\s*$")
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")


@dataclass(frozen=True)
class FunctionSpot:
    """Where a function and its docstring are in a file (from griffe, 1-based lines).

    Attributes:
        name: The function's name.
        first_line: Its first line (its first decorator, if any).
        docstring_line: The first line of its docstring, if it has one.
        style: The docstring style to write in.
    """

    name: str
    first_line: int
    docstring_line: int | None
    style: Style


@dataclass(frozen=True)
class Edit:
    """The examples to write for one function (``lines`` are doctest lines, unindented)."""

    spot: FunctionSpot
    examples: Sequence[Sequence[str]]


def apply_edits(source: str, edits: Sequence[Edit]) -> tuple[str, dict[str, str]]:
    """Write each edit's examples into *source*.

    Returns:
        The new source, and for each function name what happened (``"written"``, or why not).
    """
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source.splitlines(keepends=True)
    tokens = _string_tokens(source)
    statuses: dict[str, str] = {}
    # Bottom-up, so the line numbers of the edits still to do stay valid.
    for edit in sorted(edits, key=lambda e: e.spot.first_line, reverse=True):
        spot = edit.spot
        if spot.docstring_line is None:
            statuses[spot.name] = _insert_docstring(lines, source, edit, newline)
        else:
            statuses[spot.name] = _rewrite_docstring(lines, tokens, edit, newline)
    return "".join(lines), statuses


# -- an existing docstring ---------------------------------------------------------------------


def _string_tokens(source: str) -> dict[int, tokenize.TokenInfo]:
    """The first string token starting on each line."""
    found: dict[int, tokenize.TokenInfo] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.start[0] not in found:
            found[token.start[0]] = token
    return found


def _rewrite_docstring(
    lines: list[str], tokens: dict[int, tokenize.TokenInfo], edit: Edit, newline: str
) -> str:
    assert edit.spot.docstring_line is not None
    token = tokens.get(edit.spot.docstring_line)
    if token is None:
        return "skipped: its docstring is not a plain string literal"
    prefix, quote, body = _split_literal(token.string)
    if "b" in prefix.lower() or "f" in prefix.lower():
        return "skipped: its docstring is not a plain string literal"
    indent = " " * token.start[1]
    new_body = section_update(body.replace("\r\n", "\n"), edit.examples, edit.spot.style, indent)
    if new_body is None:
        return "skipped: it has a hand-written Examples section"
    if new_body.strip() == CREATED_SUMMARY and _alone_on_its_lines(lines, token):
        del lines[token.start[0] - 1 : token.end[0]]  # pytead made it and nothing is left
        return "written"
    encoded = _encode(new_body, raw="r" in prefix.lower(), quote=quote)
    if encoded is None:
        return "skipped: the examples cannot be written inside this docstring's quotes"
    literal = prefix + quote + encoded.replace("\n", newline) + quote
    _replace_span(lines, token.start, token.end, literal)
    return "written"


def _alone_on_its_lines(lines: list[str], token: tokenize.TokenInfo) -> bool:
    before = lines[token.start[0] - 1][: token.start[1]]
    after = lines[token.end[0] - 1][token.end[1] :]
    return not before.strip() and not after.strip()


def _split_literal(literal: str) -> tuple[str, str, str]:
    match = re.match(r"^([rRuU]*)('''|\"\"\"|'|\")", literal)
    assert match is not None
    prefix, quote = match.group(1), match.group(2)
    return prefix, quote, literal[len(prefix) + len(quote) : -len(quote)]


def _replace_span(
    lines: list[str], start: tuple[int, int], end: tuple[int, int], text: str
) -> None:
    first, last = start[0] - 1, end[0] - 1
    ending = lines[last][end[1] :]
    lines[first : last + 1] = [lines[first][: start[1]] + text + ending]


def _encode(body: str, *, raw: bool, quote: str) -> str | None:
    """Source text for *body* inside the literal's quotes (None: it cannot be written)."""
    if not raw:
        body = body.replace("\\", "\\\\")
    if quote in body or body.endswith(quote[0]) or (raw and body.endswith("\\")):
        return None
    return body


def section_update(
    body: str, examples: Sequence[Sequence[str]], style: Style, indent: str
) -> str | None:
    """The docstring body with pytead's section written (or removed when there are no examples).

    Returns ``None`` when a hand-written Examples section is present.
    """
    lines = body.split("\n")
    start, end = _managed_section(lines, style)
    if start is None:
        if _has_human_examples(lines):
            return None
        if not examples:
            return body  # nothing of pytead's to write or remove
    else:
        while start > 1 and not lines[start - 1].strip():
            start -= 1  # the blank lines before it belong to it
        lines = lines[:start] + lines[end:]
    content = "\n".join(lines).rstrip()
    if examples:
        section = [indent + line if line else "" for line in section_lines(examples, style)]
        content += "\n\n" + "\n".join(section)
    # The closing quotes go on their own line, at the docstring's indentation.
    return content + "\n" + indent if "\n" in content else content


def section_lines(examples: Sequence[Sequence[str]], style: Style) -> list[str]:
    """pytead's Examples section, relative to the docstring's indentation."""
    if style == "numpy":
        head, pad = ["Examples", "--------"], ""
    else:
        head, pad = ["Examples:"], "    "
    lines = [*head, pad + MARKER, ""]
    for example in examples:
        lines += [pad + line for line in example]
    return lines


def _managed_section(lines: list[str], style: Style) -> tuple[int | None, int]:
    """Start and end (exclusive) of pytead's section in the body's lines, if present."""
    for index in range(len(lines)):
        if not _is_heading(lines, index):
            continue
        content = index + (2 if _UNDERLINE.match(_at(lines, index + 1)) else 1)
        following = next((text for text in lines[content:] if text.strip()), "")
        if following.strip() == MARKER:
            return index, _section_end(lines, index, content)
    return None, len(lines)


def _section_end(lines: list[str], heading: int, content: int) -> int:
    """Where the section starting at *heading* stops: the next heading, or a dedent."""
    base = len(lines[heading]) - len(lines[heading].lstrip())
    numpy = content == heading + 2
    for index in range(content, len(lines)):
        line = lines[index]
        if not line.strip():
            continue
        if numpy and _UNDERLINE.match(_at(lines, index + 1)):
            return index
        if not numpy and len(line) - len(line.lstrip()) <= base:
            return index
    return len(lines)


def _is_heading(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _GOOGLE_HEADING.match(line):
        return True
    return bool(_NUMPY_HEADING.match(line) and _UNDERLINE.match(_at(lines, index + 1)))


def _has_human_examples(lines: list[str]) -> bool:
    return any(_is_heading(lines, index) for index in range(len(lines)))


def _at(lines: list[str], index: int) -> str:
    return lines[index] if index < len(lines) else ""


# -- a function without a docstring ------------------------------------------------------------


def _insert_docstring(lines: list[str], source: str, edit: Edit, newline: str) -> str:
    if not edit.examples:
        return "nothing to write"
    node = _function_node(source, edit.spot)
    if node is None or not node.body:
        return "skipped: its definition was not found"
    first = node.body[0]
    indent = lines[first.lineno - 1][: first.col_offset]
    if indent.strip():  # `def f(): return 1`: no line of its own to put a docstring before
        return "skipped: its body starts on the line of its definition"
    section = section_lines(edit.examples, "google")
    body = [CREATED_SUMMARY, "", *(indent + line if line else "" for line in section)]
    text = "\n".join(body)
    encoded = _encode(text, raw=False, quote='"""')
    if encoded is None:
        return "skipped: the examples cannot be written as a docstring"
    docstring = indent + '"""' + encoded.replace("\n", newline) + newline + indent + '"""' + newline
    lines.insert(first.lineno - 1, docstring)
    return "written"


def _function_node(
    source: str, spot: FunctionSpot
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == spot.name:
            lines = {node.lineno, *(d.lineno for d in node.decorator_list)}
            if spot.first_line in lines:  # griffe counts from the def or its first decorator
                return node
    return None
