"""The documentation figures of the field benchmark, read from docstrings and enrich-docs' output.

- `has_handwritten_examples`: a docstring already shows examples when it has a Google
  ``Examples:`` heading, a numpy ``Examples`` heading underlined with dashes, or any ``>>>``
  line; such functions are left out of the "examples added" figure.
- `shown_outcomes`: the distinct outcomes a pytead section shows: each distinct expected-output
  block of its doctest examples, each distinct exception type of a ``Traceback`` block, and
  a call of the function that prints nothing (it returned None).
- `skip_reasons`, `printed_reasons`, `report_reasons`, `enrich_reasons`: why enrich-docs gave
  a function no example, from its printed lines or from its ``--report-json`` report;
  `grouped_reasons` groups them by kind.
- `doc_figures`: a package's figures from its targets (see `fieldbench.doctargets`) and
  those reasons.
"""

from __future__ import annotations

import ast
import doctest
import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from fieldbench.report import failure_class

NO_REASON = "no reason given"

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


def shown_outcomes(section: str, name: str | None = None) -> int:
    """How many distinct outcomes the doctest examples of *section* show.

    An example's outcome is its expected output, or for a traceback the exception's type;
    examples with no output (an assignment, an import) show none, except a call of the
    function *name* (or a read of the attribute *name*), which shows that it returned None.

    >>> shown_outcomes(">>> search('a', 'b')\\n>>> search('a', 'a')\\n<Result>\\n", "search")
    2
    """
    seen: set[str] = set()
    for example in doctest.DocTestParser().get_examples(section):
        if example.exc_msg is not None:
            seen.add("raised " + _exception_type(example.want))
        elif example.want.strip():
            seen.add("returned " + example.want.strip())
        elif name is not None and _uses(example.source, name):
            seen.add("returned None")
    return len(seen)


def count_examples(section: str) -> int:
    """How many doctest examples (``>>>`` statements) *section* holds."""
    return len(doctest.DocTestParser().get_examples(section))


def _uses(source: str, name: str) -> bool:
    """Whether *source* is an expression (not an assignment) that calls or reads *name*."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return False
    for node in ast.walk(tree.body[0]):
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Attribute) and node.attr == name:
            return True
    return False


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


_DROPPED = re.compile(
    r"^pytead: dropped an example of (?P<target>\S+) \(case [^)]*\): (?P<why>.+)$"
)
_MISSING = re.compile(r"^pytead: (?P<target>\S+) was not found under the given paths$")


def printed_reasons(output: str) -> dict[str, str]:
    """Why enrich-docs gave each function no example, read from what it printed.

    A function it skipped has its reason; one whose source was not found says so; one whose
    every candidate was dropped as not reproducible has the first drop's reason. (A function
    with examples may have dropped candidates too: only the functions without examples are
    looked up here.)
    """
    found: dict[str, str] = {}
    for line in output.splitlines():
        text = line.strip()
        if match := _DROPPED.match(text):
            found.setdefault(match["target"], "no example reproduced: " + match["why"])
        elif match := _MISSING.match(text):
            found[match["target"]] = "its source was not found under the given paths"
    found.update(skip_reasons(output))
    return found


def report_reasons(text: str) -> dict[str, str] | None:
    """The reason of each skipped target in an ``enrich-docs --report-json`` report.

    The reader forgives: an entry without a target is ignored, a skipped one without a
    reason is "no reason given"; a report that is not JSON, or not of that shape, gives
    None (then the printed lines are read instead).
    """
    try:
        data = json.loads(text)
    except ValueError:
        return None
    entries = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    found: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("target"), str):
            found[entry["target"]] = _entry_reason(entry)
    return found


def enrich_reasons(output: str, report: str | None) -> tuple[dict[str, str], str]:
    """Each target's reason for having no example, and where the reasons were read.

    The report's reasons win when it can be read (``"report"``); what enrich-docs printed
    covers what the report lacks, and is all there is without one (``"output"``).
    """
    reasons = printed_reasons(output)
    reported = None if report is None else report_reasons(report)
    reasons.update(reported or {})
    return reasons, "output" if reported is None else "report"


def _entry_reason(entry: dict[str, Any]) -> str:
    if entry.get("status") == "examples":
        return "reported as written, but no pytead section is in its docstring"
    kind, reason = entry.get("reason_kind"), entry.get("reason")
    parts = [str(part) for part in (kind, reason) if part]
    return ": ".join(parts) or NO_REASON


def grouped_reasons(missing: list[str], reasons: dict[str, str]) -> dict[str, int]:
    """The reasons of the functions in *missing*, grouped by kind ("no reason given" if none)."""
    counts = Counter(failure_class(reasons.get(name, NO_REASON)) for name in missing)
    return dict(counts.most_common())


def doc_figures(targets: Sequence[dict[str, Any]], reasons: dict[str, str]) -> dict[str, Any]:
    """A package's documentation figures from its targets' records (`fieldbench.doctargets`).

    Returns:
        ``traced`` (targets with a recorded case), ``handwritten`` (of those, with examples
        in the original docstring), ``eligible`` (the others) and ``added`` (of those, with a
        pytead section); ``several_outcomes`` (eligible targets with two or more distinct
        recorded outcomes) and ``outcomes_shown`` (of those, showing two or more);
        ``no_example_reasons``: why the traced targets without a section have none, grouped;
        ``examples_in_sections``: the ``>>>`` examples of the traced targets' sections, which
        the doctest figure must have counted.
    """
    traced = [target for target in targets if target.get("cases", 0) > 0]
    eligible = [target for target in traced if not target.get("handwritten")]
    several = [target for target in eligible if target.get("outcomes_recorded", 0) >= 2]
    missing = [str(target["target"]) for target in traced if not target.get("section")]
    return {
        "traced": len(traced),
        "handwritten": len(traced) - len(eligible),
        "eligible": len(eligible),
        "added": sum(1 for target in eligible if target.get("section")),
        "several_outcomes": len(several),
        "outcomes_shown": sum(1 for target in several if target.get("outcomes_shown", 0) >= 2),
        "no_example_reasons": grouped_reasons(missing, reasons),
        "examples_in_sections": sum(t.get("examples", 0) for t in traced if t.get("section")),
    }
