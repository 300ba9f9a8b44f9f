"""The griffe extension warns when it is configured but has no example to add, so that
``mkdocs build --strict`` fails rather than publishing API pages silently left without them."""

from __future__ import annotations

import logging
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import griffe
import pytest
from conftest import run_pytead, run_tool

from pytead.griffe_extension import PyteadExamples

TINY = '''"""A tiny package whose calls are recorded."""


def double(n: int) -> int:
    """Double *n*."""
    return 2 * n
'''

MKDOCS = """
site_name: Tiny
theme:
  name: material
plugins:
  - mkdocstrings:
      handlers:
        python:
          paths: [.]
          options:
            extensions:
              - pytead.griffe_extension:
                  storage_dir: {store}
"""


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with package ``tiny`` and the fixture of one recorded call of tiny.double."""
    project = tmp_path_factory.mktemp("recorded")
    (project / "tiny").mkdir()
    (project / "tiny" / "__init__.py").write_text(TINY)
    (project / "main.py").write_text("import tiny\n\nprint(tiny.double(21))\n")
    done = run_pytead("run", "tiny.double", "--", "main.py", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "call_logs" / "tiny" / "double.yaml").is_file()
    return project


@pytest.fixture
def project(recorded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the recorded project, to build a site in."""
    copy = tmp_path / "project"
    shutil.copytree(recorded, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "docs").mkdir()
    (copy / "docs" / "index.md").write_text("# Tiny\n\n::: tiny\n")
    return copy


def build_strictly(project: Path, store: str) -> tuple[int, str]:
    """Build *project*'s site with ``mkdocs build --strict``: its exit code and its log."""
    (project / "mkdocs.yml").write_text(textwrap.dedent(MKDOCS.format(store=store)))
    done = run_tool("mkdocs", "build", "--strict", cwd=project, NO_MKDOCS_2_WARNING="1")
    return done.returncode, done.stderr + done.stdout


def test_a_strict_build_with_the_fixtures_passes_and_shows_the_call(project: Path) -> None:
    code, output = build_strictly(project, "call_logs")
    assert code == 0, output
    html = (project / "site" / "index.html").read_text()
    assert "recorded by pytead" in html
    assert "no examples" not in output


def test_a_strict_build_fails_when_the_store_does_not_exist(project: Path) -> None:
    code, output = build_strictly(project, "docs/call_logs")
    assert code != 0, output
    warning = next(line for line in output.splitlines() if "no examples in the docs" in line)
    assert "WARNING" in warning
    assert "docs/call_logs does not exist" in warning
    assert "storage_dir" in warning  # says how to fix it


def load_with_extension(
    project: Path, store: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Load package ``tiny`` with the extension reading *store*; the warnings it logged."""
    monkeypatch.chdir(project)
    extension = PyteadExamples(storage_dir=str(store))
    with caplog.at_level(logging.WARNING):
        griffe.load("tiny", search_paths=[project], extensions=griffe.load_extensions(extension))
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def clean_path() -> Iterator[None]:
    """Leave ``sys.path`` as it was and forget the test packages (the extension imports them)."""
    import sys

    path = list(sys.path)
    yield
    sys.path[:] = path
    for name in ("tiny", "vendored"):
        sys.modules.pop(name, None)


@pytest.mark.usefixtures("clean_path")
def test_an_empty_store_is_one_warning(
    project: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "empty").mkdir()
    warnings = load_with_extension(project, Path("empty"), caplog, monkeypatch)
    assert len(warnings) == 1, warnings
    assert "empty holds no *.yaml fixture" in warnings[0]
    assert "pytead run -s empty" in warnings[0]


@pytest.mark.usefixtures("clean_path")
def test_a_store_with_no_fixture_for_the_package_names_what_it_holds(
    project: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = project / "elsewhere" / "other"
    other.mkdir(parents=True)
    fixture = (project / "call_logs" / "tiny" / "double.yaml").read_text()
    (other / "double.yaml").write_text(fixture.replace("tiny", "other"))
    warnings = load_with_extension(project, Path("elsewhere"), caplog, monkeypatch)
    assert len(warnings) == 1, warnings
    assert "no examples for package tiny" in warnings[0]
    assert "the fixtures there are for other.double" in warnings[0]


@pytest.mark.usefixtures("clean_path")
def test_fixtures_of_objects_the_package_no_longer_has_are_no_fixtures_for_it(
    project: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "tiny" / "__init__.py").write_text(TINY.replace("double", "twice"))
    warnings = load_with_extension(project, Path("call_logs"), caplog, monkeypatch)
    assert len(warnings) == 1, warnings
    assert "no examples for package tiny" in warnings[0]
    assert "the fixtures there are for tiny.double" in warnings[0]


@pytest.mark.usefixtures("clean_path")
def test_the_package_with_its_fixture_logs_nothing_and_gets_its_example(
    project: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    extension = PyteadExamples(storage_dir="call_logs")
    with caplog.at_level(logging.WARNING):
        tiny = griffe.load(
            "tiny", search_paths=[project], extensions=griffe.load_extensions(extension)
        )
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    docstring = tiny["double"].docstring
    assert docstring is not None
    assert ">>> double(21)" in docstring.value


@pytest.mark.usefixtures("clean_path")
def test_a_package_outside_the_project_is_not_expected_to_have_fixtures(
    project: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A package griffe loads from elsewhere (to follow a re-export, say) is not the project's.
    outside = tmp_path / "installed"
    (outside / "vendored").mkdir(parents=True)
    (outside / "vendored" / "__init__.py").write_text('"""Not the project\'s."""\n')
    monkeypatch.chdir(project)
    extension = PyteadExamples(storage_dir="call_logs")
    with caplog.at_level(logging.WARNING):
        griffe.load(
            "vendored", search_paths=[outside], extensions=griffe.load_extensions(extension)
        )
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
