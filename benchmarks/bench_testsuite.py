"""Test-suite benchmark: a real pytest run traced on 10 targets, against the same run untraced.

Run it with the interpreter to measure (pytead installed in it)::

    python benchmarks/bench_testsuite.py          # Markdown on stdout
    python benchmarks/bench_testsuite.py --json

It writes a throw-away project: a module of 10 small functions (string, list and dict work) and
a test suite of 400 tests calling them with varied inputs. It then times, as wall clock of the
whole process (median of several runs), ``python -m pytest -q`` against
``pytead run <10 targets> -- -m pytest -q``, the way a user traces their test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path

from _measure import median_wall

MODULE = """
def normalize(text):
    return " ".join(text.split()).lower()

def tokens(text):
    return normalize(text).split(" ")

def counts(words):
    result = {}
    for word in words:
        result[word] = result.get(word, 0) + 1
    return result

def top(counter, n=3):
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n]

def chunk(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]

def flatten(groups):
    return [item for group in groups for item in group]

def merge(left, right):
    merged = dict(left)
    for key, value in right.items():
        merged[key] = merged.get(key, 0) + value
    return merged

def initials(name):
    return "".join(part[0].upper() for part in name.split())

def checksum(text):
    return sum(ord(char) * (index + 1) for index, char in enumerate(text)) % 65521

def score(words, weights):
    return sum(weights.get(word, 1) for word in words)
"""

TESTS = """
import pytest
import textwork as t

TEXTS = [f"The quick brown fox {n} jumps over the lazy dog {n % 7}" for n in range(400)]


@pytest.mark.parametrize("text", TEXTS)
def test_pipeline(text):
    words = t.tokens(text)
    counter = t.counts(words)
    assert t.top(counter, 2)[0][1] >= 1
    groups = t.chunk(words, 3)
    assert t.flatten(groups) == words
    assert sum(t.merge(counter, counter).values()) == 2 * len(words)
    assert t.initials(text)[0] == "T"
    assert 0 <= t.checksum(t.normalize(text)) < 65521
    assert t.score(words, {"fox": 5}) >= len(words)
"""

TARGETS = [
    f"textwork.{name}"
    for name in (
        "normalize",
        "tokens",
        "counts",
        "top",
        "chunk",
        "flatten",
        "merge",
        "initials",
        "checksum",
        "score",
    )
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "textwork.py").write_text(MODULE)
        (root / "test_textwork.py").write_text(TESTS)
        pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_textwork.py"]
        bare = median_wall([sys.executable, *pytest], root, args.runs)
        traced = median_wall(
            [sys.executable, "-m", "pytead", "run", "-q", *TARGETS, "--", *pytest], root, args.runs
        )
    results = {
        "python": platform.python_version(),
        "tests": 400,
        "targets": len(TARGETS),
        "bare_s": bare,
        "traced_s": traced,
        "ratio": traced / bare,
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"## Traced test suite on Python {results['python']}\n")
    print("| figure | measured | target |\n|---|---|---|")
    print(f"| pytest, 400 tests, untraced | {bare:.2f} s | |")
    print(
        f"| same, `pytead run` on 10 targets | {traced:.2f} s ({results['ratio']:.2f}x) | <= 1.3x |"
    )


if __name__ == "__main__":
    main()
