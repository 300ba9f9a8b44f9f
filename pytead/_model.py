"""The records pytead keeps: a `Fixture` per target, holding the `Case`s recorded for it.

Glossary: a *call* happens in the traced program; a *case* is what pytead keeps of a call
(inputs, outcome, state changes); a *fixture* is the YAML file holding a target's cases; a
*target* is a function or method chosen for tracing.

Cases are stored as plain mappings of nodes, in the same shape in the capture journal and in the
YAML fixture, so one pair of functions (`case_to_node`, `case_from_node`) serves both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from pytead._codec import Node, canonical, is_replayable

FORMAT_VERSION = 1

Kind: TypeAlias = Literal["function", "method", "classmethod", "staticmethod", "property"]
KINDS: tuple[Kind, ...] = ("function", "method", "classmethod", "staticmethod", "property")


@dataclass(frozen=True)
class Returned:
    """The call returned *value* (for a coroutine: what awaiting it gave)."""

    value: Node


@dataclass(frozen=True)
class Raised:
    """The call raised an exception.

    Attributes:
        type: Qualified name of the exception class (``builtins.ValueError``).
        message: ``str(exception)``.
        args: ``exception.args`` when they are not just ``(message,)``.
    """

    type: str
    message: str
    args: Node = None

    @property
    def short_type(self) -> str:
        """``ValueError`` for builtins, the qualified name otherwise."""
        return self.type.removeprefix("builtins.")


Outcome: TypeAlias = Returned | Raised


@dataclass(frozen=True)
class Case:
    """One distinct recorded call of a target.

    Attributes:
        id: Stable hash of the inputs (``self`` state and arguments).
        args: Arguments bound to parameter names; defaults left out; ``*args`` and
            ``**kwargs`` appear under ``"*name"`` and ``"**name"``.
        outcome: What the call returned or raised.
        self: For methods, the instance before the call.
        self_after: For methods, the instance's state after the call, when it changed.
        args_after: Arguments the call mutated, with their state after the call.
        yields: For generators, the items the program consumed.
        complete: For generators, whether the program consumed them all.
        other_outcomes: Different outcomes seen for the same inputs (a nondeterministic case).
        seen: How many identical calls were observed while the target was recording.
        duration_us: How long the first such call took, in microseconds.
    """

    id: str
    args: dict[str, Node]
    outcome: Outcome
    self: Node = None
    self_after: Node = None
    args_after: dict[str, Node] = field(default_factory=dict)
    yields: list[Node] | None = None
    complete: bool = True
    other_outcomes: tuple[Outcome, ...] = ()
    seen: int = 1
    duration_us: float | None = None

    @property
    def nondeterministic(self) -> bool:
        """Whether the same inputs gave different outcomes."""
        return bool(self.other_outcomes)

    @property
    def replayable(self) -> bool:
        """Whether every input was recorded in full, so the call can be made again."""
        return is_replayable(self.args) and is_replayable(self.self)


@dataclass(frozen=True)
class TargetInfo:
    """What pytead knows about a traced target, independent of its cases.

    Attributes:
        name: Dotted name the target is reached by (``shop.cart.Cart.add``).
        module: The module part of *name* (``shop.cart``).
        qualname: The rest (``Cart.add``).
        kind: Function, method, classmethod, staticmethod or property.
        signature: The parameters as Python would print them.
        is_async: A coroutine function.
        is_generator: A generator function.
        sys_path: Folders of the project, relative to its root, that the traced program had on
            ``sys.path`` besides the root itself (a test folder pytest put there, the script's
            folder): generated tests import the program's own classes the same way.
    """

    name: str
    module: str
    qualname: str
    kind: Kind = "function"
    signature: str = "()"
    is_async: bool = False
    is_generator: bool = False
    sys_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fixture:
    """A target and its recorded cases, as stored in one YAML file."""

    target: TargetInfo
    cases: tuple[Case, ...] = ()

    def replace_cases(self, cases: tuple[Case, ...]) -> Fixture:
        """Return a copy holding *cases*, sorted by id so files stay byte-stable."""
        return dataclasses.replace(self, cases=tuple(sorted(cases, key=lambda c: c.id)))


def outcome_to_node(outcome: Outcome) -> dict[str, Node]:
    """``{"returned": value}`` or ``{"raised": {...}}``, as written in fixtures."""
    if isinstance(outcome, Returned):
        return {"returned": outcome.value}
    raised: dict[str, Node] = {"type": outcome.short_type, "message": outcome.message}
    if outcome.args is not None:
        raised["args"] = outcome.args
    return {"raised": raised}


def outcome_from_node(data: dict[str, Any]) -> Outcome:
    """Read back what `outcome_to_node` wrote.

    Raises:
        ValueError: Neither ``returned`` nor a well-formed ``raised`` is present.
    """
    if "returned" in data:
        return Returned(data["returned"])
    raised = data.get("raised")
    if not isinstance(raised, dict) or not isinstance(raised.get("type"), str):
        raise ValueError("a case needs 'returned' or 'raised: {type, message}'")
    kind = raised["type"] if "." in raised["type"] else f"builtins.{raised['type']}"
    return Raised(kind, str(raised.get("message", "")), raised.get("args"))


def outcome_key(outcome: Outcome) -> str:
    """Text equal for equal outcomes, to spot nondeterminism."""
    return canonical(outcome_to_node(outcome))


def case_to_node(case: Case) -> dict[str, Node]:
    """Lay a case out as the mapping written to journals and fixtures (readable key order)."""
    data: dict[str, Node] = {"id": case.id}
    if case.self is not None:
        data["self"] = case.self
    data["args"] = case.args
    if case.yields is not None:
        data["yields"] = case.yields
        if not case.complete:
            data["complete"] = False
    data.update(outcome_to_node(case.outcome))
    if case.self_after is not None:
        data["self_after"] = case.self_after
    if case.args_after:
        data["args_after"] = case.args_after
    if case.other_outcomes:
        data["other_outcomes"] = [outcome_to_node(o) for o in case.other_outcomes]
    data["seen"] = case.seen
    if case.duration_us is not None:
        data["duration_us"] = case.duration_us
    return data


def case_from_node(data: Any) -> Case:
    """Read a case mapping back.

    Raises:
        ValueError: The mapping lacks a required key or has one of the wrong type.
    """
    if not isinstance(data, dict):
        raise ValueError("a case must be a mapping")
    unknown = set(data) - _CASE_KEYS
    if unknown:
        raise ValueError(f"unknown case key(s): {', '.join(sorted(unknown))}")
    if not isinstance(data.get("id"), str) or not isinstance(data.get("args", {}), dict):
        raise ValueError("a case needs an 'id' string and an 'args' mapping")
    others = data.get("other_outcomes") or []
    return Case(
        id=data["id"],
        args=data.get("args", {}),
        outcome=outcome_from_node(data),
        self=data.get("self"),
        self_after=data.get("self_after"),
        args_after=data.get("args_after") or {},
        yields=data.get("yields"),
        complete=bool(data.get("complete", True)),
        other_outcomes=tuple(outcome_from_node(o) for o in others),
        seen=int(data.get("seen", 1)),
        duration_us=data.get("duration_us"),
    )


_CASE_KEYS = {
    "id", "self", "args", "yields", "complete", "returned", "raised", "self_after",
    "args_after", "other_outcomes", "seen", "duration_us",
}  # fmt: skip


def target_to_node(info: TargetInfo) -> dict[str, Node]:
    """The header of a fixture file, before its cases."""
    data: dict[str, Node] = {
        "pytead": FORMAT_VERSION,
        "target": info.name,
        "module": info.module,
        "kind": info.kind,
        "signature": info.signature,
    }
    if info.is_async:
        data["async"] = True
    if info.is_generator:
        data["generator"] = True
    if info.sys_path:
        data["sys_path"] = list(info.sys_path)
    return data


def target_from_node(data: dict[str, Any]) -> TargetInfo:
    """Read a fixture header back.

    Raises:
        ValueError: A required key is missing or has the wrong type.
    """
    name, module = data.get("target"), data.get("module")
    if (
        not isinstance(name, str)
        or not isinstance(module, str)
        or not name.startswith(module + ".")
    ):
        raise ValueError("the header needs 'target' and 'module', the target inside the module")
    kind = data.get("kind", "function")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return TargetInfo(
        name=name,
        module=module,
        qualname=name[len(module) + 1 :],
        kind=kind,
        signature=str(data.get("signature", "()")),
        is_async=bool(data.get("async", False)),
        is_generator=bool(data.get("generator", False)),
        sys_path=_project_folders(data.get("sys_path", [])),
    )


def _project_folders(raw: Any) -> tuple[str, ...]:
    """Check the ``sys_path`` of a header: relative folders inside the project, ``/``-separated.

    Raises:
        ValueError: An entry is not such a folder (fixtures are not trusted: a path leading out
            of the project would make tests import code from elsewhere).
    """
    if not isinstance(raw, list):
        raise ValueError("'sys_path' must be a list of folders relative to the project root")
    for entry in raw:
        parts = entry.split("/") if isinstance(entry, str) else [".."]
        if not entry or entry.startswith("/") or ":" in entry or ".." in parts or "\\" in entry:
            raise ValueError(f"'sys_path' entry {entry!r} is not a folder inside the project")
    return tuple(raw)


def fixture_to_node(fixture: Fixture) -> dict[str, Node]:
    """The whole fixture file as one mapping."""
    data = target_to_node(fixture.target)
    data["cases"] = [case_to_node(case) for case in fixture.cases]
    return data
