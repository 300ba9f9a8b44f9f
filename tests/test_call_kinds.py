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
    assert result.left_out("argument stream is a _io.TextIOWrapper kept as !opaque")
    assert result.left_out("an open stream (a file, a socket, sys.stdout) is not a value")
    assert result.left_out("it returned a _io.TextIOWrapper kept as !opaque, which a test cannot")

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
