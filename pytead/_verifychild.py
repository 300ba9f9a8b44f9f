"""The pytest plugin of ``gen-tests``' verification, loaded in the child process it starts.

The child is ``python -m pytest FILES -p pytead._verifychild --pytead-verify SETTINGS.json``,
run in the project's root, so the modules are collected as the user's own ``python -m pytest``
would collect them (their ini file, conftest files, plugins, ``addopts``). The plugin is named
with ``-p`` so that pytest imports it, and pytead with it, only once it has set up assertion
rewriting: a suite with ``filterwarnings = error`` would otherwise stop at pytest's warning that
pytead was imported too early.

The plugin reports each test's outcome as one JSON line appended to a file as soon as it is
known, so the parent can tell which tests ran even if this process has to be stopped. It can
also reverse the order of the tests, deselect tests already verified, and fail a test that runs
longer than the timeout.

Settings (JSON): ``report`` (the JSON-lines file to append to), ``reverse`` (bool),
``timeout`` (seconds per test), ``deselect`` (node ids of tests not to run).
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any, TextIO

import pytest


class VerifyPlugin:
    """Reports outcomes as JSON lines; orders, deselects and times tests as asked."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.report = Path(settings["report"])
        self.reverse = bool(settings.get("reverse", False))
        self.timeout = float(settings.get("timeout", 60))
        self.deselect = set(settings.get("deselect", []))
        self._failures: dict[str, str] = {}  # node id -> first failure line
        self._outcomes: dict[str, str] = {}
        self._expired: set[str] = set()  # node ids stopped by the time limit
        self._stream: TextIO | None = None

    def _write(self, **event: Any) -> None:
        # Line-buffered: each event reaches the file at once, for a parent that may stop us.
        if self._stream is None:
            self._stream = self.report.open("a", encoding="utf-8", buffering=1)
        self._stream.write(json.dumps(event) + "\n")

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self._write(event="start", rootdir=str(session.config.rootpath))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        dropped = [item for item in items if item.nodeid in self.deselect]
        if dropped:
            items[:] = [item for item in items if item.nodeid not in self.deselect]
            config.hook.pytest_deselected(items=dropped)
        if self.reverse:
            items.reverse()

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self._write(event="broken", nodeid=report.nodeid, message=_message(report))

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self._write(event="begin", nodeid=nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed and report.nodeid not in self._failures:
            self._failures[report.nodeid] = _message(report)
        if report.when == "call" or report.failed:
            self._outcomes.setdefault(report.nodeid, report.outcome)

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        failed = nodeid in self._failures
        outcome = "failed" if failed else self._outcomes.get(nodeid, "skipped")
        if nodeid in self._expired:
            outcome = "hung"
        self._write(event="end", nodeid=nodeid, outcome=outcome, message=self._failures.get(nodeid))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, object, object]:
        with _TimeLimit(self.timeout, lambda: self._expired.add(item.nodeid)):
            return (yield)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._write(event="done")
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def _message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The first line that says what went wrong."""
    crash: Any = getattr(report.longrepr, "reprcrash", None)
    message = str(getattr(crash, "message", "") or "").strip()
    if message:
        return message.splitlines()[0]
    text = str(report.longrepr)
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return errors[-1] if errors else (text.strip().splitlines() or [""])[-1]


class _TimeLimit:
    """Fail the running test after *seconds* (on the main thread of a Unix process)."""

    def __init__(self, seconds: float, on_expiry: Callable[[], None]) -> None:
        self.seconds = seconds
        self.on_expiry = on_expiry
        self.armed = (
            seconds > 0
            and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread()
        )

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *_exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def _expired(self, _signum: int, _frame: object) -> None:
        self.on_expiry()  # before the test's report is written
        pytest.fail(f"did not finish within {self.seconds:g} s", pytrace=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--pytead-verify SETTINGS``: the settings file ``gen-tests`` wrote for this run."""
    parser.addoption("--pytead-verify", metavar="SETTINGS", help="pytead's verification run")


def pytest_configure(config: pytest.Config) -> None:
    """Start reporting, if this is a verification run."""
    settings = config.getoption("pytead_verify", None)
    if settings:
        plugin = VerifyPlugin(json.loads(Path(settings).read_text(encoding="utf-8")))
        config.pluginmanager.register(plugin, "pytead-verify-report")
