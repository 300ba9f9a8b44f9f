"""Threads, forked and spawned children, a SIGKILL: no lost or corrupted records, limit kept."""

from __future__ import annotations

import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._codec import decode
from pytead._store import load_fixture

WORK = "def square(x):\n    return x * x\n"


def squares(project: Path) -> dict[int, int]:
    found = load_fixture(project / "call_logs" / "work" / "square.yaml")
    return {case.args["x"]: decode(case.outcome.value) for case in found.cases}  # type: ignore[attr-defined,misc]


def make(tmp_path: Path, script: str) -> Path:
    (tmp_path / "work.py").write_text(WORK)
    (tmp_path / "main.py").write_text(textwrap.dedent(script))
    return tmp_path


def test_eight_threads_respect_the_limit_exactly(tmp_path: Path, backend: str) -> None:
    project = make(
        tmp_path,
        """
        import threading
        from work import square

        def hammer(offset):
            for i in range(1000):
                square((i + offset) % 50)

        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print("done")
        """,
    )
    result = run_pytead(
        "run", "--limit", "5", "work.square", "--", "main.py", cwd=project, backend=backend
    )
    assert result.returncode == 0 and result.stdout == "done\n", result.stderr
    recorded = squares(project)
    assert len(recorded) == 5
    assert all(value == key * key for key, value in recorded.items())


SPAWNING = """
import multiprocessing
from work import square

def child(start):
    return [square(x) for x in range(start, start + 3)]

if __name__ == "__main__":
    square(100)
    context = multiprocessing.get_context("{method}")
    with context.Pool(2) as pool:
        print(sorted(sum(pool.map(child, [0, 10]), [])))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX-only")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_child_processes_land_their_calls_in_the_store(
    tmp_path: Path, backend: str, method: str
) -> None:
    project = make(tmp_path, SPAWNING.format(method=method))
    result = run_pytead("run", "work.square", "--", "main.py", cwd=project, backend=backend)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0, 1, 4, 100, 121, 144]\n"
    assert squares(project) == {100: 10000, 0: 0, 1: 1, 2: 4, 10: 100, 11: 121, 12: 144}
    assert not list((project / "call_logs/.pytead/journal").glob("*.jsonl"))


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_limit_holds_across_processes(tmp_path: Path, method: str) -> None:
    project = make(tmp_path, SPAWNING.format(method=method))
    result = run_pytead("run", "-l", "4", "work.square", "--", "main.py", cwd=project)
    assert result.returncode == 0, result.stderr
    assert len(squares(project)) == 4


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")
def test_calls_recorded_before_a_sigkill_are_recovered(tmp_path: Path, backend: str) -> None:
    project = make(
        tmp_path,
        """
        import os, signal
        from work import square
        for x in range(7):
            square(x)
        os.kill(os.getpid(), signal.SIGKILL)
        """,
    )
    killed = run_pytead("run", "work.square", "--", "main.py", cwd=project, backend=backend)
    assert killed.returncode == -signal.SIGKILL
    assert not (project / "call_logs/work/square.yaml").exists()  # nothing compacted yet...
    listing = run_pytead("list", cwd=project)  # ...the next pytead command picks the journal up
    assert "work.square" in listing.stdout and "7 case(s)" in listing.stdout
    assert squares(project) == {x: x * x for x in range(7)}


def test_the_original_code_comes_back_once_the_limit_is_reached(
    tmp_path: Path, backend: str
) -> None:
    project = make(
        tmp_path,
        """
        import work
        from work import square
        def pristine():
            module = compile(open(work.__file__).read(), work.__file__, "exec")
            return next(c for c in module.co_consts if getattr(c, "co_name", "") == "square")
        before = square.__code__ == pristine()
        square(1), square(2)
        from work import square as again
        print(before, square.__code__ == pristine(), again is square is work.square, square(3))
        """,
    )
    result = run_pytead(
        "run", "-l", "2", "work.square", "--", "main.py", cwd=project, backend=backend,
        PYTEAD_EXPLORE_CASES="0",  # closed at the limit, not after exploring past it
    )  # fmt: skip
    # sys.monitoring watches an equal copy of the code; instrumented code differs until restored.
    assert result.stdout == f"{backend == 'monitoring'} True True 9\n", result.stderr
    assert squares(project) == {1: 1, 2: 4}


DECORATED_SCRIPT = """
import multiprocessing
import pytead

@pytead.trace
def sq(x):
    return x * x

if __name__ == "__main__":
    sq(0)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        print(pool.map(sq, [1, 2, 3]))
        pool.close()
        pool.join()  # the workers end normally, running their exit handlers
"""


def test_a_traced_function_of_a_script_called_in_spawned_children(
    tmp_path: Path, backend: str
) -> None:
    """A spawned child runs the script again as ``__mp_main__``: its calls are the script's."""
    (tmp_path / "app.py").write_text(DECORATED_SCRIPT)
    result = run_python("app.py", cwd=tmp_path, backend=backend)
    assert result.returncode == 0 and result.stdout == "[1, 4, 9]\n", result.stderr
    summaries = [line for line in result.stderr.splitlines() if line.startswith("pytead:")]
    assert summaries == [
        "pytead: recorded 4 new case(s) of 1 target(s) in call_logs/ (4 case(s) in those fixtures)"
    ]
    assert sorted(path.name for path in (tmp_path / "call_logs").iterdir()) == [".pytead", "app"]
    fixture = load_fixture(tmp_path / "call_logs" / "app" / "sq.yaml")
    assert fixture.target.name == "app.sq"
    assert sorted(case.args["x"] for case in fixture.cases) == [0, 1, 2, 3]  # type: ignore[type-var]

    assert run_pytead("gen-tests", cwd=tmp_path).returncode == 0
    generated = (tmp_path / "tests" / "test_pytead_generated.py").read_text()
    assert "from app import sq" in generated
    tests = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=tmp_path)
    assert tests.returncode == 0 and "4 passed" in tests.stdout, tests.stdout


def test_a_child_that_outlives_its_parent_folds_its_own_calls(tmp_path: Path) -> None:
    project = make(
        tmp_path,
        """
        import os, sys, time
        from work import square

        parent = os.getpid()
        if os.fork() == 0:
            while os.getppid() == parent:  # a daemon's way: go on once the parent has ended
                time.sleep(0.01)
            square(7)
            sys.exit(0)
        square(1)
        """,
    )
    result = run_pytead("run", "work.square", "--", "main.py", cwd=project)
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and squares(project) != {1: 1, 7: 49}:
        time.sleep(0.1)
    assert squares(project) == {1: 1, 7: 49}
