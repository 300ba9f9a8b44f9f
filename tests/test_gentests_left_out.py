"""`gen-tests` never dies on one case: each case becomes a test or is left out with its reason,
and classes from the traced program's own test files import in the generated tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool

from pytead._codec import Tagged, decode, render_source
from pytead._errors import CodecError
from pytead._leftout import (
    FAILS,
    HANGS,
    NOT_REPLAYABLE,
    LeftOut,
    one_line,
    read_verdicts,
    render_comment,
)
from pytead._store import load_fixture


def plain_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tool("pytest", "-q", "-p", "no:cacheprovider", *args, cwd=project)


def case_ids(project: Path, target: str) -> list[str]:
    module, _, name = target.rpartition(".")
    path = project / "call_logs" / Path(*module.split(".")) / f"{name}.yaml"
    return [case.id for case in load_fixture(path).cases]


def unwrapped(text: str) -> str:
    """The module's text with the left-out list's continued lines joined."""
    return text.replace("\n#     ", " ")


# -- classes defined in the traced program's test files -----------------------------------------

CALC = """
def measure(box):
    return box.size * 2


def resize(box, factor):
    return type(box)(box.size * factor)


def add(a, b):
    return a + b
"""

HELPERS = """
class Box:
    def __init__(self, size):
        self.size = size

    def __eq__(self, other):
        return isinstance(other, Box) and other.size == self.size
"""

TEST_CALC = """
import calc
from {helpers} import Box


def test_calc():
    assert calc.measure(Box(3)) == 6
    assert calc.resize(Box(2), 5) == Box(10)
    assert calc.add(1, 2) == 3
"""


def recorded_project(tmp_path: Path, *, package: bool) -> Path:
    """A project whose test files define the class its traced functions take and return."""
    project = tmp_path / "project"
    (project / "tests").mkdir(parents=True)
    (project / "calc.py").write_text(CALC)
    (project / "tests/helpers.py").write_text(HELPERS)
    helpers = "tests.helpers" if package else "helpers"
    if package:
        (project / "tests/__init__.py").write_text("")
    (project / "tests/test_calc.py").write_text(TEST_CALC.format(helpers=helpers))
    traced = run_pytead(
        "run", "calc", "--", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project
    )
    assert traced.returncode == 0, traced.stdout + traced.stderr
    return project


@pytest.mark.parametrize("package", [False, True], ids=["tests-on-sys-path", "tests-package"])
def test_a_class_from_the_test_files_imports_in_the_generated_tests(
    tmp_path: Path, package: bool
) -> None:
    project = recorded_project(tmp_path, package=package)
    helpers = "tests.helpers" if package else "helpers"
    fixture = (project / "call_logs/calc/resize.yaml").read_text()
    assert f"type: {helpers}.Box" in fixture
    assert ("sys_path: [tests]" in fixture) is not package  # pytest put tests/ on sys.path
    # In a folder of their own, the generated tests import Box only through the conftest.
    generated = run_pytead("gen-tests", "-d", "generated", cwd=project)
    assert generated.returncode == 0, generated.stderr
    assert "none left out" in generated.stderr
    text = (project / "generated/test_calc.py").read_text()
    assert f"from {helpers} import Box" in text
    assert "assert measure(Box(size=3)) == 6" in text  # as argument
    assert "assert resize(Box(size=2), 5) == Box(size=10)" in text  # and as returned value
    conftest = (project / "conftest.py").read_text()
    assert ('PROGRAM_FOLDERS = ["tests"]' in conftest) is not package
    result = plain_pytest(project, "generated")
    assert result.returncode == 0, result.stdout
    assert "3 passed" in result.stdout
    written = ["conftest.py", "generated/test_calc.py"]
    assert run_tool("ruff", "check", "--isolated", *written, cwd=project).returncode == 0
    assert (
        run_tool("ruff", "format", "--isolated", "--check", *written, cwd=project).returncode == 0
    )


def test_tests_that_cannot_import_the_test_files_class_are_left_out_the_others_written(
    tmp_path: Path,
) -> None:
    project = recorded_project(tmp_path, package=False)
    (project / "conftest.py").write_text("# the project's own conftest: pytead leaves it alone\n")
    generated = run_pytead("gen-tests", "-d", "generated", cwd=project)
    assert generated.returncode == 0, generated.stderr
    assert (project / "conftest.py").read_text().startswith("# the project's own")
    for target in ("calc.measure", "calc.resize"):
        (case,) = case_ids(project, target)
        line = f"left out {target} case {case}: fails when run: its test module fails to import"
        assert line in generated.stderr
        assert "No module named 'helpers'" in generated.stderr
    text = (project / "generated/test_calc.py").read_text()
    assert "from helpers" not in text and "assert add(1, 2) == 3" in text
    assert "2 left out (2 fails when run)" in generated.stderr
    result = plain_pytest(project, "generated")
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout


# -- values the codec cannot write ----------------------------------------------------------------

SHAPES = """
class Square:
    __slots__ = ("side",)

    def __init__(self, side):
        self.side = side

    def grow(self, by):
        self.side += by
        return self.side


