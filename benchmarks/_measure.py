"""What the benchmark scripts share: timing whole commands the way users run them."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path


def clean_env() -> dict[str, str]:
    """The environment minus pytead's settings, with bytecode caching on (as users run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEAD_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_runs(command: list[str], cwd: Path, runs: int) -> list[tuple[float, str]]:
    """Run *command* *runs* times; each run's wall time in seconds and its stdout."""
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=cwd, env=clean_env(), capture_output=True, text=True, check=True
        )
        results.append((time.perf_counter() - start, done.stdout))
    return results


def median_wall(command: list[str], cwd: Path, runs: int) -> float:
    """The median wall time of *command*, in seconds."""
    return statistics.median(wall for wall, _ in timed_runs(command, cwd, runs))
