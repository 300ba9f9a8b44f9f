"""The capture session of this process: one recorder, one backend, one finalisation.

``pytead run``, ``@pytead.trace`` and spawned child processes all go through `get_session`.
At exit the session flushes the recorder, folds the journals into fixtures and prints one summary
line on stderr. Its exit handler is registered early, so it runs after the program's own
``atexit`` handlers (which may still call traced functions).

A child process (forked, or started by multiprocessing) only closes its journal: the parent folds
every journal when it ends, which keeps one summary line for the whole program and lets the
fixture list the processes' calls in an order that does not depend on which child ended first.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from pytead._capture import install_wrappers
from pytead._config import Config, load_config
from pytead._instances import Constructor, python_init
from pytead._instrument import CodeBackend
from pytead._recorder import Recorder, TargetState, stderr_handler
from pytead._targets import Target

if TYPE_CHECKING:
    from pytead._compact import CompactReport
    from pytead._monitoring import MonitoringBackend

log = logging.getLogger("pytead")


class Session:
    """Capture for this process."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.recorder = Recorder(config)
        self.monitor = _monitoring_backend(self.recorder)
        self.code = CodeBackend(self.recorder)
        self.targets: list[Target] = []
        self._finished = False
        self._lock = threading.Lock()
        #: The traced parent of a forked or spawned child, which folds the child's journal.
        self.parent_pid: int | None = None
        #: id of an ``__init__`` function -> how its calls are observed.
        self._constructors: dict[int, Constructor] = {}
        self._constructors_lock = threading.Lock()
        self.recorder.on_receiver_type = self.observe_construction

    @property
    def backend(self) -> str:
        """``"monitoring"`` (sys.monitoring, 3.12+) or ``"code"`` (instrumented code)."""
        return "monitoring" if self.monitor is not None else "code"

    def install(self, targets: list[Target]) -> None:
        """Start recording *targets*; those without Python code are wrapped."""
        wrapped = [target for target in targets if self.observe(target) is None]
        install_wrappers(wrapped, self.recorder)
        self.targets.extend(targets)
        for target in targets:  # from the start, so the first instances are seen built too
            state = self.recorder.states.get(target.info.name)
            receives = target.info.kind in ("method", "property") and target.instance is None
            if state is not None and receives and isinstance(target.owner, type):
                for cls in _with_subclasses(target.owner):
                    self.observe_construction(cls, state)

    def observe_construction(self, cls: type, state: TargetState) -> None:
        """Record how instances of *cls* are built, while *state* (receiving them) records.

        A class whose ``__init__`` is not a Python function (object's, a C type's) is not
        observed: its instances' records start at their first traced call.
        """
        try:
            init = python_init(cls)
            if init is None or state.closed:
                return
            with self._constructors_lock:
                constructor = self._constructors.get(id(init))
                if constructor is None or constructor.function is not init:
                    constructor = self._constructors[id(init)] = Constructor(init)
                constructor.add(cls, state)
                if not constructor.watched and not constructor.unobservable:
                    self._watch_construction(constructor)
        except Exception as exc:  # the targets record as before, without `built`
            log.warning(
                "pytead: cannot observe how %s instances are built (%s)", cls.__qualname__,
                _reason(exc),
            )  # fmt: skip

    def _watch_construction(self, constructor: Constructor) -> None:
        if self.monitor is not None:
            watched = self.monitor.watch_init(constructor)
        else:
            watched = self.code.instrument_init(constructor)
        constructor.unobservable = not watched  # not tried again: it would fail the same way

    def became_child(self) -> None:
        """This process is a child of the traced process that started it (fork or spawn)."""
        self.parent_pid = os.getppid()

    def _parent_folds_journals(self) -> bool:
        """Whether a traced parent is still there to fold this process's journal.

        A parent that already ended (a daemon's first process, say) leaves the child to fold
        its own journal.
        """
        parent = self.parent_pid if self.parent_pid is not None else multiprocessing_parent()
        return parent is not None and os.getppid() == parent

    def observe(
        self, target: Target, *, limit: int | None = None, storage_dir: Path | None = None
    ) -> TargetState | None:
        """Record *target* through its own code, leaving the function in place.

        Returns ``None`` when it has no Python code to observe: the caller wraps it instead.
        """
        if self.monitor is None:
            return self.code.instrument(target, limit=limit, storage_dir=storage_dir)
        if not self.monitor.can_watch(target.function):
            return None
        return self.monitor.watch(target, limit=limit, storage_dir=storage_dir)

    def finish(self) -> list[CompactReport]:
        """Flush, compact and report; safe to call more than once."""
        with self._lock:
            if self._finished:
                return []
            self._finished = True
        try:
            return self._finish()
        except Exception as exc:  # never let pytead change how the program exits
            log.warning("pytead: could not finish recording (%s)", _reason(exc))
            return []

    def _finish(self) -> list[CompactReport]:
        self.recorder.flush()
        if self.monitor is not None:
            self.monitor.close()
        if self._parent_folds_journals():
            return []
        from pytead._compact import compact  # YAML is loaded only now, at the very end
        from pytead._journal import journal_dir

        reports = []
        for storage_dir in self.recorder.storage_dirs:
            try:
                reports.append(compact(storage_dir))
            except Exception as exc:  # a full disk, a read-only folder: nothing is lost
                log.warning(
                    "pytead: could not write fixtures in %s (%s); the calls are kept in %s",
                    storage_dir, _reason(exc), journal_dir(storage_dir),
                )  # fmt: skip
        if not self.config.quiet:
            for line in summary_lines(reports, self.recorder):
                log.info(line)
        return reports


