"""Verification: run the planned test modules as the user would, and say which tests fail.

``gen-tests`` writes only tests that pass on unchanged code. A recorded call can depend on what
its arguments do not show (the clock, a random draw, a locale or a registry the program set up
before the call), and such a case makes a test that fails on its next run. So before anything is
written, the planned modules are copied beside their final place (same folder, so the same
conftest files, ini file and import path apply; a name of their own, so nothing the user has is
touched) and run by pytest in a child process started in the project's root, twice, the second
time in reverse order, so a test that depends on order or chance shows.

The run is bounded: a test that runs longer than the timeout is failed by the child itself, and a
child that stops reporting altogether is killed and started again without the tests already
verified and the one that hung. Nothing is left out silently: each test that did not pass says
why, and a run that could not be made at all says so.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytead._leftout import one_line
from pytead._snapshots import snapshot_path

#: How many times a run that hung is started again without the test that hung.
MAX_RESTARTS = 3
#: Seconds of silence, beyond the per-test timeout, after which the child is stopped.
GRACE = 30.0
STAGED_MARK = "_pytead_verify_"


@dataclass(frozen=True)
class Candidate:
    """A planned test module: where it goes, its text and its snapshot file's text."""

    path: Path
    text: str
    amber: str | None


@dataclass
class Verdicts:
    """What the runs found, by planned module path and test id (``test_f[row]``).

    Attributes:
        failed: Test -> the first line of its failure (in either run).
        hung: Tests stopped because they ran longer than the timeout.
        passed: Tests that passed in every run that reached them.
        ran: Tests that reached an outcome (passed, failed or skipped) in some run.
        broken: Module -> the first line of the error that stopped it from being imported.
        problem: Why verification could not run at all (empty when it ran).
        runs: How many pytest processes ran.
    """

    failed: dict[tuple[Path, str], str] = field(default_factory=dict)
    hung: set[tuple[Path, str]] = field(default_factory=set)
    passed: set[tuple[Path, str]] = field(default_factory=set)
    ran: set[tuple[Path, str]] = field(default_factory=set)
    broken: dict[Path, str] = field(default_factory=dict)
    problem: str = ""
    runs: int = 0


def run_planned(
    candidates: list[Candidate],
    *,
    root: Path,
    support: list[tuple[Path, str | None]],
    timeout: float,
    orders: tuple[bool, ...] = (False, True),
) -> Verdicts:
    """Run *candidates* once per order (``True``: reversed) and gather what failed.

    *support* are other planned files the tests need in place (the root ``conftest.py``); they
    are put there for the run and the disk is restored afterwards.
    """
    verdicts = Verdicts()
    with _staged(candidates, support) as staged, tempfile.TemporaryDirectory() as work:
        for reverse in orders:
            run = _OrderRun(staged, Path(work), root, timeout, reverse)
            run.complete(verdicts)
            if verdicts.problem:
                break
    verdicts.passed -= set(verdicts.failed) | verdicts.hung
    return verdicts


# -- the copies the child runs ----------------------------------------------------------------


def _staged_path(path: Path, token: str) -> Path:
    return path.with_name(f"{path.stem}{STAGED_MARK}{token}.py")


@contextlib.contextmanager
def _staged(
    candidates: list[Candidate], support: list[tuple[Path, str | None]]
) -> Iterator[dict[Path, Path]]:
    """Copies of *candidates* beside their final place (copy -> planned path), removed after."""
    _sweep({candidate.path.absolute().parent for candidate in candidates})
    token = secrets.token_hex(4)
    created: list[Path] = []
    restore: list[tuple[Path, str | None]] = []
    staged: dict[Path, Path] = {}
    try:
        for candidate in candidates:
            copy = _staged_path(candidate.path.absolute(), token)
            _write(copy, candidate.text, created)
            staged[copy] = candidate.path
            if candidate.amber is not None:
                _write(snapshot_path(copy), candidate.amber, created)
        for path, text in support:
            restore.append((path, path.read_text(encoding="utf-8") if path.is_file() else None))
            _put(path, text, created)
        yield staged
    finally:
        for path, text in reversed(restore):
            _put(path, text, created)
        for copy in staged:
            copy.unlink(missing_ok=True)
            snapshot_path(copy).unlink(missing_ok=True)
        for folder in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only the folders made for the run, once empty


def _sweep(folders: set[Path]) -> None:
    """Remove copies an interrupted run left behind (pytest would collect them)."""
    for folder in folders:
        for stale in folder.glob(f"*{STAGED_MARK}*.py"):
            stale.unlink(missing_ok=True)
            snapshot_path(stale).unlink(missing_ok=True)


def _write(path: Path, text: str, created: list[Path]) -> None:
    missing = [parent for parent in (path.parent, *path.parent.parents) if not parent.exists()]
    created.extend(missing)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _put(path: Path, text: str | None, created: list[Path]) -> None:
    if text is None:
        path.unlink(missing_ok=True)
    else:
        _write(path, text, created)


# -- one order: a child process, started again if it hangs ------------------------------------


