"""``pytead run``: resolve the targets, start capture, run the program, keep its exit status.

Kept apart from the other commands so that starting a traced program loads only what capture
needs (no YAML, no code generation): start-up time is paid by every traced run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from pytead._config import Config
from pytead._errors import UsageError
from pytead._journal import journal_dir
from pytead._runner import Program, register_last_exit_handler

if TYPE_CHECKING:
    from pytead._compact import CompactReport


def pick_up_leftovers(config: Config) -> CompactReport | None:
    """Fold journals a crashed run left behind into the fixtures, if there are any."""
    folder = journal_dir(config.storage_dir)
    if not folder.is_dir() or not any(folder.iterdir()):
        return None
    from pytead._compact import compact

    return compact(config.storage_dir)


def trace_program(config: Config, patterns: list[str], program: Program) -> int:
    """``pytead run``: trace *patterns* while *program* runs; return the program's exit status.

    Raises:
        UsageError: The program does not exist, or a target is defined in the script itself.
        TargetError: A target cannot be resolved (nothing has run yet).
        SystemExit: The program exited through ``sys.exit``; it propagates unchanged.
    """
    program.check()
    pick_up_leftovers(config)
    register_last_exit_handler()  # first registered, so it runs after pytead's own exit handler
    program.prepare()
    _refuse_targets_in_script(patterns, program)
    from pytead._bootstrap import carry_into_spawned_children
    from pytead._session import get_session
    from pytead._targets import resolve_targets

    targets = resolve_targets(patterns)
    session = get_session(config)
    session.install(targets)
    carry_into_spawned_children(config, patterns)
    return program.run()


def _refuse_targets_in_script(patterns: list[str], program: Program) -> None:
    """A script runs as ``__main__``: importing it as a module to trace it would run it twice."""
    script = program.module_file
    if script is None:
        return
    for pattern in patterns:
        try:
            spec = importlib.util.find_spec(pattern.split(".")[0])
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin and Path(spec.origin).resolve() == script:
            raise UsageError(
                f"{pattern} lives in the script {program.script} itself, which runs as __main__",
                where=pattern,
                hint="move it into a module the script imports, or decorate it with @pytead.trace",
            )
