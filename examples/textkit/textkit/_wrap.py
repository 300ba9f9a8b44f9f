"""Paragraph wrapping."""

from __future__ import annotations


def wrap(text: str, width: int = 20) -> list[str]:
    """Break *text* into lines of at most *width* characters, on spaces."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) > width and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
