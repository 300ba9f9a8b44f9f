"""Lay Python expressions out the way ``ruff format`` (and black) would, without running them.

Generated code must pass ``ruff format --check``. Rather than shelling out to a formatter that
may not be installed, values are rendered as small documents: text, and bracketed groups of
comma-separated items. A group is written on one line when it fits in the line length;
otherwise the right-most group is split as the formatters split it: its contents on one
indented line when they fit there (calls), else one item per line with a trailing comma
(always so for a list, dict, set or tuple display of several items).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

LINE_LENGTH = 88
INDENT = "    "


@dataclass(frozen=True)
class Group:
    """A bracketed sequence: ``open`` items separated by commas ``close``.

    Attributes:
        open: Text up to and including the opening bracket (``"Point("``, ``"["``).
        items: The elements.
        close: The closing bracket.
        singleton_comma: Keep a comma after a lone item even on one line (``(1,)``).
    """

    open: str
    items: tuple[Doc, ...]
    close: str
    singleton_comma: bool = False

    @property
    def is_display(self) -> bool:
        """A list, dict, set or tuple display, rather than a call's arguments."""
        return self.open in ("[", "{", "(")


@dataclass(frozen=True)
class Concat:
    """Documents written one after the other (``"key": value``, ``-x``...)."""

    parts: tuple[Doc, ...]


Doc: TypeAlias = str | Group | Concat


def concat(*parts: Doc) -> Doc:
    """Join documents, merging neighbouring texts."""
    merged: list[Doc] = []
    flattened = [
        inner for part in parts for inner in (part.parts if isinstance(part, Concat) else (part,))
    ]
    for part in flattened:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if len(merged) == 1:
        return merged[0]
    return Concat(tuple(merged))


def flat(doc: Doc) -> str:
    """The document on a single line."""
    if isinstance(doc, str):
        return doc
    if isinstance(doc, Concat):
        return "".join(flat(part) for part in doc.parts)
    inner = ", ".join(flat(item) for item in doc.items)
    if doc.singleton_comma and len(doc.items) == 1:
        inner += ","
    return doc.open + inner + doc.close


def fits(text: str) -> bool:
    """Whether a line fits in the line length."""
    return width(text) <= LINE_LENGTH


def width(text: str) -> int:
    """How wide a line is on screen, as the formatters measure it (wide CJK 2, marks 0)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def layout(doc: Doc, *, indent: str = "", prefix: str = "", suffix: str = "") -> list[str]:
    """Lines for ``prefix + doc + suffix`` at *indent*, split only where it does not fit."""
    one_line = indent + prefix + flat(doc) + suffix
    if fits(one_line):
        return [one_line]
    found = splits(doc)
    if not found:
        return [one_line]  # nothing to split (a long string): the formatters leave it too
    head, last, tail = found[0]
    lines = [indent + prefix + head + last.open]
    lines += group_lines(
        last, indent + INDENT, lambda item, at, end: layout(item, indent=at, suffix=end)
    )
    lines.append(indent + last.close + tail + suffix)
    return lines


#: Lays out one item of a split group: ``(item, indent, suffix) -> lines``.
ItemLayout = Callable[[Doc, str, str], list[str]]


def group_lines(group: Group, inner: str, item_layout: ItemLayout) -> list[str]:
    """The lines between the brackets of a split *group*, at *inner*: its items on one line
    when they fit (never a display of several), else each laid out by *item_layout*, a lone
    item without a trailing comma, several one per line each with its comma."""
    body = ", ".join(flat(item) for item in group.items)
    if group.singleton_comma and len(group.items) == 1:
        body += ","
    several = len(group.items) > 1
    if fits(inner + body) and not (group.is_display and several):
        return [inner + body]
    if not several and not group.singleton_comma:
        return item_layout(group.items[0], inner, "")
    return [line for item in group.items for line in item_layout(item, inner, ",")]


def splits(doc: Doc) -> list[tuple[str, Group, str]]:
    """Each bracketed group of *doc*'s top level that can be split (``[]`` cannot), right-most
    first, with the text before and after it."""
    if isinstance(doc, Group):
        return [("", doc, "")] if doc.items else []
    if not isinstance(doc, Concat):
        return []
    found = []
    for index in range(len(doc.parts) - 1, -1, -1):
        part = doc.parts[index]
        if isinstance(part, Group) and part.items:
            head = "".join(flat(p) for p in doc.parts[:index])
            found.append((head, part, "".join(flat(p) for p in doc.parts[index + 1 :])))
    return found


def render_lines(lines: list[str]) -> str:
    """Join lines into file text ending with one newline."""
    return "\n".join(lines) + "\n"
