"""``pytead enrich-docs``: verified real-call examples in docstrings, pages and ``llms.txt``.

The command plans every change first (see `pytead._writer`): find each traced function in the
sources, pick its best cases, run them as doctests in a child process, keep those that
reproduce, then rewrite only pytead's Examples section of each docstring.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytead._config import Config
from pytead._docaccount import Account, Evidence, account
from pytead._doccheck import Check, run_checks, verify
from pytead._docpages import DocEntry, pages_from, render_llms_txt, render_page
from pytead._docprinted import with_printed
from pytead._docproducers import Producers, producing
from pytead._docsequence import in_sequence
from pytead._docsources import SourceFunction, locate, module_name, python_files
from pytead._docstrings import CREATED_SUMMARY, Edit, apply_edits
from pytead._examples import Candidates, Example, choose, shortlist, sort_cases
from pytead._model import Fixture
from pytead._screen import Screened, project_policy, screen
from pytead._sourcetext import read_source
from pytead._store import StoredFixture, load_store
from pytead._trust import trusting
from pytead._writer import Plan

#: Candidates verified per function, so that enough remain when some do not reproduce.
CANDIDATES_PER_EXAMPLE = 3


@dataclass
class DocsReport:
    """What ``enrich-docs`` planned.

    Attributes:
        plan: The files to write.
        written: Functions that get examples, and how many.
        skipped: Functions whose docstring is left alone, and why.
        dropped: Examples that did not reproduce: ``(target, case id, reason)``.
        missing: Targets whose source was not found under the given paths.
        fixtures: How many fixtures were read.
        refused: A line (file:line, the fix) per case that cannot be read, and per fixture or
            case naming something untrusted; those cases give no examples.
        accounts: Every target with recorded cases: its examples, or why it got none.
    """

    plan: Plan = field(default_factory=Plan)
    written: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    fixtures: int = 0
    refused: list[str] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)

    @property
    def without_examples(self) -> list[Account]:
        """The accounts of the targets that got no example, sorted by target."""
        return [a for a in self.accounts if a.reason_kind is not None]


def plan_docs(
    config: Config,
    *,
    paths: Sequence[Path] = (),
    max_examples: int | None = None,
    pages: Path | None = None,
    llms_txt: Path | None = None,
    root: Path,
) -> DocsReport:
    """Plan the docstring, page and llms.txt changes.

    Raises:
        FixtureError: A fixture cannot be read.
    """
    from pytead._run import pick_up_leftovers

    pick_up_leftovers(config)
    limit = config.max_examples if max_examples is None else max_examples
    stored = load_store(config.storage_dir, max_nodes=config.max_fixture_nodes)
    screened = screen(stored, project_policy(root, config, (item.fixture for item in stored)))
    fixtures = {item.fixture.target.name: item.fixture for item in screened.kept}
    evidence = _evidence(stored, screened)
    with trusting(screened.policy):
        report = _plan(fixtures, evidence, _Output(paths, limit, pages, llms_txt, root))
    report.fixtures = len(stored)
    rejected = [line for item in stored for line in item.rejections()]
    report.refused = rejected + [refusal.line() for refusal in screened.refused]
    return report


@dataclass(frozen=True)
class _Output:
    """Where to look and what to write: the command's options."""

    paths: Sequence[Path]
    limit: int
    pages: Path | None
    llms_txt: Path | None
    root: Path


def _evidence(stored: list[StoredFixture], screened: Screened) -> dict[str, Evidence]:
    """An empty record for each target with recorded cases, with its first refused case."""
    found: dict[str, Evidence] = {}
    for item in stored:
        name = item.fixture.target.name
        refused = screened.refused_cases(name)
        refusals = [*item.rejections(), *(r.line() for r in refused)]
        if item.fixture.cases or refusals:
            whole = any(r.case_id is None for r in refused)
            found[name] = Evidence(item.fixture, refused=(refusals or [""])[0], refused_whole=whole)
    return found


def _plan(
    fixtures: dict[str, Fixture], evidence: dict[str, Evidence], output: _Output
) -> DocsReport:
    files = python_files(output.paths or [output.root])
    located, missing = locate(fixtures.values(), files)
    report = DocsReport(missing=missing, fixtures=len(fixtures))
    import_paths = _import_paths(output.root, files)
    chosen = _verified_examples(located, fixtures, output, import_paths, report, evidence)
    _plan_sources(located, chosen, report)
    for function in located:
        if function.target in evidence:
            record = evidence[function.target]
            record.located, record.chosen = True, chosen.get(function.target, [])
            record.edit = report.skipped.get(function.target, "")
    report.accounts = [account(evidence[name]) for name in sorted(evidence)]
    entries = [_entry(fixtures[f.target], f, chosen.get(f.target, [])) for f in located]
    _plan_pages(entries, output, report)
    return report


def _plan_pages(entries: list[DocEntry], output: _Output, report: DocsReport) -> None:
    """Pages and llms.txt show every located function, hand-documented ones included."""
    if output.pages is not None:
        for module in sorted({entry.module for entry in entries}):
            page = render_page(module, [e for e in entries if e.module == module])
            report.plan.add(output.pages / f"{module}.md", page)
    if output.llms_txt is not None:
        project, summary = _project_identity(output.root)
        linked = None if output.pages is None else pages_from(output.llms_txt, output.pages)
        report.plan.add(output.llms_txt, render_llms_txt(project, summary, entries, pages=linked))


def _import_paths(root: Path, files: list[Path]) -> list[str]:
    folders = {str(module_name(file)[1]) for file in files}
    return [str(root), *sorted(folders - {str(root)})]


def _verified_examples(
    located: list[SourceFunction],
    fixtures: dict[str, Fixture],
    output: _Output,
    import_paths: list[str],
    report: DocsReport,
    evidence: dict[str, Evidence],
) -> dict[str, list[Example]]:
    """Each function's examples that reproduce, alone and then together as in the docstring."""
    for path in reversed(import_paths):
        if path not in sys.path:
            sys.path.insert(0, path)
    candidates: dict[str, list[Example]] = {}
    producers = Producers(fixtures.values())
    for function in located:
        with producing(producers):
            sorted_out = _candidates(function, fixtures[function.target], output.limit)
        candidates[function.target] = sorted_out.examples
        if function.target in evidence:
            evidence[function.target].unshown = sorted_out.unshown
    modules = {f.target: f.module for f in located}
    checks = [
        Check(check_id, modules[target], (form,))
        for target, examples in candidates.items()
        for example in examples
        for check_id, form in _forms(target, example)
    ]
    verdicts, printed = run_checks(checks, cwd=output.root, paths=import_paths)
    printing = _printing_forms(candidates, modules, printed, output.root, import_paths)
    chosen: dict[str, list[Example]] = {}
    for target, examples in candidates.items():
        passing = []
        for example in examples:
            kept, reason = _verdict(target, example, verdicts)
            kept = kept or printing.get(f"{target}#{example.case_id}")
            if kept is None:
                report.dropped.append((target, example.case_id, reason))
                if target in evidence:
                    evidence[target].dropped.append(f"case {example.case_id}: {reason}")
            else:
                passing.append(kept)
        chosen[target] = choose(passing, output.limit)
    return _together(chosen, modules, import_paths, output.root)


def _printing_forms(
    candidates: dict[str, list[Example]],
    modules: dict[str, str],
    printed: dict[str, str],
    root: Path,
    paths: list[str],
) -> dict[str, Example]:
    """The examples that failed only by what their call printed, written again with it before
    their outcome (`pytead._docprinted`), by check id, among those a second run confirms."""
    found: dict[str, Example] = {}
    for target, examples in candidates.items():
        for example in examples:
            check_id = f"{target}#{example.case_id}"
            text = printed.get(check_id)
            amended = None if text is None else with_printed(example, text)
            if amended is not None:
                found[check_id] = amended
    checks = [Check(key, modules[key.rpartition("#")[0]], (ex,)) for key, ex in found.items()]
    verdicts = verify(checks, cwd=root, paths=paths)
    return {key: example for key, example in found.items() if verdicts.get(key) == ""}


def _forms(target: str, example: Example) -> list[tuple[str, Example]]:
    """The checks of one example: itself, and its repr form when it shows a print() output."""
    check_id = f"{target}#{example.case_id}"
    forms = [(check_id, example)]
    if example.repr_form is not None:
        forms.append((check_id + "#repr", example.repr_form))
    return forms


def _verdict(target: str, example: Example, verdicts: dict[str, str]) -> tuple[Example | None, str]:
    """The form of *example* that passed (its print form first), or ``None`` and why not."""
    for check_id, form in _forms(target, example):
        if not verdicts.get(check_id, "it was not run"):
            return form, ""
    return None, verdicts.get(f"{target}#{example.case_id}", "it was not run")


def _candidates(function: SourceFunction, fixture: Fixture, limit: int) -> Candidates:
    """The fixture's cases sorted out, the examples cut to those worth verifying."""
    try:
        namespace = vars(importlib.import_module(function.module))
    except Exception:
        namespace = {}  # the child process will report why the module cannot be imported
    found = sort_cases(fixture, namespace)
    worth = shortlist(found.examples, max(limit, 1) * CANDIDATES_PER_EXAMPLE)
    return Candidates(worth, found.unshown)


def _together(
    chosen: dict[str, list[Example]], modules: dict[str, str], paths: list[str], root: Path
) -> dict[str, list[Example]]:
    """A docstring's examples share one namespace: check them as the docstring will run them."""
    checks = [
        Check(target, modules[target], tuple(in_sequence(examples)))
        for target, examples in chosen.items()
        if len(examples) > 1
    ]
    verdicts = verify(checks, cwd=root, paths=paths)
    return {
        target: examples if not verdicts.get(target) else examples[:1]
        for target, examples in chosen.items()
    }


def _plan_sources(
    located: list[SourceFunction], chosen: dict[str, list[Example]], report: DocsReport
) -> None:
    by_file: dict[Path, list[SourceFunction]] = {}
    for function in located:
        by_file.setdefault(function.path, []).append(function)
    for path, functions in sorted(by_file.items()):
        try:
            source = read_source(path)
        except (OSError, SyntaxError, UnicodeDecodeError) as error:
            for function in functions:
                report.skipped[function.target] = f"its file cannot be read ({error})"
            continue
        edits = [
            Edit(f.spot, [e.lines for e in in_sequence(chosen.get(f.target, []))])
            for f in functions
        ]
        new_text, statuses = apply_edits(source.text, edits, source.encoding)
        for function in functions:
            status = statuses.get(function.spot, "")
            count = len(chosen.get(function.target, []))
            if status == "written" and count:
                report.written[function.target] = count
            elif status.startswith("skipped"):
                report.skipped[function.target] = status.removeprefix("skipped: ")
        if new_text != source.text:
            report.plan.add(path, new_text, source.encoding)


def _entry(fixture: Fixture, function: SourceFunction, examples: list[Example]) -> DocEntry:
    info = fixture.target
    summary = "" if function.summary == CREATED_SUMMARY else function.summary
    return DocEntry(
        info.module,
        info.qualname,
        info.signature,
        summary,
        [(*e.imports, *e.lines) for e in examples],
    )


def _project_identity(root: Path) -> tuple[str, str]:
    """The project's name and one-line description, from pyproject.toml when it has them."""
    default = ""  # the digest then says what it holds instead
    pyproject = root / "pyproject.toml"
    data: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except tomllib.TOMLDecodeError:
            data = {}
    return str(data.get("name", root.resolve().name)), str(data.get("description", default))
