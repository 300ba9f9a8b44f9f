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
    head, last, tail = _split_last_group(doc)
    if last is None or not last.items:
        return [one_line]  # nothing to split (a long string): the formatters leave it too
    inner = indent + INDENT
    lines = [indent + prefix + head + last.open]
    body = ", ".join(flat(item) for item in last.items)
    if last.singleton_comma and len(last.items) == 1:
        body += ","
    several = len(last.items) > 1
    if fits(inner + body) and not (last.is_display and several):
        lines.append(inner + body)
    elif not several and not last.singleton_comma:
        lines += layout(last.items[0], indent=inner)
    else:
        for item in last.items:
            lines += layout(item, indent=inner, suffix=",")
    lines.append(indent + last.close + tail + suffix)
    return lines


def _split_last_group(doc: Doc) -> tuple[str, Group | None, str]:
    """The right-most group of *doc*, with the text before and after it."""
    if isinstance(doc, Group):
        return "", doc, ""
    if isinstance(doc, Concat):
        for index in range(len(doc.parts) - 1, -1, -1):
            part = doc.parts[index]
            if isinstance(part, Group) and part.items:  # "[]" cannot be split
                head = "".join(flat(p) for p in doc.parts[:index])
                return head, part, "".join(flat(p) for p in doc.parts[index + 1 :])
    return "", None, ""


def render_lines(lines: list[str]) -> str:
    """Join lines into file text ending with one newline."""
    return "\n".join(lines) + "\n"
