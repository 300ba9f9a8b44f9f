"""One statement of a doctest example as the lines a reader takes in (pure).

A statement that fits is one ``>>>`` line. A longer one is laid out the way ``ruff format``
would lay it out (`pytead._pyformat.layout`), its first line after doctest's ``>>>`` prompt and
the others after the continuation prompt ``...``. A string literal still too wide for its line
is cut into pieces that Python joins back (adjacent literals inside the call's brackets, in
parentheses after a keyword), each piece written by the codec's own `str_literal`, so no
text is pasted. Doctest runs the lines as one statement; `statements` reads them back.

Examples:
    >>> from pytead._pyformat import Group
    >>> statement_lines(Group("f(", ("1", "2"), ")"))
    ['>>> f(1, 2)']
"""

from __future__ import annotations

import ast
import re

from pytead._codec.literals import str_literal
from pytead._docoutput import MAX_LINE
from pytead._pyformat import (
    INDENT,
    LINE_LENGTH,
    Concat,
    Doc,
    Group,
    concat,
    fits,
    flat,
    group_lines,
    splits,
    width,
)

#: Doctest's prompts: a statement's first line, and each line continuing it.
PS1 = ">>> "
PS2 = "... "

_ITEM = re.compile(r"(?P<indent>\s+)(?P<keyword>(?:[A-Za-z_]\w*=)?)(?P<literal>.+?)(?P<comma>,?)")


def statement_lines(doc: Doc, suffix: str = "") -> list[str]:
    """Doctest lines for the statement *doc*, with *suffix* (a directive) on its last line."""
    one_line = PS1 + flat(doc)
    if len(one_line) <= MAX_LINE:
        return [one_line + suffix]
    lines = [piece for line in _layout(_opened(doc)) for piece in _cut_long_string(line)]
    prompted = [PS1 + lines[0], *(PS2 + line for line in lines[1:])]
    prompted[-1] += suffix
    return prompted


def statements(lines: tuple[str, ...] | list[str]) -> list[tuple[int, int]]:
    """The ``(start, end)`` line ranges of the statements in doctest *lines*: a ``>>>`` line
    and the ``...`` lines that follow it.

    Examples:
        >>> statements([">>> f(", "...     1,", "... )", "1", ">>> g()"])
        [(0, 3), (4, 5)]
    """
    found: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if line.startswith(PS1):
            found.append((index, index + 1))
        elif _continues(line) and found and found[-1][1] == index:
            found[-1] = (found[-1][0], index + 1)
    return found


def _continues(line: str) -> bool:
    """Whether *line* continues a statement: ``... code``, or a bare ``...`` (a blank line)."""
    return line.startswith(PS2) or line == PS2.rstrip()


def source_of(lines: tuple[str, ...] | list[str], start: int, end: int) -> str:
    """The Python source of the statement at ``lines[start:end]``, without its prompts."""
    return "\n".join(line[len(PS1) :] for line in lines[start:end])


def _opened(doc: Doc) -> Doc:
    """*doc* with each too long text that is a whole expression (a codec writes some values
    as plain text, ``re.compile(...).match(...)``) made a document its layout can split."""
    if isinstance(doc, Group):
        items = tuple(_opened(item) for item in doc.items)
        return Group(doc.open, items, doc.close, doc.singleton_comma)
    if isinstance(doc, Concat):
        return concat(*(_opened(part) for part in doc.parts))
    if width(doc) <= LINE_LENGTH:
        return doc
    try:
        tree = ast.parse(doc, mode="eval")
    except SyntaxError:
        return doc  # a piece of an expression (``key=``), not one
    opened = _expression_doc(tree.body, doc)
    same = ast.dump(ast.parse(flat(opened), mode="eval")) == ast.dump(tree)
    return opened if same else doc  # only ever a new layout of the same code


def _expression_doc(node: ast.expr, text: str) -> Doc:
    """The expression *node* of *text* as a document: calls and displays as groups, the
    rest as their own source text."""
    if isinstance(node, ast.Call):
        items = [_expression_doc(arg, text) for arg in node.args]
        for keyword in node.keywords:
            name = "**" if keyword.arg is None else f"{keyword.arg}="
            items.append(concat(name, _expression_doc(keyword.value, text)))
        return _called(_expression_doc(node.func, text), tuple(items))
    if isinstance(node, ast.Attribute):
        return concat(_expression_doc(node.value, text), "." + node.attr)
    if isinstance(node, ast.List | ast.Set):
        brackets = "[]" if isinstance(node, ast.List) else "{}"
        elements = tuple(_expression_doc(item, text) for item in node.elts)
        return Group(brackets[0], elements, brackets[1])
    segment = ast.get_source_segment(text, node)
    return text if segment is None else segment


