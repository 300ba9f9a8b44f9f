"""A method's example builds an instance that compares by value the way gen-tests does."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python
from test_equality_roads import CALC as SETTINGS  # a dict subclass with a read cache

MAIN = """\
from settings import Settings
settings = Settings({"Mode": "fast"})
settings.lookup("MODE")
settings.lookup("mode")
"""


def test_an_instance_with_a_read_cache_is_built_for_its_example(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(SETTINGS)
    (tmp_path / "main.py").write_text(MAIN)
    ran = run_pytead("run", "settings.Settings.lookup", "--", "main.py", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Settings.lookup: receiver cannot be built" not in result.stderr, result.stderr
    source = (tmp_path / "settings.py").read_text()
    assert """>>> settings = Settings({"Mode": "fast"})""" in source, source
    assert ">>> settings.lookup(" in source and "rebuild" not in source
    count = "import doctest, settings; print(doctest.testmod(settings))"
    done = run_python("-c", count, cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout
