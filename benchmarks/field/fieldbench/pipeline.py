"""One package through the field benchmark: set up, trace its suite, generate, mutate, document.

Each stage fills its part of the package's result (a JSON-ready dict); a stage that fails raises
`StepFailed`, which ends that package's run with the step and the first line of the error, and
the figures gathered so far stay in its row.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tarfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldbench import docfigures, mutate, sections
from fieldbench.corpus import Package
from fieldbench.generated import inspect_generated, roads
from fieldbench.report import failure_class, failure_reasons
from fieldbench.steps import Done, Outcomes, StepFailed, error_line, read_junit, run_command

PROBE = Path(__file__).resolve().parent / "probe.py"

#: Seconds each kind of step may take before it is killed.
TIMEOUTS = {
    "venv": 600,
    "sdist": 300,
    "suite": 600,
    "resolve": 60,
    "gen-tests": 600,
    "generated": 600,
    "mutant": 120,
    "enrich-docs": 900,
    "probe": 300,
}


@dataclass(frozen=True)
class Settings:
    """What every package's run shares.

    Attributes:
        python: The interpreter the package environments are made with.
        wheel: pytead's wheel, built from this checkout.
        requirements: What every environment gets besides the package (pytest, pinned).
        work: The folder for this package's files (emptied first).
        cache: Where downloaded sdists are kept between runs.
        mutants: The most mutants to run per package.
    """

    python: Path
    wheel: Path
    requirements: Sequence[str]
    work: Path
    cache: Path
    mutants: int


class PackageRun:
    """The state of one package's run: its folders, environment and result so far."""

    def __init__(self, package: Package, settings: Settings) -> None:
        self.package = package
        self.settings = settings
        self.root = settings.work / package.name
        self.venv = self.root / "venv"
        self.project = self.root / "project"
        self.result: dict[str, Any] = {"name": package.name, "version": package.version}

    # -- helpers -------------------------------------------------------------------------------

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a step: clean of pytead's and Python's settings, bytecode on."""
        dropped = ("PYTEAD_", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "VIRTUAL_ENV", "PYTEST_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env.update(extra)
        return env

    def run(
        self,
        step: str,
        command: Sequence[str | Path],
        *,
        cwd: Path | None = None,
        check: bool = True,
        env: Mapping[str, str] | None = None,
        timeout: str | None = None,
    ) -> Done:
        done = run_command(
            command,
            cwd=cwd or self.project,
            env=env or self.env(),
            timeout=TIMEOUTS[timeout or step],
            step=step,
        )
        if check and done.returncode != 0:
            raise StepFailed(step, error_line(done))
        return done

    def probe(self, *args: str | Path, **env: str) -> Any:
        done = self.run("probe", [self.bin / "python", PROBE, *args], env=self.env(**env))
        return json.loads(done.stdout)

    def pytest(self, step: str, paths: Sequence[str], junit: str, **env: str) -> Done:
        command = [self.bin / "python", "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider"]
        command += [f"--junitxml={self.root / junit}"]
        return self.run(step, command, check=False, env=self.env(**env), timeout=step)

    # -- stages --------------------------------------------------------------------------------

    def prepare(self) -> None:
        """The environment, then the suite untraced and traced: what the other stages need."""
        self.set_up()
        self.suites()

    def tests(self) -> None:
        """The generated tests, on the package and on its mutants."""
        self.mutation(self.generate())

    def set_up(self) -> None:
        """A fresh environment with the package, its test needs and pytead; its tests copied."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.project.mkdir(parents=True)
        python = self.settings.python
        self.run("venv", [python, "-m", "venv", self.venv], cwd=self.root)
        requirements = [*self.settings.requirements, self.package.pin, *self.package.deps]
        install = [self.bin / "python", "-m", "pip", "install", "-q", *self.package.pip_options]
        self.run("venv", [*install, *requirements, self.settings.wheel], cwd=self.root)
        self._copy_tests(self._sdist())
        (self.project / "pytest.ini").write_text(self.package.ini, encoding="utf-8")
        (self.project / "pyproject.toml").write_text(self.pyproject(), encoding="utf-8")
        (self.project / "noop.py").write_text("", encoding="utf-8")

    def pyproject(self) -> str:
        """The ``pyproject.toml`` of the work folder: it trusts the package's modules.

        The package is installed, not the project's own code, so fixtures may name its
        classes only because this says so, as a user trusts a library they trace.
        """
        trusted = ", ".join(json.dumps(name) for name in self.package.imports)
        return f"[tool.pytead]\ntrusted-types = [{trusted}]\n"

    def _sdist(self) -> Path:
        cache = self.settings.cache
        cache.mkdir(parents=True, exist_ok=True)
        stem = f"{self.package.name.replace('-', '_')}-{self.package.version}".lower()
        found = [path for path in cache.glob("*.tar.gz") if path.name.lower().startswith(stem)]
        if not found:
            command = [self.bin / "python", "-m", "pip", "download", "-q", "--no-binary", ":all:"]
            self.run("sdist", [*command, "--no-deps", "-d", cache, self.package.pin], cwd=cache)
            found = [path for path in cache.glob("*.tar.gz") if path.name.lower().startswith(stem)]
        if not found:
            raise StepFailed("sdist", f"no sdist of {self.package.pin} was downloaded")
        return found[0]

    def _copy_tests(self, sdist: Path) -> None:
        unpacked = self.root / "sdist"
        with tarfile.open(sdist) as archive:
            archive.extractall(unpacked, filter="data")
        top = next(unpacked.iterdir())
        source = top / self.package.tests
        if not source.is_dir():
            raise StepFailed("sdist", f"{self.package.tests}/ is not in {sdist.name}")
        shutil.copytree(source, self.project / self.package.tests_folder)
        for name in self.package.copy:
            target = self.project / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(top / name, target)

    def suites(self) -> None:
        """The suite untraced, then traced on the targets that resolve."""
        args = [self.package.tests_folder, *self.package.pytest_args]
        self.pytest("suite", args, "untraced.xml")  # warm-up: imports compile to bytecode once
        untraced = self.pytest("suite", args, "untraced.xml")
        before = read_junit(self.root / "untraced.xml")
        self.result["suite"] = {"untraced": _counts(before, untraced.seconds)}
        if not before.tests:
            raise StepFailed("suite", error_line(untraced))
        resolved = self._resolve_targets()
        command = [self.bin / "pytead", "run", "-s", "call_logs", *resolved, "--", "-m", "pytest"]
        command += [*args, "-q", "-p", "no:cacheprovider", f"--junitxml={self.root / 'traced.xml'}"]
        traced = self.run("traced suite", command, check=False, timeout="suite")
        after = read_junit(self.root / "traced.xml")
        if not after.tests:
            raise StepFailed("traced suite", error_line(traced))
        changed = changed_outcomes(before, after)
        self.result["suite"].update(
            traced=_counts(after, traced.seconds),
            ratio=round(traced.seconds / max(untraced.seconds, 1e-6), 2),
            changed=len(changed),
            changed_tests=[f"{test}: {after.messages.get(test, '')}" for test in changed[:20]],
            pytead=_last_line(traced.stderr, "pytead:"),
        )
        cases = self.probe("fixtures", self.project / "call_logs")
        self.result["targets"].update(
            reached=sum(1 for count in cases.values() if count), cases=sum(cases.values())
        )

    def _resolve_targets(self) -> list[str]:
        resolved, refused = [], {}
        for target in self.package.targets:
            done = self.run(
                "resolve", [self.bin / "pytead", "run", target, "--", "noop.py"], check=False
            )
            if done.returncode == 0:
                resolved.append(target)
            else:
                refused[target] = error_line(done)
        self.result["targets"] = {
            "listed": len(self.package.targets),
            "resolved": len(resolved),
            "refused": refused,
        }
        shutil.rmtree(self.project / "call_logs", ignore_errors=True)
        if not resolved:
            raise StepFailed("resolve", "no target resolved")
        return resolved

    def generate(self) -> Outcomes:
        """`gen-tests --parametrize`, then the generated tests on the unchanged package."""
        command = [self.bin / "pytead", "gen-tests", "--parametrize", "-s", "call_logs"]
        done = self.run("gen-tests", [*command, "-d", "generated"], check=False)
        self.result["gentests"] = {
            "exit": done.returncode,
            "error": error_line(done) if done.returncode else "",
            "summary": _last_line(done.stdout + done.stderr, "pytead:"),
            "roads": roads(done.stdout + done.stderr),
            **left_out_cases(done.stderr),
        }
        if (self.project / "generated").is_dir():
            self.result["gentests"].update(inspect_generated(self.project / "generated"))
        if not (self.project / "generated").is_dir():
            if done.returncode:
                raise StepFailed("gen-tests", error_line(done))
            return Outcomes()
        ran = self.pytest("generated", ["generated"], "generated.xml")
        outcomes = read_junit(self.root / "generated.xml")
        self.result["gentests"].update(
            _counts(outcomes, ran.seconds), reasons=failure_reasons(outcomes)
        )
        return outcomes

    def mutation(self, generated: Outcomes) -> None:
        """Mutants of the target functions, each run against the generated tests."""
        self.result["mutation"] = {"mutants": 0, "killed": 0, "survived": []}
        if not generated.passed():
            return
        located = self.probe("locate", *self.package.targets)
        copy_root = self.root / "mutants"
        site = Path(located["site"])
        self._copy_package(site, copy_root)
        mutants = _list_mutants(located, site, copy_root)
        chosen = mutate.sample(mutants, size=self.settings.mutants, seed=self.package.pin)
        baseline = self._mutant_outcome(copy_root, None).passed()
        executed = self._executed_lines(copy_root)
        self.result["mutation"].update(
            mutants=len(chosen), listed=len(mutants), reached=0, killed_reached=0
        )
        for mutant in chosen:
            outcome = self._mutant_outcome(copy_root, mutant)
            killed = outcome is None or bool(baseline - outcome.passed())
            reached = mutant.line in executed.get(mutant.path, ())
            self.result["mutation"]["killed"] += killed
            self.result["mutation"]["reached"] += reached
            self.result["mutation"]["killed_reached"] += killed and reached
            if not killed:
                where = "" if reached else " (never run by the generated tests)"
                self.result["mutation"]["survived"].append(f"{mutant.target} {mutant.label}{where}")

    def _executed_lines(self, copy_root: Path) -> dict[str, set[int]]:
        """The lines of the package copy that the generated tests run, by file."""
        out = self.root / "lines.json"
        env = self.env(PYTHONPATH=str(copy_root), PYTHONDONTWRITEBYTECODE="1")
        command = [self.bin / "python", PROBE, "lines", out, copy_root, "generated"]
        self.run("mutant", command, check=False, env=env)
        if not out.is_file():
            return {}
        return {path: set(lines) for path, lines in json.loads(out.read_text()).items()}

    def _copy_package(self, site: Path, destination: Path) -> None:
        destination.mkdir(parents=True, exist_ok=True)
        for name in self.package.imports:
            if (site / name).is_dir():
                shutil.copytree(site / name, destination / name, ignore=_no_bytecode)
            elif (site / f"{name}.py").is_file():
                shutil.copy2(site / f"{name}.py", destination / f"{name}.py")

    def _mutant_outcome(self, copy_root: Path, mutant: mutate.Mutant | None) -> Outcomes | None:
        """The generated tests' outcomes with *mutant* applied (None: the run timed out)."""
        path = copy_root / mutant.path if mutant else None
        original = path.read_text(encoding="utf-8") if path else ""
        if path and mutant:
            path.write_text(mutate.apply_mutant(original, mutant), encoding="utf-8")
        junit = self.root / "mutant.xml"
        junit.unlink(missing_ok=True)
        try:
            env = {"PYTHONPATH": str(copy_root), "PYTHONDONTWRITEBYTECODE": "1"}
            self.pytest("mutant", ["generated"], "mutant.xml", **env)
        except StepFailed:
            return None
        finally:
            if path:
                path.write_text(original, encoding="utf-8")
        return read_junit(junit)

    def documentation(self) -> None:
        """`enrich-docs` on a copy of the sources: what it added, and what else it changed."""
        docs = self.root / "docsrc"
        located = self.probe("locate")
        site = Path(located["site"])
        self._copy_package(site, docs)
        before = _snapshot(docs)
        env = self.env(PYTHONPATH=str(docs))
        command = [self.bin / "pytead", "enrich-docs", "-s", "call_logs", docs]
        report = self.root / "docs-report.json"
        report.unlink(missing_ok=True)
        asked = [*command, "--report-json", report] if self._reports_json() else command
        first = self.run("enrich-docs", asked, check=False, env=env)
        after = _snapshot(docs)
        changed = sorted(path for path in after if after[path] != before.get(path))
        self.result["docs"] = {
            "exit": first.returncode,
            "error": error_line(first) if first.returncode else "",
            "summary": _last_line(first.stdout + first.stderr, "pytead:"),
            "files_changed": len(changed),
            **_damage(before, after, changed),
        }
        if changed:
            found = self.probe(
                "doctests", docs, *(docs / path for path in changed), PYTHONPATH=str(docs)
            )
            self.result["docs"].update(
                functions=found["sections"],
                examples=found["examples"],
                passed=found["passed"],
                doctest_failures=found["failures"][:20],
            )
        self.run("enrich-docs", command, check=False, env=env)
        self.result["docs"]["idempotent"] = _snapshot(docs) == after
        self._doc_figures(site, docs, first, report)

    def _reports_json(self) -> bool:
        """Whether this pytead's enrich-docs writes a JSON report (``--report-json``)."""
        done = self.run("enrich-docs", [self.bin / "pytead", "enrich-docs", "--help"], check=False)
        return "--report-json" in done.stdout

    def _doc_figures(self, site: Path, docs: Path, first: Done, report: Path) -> None:
        """Examples added, outcomes shown and why functions got none, from the fixtures and
        the docstrings before and after; the reasons from enrich-docs' report or output."""
        targets = self.probe("targets", self.project / "call_logs", site, docs)
        written = _read(report) if report.is_file() else None
        reasons, source = docfigures.enrich_reasons(first.stdout + first.stderr, written)
        for target in targets:
            if target.get("cases") and not target.get("section"):
                target["reason"] = reasons.get(target["target"], docfigures.NO_REASON)
        self.result["docs"].update(
            docfigures.doc_figures(targets, reasons), reasons_from=source, targets=targets
        )


