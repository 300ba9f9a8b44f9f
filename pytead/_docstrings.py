"""Surgical docstring edits: write pytead's Examples section, and nothing else, into source files.

A function and its docstring are found with the AST, positions counted as the parser counts
them (`pytead._sourcetext`). In an existing docstring only the characters of pytead's section
change, spliced into the literal's source text and encoded for its prefix and quotes
(`pytead._docliteral`); every other byte of the file stays. A single-quoted docstring becomes
triple-quoted by rewriting that literal alone; a function without one gets a docstring of its
own, which goes away with its examples. Each edit is checked before it is kept: the literal's
value, pytead's section taken out, is the value it had, and the file still parses. A docstring
that cannot be edited safely (several literals, bytes, an f-string, a raw literal that cannot
hold the text) is left alone, with the reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pytead._docliteral import Literal, encode, split_literal, value
from pytead._docsection import (
    CREATED_SUMMARY,
    MARKER,
    Style,
    content_end,
    has_human_examples,
    managed_span,
    section_lines,
)
from pytead._sourcetext import Positions, newline_of

__all__ = ["CREATED_SUMMARY", "MARKER", "Edit", "FunctionSpot", "apply_edits", "section_lines"]

_Function = ast.FunctionDef | ast.AsyncFunctionDef
_ONE_LINE_LEFT = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)[ \t]*")


@dataclass(frozen=True)
class FunctionSpot:
    """Where a function is in a file (from griffe, 1-based lines).

    Attributes:
        name: The function's name.
        first_line: Its first line (its ``def``, or its first decorator).
        style: The docstring style to write in.
    """

    name: str
    first_line: int
    style: Style


@dataclass(frozen=True)
class Edit:
    """The examples to write for one function (``lines`` are doctest lines, unindented)."""

    spot: FunctionSpot
    examples: Sequence[Sequence[str]]


@dataclass(frozen=True)
class _Splice:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


@dataclass(frozen=True)
class _File:
    source: str
    positions: Positions
    newline: str
    encoding: str


def apply_edits(
    source: str, edits: Sequence[Edit], encoding: str = "utf-8"
) -> tuple[str, dict[FunctionSpot, str]]:
    """Write each edit's examples into *source*, a file in *encoding*.

    Returns:
        The new source, and for each function what happened: ``"written"``, ``"nothing to
        write"``, or ``"skipped: "`` and why.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        why = f"skipped: its file does not parse ({error.msg}, line {error.lineno})"
        return source, {edit.spot: why for edit in edits}
    file = _File(source, Positions(source), newline_of(source), encoding)
    functions = [node for node in ast.walk(tree) if isinstance(node, _Function)]
    planned: dict[FunctionSpot, _Splice] = {}
    statuses: dict[FunctionSpot, str] = {}
    for edit in edits:
        statuses[edit.spot], splice = _plan(file, functions, edit)
        if splice is not None:
            planned[edit.spot] = splice
    return _spliced_if_parsing(source, planned, statuses), statuses


def _plan(file: _File, functions: list[_Function], edit: Edit) -> tuple[str, _Splice | None]:
    node = _function_node(functions, edit.spot)
    if node is None or not node.body:
        return "skipped: its definition was not found", None
    first = node.body[0]
    if isinstance(first, ast.Expr) and _is_string_like(first.value):
        return _rewrite_docstring(file, first.value, edit)
    return _insert_docstring(file, first, edit)


def _function_node(functions: list[_Function], spot: FunctionSpot) -> _Function | None:
    for node in functions:
        lines = {node.lineno, *(d.lineno for d in node.decorator_list)}
        if node.name == spot.name and spot.first_line in lines:  # griffe: def or decorator
            return node
    return None


def _is_string_like(node: ast.expr) -> bool:
    constant = isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
    return constant or isinstance(node, ast.JoinedStr)


# -- an existing docstring ---------------------------------------------------------------------


def _rewrite_docstring(file: _File, node: ast.expr, edit: Edit) -> tuple[str, _Splice | None]:
    if isinstance(node, ast.JoinedStr):
        return "skipped: its docstring is an f-string, which pytead does not edit", None
    if isinstance(node, ast.Constant) and isinstance(node.value, bytes):
        return "skipped: its docstring is a bytes literal, not a string", None
    start, end = file.positions.span(node)
    literal = split_literal(file.source[start:end])
    if literal is None:
        return "skipped: its docstring is made of several string literals", None
    span = managed_span(literal.body, edit.spot.style)
    if span is None and has_human_examples(literal.body):
        return "skipped: it has a hand-written Examples section", None
    if not edit.examples:
        if span is None:
            return "nothing to write", None
        removal = _removal(file, literal, span, (start, end))
        if removal is None:
            return "skipped: its docstring would not stay valid without pytead's section", None
        return "written", removal
    indent = _docstring_indent(file, start)
    new = _with_section(file, literal, span, edit, indent)
    if isinstance(new, str):
        return new, None
    return "written", _Splice(start, end, new.text)


