"""Fixtures are reviewed in pull requests: the same calls captured again change no byte.

Cases keep the order in which they were first observed and a later capture appends; counts and
timings, which change at every run, are kept only with ``--stats``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_pytead

from pytead._codec import decode
from pytead._store import load_fixture

TALLY = """
class Tally:
    def __init__(self):
        self.marks = []

    def mark(self, name):
        self.marks.append(name)
        return len(self.marks)
"""

# The calls go out of alphabetical and hash order on purpose: only first-seen order keeps them
# in the order the program made them.
MAIN = """
import sys
from tally import Tally

tally = Tally()
for name in ["zoe", "adam", "mia"] + sys.argv[1:]:
    tally.mark(name)
"""

FIXTURE = Path("call_logs/tally/Tally.mark.yaml")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "tally.py").write_text(TALLY)
    (tmp_path / "main.py").write_text(MAIN)
    return tmp_path


def capture(project: Path, *args: str, backend: str = "auto", **env: str) -> str:
    """``pytead run ARGS -- main.py``; ``--`` in *args* starts the program's own arguments."""
    words = list(args)
    own = words[words.index("--") + 1 :] if "--" in words else []
    words = words[: words.index("--")] if "--" in words else words
    result = run_pytead("run", *words, "--", "main.py", *own, cwd=project, backend=backend, **env)
    assert result.returncode == 0, result.stderr
    return (project / FIXTURE).read_text(encoding="utf-8")


def marked(project: Path) -> list[str]:
    return [str(decode(case.args["name"])) for case in load_fixture(project / FIXTURE).cases]


def test_capturing_the_same_calls_again_changes_no_byte(project: Path, backend: str) -> None:
    first = capture(project, "tally.Tally.mark", backend=backend)
    assert "seen" not in first and "duration_us" not in first
    assert marked(project) == ["zoe", "adam", "mia"]  # the order the program made them

    assert capture(project, "tally.Tally.mark", backend=backend) == first

    text = capture(project, "tally.Tally.mark", "--", "bob", backend=backend)  # one call more
    assert text.startswith(first)  # every byte kept; the new case appended at the end
    assert marked(project) == ["zoe", "adam", "mia", "bob"]


def test_stats_keep_counts_and_timings(project: Path) -> None:
    (project / "main.py").write_text(MAIN + "tally = Tally()\ntally.mark('zoe')\n")
    text = capture(project, "--stats", "tally.Tally.mark")
    assert "duration_us:" in text
    counts = {
        str(decode(case.args["name"])): case.seen for case in load_fixture(project / FIXTURE).cases
    }
    assert counts == {"zoe": 2, "adam": 1, "mia": 1}  # a fresh Tally marking zoe: the same call

    capture(project, "--stats", "tally.Tally.mark")
    assert load_fixture(project / FIXTURE).cases[0].seen == 4

    capture(project, "tally.Tally.mark", PYTEAD_STATS="1")
    assert load_fixture(project / FIXTURE).cases[0].seen == 6


def test_stats_can_be_set_in_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.pytead]\nstats = true\n")
    assert "seen: 1" in capture(project, "tally.Tally.mark")


PROCESSES = """
import multiprocessing
import sys
from tally import Tally

def work(names):
    tally = Tally()
    for name in names:
        tally.mark(name)

if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1])
    work(["parent"])
    children = [context.Process(target=work, args=(names,)) for names in (["x", "y"], ["b"])]
    for child in children:
        child.start()
    for child in children:
        child.join()
"""


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_calls_of_several_processes_land_in_the_same_order_every_time(
    tmp_path: Path, method: str
) -> None:
    texts = []
    for attempt in ("first", "second"):
        folder = tmp_path / attempt
        folder.mkdir()
        (folder / "tally.py").write_text(TALLY)
        (folder / "main.py").write_text(textwrap.dedent(PROCESSES))
        result = run_pytead("run", "tally.Tally.mark", "--", "main.py", method, cwd=folder)
        assert result.returncode == 0, result.stderr
        texts.append((folder / FIXTURE).read_text(encoding="utf-8"))
        names = marked(folder)
        assert sorted(names) == ["b", "parent", "x", "y"]
        assert names.index("y") == names.index("x") + 1  # one process's calls stay together
    assert texts[0] == texts[1]