def area(shape):
    return shape.side ** 2


def check(value):
    if value < 0:
        raise ValueError("negative")
    return value
"""

SHAPES_MAIN = """
import shapes

for side in (1, 2, 3):
    square = shapes.Square(side)
    square.grow(1)
    shapes.area(square)
shapes.check(5)
try:
    shapes.check(-1)
except ValueError:
    pass
"""


@pytest.fixture
def shapes(tmp_path: Path) -> Path:
    (tmp_path / "shapes.py").write_text(SHAPES)
    (tmp_path / "main.py").write_text(SHAPES_MAIN)
    assert run_pytead("run", "shapes", "--", "main.py", cwd=tmp_path).returncode == 0
    return tmp_path


@pytest.mark.parametrize("style", [[], ["--parametrize"]], ids=["plain", "parametrize"])
def test_a_value_that_cannot_be_written_is_left_out_with_its_path_the_others_written(
    shapes: Path, style: list[str]
) -> None:
    area = shapes / "call_logs/shapes/area.yaml"
    first = case_ids(shapes, "shapes.area")[0]
    # The class of one recorded argument was renamed since; the module of another was removed.
    text = area.read_text().replace("type: shapes.Square", "type: shapes.OldSquare", 1)
    area.write_text(text)
    check = shapes / "call_logs/shapes/check.yaml"
    check.write_text(check.read_text().replace("type: ValueError", "type: gone.errors.Negative"))
    generated = run_pytead("gen-tests", *style, cwd=shapes)
    assert generated.returncode == 0, generated.stderr
    assert (
        f"left out shapes.area case {first}: cannot be written as code: args.shape: its class "
        "shapes.OldSquare cannot be imported ('shapes.OldSquare' does not exist); make its module "
        "importable from the project root, or capture the call again"
    ) in generated.stderr
    raised = [c for c in case_ids(shapes, "shapes.check") if c in generated.stderr]
    assert len(raised) == 1
    assert re.search(
        r"raised: its exception class gone\.errors\.Negative cannot be imported", generated.stderr
    )
    module = (shapes / "tests/test_pytead_generated.py").read_text()
    assert f"#   shapes.area case {first}: cannot be written as code: args.shape" in unwrapped(
        module
    )
    assert "OldSquare" not in module.split("# Left out")[0]
    assert "2 left out (2 cannot be written as code)" in generated.stderr
    result = plain_pytest(shapes)
    assert result.returncode == 0, result.stdout
    assert "6 passed" in result.stdout or "passed" in result.stdout


def test_a_method_of_a_slotted_class_becomes_a_table_with_its_state_check(shapes: Path) -> None:
    generated = run_pytead("gen-tests", "--parametrize", cwd=shapes)
    assert generated.returncode == 0, generated.stderr
    text = (shapes / "tests/test_pytead_generated.py").read_text()
    assert "def test_square_grow(square, by, expected, side_after):" in text
    assert "assert square.side == side_after" in text
    result = plain_pytest(shapes)
    assert result.returncode == 0, result.stdout


# -- a renamed or removed target ---------------------------------------------------------------


def test_a_renamed_target_is_left_out_with_how_to_clean_its_fixture(shapes: Path) -> None:
    source = shapes / "shapes.py"
    source.write_text(source.read_text().replace("def area(", "def surface("))
    generated = run_pytead("gen-tests", cwd=shapes)
    assert generated.returncode == 0, generated.stderr
    assert (
        "pytead: warning: shapes.area cannot be imported any more ('shapes.area' does not "
        "exist); if it was renamed or removed, clean its fixture with `pytead clean shapes.area` "
        "(3 case(s) left out)"
    ) in generated.stderr
    text = (shapes / "tests/test_pytead_generated.py").read_text()
    assert "from shapes import Square, check\n" in text  # no import of area
    assert "#   shapes.area, all 3 case(s): target cannot be imported:" in text
    result = plain_pytest(shapes)
    assert result.returncode == 0, result.stdout
    assert " passed" in result.stdout
    replayed = run_pytead("replay", cwd=shapes)
    assert replayed.returncode == 1
    assert "shapes.area: cannot be reached any more" in replayed.stdout
    assert "clean their fixtures with `pytead clean TARGET`" in replayed.stderr
    assert "--update" not in replayed.stderr
    assert run_pytead("clean", "shapes.area", cwd=shapes).returncode == 0
    assert run_pytead("replay", cwd=shapes).returncode == 0


def test_a_module_that_no_longer_imports_leaves_out_only_its_targets(shapes: Path) -> None:
    shutil.copy(shapes / "shapes.py", shapes / "extra.py")
    (shapes / "main2.py").write_text("import extra\nextra.check(1)\n")
    assert run_pytead("run", "extra.check", "--", "main2.py", cwd=shapes).returncode == 0
    (shapes / "extra.py").write_text("def broken(:\n")
    generated = run_pytead("gen-tests", cwd=shapes)
    assert generated.returncode == 0, generated.stderr
    assert "extra.check cannot be imported any more (SyntaxError:" in generated.stderr
    assert plain_pytest(shapes).returncode == 0


# -- the codec's errors and the left-out list -----------------------------------------------

BOX = Tagged("obj", {"type": "nowhere.helpers.Box", "state": {"size": 1}})


@pytest.mark.parametrize("write", [render_source, decode], ids=["as code", "rebuilt"])
def test_a_codec_error_gives_the_path_of_the_value_it_could_not_handle(write: object) -> None:
    order = Tagged("obj", {"type": "builtins.object", "state": {"items": [1, 2, {"owner": BOX}]}})
    value = {"orders": [order], "key with space": Tagged("tuple", [BOX])}
    for node, path in ((value["orders"], "[0].items[2].owner"), (value, ".orders[0].items")):
        with pytest.raises(CodecError) as caught:
            write(node)  # type: ignore[operator]
        assert caught.value.where.startswith(path)
        # not the project's own: refused by name, before any import is tried
        assert "nowhere.helpers.Box is not trusted" in caught.value.what
    with pytest.raises(CodecError, match=r"^\['key with space'\]\[0\]: !obj type nowhere"):
        write({"key with space": Tagged("tuple", [BOX])})  # type: ignore[operator]


def test_the_list_of_left_out_cases_reads_back_as_it_was_written() -> None:
    long_failure = "AssertionError: assert " + " == ".join(["'x' * 30"] * 6)
    items = [
        LeftOut("pkg.stamp", "684b714c", FAILS, one_line(long_failure + "\n  + where more")),
        LeftOut("pkg.login", "c7bed1a7", NOT_REPLAYABLE, "a secret argument was redacted"),
        LeftOut("pkg.wait", "aa7b36cc", HANGS, "it ran longer than 2 s and was stopped"),
    ]
    lines = render_comment(items)
    assert all(len(line) <= 88 for line in lines)
    recalled = read_verdicts("x = 1\n" + "\n".join(lines) + "\n")
    assert list(recalled) == [("pkg.stamp", "684b714c"), ("pkg.wait", "aa7b36cc")]
    assert recalled["pkg.stamp", "684b714c"] == items[0]  # verdicts only: what a run found
    assert render_comment([items[1], *recalled.values()]) == render_comment(
        [items[1], items[0], items[2]]
    )
    assert one_line("bad\x00line\u2028second") == "bad?line"


PAIRS = """
class Pairs:
    def __init__(self):
        self._items = []

    def __getstate__(self):
        return list(self._items)

    def __setstate__(self, state):
        self._items = list(state)

    def add(self, key, value):
        self._items.append((key, value))
        return len(self._items)
"""


@pytest.mark.parametrize("style", [[], ["--parametrize"]], ids=["plain", "parametrize"])
def test_the_state_of_a_class_with_its_own_getstate_is_checked_through_it(
    tmp_path: Path, style: list[str]
) -> None:
    (tmp_path / "pairs.py").write_text(PAIRS)
    (tmp_path / "main.py").write_text(
        "import pairs\np = pairs.Pairs()\np.add('a', 1)\np.add('b', 2)\n"
    )
    assert run_pytead("run", "pairs", "--", "main.py", cwd=tmp_path).returncode == 0
    # Without verification: the tests must be right by themselves.
    assert run_pytead("gen-tests", "--no-verify", *style, cwd=tmp_path).returncode == 0
    text = (tmp_path / "tests/test_pytead_generated.py").read_text()
    assert ".__getstate__() == " in text
    result = plain_pytest(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "2 passed" in result.stdout
