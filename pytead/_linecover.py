"""Line-guided case selection: after the limit, keep only the calls that run new lines.

The first `limit` distinct calls of a target are often alike (a test suite's first calls set
things up the same way); the calls that take the other branches come later. Once a target has
its first cases, a capture backend that sees which lines of the target's own code a call runs
(``sys.monitoring`` LINE events on 3.12+, line probes in the recompiled code on 3.11) keeps
observing it for a bounded while, its *exploring phase*: a further call becomes a case only if
it ran a line that no recorded case of the target ran. Lines are those of the target's own
code object and, for a decorator's wrapper, of the function it wraps (`wrapped_function`),
never of what they call.

The phase ends, and the target is closed as without it, at the first of: `Explore.cases` more
cases kept, `Explore.calls` calls observed, or `Explore.patience` distinct new inputs in a row
that ran nothing new. The choice depends only on the calls the program makes, in their order,
so the same run records the same cases.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field


@dataclass(slots=True)
class Explore:
    """The exploring phase of one target: its bounds, and what it has seen so far."""

    #: The most cases kept beyond the limit.
    cases: int
    #: The most calls observed beyond the limit (each pays one encoding of its inputs).
    calls: int
    #: How many distinct inputs in a row may run nothing new before observing stops.
    patience: int
    #: Lines of the target's code run by its recorded cases.
    lines: set[int] = field(default_factory=set)
    #: Cases kept by this phase so far.
    kept: int = 0
    #: Calls observed by this phase so far.
    observed: int = 0
    #: Distinct inputs in a row that ran no new line.
    barren: int = 0
    #: Case ids of inputs observed in this phase that ran no new line (never tried again).
    tried: set[str] = field(default_factory=set)

    @property
    def over(self) -> bool:
        """Whether the phase is at one of its bounds: the target can be closed."""
        return (
            self.kept >= self.cases or self.observed >= self.calls or self.barren >= self.patience
        )

    def runs_new(self, lines: set[int]) -> bool:
        """Whether a call that ran *lines* ran one that no recorded case ran."""
        return not lines <= self.lines

    def nothing_new(self, case_id: str) -> None:
        """A call with inputs *case_id* ended without running a new line."""
        if case_id not in self.tried:
            self.tried.add(case_id)
            self.barren += 1

    def kept_one(self, lines: set[int]) -> None:
        """A call that ran new lines became a case."""
        self.kept += 1
        self.barren = 0
        self.lines |= lines


def wrapped_function(function: object) -> types.FunctionType | None:
    """The function a decorator's wrapper stands for (``__wrapped__``), whose lines count too.

    A target made by a decorator (``functools.wraps``) runs the same few wrapper lines on every
    call: the lines that tell its calls apart are those of the function it wraps. They are
    kept as negative numbers (`wrapped_line`), apart from the wrapper's own.
    """
    inner = getattr(function, "__wrapped__", None)
    if not isinstance(inner, types.FunctionType) or inner is function:
        return None
    if inner.__code__ is getattr(function, "__code__", None):
        return None
    return inner


def wrapped_line(line: int) -> int:
    """How line *line* of the wrapped function is noted among the target's lines."""
    return -line
