"""`gen-tests` runs what it plans before writing it: a case whose test fails on unchanged code
(the clock, a random draw, a locale or a registry the program set, the order of the tests) is
left out with its reason, a hung test is stopped, and `--check` stays stable."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool

from pytead import _verify
from pytead._store import load_fixture
from pytead._testgen import GeneratedModule
from pytead._verified import judge
from pytead._verify import Candidate, Verdicts, run_planned

STAMPS = """
import datetime
import locale
import random
import time
from pathlib import Path

_UNITS = {"length": "m"}
_SEEN = []


def stamp(name):
    return f"{name}-{datetime.datetime.now().isoformat()}"


def dated(day):
    return f"{day:%d/%m/%Y} ({locale.setlocale(locale.LC_TIME)})"


def draw(sides):
    return random.random() * sides


def use_unit(unit):
    _UNITS["length"] = unit


def measure(value):
    return f"{value} {_UNITS['length']}"


def remember(item):
    _SEEN.append(item)
    return len(_SEEN)


def wait_for(name):
    while not Path(name).exists():
        time.sleep(0.05)
    return name


def record(name):
    return {"name": name, "meta": {"at": datetime.datetime.now().isoformat(), "tags": [[[1]]]}}


def profile(name):
    return {"name": name, "meta": {"tags": [[[1, 2]]]}}


def add(a, b):
    return a + b
"""

STAMPS_MAIN = """
import datetime
import locale
from pathlib import Path

import stamps

locale.setlocale(locale.LC_TIME, "C.UTF-8")
stamps.stamp("job")
stamps.dated(datetime.date(2024, 5, 1))
stamps.draw(6)
stamps.use_unit("ft")
stamps.measure(3)
stamps.remember("a")
stamps.remember("b")
Path("ready.flag").write_text("")
stamps.wait_for("ready.flag")
Path("ready.flag").unlink()
stamps.record("job")
stamps.profile("ann")
stamps.add(2, 3)
"""

#: Each target, and why its case cannot be a passing test (None: it can).
EXPECTED = {
    "stamps.stamp": "fails when run: AssertionError: assert 'job-",
    "stamps.dated": "fails when run: AssertionError: assert '01/05/2024 (C)' == '01/05/2024 (C.",
    "stamps.draw": "fails when run: ",
    "stamps.measure": "fails when run: AssertionError: assert '3 m' == '3 ft'",
    "stamps.wait_for": "did not finish: it ran longer than 2 s and was stopped",
    "stamps.record": "fails when run: AssertionError: assert [- snapshot] == [+ received]",
    "stamps.profile": None,
    "stamps.add": None,
    "stamps.use_unit": None,
}


def plain_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("pytest", "-q", "-p", "no:cacheprovider", *args, cwd=project)


def cases(project: Path, target: str) -> list[str]:
    module, _, name = target.rpartition(".")
    path = project / "call_logs" / Path(*module.split(".")) / f"{name}.yaml"
    return [case.id for case in load_fixture(path).cases]


def files(project: Path) -> dict[Path, bytes]:
    skipped = ("call_logs", "__pycache__")
    return {
        path.relative_to(project): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and not set(path.relative_to(project).parts) & set(skipped)
    }


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("stamps")
    (project / "stamps.py").write_text(STAMPS)
    (project / "main.py").write_text(STAMPS_MAIN)
    (project / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    assert run_pytead("run", "stamps", "--", "main.py", cwd=project).returncode == 0
    return project


@pytest.fixture(scope="module")
def generated(recorded: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    done = run_pytead("gen-tests", "--parametrize", cwd=recorded, PYTEAD_VERIFY_TIMEOUT="2")
    assert done.returncode == 0, done.stderr
    return recorded, done


def test_cases_that_depend_on_more_than_their_arguments_are_left_out_with_the_failure(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, done = generated
    module = (project / "tests/test_pytead_generated.py").read_text()
    listing = module.split("# Left out by pytead gen-tests (their fixtures keep them):\n")[1]
    listing = listing.replace("\n#     ", " ")
    for target, reason in EXPECTED.items():
        (case,) = cases(project, target)
        if reason is None:
            assert case not in done.stderr and case not in listing
            continue
        assert f"pytead: left out {target} case {case}: {reason}" in done.stderr
        assert f"#   {target} case {case}: {reason.split(': ')[0]}" in listing
    assert "from stamps import add, profile, use_unit\n" in module
    summary = done.stderr.strip().splitlines()[-1]
    assert summary.startswith(
        "pytead: 11 case(s): 3 written as 3 test(s), 1 snapshot(s); 8 left out"
    )
    assert "(1 did not finish, 7 fails when run); verified (" in summary


def test_cases_that_depend_on_the_order_of_the_tests_are_left_out(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, done = generated
    # remember("a") returns 1 and remember("b") 2 only when run in that order: the reversed
    # run shows it.
    for case in cases(project, "stamps.remember"):
        assert (
            f"left out stamps.remember case {case}: fails when run: AssertionError" in done.stderr
        )


def test_what_is_written_passes_and_nothing_else_is_left_behind(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _ = generated
    assert set(files(project)) == {
        Path(name)
        for name in (
            "stamps.py",
            "main.py",
            "pytest.ini",
            "conftest.py",
            "tests/test_pytead_generated.py",
            "tests/__snapshots__/test_pytead_generated.ambr",
        )
    }
    amber = (project / "tests/__snapshots__/test_pytead_generated.ambr").read_text()
    # profile("ann") is the one case of its family: a plain test, not a table of one row
    assert "# name: test_profile_ann\n" in amber and "test_record" not in amber
    result = plain_pytest(project)
    assert result.returncode == 0, result.stdout
    assert "3 passed" in result.stdout and "1 snapshot passed" in result.stdout
    assert "unused" not in result.stdout
    assert run_tool("ruff", "format", "--isolated", "--check", "tests", cwd=project).returncode == 0
    assert (
        run_tool(
            "ruff", "check", "--isolated", "--select", "E,F,W,I", "tests", cwd=project
        ).returncode
        == 0
    )


def test_check_and_a_new_run_agree_with_what_verification_kept(
    generated: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    project, _ = generated
    before = files(project)
    for _ in range(2):
        check = run_pytead("gen-tests", "--parametrize", "--check", cwd=project)
        assert check.returncode == 0, check.stderr
    again = run_pytead("gen-tests", "--parametrize", cwd=project, PYTEAD_VERIFY_TIMEOUT="2")
    assert again.returncode == 0
    assert "0 file(s) changed" in again.stderr  # the failure messages changed, the module did not
    assert files(project) == before
    diff = run_pytead(
        "gen-tests", "--parametrize", "--diff", cwd=project, PYTEAD_VERIFY_TIMEOUT="2"
    )
    assert diff.returncode == 0 and diff.stdout == ""
    assert files(project) == before


def test_no_verify_writes_every_case_that_can_be_written(recorded: Path, tmp_path: Path) -> None:
    done = run_pytead("gen-tests", "--no-verify", "-o", str(tmp_path / "test_all.py"), cwd=recorded)
    assert done.returncode == 0
    assert (
        "11 case(s): 11 written as 11 test(s)" in done.stderr
        and "not verified (--no-verify)" in done.stderr
    )
    assert "def test_stamp_job" in (tmp_path / "test_all.py").read_text()


def test_a_kept_test_that_fails_later_makes_check_report_the_module(
    recorded: Path, tmp_path: Path
) -> None:
    project = tmp_path / "copy"
    shutil.copytree(recorded, project)
    assert run_pytead("gen-tests", cwd=project, PYTEAD_VERIFY_TIMEOUT="2").returncode == 0
    (project / "call_logs/stamps/add.yaml").write_text(
        (project / "call_logs/stamps/add.yaml").read_text().replace("returned: 5", "returned: 6")
    )
    stale = run_pytead("gen-tests", "--check", cwd=project)
    assert stale.returncode == 1
    assert "stale: tests/test_pytead_generated.py" in stale.stderr


# -- the runner itself ---------------------------------------------------------------------------

STUCK = """
import signal
import time


