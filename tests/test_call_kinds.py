"""Every kind of call becomes a test that is right on unchanged code, or is left out with the
reason its fixture records: streams and buffers, generators driven by ``send()``/``throw()``,
generators delegating with ``yield from``, functions whose mutable default was changed."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._model import Case
from pytead._store import load_fixture


@dataclass(frozen=True)
class Generated:
    """What `pytead gen-tests` made of a capture, and how the generated tests ran."""

    project: Path
    text: str
    report: str
    outcome: str

    def cases(self, target: str) -> tuple[Case, ...]:
        module, _, qualname = target.partition(".")
        return load_fixture(self.project / "call_logs" / module / f"{qualname}.yaml").cases

    def left_out(self, reason: str) -> bool:
        """Whether *reason* is given for a left-out case (in the module or the report)."""
        return reason in self.text or reason in self.report


def capture_and_generate(
    tmp_path: Path,
    module: str,
    main: str,
    targets: list[str],
    backend: str,
    style: tuple[str, ...] = (),
) -> Generated:
    """Write the project, trace *main*, generate tests (in *style*) and run them."""
    (tmp_path / "kinds.py").write_text(textwrap.dedent(module))
    (tmp_path / "main.py").write_text(textwrap.dedent(main))
    plain = run_python("main.py", cwd=tmp_path)
    traced = run_pytead("run", *targets, "--", "main.py", cwd=tmp_path, backend=backend)
    assert traced.returncode == plain.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout  # tracing changed nothing the program does
    generated = run_pytead("gen-tests", *style, cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    text = (tmp_path / "tests" / "test_pytead_generated.py").read_text()
    tests = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=tmp_path)
    assert tests.returncode == 0, tests.stdout
    assert "failed" not in tests.stdout and "error" not in tests.stdout
    return Generated(tmp_path, text, generated.stdout + generated.stderr, tests.stdout)


STREAMS = """
import io
import sys

def echo(stream):
    return stream

def output():
    return sys.stdout

def shout(stream, text):
    stream.write(text.upper())
    return len(text)

def report(lines):
    out = io.StringIO()
    for line in lines:
        out.write(line + "\\n")
    return out

def first_field(source):
    return source.readline().split(",")[0]

def pack(data):
    return io.BytesIO(data).read(2)
"""

STREAMS_MAIN = """
import io
import sys
from kinds import echo, first_field, output, pack, report, shout

echo(sys.stdout)
output()
shout(sys.stderr, "to stderr\\n")
buffer = io.StringIO()
shout(buffer, "hello")
buffer.write(" and ")
shout(buffer, "more")
print(buffer.getvalue(), report(["a", "b"]).getvalue().split())
print(first_field(io.StringIO("x,y\\nz,w\\n")), pack(b"abc"))
"""


def test_streams_are_left_out_and_buffers_are_compared_by_content(
    tmp_path: Path, backend: str
) -> None:
    result = capture_and_generate(tmp_path, STREAMS, STREAMS_MAIN, ["kinds"], backend)
    (echoed,) = result.cases("kinds.echo")
    assert not echoed.replayable  # sys.stdout is not a value: no rebuild(TextIOWrapper, ...)
    assert "rebuild(" not in result.text
    assert result.left_out("argument stream is a _io.TextIOWrapper recorded as !opaque")
    assert result.left_out("an open stream (a file, a socket, sys.stdout) is not a value")
    assert result.left_out("it returned a _io.TextIOWrapper recorded as !opaque, which a test")

    # A buffer the call wrote to: its content is compared, a buffer has no __eq__.
    assert 'stream = io.StringIO("")' in result.text
    assert 'assert stream.getvalue() == "HELLO"' in result.text
    assert 'assert stream.getvalue() == "HELLO and MORE"' in result.text  # written from pos 10
    assert 'assert report(["a", "b"]).getvalue() == "a\\nb\\n"' in result.text
    assert "assert source.tell() == 4" in result.text  # a buffer the call read from
    assert result.outcome.count("passed") == 1 and "5 passed" in result.outcome, result.outcome


DEFAULTS = """
HANDLERS = {}

def remember(item, seen=[]):
    seen.append(item)
    return len(seen)

def handle(event, handlers=HANDLERS):
    return handlers.get(event, "ignored")

def scale(values, options={"factor": 2}):
    return [value * options["factor"] for value in values]
"""

DEFAULTS_MAIN = """
from kinds import HANDLERS, handle, remember, scale

