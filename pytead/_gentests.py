"""``pytead gen-tests``: which fixtures go to which test module, their snapshots, a conftest.

The module texts come from `pytead._testgen`; this module decides where they go and plans every
file (test modules, ``.ambr`` snapshot files, a root ``conftest.py`` when one is needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pytead._config import Config
from pytead._model import Fixture
from pytead._project import (
    first_party_modules,
    import_target_modules,
    make_importable,
    project_root,
)
from pytead._run import pick_up_leftovers
from pytead._snapshots import render_amber, snapshot_path
from pytead._store import StoredFixture, load_store
from pytead._testgen import ModuleWriter
from pytead._writer import Plan


@dataclass
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
    make_importable(root)
    stored = load_store(config.storage_dir, targets)
    import_target_modules(item.fixture for item in stored)
    modules: dict[Path, list[StoredFixture]] = {}
    for item in sorted(stored, key=lambda s: s.fixture.target.name):
        path = _test_module_path(item, output or config.output, out_dir)
        modules.setdefault(path, []).append(item)
    report = GenReport(Plan(), 0, 0, len(stored))
    for path, items in modules.items():
        _plan_module(report, path, items, root, config, parametrize)
    conftest = _root_conftest(root, [s.fixture for s in stored])
    if conftest is not None:
        report.plan.add(*conftest)
    return report


def _plan_module(
    report: GenReport,
    path: Path,
    items: list[StoredFixture],
    root: Path,
    config: Config,
    parametrize: bool,
) -> None:
    """Plan one test module and its snapshot file."""
    sources = [_relative(item.path, root) for item in items]

    def written(aliases: dict[tuple[str, str], str] | None) -> ModuleWriter:
        writer = ModuleWriter(
            parametrize=parametrize,
            threshold=config.snapshot_threshold,
            first_party=first_party_modules(root),
            aliases=aliases,
        )
        for item, source in zip(items, sources, strict=True):
            writer.add_fixture(item.fixture, source)
        return writer

    writer = written(None)
    clashes = writer.namer.clashes()
    if clashes:  # two imports bind one name: write the module again with aliases
        writer = written(clashes)
    generated = writer.render(sources)
    report.plan.add(path, generated.text)
    amber = snapshot_path(path)
    if generated.snapshots:
        report.plan.add(amber, render_amber(generated.snapshots))
    elif amber.is_file():
        report.plan.add(amber, None)  # the module no longer asserts snapshots
    report.tests += generated.tests
    report.snapshots += len(generated.snapshots)


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
