"""Capture with ``sys.monitoring`` (PEP 669): the backend for Python 3.12 and later.

Nothing is wrapped: pytead asks the interpreter for start/return/yield events of the targets'
code objects only, so every name and alias of a target is covered, identities and tracebacks are
untouched, and once a target is closed (its limit reached, and exploring past it over) its
events are switched off: from then on it runs at exactly its untraced speed. Exceptions leaving
a function (``PY_UNWIND``) can only be watched globally, so that event is on only while some
target is still recording.

Events are set per code object, and one code object may serve many functions: every
``functools.wraps`` wrapper made by one decorator, every closure made by one factory. So each
target gets a code object of its own, an equal copy, watched alone and keyed by identity (code
objects compare equal by value); the original goes back when the target is done.

While a target is recording or exploring (`pytead._linecover`), LINE events of its copy, and
of the code of the functions defined inside it, tell which lines each call runs. Each call
reports every line it runs (the path it took) until the target has had `WHOLE_EVENTS` line
events; from then on, a line that a recorded case ran already is switched off where it is
(``DISABLE``, for pytead's tool id only), so its cost goes at once. pytead never calls
``restart_events()``, which would turn back on what other tools (coverage.py) switched off.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

from pytead._instances import Constructor
from pytead._linecover import NESTED_HOPS, wrapped_function, wrapped_line
from pytead._recorder import Pending, Recorder, TargetState
from pytead._resumes import UNREAD, receives_values, resumed_by_send
from pytead._rewrite import nested_codes
from pytead._targets import Target
from pytead._watch import Watch, plain_function, recursing

_CANDIDATE_TOOL_IDS = (
    4,
    3,
)  # 0-2 and 5 are taken by convention (debugger, coverage, profiler, optimizer)
#: Line events of one target reported in full (paths) before lines seen are switched off: a
#: bound on what following paths costs a target whose calls loop a lot.
WHOLE_EVENTS = 50_000


def available() -> bool:
    """Whether this interpreter has ``sys.monitoring`` and a free tool id for pytead."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return False
    return any(monitoring.get_tool(tool) in (None, "pytead") for tool in _CANDIDATE_TOOL_IDS)


