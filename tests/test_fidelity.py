"""A traced program cannot tell: identities, references taken before tracing, frames, warnings.

Each program here prints what it can observe about the functions pytead traces; run under
`pytead run` it must print exactly what plain `python` prints, and its calls must be recorded
whichever reference the program called them through.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import run_pytead, run_python

from pytead._codec import decode
from pytead._store import load_fixture

LIB = '''
import functools
import sys
import warnings

STORED = []


def remember(function):
    """A decorator that keeps the function it decorates, as registries do."""
    STORED.append(function)
    return function


@remember
def hashkey(*args, **kwargs):
    """Key of a call."""
    return args


def cached(key=hashkey):
    return key


REGISTRY = {"hash": hashkey}


def with_defaults(a, b=[1], *, c=(2,)):
    return a


def who_called():
    frame = sys._getframe(1)
    return frame.f_code.co_name, frame.f_lineno


def old(x):
    warnings.warn("old() is deprecated", DeprecationWarning, stacklevel=2)
    return x


def boom(x):
    raise ValueError(f"bad {x}")


class Cache:
    def __init__(self):
        self.key = hashkey
        self.lookup = self.get

    def get(self, k):
        return k


def validator(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return function(*args, **kwargs)

    return wrapper


@validator
def is_even(n):
    return n % 2 == 0


@validator
def is_odd(n):
    return n % 2 == 1


EVEN_INSIDE = is_even.__wrapped__
'''

APP = """
import inspect, traceback, lib
from lib import hashkey, is_even

def show(label, value):
    print(label, value)

show("alias is the function", hashkey is lib.hashkey)
show("default argument is it", lib.cached.__defaults__[0] is lib.hashkey)
show("registry holds it", lib.REGISTRY["hash"] is hashkey)
show("decorator stored it", lib.STORED[0] is hashkey)
show("calls", [lib.cached()(1), lib.REGISTRY["hash"](2), lib.STORED[0](3), hashkey(4)])
show("defaults", (lib.with_defaults.__defaults__, lib.with_defaults.__kwdefaults__))
show("signature", inspect.signature(lib.with_defaults))
show("code name", hashkey.__code__.co_name)
show("file", inspect.getfile(hashkey) == lib.__file__)
show("globals", hashkey.__globals__ is vars(lib))
show("source", inspect.getsource(hashkey).splitlines()[:2])
show("no __wrapped__", hasattr(hashkey, "__wrapped__"))
show("own dict", hashkey.__dict__)
show("wraps kept", is_even.__wrapped__ is lib.EVEN_INSIDE)
show("validators", [is_even(2), lib.is_odd(3)])

def caller():
    return lib.who_called()

show("caller frame", caller())
lib.old(1)
try:
    lib.boom(5)
except ValueError:
    traceback.print_exc()
cache = lib.Cache()
show("bound method", cache.lookup(7))
"""


def make_project(tmp_path: Path) -> Path:
    (tmp_path / "lib.py").write_text(LIB)
    (tmp_path / "app.py").write_text(APP)
    return tmp_path


TARGETS = [
    "lib.hashkey",
    "lib.with_defaults",
    "lib.who_called",
    "lib.old",
    "lib.boom",
    "lib.Cache.get",
    "lib.is_even",
]


def without_pytead(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("pytead:")]


def test_the_traced_program_sees_what_it_sees_untraced(tmp_path: Path, backend: str) -> None:
    project = make_project(tmp_path)
    plain = run_python("app.py", cwd=project)
    traced = run_pytead("run", *TARGETS, "--", "app.py", cwd=project, backend=backend)
    assert traced.returncode == plain.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout
    # The DeprecationWarning is attributed to app.py (__main__), so Python's default filters
    # show it; a traceback the program prints itself shows no frame of pytead's.
    assert without_pytead(traced.stderr) == without_pytead(plain.stderr)
    assert "app.py:28: DeprecationWarning: old() is deprecated" in plain.stderr
    assert 'File "' + str(project / "lib.py") + '", line 43, in boom' in plain.stderr
    for line in [
        "alias is the function True",
        "default argument is it True",
        "registry holds it True",
        "decorator stored it True",
        "wraps kept True",
        "no __wrapped__ False",
        "caller frame ('caller', 25)",
    ]:
        assert line in plain.stdout.splitlines()


def test_calls_through_references_taken_before_tracing_are_recorded(
    tmp_path: Path, backend: str
) -> None:
    project = make_project(tmp_path)
    traced = run_pytead("run", *TARGETS, "--", "app.py", cwd=project, backend=backend)
    assert traced.returncode == 0, traced.stderr
    store = project / "call_logs" / "lib"
    hashkey = load_fixture(store / "hashkey.yaml")
    assert sorted(decode(case.args)["*args"][0] for case in hashkey.cases) == [1, 2, 3, 4]
    # One decorator's code serves is_even and is_odd: only the traced one is recorded.
    assert [decode(case.args) for case in load_fixture(store / "is_even.yaml").cases] == [
        {"*args": [2]}
    ]
    assert not (store / "is_odd.yaml").exists()


def test_recorded_state_holds_the_functions_themselves(tmp_path: Path, backend: str) -> None:
    project = make_project(tmp_path)
    traced = run_pytead("run", *TARGETS, "--", "app.py", cwd=project, backend=backend)
    assert traced.returncode == 0, traced.stderr
    text = (project / "call_logs" / "lib" / "Cache.get.yaml").read_text()
    (case,) = load_fixture(project / "call_logs" / "lib" / "Cache.get.yaml").cases
    assert "__wrapped__" not in text and "pytead" not in text.split("cases:")[1]
    assert case.self.value["state"]["key"].value == "lib.hashkey"  # type: ignore[union-attr,index]


GETSTATE = """
import mod
box = mod.Box()
for label, call in [
    ("argument", lambda: mod.look(box)),
    ("returned", mod.make),
    ("receiver", box.bump),
    ("raised", lambda: mod.fail(box)),
]:
    mod.CALLS.clear()
    try:
        call()
    except ValueError:
        pass
    print(label, len(mod.CALLS))
