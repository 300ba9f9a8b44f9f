"""A returned function no name imports (``!function``) is checked by its names and what it wraps."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool
from test_value_roads import gen_tests

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Node, Tagged
from pytead._codec.yamlio import dump_yaml, load_yaml
from pytead._errors import CodecError
from pytead._fnchecks import without_functions

DECORATORS = """
import functools


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def adder(n):
    return lambda x: x + n


def logged_adder(n):
    return logged(adder(n))
"""

MAIN = """
import calc

calc.logged(len)
calc.adder(3)
calc.logged_adder(2)
"""


def _wrap(func):  # type: ignore[no-untyped-def]
    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        return func(*args, **kwargs)

    return wrapper


def test_a_wrapper_is_recorded_by_its_names_and_the_function_it_wraps() -> None:
    node = Encoder(root=Path(__file__).parent.parent).encode(_wrap(len))
    assert isinstance(node, Tagged) and node.tag == "function"
    assert isinstance(node.value, dict)
    assert node.value["qualname"] == "len" and node.value["module"] == "builtins"
    assert node.value["wrapped"] == Tagged("ref", "builtins.len")
    assert node.value["closure"] == ["func"]
    assert node.value["file"] == "tests/test_function_results.py"


def test_a_function_node_survives_yaml_and_is_never_rebuilt() -> None:
    node = Encoder().encode(lambda x: x)
    assert load_yaml(dump_yaml(node)) == node
    with pytest.raises(CodecError, match="cannot be imported by name"):
        decode(node)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, DECORATORS)


def test_returned_functions_are_checked_by_names_and_wrapped_identity(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    assert run_pytead("run", "calc", "--", "main.py", cwd=project).returncode == 0
    text, _ = gen_tests(capsys)
    # Only logged(<the lambda adder made>) is left out: its argument uses a closure variable.
    assert text.count(" case ") == 1 and "args.func" in text, text
    assert text.count("assert callable(result)") == 4  # logged_adder's result calls adder too
    assert "assert result.__wrapped__ is len" in text
    assert 'assert result.__wrapped__.__qualname__ == "adder.<locals>.<lambda>"' in text
    assert 'assert result.__qualname__ == "adder.<locals>.<lambda>"' in text
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode == 0
    # The same tests fail when the decorator stops wrapping, or the factory returns another kind.
    mutant = DECORATORS.replace("    return wrapper", "    return func").replace(
        "lambda x: x + n", "abs"
    )  # logged_adder(2) then returns abs, like adder(3): all four fail
    (project / "calc.py").write_text(mutant)
    failed = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert failed.returncode == 1
    assert "4 failed" in failed.stdout, failed.stdout


VALIDATORS = """
import functools


class Failure:
    def __init__(self, func, args):
        self.func = func
        self.args = args


def validator(func):
    @functools.wraps(func)
    def wrapper(*args):
        return func(*args) or Failure(func, args)

    return wrapper


@validator
def positive(x):
    return x > 0
"""


def test_a_function_behind_its_decorated_name_is_written_through_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for project in calc_project(tmp_path, monkeypatch, VALIDATORS):
        (project / "main.py").write_text("import calc\ncalc.positive(-1)\ncalc.positive(2)\n")
        assert run_pytead("run", "calc.positive", "--", "main.py", cwd=project).returncode == 0
        text, _ = gen_tests(capsys)
        assert "Left out" not in text, text
        assert "positive.__wrapped__" in text
        result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
        assert result.returncode == 0 and "2 passed" in result.stdout, result.stdout
        (project / "calc.py").write_text(
            VALIDATORS.replace("Failure(func, args)", "Failure(abs, args)")
        )
        result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
        assert "1 failed" in result.stdout, result.stdout


def test_a_value_holding_a_function_is_checked_without_it() -> None:
    function = Encoder().encode(lambda: 0)
    shared: list[Node] = [1]
    node = Tagged("obj", {"type": "x.Y", "state": {"f": function, "a": shared, "b": shared}})
    bare = without_functions(node)
    assert isinstance(bare, Tagged) and isinstance(bare.value, dict)
    state = bare.value["state"]
    assert isinstance(state, dict) and state["f"] is None
    assert state["a"] is state["b"] and state["a"] == [1]
    assert without_functions(shared) is shared  # nothing to take out: the node itself


def test_a_function_whose_package_rebinds_its_module_name_is_still_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for project in calc_project(tmp_path, monkeypatch, VALIDATORS):
        package = project / "checks"
        package.mkdir()
        (package / "__init__.py").write_text("from checks.positive import positive\n")
        failure, _, rest = VALIDATORS.partition("\n\n\ndef validator")
        (package / "failure.py").write_text(failure)
        positive = (
            "import functools\n\nfrom checks.failure import Failure\n\n\ndef validator" + rest
        )
        (package / "positive.py").write_text(positive)  # checks.positive is then the function
        (project / "main.py").write_text("import checks\nchecks.positive(-1)\n")
        target = "checks.positive.positive"
        assert run_pytead("run", target, "--", "main.py", cwd=project).returncode == 0
        text, _ = gen_tests(capsys)
        assert "Left out" not in text, text
        assert "from checks.positive import positive" in text
        assert "positive.__wrapped__" in text
        result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
        assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout
