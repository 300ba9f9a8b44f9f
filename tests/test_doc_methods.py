"""Receivers of docstring examples made as the program made them, or a one-line reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._built import Built
from pytead._docreceivers import NoReceiver, making_lines


def test_no_record_gives_one_short_reason() -> None:
    with pytest.raises(NoReceiver, match=r"^receiver cannot be built: pytead did not see") as info:
        making_lines("cart", {}, None, str)
    assert "\n" not in str(info.value)


def test_a_record_that_does_not_replay_is_refused() -> None:
    with pytest.raises(
        NoReceiver, match="replaying how the program made the instance raises LookupError"
    ):
        making_lines("cart", {"a": 1}, Built({}, ()), str)


TALLY = '''
class Tally:
    """A running count that starts from twice its seed."""

    def __init__(self, seed):
        self._count = seed * 2

    def bump(self, by):
        """Add *by* and return the new count."""
        self._count += by
        return self._count
'''


def test_a_method_example_builds_its_receiver_from_the_recorded_calls(tmp_path: Path) -> None:
    (tmp_path / "tally.py").write_text(TALLY)
    main = "from tally import Tally\nt = Tally(3)\nt.bump(1)\nt.bump(2)\n"
    (tmp_path / "main.py").write_text(main)
    assert run_pytead("run", "tally.Tally.bump", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "tally.py").read_text()
    assert ">>> tally = Tally(3)" in source or ">>> tally = Tally(seed=3)" in source, source
    assert ">>> _ = tally.bump(1)" in source, source
    assert "rebuild" not in source
    # doctest's own summary line changed wording in 3.13, so count through its API.
    count = "import doctest, tally; print(doctest.testmod(tally))"
    done = run_python("-c", count, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "failed=0," in done.stdout and "attempted=0" not in done.stdout, done.stdout
