"""Examples of calls given a function defined in a test: the example defines it from source."""

from __future__ import annotations

from pathlib import Path

from conftest import run_pytead, run_python

APPLY = '''
def apply(func, value):
    """Call *func* on *value*."""
    return func(value)
'''

TESTS = """
from apply import apply


def test_apply():
    def double(x):
        return x * 2

    assert apply(double, 3) == 6
    assert apply(lambda x: x + 1, 3) == 4


def test_closure():
    step = 5

    def shifted(x):
        return x + step

    assert apply(shifted, 1) == 6
"""


def test_a_local_function_argument_is_defined_in_the_example(tmp_path: Path) -> None:
    (tmp_path / "apply.py").write_text(APPLY)
    (tmp_path / "test_apply.py").write_text(TESTS)
    ran = run_pytead("run", "apply.apply", "--", "-m", "pytest", "-q", "-p", "no:randomly",
                     cwd=tmp_path)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "apply.py").read_text()
    defined = ">>> def double(x):\n        ...     return x * 2\n        >>> apply(double, 3)\n"
    assert defined + "        6\n" in source, source
    assert ">>> apply(lambda x: x + 1, 3)\n        4\n" in source, source
    assert "shifted" not in source  # it reads a variable of its test: not shown
    assert "import test_apply" not in source and "from test_apply" not in source
    done = run_python("-c", "import doctest, apply; print(doctest.testmod(apply))", cwd=tmp_path)
    assert "failed=0, attempted=3" in done.stdout, done.stdout
