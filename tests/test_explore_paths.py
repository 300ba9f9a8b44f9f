"""Exploring past the limit keeps calls that behave differently on lines already seen.

Each scenario is a tiny module whose calls after the limit all run lines the first cases ran,
except one or two that take another path through them (a new combination of branches, another
kind of outcome) or run lines of a function defined inside the target. The program's output
must stay what it is untraced, with a trace function or another ``sys.monitoring`` tool too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pytead._linecover import Explore, outcome_kind
from pytead._store import load_fixture
from tests.conftest import run_pytead, run_python

#: ``-0x10`` runs the sign lines (as ``-1`` did) and the base lines (as ``0x1`` did): no new
#: line, but a combination no case ran.
CONVERT = '''
def convert(text):
    """Doc."""
    sign = 1
    if text.startswith("-"):
        sign = -1
        text = text[1:]
    base = 10
    if text.startswith("0x"):
        base = 16
        text = text[2:]
    return sign * int(text, base)
'''
CONVERT_CALLS = ["-1", "0x1", *map(str, range(1, 30)), "-0x10", *map(str, range(30, 60))]

#: Every call runs the one line; ``""`` raises from it, ``" "`` returns an empty list.
WORDS = """
def words(text):
    return text.split()[:3] if text else text.split()[0]
"""
WORDS_CALLS = [*(f"w{i} x" for i in range(30)), "", *(f"v{i}" for i in range(10)), " "]

#: Only the calls given a list run the list branch of the function defined inside the target.
MERGE = """
def merge(target, extra):
    def put(key, value):
        if isinstance(value, list):
            target.setdefault(key, []).extend(value)
        else:
            target[key] = value

    for key, value in extra.items():
        put(key, value)
    return target
"""
MERGE_CALLS = [*({"k": i} for i in range(30)), {"k": [1, 2]}, *({"k": i} for i in range(30, 40))]

MAIN = """
import sys
import {module}

out = []
for argument in {calls!r}:
    try:
        out.append({call})
    except Exception as exc:
        out.append(type(exc).__name__)
print(out)
"""

SCENARIOS = {
    "convert": (CONVERT, CONVERT_CALLS, "convert.convert(argument)"),
    "words": (WORDS, WORDS_CALLS, "words.words(argument)"),
    "merge": (MERGE, MERGE_CALLS, "merge.merge({}, argument)"),
}


def project(tmp_path: Path, name: str, main: str = MAIN) -> Path:
    source, calls, call = SCENARIOS[name]
    root = tmp_path / "project"
    root.mkdir()
    (root / f"{name}.py").write_text(source)
    (root / "main.py").write_text(main.format(module=name, calls=calls, call=call))
    return root


def recorded(root: Path, name: str, parameter: str) -> list[object]:
    fixture = load_fixture(root / "call_logs" / name / f"{name}.yaml")
    return [case.args[parameter] for case in fixture.cases]


def record(root: Path, name: str, backend: str, **settings: str) -> str:
    traced = run_pytead(
        "run", f"{name}.{name}", "--", "main.py", cwd=root, backend=backend, **settings
    )
    assert traced.returncode == 0, traced.stderr
    return traced.stdout


def test_a_call_combining_branches_no_case_combined_is_kept(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path, "convert")
    plain = run_python("main.py", cwd=root)
    assert record(root, "convert", backend) == plain.stdout
    assert recorded(root, "convert", "text") == [*CONVERT_CALLS[:10], "-0x10"]


def test_a_call_ending_in_another_kind_of_outcome_is_kept(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path, "words")
    plain = run_python("main.py", cwd=root)
    assert record(root, "words", backend) == plain.stdout  # the IndexError too
    # The first plain word alone returns a list as long lists did: not kept; "" raises, " "
    # returns an empty list.
    assert recorded(root, "words", "text") == [*WORDS_CALLS[:10], "", " "]


def test_the_lines_of_a_function_defined_inside_the_target_count(
    tmp_path: Path, backend: str
) -> None:
    root = project(tmp_path, "merge")
    plain = run_python("main.py", cwd=root)
    assert record(root, "merge", backend) == plain.stdout
    assert recorded(root, "merge", "extra") == [*MERGE_CALLS[:10], {"k": [1, 2]}]


def test_paths_get_half_as_many_cases_as_new_lines(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path, "convert")
    record(root, "convert", backend, PYTEAD_EXPLORE_CASES="1")  # half of one: none for paths
    assert recorded(root, "convert", "text") == CONVERT_CALLS[:10]


OTHER_TOOL = """
import sys
import {module}