def test_first():
    assert True


def test_stuck():
    signal.signal(signal.SIGALRM, signal.SIG_IGN)  # the per-test time limit cannot stop it
    time.sleep(60)


def test_last():
    assert 1 + 1 == 3
"""


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="a Unix time limit")
def test_a_run_that_stops_answering_is_ended_and_the_rest_still_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_verify, "GRACE", 4.0)  # seconds of silence, beyond the time limit
    planned = tmp_path / "tests" / "test_stuck.py"
    verdicts = run_planned(
        [Candidate(planned, STUCK, None)], root=tmp_path, support=[], timeout=1, orders=(False,)
    )
    assert verdicts.problem == ""
    assert verdicts.hung == {(planned, "test_stuck")}
    assert verdicts.passed == {(planned, "test_first")}
    assert verdicts.failed[planned, "test_last"].startswith("assert (1 + 1) == 3")
    assert verdicts.runs == 2  # started again without the test that hung
    assert sorted(p.name for p in tmp_path.rglob("*")) == []  # nothing left behind


def test_a_module_that_fails_to_import_for_no_case_is_written_again_one_test_per_case() -> None:
    path = Path("tests/test_x.py")
    f1, f2, g = ("m.f", "a1"), ("m.f", "b2"), ("m.g", "c3")
    cases = {"test_f[1]": (f1,), "test_f[2]": (f2,), "test_g": (g,)}
    imports = {f1: frozenset({("m", "f")}), g: frozenset({("helpers", "Box"), ("m", "g")})}
    module = GeneratedModule("", {}, 2, cases=cases, imports=imports)
    broken = Verdicts(broken={path: "RuntimeError: boom"})
    assert judge({path: module}, broken, set(), 60) == ({}, {path})
    found, rewrite = judge({path: module}, broken, {path}, 60)  # already one test per case
    assert rewrite == set() and set(found) == {f1, f2, g}
    missing = Verdicts(broken={path: "ModuleNotFoundError: No module named 'helpers'"})
    found, _ = judge({path: module}, missing, set(), 60)
    assert list(found) == [g]
    assert found[g].line() == (
        "left out m.g case c3: fails when run: its test module fails to import: "
        "ModuleNotFoundError: No module named 'helpers'"
    )
    name = Verdicts(broken={path: "ImportError: cannot import name 'f' from 'm' (/x/m.py)"})
    assert list(judge({path: module}, name, set(), 60)[0]) == [f1]
