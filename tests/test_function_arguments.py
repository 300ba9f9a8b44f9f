"""A function argument no name imports (a lambda, a test's helper) is written from the project's
own source: inline for a lambda, as a local function for a ``def``; what cannot be is left out
with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool
from test_value_roads import gen_tests

from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._errors import CodecError
from pytead._localsource import local_function
from pytead._model import Case, Returned
from pytead._unreplayable import unreplayable_reason, written_from_source

CALC = """
def apply(func, value):
    return func(value)


def pick(items, key):
    return sorted(items, key=key)
"""

MAIN = """
import math

import calc

SCALE = 10


def check():
    def scaled(x, *, by=2):
        # a helper of the test, with a comment kept as written
        return math.floor(x * SCALE / by)

    calc.apply(scaled, 3.3)
    calc.apply(lambda x: x + 1, 1)
    calc.pick(["bb", "a", "ccc"], key=lambda s: -len(s)); calc.pick([3, 1], key=lambda n: n)
    import decimal
    from fractions import Fraction as F

    def to_decimal(text):
        return decimal.Decimal(text)

    calc.apply(to_decimal, "1.5")
    calc.apply(lambda x: F(x, 3), 2)
    calc.apply(lambda _: 7, 0)  # a constant body: no position in the bytecode from 3.12 on
    calc.apply(
        lambda pair: (pair,
                      "joined"),
        1,
    )


check()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def _generated(project: Path, main: str, capsys: pytest.CaptureFixture[str]) -> str:
    (project / "main.py").write_text(main)
    assert run_pytead("run", "calc", "--", "main.py", cwd=project).returncode == 0
    return gen_tests(capsys)[0]


def test_lambdas_and_local_functions_are_written_from_source(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _generated(project, MAIN, capsys)
    assert "Left out" not in text, text
    assert "apply(lambda x: x + 1, 1) == 2" in text
    assert 'lambda s: -len(s)) == ["ccc", "bb", "a"]' in text
    assert "pick([3, 1], lambda n: n) == [1, 3]" in text  # the second lambda of its line
    assert "    def scaled(x, *, by=2):\n        # a helper of the test" in text
    assert "from main import SCALE" in text and "import math" in text
    assert "apply(scaled, 3.3) == 16" in text
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "8 passed" in result.stdout
    assert 'apply(lambda pair: (pair, "joined"), 1) == (1, "joined")' in text
    assert "apply(lambda _: 7, 0) == 7" in text
    # Modules and classes a closure held are imported under the closure variable's name.
    assert "import decimal" in text and "Fraction as F" in text
    assert 'apply(to_decimal, "1.5") == Decimal("1.5")' in text


CLOSURE = """
import calc


def check(offset):
    calc.apply(lambda x: x + offset, 1)

    @staticmethod
    def decorated(x):
        return x

    calc.apply(decorated.__func__, 2)


check(5)
"""


def test_a_closure_is_left_out_and_a_decorated_def_written_without_decorators(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _generated(project, CLOSURE, capsys)
    said = " ".join(text.replace("\n#", " ").split())  # the left-out comment, unwrapped
    assert "uses variables of the function it was defined in (offset)" in said
    assert "def test_" in text and "    def decorated(x):\n        return x" in text
    assert "@staticmethod" not in text  # the function passed is the one it decorates


CHANGED = """
import calc


def check():
    calc.apply(lambda x: x * 3, 1)


check()
"""


def test_a_source_changed_since_the_capture_leaves_its_case_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(CHANGED)
    assert run_pytead("run", "calc", "--", "main.py", cwd=project).returncode == 0
    (project / "main.py").write_text(CHANGED.replace("import calc\n", "import calc\nimport os\n"))
    text = gen_tests(capsys)[0]
    said = " ".join(text.replace("\n#", " ").split())
    assert "no lambda of check.<locals>.<lambda> at main.py:6" in said
    assert "def test_" not in text


def _payload(**changes: object) -> dict[str, object]:
    node = Encoder(root=Path(__file__).parent.parent).encode(lambda: 0)
    assert isinstance(node, Tagged) and isinstance(node.value, dict)
    return {**node.value, **changes}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"file": "../../etc/passwd.py"}, "outside the project"),
        ({"file": "/etc/hosts"}, "outside the project"),
        ({"file": "tests/nowhere.py"}, "not a Python file of the project"),
        ({"line": 1}, "the file changed"),
        ({"body": [1, 2, 3]}, "not four numbers"),
        ({"body": [1, 2, 3, 4]}, "the file changed"),
        ({"module": "os"}, "not importable by name"),
        ({"module": "x; import os"}, "lacks its qualname or module"),
        ({"params": ["x"]}, "parameters"),
        ({"closure": ["secret"]}, "(secret)"),
    ],
)
def test_a_fixture_naming_the_wrong_place_gets_a_clear_reason(
    changes: dict[str, object], reason: str
) -> None:
    root = Path(__file__).parent.parent
    assert local_function(_payload(), root).expression == "lambda: 0"
    with pytest.raises(CodecError, match="cannot write the function from source") as error:
        local_function(_payload(**changes), root)
    assert reason in str(error.value)


