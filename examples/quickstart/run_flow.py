"""Run the whole pytead flow on the quickstart: record, inspect, generate tests, run, document."""

import subprocess
import sys
from pathlib import Path

import pytead

HERE = Path(__file__).parent


def step(*command: str) -> None:
    """Run one command here, as you would type it, and stop at the first failure."""
    print(f"\n$ {' '.join(command)}", flush=True)
    program = [sys.executable, "-m", "pytead"] if command[0] == "pytead" else [sys.executable]
    subprocess.run([*program, *command[1:]], cwd=HERE, check=True)


step("pytead", "clean")
step("pytead", "run", "calc", "--", "main.py")
step("pytead", "show", "calc")
step("pytead", "gen-tests")
step("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
step("pytead", "enrich-docs", "--pages", "docs/api")
print("\nHow pytead writes a bill split in a fixture:")
print(pytead.to_yaml({"ann": 30.0, "bob": 30.0, "shares": (1, 2)}))