"""

GETSTATE_MOD = """
CALLS = []

class Box:
    def __init__(self):
        self.v = 1

    def __getstate__(self):
        CALLS.append(1)
        return {"v": self.v}

    def bump(self):
        self.v += 1

def look(box):
    return 0

def make():
    return Box()

def fail(box):
    raise ValueError(box)
"""


def test_getstate_is_called_once_per_snapshot(tmp_path: Path, backend: str) -> None:
    (tmp_path / "mod.py").write_text(GETSTATE_MOD)
    (tmp_path / "main.py").write_text(GETSTATE)
    traced = run_pytead(
        "run", "mod.look", "mod.make", "mod.Box.bump", "mod.fail", "--", "main.py",
        cwd=tmp_path, backend=backend,
    )  # fmt: skip
    assert traced.returncode == 0, traced.stderr
    # An argument or receiver: one snapshot before the call, one after (did it change?);
    # a returned value: one. The exception's argument is the box seen after the call.
    assert traced.stdout.split("\n") == ["argument 2", "returned 1", "receiver 2", "raised 2", ""]


def test_decorated_functions_are_the_functions_themselves(tmp_path: Path, backend: str) -> None:
    (tmp_path / "deco.py").write_text(
        textwrap.dedent(
            """
            import sys, pytead

            def plain(x):
                return sys._getframe(1).f_code.co_name

            traced = pytead.trace(plain)

            class Box:
                @staticmethod
                def stat(x):
                    return x

                traced_stat = pytead.trace(stat)

            def main():
                return traced(1)

            print(traced is plain, Box.__dict__["traced_stat"] is Box.__dict__["stat"], main())
            """
        )
    )
    result = run_python("deco.py", cwd=tmp_path, backend=backend)
    assert result.stdout == "True True main\n", result.stderr
    assert load_fixture(tmp_path / "call_logs/deco/plain.yaml").cases[0].args == {"x": 1}


SHAPES = '''
import asyncio, sys

FLAG = None


def overridden():
    try:
        return 1
    finally:
        return 2


def raise_after_return():
    try:
        return 1
    finally:
        raise KeyError("k")


def swallowed():
    try:
        raise ValueError("lost")
    finally:
        return 3


def handled(x):
    """Divide, or say inf."""
    try:
        return 1 / x
    except ZeroDivisionError:
        return "inf"


def local_names(a, b=2):
    c = a + b
    return sorted(locals())


def set_flag(value):
    global FLAG
    FLAG = value
    return FLAG


def make_adder(n):
    def add(x):
        return x + n

    return add


adder = make_adder(5)


def make_counter():
    count = 0

    def bump():
        nonlocal count
        count += 1
        return count

    return bump


bump = make_counter()


class Base:
    def hello(self):
        return "base"


class Child(Base):
    def hello(self):
        return "child+" + super().hello()

    @classmethod
    def build(cls, n):
        return [cls.__name__] * n

    @staticmethod
    def twice(n):
        return 2 * n

    @property
    def size(self):
        return 3


square = lambda x: x * x  # noqa: E731

exec("def made(a, /, b, *rest, c=3, **kw):\\n    return (a, b, rest, c, kw)\\n", globals())


def echo():
    received = []
    try:
        while True:
            value = yield len(received)
            received.append(value)
    except KeyError:
        return received


def inner_gen():
    x = yield 1
    yield x
    return "done"


def outer_gen():
    result = yield from inner_gen()
    yield result


def walk(n):
    if n:
        yield n
        yield from walk(n - 1)


async def later(x):
    await asyncio.sleep(0)
    return x * 2
'''

SHAPES_APP = """
import asyncio, traceback, shapes