_LEFT_OUT = re.compile(r"^pytead: left out (?P<target>\S+) case (?P<case>\S+): (?P<reason>.*)$")
_TARGET_WARNING = re.compile(
    r"^pytead: warning: (?P<why>.*) \((?P<count>\d+) case\(s\) left out\)$"
)


def left_out_cases(report: str) -> dict[str, Any]:
    """The cases gen-tests said it left out, counted, and their reasons grouped by kind."""
    reasons: Counter[str] = Counter()
    for line in report.splitlines():
        if match := _LEFT_OUT.match(line):
            reasons[failure_class(match["reason"])] += 1
        elif match := _TARGET_WARNING.match(line):
            reasons[failure_class(match["why"])] += int(match["count"])
    return {"left_out": sum(reasons.values()), "left_out_reasons": dict(reasons.most_common(8))}


def changed_outcomes(before: Outcomes, after: Outcomes) -> list[str]:
    """Tests that passed untraced and did not pass traced.

    Some suites name tests after the clock or a random draw (``test_x[21:11:44]``): a passing
    test whose id vanished counts only when no new test of the same function passed instead.
    """
    kept = before.passed() & after.tests.keys()
    changed = sorted(test for test in kept if after.tests[test] != "passed")
    renamed = Counter(_unparametrized(test) for test in after.passed() - before.tests.keys())
    for test in sorted(before.passed() - after.tests.keys()):
        if renamed[_unparametrized(test)] > 0:
            renamed[_unparametrized(test)] -= 1
        else:
            changed.append(test)
    return changed


