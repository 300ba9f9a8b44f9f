"""`pytead run -- -m pytest` is invisible to the suite it traces: no warning, same outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._store import load_fixture

SUITE = {
    "pytest.ini": "[pytest]\nfilterwarnings =\n    error\n",
    "calc.py": "def double(x):\n    return 2 * x\n",
    "test_calc.py": (
        "from calc import double\n\n\n"
        "def test_double():\n    assert double(2) == 4\n\n\n"
        "def test_double_text():\n    assert double('ab') == 'abab'\n"
    ),
}


@pytest.mark.parametrize("options", [[], ["-W", "error"]], ids=["ini", "ini-and-W-error"])
def test_a_suite_with_warnings_as_errors_runs_traced_as_untraced(
    tmp_path: Path, backend: str, options: list[str]
) -> None:
    for name, text in SUITE.items():
        (tmp_path / name).write_text(text)
    pytest_args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", *options]
    plain = run_python(*pytest_args, cwd=tmp_path)
    traced = run_pytead("run", "calc.double", "--", *pytest_args, cwd=tmp_path, backend=backend)
    assert plain.returncode == traced.returncode == 0, traced.stdout + traced.stderr
    assert "PytestAssertRewriteWarning" not in traced.stdout + traced.stderr
    assert "2 passed" in traced.stdout
    assert len(load_fixture(tmp_path / "call_logs/calc/double.yaml").cases) == 2
