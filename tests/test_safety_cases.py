"""One bad case never stops the rest of its fixture: it is left out with its file, line and reason.

Each fixture here holds two good cases around a hostile one (an id closing a docstring, an
exception type that is an expression, an argument name with code in it). Every command goes on
with the good cases, names the bad one with ``file:line``, exits 2, and leaves the file exactly as
it was, including ``replay --update`` and a ``pytead run`` that records a new case of the target.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_python

from pytead._cli import main
from pytead._store import load_fixture

CANARY = "CANARY"
RUN_CANARY = f"__import__('os').system('touch {CANARY}')"

CALC = '''
def add(a, b):
    """Add two things."""
    return a + b
'''

HEADER = "pytead: 1\ntarget: calc.add\nmodule: calc\nkind: function\nsignature: '(a, b)'\n"
GOOD_FIRST = "- id: ab12cd34\n  args: {a: 1, b: 2}\n  returned: 3\n"
GOOD_LAST = "- id: ab12cd56\n  args: {a: 2, b: 3}\n  returned: 5\n"
#: The bad case is the second: it starts on line 10, after the header and the first case.
BAD_LINE = 10

BAD_CASES = {
    "an id closing a docstring": (
        f'- id: "x\\"\\"\\"\\n{RUN_CANARY}\\n\\"\\"\\""\n  args: {{a: 1, b: 2}}\n  returned: 3\n',
        "is not a case id",
    ),
    "an exception type with code in it": (
        "- id: ab12cd45\n  args: {a: 1, b: 1}\n"
        f'  raised: {{type: "ValueError if {RUN_CANARY} else ValueError", message: no}}\n',
        "is not a dotted name",
    ),
    "an argument name with code in it": (
        f'- id: ab12cd45\n  args: {{"a=1 if {RUN_CANARY} else 1, b": 1}}\n  returned: 1\n',
        "is not a parameter name",
    ),
}
KINDS = list(BAD_CASES)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def write_fixture(root: Path, kind: str) -> Path:
    path = root / "call_logs" / "calc" / "add.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    bad, _ = BAD_CASES[kind]
    path.write_text(HEADER + "cases:\n" + GOOD_FIRST + bad + GOOD_LAST, encoding="utf-8")
    return path


def assert_bad_case_reported(kind: str, err: str) -> None:
    """Exactly one error line, naming the bad case's file, line and number, and the fix."""
    _, what = BAD_CASES[kind]
    errors = [line for line in err.splitlines() if line.startswith("pytead: error: ")]
    assert len(errors) == 1, err
    where = re.escape(f"{Path('call_logs/calc/add.yaml')}:{BAD_LINE}: case 2: ")
    fix = "; fix the file by hand or delete the case and capture again"
    assert re.fullmatch(rf"pytead: error: {where}.*{what}.*{re.escape(fix)}", errors[0]), errors
    assert errors[0].isprintable()


@pytest.fixture(params=KINDS)
def bad(request: pytest.FixtureRequest, project: Path) -> Iterator[tuple[str, Path, bytes]]:
    """The kind of bad case, its fixture, and the fixture's bytes (unchanged after each test)."""
    kind = str(request.param)
    path = write_fixture(project, kind)
    before = path.read_bytes()
    yield kind, path, before
    assert path.read_bytes() == before
    assert not (project / CANARY).exists()


def test_the_good_cases_load_and_the_bad_one_is_kept_aside(bad: tuple[str, Path, bytes]) -> None:
    kind, path, _ = bad
    fixture = load_fixture(path)
    assert [case.id for case in fixture.cases] == ["ab12cd34", "ab12cd56"]
    (rejected,) = fixture.rejected
    assert (rejected.number, rejected.line) == (2, BAD_LINE)
    assert BAD_CASES[kind][1] in rejected.reason
    assert rejected.label.isprintable() and "\n" not in rejected.id


def test_list_counts_the_good_cases_and_names_the_bad_one(
    bad: tuple[str, Path, bytes], capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["list"]) == 2
    out, err = capfd.readouterr()
    assert re.search(r"calc\.add\s+2 case\(s\)", out), out
    assert_bad_case_reported(bad[0], err)


@pytest.mark.parametrize("yaml", [[], ["--yaml"]], ids=["cases", "yaml"])
def test_show_shows_the_good_cases_and_names_the_bad_one(
    bad: tuple[str, Path, bytes], yaml: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "calc.add", *yaml]) == 2
    out, err = capfd.readouterr()
    assert "a: 2, b: 3" in out if yaml else "add(a=2, b=3) -> 5" in out, out
    assert_bad_case_reported(bad[0], err)