def attempt(call):
    try:
        return call()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"

print(shapes.overridden(), attempt(shapes.raise_after_return), shapes.swallowed())
print(shapes.handled(4), shapes.handled(0), shapes.local_names(1), shapes.set_flag(7))
print(shapes.adder(1), shapes.bump(), shapes.bump(), shapes.Child().hello())
print(shapes.Child.build(2), shapes.Child.twice(4), shapes.Child().size, shapes.square(9))
print(shapes.made(1, 2, 9, c=4, z=5), attempt(shapes.made), attempt(lambda: shapes.made(1, 2, a=3)))
echo = shapes.echo()
print(next(echo), echo.send("a"), echo.send("b"), attempt(lambda: echo.throw(KeyError)))
outer = shapes.outer_gen()
print(next(outer), outer.send("x"), list(outer), list(shapes.walk(3)))
print(asyncio.run(shapes.later(21)))
"""


def test_every_shape_of_function_behaves_as_untraced(tmp_path: Path, backend: str) -> None:
    (tmp_path / "shapes.py").write_text(SHAPES)
    (tmp_path / "app.py").write_text(SHAPES_APP)
    plain = run_python("app.py", cwd=tmp_path)
    traced = run_pytead("run", "shapes", "--", "app.py", cwd=tmp_path, backend=backend)
    assert traced.returncode == plain.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout
    assert without_pytead(traced.stderr) == without_pytead(plain.stderr) == []
    assert "StopIteration: ['a', 'b']" in plain.stdout

    def outcome(name: str) -> object:
        (case, *_) = load_fixture(tmp_path / "call_logs" / "shapes" / f"{name}.yaml").cases
        return getattr(case.outcome, "short_type", None) or decode(case.outcome.value)  # type: ignore[union-attr]

    assert [outcome(n) for n in ("overridden", "raise_after_return", "swallowed")] == [
        2, "KeyError", 3,
    ]  # fmt: skip
    assert [outcome(n) for n in ("adder", "bump", "Child.hello", "square")] == [
        6,
        1,
        "child+base",
        81,
    ]
    made = load_fixture(tmp_path / "call_logs/shapes/made.yaml").cases[0]
    assert decode(made.args) == {"a": 1, "b": 2, "*rest": [9], "c": 4, "**kw": {"z": 5}}
    (echo,) = load_fixture(tmp_path / "call_logs/shapes/echo.yaml").cases
    assert echo.yields == [0, 1, 2] and decode(echo.outcome.value) == ["a", "b"]  # type: ignore[union-attr]
    (outer,) = load_fixture(tmp_path / "call_logs/shapes/outer_gen.yaml").cases
    assert outer.yields == [1, "x", "done"]
    (walk,) = load_fixture(tmp_path / "call_logs/shapes/walk.yaml").cases  # the outermost only
    assert walk.args == {"n": 3} and walk.yields == [3, 2, 1]
    assert outcome("later") == 42


def test_callables_without_python_code_are_wrapped_and_recorded(
    tmp_path: Path, backend: str
) -> None:
    (tmp_path / "calls.py").write_text(
        "class Curried:\n"
        "    def __init__(self, function):\n        self.function = function\n\n"
        "    def __call__(self, *args):\n        return self.function(*args)\n\n"
        "def _add(a, b):\n    return a + b\n\n"
        "add = Curried(_add)\n"
    )
    (tmp_path / "app.py").write_text("from calls import add\nprint(add(1, 2), add(3, 4))\n")
    traced = run_pytead("run", "calls.add", "--", "app.py", cwd=tmp_path, backend=backend)
    assert traced.returncode == 0 and traced.stdout == "3 7\n", traced.stderr
    cases = load_fixture(tmp_path / "call_logs/calls/add.yaml").cases
    assert [decode(case.args) for case in cases] == [{"*args": [1, 2]}, {"*args": [3, 4]}]
