"""Line-guided capture: after the limit, the calls that run new lines of a target are kept."""

from __future__ import annotations

import importlib
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pytead._compact import merge_cases
from pytead._linecover import Explore
from pytead._model import Case, Returned
from pytead._rewrite import from_source
from pytead._store import load_fixture
from tests.conftest import run_pytead, run_python

#: Called 50 times: only calls 30 and 45 take the other branches.
BRANCHY = '''
class Odd(ValueError):
    pass


def classify(n, seen):
    """Doc."""
    seen.append(n)
    if n == 30:
        kind = "thirty"
    elif n == 45:
        raise Odd(n)
    else:
        kind = "plain"
    return [kind]
'''

MAIN = """
import sys
import branchy

before = branchy.classify.__code__
seen, results, errors = [], [], []
for i in range({calls}):
    try:
        results.append(branchy.classify(i, seen))
    except branchy.Odd as exc:
        errors.append(exc)
print(len(seen), results[30], [type(e).__name__ for e in errors], errors[0].args if errors else 0)
print("restored" if branchy.classify.__code__ is not before else "observed")
"""


def project(tmp_path: Path, calls: int = 50) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "branchy.py").write_text(BRANCHY)
    (root / "main.py").write_text(MAIN.format(calls=calls))
    return root


def recorded_args(root: Path) -> list[int]:
    fixture = load_fixture(root / "call_logs" / "branchy" / "classify.yaml")
    return [case.args["n"] for case in fixture.cases]  # type: ignore[misc]


def record(root: Path, backend: str, **settings: str) -> str:
    """Run ``main.py`` under ``pytead run`` with these ``PYTEAD_*`` settings: its output."""
    traced = run_pytead(
        "run", "branchy.classify", "--", "main.py", cwd=root, backend=backend, **settings
    )
    assert traced.returncode == 0, traced.stderr
    return traced.stdout


def test_calls_taking_other_branches_after_the_limit_are_kept(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path)
    plain = run_python("main.py", cwd=root)
    assert record(root, backend) == plain.stdout  # results and exceptions as untraced
    assert recorded_args(root) == [*range(10), 30, 45]


def test_the_extra_cases_are_bounded(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path)
    record(root, backend, PYTEAD_EXPLORE_CASES="1")
    assert recorded_args(root) == [*range(10), 30]


def test_observing_stops_after_a_run_of_calls_bringing_nothing_new(
    tmp_path: Path, backend: str
) -> None:
    root = project(tmp_path)
    output = record(root, backend, PYTEAD_EXPLORE_PATIENCE="19")  # calls 11-29 are alike
    assert recorded_args(root) == list(range(10))
    assert output.splitlines()[-1] == "restored"  # full speed again


def test_observing_stops_after_its_most_calls(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path)
    record(root, backend, PYTEAD_EXPLORE_CALLS="30")  # calls 11-40
    assert recorded_args(root) == [*range(10), 30]


def test_a_target_whose_later_calls_run_nothing_new_closes_as_before(
    tmp_path: Path, backend: str
) -> None:
    root = project(tmp_path, calls=400)
    (root / "branchy.py").write_text(BRANCHY.replace("n == 30", "n == -1").replace("45", "-2"))
    (root / "main.py").write_text(MAIN.format(calls=400).replace("results[30]", "results[3]"))
    output = record(root, backend)
    assert recorded_args(root) == list(range(10))
    assert output.splitlines()[-1] == "restored"


def test_turned_off_the_limit_alone_counts(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path)
    output = record(root, backend, PYTEAD_EXPLORE_CASES="0")
    assert recorded_args(root) == list(range(10))
    assert output.splitlines()[-1] == "restored"


WRAPPING = """
import functools


def validator(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


@validator
def check(n):
    if n == 30:
        return "thirty"
    return "plain"
"""


