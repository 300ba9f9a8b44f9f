"""The commands behind the CLI, as plain functions that do the work and return a report.

Only `pytead._cli` prints; these functions can be called from Python too.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pytead._codec import NotRenderable, render_source
from pytead._config import Config
from pytead._journal import WORK_DIR
from pytead._model import Case, Fixture, Raised, Returned
from pytead._replay import TargetReplay, replay_fixture
from pytead._run import pick_up_leftovers
from pytead._snapshots import render_amber, snapshot_path
from pytead._store import StoredFixture, iter_fixture_paths, load_store
from pytead._testgen import ModuleWriter
from pytead._writer import Plan


@dataclass(frozen=True)
class FixtureSummary:
    """One line of ``pytead list``."""

    target: str
    cases: int
    replayable: int
    path: Path


def list_fixtures(config: Config, targets: list[str] | None = None) -> list[FixtureSummary]:
    """Summarise the fixtures in the store.

    Raises:
        FixtureError: A fixture cannot be read.
    """
    pick_up_leftovers(config)
    return [
        FixtureSummary(
            stored.fixture.target.name,
            len(stored.fixture.cases),
            sum(case.replayable for case in stored.fixture.cases),
            stored.path,
        )
        for stored in load_store(config.storage_dir, targets)
    ]


def show_fixtures(config: Config, targets: list[str]) -> list[StoredFixture]:
    """The fixtures matching *targets*, to print."""
    pick_up_leftovers(config)
    return load_store(config.storage_dir, targets)


def describe_case(fixture: Fixture, case: Case) -> str:
    """One case as a readable call: ``add(a=2, b=3) -> 5``."""
    args = ", ".join(f"{name}={_code(value)}" for name, value in case.args.items())
    call = f"{fixture.target.qualname}({args})"
    if case.self is not None:
        call = f"<{_code(case.self)}>.{fixture.target.qualname.rpartition('.')[2]}({args})"
    outcome = case.outcome
    if isinstance(outcome, Returned):
        shown = _code(outcome.value)
        result = f"-> {shown}" if case.yields is None else f"yields {_code(case.yields)}"
    else:
        result = f"raises {_raised_text(outcome)}"
    notes = [f"seen {case.seen}x"] if case.seen > 1 else []
    if case.nondeterministic:
        notes.append("nondeterministic")
    if not case.replayable:
        notes.append("not replayable")
    return f"{call} {result}" + (f"  ({', '.join(notes)})" if notes else "")


def _raised_text(outcome: Raised) -> str:
    return f"{outcome.short_type}({outcome.message!r})"


def _code(value: object) -> str:
    try:
        text = render_source(value).text  # type: ignore[arg-type]
    except NotRenderable as exc:
        text = f"<{exc.what}>"
    except Exception:
        text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def clean_store(config: Config, targets: list[str] | None = None) -> list[Path]:
    """Delete fixtures (those of *targets*, or all of them and pytead's work files).

    Returns:
        The paths removed.
    """
    removed: list[Path] = []
    if targets:
        for stored in load_store(config.storage_dir, targets):
            stored.path.unlink()
            removed.append(stored.path)
    else:
        for path in iter_fixture_paths(config.storage_dir):
            path.unlink()
            removed.append(path)
        work = config.storage_dir / WORK_DIR
        if work.is_dir():
            shutil.rmtree(work)
            removed.append(work)
    _prune_empty_dirs(config.storage_dir)
    return removed


def _prune_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(root.iterdir()):
        root.rmdir()


@dataclass(frozen=True)
class GenReport:
    """What ``gen-tests`` planned.

    Attributes:
        plan: The files to write (test modules, snapshot files, maybe a root conftest.py).
        tests: How many test functions were generated.
        snapshots: How many snapshots they assert.
        fixtures: How many fixtures were read.
    """

    plan: Plan
    tests: int
    snapshots: int
    fixtures: int


def plan_tests(
    config: Config,
    *,
    targets: list[str] | None = None,
    output: Path | None = None,
    out_dir: Path | None = None,
    parametrize: bool = False,
) -> GenReport:
    """Plan the test modules and snapshot files generated from the fixtures.

    Raises:
        FixtureError: A fixture cannot be read.
    """
    pick_up_leftovers(config)
    root = project_root()
    _importable_from(root)
    stored = load_store(config.storage_dir, targets)
    import_target_modules(item.fixture for item in stored)
    modules: dict[Path, list[StoredFixture]] = {}
    for item in sorted(stored, key=lambda s: s.fixture.target.name):
        path = _test_module_path(item, output or config.output, out_dir)
        modules.setdefault(path, []).append(item)
    plan, tests, snapshots = Plan(), 0, 0
    for path, items in modules.items():
        writer = ModuleWriter(
            parametrize=parametrize,
            threshold=config.snapshot_threshold,
            first_party=first_party_modules(root),
        )
        sources = [_relative(item.path, root) for item in items]
        for item, source in zip(items, sources, strict=True):
            writer.add_fixture(item.fixture, source)
        generated = writer.render(sources)
        plan.add(path, generated.text)
        amber = snapshot_path(path)
        if generated.snapshots:
            plan.add(amber, render_amber(generated.snapshots))
        elif amber.is_file():
            plan.add(amber, None)  # the module no longer asserts snapshots
        tests += generated.tests
        snapshots += len(generated.snapshots)
    conftest = _root_conftest(root, [s.fixture for s in stored])
    if conftest is not None:
        plan.add(*conftest)
    return GenReport(plan, tests, snapshots, len(stored))


def project_root() -> Path:
    """The folder of the nearest ``pyproject.toml``, else the working directory."""
    from pytead._config import find_pyproject

    pyproject = find_pyproject(Path.cwd())
    return pyproject.parent if pyproject is not None else Path.cwd()


def first_party_modules(root: Path) -> frozenset[str]:
    """Top-level modules and packages of the project (``.`` and ``src/``), as isort sees them."""
    names = set()
    for folder in (root, root / "src"):
        if folder.is_dir():
            for entry in folder.iterdir():
                if entry.suffix == ".py" or (entry / "__init__.py").is_file():
                    names.add(entry.stem)
    return frozenset(names)


def import_target_modules(fixtures: Iterable[Fixture]) -> list[str]:
    """Import the traced modules, as their tests will: codecs they register become known.

    Returns:
        The modules that failed to import (their values are then written as far as possible).
    """
    failed = []
    for module in sorted({fixture.target.module for fixture in fixtures}):
        try:
            importlib.import_module(module)
        except Exception:
            failed.append(module)
    return failed


def _importable_from(root: Path) -> None:
    """Generation imports the project (to read its classes), as its tests will."""
    import sys

    for folder in (str(root), str(Path.cwd())):
        if folder not in sys.path:
            sys.path.insert(0, folder)


def _test_module_path(item: StoredFixture, output: Path, out_dir: Path | None) -> Path:
    if out_dir is None:
        return output
    return out_dir / f"test_{item.fixture.target.module.replace('.', '_')}.py"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


_CONFTEST = (
    "# Lets plain `pytest` import this project's modules from its root, as the tests written by\n"
    "# `pytead gen-tests` do: pytest puts the folder of a root conftest.py on sys.path.\n"
)


def _root_conftest(root: Path, fixtures: list[Fixture]) -> tuple[Path, str] | None:
    """A root ``conftest.py`` when the traced modules sit at the root and pytest would miss them."""
    conftest = root / "conftest.py"
    if conftest.exists() or _pytest_pythonpath_configured(root):
        return None
    tops = {fixture.target.module.split(".")[0] for fixture in fixtures}
    at_root = any(
        (root / f"{top}.py").is_file() or (root / top / "__init__.py").is_file() for top in tops
    )
    return (conftest, _CONFTEST) if at_root else None


def _pytest_pythonpath_configured(root: Path) -> bool:
    for name in ("pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini"):
        path = root / name
        if path.is_file() and "pythonpath" in path.read_text(encoding="utf-8", errors="replace"):
            return True
    return False


def replay_store(config: Config, targets: list[str] | None = None) -> list[TargetReplay]:
    """Replay the recorded calls of *targets* (all by default) on today's code.

    Raises:
        FixtureError: A fixture cannot be read.
    """
    pick_up_leftovers(config)
    _importable_from(project_root())
    stored = load_store(config.storage_dir, targets)
    import_target_modules(item.fixture for item in stored)
    return [replay_fixture(item) for item in stored]
