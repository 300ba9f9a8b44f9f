"""pytead's Examples section of a docstring: its text, and where it is in a literal's source.

The section is the Examples section (Google ``Examples:``, or NumPy ``Examples`` underlined)
whose first line is `MARKER`. It is found in the docstring literal's *source text*, line by line,
lines broken as the parser breaks them, so pytead replaces its own lines and nothing else. A
section a person wrote (an Examples heading without the marker) is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Style = Literal["google", "numpy"]

MARKER = "Real calls, recorded by pytead:"
#: Summary line of a docstring pytead created for a function that had none.
CREATED_SUMMARY = "Examples of real calls, recorded by pytead."

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_GOOGLE_HEADING = re.compile(r"^\s*Examples?:\s*$")
_NUMPY_HEADING = re.compile(r"^\s*Examples?\s*$")
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")


def section_lines(examples: Sequence[Sequence[str]], style: Style) -> list[str]:
    """pytead's Examples section, relative to the docstring's indentation.

    Examples:
        >>> section_lines([[">>> f(1)", "2"]], "numpy")
        ['Examples', '--------', 'Real calls, recorded by pytead:', '', '>>> f(1)', '2']
    """
    if style == "numpy":
        head, pad = ["Examples", "--------"], ""
    else:
        head, pad = ["Examples:"], "    "
    lines = [*head, pad + MARKER, ""]
    for example in examples:
        lines += [pad + line for line in example]
    return lines


def line_spans(body: str) -> list[tuple[int, int]]:
    """Where each line of *body* starts and ends (line ending excluded)."""
    spans, start = [], 0
    for found in _LINE_BREAK.finditer(body):
        spans.append((start, found.start()))
        start = found.end()
    return [*spans, (start, len(body))]


def managed_span(body: str, style: Style) -> tuple[int, int] | None:
    """The part of *body* that is pytead's section, if it has one.

    It runs from the end of the last line of text before the section (so the blank lines
    before the heading belong to it) to the end of the section's last line of text; the line
    endings and closing indentation after it stay with the docstring.
    """
    spans = line_spans(body)
    texts = [body[start:end] for start, end in spans]
    heading, end = _managed_section(texts, style)
    if heading is None:
        return None
    before = heading
    while before > 0 and not texts[before - 1].strip():
        before -= 1
    last = max(index for index in range(heading, end) if texts[index].strip())
    return (spans[before - 1][1] if before else 0), spans[last][1]


def content_end(body: str) -> int:
    """Where the last line of text of *body* ends (0 when it has none)."""
    ends = [end for start, end in line_spans(body) if body[start:end].strip()]
    return ends[-1] if ends else 0


def has_human_examples(body: str) -> bool:
    """Whether *body* has an Examples section (pytead's own is looked for first)."""
    texts = [body[start:end] for start, end in line_spans(body)]
    return any(_is_heading(texts, index) for index in range(len(texts)))


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


def _at(lines: list[str], index: int) -> str:
    return lines[index] if index < len(lines) else ""
