"""Feed recorded examples into griffe objects (for `pytead.griffe_extension`).

Kept apart from the extension module, which griffe scans for extension classes, so that this
module's helpers never look like extensions.
"""

from __future__ import annotations

from typing import Any

from pytead._docpages import import_line
from pytead._docstrings import MARKER, section_lines
from pytead._examples import candidate_examples, choose
from pytead._model import Fixture


def member(loader: Any, name: str) -> Any:
    """The griffe object a dotted name leads to, following re-exports; ``None`` if none."""
    try:
        found = loader.modules_collection[name]
        return found.final_target if getattr(found, "is_alias", False) else found
    except Exception:  # not in this package, or an alias that cannot be resolved
        return None


def add_examples(obj: Any, fixture: Fixture, limit: int) -> bool:
    """Append an Examples section to *obj*'s docstring; return whether one was added."""
    import griffe

    docstring = obj.docstring
    text = docstring.value if docstring is not None else ""
    if MARKER in text or _has_examples(docstring):
        return False  # the sources already show examples: keep them
    examples = choose(candidate_examples(fixture, None), limit)
    if not examples:
        return False
    style = "google"
    if docstring is not None:
        inferred, _ = griffe.infer_docstring_style(docstring)
        style = "numpy" if str(getattr(inferred, "value", inferred)) == "numpy" else "google"
    first = (import_line(fixture.target.module, fixture.target.qualname), *examples[0].lines)
    blocks = [first, *(e.lines for e in examples[1:])]
    section = "\n".join(section_lines(blocks, style))  # type: ignore[arg-type]
    if docstring is None:
        obj.docstring = griffe.Docstring(section, parent=obj)
    else:
        docstring.value = (text.rstrip() + "\n\n" + section).lstrip("\n")
    return True


def _has_examples(docstring: Any) -> bool:
    if docstring is None:
        return False
    lines = [line.strip() for line in docstring.value.splitlines()] + [""]
    google = any(line in ("Examples:", "Example:") for line in lines)
    numpy = any(
        line in ("Examples", "Example") and lines[index + 1].startswith("---")
        for index, line in enumerate(lines[:-1])
    )
    return google or numpy