def test_the_lines_of_the_function_a_decorator_wraps_count(tmp_path: Path, backend: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "wrapping.py").write_text(WRAPPING)
    main = "import wrapping\nprint([wrapping.check(i) for i in range(50)].count('thirty'))\n"
    (root / "main.py").write_text(main)
    traced = run_pytead("run", "wrapping.check", "--", "main.py", cwd=root, backend=backend)
    assert traced.returncode == 0, traced.stderr
    assert traced.stdout == "1\n"
    fixture = load_fixture(root / "call_logs" / "wrapping" / "check.yaml")
    called = [case.args["*args"] for case in fixture.cases]  # the wrapper's parameters
    assert called == [[n] for n in (*range(10), 30)]


DECORATED = """
import sys
lines = []

def tracer(frame, event, arg):
    if frame.f_code.co_name == "classify" and event == "line":
        lines.append(frame.f_lineno)
    return tracer

sys.settrace(tracer)
import pytead
import branchy
branchy.classify = pytead.trace(branchy.classify)
seen = []
for i in range(50):
    try:
        branchy.classify(i, seen)
    except branchy.Odd:
        pass
sys.settrace(None)
print(sorted(set(lines)))
"""


def test_with_a_trace_function_set_the_code_gets_no_line_probes(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "decorated.py").write_text(DECORATED)
    untraced = DECORATED.replace("branchy.classify = pytead", "0 and pytead")
    plain = run_python("-c", untraced, cwd=root)
    traced = run_python("decorated.py", cwd=root, backend="code")
    assert traced.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout  # the tracer saw the lines it sees untraced
    assert recorded_args(root) == list(range(10))  # today's behaviour: closed at the limit


OTHER_TOOL = """
import sys
import branchy

events = []
if "{backend}" == "monitoring":  # a tool of its own, as coverage.py's sysmon core is
    monitoring = sys.monitoring
    monitoring.use_tool_id(1, "other")

    def on_line(code, line):
        if code.co_filename.endswith("branchy.py"):
            events.append(line)

    monitoring.register_callback(1, monitoring.events.LINE, on_line)
    monitoring.set_events(1, monitoring.events.LINE)
else:  # a trace function set after pytead installed its targets
    def tracer(frame, event, arg):
        if event == "line" and frame.f_code.co_filename.endswith("branchy.py"):
            events.append(frame.f_lineno)
        return tracer

    sys.settrace(tracer)
seen = []
for i in range(50):
    try:
        branchy.classify(i, seen)
    except branchy.Odd:
        pass
sys.settrace(None)
print(events)
"""


def test_another_tool_sees_every_line_event_as_untraced(tmp_path: Path, backend: str) -> None:
    root = project(tmp_path)
    # An exception leaving recompiled code leaves from the `def` line, a line event of its own
    # (see `pytead._rewrite`): not what this test is about.
    (root / "branchy.py").write_text(BRANCHY.replace("raise Odd(n)", 'kind = "odd"'))
    (root / "main.py").write_text(OTHER_TOOL.format(backend=backend))
    plain = run_python("main.py", cwd=root)
    assert plain.returncode == 0, plain.stderr
    assert record(root, backend) == plain.stdout
    assert recorded_args(root) == [*range(10), 30, 45]


# -- the line probes of recompiled code --------------------------------------------------------

SHAPES = '''
import functools

TOTAL = 0


def shapes(items, flag):
    """Doc."""
    global TOTAL
    "a lone string"
    out = []
    for item in items:
        if item < 0:
            continue
        elif item == 0:
            pass
        else:
            out.append(
                item
                * 2
            )
    else:
        TOTAL += 1
    while flag:
        flag -= 1
    try:
        if items and items[0] == 99:
            raise KeyError(99)
    except KeyError as exc:
        out.append(str(exc))
    finally:
        out.append("done")
    with open(__file__) as handle:
        out.append(len(handle.readline()) > -1)
    match flag:
        case 0:
            out.append("zero")
        case _:
            out.append("other")

    @functools.lru_cache
    def inner(x):
        return x + 1

    class Box:
        size = inner(1)

    return out, Box.size, [x for x in out if x == "done"]


def first_if(items, flag):
    if flag:
        flag = (
            flag
            + 1
        )
    else:
        flag = 0
    local: int
    while (
        flag
        > 100
    ):
        flag -= 1
    items = [
        flag,
        (1,
         2),
    ]
    items.append(
        len(items)
    )
    (items
     .append(flag))
    assert (
        flag is not None
    ), "never"
    return (
        flag
    )
'''