events = []
if "{backend}" == "monitoring":  # a tool of its own, as coverage.py's sysmon core is
    monitoring = sys.monitoring
    monitoring.use_tool_id(1, "other")

    def on_line(code, line):
        if code.co_filename.endswith("{module}.py"):
            events.append((code.co_name, line))

    monitoring.register_callback(1, monitoring.events.LINE, on_line)
    monitoring.set_events(1, monitoring.events.LINE)
else:  # a trace function set after pytead installed its targets
    def tracer(frame, event, arg):
        if event == "line" and frame.f_code.co_filename.endswith("{module}.py"):
            events.append((frame.f_code.co_name, frame.f_lineno))
        return tracer

    sys.settrace(tracer)
out = [{call} for argument in {calls!r}]
sys.settrace(None)
print(out)
print(events)
"""


@pytest.mark.parametrize("name", ["convert", "merge"])
def test_another_tool_sees_every_line_event_as_untraced(
    tmp_path: Path, backend: str, name: str
) -> None:
    main = OTHER_TOOL.replace("{backend}", backend)
    root = project(tmp_path, name, main=main)
    plain = run_python("main.py", cwd=root)
    assert plain.returncode == 0, plain.stderr
    assert record(root, name, backend) == plain.stdout


def test_a_phase_keeps_cases_for_new_paths_besides_those_for_new_lines() -> None:
    explore = Explore(cases=4, calls=100, patience=10)
    explore.recorded({1, 2}, "int")
    explore.recorded({1, 3}, "int")
    assert explore.worth_keeping({1, 2, 3}, "int")  # a new combination
    assert explore.worth_keeping({1, 2}, "None")  # another kind of outcome
    assert not explore.worth_keeping({1, 2}, "int")
    explore.kept_one({1, 2, 3}, "int")
    explore.kept_one({1, 2}, "None")
    assert explore.varied == 2 == explore.variants and explore.most == 6
    assert not explore.worth_keeping({1}, "int")  # no more room for paths
    for line in (4, 5, 6, 7):  # new lines still have all of theirs
        assert explore.worth_keeping({line}, "int") and not explore.over
        explore.kept_one({line}, "int")
    assert explore.over and not explore.worth_keeping({8}, "int")
    explore.lines_only()  # the backend stopped reporting every line
    assert explore.variants == 0 and not explore.paths


def test_outcome_kinds_look_only_into_builtin_types() -> None:
    class Sized(list[int]):
        def __len__(self) -> int:
            raise AssertionError("the program's code ran")

    assert outcome_kind(Sized()) == f"{__name__}.{Sized.__qualname__}"
    assert outcome_kind({}) == "dict empty" and outcome_kind({1: 2}) == "dict"
    assert outcome_kind(False) != outcome_kind(True) != outcome_kind(1)
    assert outcome_kind(0) == "int zero" and outcome_kind(2) == "int"
    assert outcome_kind(error=ValueError()) != outcome_kind(error=KeyError())


#: The end of a main script tracing ``convert.convert`` over *calls*.
TRACE_CONVERT = """
import pytead
import convert

convert.convert = pytead.trace(convert.convert)
print([convert.convert(argument) for argument in {calls!r}])
"""

BOUNDED = (
    """
import pytead._monitoring
pytead._monitoring.WHOLE_EVENTS = 40  # the first cases' lines, and a few calls more
"""
    + TRACE_CONVERT
)


def traced_as_plain(root: Path, backend: str) -> subprocess.CompletedProcess[str]:
    """Run main.py traced, asserting that it prints what the untraced calls print."""
    plain = run_python(
        "-c", f"import convert; print([convert.convert(a) for a in {CONVERT_CALLS!r}])", cwd=root
    )
    traced = run_python("main.py", cwd=root, backend=backend)
    assert traced.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout
    return traced


def test_on_3_12_paths_are_followed_for_a_bounded_number_of_line_events(
    tmp_path: Path, backend: str
) -> None:
    root = project(tmp_path, "convert", main=BOUNDED)
    traced_as_plain(root, backend)
    # LINE events cost each time on 3.12, where past the bound only new lines count; the
    # line probes of 3.11 report every line anyway.
    kept = ["-0x10"] if backend == "code" else []
    assert recorded(root, "convert", "text") == [*CONVERT_CALLS[:10], *kept]


FAULTY = (
    """
import pytead._linecover


def broken(self, lines, kind):
    raise RuntimeError("broken")


pytead._linecover.Explore.worth_keeping = broken
"""
    + TRACE_CONVERT
)


def test_a_fault_while_choosing_a_call_never_reaches_the_program(
    tmp_path: Path, backend: str
) -> None:
    root = project(tmp_path, "convert", main=FAULTY)
    traced = traced_as_plain(root, backend)
    assert "could not record a call of convert.convert (RuntimeError: broken)" in traced.stderr
    assert recorded(root, "convert", "text") == CONVERT_CALLS[:10]
