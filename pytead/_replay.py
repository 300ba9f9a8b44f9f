"""``pytead replay``: make every recorded call again on today's code and say what changed.

Each replayable case is rebuilt from its fixture (instance, arguments), the call is made, and its
outcome (returned value or exception, ``self`` state, mutated arguments, yielded items) is
encoded with the same codec as at capture and compared with the recorded one. ``--update``
writes the new outcomes into the fixtures, so an intended change can be accepted and the tests
generated again.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import difflib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytead._calls import parse_parameters, split_arguments
from pytead._codec import Decoder, Encoder, Node, Tagged, canonical, dump_yaml
from pytead._codec.nodes import state_only
from pytead._model import (
    Case,
    Fixture,
    Outcome,
    Raised,
    Returned,
    case_to_node,
    outcome_from_node,
    outcome_key,
    outcome_kind,
)
from pytead._store import StoredFixture, write_fixture
from pytead._trust import locate_target


@dataclass(frozen=True)
class CaseChange:
    """A case whose behaviour changed.

    Attributes:
        case: The case as recorded.
        updated: The case with today's outcome.
        diff: A readable diff of the recorded and the new outcome.
    """

    case: Case
    updated: Case
    diff: str


@dataclass
class TargetReplay:
    """What replaying one fixture found.

    *error* says why its target cannot be reached; *refused* lists, with file and line, the
    untrusted names that kept the fixture from being replayed at all (see `pytead._screen`).
    """

    stored: StoredFixture
    unchanged: int = 0
    changed: list[CaseChange] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""
    refused: list[str] = field(default_factory=list)


def replay_fixture(stored: StoredFixture) -> TargetReplay:
    """Make every replayable call of *stored* again and compare the outcomes."""
    report = TargetReplay(stored)
    try:
        make_call = _caller(stored.fixture)
    except Exception as exc:
        report.error = f"cannot be reached any more ({type(exc).__name__}: {exc})"
        return report
    for case in stored.fixture.cases:
        if not case.replayable:
            report.skipped.append((case.id, "inputs not recorded in full"))
            continue
        try:
            updated = _replayed(stored.fixture, case, make_call)
        except Exception as exc:
            report.skipped.append((case.id, f"cannot rebuild its inputs ({exc})"))
            continue
        if _same_behaviour(case, updated):
            report.unchanged += 1
        else:
            report.changed.append(CaseChange(case, updated, _diff(case, updated)))
    return report


def accept(report: TargetReplay) -> bool:
    """Write the new outcomes of *report* into its fixture; return whether the file changed."""
    updated = {change.case.id: change.updated for change in report.changed}
    cases = tuple(updated.get(case.id, case) for case in report.stored.fixture.cases)
    return write_fixture(report.stored.path, report.stored.fixture.replace_cases(cases))


def _caller(fixture: Fixture) -> Callable[[Any, tuple[Any, ...], dict[str, Any]], Any]:
    """How to call the target, given an instance (or ``None``) and arguments."""
    info = fixture.target
    if info.kind == "function":
        function: Any = locate_target(info.name)
        return lambda _instance, args, kwargs: function(*args, **kwargs)
    owner_name, _, attribute = info.name.rpartition(".")
    owner = locate_target(owner_name)
    if info.kind == "property":
        return lambda instance, _args, _kwargs: getattr(instance, attribute)
    if info.kind in ("classmethod", "staticmethod"):
        method = getattr(owner, attribute)
        return lambda _instance, args, kwargs: method(*args, **kwargs)
    return lambda instance, args, kwargs: getattr(instance, attribute)(*args, **kwargs)


def _replayed(fixture: Fixture, case: Case, make_call: Callable[..., Any]) -> Case:
    decoder = Decoder()
    instance = decoder.decode(case.self) if case.self is not None else None
    args = {key: decoder.decode(node) for key, node in case.args.items()}
    params = parse_parameters(fixture.target.signature)
    if fixture.target.kind in ("method", "classmethod", "property"):
        params = params[1:]
    call = split_arguments(args, params)
    positional = tuple(value for _, value in call.positional)
    with contextlib.redirect_stdout(io.StringIO()):  # keep the report readable
        outcome, yields = _outcome(
            lambda: make_call(instance, positional, dict(call.keywords)), fixture, case
        )
    encoder = Encoder()
    after = _state_after(encoder, case, instance)
    args_after = _args_after(encoder, case, args)
    return dataclasses.replace(
        case, outcome=outcome, yields=yields, self_after=after, args_after=args_after
    )


def _outcome(
    call: Callable[[], Any], fixture: Fixture, case: Case
) -> tuple[Outcome, list[Node] | None]:
    encoder = Encoder()
    yields: list[Node] | None = None if case.yields is None else []
    try:
        result = call()
        if fixture.target.is_async:
            result = asyncio.run(result)
        if yields is not None:
            result = _drive(result, case, yields)
        return Returned(encoder.encode(result)), yields
    except Exception as exc:
        message = str(exc)
        extra = None if exc.args == (message,) else encoder.encode(list(exc.args))
        kind = type(exc)
        return Raised(f"{kind.__module__}.{kind.__qualname__}", message, extra), yields


def _drive(generator: Any, case: Case, yields: list[Node]) -> Any:
    """Resume *generator* as the program did (no further), noting its items; its return value.

    The items given before an error stay in *yields* when it raises.
    """
    steps = list(case.driven or [])
    wanted = None if case.complete else len(case.yields or [])
    while wanted is None or len(yields) < wanted:
        step = steps[len(yields)] if len(yields) < len(steps) else "next"
        try:
            item = _resume(generator, step)
        except StopIteration as stop:
            return stop.value
        yields.append(Encoder().encode(item))
    return None


def _resume(generator: Any, step: Node) -> Any:
    if isinstance(step, dict) and "send" in step:
        return generator.send(Decoder().decode(step["send"]))
    thrown = step.get("throw") if isinstance(step, dict) else None
    if isinstance(thrown, dict):
        raised = outcome_from_node({"raised": thrown})
        assert isinstance(raised, Raised)
        args: Node = raised.args if raised.args is not None else [raised.message]
        return generator.throw(Decoder().decode(Tagged("obj", {"type": raised.type, "args": args})))
    return next(generator)


def _state_after(encoder: Encoder, case: Case, instance: Any) -> Node:
    if instance is None or not isinstance(case.self, Tagged):
        return None
    after = encoder.encode_fresh(instance)
    before = case.self.value.get("state") if isinstance(case.self.value, dict) else None
    if (only := state_only(after)) is not None:
        state = only[0]
        return None if canonical(state) == canonical(before) else state
    if canonical(after) == canonical(case.self):
        return None
    if isinstance(case.self_after, dict) and isinstance(after, Tagged):
        # recorded before items counted as state (a dict subclass's attributes alone)
        state = after.value.get("state") if isinstance(after.value, dict) else None
        return None if canonical(state) == canonical(before) else state
    return after


def _args_after(encoder: Encoder, case: Case, args: dict[str, Any]) -> dict[str, Node]:
    changed = {}
    for key, value in args.items():
        after = encoder.encode_fresh(value)
        if canonical(after) != canonical(case.args[key]):
            changed[key] = after
    return changed


def _same_behaviour(recorded: Case, today: Case) -> bool:
    return (
        _same_outcome(recorded, today.outcome)
        and canonical(recorded.self_after) == canonical(today.self_after)
        and canonical(recorded.args_after) == canonical(today.args_after)
        and canonical(recorded.yields) == canonical(today.yields)
    )


def _same_outcome(recorded: Case, outcome: Outcome) -> bool:
    """A recorded outcome; for a nondeterministic case, any outcome of a recorded kind.

    A fixture keeps one example of each kind of outcome of such a case (a clock, a random
    draw), so today's value is compared by kind: the type returned or the exception raised.
    """
    outcomes = (recorded.outcome, *recorded.other_outcomes)
    if outcome_key(outcome) in {outcome_key(o) for o in outcomes}:
        return True
    return recorded.nondeterministic and outcome_kind(outcome) in {
        outcome_kind(o) for o in outcomes
    }


def _diff(recorded: Case, today: Case) -> str:
    before = _behaviour_yaml(recorded).splitlines(keepends=True)
    after = _behaviour_yaml(today).splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, "recorded", "today", n=1)
    return "".join(line for line in lines if not line.startswith(("---", "+++", "@@")))


def _behaviour_yaml(case: Case) -> str:
    """The behaviour part of a case, one ``key: value`` block per line group."""
    node = case_to_node(case)
    lines = []
    for key in ("yields", "complete", "returned", "raised", "self_after", "args_after"):
        if key in node:
            text = dump_yaml(node[key]).removesuffix("...\n").rstrip("\n")
            one_line = "\n" not in text
            lines.append(f"{key}: {text}" if one_line else f"{key}:\n" + _indented(text))
    return "\n".join(lines) + "\n"


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