def test_gen_tests_writes_and_verifies_the_good_cases(
    bad: tuple[str, Path, bytes], project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["gen-tests"]) == 2
    err = capfd.readouterr().err
    assert_bad_case_reported(bad[0], err)
    assert "left out calc.add case 2" in err and "cannot be read from its fixture" in err, err
    module = project / "tests" / "test_pytead_generated.py"
    text = module.read_text(encoding="utf-8")
    compile(text, str(module), "exec")
    assert "calc.add case 2" in text and f"line {BAD_LINE}, " in text
    assert "__import__" not in text
    assert text.count("\ndef test_") == 2, text
    ran = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", str(module), cwd=project)
    assert ran.returncode == 0 and "2 passed" in ran.stdout, ran.stdout
    for again in (["gen-tests", "--check"], ["gen-tests"]):  # no flapping
        assert main(again) == 2
        err = capfd.readouterr().err
        assert "stale" not in err and "out of date" not in err, err
        assert module.read_text(encoding="utf-8") == text


def test_enrich_docs_writes_examples_of_the_good_cases(
    bad: tuple[str, Path, bytes], project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["enrich-docs"]) == 2
    assert_bad_case_reported(bad[0], capfd.readouterr().err)
    source = (project / "calc.py").read_text(encoding="utf-8")
    assert ">>> add(a=1, b=2)" in source or ">>> add(1, 2)" in source, source
    compile(source, "calc.py", "exec")


def test_replay_replays_the_good_cases(
    bad: tuple[str, Path, bytes], capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay"]) == 2
    out, err = capfd.readouterr()
    assert "calc.add: 2 case(s), all unchanged" in out, out
    assert_bad_case_reported(bad[0], err)


def test_replay_update_never_rewrites_a_fixture_with_a_bad_case(
    bad: tuple[str, Path, bytes], project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (project / "calc.py").write_text(CALC.replace("return a + b", "return a + b + 1"))
    assert main(["replay", "--update"]) == 2
    out, err = capfd.readouterr()
    assert "calc.add: 2 case(s), 2 changed" in out and "updated" not in out, out
    refusal = [line for line in err.splitlines() if "not rewritten" in line]
    assert len(refusal) == 1 and f"add.yaml:{BAD_LINE}: " in refusal[0], err


@pytest.mark.parametrize("kind", KINDS)
def test_a_run_keeps_new_calls_aside_until_the_bad_case_is_fixed(project: Path, kind: str) -> None:
    path = write_fixture(project, kind)
    before = path.read_bytes()
    (project / "main.py").write_text("import calc\n\nprint(calc.add(10, 20))\n")
    ran = run_pytead("run", "calc.add", "--", "main.py", cwd=project)
    assert ran.returncode == 0 and ran.stdout == "30\n", ran.stderr
    (warning,) = [line for line in ran.stderr.splitlines() if "warning" in line]
    assert warning.startswith("pytead: warning: ") and f"add.yaml:{BAD_LINE}: case 2 " in warning
    assert path.read_bytes() == before
    listed = run_pytead("list", cwd=project)  # the next command picks the journal up: kept again
    assert listed.returncode == 2 and path.read_bytes() == before, listed.stderr
    bad, _ = BAD_CASES[kind]
    path.write_text(path.read_text(encoding="utf-8").replace(bad, ""), encoding="utf-8")
    listed = run_pytead("list", cwd=project)
    assert listed.returncode == 0 and re.search(r"calc\.add\s+3 case\(s\)", listed.stdout)
    assert "a: 10" in path.read_text(encoding="utf-8")  # nothing was lost
    assert not (project / CANARY).exists()


def test_the_test_module_names_a_bad_case_by_its_place_not_its_text(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    write_fixture(project, KINDS[0])
    assert main(["gen-tests", "--no-verify"]) == 2
    capfd.readouterr()
    text = (project / "tests" / "test_pytead_generated.py").read_text(encoding="utf-8")
    comment = text[text.index("# Left out by pytead gen-tests") :].splitlines()
    assert comment[1:] == [
        "#   calc.add case 2: cannot be read from its fixture: line 10, see `pytead list` for why"
    ]
    assert "__import__" not in text  # the bad case's text is not in the module, even escaped
