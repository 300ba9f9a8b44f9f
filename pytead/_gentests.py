"""``pytead gen-tests``: which fixtures go to which test module, their snapshots, a conftest.

The module texts come from `pytead._testgen`; this module decides where they go, has them
verified (`pytead._verified`), and plans every file: test modules, ``.ambr`` snapshot files, a
root ``conftest.py`` when one is needed. A case that cannot become a passing test is left out
with its reason; no case stops the others.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pytead._config import Config
from pytead._conftest import plan_conftest
from pytead._docproducers import Producers, producing
from pytead._leftout import TARGET_GONE, UNTRUSTED, CaseKey, LeftOut, read_verdicts, summary
from pytead._project import (
    first_party_modules,
    import_target_modules,
    make_importable,
    program_folders,
    project_root,
    unreachable_targets,
)
from pytead._roads import render_roads
from pytead._run import pick_up_leftovers
from pytead._screen import Screened, project_policy, screen
from pytead._snapshots import render_amber, snapshot_path
from pytead._store import StoredFixture, load_store
from pytead._testgen import (
    PARAMETRIZE,
    GeneratedModule,
    ModuleWriter,
    read_strict,
    recorded_options,
)
from pytead._trust import trusting
from pytead._verified import verify_modules
from pytead._writer import FileChange, Plan

#: ``run``: verify by running the tests; ``recall``: keep the verdicts the modules on disk list
#: (``--check``); ``off``: write every case that can be written (``--no-verify``).
Verify = Literal["run", "recall", "off"]


@dataclass
class GenReport:
    """What ``gen-tests`` planned.

    Attributes:
        plan: The files to write (test modules, snapshot files, maybe a root conftest.py).
        fixtures: How many fixtures were read.
        cases: How many cases they hold.
        written: How many cases became tests.
        tests: How many test functions were generated.
        snapshots: How many snapshots they assert.
        left_out: The cases left out, and why.
        unreachable: Targets that cannot be imported any more -> why (their cases are left out).
        verification: How the tests were verified, for the summary line.
        refused: A line (file:line, the fix) per case that cannot be read, and per fixture or
            case naming something untrusted; their cases are left out, and the command fails
            once it has written the rest.
        roads: How many values of the tests took each road (see `pytead._roads`).
    """

    plan: Plan
    fixtures: int
    cases: int = 0
    written: int = 0
    tests: int = 0
    snapshots: int = 0
    left_out: list[LeftOut] = field(default_factory=list)
    unreachable: dict[str, str] = field(default_factory=dict)
    verification: str = ""
    refused: list[str] = field(default_factory=list)
    roads: Counter[str] = field(default_factory=Counter)

    def lines(self, *, every_case: bool = True) -> list[str]:
        """A warning per target that cannot be imported; a line per other case left out."""
        lines = []
        for target, why in sorted(self.unreachable.items()):
            count = sum(1 for item in self.left_out if item.target == target)
            lines.append(f"warning: {why} ({count} case(s) left out)")
        if every_case:
            lines += [item.line() for item in self.left_out if item.kind != TARGET_GONE]
        return [*lines, render_roads(self.roads)]

    def summary(self) -> str:
        """``9 case(s): 7 written as 7 test(s), 1 snapshot(s); 2 left out (...); verified ...``."""
        written = f"{self.written} written as {self.tests} test(s), {self.snapshots} snapshot(s)"
        return f"{self.cases} case(s): {written}; {summary(self.left_out)}; {self.verification}"


@dataclass(frozen=True)
class ModuleSource:
    """The fixtures that go into one test module, and how to write it.

    Attributes:
        parametrize: Whether the module is made with ``--parametrize`` (its header says so).
    """

    path: Path
    items: list[StoredFixture]
    sources: list[str]
    first_party: frozenset[str]
    threshold: int
    unreachable: dict[str, str]
    refused: dict[CaseKey, LeftOut] = field(default_factory=dict)
    parametrize: bool = False

    def render(
        self,
        leave_out: dict[CaseKey, LeftOut],
        *,
        parametrize: bool = True,
        strict: frozenset[CaseKey] = frozenset(),
    ) -> GeneratedModule:
        """The module, without the cases of *leave_out* nor those screening refused.

        *parametrize* False writes it one test per case whatever its options (verification
        does so for a module whose tables fail to import); the cases of *strict* are written
        with exact recorded states only (see `pytead._verified`).
        """
        leave_out = {**self.refused, **leave_out}

        def written(aliases: dict[tuple[str, str], str] | None) -> ModuleWriter:
            writer = ModuleWriter(
                parametrize=parametrize and self.parametrize,
                threshold=self.threshold,
                first_party=self.first_party,
                aliases=aliases,
                leave_out=leave_out,
                strict=strict,
            )
            for item in self.items:
                name = item.fixture.target.name
                writer.add_fixture(item.fixture, unreachable=self.unreachable.get(name, ""))
            return writer

        writer = written(None)
        clashes = writer.namer.clashes()
        if clashes:  # two imports bind one name: write the module again with aliases
            writer = written(clashes)
        return writer.render(self.sources)


def plan_tests(
    config: Config,
    *,
    targets: list[str] | None = None,
    output: Path | None = None,
    out_dir: Path | None = None,
    parametrize: bool | None = False,
    verify: Verify = "run",
) -> GenReport:
    """Plan the test modules and snapshot files generated from the fixtures.

    Args:
        config: The settings.
        targets: Only the fixtures of these targets (globs allowed).
        output: The one test module to write (default: ``config.output``).
        out_dir: Write one module per traced module into this folder instead.
        parametrize: Gather cases into parametrized tables. None: make each module with the
            options its header records (``--check``), or as ``config.parametrize`` says for a
            module not written yet.
        verify: How to verify the tests (see `Verify`).

    Raises:
        FixtureError: A fixture cannot be read.
    """
    pick_up_leftovers(config)
    root = project_root()
    stored = load_store(config.storage_dir, targets, config.max_fixture_nodes)
    folders = program_folders(item.fixture for item in stored)
    make_importable(root, folders)
    screened = screen(stored, project_policy(root, config, (item.fixture for item in stored)))
    with trusting(screened.policy):
        where = (output, out_dir)
        report = _plan_screened(screened, stored, root, config, where, parametrize, verify)
    rejected = [line for item in stored for line in item.rejections()]
    report.refused = rejected + [refusal.line() for refusal in screened.refused]
    return report


def _plan_screened(
    screened: Screened,
    stored: list[StoredFixture],
    root: Path,
    config: Config,
    where: tuple[Path | None, Path | None],
    parametrize: bool | None,
    verify: Verify,
) -> GenReport:
    """Plan from every fixture; only the screened ones are imported and decoded.

    *where* is ``(output, out_dir)``: one test module, or a folder of them.
    """
    output, out_dir = where
    trusted = [item.fixture for item in screened.kept]
    folders = program_folders(trusted)
    import_target_modules(trusted)
    unreachable = unreachable_targets(trusted)
    unreachable.update(_refused_targets(screened))
    modules = _module_sources(stored, root, config, output, out_dir, unreachable)
    modules = [
        dataclasses.replace(
            m, refused=_refused_cases(screened), parametrize=_parametrized(m, parametrize, config)
        )
        for m in modules
    ]
    conftest = plan_conftest(root, {f.target.module.split(".")[0] for f in trusted}, folders)
    support = [conftest] if conftest is not None else []
    with producing(Producers(trusted)):  # inputs a traced call returned are made by it
        rendered, note = _rendered(modules, verify, root, support, config.verify_timeout)
    report = GenReport(Plan(), len(stored), unreachable=unreachable, verification=note)
    for path, generated in rendered.items():
        _add_module(report, path, generated)
    if conftest is not None:
        report.plan.add(*conftest)
    report.cases = sum(len(item.fixture.cases) + len(item.fixture.rejected) for item in stored)
    return report


def _refused_targets(screened: Screened) -> dict[str, str]:
    """The fixtures refused whole: all their cases are left out, like an unreachable target."""
    return {r.target: f"not trusted: {r.error.what}" for r in screened.refused if not r.case_id}


def _refused_cases(screened: Screened) -> dict[CaseKey, LeftOut]:
    return {
        (r.target, r.case_id): LeftOut(r.target, r.case_id, UNTRUSTED, r.line())
        for r in screened.refused
        if r.case_id
    }


def _parametrized(module: ModuleSource, parametrize: bool | None, config: Config) -> bool:
    """Whether *module* gets tables: as asked, else as its header (or the config) says."""
    if parametrize is not None:
        return parametrize
    options = recorded_options(FileChange(module.path, None).current())
    return config.parametrize if options is None else PARAMETRIZE in options


def _rendered(
    modules: list[ModuleSource],
    verify: Verify,
    root: Path,
    support: list[tuple[Path, str]],
    timeout: int,
) -> tuple[dict[Path, GeneratedModule], str]:
    """The modules' final texts, as verification (or its recorded verdicts) leaves them."""
    previous = _recalled(modules)
    leave_out = previous if verify == "recall" else {}
    strict = _recalled_strict(modules) if verify == "recall" else frozenset()
    rendered = {m.path: m.render(leave_out, strict=strict) for m in modules}
    if verify == "off":
        return rendered, "not verified (--no-verify)"
    if verify == "recall" or not modules:
        return rendered, "verdicts kept from the modules"
    return verify_modules(
        modules, rendered, parametrize=True, root=root, support=support,
        timeout=timeout, previous=previous,
    )  # fmt: skip


