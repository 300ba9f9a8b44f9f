"""The field benchmark: pytead on real PyPI packages' own test suites.

    python benchmarks/field/run.py [PACKAGE...] [--jobs N] [--mutants N] [--python PATH]

For each package of ``corpus.toml`` (all, or those named) it makes a fresh virtual environment
with the pinned package, its test needs and pytead built from this checkout; copies the tests
of the package's sdist; runs them untraced and under `pytead run` on the package's targets;
generates tests with `gen-tests --parametrize` and runs them on the unchanged package and on a
sample of mutants of the targets; and runs `enrich-docs` on a copy of the sources, checking
every byte outside pytead's sections. It prints a table, writes the figures as JSON under
``results/``, and, after a run of the whole corpus, rewrites ``docs/field-results.md``.

Use the Python to measure as the interpreter: ``"$(pyenv prefix 3.12)/bin/python3.12"
benchmarks/field/run.py`` runs the benchmark on 3.12 (and pytead's sys.monitoring backend).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fieldbench.corpus import Package, load_corpus  # noqa: E402
from fieldbench.pipeline import Settings, run_package  # noqa: E402
from fieldbench.report import overall, render_run, render_table  # noqa: E402

CHECKOUT = HERE.parent.parent
RESULTS = HERE / "results"
PAGE = CHECKOUT / "docs" / "field-results.md"

PAGE_HEADER = """\
# Field results

pytead run on the test suites of real PyPI packages that were not written for it, by the field
benchmark (`python benchmarks/field/run.py`; the corpus, pinned, with why each package is in it:
`benchmarks/field/corpus.toml`). For each package: its own tests, copied from its sdist, run
untraced and then under `pytead run` on about ten of its functions and methods; `gen-tests
--parametrize` on what was recorded, and the generated tests run on the unchanged package and on
up to 40 mutants of the traced functions; `enrich-docs` on a copy of its sources.

How to read the columns:

- **suite pass**: the package's own tests passing, untraced → traced. Any drop is a pytead bug.
- **time x**: wall time of the traced suite over the untraced one.
- **targets resolved/reached**: targets `pytead run` accepted, of those listed / targets that
  recorded at least one case. **cases**: cases recorded in all.
- **generated pass/fail/err/skip**: the generated tests on the unchanged package (an error is
  usually a module that does not import). **left out**: recorded cases gen-tests did not write
  as tests, each with its reason in its report (grouped below).
- **mutants killed**: mutants (swap `+`/`-`, negated comparison, constant + 1, `return None`,
  flipped boolean, dropped `if` body; one at a time) for which a generated test that passed on
  the original fails. **killed / reached**: the same, among the mutants on lines the generated
  tests run at all (a mutant on a line no recorded call reached cannot be caught by any test
  made from those calls: that part of the kill rate measures what was recorded, not the tests).
- **tests needing pytead**: generated tests (a table's rows counted one each) that call
  `pytead.rebuild` or `pytead.fixture_value`, for values with no other way to be written.
  **addresses**: memory-address shapes (`at 0x7f3a...`, a bare `0x` number of 9 or more hex
  digits, `@ 140654066821824`) in what gen-tests
  wrote, tests and snapshots: each would fail the next run.
- **examples added**: among the traced functions and methods (those with a recorded case)
  whose original docstring shows no examples of its own (no `Examples` heading, no `>>>`
  line), those that gained a pytead Examples section.
- **examples pass**: the doctest examples (`>>>` lines) of the added sections that pass when
  run in their module (a module that does not import fails all of its examples).
- **outcomes shown**: among those same functions, the ones with two or more distinct recorded
  outcomes (values returned or yielded, exception types raised; read from the fixtures with
  pytead's loader), whose added examples show two or more distinct outcomes (expected
  outputs, exception types, a call that prints nothing for None): one example repeated
  three times teaches less than a result and an error.
- **bytes kept**: with pytead's sections removed, every edited file is byte-identical to the
  original. **2nd run same**: running `enrich-docs` again changes nothing.

Below each table, for each package, the failures seen: the step a package stopped at, refused
targets, and the generated tests' failure messages grouped by kind (values blanked), and how
gen-tests built the values its tests spell (literal, constructor, recorded call, history, repr,
rebuild, fixture_value), and for each traced function that got no example, the reason
`enrich-docs` gave (from its `--report-json` report when it has one, else from what it printed),
grouped. The baseline beside each table is a run of the code as it was before the
latest round of work, on the same machine and day.
"""


def build_wheel(work: Path) -> Path:
    """pytead's wheel, built once from this checkout for every package's environment."""
    out = work / "wheel"
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out)]
    subprocess.run([*command, str(CHECKOUT)], check=True, capture_output=True, text=True)
    return next(out.glob("pytead-*.whl"))


def interpreter_version(python: Path) -> str:
    command = [str(python), "-c", "import platform; print(platform.python_version())"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def machine() -> str:
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"


def run_corpus(packages: list[Package], settings: Settings, jobs: int) -> list[dict[str, Any]]:
    """Every package's result, in corpus order; up to *jobs* packages at a time."""

    def one(package: Package) -> dict[str, Any]:
        start = time.perf_counter()
        print(f"field benchmark: {package.pin} ...", file=sys.stderr, flush=True)
        row = run_package(package, settings)
        row["seconds"] = round(time.perf_counter() - start, 1)
        print(f"field benchmark: {package.pin} done in {row['seconds']:.0f} s", file=sys.stderr)
        return row

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, packages))


def write_page(results: Path, page: Path) -> None:
    """The results page: the latest whole-corpus run of each Python version, beside its
    baseline (``baseline-pyX.Y.json``, the figures later work is measured against)."""
    sections = []
    for path in sorted(results.glob("latest-py*.json"), key=_version_key):
        baseline_path = path.with_name(path.name.replace("latest-", "baseline-"))
        baseline = json.loads(baseline_path.read_text()) if baseline_path.exists() else None
        sections.append(render_run(json.loads(path.read_text()), baseline))
    text = PAGE_HEADER + "\n" + "\n".join(sections)
    page.write_text(text.rstrip() + "\n", encoding="utf-8")


def _version_key(path: Path) -> list[int]:
    return [int(part) for part in path.stem.removeprefix("latest-py").split(".")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", metavar="PACKAGE", help="only these (default all)")
    parser.add_argument("--python", type=Path, default=Path(sys.executable))
    parser.add_argument("--jobs", type=int, default=2, help="packages at a time (default 2)")
    parser.add_argument("--mutants", type=int, default=40, help="mutants per package (40)")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "pytead-field", metavar="DIR"
    )
    args = parser.parse_args(argv)
    corpus = load_corpus()
    packages = corpus.select(args.packages)
    version = interpreter_version(args.python)
    work = args.work / f"py{version}"
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    settings = Settings(
        python=args.python,
        wheel=build_wheel(work),
        requirements=corpus.requirements,
        work=work,
        cache=args.work / "sdists",
        mutants=args.mutants,
    )
    rows = run_corpus(packages, settings, args.jobs)
    result = {
        "python": version,
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(time.perf_counter() - start, 1),
        "packages": rows,
        "overall": overall(rows),
    }
    print(render_table(rows))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    named = "all" if not args.packages else "-".join(args.packages)
    (RESULTS / f"{stamp}-py{version}-{named}.json").write_text(json.dumps(result, indent=1))
    if not args.packages:
        (RESULTS / f"latest-py{'.'.join(version.split('.')[:2])}.json").write_text(
            json.dumps(result, indent=1)
        )
        write_page(RESULTS, PAGE)
        print(f"field benchmark: wrote {PAGE.relative_to(CHECKOUT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
