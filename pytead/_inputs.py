"""A call's inputs as the recorder keeps them, and what the call changed in them.

When a call starts, its receiver and arguments are encoded (`encode_inputs`), and those that
could change (lists, dicts, objects) are remembered with their state. When it ends, they are
encoded again (`changes`): the receiver's new state, the arguments it mutated, and the mutable
defaults that have to be recorded as arguments (see `pytead._binding.AtDefault`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pytead._binding import AtDefault
from pytead._codec import Encoder, Node, canonical
from pytead._codec.nodes import state_only


@dataclass(slots=True, eq=False)
class Inputs:
    """The encoded inputs of a call being recorded.

    Attributes:
        self_obj: The receiver (``None`` for functions and classmethods).
        self_node: Its state before the call.
        args: Every argument bound, mutable defaults the call uses included.
        watched: Mutable arguments: the value and its state before the call.
        defaults: Mutable defaults in the state they had when tracing started: the value and
            that state. They are inputs only if the call changes them.
        defaulted: Mutable defaults that had changed since: inputs, like arguments.
        shared: Whether some object appeared twice, so the nodes share parts.
    """

    self_obj: Any
    self_node: Node
    args: dict[str, Node]
    watched: dict[str, tuple[Any, str]]
    defaults: dict[str, tuple[Any, str]]
    defaulted: tuple[str, ...]
    shared: bool

    @property
    def case_id(self) -> str:
        """The case's id: a hash of the receiver and of the arguments the call depends on."""
        args = {name: node for name, node in self.args.items() if name not in self.defaults}
        return case_hash({"self": self.self_node, "args": args})


def encode_inputs(encoder: Encoder, self_obj: Any, bound: dict[str, Any]) -> Inputs:
    """Encode the receiver and the arguments of a call that is about to start."""
    self_node = encoder.encode(self_obj) if self_obj is not None else None
    args: dict[str, Node] = {}
    watched: dict[str, tuple[Any, str]] = {}
    defaults: dict[str, tuple[Any, str]] = {}
    defaulted: list[str] = []
    for name, value in bound.items():
        default = value if isinstance(value, AtDefault) else None
        value = value.value if default is not None else value
        args[name] = node = encoder.encode_named(name, value)
        if default is not None and not default.changed():
            defaults[name] = (value, canonical(node))  # not an input, unless the call changes it
            continue
        if default is not None:
            defaulted.append(name)  # changed by earlier calls: the call depends on its state
        if encoder.mutable_seen:
            watched[name] = (value, canonical(node))
    return Inputs(
        self_obj, self_node, args, watched, defaults, tuple(defaulted), encoder.shared_seen
    )


def case_hash(inputs: Node) -> str:
    """Stable 8-hex-digit id of a call's inputs.

    Examples:
        >>> case_hash({"self": None, "args": {"a": 1}})
        '82482f89'
    """
    return hashlib.blake2b(canonical(inputs).encode("utf-8"), digest_size=4).hexdigest()


@dataclass(frozen=True)
class Changes:
    """What a call changed in its inputs, and the arguments it is recorded with."""

    args: dict[str, Node]
    self_after: Node
    args_after: dict[str, Node]
    defaulted: tuple[str, ...]


def changes(inputs: Inputs, encoder: Encoder) -> Changes:
    """Look at the inputs again once the call has ended.

    A mutable default is recorded as an argument when its state was not the one it had when
    tracing started (the call depends on what earlier calls did to it) or when the call changed
    it (the next call will): a test then passes that state explicitly, and never depends on,
    or changes, the function's shared default.
    """
    args_after = _args_after(inputs.watched, encoder)
    defaulted = set(inputs.defaulted)
    for name, (value, before) in inputs.defaults.items():
        after = encoder.encode_named(name, value)
        if canonical(after) != before:
            args_after[name] = after
            defaulted.add(name)
    args = {
        name: node
        for name, node in inputs.args.items()
        if name not in inputs.defaults or name in defaulted
    }
    in_order = tuple(name for name in args if name in defaulted)
    return Changes(args, _self_after(inputs, encoder), args_after, in_order)


def _self_after(inputs: Inputs, encoder: Encoder) -> Node:
    if inputs.self_obj is None:
        return None
    after = encoder.encode(inputs.self_obj)
    if canonical(after) == canonical(inputs.self_node):
        return None
    state = state_only(after)
    return after if state is None else state[0]


def _args_after(watched: dict[str, tuple[Any, str]], encoder: Encoder) -> dict[str, Node]:
    changed: dict[str, Node] = {}
    for name, (value, before) in watched.items():
        after = encoder.encode_named(name, value)
        if canonical(after) != before:
            changed[name] = after
    return changed
