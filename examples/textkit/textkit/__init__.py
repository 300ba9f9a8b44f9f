"""textkit: small text utilities, documented with examples recorded from its own test suite."""

from textkit._core import initials, slugify, truncate, word_count
from textkit._wrap import wrap

__all__ = ["initials", "slugify", "truncate", "word_count", "wrap"]
