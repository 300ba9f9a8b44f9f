"""A call that prints shows what it printed before its result, when a second run prints the same.

The recorded case keeps what ``main`` returned; the run verifying its example sees the report
printed before the ``0`` and the example is written again with those lines, as a REPL shows them.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_pytead, run_python

from pytead._docprinted import MAX_PRINTED_LINES, with_printed
from pytead._examples import Example

CLI = '''
import sys
import time


def main(argv):
    """Print each word of *argv* upper-cased; 1, with a usage line on stderr, when none."""
    if not argv:
        print("usage: cli WORD...", file=sys.stderr)
        return 1
    for word in argv:
        print(word.upper())
    if len(argv) > 2:
        print()
        print(f"{len(argv)} words")
    return 0


def stamp(label):
    """Print *label* with the time it was stamped."""
    print(label, time.perf_counter_ns())
    return len(label)
'''

MAIN = """
import cli

cli.main(["tea", "cup"])
cli.main(["a", "b", "c"])
cli.main([])
cli.stamp("now")
"""


def _enriched(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "cli.py").write_text(CLI)
    (tmp_path / "main.py").write_text(MAIN)
    for target in ("cli.main", "cli.stamp"):
        done = run_pytead("run", target, "--", "main.py", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return (tmp_path / "cli.py").read_text(), result.stderr


def test_what_a_call_printed_is_shown_before_its_result(tmp_path: Path) -> None:
    source, _ = _enriched(tmp_path)
    assert re.search(r'>>> main\(\["tea", "cup"\]\)\n *TEA\n *CUP\n *0\n', source), source
    blank = r'>>> main\(\["a", "b", "c"\]\)\n *A\n *B\n *C\n *<BLANKLINE>\n *3 words\n *0\n'
    assert re.search(blank, source), source
    assert re.search(r">>> main\(\[\]\)\n *1\n", source), source  # stderr is not doctest's
    done = run_python("-c", "import doctest, cli; print(doctest.testmod(cli))", cwd=tmp_path)
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout


def test_output_that_changes_from_run_to_run_is_never_shown(tmp_path: Path) -> None:
    source, said = _enriched(tmp_path)
    stamp = source[source.index("def stamp") :]
    assert ">>>" not in stamp, stamp
    assert "cli.stamp" in said and "today's code gives" in said, said


def test_printed_lines_doctest_would_misread_are_not_shown() -> None:
    call = Example("c1", (">>> report()", "0"), False, "int", outcome_at=1)
    assert with_printed(call, "ok\n") is not None
    # output without a line end: the result is written on its last line, as a REPL shows it
    assert with_printed(call, "ok").lines == (">>> report()", "ok0")  # type: ignore[union-attr]
    assert with_printed(call, "trailing \n") is None  # an editor strips the space
    assert with_printed(call, ">>> prompt\n") is None
    assert with_printed(call, "x\n" * (MAX_PRINTED_LINES + 1)) is None
    assert with_printed(call, "at 0x7f3a2b1c9d80\n") is None