def _with_subclasses(cls: type) -> list[type]:
    """*cls* and its subclasses defined so far (those defined later: at their first call)."""
    found = [cls]
    for klass in found:  # grows while it is walked: breadth first
        if len(found) > _MAX_SUBCLASSES:
            break
        subclasses: list[type] = type.__subclasses__(klass)
        found += [sub for sub in subclasses if sub not in found]
    return found


#: Subclasses of one traced class observed from the start, at most (the others lazily).
_MAX_SUBCLASSES = 100


def _reason(exc: Exception) -> str:
    """``No space left on device`` for an I/O error, the exception's type and text otherwise."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror if exc.filename is None else f"{exc.strerror}: {exc.filename}"
    return f"{type(exc).__name__}: {exc}"


def multiprocessing_parent() -> int | None:
    """The parent's pid, when multiprocessing started this process (a pool worker, a Process).

    Such a child imports the parent's script again, so ``@pytead.trace`` records there as well;
    its parent, which ran the same decorators, folds its journal and prints the summary.
    """
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is None:
        return None
    try:
        parent = multiprocessing.parent_process()
    except Exception:  # a multiprocessing replaced by something else: not ours to judge
        return None
    return None if parent is None else int(parent.pid)


def _monitoring_backend(recorder: Recorder) -> MonitoringBackend | None:
    # `wrappers` is the older name of the code backend, which wraps only what has no code.
    if os.environ.get("PYTEAD_BACKEND", "").lower() in ("code", "wrappers"):
        return None
    from pytead import _monitoring

    if not _monitoring.available():
        return None
    return _monitoring.MonitoringBackend(recorder)


def summary_lines(reports: list[CompactReport], recorder: Recorder) -> list[str]:
    """The one line (plus one per unreadable fixture) printed when capture ends."""
    lines = [f"pytead: error: {error.one_line()}" for report in reports for error in report.errors]
    lines += [f"pytead: warning: {w.one_line()}" for report in reports for w in report.warnings]
    targets = {t.target for report in reports for t in report.targets}
    added = sum(report.added for report in reports)
    where = ", ".join(_shown(d) for d in recorder.storage_dirs) or str(recorder.config.storage_dir)
    if not targets and not lines:
        if recorder.states:
            lines.append(
                f"pytead: no calls of the {len(recorder.states)} traced target(s) were made"
            )
        return lines
    total = sum(t.total for report in reports for t in report.targets)
    lines.append(
        f"pytead: recorded {added} new case(s) of {len(targets)} target(s) in {where} "
        f"({total} case(s) in those fixtures)"
    )
    return lines


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) + os.sep
    except ValueError:
        return str(path) + os.sep


_SESSION: Session | None = None
_SESSION_LOCK = threading.Lock()


def get_session(config: Config | None = None) -> Session:
    """The session of this process, created (and its exit handler registered) on first use."""
    global _SESSION
    with _SESSION_LOCK:
        if _SESSION is None:
            stderr_handler()
            _SESSION = Session(config or load_config())
            atexit.register(_SESSION.finish)
            os.register_at_fork(after_in_child=_forget_exit_in_child)
        return _SESSION


def _forget_exit_in_child() -> None:
    """A forked child keeps recording; only the parent prints the summary."""
    global _SESSION_LOCK
    _SESSION_LOCK = threading.Lock()
    if _SESSION is not None:
        _SESSION._lock = threading.Lock()
        _SESSION.became_child()
