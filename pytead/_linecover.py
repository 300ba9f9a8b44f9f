"""Line-guided case selection: after the limit, keep only the calls that behave differently.

The first `limit` distinct calls of a target are often alike (a test suite's first calls set
things up the same way); the calls that take the other branches come later. Once a target has
its first cases, a capture backend that sees which lines of the target's own code a call runs
(``sys.monitoring`` LINE events on 3.12+, line probes in the recompiled code on 3.11) keeps
observing it for a bounded while, its *exploring phase*: a further call becomes a case if it
ran a line that no recorded case of the target ran or, up to half as many more cases, if it
took a *path* no recorded case took: lines already seen, but in a combination no
case ran (``-0x10``: the sign branch of ``-12`` and the base branch of ``0x10``), or ending in
another *kind* of outcome (`outcome_kind`: another exception type, a returned ``None``, an empty
list where the cases returned full ones). Lines are those of the target's own code object, of
the functions defined inside it, and, for a decorator's wrapper, of the function it wraps
(`wrapped_function`), never of what they call.

The phase ends, and the target is closed as without it, at the first of: `Explore.cases` more
cases kept for new lines, `Explore.calls` calls observed, or `Explore.patience` distinct new
inputs in a row that brought nothing new. The choice depends only on the calls the program
makes, in their order, so the same run records the same cases.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field

#: How many frames above a function defined inside a target the target's call may be (the
#: nested function called by a helper, ``map()`` or a generator expression).
NESTED_HOPS = 4
#: A call's path: the lines it ran and the kind of its outcome (see `outcome_kind`).
Path = tuple[frozenset[int], str]
#: Types whose emptiness tells two outcomes apart (builtins only: no code of the program runs).
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
#: Types whose zero tells two outcomes apart.
_NUMBERS = (int, float)


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
    #: Case ids of inputs observed in this phase that brought nothing new (never tried again).
    tried: set[str] = field(default_factory=set)
    #: The paths of the recorded cases.
    paths: set[Path] = field(default_factory=set)
    #: Cases kept by this phase for a new path alone (their lines were all seen).
    varied: int = 0
    #: Whether calls still report every line they run (a backend may stop it: `lines_only`).
    whole: bool = True
    #: Line events counted while calls report every line (by a backend that bounds them).
    events: int = 0

    @property
    def variants(self) -> int:
        """The most cases kept for a new path alone, besides the `cases` kept for new lines:
        half as many (none once calls no longer report every line)."""
        return self.cases // 2 if self.whole else 0

    @property
    def most(self) -> int:
        """The most cases the phase may keep in all: `cases` for new lines, and for paths."""
        return self.cases + self.cases // 2

    @property
    def over(self) -> bool:
        """Whether the phase is at one of its bounds: the target can be closed."""
        spent = self.kept - self.varied >= self.cases
        return spent or self.observed >= self.calls or self.barren >= self.patience

    def runs_new(self, lines: set[int]) -> bool:
        """Whether a call that ran *lines* ran one that no recorded case ran."""
        return not lines <= self.lines

    def worth_keeping(self, lines: set[int], kind: str) -> bool:
        """Whether a call of the phase that ran *lines* and ended in *kind* is to be a case."""
        if self.runs_new(lines):
            return self.kept - self.varied < self.cases
        return self.varied < self.variants and (frozenset(lines), kind) not in self.paths

    def recorded(self, lines: set[int], kind: str) -> None:
        """A call that ran *lines* and ended in *kind* is a case: its lines and path are seen."""
        self.lines |= lines
        if self.whole:
            self.paths.add((frozenset(lines), kind))

    def nothing_new(self, case_id: str) -> None:
        """A call with inputs *case_id* ended without bringing anything new."""
        if case_id not in self.tried:
            self.tried.add(case_id)
            self.barren += 1

    def kept_one(self, lines: set[int], kind: str) -> None:
        """A call of the phase became a case (for new lines, or for a new path alone)."""
        if not self.runs_new(lines):
            self.varied += 1
        self.kept += 1
        self.barren = 0
        self.recorded(lines, kind)

    def lines_only(self) -> None:
        """Calls no longer report every line they run (lines seen are switched off): only new
        lines count from now."""
        self.whole = False
        self.paths.clear()


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


def outcome_kind(value: object = None, error: BaseException | None = None) -> str:
    """The kind of a call's outcome, which tells calls running the same lines apart.

    The type of the exception raised or of the value returned, and for a value: ``None``,
    ``True`` or ``False``, an empty builtin container or string, a zero. Only exact builtin
    types are looked into: nothing of the program runs (no ``__len__``, no ``__eq__``).

    Examples:
        >>> outcome_kind([]), outcome_kind([1]), outcome_kind(None), outcome_kind(0.0)
        ('list empty', 'list', 'None', 'float zero')
        >>> outcome_kind(error=KeyError("k"))
        'raised KeyError'
    """
    if error is not None:
        return f"raised {_type_name(type(error))}"
    if value is None or value is True or value is False:
        return repr(value)
    kind: type = type(value)
    if kind in _SIZED and not value:
        return f"{_type_name(kind)} empty"
    if kind in _NUMBERS and value == 0:
        return f"{_type_name(kind)} zero"
    return _type_name(kind)


def _type_name(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
