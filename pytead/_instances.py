"""What capture saw of the instances that traced methods receive: how each was built, then changed.

For every class that owns a traced method, the capture backends observe the ``__init__`` the
class resolves to (a `Constructor`), and the recorder notes, per instance, the arguments that
``__init__`` received and then the traced calls that changed the instance (`Instances`). A new
case of a method reads that record as it starts, and writes it as the case's ``built`` (see
`pytead._built`): the constructor call, then the history, that a generated test can replay.

The record of an instance is keyed by ``id()``, and checked against the object itself (through a
weak reference) or at least its type, since an id is reused once its object is gone. It goes
away when the object dies, where the object takes weak references; the others are bounded in
number, the oldest dropped first.
"""

from __future__ import annotations

import threading
import types
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytead._binding import Binder
from pytead._built import MAX_CALLS, Built, Step
from pytead._codec import Node
from pytead._targets import class_attribute

if TYPE_CHECKING:
    from pytead._recorder import TargetState

#: Instances remembered at most; beyond, the oldest record is dropped.
MAX_INSTANCES = 10_000


@dataclass(slots=True, eq=False)
class _Record:
    """One instance: its type, a weak reference when it takes one, and what was seen of it."""

    kind: type
    ref: weakref.ref[Any] | None
    args: dict[str, Node] | None = None
    #: The constructor's arguments as it received them, until the instance reaches a traced
    #: call: only then are they encoded (most instances never do, and encoding costs).
    raw: dict[str, Any] | None = None
    steps: list[Step] = field(default_factory=list)
    #: More than `MAX_CALLS` steps: no test would set it up that way, so no ``built`` is written.
    too_long: bool = False
    #: Texts redacted from the constructor's arguments, to remove from the instance's cases too.
    secrets: frozenset[str] = frozenset()


class Instances:
    """The record of every instance seen built or changed by a traced call, by ``id()``.

    Thread-safe. A weak reference's callback only notes the death (it may run in the middle of
    any operation, the lock held): the record goes at the next operation.
    """

    def __init__(self, capacity: int = MAX_INSTANCES) -> None:
        self.capacity = capacity
        self._records: dict[int, _Record] = {}  # in insertion order: the oldest first
        self._dead: list[tuple[int, weakref.ref[Any]]] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._forget_dead()
            return len(self._records)

    def __bool__(self) -> bool:
        return bool(self._records)

    def constructed(self, obj: object, raw: dict[str, Any]) -> None:
        """*obj*'s ``__init__`` starts with *raw* arguments: a new record, whatever was known."""
        with self._lock:
            self._forget_dead()
            self._new(obj).raw = raw

    def take_raw(self, obj: object) -> dict[str, Any] | None:
        """The constructor's arguments of *obj* not encoded yet, handed over once."""
        with self._lock:
            record = self._find(obj)
            if record is None:
                return None
            raw, record.raw = record.raw, None
            return raw

    def encoded(self, obj: object, args: dict[str, Node] | None, secrets: Iterable[str]) -> None:
        """What `take_raw` handed over, encoded (None: too large to be worth recording)."""
        with self._lock:
            record = self._find(obj)
            if record is not None:
                record.args, record.secrets = args, frozenset(secrets)

    def built(self, obj: object) -> Built | None:
        """How *obj* came to be so far; ``None``: nothing seen, or a history too long."""
        with self._lock:
            record = self._find(obj)
            if record is None or record.too_long or (record.args is None and not record.steps):
                return None
            return Built(record.args, tuple(record.steps))

    def secrets(self, obj: object) -> frozenset[str]:
        """Texts redacted when *obj* was built."""
        with self._lock:
            record = self._find(obj)
            return frozenset() if record is None else record.secrets

    def add_step(self, obj: object, step: Step) -> None:
        """A traced call changed *obj*; an instance not seen built starts its record here."""
        with self._lock:
            self._forget_dead()
            record = self._find(obj) or self._new(obj)
            if record.too_long:
                return
            if len(record.steps) >= MAX_CALLS:
                record.too_long = True
                record.steps.clear()
                return
            record.steps.append(step)

    def after_fork_in_child(self) -> None:
        """The child keeps what the parent saw; the lock may have been held by another thread."""
        self._lock = threading.Lock()

    # -- with the lock held -----------------------------------------------------------------

    def _find(self, obj: object) -> _Record | None:
        key = id(obj)
        record = self._records.get(key)
        if record is None:
            return None
        same = record.ref() is obj if record.ref is not None else record.kind is type(obj)
        if not same:  # the id of an object gone, reused
            del self._records[key]
            return None
        return record

    def _new(self, obj: object) -> _Record:
        key = id(obj)
        self._records.pop(key, None)  # re-inserted last: the newest
        self._records[key] = record = _Record(type(obj), self._weak(key, obj))
        while len(self._records) > self.capacity:
            del self._records[next(iter(self._records))]
        return record

    def _weak(self, key: int, obj: object) -> weakref.ref[Any] | None:
        dead = self._dead
        try:
            return weakref.ref(obj, lambda ref: dead.append((key, ref)))
        except TypeError:  # slots without __weakref__, most builtin types
            return None

    def _forget_dead(self) -> None:
        while self._dead:
            key, ref = self._dead.pop()
            record = self._records.get(key)
            if record is not None and record.ref is ref:
                del self._records[key]


class Constructor:
    """One ``__init__`` function observed, and the classes whose instances it builds.

    A base class's ``__init__`` serves its subclasses too, and runs again inside theirs
    (``super().__init__()``): an instance's construction is that of its own class's
    ``__init__``, the outermost one, so the others are not recorded for it.
    """

    def __init__(self, function: types.FunctionType) -> None:
        self.function = function
        self.binder = Binder(function, receiver=True)
        #: class -> the targets receiving its instances: observed while one of them records.
        self.classes: dict[type, list[TargetState]] = {}
        #: Whether a capture backend observes its calls now (it stops once `closed`).
        self.watched = False
        #: The backend could not observe it (a traced ``__init__``, code it cannot instrument).
        self.unobservable = False
        #: A failure while recording its calls was logged (once).
        self.failed = False

    def add(self, cls: type, state: TargetState) -> None:
        """Observe the construction of *cls*'s instances while *state* records."""
        states = self.classes.setdefault(cls, [])
        if state not in states:
            states.append(state)

    @property
    def closed(self) -> bool:
        """Whether every target receiving its instances has reached its limit."""
        return all(state.closed for states in tuple(self.classes.values()) for state in states)

    def builds(self, obj: object) -> bool:
        """Whether this ``__init__`` call is the construction of *obj* (not a base's part)."""
        kind = type(obj)
        if class_attribute(kind, "__init__") is not self.function:
            return False
        return any(
            issubclass(kind, cls) and not all(state.closed for state in states)
            for cls, states in tuple(self.classes.items())  # another thread may add a class
        )


def python_init(cls: type) -> types.FunctionType | None:
    """The ``__init__`` *cls* resolves to, when it is a Python function (not object's, not C)."""
    init = class_attribute(cls, "__init__")
    return init if isinstance(init, types.FunctionType) else None
