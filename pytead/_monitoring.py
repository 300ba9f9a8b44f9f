"""Capture with ``sys.monitoring`` (PEP 669): the backend for Python 3.12 and later.

Nothing is wrapped: pytead asks the interpreter for start/return/yield events of the targets'
code objects only, so every name and alias of a target is covered, identities and tracebacks are
untouched, and once a target reaches its limit its events are switched off: from then on it runs
at exactly its untraced speed. Exceptions leaving a function (``PY_UNWIND``) can only be
watched globally, so that event is on only while some target is still recording.
"""

from __future__ import annotations

import inspect
import sys
import types
from typing import Any

from pytead._binding import Binder
from pytead._recorder import Pending, Recorder, TargetState
from pytead._resumes import UNREAD, receives_values, resumed_by_send
from pytead._targets import Target

_CANDIDATE_TOOL_IDS = (
    4,
    3,
)  # 0-2 and 5 are taken by convention (debugger, coverage, profiler, optimizer)


def available() -> bool:
    """Whether this interpreter has ``sys.monitoring`` and a free tool id for pytead."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return False
    return any(monitoring.get_tool(tool) in (None, "pytead") for tool in _CANDIDATE_TOOL_IDS)


class _Watch:
    """One code object being observed, and what the recorder needs to know about it."""

    __slots__ = ("binder", "instance", "kind", "owner", "state")

    def __init__(
        self, state: TargetState, binder: Binder, instance: object | None, owner: Any
    ) -> None:
        self.state = state
        self.binder = binder
        self.instance = instance
        self.owner = owner
        self.kind = state.info.kind


class MonitoringBackend:
    """Installs targets as ``sys.monitoring`` local events of their code objects."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.monitoring: Any = sys.monitoring  # type: ignore[attr-defined]
        self.events = self.monitoring.events
        self.tool = self._claim_tool()
        self.watches: dict[types.CodeType, _Watch] = {}
        self.pending: dict[int, Pending] = {}
        self._register()

    def _claim_tool(self) -> int:
        for tool in _CANDIDATE_TOOL_IDS:
            owner = self.monitoring.get_tool(tool)
            if owner == "pytead":
                return tool
            if owner is None:
                self.monitoring.use_tool_id(tool, "pytead")
                return tool
        raise RuntimeError("no free sys.monitoring tool id")

    def _register(self) -> None:
        register, events = self.monitoring.register_callback, self.events
        register(self.tool, events.PY_START, self._on_start)
        register(self.tool, events.PY_RETURN, self._on_return)
        register(self.tool, events.PY_YIELD, self._on_yield)
        register(self.tool, events.PY_UNWIND, self._on_unwind)
        register(self.tool, events.PY_RESUME, self._on_resume)
        register(self.tool, events.PY_THROW, self._on_throw)

    def can_watch(self, function: Any) -> bool:
        """Plain Python functions only: a decorated one's code may be shared by other functions."""
        function = function.__func__ if inspect.ismethod(function) else function
        return isinstance(function, types.FunctionType) and not hasattr(function, "__wrapped__")

    def watch(
        self, target: Target, *, limit: int | None = None, storage_dir: Any = None
    ) -> TargetState:
        """Start observing *target*'s code object."""
        function = getattr(target.function, "__func__", target.function)
        code = function.__code__
        state = self.recorder.add_target(
            target.info, receiver=target.has_receiver, limit=limit, storage_dir=storage_dir
        )
        # A bound method's instance is a parameter of the code object but not an argument of
        # the call: bind it as a receiver, check it, then drop it (see _on_start).
        binder = Binder(function, receiver=target.has_receiver or target.instance is not None)
        owner = target.owner if isinstance(target.owner, type) else None
        self.watches[code] = _Watch(state, binder, target.instance, owner)
        state.on_idle_closed = lambda: self._unwatch(code)
        if not state.closed:
            flags = self.events.PY_START | self.events.PY_RETURN
            if target.info.is_generator:
                flags |= self.events.PY_YIELD
                if receives_values(code):  # only then can a send() change what it does
                    flags |= self.events.PY_RESUME
            self.monitoring.set_local_events(self.tool, code, flags)
            self.monitoring.set_events(self.tool, self.events.PY_UNWIND | self.events.PY_THROW)
        return state

    def _unwatch(self, code: types.CodeType) -> None:
        self.monitoring.set_local_events(self.tool, code, 0)
        if all(w.state.closed for w in self.watches.values()) and not self.pending:
            self.monitoring.set_events(self.tool, 0)

    # -- callbacks: called by the interpreter, must never raise ---------------------------------

    def _on_start(self, code: types.CodeType, _offset: int) -> Any:
        watch = self.watches.get(code)
        if watch is None or watch.state.closed:
            return None
        frame = sys._getframe(1)
        if watch.state.outermost_only and _recursing(frame, code):
            return None
        try:
            bound = watch.binder.from_locals(frame.f_locals)
        except Exception:
            return None
        if not _is_ours(watch, bound):
            return None
        if watch.instance is not None:
            bound.pop(next(iter(bound)), None)  # the module-level instance is not an argument
        pending = self.recorder.begin(watch.state, bound)
        if pending is not None:
            self.pending[id(frame)] = pending
        return None

    def _on_return(self, code: types.CodeType, _offset: int, value: Any) -> Any:
        if self.pending:
            pending = self.pending.pop(id(sys._getframe(1)), None)
            if pending is not None:
                self.recorder.finish_return(pending, value)
        return None

    def _on_yield(self, code: types.CodeType, _offset: int, value: Any) -> Any:
        if self.pending:
            pending = self.pending.get(id(sys._getframe(1)))
            if pending is not None:
                self.recorder.add_yield(pending, value)
        return None

    def _on_resume(self, code: types.CodeType, _offset: int) -> Any:
        if self.pending:
            frame = sys._getframe(1)
            pending = self.pending.get(id(frame))
            if pending is not None:
                sent, value = resumed_by_send(frame)
                if sent:
                    self.recorder.add_send(pending, value, known=value is not UNREAD)
        return None

    def _on_throw(self, code: types.CodeType, _offset: int, exc: BaseException) -> Any:
        if self.pending and code in self.watches:
            pending = self.pending.get(id(sys._getframe(1)))
            if pending is not None:
                self.recorder.add_throw(pending, exc)
        return None

    def _on_unwind(self, code: types.CodeType, _offset: int, exc: BaseException) -> Any:
        if self.pending and code in self.watches:
            pending = self.pending.pop(id(sys._getframe(1)), None)
            if pending is not None:
                self.recorder.finish_raise(pending, exc)
        return None

    def close(self) -> None:
        """Stop every event and give the tool id back."""
        for code in self.watches:
            self.monitoring.set_local_events(self.tool, code, 0)
        self.monitoring.set_events(self.tool, 0)
        for event in (
            self.events.PY_START,
            self.events.PY_RETURN,
            self.events.PY_YIELD,
            self.events.PY_UNWIND,
            self.events.PY_RESUME,
            self.events.PY_THROW,
        ):
            self.monitoring.register_callback(self.tool, event, None)
        self.monitoring.free_tool_id(self.tool)


def _recursing(frame: types.FrameType, code: types.CodeType) -> bool:
    """Whether *code* already runs further up the stack: only the outermost call is a case."""
    caller = frame.f_back
    while caller is not None:
        if caller.f_code is code:
            return True
        caller = caller.f_back
    return False


def _is_ours(watch: _Watch, bound: dict[str, Any]) -> bool:
    """A code object may serve other receivers: keep the traced instance or class only."""
    if watch.instance is None and watch.owner is None:
        return True
    receiver = next(iter(bound.values()), None)
    if watch.instance is not None:
        return receiver is watch.instance
    if watch.kind == "classmethod":
        return isinstance(receiver, type) and issubclass(receiver, watch.owner)
    if watch.kind in ("method", "property"):
        return isinstance(receiver, watch.owner)
    return True