def _module_sources(
    stored: list[StoredFixture],
    root: Path,
    config: Config,
    output: Path | None,
    out_dir: Path | None,
    unreachable: dict[str, str],
) -> list[ModuleSource]:
    by_path: dict[Path, list[StoredFixture]] = {}
    for item in sorted(stored, key=lambda s: s.fixture.target.name):
        path = _test_module_path(item, output or config.output, out_dir)
        by_path.setdefault(path, []).append(item)
    first_party = first_party_modules(root)
    return [
        ModuleSource(
            path,
            items,
            [_relative(item.path, root) for item in items],
            first_party,
            config.snapshot_threshold,
            unreachable,
        )
        for path, items in by_path.items()
    ]


def _recalled(modules: list[ModuleSource]) -> dict[CaseKey, LeftOut]:
    """What verification left out last time, as the modules on disk list it."""
    verdicts: dict[CaseKey, LeftOut] = {}
    for module in modules:
        verdicts.update(read_verdicts(FileChange(module.path, None).current()))
    return verdicts


def _recalled_strict(modules: list[ModuleSource]) -> frozenset[CaseKey]:
    """The cases the modules on disk say they wrote with exact recorded states only."""
    return frozenset().union(*(read_strict(FileChange(m.path, None).current()) for m in modules))


def _add_module(report: GenReport, path: Path, generated: GeneratedModule) -> None:
    """Plan one test module and its snapshot file; count what it holds."""
    report.plan.add(path, generated.text)
    amber = snapshot_path(path)
    if generated.snapshots:
        report.plan.add(amber, render_amber(generated.snapshots))
    elif amber.is_file():
        report.plan.add(amber, None)  # the module no longer asserts snapshots
    report.tests += generated.tests
    report.snapshots += len(generated.snapshots)
    report.written += generated.written
    report.left_out += generated.left_out
    report.roads.update(generated.roads)


def _test_module_path(item: StoredFixture, output: Path, out_dir: Path | None) -> Path:
    if out_dir is None:
        return output
    return out_dir / f"test_{item.fixture.target.module.replace('.', '_')}.py"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
