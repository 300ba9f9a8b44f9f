"""A docstring's examples as one session: what an example before set up is not typed again.

The examples of a docstring run one after the other in one namespace, as a reader reads them.
Each `Example` stands alone (a page shows it so), but in a docstring an import already run is
not repeated, and neither is an instance (or an argument) made exactly as the example before
made it, when that example's call left it as it was. The sequence is checked as a whole before
it is written (`pytead._enrich`), so a setup wrongly taken as still standing is caught there.
"""

from __future__ import annotations

from dataclasses import replace

from pytead._doclines import source_of, statements
from pytead._examples import Example


def in_sequence(examples: list[Example]) -> list[Example]:
    """*examples* as a docstring shows them: repeated setup left out (see the module).

    Examples:
        >>> first = Example("a", (">>> import m", ">>> b = m.B()", ">>> b.f()", "1"), False,
        ...                 "", setup_end=2, keeps_state=True)
        >>> second = replace(first, case_id="b", lines=(*first.lines[:3], "2"))
        >>> in_sequence([first, second])[1].lines
        ('>>> b.f()', '2')
    """
    imported: set[str] = set()
    standing: tuple[str, ...] = ()  # the setup statements the example before left as made
    shown: list[Example] = []
    for example in examples:
        setup = _setup_statements(example)
        made = tuple(source for source, _ in setup if not _is_import(source))
        drop = {
            span
            for source, span in setup
            if (source in imported if _is_import(source) else bool(made) and made == standing)
        }
        imported |= {source for source, _ in setup if _is_import(source)}
        standing = made if example.keeps_state else ()
        shown.append(_without(example, drop))
    return shown


def _setup_statements(example: Example) -> list[tuple[str, tuple[int, int]]]:
    """The statements of *example*'s setup: their source, and their line range."""
    return [
        (source_of(example.lines, start, end), (start, end))
        for start, end in statements(example.lines)
        if end <= example.setup_end
    ]


def _is_import(source: str) -> bool:
    return source.startswith(("import ", "from "))


def _without(example: Example, spans: set[tuple[int, int]]) -> Example:
    """*example* with the lines of the statements at *spans* left out."""
    if not spans:
        return example
    gone = {index for start, end in spans for index in range(start, end)}
    lines = tuple(line for index, line in enumerate(example.lines) if index not in gone)
    at = None if example.outcome_at is None else example.outcome_at - len(gone)
    return replace(
        example, lines=lines, outcome_at=at, setup_end=example.setup_end - len(gone), repr_form=None
    )
