"""pytest plugin: record real calls of chosen targets while the test suite runs.

``pytest --pytead-trace pkg.mod.func --pytead-trace pkg.mod.Class`` records like
``pytead run pkg.mod.func pkg.mod.Class -- -m pytest``, from inside pytest: handy when pytest is
started by another tool (an IDE, tox, pytest-xdist workers). The plugin does nothing unless
``--pytead-trace`` is given. Under pytest-xdist each worker writes its own journal; the journals
are folded into the fixtures as each worker finishes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``--pytead-*`` options."""
    group = parser.getgroup("pytead", "record real calls into pytead fixtures")
    group.addoption(
        "--pytead-trace",
        action="append",
        default=[],
        metavar="TARGET",
        help="record calls of TARGET (pkg.mod.func, pkg.mod.Class, pkg.mod, globs); repeatable",
    )
    group.addoption(
        "--pytead-limit", type=int, default=None, metavar="N", help="distinct cases per target"
    )
    group.addoption(
        "--pytead-storage-dir", type=Path, default=None, metavar="DIR", help="where fixtures go"
    )
    group.addoption(
        "--pytead-stats",
        action="store_true",
        default=None,
        help="also keep per case how often it was seen and how long it took",
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Start recording once conftest files set ``sys.path`` up, before tests are collected."""
    config = session.config
    targets: list[str] = config.getoption("pytead_trace")
    if not targets:
        return
    from pytead._config import load_config
    from pytead._errors import PyteadError
    from pytead._session import get_session
    from pytead._targets import resolve_targets

    overrides: dict[str, Any] = {
        "limit": config.getoption("pytead_limit"),
        "storage_dir": config.getoption("pytead_storage_dir"),
        "stats": config.getoption("pytead_stats"),
        "quiet": True,
    }
    try:
        settings = load_config(cwd=Path(config.rootpath), overrides=overrides)
        capture = get_session(settings)
        capture.install(resolve_targets(targets))
    except PyteadError as exc:
        raise pytest.UsageError(f"pytead: {exc.one_line()}") from None
    config.stash[_SESSION] = capture


def pytest_unconfigure(config: pytest.Config) -> None:
    """Fold this process's calls into the fixtures when pytest is done."""
    capture = config.stash.get(_SESSION, None)
    if capture is not None:
        capture.finish()


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which targets are being recorded."""
    targets: list[str] = config.getoption("pytead_trace")
    return f"pytead: recording {', '.join(targets)}" if targets else None


_SESSION: pytest.StashKey[Any] = pytest.StashKey()
