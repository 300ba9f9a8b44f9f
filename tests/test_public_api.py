"""The one public door: `pytead` exports exactly its documented names, lazily."""

from __future__ import annotations

import subprocess
import sys

import pytead


def test_exported_names_are_sorted_and_all_resolve() -> None:
    assert pytead.__all__ == sorted(pytead.__all__)
    for name in pytead.__all__:
        assert getattr(pytead, name) is not None
    assert pytead.trace2test is pytead.trace
    assert issubclass(pytead.TargetError, pytead.PyteadError)


def test_importing_pytead_stays_light() -> None:
    heavy = ("yaml", "griffe", "syrupy", "_pytest")
    code = f"import sys, pytead; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_python_dash_m_pytead_is_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytead", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == f"pytead {pytead.__version__}"
