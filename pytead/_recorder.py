"""The recorder: turns observed calls into case records, within the limit, never raising.

Capture backends (instrumented code on 3.11, ``sys.monitoring`` on 3.12+, wrappers for callables
without Python code) only observe; they call `Recorder.begin` when a call starts and one of the
``finish_*`` methods when it ends. The recorder encodes inputs, deduplicates them by hash,
enforces the per-target limit across threads, and appends records to the process's journal. Any
failure inside it is logged once per target and the traced call carries on untouched. A backend
that sees which lines each call runs has the target explored past its limit: a further call is
stored only if it ran a new line or took a new path (`pytead._linecover`).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import dataclasses
import itertools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytead._binding import AtDefault
from pytead._built import ITEM_METHODS, Built, Step
from pytead._codec import Encoder, Node, Redactor, Tagged
from pytead._codec.nodes import importable_module_name
from pytead._codec.secrets import Secrets
from pytead._config import Config
from pytead._inputs import Inputs, changes, encode_inputs
from pytead._instances import Constructor, Instances
from pytead._journal import Journal
from pytead._linecover import Explore, outcome_kind
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
from pytead._scrub import scrub_args, scrub_inputs, scrub_record, withheld_message

log = logging.getLogger("pytead")

#: Exceptions that stop a call from outside rather than being its outcome.
_INTERRUPTIONS = (KeyboardInterrupt, SystemExit, GeneratorExit)
#: The most nodes a constructor's argument may take to be recorded (see `constructed`).
CONSTRUCTOR_NODES = 200
#: Yielded items kept per generator call; beyond that the case is marked incomplete.
MAX_YIELDS = 100
#: The outcome key of a call whose outcome is not compared with others (see `Case.comparable`).
_INCOMPARABLE = "~"
#: The ids of the instances receiving a traced call in this context, outermost first: a call
#: on an instance made inside another on the same instance is part of it, not a step of its own.
_RECEIVING: contextvars.ContextVar[tuple[int, ...]] = contextvars.ContextVar(
    "pytead:receiving", default=()
)


class TargetState:
    """The recorder's bookkeeping for one target in this process."""

    def __init__(self, info: TargetInfo, *, limit: int, journal: Journal, receiver: bool) -> None:
        self.info = info
        self.limit = limit
        self.journal = journal
        self.receiver = receiver
        #: Set once *limit* distinct cases are recorded (and the exploring phase, if any, is
        #: over): backends then stop observing.
        self.closed = limit <= 0
        #: The exploring phase after the limit, when the backend tells which lines calls run.
        self.explore: Explore | None = None
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
        #: Classes of the instances it received, whose construction capture was asked to observe.
        self.receiver_types: set[type] = set()
        #: Case id -> the step its calls add to the instance's history (None: they change nothing).
        self.steps: dict[str, Step | None] = {}
        #: Whether its calls can be replayed as steps of an instance's history.
        self.makes_steps = receiver and info.kind == "method" and _plain_method(info)
        #: Whether it is an ``__init__``: its calls are constructions to note (see `_constructs`).
        self.is_init = receiver and info.qualname.endswith(".__init__")

    @property
    def exploring(self) -> bool:
        """Whether its first *limit* cases are taken: a new call is kept only for new lines."""
        kept = self.explore.kept if self.explore is not None else 0
        return len(self.known) - kept >= self.limit

    def update_closed(self) -> None:
        """Close the target once it has its cases (call with the lock held)."""
        self.closed = self.exploring and (self.explore is None or self.explore.over)


@dataclass(slots=True, eq=False)
class Pending:
    """A call being recorded, between its start and its end."""

    state: TargetState
    case_id: str
    duplicate: bool
    inputs: Inputs
    started_ns: int
    #: When the call started, among this process's calls: fixtures list cases in this order.
    order: int
    yields: list[Node] | None = None
    #: How the program resumed the generator, once it did other than with ``next()``.
    driven: list[Node] | None = None
    complete: bool = True
    done: bool = False
    #: What was redacted so far in this call, to remove from everything else it records.
    secrets: Secrets = dataclasses.field(default_factory=Secrets)
    #: How the receiver was built, as known when the call started (new cases only).
    built: Built | None = None
    #: The same for arguments that are instances capture saw built or changed.
    args_built: dict[str, Built] = dataclasses.field(default_factory=dict)
    #: Whether no other traced call on the same receiver was running around this one.
    outermost: bool = False
    #: Resets `_RECEIVING` when the call ends.
    token: contextvars.Token[tuple[int, ...]] | None = None
    #: Lines of the target's code this call ran, when the backend tells (see `Recorder.guide`).
    lines: set[int] | None = None
    #: A call of the exploring phase: it becomes a case only if it ran a new line.
    tentative: bool = False