class LineSpy:
    """A probe that keeps the lines it is told."""

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.nested: list[int] = []

    def enter(self, names: tuple[str, ...], values: tuple[Any, ...]) -> None:
        pass

    def line(self, number: int) -> None:
        self.lines.append(number)

    def nested_line(self, number: int) -> None:
        self.nested.append(number)

    def returned(self, value: Any) -> Any:
        return value

    def raised(self) -> None:
        pass

    leave = raised


@pytest.fixture
def shapes_module(in_tmp_path: Path) -> Iterator[types.ModuleType]:
    (in_tmp_path / "shapes_lines.py").write_text(textwrap.dedent(SHAPES))
    yield importlib.import_module("shapes_lines")
    sys.modules.pop("shapes_lines", None)


def traced_lines(function: Callable[..., Any], *args: Any) -> tuple[Any, list[int]]:
    """What *function* returns, and the line events a tracer sees in its own frame."""
    lines: list[int] = []
    code = function.__code__

    def tracer(frame: types.FrameType, event: str, arg: Any) -> Any:
        if frame.f_code is code and event == "line":
            lines.append(frame.f_lineno)
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = function(*args)
    finally:
        sys.settrace(previous)
    return result, lines


@pytest.mark.parametrize("name", ["shapes", "first_if"])
@pytest.mark.parametrize("args", [([1, 0, -1], 2), ([99], 0), ([], 1)])
def test_line_probes_leave_a_tracers_line_events_as_untraced(
    shapes_module: types.ModuleType, name: str, args: tuple[Any, ...]
) -> None:
    function = getattr(shapes_module, name)
    untraced = traced_lines(function, *args)
    spy = LineSpy()
    code = from_source(function, spy, lines=True)
    assert code is not None
    function.__code__ = code
    assert traced_lines(function, *args) == untraced
    # Each probe reports a line the call really ran, and every statement line is reported.
    statement_lines = {line for line in untraced[1] if line in spy.lines}
    assert set(spy.lines) <= set(untraced[1])
    assert statement_lines == set(spy.lines) and len(spy.lines) >= 3


def test_a_phase_is_over_at_the_first_of_its_bounds() -> None:
    explore = Explore(cases=2, calls=5, patience=2)
    explore.lines = {1, 2}
    assert not explore.runs_new({1}) and explore.runs_new({1, 3})
    explore.nothing_new("a")
    explore.nothing_new("a")  # the same inputs again count once
    assert explore.barren == 1 and not explore.over
    explore.kept_one({3}, "int")
    assert explore.barren == 0 and explore.lines == {1, 2, 3}
    explore.nothing_new("b")
    explore.nothing_new("c")
    assert explore.over


def test_compaction_keeps_explored_cases_above_the_limit_and_no_others() -> None:
    def case(case_id: str) -> Case:
        return Case(id=case_id, args={"n": case_id}, outcome=Returned(1))

    incoming = [case("a"), case("b"), case("c"), case("x"), case("y"), case("z")]
    merged, added, dropped = merge_cases([], incoming, {}, 2, ({"x", "y", "z"}, 2))
    assert [c.id for c in merged] == ["a", "b", "x", "y"] and (added, dropped) == (4, 2)
    merged, _, _ = merge_cases([], incoming, {}, 2)  # journals without explored cases
    assert [c.id for c in merged] == ["a", "b"]