def _unparametrized(test: str) -> str:
    return test.partition("[")[0]


def _no_bytecode(_folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__" or name.endswith(".pyc")]


def _list_mutants(located: dict[str, Any], site: Path, copy_root: Path) -> list[mutate.Mutant]:
    mutants: list[mutate.Mutant] = []
    for target, where in located["targets"].items():
        file = where.get("file")
        if not file or not Path(file).is_relative_to(site):
            continue
        relative = str(Path(file).relative_to(site))
        source = (copy_root / relative).read_text(encoding="utf-8")
        mutants += mutate.list_mutants(
            source, target=target, path=relative, qualname=where["qualname"]
        )
    return mutants


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every ``.py`` file under *folder*: its bytes and its mode."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mode)
        for path in sorted(folder.rglob("*.py"))
    }


def _damage(
    before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]], changed: list[str]
) -> dict[str, Any]:
    """What enrich-docs changed outside its sections: bytes, syntax, file modes."""
    damaged, broken, modes = [], [], []
    for path in changed:
        old, new = before.get(path, (b"", 0)), after[path]
        same, where = sections.same_outside_sections(
            old[0].decode("utf-8", "surrogateescape"), new[0].decode("utf-8", "surrogateescape")
        )
        if not same:
            damaged.append(f"{path} {where}")
        try:
            compile(new[0], path, "exec")
        except (SyntaxError, ValueError) as error:
            broken.append(f"{path}: {error}")
        if old[1] != new[1]:
            modes.append(f"{path}: {old[1]:o} -> {new[1]:o}")
    return {
        "bytes_preserved": not damaged,
        "damaged": damaged[:20],
        "compiles": not broken,
        "broken": broken[:20],
        "modes_kept": not modes,
        "modes": modes[:20],
    }