class _Busy(threading.local):
    active = False


class Recorder:
    """Records calls of every traced target of this process into per-store journals."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.redact = Redactor(config.redact, patterns=config.redact_patterns)
        self._journals: dict[Path, Journal] = {}
        self.states: dict[str, TargetState] = {}
        self._busy = _Busy()
        self._generators: dict[int, Pending] = {}
        self._order = itertools.count()
        #: How the instances that traced methods received were built, then changed.
        self.instances = Instances()
        #: Asked to observe the construction of a class whose instances a target receives.
        self.on_receiver_type: Callable[[type, TargetState], None] | None = None
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

    def can_explore(self, state: TargetState) -> bool:
        """Whether the settings let *state*'s target be explored after its limit."""
        config = self.config
        return state.limit > 0 and config.explore_cases > 0 and config.explore_calls > 0

    def guide(self, state: TargetState) -> bool:
        """A backend can tell which lines of *state*'s code each call runs: keep observing the
        target after its limit for the calls that run new lines (see `pytead._linecover`).

        Returns:
            Whether the backend is to report lines (``False``: exploring is turned off).
        """
        config = self.config
        if not self.can_explore(state):
            return False
        if state.explore is None:
            state.explore = Explore(
                config.explore_cases, config.explore_calls, max(config.explore_patience, 1)
            )
        return True

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

    def encoder(self, secrets: Secrets) -> Encoder:
        """A fresh encoder with this run's limits, adding what it redacts to *secrets*."""
        return Encoder(
            redact=self.redact,
            max_nodes=self.config.max_value_nodes,
            max_bytes=self.config.max_value_bytes,
            secrets=secrets,
            root=self.root,
        )

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
        secrets = Secrets()
        if self_obj is not None and state.is_init and _constructs(state.info, self_obj):
            self.instances.constructed(self_obj, _kept(bound))  # a traced __init__ sees it
        if self_obj is not None:
            self._note_receiver(state, self_obj)
            self._encode_construction(self_obj)
            secrets.add_texts(self.instances.secrets(self_obj))  # echoes of its constructor's
        inputs = encode_inputs(self.encoder(secrets), self_obj, bound)
        if secrets:
            scrub_inputs(inputs, secrets)  # the id must not be a hash of a secret either
        case_id = inputs.case_id
        with state.lock:
            if state.closed:
                return None
            duplicate = case_id in state.known
            tentative = state.exploring
            skipped = tentative and self._explored(state, case_id, duplicate=duplicate)
            if not (tentative or duplicate):
                state.known[case_id] = None
                state.update_closed()
            if not skipped:
                state.in_flight += 1
        if skipped:
            self._maybe_idle(state)
            return None
        pending = Pending(
            state, case_id, duplicate, inputs, time.perf_counter_ns(), next(self._order),
            yields=[] if state.info.is_generator else None, secrets=secrets,
            lines=set() if state.explore is not None else None, tentative=tentative,
        )  # fmt: skip
        if not duplicate and self.instances:
            self._note_built(pending, self_obj, bound)
        if self_obj is not None and not state.info.is_generator:
            receiving = _RECEIVING.get()
            pending.outermost = id(self_obj) not in receiving
            pending.token = _RECEIVING.set((*receiving, id(self_obj)))
        return pending

    @staticmethod
    def _explored(state: TargetState, case_id: str, *, duplicate: bool) -> bool:
        """A call of the exploring phase starts (lock held); ``True``: it cannot be a new case.

        Inputs already recorded, or already seen running nothing new, are not observed again.
        """
        explore = state.explore
        assert explore is not None  # without it the target closes at its limit
        explore.observed += 1
        skipped = duplicate or case_id in explore.tried
        state.update_closed()
        return skipped

    def _note_receiver(self, state: TargetState, self_obj: object) -> None:
        """The first instance of a class a target receives: observe how the next ones are built."""
        kind = type(self_obj)
        if kind not in state.receiver_types and self.on_receiver_type is not None:
            state.receiver_types.add(kind)
            self.on_receiver_type(kind, state)

    def _note_built(self, pending: Pending, self_obj: object, bound: dict[str, Any]) -> None:
        """How the receiver and the arguments came to be, as known now that the call starts."""
        if self_obj is not None:
            pending.built = self.instances.built(self_obj)
        for name, value in bound.items():
            if not name.startswith("*"):
                self._encode_construction(value)
                built = self.instances.built(value)
                if built is not None:
                    pending.args_built[name] = built

    def constructed(self, constructor: Constructor, bound: dict[str, Any]) -> None:
        """An observed ``__init__`` starts with arguments *bound* (``self`` first)."""
        if self._busy.active or not bound:
            return
        self._busy.active = True
        try:
            obj = bound.pop(next(iter(bound)))
            if constructor.builds(obj):
                self.instances.constructed(obj, _kept(bound))
        except Exception as exc:
            if not constructor.failed:
                constructor.failed = True
                log.warning(
                    "pytead: could not record how an instance was built by %s (%s: %s); "
                    "the program went on untouched",
                    constructor.function.__qualname__, type(exc).__name__, exc,
                )  # fmt: skip
        finally:
            self._busy.active = False

    def _encode_construction(self, obj: object) -> None:
        """Encode the constructor's arguments of *obj*, now that it reaches a traced call."""
        raw = self.instances.take_raw(obj)
        if raw is not None:
            secrets = Secrets()
            self.instances.encoded(obj, self._constructor_args(raw, secrets), secrets.texts)

    def _constructor_args(self, bound: dict[str, Any], secrets: Secrets) -> dict[str, Node] | None:
        """The arguments of a construction, defaults left out; None if one is too large.

        Each argument gets a small budget (`CONSTRUCTOR_NODES`): an instance built from a large
        value (a parser's node holding the nodes under it) is built another way.
        """
        encoder = Encoder(
            redact=self.redact,
            max_nodes=CONSTRUCTOR_NODES,
            max_bytes=self.config.max_value_bytes,
            secrets=secrets,
        )
        args: dict[str, Node] = {}
        for name, value in bound.items():
            if isinstance(value, AtDefault):
                if not value.changed():
                    continue  # left at its default, as case arguments are
                value = value.value
            node = encoder.encode_small(name, value)
            if node is None:
                return None
            args[name] = node
        return scrub_args(args, secrets) if secrets else args

    def add_yield(self, pending: Pending, value: Any) -> None:
        """The program consumed *value* from a recorded generator."""
        if pending.done or pending.yields is None or self._busy.active:
            return
        if len(pending.yields) >= MAX_YIELDS:
            pending.complete = False
            return
        self._busy.active = True
        try:
            pending.yields.append(self.encoder(pending.secrets).encode(value))
            self._generators[id(pending)] = pending
        except Exception as exc:
            self._failed(pending.state, exc)
        finally:
            self._busy.active = False

    def add_send(self, pending: Pending, value: Any, *, known: bool = True) -> None:
        """The program is resuming a recorded generator with ``send(value)`` (not ``None``).

        *known* is false when a value was sent but could not be read (see `pytead._resumes`).
        """
        self._add_step(
            pending, lambda encoder: {"send": encoder.encode(value) if known else _unread()}
        )

    def add_throw(self, pending: Pending, exc: BaseException) -> None:
        """The program is throwing *exc* into a recorded generator (a ``close()`` is not noted)."""
        if not isinstance(exc, GeneratorExit):
            self._add_step(
                pending, lambda encoder: {"throw": outcome_to_node(_raised(exc, encoder))["raised"]}
            )

    def _add_step(self, pending: Pending, step_of: Callable[[Encoder], Node]) -> None:
        if pending.done or pending.yields is None or self._busy.active:
            return
        resume = len(pending.yields)  # this resume gives the next item, or ends the generator
        if resume >= MAX_YIELDS:
            return
        self._busy.active = True
        try:
            step = step_of(self.encoder(pending.secrets))
            driven = pending.driven if pending.driven is not None else []
            pending.driven = driven + ["next"] * (resume - len(driven)) + [step]
        except Exception as exc:
            self._failed(pending.state, exc)
        finally:
            self._busy.active = False

    def finish_return(self, pending: Pending, value: Any) -> None:
        """The call returned *value* (for generators: the ``StopIteration`` value)."""
        self._finish(pending, lambda encoder: Returned(encoder.encode(value)), value)

    def finish_raise(self, pending: Pending, exc: BaseException) -> None:
        """The call raised *exc*; interruptions (Ctrl-C, exit, generator close) are not outcomes."""
        if isinstance(exc, _INTERRUPTIONS) or type(exc).__name__ == "CancelledError":
            if pending.yields:  # a generator the program stopped early: keep what it consumed
                pending.complete = False
                self.finish_return(pending, None)
            else:
                self.discard(pending)
            return
        self._finish(pending, lambda encoder: _raised(exc, encoder), error=exc)

    def discard(self, pending: Pending) -> None:
        """Forget a call that did not finish in a way worth recording."""
        if pending.done:
            return
        pending.done = True
        self._generators.pop(id(pending), None)
        _stop_receiving(pending)
        state = pending.state
        with state.lock:
            state.in_flight -= 1
            if not (pending.duplicate or pending.tentative):
                state.known.pop(pending.case_id, None)
            state.update_closed()
        self._maybe_idle(state)

    def _finish(
        self,
        pending: Pending,
        outcome_of: Callable[[Encoder], Returned | Raised],
        value: Any = None,
        error: BaseException | None = None,
    ) -> None:
        if pending.done:
            return None
        pending.done = True
        self._generators.pop(id(pending), None)
        _stop_receiving(pending)
        elapsed_ns = time.perf_counter_ns() - pending.started_ns
        state = pending.state
        if self._busy.active or not self._worth_keeping(pending, value, error):
            return self._release(pending)
        self._busy.active = True
        try:
            encoder = self.encoder(pending.secrets)
            outcome = outcome_of(encoder)
            self._store(pending, outcome, encoder, elapsed_ns)
        except Exception as exc:
            self._failed(state, exc)
        finally:
            self._busy.active = False
            self._release(pending)
        return None

    def _worth_keeping(self, pending: Pending, value: Any, error: BaseException | None) -> bool:
        """`_worth_storing`, never raising into the program (a fault: the call is not stored)."""
        try:
            return self._worth_storing(pending, value, error)
        except Exception as exc:
            self._failed(pending.state, exc)
            return False

    def _worth_storing(self, pending: Pending, value: Any, error: BaseException | None) -> bool:
        """Whether the call that ended is to be stored: a call of the exploring phase only if
        it ran a line no recorded case ran, or took a path none took (`pytead._linecover`).
        The lines and path of a new case count as seen from now."""
        state, explore, lines = pending.state, pending.state.explore, pending.lines
        if explore is None or lines is None or pending.duplicate:
            return True
        kind = outcome_kind(value, error)  # builtins only; a fault is `_worth_keeping`'s
        with state.lock:
            if not pending.tentative:
                explore.recorded(lines, kind)
                return True
            keep = (
                pending.case_id not in state.known  # the same inputs, kept by another thread
                and explore.worth_keeping(lines, kind)
            )
            if keep:
                state.known[pending.case_id] = None
                explore.kept_one(lines, kind)
            else:
                explore.nothing_new(pending.case_id)
            state.update_closed()
        return keep

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
        # A generator stopped early or driven by send()/throw() says nothing of what its
        # arguments alone give: it is never compared with another call of the same inputs.
        comparable = pending.yields is None or (pending.complete and pending.driven is None)
        key = outcome_key(outcome) if comparable else _INCOMPARABLE
        stats = self.config.stats
        if pending.duplicate:
            with state.lock:
                first = state.known.get(pending.case_id)
                if stats:
                    state.seen[pending.case_id] = state.seen.get(pending.case_id, 1) + 1
            if first not in (None, _INCOMPARABLE, key) and key != _INCOMPARABLE:
                variant: dict[str, Node] = {
                    "k": "variant",
                    "id": pending.case_id,
                    "outcome": outcome_to_node(outcome),
                }
                self._append(state, self._scrubbed(variant, pending))
            self._add_history(pending, state.steps.get(pending.case_id))
            return
        with state.lock:
            state.known[pending.case_id] = key
        changed = changes(pending.inputs, encoder)
        case = Case(
            id=pending.case_id,
            args=changed.args,
            outcome=outcome,
            self=pending.inputs.self_node,
            self_after=changed.self_after,
            args_after=changed.args_after,
            defaulted=changed.defaulted,
            yields=pending.yields,
            driven=pending.driven,
            complete=pending.complete,
            seen=1 if stats else None,
            duration_us=round(elapsed_ns / 1000, 1) if stats else None,
            built=pending.built,
            args_built=pending.args_built,
        )
        if pending.secrets and (case.built is not None or case.args_built):
            # Scrubbing changes nodes in place: not those the instances' records hold.
            case = dataclasses.replace(
                case, built=copy.deepcopy(case.built), args_built=copy.deepcopy(case.args_built)
            )
        node = case_to_node(case)
        record: dict[str, Node] = {"k": "case", "n": pending.order, "case": node}
        if pending.tentative:
            record["explored"] = True  # kept for its new lines: the compactor allows it above limit
        shared = pending.inputs.shared or encoder.shared_seen
        self._append(state, self._scrubbed(record, pending), shared=shared)
        step = _step(state, node, outcome) if changed.self_after is not None else None
        state.steps[pending.case_id] = step
        self._add_history(pending, step)

    def _add_history(self, pending: Pending, step: Step | None) -> None:
        """A call that changed its receiver ended: one more step of the instance's history."""
        if step is not None and pending.outermost:
            self.instances.add_step(pending.inputs.self_obj, step)

    def _scrubbed(self, record: dict[str, Node], pending: Pending) -> dict[str, Node]:
        """*record* without the text of anything this call had redacted."""
        if pending.secrets:
            scrub_record(record, pending.secrets)
        return record

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
            if state.explore is not None:
                header["explore"] = state.explore.most
            if self.config.stats:
                header["stats"] = True
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
        self.instances.after_fork_in_child()
        for journal in self._journals.values():
            journal.after_fork_in_child()
        for state in self.states.values():
            state.lock = threading.Lock()
            state.seen = {}  # the parent reports its own counts


