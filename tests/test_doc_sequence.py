"""A docstring's examples run as one session: setup already standing is not typed again."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import run_pytead, run_python

from pytead._docsequence import in_sequence
from pytead._examples import Example, outcome_of

SETUP = (">>> from m import Box", ">>> box = Box(", "...     1,", "... )")


def _example(case_id: str, result: str, *, keeps: bool = True) -> Example:
    lines = (*SETUP, ">>> box.size()", result)
    return Example(case_id, lines, False, "", setup_end=len(SETUP), keeps_state=keeps, outcome_at=5)


def test_a_setup_left_as_made_is_not_repeated() -> None:
    first, second = in_sequence([_example("a", "1"), _example("b", "2")])
    assert first.lines == _example("a", "1").lines
    assert second.lines == (">>> box.size()", "2")
    assert outcome_of(second) == ("2",)


def test_a_setup_the_call_changed_is_made_again_but_not_imported_again() -> None:
    _, second = in_sequence([_example("a", "1", keeps=False), _example("b", "2")])
    assert second.lines == (*SETUP[1:], ">>> box.size()", "2")


def test_a_different_setup_is_kept() -> None:
    other = replace(_example("b", "2"), lines=(*SETUP[:2], "...     2,", *SETUP[3:], *SETUP[4:]))
    other = replace(other, lines=(*other.lines, ">>> box.size()", "2"))
    _, second = in_sequence([_example("a", "1"), other])
    assert second.lines[0] == ">>> box = Box(", second.lines


COUNTER = '''
class Counter:
    """Counts what it is given."""

    def __init__(self, start):
        self.start = start

    def plus(self, n):
        return self.start + n

    def bump(self, n):
        self.start += n
        return self.start
'''

MAIN = """
from counter import Counter
c = Counter(10)
c.plus(1)
c.plus(2)
c.plus(3)
d = Counter(1)
d.bump(1)
d = Counter(1)
d.bump(2)
"""


def test_a_docstring_makes_a_standing_instance_once(tmp_path: Path) -> None:
    (tmp_path / "counter.py").write_text(COUNTER)
    (tmp_path / "main.py").write_text(MAIN)
    targets = ("counter.Counter.plus", "counter.Counter.bump")
    assert run_pytead("run", *targets, "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "counter.py").read_text()
    plus, bump = source.split("def bump")
    assert plus.count(">>> counter = Counter(") == 1 and plus.count(">>> counter.plus(") == 3
    assert bump.count(">>> counter = Counter(") == 2, bump  # each bump changed it
    done = run_python(
        "-c", "import doctest, counter; print(doctest.testmod(counter))", cwd=tmp_path
    )
    assert "failed=0, attempted=8" in done.stdout, done.stdout
