"""``--parametrize`` tables keep what was recorded (a default the case relied on stays out of its
row), a family of one case stays a plain test, ``parametrize`` is also a setting, and a module's
header records its options so that ``gen-tests --check`` makes it again the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool

from pytead._cli import main
from pytead._config import load_config
from pytead._testgen import recorded_options

CALC = """
def scale(x, factor=2):
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * factor
"""

MAIN = """
import calc

calc.scale(3)
calc.scale(4)
calc.scale(3, factor=10)
calc.scale(5, 10)
try:
    calc.scale(-1)
except ValueError:
    pass
"""

MODULE = Path("tests/test_pytead_generated.py")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A function with a default argument, called with and without it."""
    for root in calc_project(tmp_path, monkeypatch, CALC):
        (root / "main.py").write_text(MAIN)
        assert run_pytead("run", "calc", "--", "main.py", cwd=root).returncode == 0
        yield root


def module_text(root: Path) -> str:
    return (root / MODULE).read_text(encoding="utf-8")


def pytest_status(root: Path) -> int:
    return run_tool("pytest", "-q", "-p", "no:cacheprovider", cwd=root).returncode


def test_cases_are_grouped_by_the_arguments_they_passed(project: Path) -> None:
    assert main(["gen-tests", "--parametrize"]) == 0
    text = module_text(project)
    assert "def test_scale(x, factor, expected):" in text
    assert 'pytest.param(3, 10, 30, id="3-10")' in text
    assert "def test_scale_default_factor(x, expected):" in text
    assert "assert scale(x) == expected" in text
    assert 'pytest.param(3, 6, id="3")' in text  # no default written into the row
    assert ", 2, " not in text


def test_a_changed_default_fails_the_tables_as_it_fails_the_plain_tests(project: Path) -> None:
    for style in ([], ["--parametrize"]):
        source = project / "calc.py"
        source.write_text(CALC)
        assert main(["gen-tests", *style]) == 0
        assert pytest_status(project) == 0
        source.write_text(CALC.replace("factor=2", "factor=3"))
        assert pytest_status(project) == 1, style


def test_a_family_of_one_case_is_a_plain_test(project: Path) -> None:
    assert main(["gen-tests", "--parametrize"]) == 0
    text = module_text(project)
    assert "def test_scale_minus_1_raises_value_error():" in text
    assert "test_scale_raises" not in text and "error, pattern" not in text


def test_the_header_records_the_options_and_check_uses_them(project: Path) -> None:
    assert main(["gen-tests", "--parametrize"]) == 0
    assert recorded_options(module_text(project)) == ("--parametrize",)
    assert "# Options: --parametrize\n" in module_text(project)
    assert main(["gen-tests", "--check"]) == 0  # made with --parametrize, checked the same way
    assert main(["gen-tests", "--check", "--no-parametrize"]) == 1  # an explicit option wins
    assert main(["gen-tests"]) == 0
    assert recorded_options(module_text(project)) == ()
    assert "# Options" not in module_text(project)
    assert main(["gen-tests", "--check"]) == 0
    assert main(["gen-tests", "--check", "--parametrize"]) == 1


def test_parametrize_is_a_setting(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n[tool.pytead]\nparametrize = true\n")
    assert main(["gen-tests"]) == 0
    assert "def test_scale(x, factor, expected):" in module_text(project)
    monkeypatch.setenv("PYTEAD_PARAMETRIZE", "0")  # the environment wins over pyproject
    assert main(["gen-tests"]) == 0
    assert "@pytest.mark.parametrize" not in module_text(project)
    assert main(["gen-tests", "--parametrize"]) == 0  # and the command line over both
    assert "@pytest.mark.parametrize" in module_text(project)


def test_check_reads_each_modules_header_not_the_settings(project: Path) -> None:
    assert main(["gen-tests"]) == 0
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n[tool.pytead]\nparametrize = true\n")
    assert main(["gen-tests", "--check"]) == 0
    assert main(["gen-tests"]) == 0  # writing follows the settings
    assert recorded_options(module_text(project)) == ("--parametrize",)


def test_the_setting_is_read_in_layers(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytead]\nparametrize = true\n")
    assert load_config(cwd=tmp_path, environ={}).parametrize is True
    assert load_config(cwd=tmp_path, environ={"PYTEAD_PARAMETRIZE": "no"}).parametrize is False
    chosen = load_config(cwd=tmp_path, environ={}, overrides={"parametrize": False})
    assert chosen.parametrize is False and chosen.source["parametrize"] == "command line"


def test_a_header_is_read_for_known_options_only() -> None:
    head = "# Generated by pytead 0.1.0 from the fixtures below.\n#   call_logs/a.yaml\n"
    assert recorded_options(head + "# Options: --parametrize --rm-rf\nimport pytest\n") == (
        "--parametrize",
    )
    assert recorded_options(head + "import pytest\n# Options: --parametrize\n") == ()
    assert recorded_options("import pytest\n") is None
    assert recorded_options(None) is None
