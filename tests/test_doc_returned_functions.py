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


def test_a_function_of_the_tests_returned_is_not_shown(tmp_path: Path) -> None:
    """A decorator that hands back the function it got: that function has another qualname
    once an example defines it, so no line would be true."""
    (tmp_path / "reg.py").write_text(
        'def register(func):\n    """Keep *func*."""\n    return func\n'
    )
    (tmp_path / "test_reg.py").write_text(
        "from reg import register\n\n\ndef test_it():\n    def f():\n        return 1\n\n"
        "    assert register(f) is f\n"
    )
    ran = run_pytead("run", "reg.register", "--", "-m", "pytest", "-q", "-p", "no:randomly",
                     cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert "it returned the function test_it.<locals>.f of test_reg, not of reg" in result.stderr
    assert ">>>" not in (tmp_path / "reg.py").read_text()