def _called(callee: Doc, items: tuple[Doc, ...]) -> Doc:
    """``callee(items)``: the opening bracket joins the callee's last text."""
    if isinstance(callee, str):
        return Group(callee + "(", items, ")")
    if isinstance(callee, Concat) and isinstance(callee.parts[-1], str):
        return concat(*callee.parts[:-1], Group(callee.parts[-1] + "(", items, ")"))
    return concat(callee, Group("(", items, ")"))


def _layout(doc: Doc, indent: str = "", suffix: str = "") -> list[str]:
    """Lines for *doc* at *indent*, split at the right-most bracket whose first and last lines
    fit (as black does with a chain such as ``re.compile(...).match(...)``), else the
    right-most one; a group's items on one indented line when they fit, else one per line."""
    one_line = indent + flat(doc) + suffix
    if fits(one_line):
        return [one_line]
    options = splits(doc)
    if not options:
        return [one_line]  # nothing to split (a long string): `_cut_long_string` may cut it
    fitting = [o for o in options if fits(indent + o[0] + o[1].open) and fits(o[2] + suffix)]
    head, group, tail = (fitting or options)[0]
    inner = _filled(group, indent + INDENT) or group_lines(group, indent + INDENT, _layout)
    return [indent + head + group.open, *inner, indent + group.close + tail + suffix]


#: A list, tuple or set display of at least this many short plain items (numbers, short
#: strings) is filled into lines rather than written one item per line.
FILL_AT = 6
#: How long an item of a filled display may be.
FILL_ITEM = 16


def _filled(group: Group, indent: str) -> list[str] | None:
    """The items of a long display of short plain items, filled into lines at *indent*
    (``1618, 1378, 166, ...,``), as a person lays out many numbers; None for any other group,
    which takes the formatter's one item per line."""
    items = group.items
    if not group.is_display or group.open == "{" or len(items) < FILL_AT:
        return None
    if not all(isinstance(item, str) and len(item) <= FILL_ITEM for item in items):
        return None
    lines: list[str] = []
    line = ""
    for item in items:
        piece = f"{item},"
        if line and not fits(f"{indent}{line} {piece}"):
            lines.append(indent + line)
            line = ""
        line = f"{line} {piece}" if line else piece
    return [*lines, indent + line]


def _cut_long_string(line: str) -> list[str]:
    """*line* as it is, or, when it is too wide and holds only a string literal item (after
    an optional ``keyword=``), that literal cut into pieces that each fit."""
    if width(line) <= LINE_LENGTH or not line.startswith(" "):
        return [line]  # an unindented line is outside any brackets: pieces would not join
    item = _ITEM.fullmatch(line)
    text = None if item is None else _string_value(item["literal"])
    if item is None or text is None:
        return [line]
    indent, keyword, comma = item["indent"], item["keyword"], item["comma"]
    inner = indent + INDENT if keyword else indent
    pieces = [inner + str_literal(piece) for piece in _pieces(text, LINE_LENGTH - len(inner))]
    if not keyword:
        return [*pieces[:-1], pieces[-1] + comma]
    return [f"{indent}{keyword}(", *pieces, f"{indent}){comma}"]


def _string_value(source: str) -> str | None:
    """The text a single plain string literal *source* spells, else ``None``."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return None
    body = tree.body
    if not isinstance(body, ast.Constant) or not isinstance(body.value, str):
        return None
    return body.value  # written again piece by piece by `str_literal`: the same text


def _pieces(text: str, room: int) -> list[str]:
    """*text* cut into pieces whose literals fit in *room*: after a line break when one is
    in the piece's second half, else after a space in its last third, else where it ends."""
    pieces: list[str] = []
    current = ""
    for char in text:
        if current and len(str_literal(current + char)) > room:
            pieces.append(current[: _cut(current)])
            current = current[len(pieces[-1]) :]
        current += char
    return [*pieces, current]


def _cut(piece: str) -> int:
    """Where to end *piece*: after its last line break, else space, else mark between parts
    (``/``, ``|``, ``,``...), when one is near its end; else where the room ends."""
    newline = piece.rfind("\n") + 1
    if newline and newline >= len(piece) // 2:
        return newline
    for marks in (" ", _BETWEEN_PARTS):
        after = max(piece.rfind(mark) for mark in marks) + 1
        if after and after >= len(piece) * 2 // 3:
            return after
    return len(piece)


#: Characters that end a part of a path, an alternation or a list: a piece may end after one.
_BETWEEN_PARTS = "/\\|,;:"
