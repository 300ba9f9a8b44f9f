"""`pytead demo` and every `examples/*/run_flow.py` run end to end, and their tests pass."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_pytead, run_python, run_tool

from pytead._docstrings import MARKER

EXAMPLES = Path(__file__).parent.parent / "examples"


def run_flow(name: str, tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run an example's flow in a copy of it, as a user would."""
    folder = tmp_path / name
    shutil.copytree(EXAMPLES / name, folder, ignore=shutil.ignore_patterns("__pycache__"))
    done = run_python(
        "run_flow.py", cwd=folder, timeout=600, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1"
    )
    return folder, done


def test_every_example_has_a_readme_a_flow_and_its_own_project_file() -> None:
    names = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    assert names == ["invoicing", "quickstart", "textkit"]
    for name in names:
        for required in ("README.md", "run_flow.py", "pyproject.toml"):
            assert (EXAMPLES / name / required).is_file(), f"{name}/{required}"


def test_quickstart_flow(tmp_path: Path) -> None:
    folder, done = run_flow("quickstart", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
    assert "shares: !tuple [1, 2]" in done.stdout
    assert done.stdout.count(">>>") == 0 and (folder / "calc.py").read_text().count(MARKER) == 3
    assert (
        "## `split_bill(total: float, people: list[str]) -> dict[str, float]`"
        in (folder / "docs/api/calc.md").read_text()
    )


def test_invoicing_flow_tests_methods_dataclasses_dates_money_and_replays_a_change(
    tmp_path: Path,
) -> None:
    folder, done = run_flow("invoicing", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "16 passed" in done.stdout
    generated = (folder / "tests/test_pytead_generated.py").read_text()
    assert (
        "InvoiceError" in generated and "date(2026, 10, 1)" in generated and "Decimal(" in generated
    )
    assert "invoicing.Line.amount: 3 case(s), 3 changed" in done.stdout
    assert "-returned: !decimal 1140.00\n    +returned: !decimal 1140.0" in done.stdout


def test_textkit_flow_records_its_test_suite_and_builds_api_pages_with_examples(
    tmp_path: Path,
) -> None:
    folder, done = run_flow("textkit", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "recorded 8 new case(s) of 5 target(s)" in done.stderr
    assert "('the', 2)" in done.stdout
    html = (folder / "site/api/index.html").read_text()
    assert html.count("recorded by pytead") == 5
    assert "hello-world" in html and "creme_brulee" in html


def test_demo_runs_the_whole_flow_with_a_tour(tmp_path: Path) -> None:
    done = run_pytead("demo", "warehouse", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for step in ("[1/5] record", "[3/5] generate", "[4/5] run", "[5/5] write verified examples"):
        assert step in done.stdout
    assert "Done. What pytead wrote in warehouse/:" in done.stdout
    demo = tmp_path / "warehouse"
    assert (demo / "call_logs/inventory/order_total.yaml").is_file()
    tests = (demo / "tests/test_pytead_generated.py").read_text()
    assert 'restock_plan({"PN-0007": 28, "PD-0012": 5, "GL-0001": 0}, 10) == {' in tests
    assert not (demo / "tests/__snapshots__").exists()  # small results are asserted inline
    assert MARKER in (demo / "enriched/inventory.py").read_text()
    assert MARKER not in (demo / "inventory.py").read_text()  # the app itself is left as it was
    assert (demo / "docs/inventory.md").is_file() and (demo / "llms.txt").is_file()
    again = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=demo)
    assert again.returncode == 0 and "12 passed" in again.stdout
    assert run_pytead("demo", "warehouse", cwd=tmp_path).returncode == 0  # an earlier demo: redone


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    done = run_pytead("demo", "mine", cwd=tmp_path)
    assert done.returncode == 2
    assert "not empty and was not made by `pytead demo`" in done.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("name", ["quickstart", "invoicing", "textkit"])
def test_examples_are_lint_clean(name: str) -> None:
    done = run_tool("ruff", "check", str(EXAMPLES / name), cwd=EXAMPLES)
    assert done.returncode == 0, done.stdout
