"""The recorder: turns observed calls into case records, within the limit, never raising.

Capture backends (wrappers on 3.11, ``sys.monitoring`` on 3.12+) only observe; they call
`Recorder.begin` when a call starts and one of the ``finish_*`` methods when it ends. The
recorder encodes inputs, deduplicates them by hash, enforces the per-target limit across
threads, and appends records to the process's journal. Any failure inside it is logged once per
target and the traced call carries on untouched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytead._codec import Encoder, Node, Redactor, Tagged, canonical
from pytead._codec.nodes import importable_module_name
from pytead._config import Config
from pytead._journal import Journal
from pytead._model import (
    Case,
    Raised,
    Returned,
    TargetInfo,
    case_to_node,
    outcome_key,
    outcome_to_node,
    target_to_node,
)
from pytead._project import folders_on_path, project_root

log = logging.getLogger("pytead")

#: Exceptions that stop a call from outside rather than being its outcome.
_INTERRUPTIONS = (KeyboardInterrupt, SystemExit, GeneratorExit)
#: Yielded items kept per generator call; beyond that the case is marked incomplete.
MAX_YIELDS = 100


class TargetState:
    """The recorder's bookkeeping for one target in this process."""

    def __init__(self, info: TargetInfo, *, limit: int, journal: Journal, receiver: bool) -> None:
        self.info = info
        self.limit = limit
        self.journal = journal
        self.receiver = receiver
        #: Set once *limit* distinct cases are recorded: backends then stop observing.
        self.closed = limit <= 0
        #: Record only the outermost call of a recursion (the default).
        self.outermost_only = True
        self.lock = threading.Lock()
        self.known: dict[str, str | None] = {}  # case id -> outcome key (None while in flight)
        self.seen: dict[str, int] = {}
        self.in_flight = 0
        self.header_pid = 0
        self.failed = False
        #: Called (outside the lock) when the target is closed and nothing is in flight.
        self.on_idle_closed: Callable[[], None] | None = None


@dataclass(slots=True, eq=False)
class Pending:
    """A call being recorded, between its start and its end."""

    state: TargetState
    case_id: str
    duplicate: bool
    self_obj: Any
    self_node: Node
    args_node: dict[str, Node]
    watched: dict[str, tuple[Any, str]]  # mutable arguments: value and its state before
    self_key: str
    started_ns: int
    yields: list[Node] | None = None
    complete: bool = True
    done: bool = False
    shared: bool = False


class _Busy(threading.local):
    active = False


