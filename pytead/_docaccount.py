"""Every traced function accounted for: its examples, or the one reason it has none (pure).

``enrich-docs`` gathers, for each target with recorded cases, what each step learnt about it
(`Evidence`): whether its source was found, which cases cannot be shown and why, which examples
did not reproduce, what editing its docstring gave. `account` turns that into an `Account`: the
examples written, or one reason of a known kind, so that "N traced, M got examples, K without"
adds up, and `render_report_json` writes the accounts as the ``--report-json`` file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from pytead._examples import Example, Unshown
from pytead._model import Case, Fixture, Raised

ReasonKind = Literal[
    "hand-written",
    "no-case-reproduced",
    "no-receiver",
    "no-source",
    "unsafe-docstring",
    "no-showable-case",
]
#: The kinds in the order the summary counts them.
REASON_KINDS: tuple[ReasonKind, ...] = get_args(ReasonKind)
#: Version of the ``--report-json`` format.
REPORT_VERSION = 1
#: How `pytead._docstrings` words a docstring it leaves alone for its own Examples section.
HAND_WRITTEN = "hand-written Examples section"


@dataclass
class Evidence:
    """What planning learnt about one traced target.

    Attributes:
        fixture: Its recorded cases (all those its fixture holds, before screening).
        located: Whether its source was found.
        unshown: Its cases that make no example, and why (in the fixture's order).
        dropped: Why each verified example did not reproduce, in the order they were run.
        edit: Why its docstring was left alone ("" when it was edited or had nothing to do).
        chosen: The verified examples picked for its docstring (and its pages).
        refused: The first line refusing one of its cases (unreadable, untrusted), if any.
        refused_whole: Its whole fixture was refused (its module is not trusted): nothing of
            it was looked for in the sources.
    """

    fixture: Fixture
    located: bool = False
    unshown: list[Unshown] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    edit: str = ""
    chosen: Sequence[Example] = ()
    refused: str = ""
    refused_whole: bool = False


@dataclass(frozen=True)
class Account:
    """One traced target in the report: its examples, or why it has none.

    Attributes:
        target: The target's dotted name.
        examples: Examples written into its docstring.
        outcomes_recorded: Distinct outcomes among its recorded cases (a value returned or
            yielded; an exception counted by its type).
        outcomes_shown: Distinct outcomes among the examples written.
        reason_kind: When it got no example, the kind of reason (one of `REASON_KINDS`).
        reason: When it got no example, the one-line reason printed.
    """

    target: str
    examples: int
    outcomes_recorded: int
    outcomes_shown: int
    reason_kind: ReasonKind | None = None
    reason: str | None = None

    @property
    def status(self) -> str:
        """``"examples"`` when examples were written, else ``"skipped"``."""
        return "skipped" if self.reason_kind is not None else "examples"

    def line(self) -> str:
        """``module.qualname: reason``, the line printed for a target without examples."""
        return f"{self.target}: {self.reason}"


def account(evidence: Evidence) -> Account:
    """The account of one target, from what planning learnt about it."""
    written = [] if evidence.edit else list(evidence.chosen)
    cases = {case.id: case for case in evidence.fixture.cases}
    why = _why(evidence, written)
    return Account(
        evidence.fixture.target.name,
        len(written),
        _distinct(cases.values()),
        _distinct(cases[e.case_id] for e in written if e.case_id in cases),
        *(why or (None, None)),
    )


def _why(evidence: Evidence, written: list[Example]) -> tuple[ReasonKind, str] | None:
    """The kind and text of the reason a target got no example, or ``None`` when it got some.

    A missing source or a hand-written section come first, as the user's own choices; then what
    kept the cases out; an unsafe docstring last, as the reason examples that were ready did
    not land.
    """
    if evidence.refused_whole:
        return "no-showable-case", f"no case can be shown: {evidence.refused}"
    if not evidence.located:
        return "no-source", "its source was not found under the given paths"
    if HAND_WRITTEN in evidence.edit:
        return "hand-written", evidence.edit
    if written:
        return None
    if evidence.chosen:
        return "unsafe-docstring", evidence.edit
    if evidence.dropped:
        return "no-case-reproduced", f"no recorded case reproduced: {evidence.dropped[0]}"
    if evidence.unshown:
        return _unshown_reason(evidence.unshown)
    if evidence.refused:
        return "no-showable-case", f"no case can be shown: {evidence.refused}"
    if evidence.edit:
        return "unsafe-docstring", evidence.edit
    return "no-showable-case", "no case can be shown: none was asked for (--max-examples 0)"


def _unshown_reason(unshown: list[Unshown]) -> tuple[ReasonKind, str]:
    """The reason most of the cases give (the receiver's, on a tie), with its first case."""
    receivers = [item for item in unshown if item.no_receiver]
    if len(receivers) * 2 >= len(unshown):
        return "no-receiver", receivers[0].reason
    first = next(item for item in unshown if not item.no_receiver)
    return "no-showable-case", f"no case can be shown: {first.reason} (case {first.case_id})"


def _distinct(cases: Iterable[Case]) -> int:
    return len({_outcome_key(case) for case in cases})


def _outcome_key(case: Case) -> str:
    """A case's outcome as text to compare: the exception's type, or the value's tree."""
    if isinstance(case.outcome, Raised):
        return f"raised {case.outcome.type}"
    value = case.yields if case.yields is not None else case.outcome.value
    try:
        return f"returned {value!r}"
    except RecursionError:  # a deeply nested value: counted apart rather than compared
        return f"returned (case {case.id})"


def reason_counts(accounts: Iterable[Account]) -> dict[ReasonKind, int]:
    """How many targets got no example for each kind of reason, in `REASON_KINDS` order."""
    counts = Counter(a.reason_kind for a in accounts if a.reason_kind is not None)
    return {kind: counts[kind] for kind in REASON_KINDS if counts[kind]}


def render_tally(accounts: Sequence[Account]) -> str:
    """``5 traced, 3 got examples, 2 without (1 hand-written, 1 no-source)``.

    Examples:
        >>> render_tally([Account("m.f", 2, 2, 2), Account("m.g", 0, 1, 0, "no-source", "...")])
        '2 traced, 1 got examples, 1 without (1 no-source)'
    """
    without = reason_counts(accounts)
    shown = len(accounts) - sum(without.values())
    kinds = ", ".join(f"{count} {kind}" for kind, count in without.items())
    tail = f" ({kinds})" if kinds else ""
    return f"{len(accounts)} traced, {shown} got examples, {sum(without.values())} without{tail}"


def render_report_json(accounts: Iterable[Account]) -> str:
    """The ``--report-json`` document: one entry per target, sorted by target."""
    targets = [
        {
            "target": a.target,
            "status": a.status,
            "reason_kind": a.reason_kind,
            "reason": a.reason,
            "examples": a.examples,
            "outcomes_recorded": a.outcomes_recorded,
            "outcomes_shown": a.outcomes_shown,
        }
        for a in sorted(accounts, key=lambda a: a.target)
    ]
    return (
        json.dumps({"version": REPORT_VERSION, "targets": targets}, indent=1, ensure_ascii=False)
        + "\n"
    )