def _with_section(
    file: _File, literal: Literal, span: tuple[int, int] | None, edit: Edit, indent: str
) -> Literal | str:
    """*literal* with pytead's section written in (or why it cannot be)."""
    body = literal.body
    left, right = (body[: span[0]], body[span[1] :]) if span else _split_at_content_end(body)
    if "\n" not in right and "\r" not in right:
        right = file.newline + indent + right  # the closing quotes get a line of their own
    target = literal.tripled()
    lines = [
        indent + line if line else "" for line in section_lines(edit.examples, edit.spot.style)
    ]
    encoded = [encode(line, target, file.encoding) for line in lines]
    if any(line is None for line in encoded):
        return "skipped: the examples cannot be written inside its raw docstring (r-prefix)"
    lead = file.newline * 2 if left else ""
    inserted = lead + file.newline.join(line for line in encoded if line is not None)
    new = Literal(target.prefix, target.quote, left + inserted + right)
    section = ("\n\n" if left else "") + "\n".join(lines)
    if not _keeps_its_value(new, Literal(target.prefix, target.quote, left + right), section):
        return "skipped: its docstring cannot be edited without changing its own text"
    return new


def _split_at_content_end(body: str) -> tuple[str, str]:
    end = content_end(body)
    return body[:end], body[end:]


def _keeps_its_value(new: Literal, without: Literal, section: str) -> bool:
    """Whether *new* is *without* plus *section* (the examples exactly), once, as values."""
    new_value, old_value = value(new), value(without)
    if new_value is None or old_value is None or new_value.count(MARKER) != 1:
        return False
    return section in new_value and new_value.replace(section, "", 1) == old_value


def _removal(
    file: _File, literal: Literal, span: tuple[int, int], where: tuple[int, int]
) -> _Splice | None:
    """Take pytead's section out of *literal*; a docstring pytead created goes entirely."""
    left = Literal(literal.prefix, literal.quote, literal.body[: span[0]] + literal.body[span[1] :])
    if _ONE_LINE_LEFT.fullmatch(left.body):
        # It was a one-line docstring: its closing quotes come back to its line.
        one_line = Literal(left.prefix, left.quote, left.body.rstrip(" \t\r\n"))
        left = one_line if value(one_line) is not None else left
    left_value = value(left)
    if left_value is None:
        return None
    start, end = where
    if left_value.strip() == CREATED_SUMMARY and _alone_on_its_lines(file, start, end):
        return _Splice(file.positions.line_start(start), file.positions.line_end(end), "")
    return _Splice(start, end, left.text)


def _alone_on_its_lines(file: _File, start: int, end: int) -> bool:
    before = file.source[file.positions.line_start(start) : start]
    after = file.source[end : file.positions.line_end(end)]
    return not before.strip() and not after.strip()


def _docstring_indent(file: _File, start: int) -> str:
    """The indentation of the docstring's lines: its own line's, or its ``def``'s and a step."""
    before = file.source[file.positions.line_start(start) : start].rsplit("\f", 1)[-1]
    if not before.strip():
        return before
    lead = before[: len(before) - len(before.lstrip(" \t"))]
    return lead + ("\t" if lead.startswith("\t") else "    ")


# -- a function without a docstring ------------------------------------------------------------


def _insert_docstring(file: _File, first: ast.stmt, edit: Edit) -> tuple[str, _Splice | None]:
    if not edit.examples:
        return "nothing to write", None
    start = file.positions.offset(first.lineno, first.col_offset)
    line_start = file.positions.line_start(start)
    indent = file.source[line_start:start].rsplit("\f", 1)[-1]
    if indent.strip() or _continues_a_line(file, line_start):
        return "skipped: its body starts on the line of its definition", None
    section = section_lines(edit.examples, edit.spot.style)
    lines = [CREATED_SUMMARY, "", *(indent + line if line else "" for line in section)]
    plain = Literal("", '"""', "")
    body = file.newline.join(encode(line, plain, file.encoding) or "" for line in lines)
    docstring = f'{indent}"""{body}{file.newline}{indent}"""{file.newline}'
    return "written", _Splice(line_start, line_start, docstring)


def _continues_a_line(file: _File, line_start: int) -> bool:
    """Whether the line before *line_start* ends with a backslash (one logical line)."""
    return file.source[:line_start].rstrip("\r\n").endswith("\\")


# -- putting the edits together ----------------------------------------------------------------


def _spliced_if_parsing(
    source: str, planned: dict[FunctionSpot, _Splice], statuses: dict[FunctionSpot, str]
) -> str:
    """*source* with the planned splices; those that would leave it unparseable are dropped."""
    new = _spliced(source, planned.values())
    if _parses(new):
        return new
    for spot, splice in list(planned.items()):
        if not _parses(_spliced(source, [splice])):
            del planned[spot]
            statuses[spot] = "skipped: the edit would leave the file unparseable"
    new = _spliced(source, planned.values())
    if _parses(new):
        return new
    for spot in planned:
        statuses[spot] = "skipped: the edits would leave the file unparseable"
    return source


def _spliced(source: str, splices: Iterable[_Splice]) -> str:
    # From the end of the file backwards, so the offsets of the splices still to do stay valid.
    for splice in sorted(splices, key=lambda s: s.start, reverse=True):
        source = source[: splice.start] + splice.new + source[splice.end :]
    return source


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True
