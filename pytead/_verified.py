"""From what the verification runs found to the cases left out, round after round.

`pytead._verify` says which planned tests failed; this module traces each back to its cases
(through the test ids the writer recorded, or, for a module that fails to import, through what
each case imports), leaves those cases out, writes the modules again and runs them once more, so
what is finally written is what passed. A module that fails to import for a reason no case
explains is written again with one test per case (its table rows are then evaluated inside the
tests, not when it is imported); only if that fails too are all its cases left out. A failing
case with a value accepted by its class's ``==`` (see `pytead._codec.source.equal_by_class`) is
not left out at once: it is written again ``strict``, each value taking the next road, and left
out only if that fails too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pytead._leftout import FAILS, HANGS, UNVERIFIED, CaseKey, LeftOut
from pytead._snapshots import render_amber
from pytead._testgen import GeneratedModule
from pytead._verify import Candidate, Verdicts, run_planned

if TYPE_CHECKING:
    from pytead._gentests import ModuleSource

#: Rounds of running: both orders, then confirmations of what is left.
MAX_ROUNDS = 3

_MISSING_MODULE = re.compile(r"No module named '([\w.]+)'")
_MISSING_NAME = re.compile(r"cannot import name '(\w+)' from '([\w.]+)'")


def verify_modules(
    modules: list[ModuleSource],
    rendered: dict[Path, GeneratedModule],
    *,
    parametrize: bool,
    root: Path,
    support: list[tuple[Path, str]],
    timeout: int,
    previous: Mapping[CaseKey, LeftOut] | None = None,
) -> tuple[dict[Path, GeneratedModule], str]:
    """Run the planned modules until what they hold passes; return them and a summary note.

    *previous* are the verdicts the modules on disk list: a case that fails the same way again
    keeps its old reason, so a failure message that changes from run to run (a time, a random
    draw) does not change the module.
    """
    leave_out: dict[CaseKey, LeftOut] = {}
    plain: set[Path] = set()
    strict: set[CaseKey] = set()
    runs = 0
    for number in range(MAX_ROUNDS):
        verdicts = run_planned(
            [_candidate(path, module) for path, module in rendered.items()],
            root=root,
            support=list(support),
            timeout=timeout,
            orders=(False, True) if number == 0 else (False,),
        )
        runs += verdicts.runs
        if verdicts.problem:
            return rendered, f"not verified: {verdicts.problem}"
        found, rewrite = judge(rendered, verdicts, plain, timeout)
        found = {key: _stable(verdict, previous or {}) for key, verdict in found.items()}
        retry = retried(rendered.values(), found, strict)
        if not found and not rewrite:
            return rendered, f"verified ({runs} runs)"
        leave_out.update({key: verdict for key, verdict in found.items() if key not in retry})
        plain |= rewrite
        strict |= retry
        rendered = {
            m.path: m.render(
                leave_out,
                parametrize=parametrize and m.path not in plain,
                strict=frozenset(strict),
            )
            for m in modules
        }
    return rendered, f"verified ({runs} runs; what the last run left out was not run again)"


def retried(
    modules: Iterable[GeneratedModule], failed: Mapping[CaseKey, LeftOut], strict: set[CaseKey]
) -> set[CaseKey]:
    """The failed cases to write again ``strict`` rather than leave out: those with a value
    accepted by its class's ``==`` that were not written strict already."""
    by_equality = {key for module in modules for key in module.by_equality}
    return {key for key in failed if key in by_equality and key not in strict}


def _stable(verdict: LeftOut, previous: Mapping[CaseKey, LeftOut]) -> LeftOut:
    known = previous.get(verdict.key)
    return known if known is not None and known.kind == verdict.kind else verdict


def _candidate(path: Path, module: GeneratedModule) -> Candidate:
    amber = render_amber(module.snapshots) if module.snapshots else None
    return Candidate(path, module.text, amber)


def judge(
    rendered: Mapping[Path, GeneratedModule],
    verdicts: Verdicts,
    plain: set[Path],
    timeout: int,
) -> tuple[dict[CaseKey, LeftOut], set[Path]]:
    """The cases to leave out, and the modules to write again one test per case."""
    found: dict[CaseKey, LeftOut] = {}
    rewrite: set[Path] = set()
    for path, module in rendered.items():
        if path in verdicts.broken:
            keys = _cases_of_broken(module, verdicts.broken[path], rewritable=path not in plain)
            if keys is None:
                rewrite.add(path)
            else:
                message = f"its test module fails to import: {verdicts.broken[path]}"
                found.update(_left_out(keys, FAILS, message))
            continue
        for test, cases in module.cases.items():
            verdict = _verdict((path, test), verdicts, timeout)
            if verdict is not None:
                found.update(_left_out(cases, *verdict))
    return found, rewrite


def _cases_of_broken(
    module: GeneratedModule, message: str, *, rewritable: bool
) -> list[CaseKey] | None:
    """The cases to blame for a module that fails to import; None: write it one test per case."""
    keys = cases_needing(module, message)
    if keys:
        return keys
    if rewritable and any("[" in test for test in module.cases):
        return None
    return [key for cases in module.cases.values() for key in cases]


def _verdict(test: tuple[Path, str], verdicts: Verdicts, timeout: int) -> tuple[str, str] | None:
    """Why the test does not count as passing, or None if it does."""
    if test in verdicts.failed:
        return FAILS, verdicts.failed[test]
    if test in verdicts.hung:
        return HANGS, f"it ran longer than {timeout} s and was stopped"
    if test not in verdicts.ran:
        return UNVERIFIED, "the verification run stopped before it"
    return None


def _left_out(keys: Iterable[CaseKey], kind: str, detail: str) -> dict[CaseKey, LeftOut]:
    return {key: LeftOut(key[0], key[1], kind, detail) for key in keys}


def cases_needing(module: GeneratedModule, message: str) -> list[CaseKey]:
    """The cases whose imports an import error names (``No module named 'tests'``)."""
    missing = _MISSING_MODULE.search(message)
    named = _MISSING_NAME.search(message)

    def needs(source: str, name: str) -> bool:
        if missing and (source + ".").startswith(missing[1] + "."):
            return True
        return named is not None and (source, name.split(" as ")[0]) == (named[2], named[1])

    return sorted(
        key for key, imports in module.imports.items() if any(needs(*imp) for imp in imports)
    )
