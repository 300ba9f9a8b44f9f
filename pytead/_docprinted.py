"""Examples of calls that print: what the call printed is shown before its result.

A recorded case keeps what the call returned or raised, not what it wrote to standard output,
so an example of a command-line ``main(["query.sql"])`` that prints its report and returns ``0``
fails as built: doctest sees the report before the ``0``. The run that verifies it
(`pytead._doccheck`) tells what the call printed when the rest of what it gave is exactly the
recorded outcome; the example is then written again with those lines before its outcome, as a
person would see them in a REPL (``main(["query.sql"])``, then ``select *``, ``from t`` and
``0``), and run once more: it is kept only if that run gives the same lines, so that output which
changes from run to run (a time, a path made afresh) is never shown. The lines must read back as
doctest wrote them: no more than `MAX_PRINTED_LINES`, none longer than an example's line, none
ending in spaces (an editor would strip them), a blank one written ``<BLANKLINE>``. Output
that does not end its last line has the result written on it, as a REPL shows it.
"""

from __future__ import annotations

import dataclasses

from pytead._examples import Example, unclean_lines

#: The most lines a call's printed output may take in an example: a docstring shows a call,
#: not a whole report.
MAX_PRINTED_LINES = 12


def with_printed(example: Example, text: str) -> Example | None:
    """*example* with *text*, what its call printed, before its outcome; None if not showable.

    Examples:
        >>> call = Example("c1", (">>> report()", "0"), False, "int", outcome_at=1)
        >>> with_printed(call, "total: 3\\n\\n").lines
        ('>>> report()', 'total: 3', '<BLANKLINE>', '0')
        >>> with_printed(call, "no line end: ").lines  # a REPL writes the result right after
        ('>>> report()', 'no line end: 0')
    """
    at = len(example.lines) if example.outcome_at is None else example.outcome_at
    outcome = list(example.lines[at:])
    lines = text.split("\n")
    if lines[-1] and outcome:  # no line end: the result is written on the last line printed
        lines[-1] += outcome.pop(0)
    elif not lines[-1]:
        lines.pop()
    if not lines or len(lines) > MAX_PRINTED_LINES:
        return None
    if any(line != line.rstrip() for line in lines):
        return None
    shown = [line if line else "<BLANKLINE>" for line in lines]
    if any(line.lstrip().startswith(">>>") for line in shown):
        return None  # doctest would read it as a new example
    body = (*example.lines[:at], *shown, *outcome)
    if unclean_lines(body) is not None:
        return None
    try:
        return dataclasses.replace(example, lines=body, repr_form=None, outcome_at=at)
    except ValueError:  # a character the line does not show
        return None