class _OrderRun:
    """Every planned test, run in one order, in as few processes as hangs allow."""

    def __init__(
        self, staged: dict[Path, Path], work: Path, root: Path, timeout: float, reverse: bool
    ) -> None:
        self.staged = staged
        self.work = work
        self.root = root
        self.timeout = timeout
        self.reverse = reverse
        self.finished: set[str] = set()  # node ids with an outcome
        self.rootdir = root

    def complete(self, verdicts: Verdicts) -> None:
        """Run until every test has an outcome or the restarts are used up."""
        for _attempt in range(MAX_RESTARTS + 1):
            events, stopped, errors = self._child()
            verdicts.runs += 1
            if not any(event.get("event") == "start" for event in events):
                verdicts.problem = f"pytest did not start ({errors or 'no output'})"
                return
            hung = self._read(events, verdicts)
            if not stopped:
                return
            if hung is not None:
                self.finished.add(hung)

    def _read(self, events: list[dict[str, Any]], verdicts: Verdicts) -> str | None:
        """Record the outcomes in *events*; return the test still running at the end, if any."""
        running: str | None = None
        for event in events:
            kind, nodeid = event.get("event"), str(event.get("nodeid", ""))
            if kind == "start":
                self.rootdir = Path(str(event.get("rootdir", self.root)))
            elif kind == "begin":
                running = nodeid
            elif kind == "end":
                running = None
                self.finished.add(nodeid)
                self._outcome(verdicts, nodeid, str(event.get("outcome")), event.get("message"))
            elif kind == "broken":
                module = self._module(nodeid)
                if module is not None:
                    verdicts.broken.setdefault(module, one_line(str(event.get("message", ""))))
        if running is not None:
            test = self._test(running)
            if test is not None:
                verdicts.hung.add(test)
        return running

    def _outcome(self, verdicts: Verdicts, nodeid: str, outcome: str, message: Any) -> None:
        test = self._test(nodeid)
        if test is None:
            return
        verdicts.ran.add(test)
        if outcome == "hung":
            verdicts.hung.add(test)
        elif outcome == "failed":
            verdicts.failed.setdefault(test, one_line(str(message or "failed")))
        elif outcome == "passed":
            verdicts.passed.add(test)

    def _module(self, nodeid: str) -> Path | None:
        copy = (self.rootdir / nodeid.split("::")[0]).resolve()
        for staged, planned in self.staged.items():
            if staged.resolve() == copy:
                return planned
        return None

    def _test(self, nodeid: str) -> tuple[Path, str] | None:
        module = self._module(nodeid)
        if module is None or "::" not in nodeid:
            return None
        return module, nodeid.split("::")[-1]

    def _child(self) -> tuple[list[dict[str, Any]], bool, str]:
        """One pytest process: its events, whether it had to be stopped, its last error line."""
        report = self.work / f"events-{secrets.token_hex(4)}.jsonl"
        settings = self.work / f"settings-{secrets.token_hex(4)}.json"
        settings.write_text(json.dumps(self._settings(report)), encoding="utf-8")
        output = self.work / "output.txt"
        command = [sys.executable, "-m", "pytest", *self._arguments(), str(settings)]
        env = _child_environment()
        with output.open("wb") as sink:
            process = subprocess.Popen(
                command, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            stopped = _watch(process, report, self.timeout + GRACE)
        return _events(report), stopped, _last_error(output)

    def _arguments(self) -> list[str]:
        """pytest's arguments: the copies, and what makes every test run and report."""
        arguments = [str(copy) for copy in self.staged]
        arguments += ["-q", "--maxfail=0", "--continue-on-collection-errors", "--color=no"]
        # One line per failure is all the report needs; a long traceback of a test function
        # under a parametrize table of thousands of rows takes pytest seconds to write.
        arguments += ["--tb=line"]
        arguments += ["-o", f"cache_dir={self.work / 'cache'}", "-p", "pytead._verifychild"]
        return [*arguments, "--pytead-verify"]

    def _settings(self, report: Path) -> dict[str, Any]:
        return {
            "report": str(report),
            "reverse": self.reverse,
            "timeout": self.timeout,
            "deselect": sorted(self.finished),
        }


def _watch(process: subprocess.Popen[bytes], report: Path, silence: float) -> bool:
    """Wait for *process*; stop it if *report* stops growing for *silence* seconds."""
    size, changed = -1, time.monotonic()
    while True:
        try:
            process.wait(timeout=0.1)
            return False
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        current = report.stat().st_size if report.exists() else 0
        if current != size:
            size, changed = current, now
        elif now - changed > silence:
            _stop(process)
            return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the child and whatever it started (its own process group)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    except ProcessLookupError:
        pass
    process.wait()


def _events(report: Path) -> list[dict[str, Any]]:
    if not report.is_file():
        return []
    events = []
    for line in report.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            events.append(json.loads(line))
    return events


def _last_error(output: Path) -> str:
    lines = [line.strip() for line in output.read_text(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    return one_line(lines[-1]) if lines else ""


def _child_environment() -> dict[str, str]:
    """The environment of a verification run: a pytest session of its own.

    gen-tests may itself run inside a pytest-xdist worker; its variables would make the child's
    plugins (syrupy's report among them) act as a worker of a session that is not theirs.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SESSION_VARIABLES)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


#: Variables pytest and pytest-xdist set for the session they run.
_SESSION_VARIABLES = ("PYTEST_XDIST_", "PYTEST_CURRENT_TEST")
