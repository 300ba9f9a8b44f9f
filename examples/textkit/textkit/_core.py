"""The string helpers of textkit."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter


def slugify(title: str, separator: str = "-") -> str:
    """Turn a title into a URL slug.

    Args:
        title: Any text; accents are dropped.
        separator: What goes between words.

    Returns:
        Lowercase ASCII words joined by *separator*.
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if not words:
        raise ValueError(f"nothing to make a slug of in {title!r}")
    return separator.join(words)


def word_count(text: str, *, top: int = 3) -> list[tuple[str, int]]:
    """The *top* most frequent words of *text*, most frequent first."""
    words = re.findall(r"[a-z']+", text.lower())
    return Counter(words).most_common(top)


def truncate(text: str, width: int, placeholder: str = "...") -> str:
    """Shorten *text* to at most *width* characters, ending with *placeholder* if cut."""
    if width < len(placeholder):
        raise ValueError(f"width {width} is too small for the placeholder {placeholder!r}")
    if len(text) <= width:
        return text
    return text[: width - len(placeholder)].rstrip() + placeholder


def initials(name: str) -> str:
    """The initials of a person's name, upper case."""
    return "".join(part[0].upper() for part in name.split() if part)
