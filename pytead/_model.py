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

from pytead._built import Built, built_from_node, built_to_node
from pytead._calls import parse_parameters
from pytead._codec import Node, Tagged, canonical, is_replayable
from pytead._names import (
    is_argument_key,
    is_case_id,
    is_dotted,
    is_identifier,
    is_qualname,
    shown,
)
from pytead._rejected import RejectedCase

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
        built: For methods, how the program made that instance, when pytead saw it (its
            constructor's arguments, then the traced calls that changed it; see
            `pytead._built`).
        args_built: The same, for arguments that are instances pytead saw built.
        self_after: For methods, the instance's state after the call, when it changed.
        args_after: Arguments the call mutated, with their state after the call.
        defaulted: Arguments the caller left at a mutable default, recorded with the state
            that default had at the call, because an earlier call had changed it or this one
            did (a test passes that state, and never uses the function's shared default).
        yields: For generators, the items the program consumed.
        driven: For generators the program drove with ``send()`` or ``throw()``: how each
            resume was made (``next``, ``{send: value}``, ``{throw: {type, message}}``), the
            i-th giving the i-th item (and the last, for a complete generator, its end).
        complete: For generators, whether the program consumed them all.
        other_outcomes: Different outcomes seen for the same inputs (a nondeterministic case),
            one example of each kind (a type returned, an exception raised).
        seen: With ``stats``, how many identical calls were observed while recording.
        duration_us: With ``stats``, how long the first such call took, in microseconds.
    """

    id: str
    args: dict[str, Node]
    outcome: Outcome
    self: Node = None
    built: Built | None = None
    args_built: dict[str, Built] = field(default_factory=dict)
    self_after: Node = None
    args_after: dict[str, Node] = field(default_factory=dict)
    defaulted: tuple[str, ...] = ()
    yields: list[Node] | None = None
    driven: list[Node] | None = None
    complete: bool = True
    other_outcomes: tuple[Outcome, ...] = ()
    seen: int | None = None
    duration_us: float | None = None

    @property
    def nondeterministic(self) -> bool:
        """Whether the same inputs gave different outcomes."""
        return bool(self.other_outcomes)

    @property
    def comparable(self) -> bool:
        """Whether its outcome is what its inputs give, to compare with another call's.

        A generator stopped early, or driven with ``send()``/``throw()``, gave what the program
        made of it: another call with the same arguments may rightly give something else.
        """
        return self.yields is None or (self.complete and self.driven is None)

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

    @property
    def is_initializer(self) -> bool:
        """Whether it is a class's ``__init__``: its call is a call of the class (tests and
        examples write ``Temperature(21)``, never ``__init__`` on an instance made first)."""
        return self.kind == "method" and self.qualname.endswith(".__init__") and not self.is_async


@dataclass(frozen=True)
class Fixture:
    """A target and its recorded cases, as stored in one YAML file.

    *rejected* lists the cases of the file that could not be read: the fixture goes on without
    them, and is never written back while it has any (that would lose them).
    """

    target: TargetInfo
    cases: tuple[Case, ...] = ()
    rejected: tuple[RejectedCase, ...] = ()

    def replace_cases(self, cases: tuple[Case, ...]) -> Fixture:
        """Return a copy holding *cases*, in the order given (the order they were first seen)."""
        return dataclasses.replace(self, cases=tuple(cases))


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
    if not is_dotted(raised["type"]):
        raise ValueError(
            f"the exception type {shown(raised['type'])} is not a dotted name"
            " (such as ValueError or shop.errors.OutOfStock)"
        )
    kind = raised["type"] if "." in raised["type"] else f"builtins.{raised['type']}"
    return Raised(kind, str(raised.get("message", "")), raised.get("args"))


def outcome_key(outcome: Outcome) -> str:
    """Text equal for equal outcomes, to spot nondeterminism."""
    return canonical(outcome_to_node(outcome))


def outcome_kind(outcome: Outcome) -> str:
    """``raised ValueError``, ``returned str``, ``returned !obj shop.Cart``: what sort of outcome.

    Examples:
        >>> outcome_kind(Returned(3)), outcome_kind(Raised("builtins.KeyError", "x"))
        ('returned int', 'raised builtins.KeyError')
    """
    if isinstance(outcome, Raised):
        return f"raised {outcome.type}"
    value = outcome.value
    if isinstance(value, Tagged):
        payload = value.value
        named = payload.get("type") if isinstance(payload, dict) else None
        return f"returned !{value.tag}" + (f" {named}" if isinstance(named, str) else "")
    return f"returned {type(value).__name__}"


def case_to_node(case: Case) -> dict[str, Node]:
    """Lay a case out as the mapping written to journals and fixtures (readable key order)."""
    data: dict[str, Node] = {"id": case.id}
    if case.self is not None:
        data["self"] = case.self
    if case.built is not None:
        data["built"] = built_to_node(case.built)
    data["args"] = case.args
    if case.args_built:
        data["args_built"] = {key: built_to_node(b) for key, b in case.args_built.items()}
    if case.defaulted:
        data["defaulted"] = list(case.defaulted)
    if case.yields is not None:
        data["yields"] = case.yields
        if case.driven is not None:
            data["driven"] = case.driven
        if not case.complete:
            data["complete"] = False
    data.update(outcome_to_node(case.outcome))
    if case.self_after is not None:
        data["self_after"] = case.self_after
    if case.args_after:
        data["args_after"] = case.args_after
    if case.other_outcomes:
        data["other_outcomes"] = [outcome_to_node(o) for o in case.other_outcomes]
    if case.seen is not None:
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
    _check_names(data)
    others = data.get("other_outcomes") or []
    return Case(
        id=data["id"],
        args=data.get("args", {}),
        outcome=outcome_from_node(data),
        self=data.get("self"),
        built=None if data.get("built") is None else built_from_node(data["built"]),
        args_built=_args_built(data.get("args_built")),
        self_after=data.get("self_after"),
        args_after=data.get("args_after") or {},
        defaulted=tuple(str(name) for name in data.get("defaulted") or ()),
        yields=data.get("yields"),
        driven=data.get("driven"),
        complete=bool(data.get("complete", True)),
        other_outcomes=tuple(outcome_from_node(o) for o in others),
        seen=None if data.get("seen") is None else int(data["seen"]),
        duration_us=data.get("duration_us"),
    )


def _args_built(data: Any) -> dict[str, Built]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(map(is_argument_key, data)):
        raise ValueError("'args_built' must map argument names to how they were built")
    return {key: built_from_node(value, f"args_built.{key}") for key, value in data.items()}


def _check_names(data: dict[str, Any]) -> None:
    """Check the names of a case that generated code spells: its id and its arguments' names.

    Raises:
        ValueError: One of them is not what it claims to be.
    """
    if not is_case_id(data["id"]):
        raise ValueError(
            f"the id {shown(data['id'])} is not a case id (letters, digits, '_' and '-')"
        )
    for where in ("args", "args_after"):
        for key, value in (data.get(where) or {}).items():
            if not is_argument_key(key):
                raise ValueError(f"{where}: {shown(key)} is not a parameter name")
            if key.startswith("**") and isinstance(value, dict):
                _check_keys(value, f"{where}.{key}")
    defaulted = data.get("defaulted") or []
    if not isinstance(defaulted, list) or not all(map(is_argument_key, defaulted)):
        raise ValueError("'defaulted' must be a list of parameter names")
    for step in data.get("driven") or []:
        if isinstance(step, dict) and "throw" in step:
            outcome_from_node({"raised": step["throw"]})


def _check_keys(mapping: dict[Any, Any], where: str) -> None:
    """``**kwargs`` keys are data (any text), but text all the same."""
    for key in mapping:
        if not isinstance(key, str):
            raise ValueError(f"{where}: the keyword {shown(key)} is not a string")


_CASE_KEYS = {
    "id", "self", "built", "args", "args_built", "defaulted", "yields", "driven", "complete",
    "returned", "raised", "self_after", "args_after", "other_outcomes", "seen", "duration_us",
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
    if not is_dotted(module) or not is_qualname(name[len(module) + 1 :]):
        raise ValueError(
            f"the target {shown(name)} in module {shown(module)} is not a dotted name"
            " (such as shop.cart.Cart.add in module shop.cart)"
        )
    kind = data.get("kind", "function")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {shown(kind)}; expected one of {', '.join(KINDS)}")
    return TargetInfo(
        name=name,
        module=module,
        qualname=name[len(module) + 1 :],
        kind=kind,
        signature=_signature(data.get("signature", "()")),
        is_async=bool(data.get("async", False)),
        is_generator=bool(data.get("generator", False)),
        sys_path=_project_folders(data.get("sys_path", [])),
    )


def _signature(raw: Any) -> str:
    """Check a header's signature: its parameter names are passed by keyword in generated code.

    Raises:
        ValueError: A parameter is not named by an identifier.
    """
    text = str(raw)
    if text == "(...)":  # what pytead writes when Python cannot tell the signature
        return text
    for param in parse_parameters(text):
        if not is_identifier(param.name):
            raise ValueError(
                f"the signature {shown(text)} has a parameter {shown(param.name)}"
                " that is not an identifier"
            )
    return text


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
        if (
            not entry
            or entry.startswith("/")
            or ":" in entry
            or ".." in parts
            or "\\" in entry
            or not entry.isprintable()
        ):
            raise ValueError(f"'sys_path' entry {shown(entry)} is not a folder inside the project")
    return tuple(raw)


def fixture_to_node(fixture: Fixture) -> dict[str, Node]:
    """The whole fixture file as one mapping."""
    data = target_to_node(fixture.target)
    data["cases"] = [case_to_node(case) for case in fixture.cases]
    return data