def test_an_input_holding_an_opaque_part_is_said_to_hold_it() -> None:
    lock = Tagged("opaque", {"type": "_thread.lock", "why": "it has no readable state"})
    itself = unreplayable_reason(Case("1", {"x": lock}, Returned(1)))
    inside = unreplayable_reason(Case("1", {"x": {"guard": lock}}, Returned(1)))
    assert itself.startswith("argument x is a _thread.lock recorded as !opaque")
    assert inside.startswith("argument x holds a _thread.lock recorded as !opaque")


def test_an_input_holding_a_function_and_an_opaque_part_is_not_written() -> None:
    function = Encoder().encode(lambda: 0)
    lock = Tagged("opaque", {"type": "_thread.lock", "why": "it has no readable state"})
    case = Case("1", {"f": function, "x": lock}, Returned(1))
    assert not written_from_source(case)
    assert written_from_source(Case("1", {"f": function}, Returned(1)))


DECORATORS = """
import functools


def register(func):
    return func


def logged(func):
    @functools.wraps(func)
    def wrapper(*args):
        return func(*args)

    return wrapper
"""

PASSED_BACK = """
import calc


def check():
    def encode(value):
        return str(value)

    calc.register(encode)
    calc.logged(encode)
    calc.logged(lambda: 0)


check()
"""


def test_a_function_the_test_passes_is_what_the_returned_one_is_compared_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for project in calc_project(tmp_path, monkeypatch, DECORATORS):
        text = _generated(project, PASSED_BACK, capsys)
        assert "Left out" not in text, text
        assert "assert result is encode" in text
        assert "assert result.__qualname__ == encode.__qualname__" in text
        assert "assert result.__wrapped__ is encode" in text
        assert 'assert result.__name__ == "<lambda>"' in text
        result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
        assert result.returncode == 0 and "3 passed" in result.stdout, result.stdout
        unwrapped = DECORATORS.replace("    return wrapper", "    return func")
        (project / "calc.py").write_text(
            unwrapped.replace("    return func\n\n\ndef", "    return None\n\n\ndef")
        )
        result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
        assert "3 failed" in result.stdout, result.stdout


HOLDER = """
class Holder:
    def __init__(self, getsizeof):
        self.getsizeof = getsizeof

    def size(self, value):
        self.calls = getattr(self, "calls", 0) + 1  # a change the test checks afterwards
        return self.getsizeof(value)
"""


def test_an_instance_keeping_a_lambda_is_built_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for project in calc_project(tmp_path, monkeypatch, HOLDER):
        main = "import calc\n\n\ndef check():\n    calc.Holder(lambda v: len(v) * 2).size('ab')\n"
        (project / "main.py").write_text(main + "\n\ncheck()\n")
        assert run_pytead("run", "calc.Holder.size", "--", "main.py", cwd=project).returncode == 0
        text, _ = gen_tests(capsys)
        assert "Left out" not in text, text
        assert "lambda v: len(v) * 2" in text and '.size("ab") == 4' in text
        assert ".calls == 1" in text
        result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
        assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout
