"""Capture by instrumenting each target's own code: the backend for Python 3.11.

Nothing is replaced: the function object stays where it is and only its ``__code__`` is swapped
for an instrumented copy, recompiled from source (`pytead._rewrite`) or, without a faithful
source, a trampoline (`pytead._trampoline`). Every reference to the function, taken before
tracing started or after (``from m import f``, a default argument ``key=f``, a registry dict, a
decorator that stored it), reaches the recorder, and ``f is g`` holds. Its name,
``__qualname__``, ``__defaults__``, ``__kwdefaults__``, ``__globals__``, ``__dict__``,
``__code__.co_name``, file, line and signature stay the same. Code recompiled from source runs
in the function's own frame, so ``sys._getframe(1)``, ``warnings.warn(stacklevel=2)`` and
tracebacks are as untraced; a trampoline adds one frame, named and placed like the function. A
``yield`` or ``yield from`` in a call being recorded goes through a small generator of pytead's,
which sees how the consumer resumes the generator (``next``, ``send``, ``throw``): it shows in
the delegated generator's own stack, and a trace function (a debugger, not coverage's line
events) sees one more ``exception`` event as that small generator ends.

While the target records, and while it explores past its limit (`pytead._linecover`), code
recompiled from source also tells the probe each statement that runs, when no trace function
was set as it was installed. Once the target is closed and no call of it is in flight, the
original code goes back, so the rest of the run goes at full speed.

Callables without Python code (builtins, C functions, callable instances) have no code to
swap: they are wrapped instead (`pytead._capture`).
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

from pytead._instances import Constructor
from pytead._linecover import NESTED_HOPS, wrapped_function, wrapped_line
from pytead._recorder import Pending, Recorder, TargetState
from pytead._rewrite import from_source
from pytead._targets import Target
from pytead._trampoline import trampoline
from pytead._watch import Watch, plain_function, recursing


class _Call:
    """A call being recorded, and how it is ending so far (the last word wins)."""

    __slots__ = ("error", "pending", "value")

    def __init__(self, pending: Pending) -> None:
        self.pending = pending
        self.value: Any = None
        self.error: BaseException | None = None


class Probe:
    """What an instrumented code object calls. Each method is quick and never raises.

    Calls are told apart by their frame, which the probe finds one level up: the frame of the
    target itself, since the probe is called from its code.
    """

    __slots__ = ("calls", "recorder", "watch")

    def __init__(self, watch: Watch, recorder: Recorder) -> None:
        self.watch = watch
        self.recorder = recorder
        self.calls: dict[int, _Call] = {}

    def enter(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """A call starts with these parameters: bind its arguments and ask the recorder."""
        state = self.watch.state
        if state.closed:
            return
        frame = sys._getframe(1)
        # With no call of this target in flight, no outer one can be running.
        if state.outermost_only and self.calls and recursing(frame, frame.f_code):
            return
        try:
            bound = self.watch.bind(dict(zip(names, values, strict=True)))
        except Exception:
            return
        if bound is not None:
            pending = self.recorder.begin(state, bound)
            if pending is not None:
                self.calls[id(frame)] = _Call(pending)

    def line(self, number: int) -> None:
        """Line *number* of the target's code runs (only in code asked for lines)."""
        call = self.calls.get(id(sys._getframe(1))) if self.calls else None
        if call is not None:
            lines = call.pending.lines
            if lines is not None:
                lines.add(number)

    def nested_line(self, number: int) -> None:
        """Line *number* of a function defined inside the target runs: the target's call that
        runs it is a few frames up (when it is called by that call)."""
        if self.calls:
            call = _caller_call(self.calls, sys._getframe(2))
            if call is not None and call.pending.lines is not None:
                call.pending.lines.add(number)

    def returned(self, value: Any) -> Any:
        """A ``return`` statement runs (a ``finally`` may still change the outcome)."""
        call = self.calls.get(id(sys._getframe(1))) if self.calls else None
        if call is not None:
            call.value, call.error = value, None
        return value

    def raised(self) -> None:
        """An exception leaves the body."""
        call = self.calls.get(id(sys._getframe(1))) if self.calls else None
        if call is not None:
            call.error = sys.exc_info()[1]

    def leave(self) -> None:
        """The call is over: record how it ended."""
        call = self.calls.pop(id(sys._getframe(1)), None) if self.calls else None
        if call is None:
            return
        if call.error is not None:
            self.recorder.finish_raise(call.pending, call.error)
        else:
            self.recorder.finish_return(call.pending, call.value)

    def stepping(self) -> bool:
        """Whether the generator frame calling is a call being recorded."""
        return bool(self.calls) and id(sys._getframe(1)) in self.calls

    def step(self, item: Any) -> Generator[Any, Any, Any]:
        """``yield item`` of a recorded call: the item, and how the consumer resumes it."""
        call = self.calls.get(id(sys._getframe(1)))
        if call is None:  # the call ended in between (a thread): yield as untraced
            return _plain(item)
        return _stepping(item, call.pending, self.recorder)

    def delegate(self, iterable: Any) -> Any:
        """``yield from iterable``: note the items it yields, when this call is recorded."""
        call = self.calls.get(id(sys._getframe(1))) if self.calls else None
        if call is None:
            return iterable
        try:
            iterator = iter(iterable)
        except Exception:
            return iterable  # let ``yield from`` raise its own error
        return _delegating(iterator, call.pending, self.recorder)

    def __reduce__(self) -> tuple[Callable[[], _Inert], tuple[()]]:
        # A function pickled by value (cloudpickle) carries its code, probe included: the
        # process that loads it gets a probe that records nothing.
        return _Inert, ()


class _Inert:
    """A probe that records nothing, for code loaded in another process."""

    def enter(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """Nothing to do."""

    def raised(self) -> None:
        """Nothing to do."""

    leave = raised

    def line(self, number: int) -> None:
        """Nothing to do."""

    nested_line = line

    def returned(self, value: Any) -> Any:
        """Hand *value* back."""
        return value

    delegate = returned

    def stepping(self) -> bool:
        """Never: nothing is recorded here."""
        return False


class WrappedLines(_Inert):
    """What the function a target wraps calls, while the target explores: only its lines, told
    to the target's call running it (the caller's frame)."""

    __slots__ = ("probe",)

    def __init__(self, probe: Probe) -> None:
        self.probe = probe

    def line(self, number: int) -> None:
        """Line *number* of the wrapped function runs."""
        calls = self.probe.calls
        if calls:
            caller = sys._getframe(1).f_back
            call = calls.get(id(caller)) if caller is not None else None
            if call is not None and call.pending.lines is not None:
                call.pending.lines.add(wrapped_line(number))

    def nested_line(self, number: int) -> None:
        """Line *number* of a function defined inside the wrapped function runs."""
        calls = self.probe.calls
        if calls:
            call = _caller_call(calls, sys._getframe(2))
            if call is not None and call.pending.lines is not None:
                call.pending.lines.add(wrapped_line(number))

    def __reduce__(self) -> tuple[Callable[[], _Inert], tuple[()]]:
        return _Inert, ()


def _caller_call(calls: dict[int, _Call], frame: types.FrameType | None) -> _Call | None:
    """The recorded call running *frame* or one of the `NESTED_HOPS` frames above it."""
    for _ in range(NESTED_HOPS + 1):
        if frame is None:
            return None
        call = calls.get(id(frame))
        if call is not None:
            return call
        frame = frame.f_back
    return None


class InitProbe(_Inert):
    """What an instrumented ``__init__`` calls: only its start matters, the rest does nothing."""

    __slots__ = ("constructor", "recorder", "stop")

    def __init__(
        self, constructor: Constructor, recorder: Recorder, stop: Callable[[], None]
    ) -> None:
        self.constructor = constructor
        self.recorder = recorder
        self.stop = stop

    def enter(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """An ``__init__`` starts with these parameters: a construction, if it is the outermost."""
        constructor = self.constructor
        if constructor.closed:  # every target receiving its instances is done
            self.stop()
            return
        try:
            bound = constructor.binder.from_locals(dict(zip(names, values, strict=True)))
        except Exception:
            return
        self.recorder.constructed(constructor, bound)

    def __reduce__(self) -> tuple[Callable[[], _Inert], tuple[()]]:
        return _Inert, ()


def _plain(item: Any) -> Generator[Any, Any, Any]:
    return (yield item)


def _stepping(item: Any, pending: Pending, recorder: Recorder) -> Generator[Any, Any, Any]:
    """One ``yield item``, noting the item and the send or throw that resumes the generator."""
    recorder.add_yield(pending, item)
    try:
        sent = yield item
    except GeneratorExit:
        raise
    except BaseException as exc:  # thrown in by the consumer: noted, then raised where it was
        recorder.add_throw(pending, exc)
        raise
    if sent is not None:
        recorder.add_send(pending, sent)
    return sent


def _delegating(
    iterator: Iterator[Any], pending: Pending, recorder: Recorder
) -> Generator[Any, Any, Any]:
    """``yield from iterator`` as PEP 380 spells it out, noting each item."""
    try:
        item = next(iterator)
    except StopIteration as stop:
        return stop.value
    while True:
        recorder.add_yield(pending, item)
        thrown: BaseException | None = None
        try:
            sent = yield item
        except GeneratorExit:
            _close(iterator)
            raise
        except BaseException as exc:  # thrown in by the consumer: pass it on
            thrown = exc
            recorder.add_throw(pending, exc)
        if thrown is None and sent is not None:
            recorder.add_send(pending, sent)
        throw = getattr(iterator, "throw", None)
        if thrown is not None and throw is None:
            raise thrown
        try:
            if thrown is not None:
                item = throw(thrown)  # type: ignore[misc]
            elif sent is None:
                item = next(iterator)
            else:
                item = iterator.send(sent)  # type: ignore[attr-defined]
        except StopIteration as stop:
            return stop.value
        finally:
            thrown = None  # no reference cycle through the traceback


def _close(iterator: Iterable[Any]) -> None:
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


class CodeBackend:
    """Installs targets by swapping their functions' code for instrumented code."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self._installed: dict[int, tuple[types.FunctionType, TargetState]] = {}

    def instrument(
        self, target: Target, *, limit: int | None = None, storage_dir: Path | None = None
    ) -> TargetState | None:
        """Record *target* through its own code; ``None`` if it has none that can be swapped."""
        function = plain_function(target.function)
        if not isinstance(function, types.FunctionType):
            return None
        known = self._installed.get(id(function))
        if known is not None and known[0] is function:
            return known[1]  # decorated and named on the command line: recorded once
        state = self.recorder.add_target(
            target.info, receiver=target.has_receiver, limit=limit, storage_dir=storage_dir
        )
        probe = Probe(Watch(state, target), self.recorder)
        if not state.closed and not self._swap(function, probe, state):
            return None
        self._installed[id(function)] = (function, state)
        return state

    def instrument_init(self, constructor: Constructor) -> bool:
        """Observe the calls of *constructor*'s ``__init__``, through instrumented code.

        ``False`` when it cannot: the ``__init__`` is itself a traced target (its calls are
        cases already), or its code cannot be rebuilt.
        """
        function = constructor.function
        known = self._installed.get(id(function))
        if known is not None and known[0] is function:
            return False
        original = function.__code__
        instrumented: list[types.CodeType] = []

        def stop() -> None:
            if instrumented and function.__code__ is instrumented[0]:
                function.__code__ = original
            constructor.watched = False

        probe = InitProbe(constructor, self.recorder, stop)
        try:
            code = from_source(function, probe) or trampoline(function, probe)
        except Exception:  # odd code Python refuses: its instances are not seen built
            return False
        if code is None:
            return False
        instrumented.append(code)
        function.__code__ = code
        constructor.watched = True
        return True

    def _swap(self, function: types.FunctionType, probe: Probe, state: TargetState) -> bool:
        """Give *function* instrumented code; ``False``: it is to be wrapped instead."""
        original = function.__code__
        try:
            lines = _may_probe_lines() and self.recorder.can_explore(state)
            code = from_source(function, probe, lines=lines)
            restore_wrapped = None
            if code is not None and lines:
                self.recorder.guide(state)  # only recompiled code tells lines
                restore_wrapped = self._probe_wrapped(function, probe)
            code = code or trampoline(function, probe)
            if code is None:
                return False
            function.__code__ = code
        except Exception:  # odd code Python refuses (free variables, a broken file): wrap it
            return False
        restore = _restorer(function, original, code)
        if restore_wrapped is not None:
            restore = _both(restore, restore_wrapped)
        state.on_idle_closed = restore
        return True

    def _probe_wrapped(
        self, function: types.FunctionType, probe: Probe
    ) -> Callable[[], None] | None:
        """Line probes in the function *function* wraps; returns what puts its code back."""
        inner = wrapped_function(function)
        if inner is None or id(inner) in self._installed:
            return None  # a target of its own: its lines are its own
        original = inner.__code__
        try:
            code = from_source(inner, WrappedLines(probe), lines=True)
        except Exception:  # odd code Python refuses: its lines go unseen
            return None
        if code is None:
            return None
        inner.__code__ = code
        return _restorer(inner, original, code)


def _may_probe_lines() -> bool:
    """Whether no trace function is set (a debugger, coverage.py): only then does the code
    get line probes, so that whatever such a tool sees stays exactly as untraced."""
    return sys.gettrace() is None and threading.gettrace() is None


def _both(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    def both() -> None:
        first()
        second()

    return both


def _restorer(
    function: types.FunctionType, original: types.CodeType, instrumented: types.CodeType
) -> Callable[[], None]:
    def restore() -> None:
        if function.__code__ is instrumented:
            function.__code__ = original

    return restore
