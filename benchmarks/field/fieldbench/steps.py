"""Running one bounded step of the field benchmark, and reading what pytest reported.

Every command runs in its own process group with a timeout: on time-out the whole group is
killed (a test suite's children included) and the step fails with that reason, so one stuck
package never stops the others.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class StepFailed(Exception):
    """A step of a package's run failed; the package's row says which and why."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


@dataclass(frozen=True)
class Done:
    """What a finished command left: its exit code, output and wall time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_command(
    command: Sequence[str | Path],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    step: str,
) -> Done:
    """Run *command*; raise `StepFailed` when it cannot start or runs past *timeout*."""
    start = time.perf_counter()
    try:
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as error:
        raise StepFailed(step, f"cannot start {command[0]}: {error}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise StepFailed(step, f"timed out after {timeout:.0f} s") from None
    return Done(process.returncode, stdout, stderr, time.perf_counter() - start)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def error_line(done: Done) -> str:
    """The line that says what went wrong: a traceback's last line, else the first line."""
    text = done.stderr.strip() or done.stdout.strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return f"exit code {done.returncode}, no output"
    if any(line.startswith("Traceback") for line in lines):
        # The exception, not pytead's summary line printed after it.
        explained = [line for line in lines if not line.startswith("pytead: ")]
        return (explained or lines)[-1][:300]
    return lines[0][:300]


# -- pytest's junit XML ------------------------------------------------------------------------


@dataclass
class Outcomes:
    """What one pytest run reported, test by test.

    Attributes:
        tests: Each test's id (``classname::name``) and outcome: passed, failed, error, skipped.
        messages: The first line of each failure or error message, by test id.
    """

    tests: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        """How many tests ended with *outcome*."""
        return sum(1 for value in self.tests.values() if value == outcome)

    def passed(self) -> set[str]:
        """The ids of the tests that passed."""
        return {test for test, outcome in self.tests.items() if outcome == "passed"}


def read_junit(path: Path) -> Outcomes:
    """The outcomes in a junit XML file written by ``pytest --junitxml`` (empty if absent)."""
    outcomes = Outcomes()
    if not path.exists():
        return outcomes
    for case in ElementTree.parse(path).iter("testcase"):
        test = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcome, message = _case_outcome(case)
        if test in outcomes.tests and outcome == "passed":
            continue  # a teardown error reported after the pass wins
        outcomes.tests[test] = outcome
        if message:
            outcomes.messages[test] = message
    return outcomes


def _case_outcome(case: ElementTree.Element) -> tuple[str, str]:
    for tag, outcome in (("error", "error"), ("failure", "failed"), ("skipped", "skipped")):
        child = case.find(tag)
        if child is not None:
            return outcome, _message(child.get("message") or "", child.text or "")
    return "passed", ""


def _message(message: str, text: str) -> str:
    """The line that says why: pytest's message, or for a generic one (``collection failure``,
    ``failed on setup ...``) the last ``E`` line of the report."""
    if message and not message.startswith(("collection failure", "failed on setup")):
        return _first_line(message)
    explained = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return explained[-1][:300] if explained else _first_line(message or text)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else ""
