"""What the backends that observe a function's own frames share: whose calls they are.

Both ``sys.monitoring`` (3.12+) and instrumented code (3.11) see every call of a code object,
whoever makes it: a method inherited by an unrelated class, or the bound method of one
module-level instance among many. A `Watch` keeps the calls that belong to its target, and
binds their arguments from the frame's locals at the start of the call.
"""

from __future__ import annotations

import types
from typing import Any

from pytead._binding import Binder
from pytead._recorder import TargetState
from pytead._targets import Target


class Watch:
    """One target observed through its frames, and what the recorder needs to know about it."""

    __slots__ = ("binder", "instance", "kind", "owner", "state")

    def __init__(self, state: TargetState, target: Target) -> None:
        self.state = state
        # A bound method's instance is a parameter of the code object but not an argument of
        # the call: bind it as a receiver, check it, then drop it (see `bind`).
        self.binder = Binder(
            plain_function(target.function),
            receiver=target.has_receiver or target.instance is not None,
        )
        self.instance = target.instance
        self.owner = target.owner if isinstance(target.owner, type) else None
        self.kind = state.info.kind

    def bind(self, frame_locals: dict[str, Any]) -> dict[str, Any] | None:
        """The call's arguments, by name; ``None`` if the call is not one of this target's."""
        bound = self.binder.from_locals(frame_locals)
        if not self._is_ours(bound):
            return None
        if self.instance is not None:
            bound.pop(next(iter(bound)), None)  # the module-level instance is not an argument
        return bound

    def _is_ours(self, bound: dict[str, Any]) -> bool:
        if self.instance is None and self.owner is None:
            return True
        receiver = next(iter(bound.values()), None)
        if self.instance is not None:
            return receiver is self.instance
        assert self.owner is not None
        if self.kind == "classmethod":
            return isinstance(receiver, type) and issubclass(receiver, self.owner)
        if self.kind in ("method", "property"):
            return isinstance(receiver, self.owner)
        return True


def plain_function(function: Any) -> Any:
    """The function behind a bound method; anything else as it is."""
    return function.__func__ if isinstance(function, types.MethodType) else function


def recursing(frame: types.FrameType, code: types.CodeType) -> bool:
    """Whether *code* already runs further up the stack: only the outermost call is a case."""
    caller = frame.f_back
    while caller is not None:
        if caller.f_code is code:
            return True
        caller = caller.f_back
    return False