class MonitoringBackend:
    """Installs targets as ``sys.monitoring`` local events of their code objects."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.monitoring: Any = sys.monitoring  # type: ignore[attr-defined]
        self.events = self.monitoring.events
        self.tool = self._claim_tool()
        #: id of a watched code object -> the code (kept alive, so the id stays its own) and watch.
        self.watches: dict[int, tuple[types.CodeType, Watch]] = {}
        self.pending: dict[int, Pending] = {}
        #: id of a watched ``__init__`` code object -> the code, the original and the constructor.
        self.inits: dict[int, tuple[types.CodeType, types.CodeType, Constructor]] = {}
        #: id of the code of a function a target wraps (a copy of it) or of one defined inside
        #: the target -> that code, the target's watch, and whether it is a wrapped function.
        self.wrapped: dict[int, tuple[types.CodeType, Watch, bool]] = {}
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
        register(self.tool, events.LINE, self._on_line)

    def can_watch(self, function: Any) -> bool:
        """Python functions (and methods bound to them): those have a code object to watch."""
        return isinstance(plain_function(function), types.FunctionType)

    def watch(
        self, target: Target, *, limit: int | None = None, storage_dir: Any = None
    ) -> TargetState:
        """Start observing *target*'s function, through a code object of its own."""
        function = plain_function(target.function)
        known = self._watched(function.__code__)
        if known is not None:
            return known.state  # decorated and named on the command line: recorded once
        state = self.recorder.add_target(
            target.info, receiver=target.has_receiver, limit=limit, storage_dir=storage_dir
        )
        if state.closed:
            return state
        original = function.__code__
        code = function.__code__ = original.replace()  # an equal copy, watched alone
        watch = Watch(state, target)
        self.watches[id(code)] = (code, watch)
        flags = self.events.PY_START | self.events.PY_RETURN
        restore_wrapped = None
        restore_nested = None
        if self.recorder.guide(state):
            flags |= self.events.LINE
            restore_wrapped = self._watch_wrapped(function, watch)
            restore_nested = self._watch_nested(code, watch, wrapped=False)

        def unwatch() -> None:
            self._unwatch(function, original, code)
            for restore in (restore_wrapped, restore_nested):
                if restore is not None:
                    restore()

        state.on_idle_closed = unwatch
        if target.info.is_generator:
            flags |= self.events.PY_YIELD
            if receives_values(code):  # only then can a send() change what it does
                flags |= self.events.PY_RESUME
        self.monitoring.set_local_events(self.tool, code, flags)
        self.monitoring.set_events(self.tool, self.events.PY_UNWIND | self.events.PY_THROW)
        return state

    def _watch_wrapped(
        self, function: types.FunctionType, watch: Watch
    ) -> Callable[[], None] | None:
        """LINE events of the function *function* wraps, through a copy of its code; returns
        what puts its code back (``None``: nothing to watch there)."""
        inner = wrapped_function(function)
        if inner is None or self._watched(inner.__code__) is not None:
            return None
        original = inner.__code__
        if id(original) in self.wrapped:
            return None
        code = inner.__code__ = original.replace()
        self.wrapped[id(code)] = (code, watch, True)
        self.monitoring.set_local_events(self.tool, code, self.events.LINE)
        restore_nested = self._watch_nested(code, watch, wrapped=True)

        def restore() -> None:
            self.monitoring.set_local_events(self.tool, code, 0)
            self.wrapped.pop(id(code), None)
            if inner.__code__ is code:
                inner.__code__ = original
            restore_nested()

        return restore

    def _watch_nested(
        self, code: types.CodeType, watch: Watch, *, wrapped: bool
    ) -> Callable[[], None]:
        """LINE events of the functions (and lambdas, classes, generator expressions) defined
        inside *code*: their lines are the target's too. Returns what switches them off."""
        nested = [
            inner
            for inner in nested_codes(code)
            if id(inner) not in self.wrapped and self._watched(inner) is None
        ]
        for inner in nested:
            self.wrapped[id(inner)] = (inner, watch, wrapped)
            self.monitoring.set_local_events(self.tool, inner, self.events.LINE)

        def restore() -> None:
            for inner in nested:
                self.monitoring.set_local_events(self.tool, inner, 0)
                self.wrapped.pop(id(inner), None)

        return restore

    def watch_init(self, constructor: Constructor) -> bool:
        """Observe the calls of *constructor*'s ``__init__``: their start only, while it is open.

        ``False`` when the ``__init__`` is itself a traced target: its calls are cases already.
        """
        function = constructor.function
        original = function.__code__
        if self._watched(original) is not None:
            return False
        code = function.__code__ = original.replace()  # an equal copy, watched alone
        self.inits[id(code)] = (code, original, constructor)
        constructor.watched = True
        self.monitoring.set_local_events(self.tool, code, self.events.PY_START)
        return True

    def _unwatch_init(self, code: types.CodeType) -> None:
        entry = self.inits.pop(id(code), None)
        if entry is None:
            return
        _code, original, constructor = entry
        self.monitoring.set_local_events(self.tool, code, 0)
        if constructor.function.__code__ is code:
            constructor.function.__code__ = original
        constructor.watched = False

    def _watched(self, code: types.CodeType) -> Watch | None:
        entry = self.watches.get(id(code))
        return entry[1] if entry is not None and entry[0] is code else None

    def _unwatch(
        self, function: types.FunctionType, original: types.CodeType, code: types.CodeType
    ) -> None:
        self.monitoring.set_local_events(self.tool, code, 0)
        if function.__code__ is code:
            function.__code__ = original
        if all(w.state.closed for _, w in self.watches.values()) and not self.pending:
            self.monitoring.set_events(self.tool, 0)

    # -- callbacks: called by the interpreter, must never raise ---------------------------------

    def _on_start(self, code: types.CodeType, _offset: int) -> Any:
        if self.inits:
            init = self.inits.get(id(code))
            if init is not None and init[0] is code:
                return self._on_init(code, init[2], sys._getframe(1))
        watch = self._watched(code)
        if watch is None or watch.state.closed:
            return None
        frame = sys._getframe(1)
        if watch.state.outermost_only and recursing(frame, code):
            return None
        try:
            bound = watch.bind(frame.f_locals)
        except Exception:
            return None
        if bound is None:
            return None
        pending = self.recorder.begin(watch.state, bound)
        if pending is not None:
            self.pending[id(frame)] = pending
        return None

    def _on_init(
        self, code: types.CodeType, constructor: Constructor, frame: types.FrameType
    ) -> Any:
        if constructor.closed:  # every target receiving its instances is done
            self._unwatch_init(code)
            return None
        try:
            bound = constructor.binder.from_locals(frame.f_locals)
        except Exception:
            return None
        self.recorder.constructed(constructor, bound)
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
        if self.pending and self._watched(code) is not None:
            pending = self.pending.get(id(sys._getframe(1)))
            if pending is not None:
                self.recorder.add_throw(pending, exc)
        return None

    def _on_line(self, code: types.CodeType, line: int) -> Any:
        entry = self.watches.get(id(code))
        if entry is not None and entry[0] is code:
            state, hops = entry[1].state, 0
        else:  # a function the target wraps, or one defined inside it, called by its call
            inner = self.wrapped.get(id(code))
            if inner is None or inner[0] is not code:
                return self.monitoring.DISABLE
            state, hops = inner[1].state, NESTED_HOPS
            if inner[2]:
                line = wrapped_line(line)
        explore = state.explore
        if explore is None:
            return self.monitoring.DISABLE
        if explore.whole:
            explore.events += 1
            if explore.events > WHOLE_EVENTS:
                explore.lines_only()
        if not explore.whole and line in explore.lines:
            return self.monitoring.DISABLE  # nothing to learn here any more
        if self.pending:
            pending = self._running(sys._getframe(1), hops, state)
            if pending is not None and pending.lines is not None:
                pending.lines.add(line)
        return None

    def _running(
        self, frame: types.FrameType | None, hops: int, state: TargetState
    ) -> Pending | None:
        """The call of *state*'s target that *frame* (or one at most *hops* frames up) runs."""
        pending = self.pending.get(id(frame))
        while pending is None and hops > 0 and frame is not None:
            frame, hops = frame.f_back, hops - 1
            pending = self.pending.get(id(frame))
        return pending if pending is not None and pending.state is state else None

    def _on_unwind(self, code: types.CodeType, _offset: int, exc: BaseException) -> Any:
        if self.pending and self._watched(code) is not None:
            pending = self.pending.pop(id(sys._getframe(1)), None)
            if pending is not None:
                self.recorder.finish_raise(pending, exc)
        return None

    def close(self) -> None:
        """Stop every event and give the tool id back."""
        for code, *_ in (*self.watches.values(), *self.wrapped.values()):
            self.monitoring.set_local_events(self.tool, code, 0)
        for code, *_ in list(self.inits.values()):
            self._unwatch_init(code)
        self.monitoring.set_events(self.tool, 0)
        for event in (
            self.events.PY_START,
            self.events.PY_RETURN,
            self.events.PY_YIELD,
            self.events.PY_UNWIND,
            self.events.PY_RESUME,
            self.events.PY_THROW,
            self.events.LINE,
        ):
            self.monitoring.register_callback(self.tool, event, None)
        self.monitoring.free_tool_id(self.tool)
