"""gen-tests benchmark: how long ``pytead gen-tests`` takes on 100 targets x 100 cases.

Run it with the interpreter to measure (pytead installed in it)::

    python benchmarks/bench_gentests.py          # Markdown on stdout
    python benchmarks/bench_gentests.py --json

It writes a throw-away project with a module of 100 functions and a fixture of 100 cases for
each (ints, strings, lists, dicts, a raised exception now and then), then times the whole
command, both styles, as a user runs it (a fresh process each time; median of several runs):
writing the tests (``--no-verify``), and writing them after running them (the default).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path

from _measure import median_wall

TARGETS = 100
CASES = 100


def write_project(root: Path) -> None:
    """A module of TARGETS functions and their fixtures, written directly (no capture)."""
    from pytead._model import Case, Fixture, Raised, Returned, TargetInfo
    from pytead._store import fixture_path, write_fixture

    body = (
        "    if a % 10 == 0:\n        raise ValueError(f'bad {a}')\n"
        "    return {'sum': a + b, 'label': f'case {a}'}\n"
    )  # what the fixtures below say it does, so the tests pass when verified
    functions = [f"def f{n}(a, b=1, tags=()):\n{body}" for n in range(TARGETS)]
    (root / "bulk.py").write_text("\n\n".join(functions))
    for n in range(TARGETS):
        info = TargetInfo(f"bulk.f{n}", "bulk", f"f{n}", signature="(a, b=1, tags=())")
        cases = []
        for c in range(CASES):
            args = {"a": c, "b": n, "tags": [f"t{c % 7}", f"u{c % 3}"]}
            outcome = (
                Raised("builtins.ValueError", f"bad {c}")
                if c % 10 == 0
                else Returned({"sum": c + n, "label": f"case {c}"})
            )
            cases.append(Case(id=f"{n:04x}{c:04x}", args=args, outcome=outcome))  # type: ignore[arg-type]
        write_fixture(
            fixture_path(root / "call_logs", "bulk", f"f{n}"),
            Fixture(info).replace_cases(tuple(cases)),
        )


def time_command(root: Path, extra: list[str], runs: int) -> float:
    return median_wall([sys.executable, "-m", "pytead", "gen-tests", *extra], root, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_project(root)
        results = {
            "python": platform.python_version(),
            "targets": TARGETS,
            "cases_per_target": CASES,
            "plain_s": time_command(root, ["--no-verify", "-o", "tests/test_plain.py"], args.runs),
            "parametrize_s": time_command(
                root, ["--no-verify", "--parametrize", "-o", "tests/test_param.py"], args.runs
            ),
            # The same, with the planned tests run (twice, then once more) before writing.
            "verified_s": time_command(
                root, ["--parametrize", "-o", "tests/test_verified.py"], args.runs
            ),
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"## gen-tests on Python {results['python']}\n")
    print("| figure | measured | target |\n|---|---|---|")
    plain = f"gen-tests, {TARGETS} targets x {CASES} cases, one test per case"
    print(f"| {plain} | {results['plain_s']:.2f} s | <= 3 s |")
    print(f"| same, `--parametrize` | {results['parametrize_s']:.2f} s | <= 3 s |")
    print(f"| same, verified (the tests run before writing) | {results['verified_s']:.2f} s | |")


if __name__ == "__main__":
    main()