def _counts(outcomes: Outcomes, seconds: float) -> dict[str, Any]:
    return {
        "tests": len(outcomes.tests),
        "passed": outcomes.count("passed"),
        "failed": outcomes.count("failed"),
        "errors": outcomes.count("error"),
        "skipped": outcomes.count("skipped"),
        "seconds": round(seconds, 2),
    }


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _last_line(text: str, prefix: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return lines[-1][:300] if lines else ""


def run_package(package: Package, settings: Settings) -> dict[str, Any]:
    """Every stage for *package*; its result, with the steps that failed and why.

    Without its suite's figures nothing else can run; the tests and the docs are independent
    of each other, so a failure in one still lets the other run.
    """
    state = PackageRun(package, settings)
    state.result["failed"] = []
    stages: list[Callable[[], None]] = [state.prepare, state.tests, state.documentation]
    for index, stage in enumerate(stages):
        try:
            stage()
        except StepFailed as failure:
            state.result["failed"].append({"step": failure.step, "reason": failure.reason})
        except Exception as error:  # the benchmark's own fault: report it in the row, go on
            reason = f"{type(error).__name__}: {error}"
            state.result["failed"].append({"step": "benchmark", "reason": reason})
            print(f"field benchmark: {package.name}: {error!r}", file=sys.stderr)
        else:
            continue
        if index == 0:
            break
    return state.result
