"""Capture benchmarks: how much pytead costs the programs it traces.

Run it with the interpreter to measure (pytead installed in it)::

    python benchmarks/bench_capture.py            # a Markdown table on stdout
    python benchmarks/bench_capture.py --json     # the same figures as JSON

It reports, against bare Python and against MonkeyType when it is installed:

- start-up: ``pytead run`` on an empty script, minus ``python`` on the same script;
- past the limit: a trivial function called 1M times once its target reached the limit, as
  the ratio of the loop's own time and of the whole process's wall time;
- recording: the cost of one recorded call with small arguments (microseconds).

Figures are medians of several runs; machines are noisy, so this is a measurement, never a test.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _measure import clean_env, timed_runs

TRIVIAL = "def f(x):\n    return x + 1\n"
LOOP = """
import sys, time
from trivial import f

def main():
    total = 0
    start = time.perf_counter()
    for i in range(1_000_000):
        total += f(i)
    print(time.perf_counter() - start)

main()
"""


def _timed(command: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall time of *command*, and median of the float it prints last (loop time)."""
    results = timed_runs(command, cwd, runs)
    inner = [float(out.split()[-1]) if out.split() else 0.0 for _, out in results]
    return statistics.median(wall for wall, _ in results), statistics.median(inner)


def bench_start_up(work: Path, runs: int) -> dict[str, float]:
    (work / "empty.py").write_text("")
    bare, _ = _timed([sys.executable, "empty.py"], work, runs)
    traced, _ = _timed(
        [sys.executable, "-m", "pytead", "run", "-q", "trivial.f", "--", "empty.py"], work, runs
    )
    shutil.rmtree(work / "call_logs", ignore_errors=True)
    return {
        "bare_ms": bare * 1000,
        "pytead_ms": traced * 1000,
        "overhead_ms": (traced - bare) * 1000,
    }


def bench_past_limit(work: Path, runs: int) -> dict[str, float]:
    (work / "loop.py").write_text(LOOP)
    bare_wall, bare_loop = _timed([sys.executable, "loop.py"], work, runs)
    pytead = [sys.executable, "-m", "pytead", "run", "-q", "-l", "10", "trivial.f", "--", "loop.py"]
    traced_wall, traced_loop = _timed(pytead, work, runs)
    figures = {
        "bare_loop_s": bare_loop,
        "bare_wall_s": bare_wall,
        "pytead_loop_ratio": traced_loop / bare_loop,
        "pytead_wall_ratio": traced_wall / bare_wall,
    }
    monkeytype = shutil.which("monkeytype", path=str(Path(sys.executable).parent))
    if monkeytype:
        mt_wall, mt_loop = _timed([monkeytype, "run", "loop.py"], work, max(1, runs // 2))
        figures["monkeytype_loop_ratio"] = mt_loop / bare_loop
        figures["monkeytype_wall_ratio"] = mt_wall / bare_wall
    return figures


RECORDING = """
import sys, time
from pathlib import Path
sys.path.insert(0, ".")
from pytead._config import Config
from pytead._session import Session
from pytead._targets import resolve_targets
import trivial

calls = 20_000
start = time.perf_counter()
for i in range(calls):
    trivial.f(i)
bare = (time.perf_counter() - start) / calls
session = Session(Config(storage_dir=Path("call_logs"), limit=10**9, quiet=True))
session.install(resolve_targets(["trivial.f"]))
start = time.perf_counter()
for i in range(calls):
    trivial.f(i)
recorded = (time.perf_counter() - start) / calls
session.recorder.flush()
print(session.backend, (recorded - bare) * 1e6)
"""


def bench_recorded_call(work: Path, runs: int) -> dict[str, object]:
    (work / "recording.py").write_text(RECORDING)
    costs, backend = [], ""
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "recording.py"],
            cwd=work,
            env=clean_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        backend, cost = result.stdout.split()
        costs.append(float(cost))
        shutil.rmtree(work / "call_logs", ignore_errors=True)
    return {"backend": backend, "us_per_recorded_call": statistics.median(costs)}


def render_markdown(results: dict[str, Any]) -> str:
    """The figures as a Markdown table, with the targets from DESIGN.md."""
    start, past = results["start_up"], results["past_limit_1M_calls"]
    recorded = results["recorded_call"]
    target = "<= 1.05x" if sys.version_info >= (3, 12) else "<= 2.5x"
    rows = [
        ("`pytead run` start-up over bare python", f"{start['overhead_ms']:.0f} ms", "<= 80 ms"),
        ("1M calls past the limit, loop time vs bare", f"{past['pytead_loop_ratio']:.2f}x", target),
        ("1M calls past the limit, whole process vs bare", f"{past['pytead_wall_ratio']:.2f}x", ""),
    ]
    if "monkeytype_loop_ratio" in past:
        rows.append(("same loop under MonkeyType", f"{past['monkeytype_loop_ratio']:.1f}x", ""))
    rows.append(
        (
            "one recorded call, small arguments",
            f"{recorded['us_per_recorded_call']:.1f} us",
            "<= 20 us",
        )
    )
    lines = [
        f"## Capture on Python {results['python']} ({recorded['backend']} backend)",
        "",
        "| figure | measured | target |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {value} | {goal} |" for name, value, goal in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "trivial.py").write_text(TRIVIAL)
        results = {
            "python": platform.python_version(),
            "start_up": bench_start_up(work, args.runs * 2),
            "past_limit_1M_calls": bench_past_limit(work, args.runs),
            "recorded_call": bench_recorded_call(work, args.runs),
        }
    print(json.dumps(results, indent=2) if args.json else render_markdown(results))


if __name__ == "__main__":
    main()
