"""The commands behind the CLI, as plain functions that do the work and return a report.

Only `pytead._cli` prints; these functions can be called from Python too.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pytead._codec import NotRenderable, render_source
from pytead._config import Config
from pytead._journal import WORK_DIR
from pytead._model import Case, Fixture, Raised, Returned
from pytead._project import import_target_modules, make_importable, project_root
from pytead._replay import TargetReplay, replay_fixture
from pytead._run import pick_up_leftovers
from pytead._screen import Screened, project_policy, screen
from pytead._store import StoredFixture, iter_fixture_paths, load_store
from pytead._trust import trusting


@dataclass(frozen=True)
class FixtureSummary:
    """One line of ``pytead list``, and an error line per case of its file that cannot be read."""

    target: str
    cases: int
    replayable: int
    path: Path
    rejected: tuple[str, ...] = ()


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
            tuple(stored.rejections()),
        )
        for stored in load_store(config.storage_dir, targets, config.max_fixture_nodes)
    ]


def show_fixtures(config: Config, targets: list[str]) -> list[StoredFixture]:
    """The fixtures matching *targets*, to print."""
    pick_up_leftovers(config)
    return load_store(config.storage_dir, targets, config.max_fixture_nodes)


def screen_for_show(config: Config, found: list[StoredFixture]) -> Screened:
    """What `show` may describe: cases are written as code, so untrusted names stay out."""
    root = project_root()
    make_importable(root)
    return screen(found, project_policy(root, config, (item.fixture for item in found)))


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
    notes = [f"seen {case.seen}x"] if case.seen is not None and case.seen > 1 else []
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
        for stored in load_store(config.storage_dir, targets, config.max_fixture_nodes):
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


def replay_store(config: Config, targets: list[str] | None = None) -> list[TargetReplay]:
    """Replay the recorded calls of *targets* (all by default) on today's code.

    Raises:
        FixtureError: A fixture cannot be read.
    """
    pick_up_leftovers(config)
    root = project_root()
    make_importable(root)
    stored = load_store(config.storage_dir, targets, config.max_fixture_nodes)
    policy = project_policy(root, config, (item.fixture for item in stored))
    screened = screen(stored, policy)
    with trusting(policy):
        trusted = [item for item in stored if item.fixture.target.name not in screened.whole]
        import_target_modules(item.fixture for item in trusted)
        return [_replay_or_refuse(item, screened) for item in stored]


def _replay_or_refuse(item: StoredFixture, screened: Screened) -> TargetReplay:
    """Replay *item*, unless screening refused some of it: then none of it (nothing is lost)."""
    name = item.fixture.target.name
    if name not in screened.whole:
        return replay_fixture(item)
    return TargetReplay(item, refused=[r.line() for r in screened.refused_cases(name)])
