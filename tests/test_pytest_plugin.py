"""The pytest plugin: `--pytead-trace TARGET` records while the suite runs; inert otherwise."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import run_python

from pytead._store import load_fixture

TEST_SHOP = "from shop import add\n\n\ndef test_add():\n    assert add(20, 22) == 42\n"


def pytest_in(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_python("-m", "pytest", "-p", "no:cacheprovider", *args, cwd=project)


def test_trace_option_records_calls_made_by_the_tests(sample_project: Path) -> None:
    (sample_project / "test_shop.py").write_text(TEST_SHOP)
    done = pytest_in(
        sample_project, "--pytead-trace", "shop.add", "--pytead-limit", "3", "test_shop.py"
    )
    assert done.returncode == 0, done.stdout
    assert "pytead: recording shop.add" in done.stdout
    (case,) = load_fixture(sample_project / "call_logs/shop/add.yaml").cases
    assert case.args == {"a": 20, "b": 22}


def test_without_the_option_the_plugin_does_nothing(sample_project: Path) -> None:
    (sample_project / "test_shop.py").write_text(TEST_SHOP)
    done = pytest_in(sample_project, "test_shop.py")
    assert done.returncode == 0 and "pytead: recording" not in done.stdout
    assert not (sample_project / "call_logs").exists()


def test_an_unknown_target_is_a_usage_error(sample_project: Path) -> None:
    (sample_project / "test_shop.py").write_text(TEST_SHOP)
    done = pytest_in(sample_project, "--pytead-trace", "shop.ad", "test_shop.py")
    assert done.returncode == 4  # pytest's usage error
    assert "pytead: shop.ad: 'ad' not found; did you mean shop.add?" in done.stderr
