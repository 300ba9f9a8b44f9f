"""Record textkit's calls from its own tests, generate tests from them, build the API docs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytead

HERE = Path(__file__).parent
PYTHON = sys.executable


def show_and_run(*command: str) -> None:
    print(f"\n$ {' '.join(command)}", flush=True)
    subprocess.run([PYTHON, "-m", *command], cwd=HERE, check=True)


show_and_run("pytead", "clean")
show_and_run(
    "pytead",
    "run",
    "textkit",
    "--",
    "-m",
    "pytest",
    "-q",
    "-p",
    "no:cacheprovider",
    "tests/test_textkit.py",
)
show_and_run("pytead", "gen-tests", "--parametrize", "-d", "tests/generated")
show_and_run("pytest", "-q", "-p", "no:cacheprovider", "tests/generated")
print(
    "\nA fixture value read back by the helper generated tests use:",
    pytead.fixture_value("!tuple [the, 2]"),
)
if shutil.which("mkdocs", path=str(Path(PYTHON).parent)):
    show_and_run("mkdocs", "build", "--strict", "--quiet")
    print("\nAPI pages with recorded examples: site/api/index.html")
else:
    print("\nmkdocs is not installed (pip install 'pytead[docs]'): skipping the site build")
