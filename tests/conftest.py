"""Shared helpers: a copy of the sample app per test, and pytead driven as a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
SAMPLE_APP = TESTS / "sample_app"

#: Backends to exercise: sys.monitoring exists from 3.12 on; instrumented code everywhere.
BACKENDS = ["monitoring", "code"] if sys.version_info >= (3, 12) else ["code"]


def pytead_env(backend: str = "auto", **extra: str) -> dict[str, str]:
    """A clean environment for a pytead subprocess."""
    # Nor the variables of this pytest session (an xdist worker's), which a child pytest
    # would take for its own.
    skipped = ("PYTEAD_", "PYTHONPATH", "PYTEST_XDIST_", "PYTEST_CURRENT_TEST")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    if backend != "auto":
        env["PYTEAD_BACKEND"] = backend
    env.update(extra)
    return env


def run(
    command: list[str],
    *,
    cwd: Path,
    backend: str = "auto",
    stdin: str | None = None,
    timeout: float = 300,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run *command* in *cwd* with a clean environment, capturing everything."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=pytead_env(backend, **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_pytead(*args: str, cwd: Path, **options: Any) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pytead ARGS`` in *cwd*."""
    return run([sys.executable, "-m", "pytead", *args], cwd=cwd, **options)


def run_python(*args: str, cwd: Path, **options: Any) -> subprocess.CompletedProcess[str]:
    """Run plain ``python ARGS``, to compare pytead's runs with."""
    return run([sys.executable, *args], cwd=cwd, **options)


def run_tool(name: str, *args: str, cwd: Path, **options: Any) -> subprocess.CompletedProcess[str]:
    """A console script of this environment (``pytest``, ``ruff``, ``mkdocs``), as users run it."""
    return run([str(Path(sys.executable).parent / name), *args], cwd=cwd, **options)


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A fresh copy of the sample shop app (shop.py + main.py)."""
    project = tmp_path / "project"
    shutil.copytree(SAMPLE_APP, project, ignore=shutil.ignore_patterns("__pycache__"))
    return project


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each capture backend available on this Python."""
    return str(request.param)


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run the test inside *tmp_path*, with it importable."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path


def calc_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> Iterator[Path]:
    """A one-module project (``calc.py``: *source*) run in-process.

    What its commands import is forgotten afterwards, so each test imports its own ``calc``.
    """
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "calc"\n')
    (root / "calc.py").write_text(source)
    monkeypatch.chdir(root)
    monkeypatch.syspath_prepend(str(root))
    before = set(sys.modules)
    yield root
    for name in set(sys.modules) - before:
        del sys.modules[name]


def recorded_calc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, main: str
) -> Iterator[Path]:
    """`calc_project`, with the calls of ``main.py`` (*main*) to the ``calc`` module recorded."""
    for root in calc_project(tmp_path, monkeypatch, source):
        (root / "main.py").write_text(main)
        assert run_pytead("run", "calc", "--", "main.py", cwd=root).returncode == 0
        yield root


def recorded_textkit(tmp_path: Path) -> Path:
    """A copy of ``examples/textkit`` in *tmp_path*, its calls recorded from its own tests."""
    project = tmp_path / "textkit"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "textkit", project)
    recorded = run_pytead(
        "run", "textkit", "--", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_textkit.py", cwd=project,
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    return project


def passes_then_catches(project: Path, change: tuple[str, str], module: str = "calc.py") -> None:
    """The project's generated tests pass, then fail once *module* has *change* (old text,
    new text) made: they check what the code does."""
    pytest_run = ("pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert run_tool(*pytest_run, cwd=project).returncode == 0
    source = project / module
    changed = source.read_text().replace(*change)
    assert changed != source.read_text(), f"{change[0]!r} is not in {module}"
    source.write_text(changed)
    assert run_tool(*pytest_run, cwd=project).returncode != 0
