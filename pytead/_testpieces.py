"""The pieces of a test, as `pytead._testcases` builds them from a case and `pytead._testgen`
lays them out: the set-up (assignments, and the calls of an instance's history), the call, what
is asserted and how.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from pytead._checks import Check
from pytead._codec.source import Import
from pytead._pyformat import Doc, layout

Shape = Literal["value", "snapshot", "raises", "nondeterministic", "state", "truth"]
#: An argument as the call receives it: one document, items of ``*args``, or ``**kwargs``.
ArgDoc = Doc | list[Doc] | dict[str, Doc]


@dataclass
class Pieces:
    """What a case's test needs, ready to be laid out.

    Attributes:
        shape: How the outcome is asserted: equal to *expected* (``value``), to a snapshot, raised;
            only its type (``nondeterministic``); kept in ``result`` for the checks in *after*
            (``state``); the call is itself the assertion (``truth``, a pattern's search).
        setup: ``(variable, value)`` assignments made before the call.
        steps: Calls made on set-up variables before the call (an instance's history).
        call: The expression that makes the call (already run/consumed for async/generators).
        expected: The inline expected value (shape ``value``), or the type (``nondeterministic``).
        snapshot_value: The recorded value for the ``.ambr`` file (shape ``snapshot``).
        error: The exception class and match pattern; with items expected first for a
            generator that raised after yielding.
        after: ``(expression, expected)`` checks after the call (the result's state, mutated
            args, the attributes of ``self`` it changed); with no expected value, the
            expression is asserted as it is.
        reader: The checks on ``self`` (the last of *after*): their readers, with `RECEIVER`
            for the instance, and whether they have an expected value, for tables; empty when
            the call changed nothing.
        note: A comment for the reader.
        imports: What the case's test imports (a failed import then points to its cases).
        tabular: Whether the case may share a parametrized table (the table's call is the plain
            call, so a case that reads its result another way gets a test of its own).
        roads: How many of the case's values took each road (see `pytead._roads`).
        by_equality: Whether a value of the case was accepted by its class's ``==`` rather than
            by its recorded state: if its test fails, the case is written again without that.
        definitions: Local functions the test defines before its set-up, each its source
            (function arguments written from the project's source, see `pytead._localsource`).
    """

    shape: Shape
    setup: list[tuple[str, Doc]] = field(default_factory=list)
    call: Doc = ""
    expected: Doc = ""
    snapshot_value: Any = None
    error: tuple[str, Doc] | None = None
    after: list[Check] = field(default_factory=list)
    reader: tuple[Reader, ...] = ()
    note: str = ""
    imports: frozenset[Import] = frozenset()
    tabular: bool = True
    steps: list[SetupStep] = field(default_factory=list)
    roads: Counter[str] = field(default_factory=Counter)
    by_equality: bool = False
    definitions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetupStep:
    """A call made on a set-up variable before the call under test.

    Attributes:
        after: The index in `Pieces.setup` of the assignment it follows.
        call: The call, e.g. ``cart.add("MUG", 1)``.
        raises: ``pytest.raises(Type)`` when the call raised in the program.
    """

    after: int
    call: Doc
    raises: Doc | None = None


def setup_lines(pieces: Pieces, indent: str) -> list[str]:
    """The set-up of a test: each assignment, followed by the calls made on its variable."""
    lines = definition_lines(pieces, indent)
    for index, (variable, value) in enumerate(pieces.setup):
        lines += layout(value, indent=indent, prefix=f"{variable} = ")
        for step in pieces.steps:
            if step.after == index:
                lines += _step_lines(step, indent)
    return lines


def definition_lines(pieces: Pieces, indent: str) -> list[str]:
    """The local functions of a test, indented, each followed by a blank line."""
    lines: list[str] = []
    for definition in pieces.definitions:
        lines += [indent + line if line.strip() else "" for line in definition.splitlines()]
        lines.append("")
    return lines


def _step_lines(step: SetupStep, indent: str) -> list[str]:
    if step.raises is None:
        return layout(step.call, indent=indent)
    manager = layout(step.raises, indent=indent, prefix="with ", suffix=":")
    return manager + layout(step.call, indent=indent * 2)


#: Stands for the instance in a state reader shared by the rows of a table (no code holds it).
RECEIVER = "\x00receiver\x00"
#: A check on the instance as the rows of a table share it: its reader (with `RECEIVER`), and
#: whether it compares with an expected value (else it is asserted as it is).
Reader = tuple[str, bool]


def assign(pieces: Pieces, variable: str, doc: Doc, steps: list[tuple[Doc, Doc | None]]) -> None:
    """``variable = doc`` in the set-up, then the *steps* made on it."""
    pieces.setup.append((variable, doc))
    after = len(pieces.setup) - 1
    pieces.steps += [SetupStep(after, call, raises) for call, raises in steps]


def take_definitions(pieces: Pieces, definitions: list[str]) -> None:
    """Give *pieces* the local functions its values named, once each; such a test stands alone
    (a table's rows are plain expressions, with no room for a definition)."""
    pieces.definitions = tuple(dict.fromkeys(definitions))
    if pieces.definitions:
        pieces.tabular = False
