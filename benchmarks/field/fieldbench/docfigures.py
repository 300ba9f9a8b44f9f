"""The documentation figures of the field benchmark, read from docstrings and enrich-docs' output.

- `has_handwritten_examples`: a docstring already shows examples when it has a Google
  ``Examples:`` heading, a numpy ``Examples`` heading underlined with dashes, or any ``>>>``
  line; such functions are left out of the "examples added" figure.
- `shown_outcomes`: the distinct outcomes a pytead section shows: each distinct expected-output
  block of its doctest examples, and each distinct exception type of a ``Traceback`` block.
- `skip_reasons`: why enrich-docs gave a function no example, grouped, from its printed lines.
"""

from __future__ import annotations

import doctest
import re
from collections import Counter

from fieldbench.report import failure_class

_GOOGLE = re.compile(r"^[ \t]*Examples?:[ \t]*$", re.MULTILINE)
_NUMPY = re.compile(r"^[ \t]*Examples?[ \t]*\n[ \t]*-{3,}[ \t]*$", re.MULTILINE)
_PROMPT = re.compile(r"^[ \t]*>>>", re.MULTILINE)
_SKIPPED = re.compile(r"^pytead: (?:skipped|left alone) (?P<target>\S+?):? (?P<reason>.+)$")


def has_handwritten_examples(docstring: str | None) -> bool:
    """Whether *docstring* (of the original, unenriched source) already shows examples.

    >>> has_handwritten_examples("Add.\\n\\n    >>> add(1, 2)\\n    3\\n")
    True
    >>> has_handwritten_examples("Add two numbers.")
    False
    """
    if not docstring:
        return False
    return any(rule.search(docstring) for rule in (_GOOGLE, _NUMPY, _PROMPT))


def shown_outcomes(section: str) -> int:
    """How many distinct outcomes the doctest examples of *section* show.

    An example's outcome is its expected output, or for a traceback the exception's type;
    examples with no output (an assignment) show none.
    """
    seen: set[str] = set()
    for example in doctest.DocTestParser().get_examples(section):
        if example.exc_msg is not None:
            seen.add("raised " + _exception_type(example.want))
        elif example.want.strip():
            seen.add("returned " + example.want.strip())
    return len(seen)


def _exception_type(want: str) -> str:
    last = [line for line in want.strip().splitlines() if line.strip()][-1]
    return last.partition(":")[0].strip()


def skip_reasons(output: str) -> dict[str, str]:
    """The reason enrich-docs printed for each function it gave no example, by target."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        if match := _SKIPPED.match(line.strip()):
            found[match["target"]] = match["reason"]
    return found


def grouped_reasons(missing: list[str], reasons: dict[str, str]) -> dict[str, int]:
    """The reasons of the functions in *missing*, grouped by kind ("no reason given" if none)."""
    counts = Counter(failure_class(reasons.get(name, "no reason given")) for name in missing)
    return dict(counts.most_common())