print(remember("a"), remember("b"), remember("c", []))
print(handle("click"))
HANDLERS["click"] = "clicked"
print(handle("click"), scale([1, 2]))
"""


@pytest.mark.parametrize("style", [(), ("--parametrize",)], ids=["plain", "parametrize"])
def test_a_mutable_default_changed_by_earlier_calls_is_recorded_with_its_state(
    tmp_path: Path, backend: str, style: tuple[str, ...]
) -> None:
    result = capture_and_generate(
        tmp_path, DEFAULTS, DEFAULTS_MAIN, ["kinds"], backend, style=style
    )
    first, second, third = result.cases("kinds.remember")
    # The first call changed its default, the second saw what the first left in it.
    assert (first.args, first.defaulted, first.args_after) == (
        {"item": "a", "seen": []},
        ("seen",),
        {"seen": ["a"]},
    )
    assert (second.args, second.defaulted) == ({"item": "b", "seen": ["a"]}, ("seen",))
    assert (third.args, third.defaulted) == ({"item": "c", "seen": []}, ())
    assert 'seen = ["a"]' in result.text and 'remember("b", seen) == 2' in result.text

    # A default the program changed before the call: the call depends on that state.
    untouched, changed = result.cases("kinds.handle")
    assert (untouched.args, untouched.defaulted) == ({"event": "click"}, ())
    assert changed.args == {"event": "click", "handlers": {"click": "clicked"}}
    assert changed.defaulted == ("handlers",)
    assert result.cases("kinds.scale")[0].args == {"values": [1, 2]}  # read, never changed
    assert "6 passed" in result.outcome, result.outcome


GENERATORS = """
def running_total():
    total = 0
    while True:
        total += yield total

def averager():
    total = count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            return average
        total, count = total + value, count + 1
        average = total / count

def counter():
    count = 0
    while True:
        try:
            yield count
            count += 1
        except ValueError:
            count = 0

def collect(n):
    got = []
    for index in range(n):
        got.append((yield index))
    return got

def delegate(n):
    got = yield from collect(n)
    yield len(got)

def pairs(*groups):
    for group in groups:
        yield from group

def draws(seed):
    import random
    yield seed
    return random.random()
"""

GENERATORS_MAIN = """
from kinds import averager, collect, counter, delegate, draws, pairs, running_total

totals = running_total()
print(next(totals), totals.send(5), totals.send(10))
average = averager()
next(average), average.send(10)
twenty = 20
average.send(twenty)
try:
    average.send(None)
except StopIteration as stop:
    print("average", stop.value)
count = counter()
print(next(count), next(count), count.throw(ValueError("reset")), next(count))
forwarded = delegate(2)
print(next(forwarded), forwarded.send("a"), forwarded.send("b"))
print(list(delegate(1)), list(pairs([1, 2], (3,))))
step = 2
unread = collect(3)
next(unread)
unread.send(step * 2)
drawn = [list(draws(1)) for _ in range(3)]
"""


def test_generators_driven_by_send_and_throw_are_driven_again(tmp_path: Path, backend: str) -> None:
    result = capture_and_generate(tmp_path, GENERATORS, GENERATORS_MAIN, ["kinds"], backend)
    (totals,) = result.cases("kinds.running_total")
    assert totals.yields == [0, 5, 15] and totals.driven == ["next", {"send": 5}, {"send": 10}]
    assert "generator = running_total()" in result.text
    assert "[next(generator), generator.send(5), generator.send(10)] == [0, 5, 15]" in result.text
    assert "isinstance(" not in result.text and "list(running_total())" not in result.text

    (average,) = result.cases("kinds.averager")
    assert average.driven == ["next", {"send": 10}, {"send": 20}]  # a name, read back as 20
    assert (average.outcome.value, average.complete) == (15.0, True)  # type: ignore[union-attr]
    assert 'generator.throw(ValueError("reset"))' in result.text

    # yield from: the values sent to the delegating generator reach the one it delegates to.
    forwarded = next(c for c in result.cases("kinds.delegate") if c.driven)
    assert forwarded.yields == [0, 1, 2] and forwarded.driven == [
        "next",
        {"send": "a"},
        {"send": "b"},
    ]
    assert "assert list(delegate(1)) == [0, 1]" in result.text
    assert "assert list(pairs([1, 2], (3,))) == [1, 2, 3]" in result.text

    # A value sent as an expression: wrappers see it; sys.monitoring cannot read it back.
    unread = next(c for c in result.cases("kinds.collect") if c.args == {"n": 3})
    if backend == "monitoring":
        assert result.left_out("drove this generator with send(), and the value sent could not")
    else:
        assert unread.driven == ["next", {"send": 4}]

    # The same arguments, different results: no test could say which is right (a test that
    # checked the type of the value returned against the list of items would always fail).
    assert result.left_out("the same arguments gave generators with different results")
    passed = 8 if backend == "monitoring" else 9
    assert f"{passed} passed" in result.outcome, result.text + result.outcome