def _plain_method(info: TargetInfo) -> bool:
    """A method a test can call plainly, or an item assignment or deletion (``obj[k] = v``):
    not async, not a generator, no other dunder."""
    name = info.qualname.rpartition(".")[2]
    dunder = name.startswith("__") and name not in ITEM_METHODS
    return not (info.is_async or info.is_generator or dunder)


def _step(state: TargetState, case: dict[str, Node], outcome: Returned | Raised) -> Step | None:
    """The step a call makes in its receiver's history, from its case as written."""
    if not state.makes_steps:
        return None
    args = case["args"]
    assert isinstance(args, dict)
    raised = outcome.type if isinstance(outcome, Raised) else None
    return Step(state.info.qualname.rpartition(".")[2], args, raised)


def _stop_receiving(pending: Pending) -> None:
    """The call is over: its receiver no longer receives it."""
    token, pending.token = pending.token, None
    if token is not None:
        # Ended in another context (a task): that context ends with it.
        with contextlib.suppress(ValueError):
            _RECEIVING.reset(token)


#: Containers up to this size are copied when a construction is noted: the program may change
#: them before the instance reaches a traced call, when its arguments are encoded.
_COPIED_UP_TO = 32


def _constructs(info: TargetInfo, obj: object) -> bool:
    """Whether a call of the traced *info* is the construction of *obj*: its class's own
    ``__init__`` (not a base's, run by ``super().__init__()``), observed as a target."""
    init = getattr(type(obj), "__init__", None)
    return (
        getattr(init, "__qualname__", None) == info.qualname
        and getattr(init, "__module__", None) == info.module
    )


