"""Show pytead's own API with real calls: record its public functions while its examples run,
then write those calls into pytead's docstrings and into ``docs/llms.txt``; refresh the home
page's showcase too (``docs/showcase.py``), which the examples also feed.

Run it from the repository root after changing an example or a public function::

    python docs/dogfood.py

The recorded calls land in ``docs/call_logs/`` (committed, like any fixtures, and left out of
the built site by ``exclude_docs`` in ``mkdocs.yml``, as this script is); the docs site shows
them through pytead's docstrings, and the test suite checks that the docstrings are up to date
with ``pytead enrich-docs --check``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "docs" / "call_logs"
#: The public functions whose real calls the API reference shows.
TARGETS = ("pytead.to_yaml", "pytead.to_source", "pytead.fixture_value")
#: The command that writes those calls into the docstrings (run from the repository root).
ENRICH = ("enrich-docs", "-s", "docs/call_logs", "pytead", "--llms-txt", "docs/llms.txt")


def pytead(*args: str, cwd: Path) -> None:
    """Run ``python -m pytead ARGS`` in *cwd*; stop at the first failure."""
    print(f"$ pytead {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, "-m", "pytead", *args], cwd=cwd, check=True)


def record_examples() -> None:
    """Run each example's flow, in a copy, recording calls of the public functions."""
    shutil.rmtree(STORE, ignore_errors=True)
    examples = (ROOT / "examples").iterdir()
    for example in sorted(p for p in examples if (p / "run_flow.py").is_file()):
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / example.name
            shutil.copytree(example, copy, ignore=shutil.ignore_patterns("__pycache__"))
            pytead("run", "-q", "-s", str(STORE), *TARGETS, "--", "run_flow.py", cwd=copy)


if __name__ == "__main__":
    from showcase import INDEX, expected_index  # beside this file, on sys.path as a script

    record_examples()
    pytead(*ENRICH, cwd=ROOT)
    INDEX.write_text(expected_index())
