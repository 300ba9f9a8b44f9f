"""Generated code is built, never pasted: fixture text that reaches a test module or a doctest is
checked as the name it claims to be, or written as an escaped literal, so it stays data.

Each hostile fixture goes through the commands that write code from it; a canary file that the
fixture tries to create must never appear, and every module written must compile and pass ruff.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_python, run_tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytead._cli import main
from pytead._codec import Tagged
from pytead._codec.literals import comment_text, str_literal
from pytead._codec.registry import REGISTRY, TypeCodec
from pytead._doccheck import Check
from pytead._examples import Example, candidate_examples
from pytead._expected import match_pattern
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo, case_from_node
from pytead._names import is_case_id
from pytead._store import load_fixture
from pytead._testgen import ModuleWriter

CANARY = "CANARY"
RUN_CANARY = f"__import__('os').system('touch {CANARY}')"

CALC = '''
def add(a, b):
    """Add two things."""
    return a + b


def fail(message):
    """Raise what it is given."""
    raise ValueError(message)


def options(**kwargs):
    """The names of the options given."""
    return sorted(kwargs)
'''

HEADER = "pytead: 1\ntarget: calc.{name}\nmodule: calc\nkind: function\nsignature: '{sig}'\n"
SIGNATURES = {"add": "(a, b)", "fail": "(message)", "options": "(**kwargs)"}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def write_fixture(root: Path, name: str, cases: str, *, file_name: str | None = None) -> Path:
    """A fixture of ``calc.NAME`` with *cases* (YAML list items) as hand-written text."""
    path = root / "call_logs" / "calc" / (file_name or f"{name}.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(name=name, sig=SIGNATURES[name])
    path.write_text(header + "cases:\n" + textwrap.dedent(cases), encoding="utf-8")
    return path


def pytead(*args: str) -> int:
    return main(list(args))


def generated_modules(root: Path) -> list[Path]:
    return sorted((root / "tests").glob("test_*.py"))


def assert_safe_module(path: Path) -> str:
    """The module compiles, passes ruff, and every character it holds can be seen."""
    text = path.read_text(encoding="utf-8")
    compile(text, str(path), "exec")
    assert all(line.isprintable() for line in text.splitlines()), text
    first_party = "lint.isort.known-first-party = ['calc']"
    linted = run_tool(
        "ruff", "check", "--isolated", "--config", first_party, str(path), cwd=path.parent
    )
    assert linted.returncode == 0, linted.stdout
    return text


def one_error_line(captured: pytest.CaptureFixture[str]) -> str:
    (line,) = captured.readouterr().err.strip().splitlines()
    return line


# -- names that are not what they claim: the case is left out, with its file and line ------

HOSTILE_CASES = {
    "an id closing a docstring": (
        "add",
        f'- id: "x\\"\\"\\"\\n{RUN_CANARY}\\n\\"\\"\\""\n  args: {{a: 1, b: 2}}\n  returned: 3\n',
        "is not a case id",
    ),
    "an exception type with code in it": (
        "fail",
        "- id: ab12cd34\n  args: {message: no}\n"
        f'  raised: {{type: "ValueError if {RUN_CANARY} else ValueError", message: no}}\n',
        "is not a dotted name",
    ),
    "an argument name with code in it": (
        "add",
        f'- id: ab12cd34\n  args: {{"a=1 if {RUN_CANARY} else 1, b": 1}}\n  returned: 1\n',
        "is not a parameter name",
    ),
    "an id with a zero-width space": (
        "add",
        '- id: "ab12\\u200bcd34"\n  args: {a: 1, b: 2}\n  returned: 3\n',
        "is not a case id",
    ),
    "an id with a bidi override": (
        "add",
        '- id: "ab12\\u202ecd34"\n  args: {a: 1, b: 2}\n  returned: 3\n',
        "is not a case id",
    ),
}


@pytest.mark.parametrize("command", [["gen-tests", "--no-verify"], ["enrich-docs"], ["list"]])
@pytest.mark.parametrize("hostile", list(HOSTILE_CASES), ids=list(HOSTILE_CASES))
def test_a_case_whose_names_are_not_names_is_left_out_with_its_line(
    project: Path, hostile: str, command: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    name, cases, what = HOSTILE_CASES[hostile]
    path = write_fixture(project, name, cases)
    before = path.read_bytes()
    assert pytead(*command) == 2
    err = capfd.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("pytead: error: ")]
    assert line.startswith(f"pytead: error: {Path('call_logs/calc')}")
    assert re.search(rf"{re.escape(name)}\.yaml:7: case 1: .*{what}", line), line
    assert line.isprintable()
    assert not (project / CANARY).exists()
    for module in generated_modules(project):  # gen-tests lists the case as left out
        assert "__import__" not in assert_safe_module(module)
    assert path.read_bytes() == before  # nothing rewritten


CASES = "cases:\n- id: ab12cd34\n  args: {a: 1, b: 2}\n  returned: 3\n"
HOSTILE_HEADERS = {
    "a module with statements": (
        f'pytead: 1\ntarget: "calc import add;{RUN_CANARY};from calc.add"\n'
        f'module: "calc import add;{RUN_CANARY};from calc"\n',
        "is not a dotted name",
    ),
    "a signature naming no parameter": (
        "pytead: 1\ntarget: calc.add\nmodule: calc\nsignature: '(a, b c)'\n",
        "not an identifier",
    ),
    "a sys_path with a control character": (
        'pytead: 1\ntarget: calc.add\nmodule: calc\nsys_path: ["src\\x1b"]\n',
        "inside the project",
    ),
}


@pytest.mark.parametrize("hostile", list(HOSTILE_HEADERS), ids=list(HOSTILE_HEADERS))
def test_a_header_whose_names_are_not_names_fails_its_fixture(
    project: Path, hostile: str, capfd: pytest.CaptureFixture[str]
) -> None:
    header, what = HOSTILE_HEADERS[hostile]
    path = project / "call_logs" / "calc" / "add.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(header + CASES)
    for command in (["gen-tests", "--no-verify"], ["enrich-docs"], ["show", "calc.*"]):
        assert pytead(*command) == 2
        line = one_error_line(capfd)
        assert what in line and f"{Path('call_logs/calc/add.yaml')}:2: " in line, line
        assert line.isprintable()
    assert not (project / CANARY).exists()
    assert "calc" not in sys.modules  # refused before anything was imported
    assert generated_modules(project) == []


# -- text that is data: escaped in what is written, and the tests still pass ----------------


def test_a_fixture_file_name_with_a_newline_stays_in_its_comment(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "add",
        "- id: ab12cd34\n  args: {a: 1, b: 2}\n  returned: 3\n",
        file_name=f"add\n{RUN_CANARY}\n#.yaml",
    )
    assert pytead("gen-tests", "--parametrize") == 0, capfd.readouterr().err
    (module,) = generated_modules(project)
    text = assert_safe_module(module)
    assert "add\\n__import__" in text
    ran = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", str(module), cwd=project)
    assert ran.returncode == 0, ran.stdout
    assert not (project / CANARY).exists()


@pytest.mark.parametrize("parametrize", [[], ["--parametrize"]], ids=["plain", "parametrized"])
def test_a_nul_in_an_exception_message_compiles_and_its_match_still_matches(
    project: Path, parametrize: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    write_fixture(
        project,
        "fail",
        """\
        - id: ab12cd34
          args: {message: "bad\\0value"}
          raised: {type: ValueError, message: "bad\\0value"}
        - id: ab12cd35
          args: {message: "tab\\there (1)"}
          raised: {type: ValueError, message: "tab\\there (1)"}
        """,
    )
    assert pytead("gen-tests", *parametrize) == 0, capfd.readouterr().err
    report = capfd.readouterr().err
    assert "left out" not in report or "none left out" in report, report
    (module,) = generated_modules(project)
    text = assert_safe_module(module)
    assert 'match="^bad\\x00value$"' in text or '"^bad\\x00value$"' in text
    ran = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", str(module), cwd=project)
    assert ran.returncode == 0 and "2 passed" in ran.stdout, ran.stdout


INVISIBLE = "\u200b\u200f\u202a\u202e\u2066\u2069\u2060\ufeff\u2028\u2029\x00\x1b\x85"


@pytest.mark.parametrize("parametrize", [[], ["--parametrize"]], ids=["plain", "parametrized"])
def test_invisible_characters_in_values_and_messages_are_written_as_escapes(
    project: Path, parametrize: list[str], capfd: pytest.CaptureFixture[str]
) -> None:
    escaped = INVISIBLE.encode("unicode_escape").decode("ascii").replace("\\x", "\\x")
    write_fixture(
        project,
        "add",
        f'- id: ab12cd34\n  args: {{a: "x{escaped}", b: "y"}}\n  returned: "x{escaped}y"\n',
    )
    write_fixture(
        project,
        "fail",
        f'- id: ab12cd35\n  args: {{message: "m{escaped}"}}\n'
        f'  raised: {{type: ValueError, message: "m{escaped}"}}\n',
    )
    assert pytead("gen-tests", *parametrize) == 0, capfd.readouterr().err
    (module,) = generated_modules(project)
    text = assert_safe_module(module)
    assert not any(char in text for char in INVISIBLE)
    for char in INVISIBLE:
        assert repr(char)[1:-1] in text
    ran = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", str(module), cwd=project)
    assert ran.returncode == 0 and "2 passed" in ran.stdout, ran.stdout


HOSTILE_KEY = f"x=1 if {RUN_CANARY} else 1, y"


def test_a_kwargs_key_with_code_in_it_is_passed_as_data_in_tests_and_doctests(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    key = HOSTILE_KEY.replace('"', '\\"')
    write_fixture(
        project,
        "options",
        f'- id: ab12cd34\n  args: {{"**kwargs": {{"{key}": 1}}}}\n  returned: ["{key}"]\n',
    )
    assert pytead("gen-tests", "--parametrize") == 0, capfd.readouterr().err
    (module,) = generated_modules(project)
    text = assert_safe_module(module)
    assert f"**{{{str_literal(HOSTILE_KEY)}: 1}}" in text
    assert pytead("enrich-docs") == 0, capfd.readouterr().err
    source = (project / "calc.py").read_text()
    assert f">>> options(**{{{str_literal(HOSTILE_KEY)}: 1}})" in source
    doctests = run_python(
        "-m", "pytest", "-q", "--doctest-modules", "-p", "no:cacheprovider", "calc.py",
        cwd=project,
    )  # fmt: skip
    assert doctests.returncode == 0 and "1 passed" in doctests.stdout, doctests.stdout
    assert not (project / CANARY).exists()


# -- the pieces: validators, renderer, doctest construction ---------------------------------


@pytest.mark.parametrize(
    ("node", "what"),
    [
        ({"id": "a b", "args": {}, "returned": 1}, "is not a case id"),
        ({"id": "ab", "args": {"*": 1}, "returned": 1}, "is not a parameter name"),
        ({"id": "ab", "args": {"class": 1}, "returned": 1}, "is not a parameter name"),
        ({"id": "ab", "args": {"\ufb01le": 1}, "returned": 1}, "is not a parameter name"),
        ({"id": "ab", "args": {}, "args_after": {"a.b": 1}, "returned": 1}, "parameter name"),
        ({"id": "ab", "args": {"**kw": {1: 2}}, "returned": 1}, "is not a string"),
        ({"id": "ab", "args": {}, "defaulted": ["a;b"], "returned": 1}, "parameter names"),
        ({"id": "ab", "args": {}, "raised": {"type": "a..b", "message": ""}}, "dotted name"),
        (
            {
                "id": "ab", "args": {}, "returned": 1,
                "other_outcomes": [{"raised": {"type": "os;x", "message": ""}}],
            },
            "dotted name",
        ),
        (
            {
                "id": "ab", "args": {}, "returned": 1, "yields": [],
                "driven": [{"throw": {"type": "x if y else z", "message": ""}}],
            },
            "dotted name",
        ),
    ],
)  # fmt: skip
def test_each_name_a_case_holds_is_checked_as_what_it_claims(node: object, what: str) -> None:
    with pytest.raises(ValueError, match=what):
        case_from_node(node)


def test_a_kwargs_key_is_data_and_loads(tmp_path: Path) -> None:
    case = case_from_node({"id": "ab", "args": {"**kw": {HOSTILE_KEY: 1}}, "returned": 1})
    assert case.args["**kw"] == {HOSTILE_KEY: 1}


def test_a_qualname_with_locals_loads_but_gives_no_doctest(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "pytead: 1\ntarget: calc.outer.<locals>.inner\nmodule: calc\n"
        "cases:\n- id: ab\n  args: {}\n  returned: 1\n"
    )
    fixture = load_fixture(path)
    assert fixture.target.qualname == "outer.<locals>.inner"
    assert candidate_examples(fixture, {}) == []


def test_the_doctest_verifier_takes_only_examples_built_by_pytead() -> None:
    with pytest.raises(TypeError, match="only examples built by pytead"):
        Check("calc.add#ab", "calc", (">>> __import__('os')\n",))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line",
    [
        ">>> add(1, 2)\u2028>>> __import__('os')",
        ">>> add(1, 2)\r>>> __import__('os')",
        ">>> add(1,",
        ">>> add(1); add(2)",
        "ValueError: bad\x0cvalue",
    ],
)
def test_an_example_refuses_lines_doctest_would_read_otherwise(line: str) -> None:
    with pytest.raises(ValueError):
        Example("ab", (line, "3"), raised=False, kind="int->int")


def test_an_exception_message_that_does_not_show_all_it_holds_gives_no_doctest() -> None:
    info = TargetInfo("calc.fail", "calc", "fail", signature="(message)")
    cases = (
        Case("ab", {"message": "x"}, Raised("builtins.ValueError", "bad\rvalue")),
        Case("cd", {"message": "y"}, Raised("builtins.ValueError", "plain")),
    )
    examples = candidate_examples(Fixture(info, cases), {})
    assert [e.case_id for e in examples] == ["cd"]


@given(st.text())
def test_any_text_becomes_a_printable_literal_of_itself(text: str) -> None:
    literal = str_literal(text)
    assert literal.isprintable()
    assert ast.literal_eval(literal) == text


@given(st.text())
def test_any_message_becomes_a_printable_pattern_that_matches_it(message: str) -> None:
    literal = match_pattern(message)
    assert isinstance(literal, str) and literal.isprintable()
    assert re.search(ast.literal_eval(literal), message)


@given(st.text())
def test_any_text_becomes_a_one_line_comment(text: str) -> None:
    comment = comment_text(text)
    assert comment.isprintable() and len(("# " + comment).splitlines()) == 1


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(TEXT, TEXT, st.booleans()), min_size=1, max_size=4),
    file_name=st.text(max_size=10),
    parametrize=st.booleans(),
)
def test_any_recorded_text_gives_a_module_that_compiles_and_holds_it(
    rows: list[tuple[str, str, bool]], file_name: str, parametrize: bool
) -> None:
    cases = tuple(
        Case(
            id=f"{n:08x}",
            args={"a": text, "b": other},
            outcome=Raised("builtins.ValueError", text) if raised else Returned(text + other),
        )
        for n, (text, other, raised) in enumerate(rows)
    )
    info = TargetInfo("calc.add", "calc", "add", signature="(a, b)")
    writer = ModuleWriter(parametrize=parametrize, threshold=80)
    writer.add_fixture(Fixture(info, cases))
    module = writer.render([f"call_logs/calc/{file_name}.yaml"])
    tree = ast.parse(module.text)
    assert all(line.isprintable() for line in module.text.splitlines())
    constants = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)} | set(
        module.snapshots.values()
    )
    for text, other, raised in rows:
        assert text in constants and other in constants
        if raised:
            patterns = [c for c in constants if isinstance(c, str) and c.startswith("^")]
            assert any(re.fullmatch(p, text) for p in patterns)
        else:
            assert text + other in constants
    assert f"#   call_logs/calc/{comment_text(file_name)}.yaml" in module.text


def test_case_ids_are_what_pytead_writes() -> None:
    assert is_case_id("82482f89") and is_case_id("set-sorted") and not is_case_id("")
    assert not any(is_case_id(f"ab{c}") for c in '"\n #:\u200b')
    assert unicodedata.category("\u200b") == "Cf"


def test_a_fixture_error_names_the_case_line(tmp_path: Path) -> None:
    path = tmp_path / "add.yaml"
    path.write_text(
        "pytead: 1\ntarget: calc.add\nmodule: calc\ncases:\n"
        "- id: ab\n  args: {a: 1}\n  returned: 1\n"
        '- id: "x y"\n  args: {a: 1}\n  returned: 1\n'
    )
    (rejected,) = load_fixture(path).rejected
    error = rejected.error(path)
    assert "case 2: the id 'x y' is not a case id" in error.one_line() and error.line == 8


def test_a_builtin_that_is_no_exception_class_leaves_its_case_out() -> None:
    info = TargetInfo("calc.fail", "calc", "fail", signature="(message)")
    case = Case("ab12cd34", {"message": "x"}, Raised("builtins.print", "x"))
    writer = ModuleWriter(parametrize=False, threshold=80)
    writer.add_fixture(Fixture(info, (case,)))
    module = writer.render([])
    assert module.tests == 0
    (left_out,) = module.left_out
    assert "print is not a built-in exception class" in left_out.detail


class Broken:
    def __init__(self, value: object) -> None:
        self.value = value


@pytest.mark.parametrize("parametrize", [False, True])
def test_a_codec_source_form_that_is_not_code_is_rebuilt_from_yaml_instead(
    monkeypatch: pytest.MonkeyPatch, parametrize: bool
) -> None:
    source = lambda value: (f"B({value}); import os", set())  # noqa: E731
    codec = TypeCodec(Broken, "safety.Broken", lambda b: b.value, Broken, source)
    monkeypatch.setitem(REGISTRY._by_tag, codec.tag, codec)
    monkeypatch.setitem(REGISTRY._by_type, Broken, codec)
    info = TargetInfo("calc.add", "calc", "add", signature="(a, b)")
    cases = (
        Case("ab12cd34", {"a": Tagged("safety.Broken", 1), "b": 2}, Returned(3)),
        Case("ab12cd35", {"a": 1, "b": "x"}, Returned("1x")),
    )
    writer = ModuleWriter(parametrize=parametrize, threshold=80)
    writer.add_fixture(Fixture(info, cases))
    module = writer.render([])
    compile(module.text, "generated.py", "exec")
    assert module.written == 2 and not module.left_out
    assert "import os" not in module.text
    assert 'fixture_value("!safety.Broken 1")' in module.text