def _kept(bound: dict[str, Any]) -> dict[str, Any]:
    """A construction's arguments as noted: small lists, dicts and sets copied (shallowly)."""
    kept = {}
    for name, value in bound.items():
        kind = type(value)
        if kind in (list, dict, set) and len(value) <= _COPIED_UP_TO:
            value = kind(value)
        kept[name] = value
    return kept


def _unread() -> Node:
    """A value sent to a generator that the backend could not read back."""
    why = "the value sent could not be read back"
    return Tagged("opaque", {"type": "unknown", "repr": "?", "why": why})


def _raised(exc: BaseException, encoder: Encoder) -> Raised:
    kind = type(exc)
    try:
        message = str(exc)
    except Exception:
        message = "<str() failed>"
    args: Node = None
    if exc.args != (message,):
        args = encoder.encode(list(exc.args))
    found: list[str] = []
    clean = encoder.redact.scrub(message, found)
    if clean is not None:  # a credential in the message: the args say it was changed
        encoder.secrets.add_texts(found)
        message, args = clean, withheld_message(clean, args)
    module = importable_module_name(kind.__module__)
    return Raised(f"{module}.{kind.__qualname__}", message, args)


def stderr_handler() -> None:
    """Send pytead's log to stderr without touching the traced program's logging set-up."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False
        log.setLevel(logging.INFO)