class Recorder:
    """Records calls of every traced target of this process into per-store journals."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.redact = Redactor(config.redact)
        self._journals: dict[Path, Journal] = {}
        self.states: dict[str, TargetState] = {}
        self._busy = _Busy()
        self._generators: dict[int, Pending] = {}
        os.register_at_fork(after_in_child=self._after_fork_in_child)
        #: Where the program started: the folders it imports from are kept relative to it.
        self.root = project_root()

    # -- set-up ---------------------------------------------------------------------------

    def add_target(
        self,
        info: TargetInfo,
        *,
        receiver: bool,
        limit: int | None = None,
        storage_dir: Path | None = None,
    ) -> TargetState:
        """Start recording *info*; a target added twice keeps its first state."""
        state = self.states.get(info.name)
        if state is None:
            journal = self.journal_for(storage_dir or self.config.storage_dir)
            state = TargetState(
                info,
                limit=self.config.limit if limit is None else limit,
                journal=journal,
                receiver=receiver,
            )
            state.outermost_only = not self.config.nested_calls
            self.states[info.name] = state
        return state

    def journal_for(self, storage_dir: Path) -> Journal:
        """The journal of this process for *storage_dir*."""
        key = storage_dir.resolve()
        if key not in self._journals:
            self._journals[key] = Journal(key)
        return self._journals[key]

    @property
    def storage_dirs(self) -> list[Path]:
        """Every store this process has recorded into."""
        return list(self._journals)

    # -- the call path ----------------------------------------------------------------------

    def begin(self, state: TargetState, bound: dict[str, Any]) -> Pending | None:
        """A call of *state*'s target starts with arguments *bound*; ``None``: do not record it."""
        if state.closed or self._busy.active:
            return None
        self._busy.active = True
        try:
            return self._begin(state, bound)
        except Exception as exc:
            self._failed(state, exc)
            return None
        finally:
            self._busy.active = False

    def _begin(self, state: TargetState, bound: dict[str, Any]) -> Pending | None:
        self_obj = bound.pop(next(iter(bound))) if state.receiver and bound else None
        if state.info.kind == "classmethod":
            self_obj = None
        encoder = Encoder(redact=self.redact, max_nodes=self.config.max_value_nodes)
        self_node = encoder.encode(self_obj) if self_obj is not None else None
        args_node: dict[str, Node] = {}
        watched: dict[str, tuple[Any, str]] = {}
        for name, value in bound.items():
            args_node[name] = node = encoder.encode_named(name, value)
            if encoder.mutable_seen:
                watched[name] = (value, canonical(node))
        self_key = canonical(self_node)
        case_id = case_hash({"self": self_node, "args": args_node})
        with state.lock:
            if state.closed:
                return None
            duplicate = case_id in state.known
            if not duplicate:
                state.known[case_id] = None
                state.closed = len(state.known) >= state.limit
            state.in_flight += 1
        return Pending(
            state, case_id, duplicate, self_obj, self_node, args_node, watched, self_key,
            time.perf_counter_ns(),
            yields=[] if state.info.is_generator else None,
            shared=encoder.shared_seen,
        )  # fmt: skip

    def add_yield(self, pending: Pending, value: Any) -> None:
        """The program consumed *value* from a recorded generator."""
        if pending.done or pending.yields is None or self._busy.active:
            return
        if len(pending.yields) >= MAX_YIELDS:
            pending.complete = False
            return
        self._busy.active = True
        try:
            encoder = Encoder(redact=self.redact, max_nodes=self.config.max_value_nodes)
            pending.yields.append(encoder.encode(value))
            self._generators[id(pending)] = pending
        except Exception as exc:
            self._failed(pending.state, exc)
        finally:
            self._busy.active = False

    def finish_return(self, pending: Pending, value: Any) -> None:
        """The call returned *value* (for generators: the ``StopIteration`` value)."""
        self._finish(pending, lambda encoder: Returned(encoder.encode(value)))

    def finish_raise(self, pending: Pending, exc: BaseException) -> None:
        """The call raised *exc*; interruptions (Ctrl-C, exit, generator close) are not outcomes."""
        if isinstance(exc, _INTERRUPTIONS) or type(exc).__name__ == "CancelledError":
            if pending.yields:  # a generator the program stopped early: keep what it consumed
                pending.complete = False
                self.finish_return(pending, None)
            else:
                self.discard(pending)
            return
        self._finish(pending, lambda encoder: _raised(exc, encoder))

    def discard(self, pending: Pending) -> None:
        """Forget a call that did not finish in a way worth recording."""
        if pending.done:
            return
        pending.done = True
        self._generators.pop(id(pending), None)
        state = pending.state
        with state.lock:
            state.in_flight -= 1
            if not pending.duplicate:
                state.known.pop(pending.case_id, None)
                state.closed = len(state.known) >= state.limit
        self._maybe_idle(state)

    def _finish(self, pending: Pending, outcome_of: Callable[[Encoder], Returned | Raised]) -> None:
        if pending.done:
            return None
        pending.done = True
        self._generators.pop(id(pending), None)
        elapsed_ns = time.perf_counter_ns() - pending.started_ns
        state = pending.state
        if self._busy.active:
            return self._release(pending)
        self._busy.active = True
        try:
            encoder = Encoder(redact=self.redact, max_nodes=self.config.max_value_nodes)
            outcome = outcome_of(encoder)
            self._store(pending, outcome, encoder, elapsed_ns)
        except Exception as exc:
            self._failed(state, exc)
        finally:
            self._busy.active = False
            self._release(pending)
        return None

    def _release(self, pending: Pending) -> None:
        state = pending.state
        with state.lock:
            state.in_flight -= 1
        self._maybe_idle(state)

    def _maybe_idle(self, state: TargetState) -> None:
        if state.closed and state.in_flight == 0 and state.on_idle_closed is not None:
            state.on_idle_closed()

    def _store(
        self, pending: Pending, outcome: Returned | Raised, encoder: Encoder, elapsed_ns: int
    ) -> None:
        state = pending.state
        key = outcome_key(outcome)
        if pending.duplicate:
            with state.lock:
                first = state.known.get(pending.case_id)
                state.seen[pending.case_id] = state.seen.get(pending.case_id, 1) + 1
            if first is not None and first != key:
                self._append(
                    state,
                    {"k": "variant", "id": pending.case_id, "outcome": outcome_to_node(outcome)},
                )
            return
        with state.lock:
            state.known[pending.case_id] = key
        case = Case(
            id=pending.case_id,
            args=pending.args_node,
            outcome=outcome,
            self=pending.self_node,
            self_after=self._self_after(pending, encoder),
            args_after=_args_after(pending, encoder),
            yields=pending.yields,
            complete=pending.complete,
            duration_us=round(elapsed_ns / 1000, 1),
        )
        record: dict[str, Node] = {"k": "case", "ts": time.time_ns(), "case": case_to_node(case)}
        self._append(state, record, shared=pending.shared or encoder.shared_seen)

    def _self_after(self, pending: Pending, encoder: Encoder) -> Node:
        if pending.self_obj is None:
            return None
        after = encoder.encode(pending.self_obj)
        if canonical(after) == pending.self_key:
            return None
        if isinstance(after, Tagged) and isinstance(after.value, dict) and "state" in after.value:
            return after.value["state"]
        return after

    def _append(self, state: TargetState, record: dict[str, Node], *, shared: bool = False) -> None:
        record["t"] = state.info.name
        if state.header_pid != os.getpid():
            state.header_pid = os.getpid()
            info = dataclasses.replace(state.info, sys_path=self._sys_path())
            header = {
                "k": "target",
                "t": state.info.name,
                "info": target_to_node(info),
                "limit": state.limit,
            }
            state.journal.append(header)  # type: ignore[arg-type]
        state.journal.append(record, shared=shared)

    def _sys_path(self) -> tuple[str, ...]:
        """The project's folders on ``sys.path`` now (the first call of each target, per process).

        By then a test runner has put its test folders there, so generated tests can import
        classes and helpers from the traced program's own test files the same way.
        """
        return folders_on_path(self.root, list(sys.path))

    def _failed(self, state: TargetState, exc: BaseException) -> None:
        if not state.failed:
            state.failed = True
            log.warning(
                "pytead: could not record a call of %s (%s: %s); the call went on untouched",
                state.info.name, type(exc).__name__, exc,
            )  # fmt: skip

    # -- the end of the run -----------------------------------------------------------------

    def flush(self) -> None:
        """Record generators left unfinished, write ``seen`` counts, and close the journals."""
        for pending in list(self._generators.values()):
            pending.complete = False
            self.finish_return(pending, None)
        for state in self.states.values():
            counts = {case_id: n for case_id, n in state.seen.items() if n > 1}
            if counts:
                self._append(state, {"k": "seen", "counts": counts})  # type: ignore[dict-item]
        for journal in self._journals.values():
            journal.close()

    def _after_fork_in_child(self) -> None:
        self._busy = _Busy()
        self._generators = {}
        for journal in self._journals.values():
            journal.after_fork_in_child()
        for state in self.states.values():
            state.lock = threading.Lock()
            state.seen = {}  # the parent reports its own counts


def case_hash(inputs: Node) -> str:
    """Stable 8-hex-digit id of a call's inputs.

    Examples:
        >>> case_hash({"self": None, "args": {"a": 1}})
        '82482f89'
    """
    return hashlib.blake2b(canonical(inputs).encode("utf-8"), digest_size=4).hexdigest()


def _raised(exc: BaseException, encoder: Encoder) -> Raised:
    kind = type(exc)
    try:
        message = str(exc)
    except Exception:
        message = "<str() failed>"
    args: Node = None
    if exc.args != (message,):
        args = encoder.encode(list(exc.args))
    module = importable_module_name(kind.__module__)
    return Raised(f"{module}.{kind.__qualname__}", message, args)


def _args_after(pending: Pending, encoder: Encoder) -> dict[str, Node]:
    changed: dict[str, Node] = {}
    for name, (value, before) in pending.watched.items():
        after = encoder.encode_named(name, value)
        if canonical(after) != before:
            changed[name] = after
    return changed


def stderr_handler() -> None:
    """Send pytead's log to stderr without touching the traced program's logging set-up."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False
        log.setLevel(logging.INFO)
