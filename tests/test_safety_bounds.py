"""Bounded, failure-proof end of a run: a fold killed at any point counts nothing twice, and a
full disk is one warning line, never a traceback or a changed exit code."""

from __future__ import annotations

import errno
import logging
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import run_python

import pytead._compact as compact_module
from pytead._compact import compact
from pytead._foldlog import FoldLog
from pytead._journal import Journal, journal_dir
from pytead._model import Case, Returned, TargetInfo, case_to_node, target_to_node
from pytead._store import fixture_path, load_fixture

ADD = TargetInfo("shop.add", "shop", "add", signature="(a)")
SUB = TargetInfo("shop.sub", "shop", "sub", signature="(a)")


class Killed(BaseException):
    """Stands for ``kill -9``: nothing after it runs, no ``except Exception`` catches it."""


def _journal(storage: Path, seen: int) -> None:
    """A finished journal of a process that saw each of two calls *seen* times, with stats."""
    journal = Journal(storage)
    for info in (ADD, SUB):
        header = {"k": "target", "t": info.name, "info": target_to_node(info), "limit": 10}
        journal.append({**header, "stats": True})
        case = Case(id="c1", args={"a": 1}, outcome=Returned(2), seen=1)
        journal.append({"k": "case", "t": info.name, "n": 0, "case": case_to_node(case)})
        journal.append({"k": "seen", "t": info.name, "counts": {"c1": seen}})
    journal.close()


def _seen(storage: Path) -> dict[str, int | None]:
    found = {}
    for info in (ADD, SUB):
        path = fixture_path(storage, info.module, info.qualname)
        found[info.name] = load_fixture(path).cases[0].seen if path.is_file() else None
    return found


def _kill_on_call(target: Callable[..., Any], number: int, *, before: bool) -> Callable[..., Any]:
    calls = {"n": 0}

    def killed(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == number and before:
            raise Killed
        result = target(*args, **kwargs)
        if calls["n"] == number:
            raise Killed
        return result

    return killed


#: Where the fold is cut: (what is patched, which call of it, before or after it runs).
KILL_POINTS = {
    "before the first fixture is written": ("write_text_atomic", 1, True),
    "after the first fixture is written": ("write_text_atomic", 1, False),
    "after the second fixture is written": ("write_text_atomic", 2, False),
    "before the journals are removed": ("_remove_journals", 1, True),
    "after the journals are removed": ("_remove_journals", 1, False),
}


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_a_fold_killed_at_any_point_is_completed_once_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    _journal(tmp_path, seen=3)
    _journal(tmp_path, seen=2)
    name, number, before = KILL_POINTS[point]
    real = getattr(compact_module, name)
    with monkeypatch.context() as patch:
        patch.setattr(compact_module, name, _kill_on_call(real, number, before=before))
        with pytest.raises(Killed):
            compact(tmp_path)
    compact(tmp_path)
    assert _seen(tmp_path) == {"shop.add": 5, "shop.sub": 5}
    compact(tmp_path)  # nothing left to fold: nothing changes
    assert _seen(tmp_path) == {"shop.add": 5, "shop.sub": 5}
    assert not list(journal_dir(tmp_path).glob("*.jsonl"))
    assert not FoldLog(tmp_path).path.exists()


def test_a_fold_killed_twice_in_a_row_still_counts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal(tmp_path, seen=3)
    real = compact_module.write_text_atomic
    for number in (1, 1):  # the first fold writes add, the second (recovering) writes sub
        with monkeypatch.context() as patch:
            patch.setattr(
                compact_module, "write_text_atomic", _kill_on_call(real, number, before=False)
            )
            with pytest.raises(Killed):
                compact(tmp_path)
    compact(tmp_path)
    assert _seen(tmp_path) == {"shop.add": 3, "shop.sub": 3}


def test_records_kept_aside_are_not_counted_again_after_a_kill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = fixture_path(tmp_path, "shop", "sub")
    broken.parent.mkdir(parents=True)
    broken.write_text("pytead: 1\ntarget: [\n", encoding="utf-8")
    _journal(tmp_path, seen=4)
    real = compact_module._remove_journals
    with monkeypatch.context() as patch:
        patch.setattr(compact_module, "_remove_journals", _kill_on_call(real, 1, before=True))
        with pytest.raises(Killed):
            compact(tmp_path)  # the leftover journal is written, the journal is still there
    compact(tmp_path)
    broken.unlink()
    compact(tmp_path)
    assert _seen(tmp_path) == {"shop.add": 4, "shop.sub": 4}


SIGKILLED_FOLD = """
import os, signal, sys
import pytead._compact as c

real = c.write_text_atomic
def write_then_die(path, text):
    real(path, text)
    os.kill(os.getpid(), signal.SIGKILL)

c.write_text_atomic = write_then_die
c.compact(__import__("pathlib").Path(sys.argv[1]))
"""


def test_a_fold_killed_by_sigkill_after_a_write_counts_nothing_twice(tmp_path: Path) -> None:
    storage = tmp_path / "store"
    _journal(storage, seen=3)
    (tmp_path / "fold.py").write_text(SIGKILLED_FOLD)
    result = run_python("fold.py", str(storage), cwd=tmp_path)
    assert result.returncode == -9
    assert _seen(storage) == {"shop.add": 3, "shop.sub": None}
    compact(storage)
    assert _seen(storage) == {"shop.add": 3, "shop.sub": 3}


def test_a_journal_that_cannot_be_written_is_one_warning_and_capture_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def full(_fd: int, _data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("pytead._journal._write_all", full)
    journal = Journal(tmp_path)
    with caplog.at_level(logging.WARNING, logger="pytead"):
        for _ in range(3):
            journal.append({"k": "case", "t": "shop.add"})
    (line,) = [r.getMessage() for r in caplog.records]
    assert "could not write the journal" in line and "No space left on device" in line


FULL_DISK = """
import errno, sys
import pytead
import pytead._compact, pytead._journal

def full(*args):
    raise OSError(errno.ENOSPC, "No space left on device")

if sys.argv[1] == "exit":
    pytead._compact.write_text_atomic = full
else:
    pytead._journal._write_all = full

@pytead.trace
def add(a):
    return a + 1

print(add(1), add(2))
sys.exit(3)
"""


@pytest.mark.parametrize("when", ["capture", "exit"])
def test_a_full_disk_is_one_warning_line_and_the_exit_code_is_the_programs(
    tmp_path: Path, when: str
) -> None:
    (tmp_path / "prog.py").write_text(textwrap.dedent(FULL_DISK))
    result = run_python("prog.py", when, cwd=tmp_path)
    assert result.returncode == 3 and result.stdout == "2 3\n"
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "No space left" in line]
    assert len(warnings) == 1 and warnings[0].startswith("pytead: could not write")
    if when == "exit":  # the calls wait in the journal for the next fold
        assert str(journal_dir(tmp_path / "call_logs")) in warnings[0]
        assert compact(tmp_path / "call_logs").added == 2
