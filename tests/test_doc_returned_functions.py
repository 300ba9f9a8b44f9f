"""Examples of calls that return a function the library made (a decorator factory's decorator,
a decorator's wrapper): shown by its qualname, the address left to doctest's ellipsis."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python

DECO = '''
import functools


def cached(size):
    """Make a decorator that remembers *size* results."""

    def decorator(func):
        memo = {}

        @functools.wraps(func)
        def wrapper(x):
            if x not in memo and len(memo) < size:
                memo[x] = func(x)
            return memo[x] if x in memo else func(x)

        return wrapper

    return decorator


def wrapped_plainly(func):
    """Wrap *func* without copying its names."""

    def inner(*args):
        return func(*args)

    return inner
'''

TESTS = """
from deco import cached, wrapped_plainly


def test_cached():
    def square(x):
        return x * x

    assert cached(2)(square)(3) == 9
    assert cached(0)(square)(2) == 4


def test_wrapped():
    def local(x):
        return x

    assert wrapped_plainly(local)(1) == 1
    assert wrapped_plainly(lambda y: y)(2) == 2
"""


def test_a_returned_function_is_shown_without_its_address(tmp_path: Path) -> None:
    (tmp_path / "deco.py").write_text(DECO)
    (tmp_path / "test_deco.py").write_text(TESTS)
    ran = run_pytead("run", "deco.cached", "deco.wrapped_plainly", "--", "-m", "pytest", "-q",
                     "-p", "no:randomly", cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "deco.py").read_text()
    decorator = "<function cached.<locals>.decorator at ...>"
    shown = f">>> cached(2)  # doctest: +ELLIPSIS\n        {decorator}"
    assert shown in source, source
    defined = ">>> def local(x):\n        ...     return x\n"
    wrapper = "<function wrapped_plainly.<locals>.inner at ...>"
    assert defined + "        >>> wrapped_plainly(local)  # doctest: +ELLIPSIS\n" in source, source
    assert f"        {wrapper}\n" in source, source
    assert "0x" not in source and "test_deco" not in source
    done = run_python("-c", "import doctest, deco; print(doctest.testmod(deco))", cwd=tmp_path)
    assert "failed=0" in done.stdout and "attempted=0" not in done.stdout, done.stdout


REG = '''
import functools


def register(func):
    """Mark *func* as a hook and hand it back."""
    func.hook = True
    return func


def first(funcs):
    """The first of *funcs*."""
    return funcs[0]


def hooked(**options):
    """A decorator that registers with *options*."""
    return functools.partial(_set_hook, **options)


def _set_hook(func, **options):
    func.options = options
    return func
'''

REG_TESTS = """
from reg import first, hooked, register


def test_it():
    def f():
        return 1

    assert register(f) is f
    assert first([f]) is f
    assert hooked(many=True)(f) is f
    assert hooked(many=False, name="x")(f) is f
"""


def test_the_function_given_back_and_a_partial_are_shown(tmp_path: Path) -> None:
    """A decorator handing back the function it got is shown by ``is``; a partial of a
    function of the package by its repr, the function's address left to the ellipsis; a
    function of the tests handed back another way is not shown, with its reason."""
    (tmp_path / "reg.py").write_text(REG)
    (tmp_path / "test_reg.py").write_text(REG_TESTS)
    ran = run_pytead("run", "reg.register", "reg.first", "reg.hooked", "--", "-m", "pytest",
                     "-q", "-p", "no:randomly", cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    source = (tmp_path / "reg.py").read_text()
    defined = ">>> def f():\n        ...     return 1\n"
    assert defined + "        >>> register(f) is f\n        True\n" in source, source
    partial = "functools.partial(<function _set_hook at ...>, many=True)"
    assert f">>> hooked(many=True)  # doctest: +ELLIPSIS\n        {partial}\n" in source, source
    assert "it returned the function test_it.<locals>.f of test_reg, not of reg" in result.stderr
    assert "0x" not in source and "test_reg" not in source
    done = run_python("-c", "import doctest, reg; print(doctest.testmod(reg))", cwd=tmp_path)
    assert "failed=0, attempted=4" in done.stdout, done.stdout


HOLDER = '''
class Cached:
    """A function and its results."""

    def __init__(self, func):
        self.func = func

    def __repr__(self):
        return f"<cached {self.func!r}>"


def cache(func):
    """Wrap *func* in a `Cached`."""
    return Cached(func)


class Coded(Cached):
    """A function named by its code."""

    def __repr__(self):
        return f"<coded {self.func.__code__.co_name}>"


def coded(func):
    """Wrap *func* in a `Coded`."""
    return Coded(func)
'''

HOLDER_TESTS = """
from holder import cache, coded


def test_coded():
    assert coded(lambda n: n).func(1) == 1


def test_cache():
    def square(x):
        return x * x

    assert cache(square).func is square
    assert cache(lambda n: n).func(2) == 2
"""


def test_a_value_holding_the_functions_it_got_is_shown_by_its_repr(tmp_path: Path) -> None:
    """The functions inside the value are named as the example names them: a local function
    by the name its definition binds, a lambda written inline as ``<lambda>``."""
    (tmp_path / "holder.py").write_text(HOLDER)
    (tmp_path / "test_holder.py").write_text(HOLDER_TESTS)
    ran = run_pytead("run", "holder.cache", "holder.coded", "--", "-m", "pytest", "-q", "-p",
                     "no:randomly", cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "holder.py").read_text()
    shown = ">>> cache(square)  # doctest: +ELLIPSIS\n        <cached <function square at ...>>\n"
    assert shown in source, source
    inline = ">>> cache(lambda n: n)  # doctest: +ELLIPSIS\n        <cached <function <lambda> at"
    assert inline in source, source
    assert "0x" not in source and "test_holder" not in source
    why = "skipped holder.coded: no case can be shown: its repr cannot be made from the recorded"
    assert why in result.stderr, result.stderr
    done = run_python("-c", "import doctest, holder; print(doctest.testmod(holder))", cwd=tmp_path)
    assert "failed=0, attempted=3" in done.stdout, done.stdout
