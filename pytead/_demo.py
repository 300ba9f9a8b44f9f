"""``pytead demo``: the whole flow on a bundled warehouse app, in five minutes, with a tour.

It copies the app into a folder, records its calls, generates tests with snapshots, runs them,
enriches a copy of the sources and writes docs pages, printing each step as the command a user
would type, so the demo doubles as a tutorial. Every step runs in its own process, as it would
in a real project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pytead._errors import UsageError

APP = Path(__file__).parent / "_demo_app"
MARKER_FILE = ".pytead-demo"
APP_FILES = ("inventory.py", "main.py", "README.md")


@dataclass(frozen=True)
class Step:
    """One step of the demo: what it does, and the command that does it."""

    title: str
    command: tuple[str, ...]


STEPS = (
    Step(
        "record the real calls of inventory while main.py runs",
        ("pytead", "run", "inventory", "--", "main.py"),
    ),
    Step("look at what was recorded", ("pytead", "show", "inventory.order_total")),
    Step("generate pytest tests and snapshots from the fixtures", ("pytead", "gen-tests")),
    Step(
        "run the generated tests",
        ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"),
    ),
    Step(
        "write verified examples into a copy of the sources, docs pages and llms.txt",
        ("pytead", "enrich-docs", "enriched", "--pages", "docs", "--llms-txt", "llms.txt"),
    ),
)


def prepare(folder: Path) -> None:
    """Copy the demo app into *folder*, which must be empty, new, or an earlier demo.

    Raises:
        UsageError: *folder* holds something else; nothing is overwritten.
    """
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER_FILE).exists():
        raise UsageError(
            "the folder is not empty and was not made by `pytead demo`",
            where=str(folder),
            hint="pick a new folder, e.g. `pytead demo pytead-demo-2`",
        )
    for stale in ("call_logs", "tests", "enriched", "docs", "llms.txt", "conftest.py"):
        target = folder / stale
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER_FILE).write_text("made by `pytead demo`\n", encoding="utf-8")
    for name in APP_FILES:
        shutil.copyfile(APP / name, folder / name)
    (folder / "enriched").mkdir()
    shutil.copyfile(APP / "inventory.py", folder / "enriched" / "inventory.py")


def run_demo(folder: Path, *, say: Callable[[str], None]) -> int:
    """Run every step in *folder*, reporting progress through *say*; return 0 if all passed."""
    prepare(folder)
    say(f"pytead demo: a small warehouse app copied into {folder}/")
    for number, step in enumerate(STEPS, start=1):
        say(f"\n[{number}/{len(STEPS)}] {step.title}\n$ {' '.join(step.command)}")
        result = _run(step.command, folder)
        output = (result.stdout + result.stderr).rstrip()
        say(_indented(output))
        if result.returncode != 0:
            say(f"\npytead demo: this step failed (exit code {result.returncode}); see above.")
            return 1
    say(_tour(folder))
    return 0


def _run(command: tuple[str, ...], folder: Path) -> subprocess.CompletedProcess[str]:
    program = [sys.executable, "-m", "pytead"] if command[0] == "pytead" else [sys.executable]
    return subprocess.run(
        [*program, *command[1:]], cwd=folder, capture_output=True, text=True, check=False
    )


def _indented(text: str, limit: int = 14) -> str:
    lines = text.splitlines()
    if len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more lines)"]
    return "\n".join(f"  {line}" for line in lines)


def _tour(folder: Path) -> str:
    snapshots = sorted((folder / "tests" / "__snapshots__").glob("*.ambr"))
    lines = [
        "",
        f"Done. What pytead wrote in {folder}/:",
        "  call_logs/inventory/*.yaml       the recorded calls: readable YAML, meant for review",
        "  tests/test_pytead_generated.py   pytest tests, one per recorded case",
    ]
    if snapshots:
        lines.append(f"  tests/__snapshots__/{snapshots[0].name}")
        lines.append(" " * 35 + "syrupy snapshots of structured results")
    lines += [
        "  enriched/inventory.py            the sources with verified Examples in each docstring",
        "  docs/inventory.md, llms.txt      pages and a digest for LLMs with those examples",
        "",
        "Next: open those files, then break inventory.py and run `python -m pytest tests` or",
        "`pytead replay` in that folder to see the recorded behaviour catch the change.",
    ]
    return "\n".join(lines)
