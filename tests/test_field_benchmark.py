"""The field benchmark's own logic: the mutator, the byte-preservation check, junit, the table.

These run without network; the benchmark itself (`benchmarks/field/run.py`) needs PyPI.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks" / "field"))

from fieldbench import mutate, pipeline, report, sections, steps
from fieldbench.corpus import load_corpus

from pytead._docstrings import Edit, FunctionSpot, apply_edits

MODULE = textwrap.dedent(
    '''\
    import functools

    # a comment that must survive
    def untouched(x):
        return x + 1


    class Box:
        @functools.cache  # decorator kept
        def grow(self, size):
            """Doc."""
            if size > 3:
                return size - 1
            strict = False
            return size if strict else size + 2
    '''
)


def _call(source: str, *args: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<mutant>", "exec"), namespace)
    return namespace["Box"]().grow(*args)


# -- the mutator -------------------------------------------------------------------------------


def test_mutants_cover_every_operator_of_the_target_only() -> None:
    mutants = mutate.list_mutants(MODULE, target="m.Box.grow", path="m.py", qualname="Box.grow")
    operators = {mutant.operator for mutant in mutants}
    assert operators == set(mutate.OPERATORS)
    assert all(mutant.line >= 11 for mutant in mutants)  # nothing from `untouched`
    numbers = [m for m in mutants if m.operator == "bump-number"]
    assert [m.line for m in numbers] == [12, 13, 15]


def test_a_mutant_changes_behaviour_and_nothing_outside_its_function() -> None:
    mutants = mutate.list_mutants(MODULE, target="m.Box.grow", path="m.py", qualname="Box.grow")
    assert _call(MODULE, 5) == 4
    results = {}
    for mutant in mutants:
        mutated = mutate.apply_mutant(MODULE, mutant)
        assert mutated.splitlines()[:9] == MODULE.splitlines()[:9]  # comment and decorator kept
        assert "@functools.cache  # decorator kept" in mutated
        results[(mutant.operator, mutant.index)] = (_call(mutated, 5), _call(mutated, 1))
    assert results[("swap-binop", 0)] == (6, 3)
    assert results[("negate-compare", 0)] == (7, 0)
    assert results[("return-none", 0)] == (None, 3)
    assert results[("flip-bool", 0)] == (4, 1)
    assert results[("drop-if-body", 0)] == (7, 3)
    assert results[("bump-number", 0)] == (4, 3)  # `size > 4`: 5 still takes the branch


def test_an_unknown_function_has_no_mutants() -> None:
    assert mutate.list_mutants(MODULE, target="m.f", path="m.py", qualname="Box.shrink") == []
    assert mutate.list_mutants(MODULE, target="m.f", path="m.py", qualname="untouched.x") == []


def test_sampling_is_reproducible_bounded_and_keeps_the_listed_order() -> None:
    mutants = mutate.list_mutants(MODULE, target="m.Box.grow", path="m.py", qualname="Box.grow")
    first = mutate.sample(mutants, size=4, seed="pkg==1.0")
    assert first == mutate.sample(mutants, size=4, seed="pkg==1.0")
    assert len(first) == 4
    assert first == [mutant for mutant in mutants if mutant in first]
    assert mutate.sample(mutants, size=100, seed="x") == mutants


# -- the byte-preservation check ---------------------------------------------------------------

ORIGINAL = (
    "import re\n\n\n"
    "def one(x):\n"
    '    """Doc with a \\t escape."""\n'
    "    return x\n\n\n"
    "def two(x):\n"
    '    """Summary.\n\n    Details.\n    """\n'
    "    return x\n\n\n"
    "def three(x):\n"
    "    return x\n"
)


def _spot(name: str, first: int) -> FunctionSpot:
    return FunctionSpot(name=name, first_line=first, style="google")


def _edited(source: str) -> str:
    edits = [
        Edit(_spot("one", 4), [[">>> one(1)", "1"]]),
        Edit(_spot("two", 9), [[">>> two(2)", "2"], [">>> two('a')", "'a'"]]),
        Edit(_spot("three", 17), [[">>> three(3)", "3"]]),
    ]
    return apply_edits(source, edits)[0]


def test_sections_written_by_pytead_leave_the_file_otherwise_the_same() -> None:
    original = ORIGINAL
    edited = _edited(original)
    assert edited != original
    assert len(sections.managed_literals(edited)) == 3
    assert sections.same_outside_sections(original, edited) == (True, "")


def test_crlf_files_are_compared_as_they_are() -> None:
    original = ORIGINAL.replace("\n", "\r\n")
    edited = _edited(original)
    assert "\r\n" in edited and "\n" not in edited.replace("\r\n", "")
    assert sections.same_outside_sections(original, edited) == (True, "")


def test_a_change_outside_the_sections_is_found_with_its_line() -> None:
    original = ORIGINAL
    edited = _edited(original).replace("return x\n\n\ndef two", "return x + 0\n\n\ndef two")
    same, where = sections.same_outside_sections(original, edited)
    assert not same
    assert where.startswith("line 6:")


def test_a_doubled_backslash_inside_a_docstring_is_damage() -> None:
    edited = _edited(ORIGINAL).replace("\\t", "\\\\t", 1)  # `\t` re-encoded as `\\t`
    same, where = sections.same_outside_sections(ORIGINAL, edited)
    assert not same
    assert where.startswith("line 5:")


def test_the_section_text_is_what_follows_the_heading() -> None:
    body = (
        "Summary.\n\n    Examples:\n        Real calls, recorded by pytead:\n\n"
        "        >>> f()\n        1\n    "
    )
    text = sections.section_text(body)
    assert text is not None
    assert text.splitlines()[1].strip() == "Examples:"
    assert text.rstrip().endswith("1")
    assert sections.section_text("Summary.\n\n    Examples:\n        >>> f()\n") is None


# -- junit, failure classes and the table ------------------------------------------------------

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
<testcase classname="generated.test_a" name="test_ok" time="0.1"/>
<testcase classname="generated.test_a" name="test_bad[1]" time="0.1">
  <failure message="AssertionError: assert 'job-12:01' == 'job-12:02'">long text</failure>
</testcase>
<testcase classname="generated.test_a" name="test_bad[2]" time="0.1">
  <failure message="AssertionError: assert 'job-12:07' == 'job-12:09'">long text</failure>
</testcase>
<testcase classname="generated.test_b" name="test_skip" time="0.0">
  <skipped message="opaque input" />
</testcase>
</testsuite></testsuites>
"""


def test_junit_outcomes_and_grouped_failure_reasons(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    outcomes = steps.read_junit(path)
    assert outcomes.passed() == {"generated.test_a::test_ok"}
    assert (outcomes.count("failed"), outcomes.count("skipped")) == (2, 1)
    assert report.failure_reasons(outcomes) == {"AssertionError: assert '…' == '…'": 2}
    assert steps.read_junit(tmp_path / "absent.xml").tests == {}


def test_failure_classes_blank_values_and_addresses() -> None:
    assert report.failure_class("E at 0x7f00ab: got 12 and -3.5") == "E at 0x…: got N and N"


def test_a_step_past_its_timeout_fails_with_that_reason(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import time; time.sleep(30)"]
    with pytest.raises(steps.StepFailed, match="timed out after 1 s") as failure:
        steps.run_command(command, cwd=tmp_path, env={}, timeout=1, step="suite")
    assert failure.value.step == "suite"


ROW_OK = {
    "name": "pkg",
    "version": "1.0",
    "suite": {"untraced": {"passed": 10}, "traced": {"passed": 9}, "ratio": 1.2, "changed": 1},
    "targets": {"listed": 3, "resolved": 2, "reached": 2, "cases": 7, "refused": {"pkg.x": "no"}},
    "gentests": {"exit": 0, "tests": 8, "passed": 6, "failed": 2, "errors": 0, "skipped": 0},
    "mutation": {"mutants": 10, "killed": 4},
    "docs": {
        "functions": 2,
        "examples": 5,
        "passed": 5,
        "bytes_preserved": True,
        "idempotent": True,
    },
}
ROW_FAILED = {"name": "other", "version": "2.0", "failed": [{"step": "venv", "reason": "no pip"}]}


def test_the_overall_row_adds_the_packages_up() -> None:
    total = report.overall([ROW_OK, ROW_FAILED])
    assert total["packages_failed"] == 1
    assert (total["generated_tests"], total["generated_pass_rate"]) == (8, 75.0)
    assert total["kill_rate"] == 40.0
    assert total["suite_changed"] == 1
    assert total["gentests_exit_0"] == 1


def test_the_table_has_a_row_per_package_and_the_overall_one() -> None:
    table = report.render_table([ROW_OK, ROW_FAILED]).splitlines()
    assert len(table) == 2 + 3
    assert table[2].startswith(
        "| pkg 1.0 | 10→9 | 1.2 | 2/3 / 2 | 7 | 0 | 6/2/0/0 | — | 4/10 (40%)"
    )
    assert "venv: no pip" in table[3]
    assert table[4].startswith("| **all (2)** | 10→9 |")
    findings = report.render_findings(ROW_OK)
    assert "- target `pkg.x` refused: `no`" in findings


def test_the_corpus_is_pinned_and_explains_each_package() -> None:
    corpus = load_corpus()
    assert len(corpus.packages) >= 8
    for package in corpus.packages:
        assert package.version and package.version[0].isdigit()
        assert package.why and package.targets
    assert all("==" in requirement for requirement in corpus.requirements)


def test_numpy_sections_are_recognised() -> None:
    original = (
        'def f(x):\n    """Summary.\n\n    Parameters\n    ----------\n    x : int\n    """\n'
    )
    edited = apply_edits(original, [Edit(_numpy_spot(), [[">>> f(1)", "1"]])])[0]
    assert "    Examples\n    --------\n" in edited
    assert sections.same_outside_sections(original, edited) == (True, "")


def _numpy_spot() -> FunctionSpot:
    return FunctionSpot(name="f", first_line=1, style="numpy")


# -- the probe, run inside a package's environment ---------------------------------------------


def test_the_probe_locates_functions_behind_a_shadowed_submodule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "shadowpkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .slugs import slugs\n")
    (package / "slugs.py").write_text(
        "import functools\n\n"
        "def _deco(f):\n    @functools.wraps(f)\n    def inner(*a):\n        return f(*a)\n"
        "    return inner\n\n@_deco\ndef slugs(text):\n    return text\n"
    )
    (package / "extra.py").write_text("def more():\n    return 1\n")  # not imported by __init__
    monkeypatch.syspath_prepend(str(tmp_path))
    from fieldbench import probe

    spellings = [
        "shadowpkg.slugs.slugs",
        "shadowpkg.slugs",
        "shadowpkg.nothing",
        "shadowpkg.extra.more",
    ]
    targets = probe.locate(spellings)["targets"]
    assert targets["shadowpkg.extra.more"]["file"] == str(package / "extra.py")
    assert targets["shadowpkg.slugs.slugs"]["qualname"] == "slugs"
    assert targets["shadowpkg.slugs.slugs"]["file"] == str(package / "slugs.py")
    assert targets["shadowpkg.slugs"]["file"] == str(package / "slugs.py")
    assert "cannot be imported" in targets["shadowpkg.nothing"]["error"]
    sys.modules.pop("shadowpkg", None)
    sys.modules.pop("shadowpkg.slugs", None)
    sys.modules.pop("shadowpkg.extra", None)


def test_changed_outcomes_ignore_ids_that_name_the_clock() -> None:
    before = steps.Outcomes(tests={"t::a": "passed", "t::b[21:11:44]": "passed", "t::c": "passed"})
    after = steps.Outcomes(tests={"t::a": "failed", "t::b[21:11:52]": "passed"})
    assert pipeline.changed_outcomes(before, after) == ["t::a", "t::c"]


def test_the_error_line_of_a_traceback_is_the_exception_not_the_summary() -> None:
    done = steps.Done(
        1, "", "Traceback (most recent call last):\n  ...\nValueError: bad\npytead: no calls\n", 0
    )
    assert steps.error_line(done) == "ValueError: bad"
    assert steps.error_line(steps.Done(2, "", "pytead: error: x: not found\n", 0)) == (
        "pytead: error: x: not found"
    )


def test_a_run_is_shown_beside_its_baseline() -> None:
    baseline = {"date": "2026-12-01 10:00 UTC", "overall": report.overall([ROW_FAILED])}
    current = {"date": "2026-12-02 10:00 UTC", "overall": report.overall([ROW_OK])}
    lines = report.render_comparison(baseline, current).splitlines()
    assert lines[0] == "| figure | baseline (2026-12-01) | now |"
    assert "| mutants killed (%) | — | 40 |" in lines
    assert "| suite tests that changed outcome when traced | 0 | 1 |" in lines


def test_failure_classes_fold_addresses_cut_short() -> None:
    assert report.failure_class("assert {'a': <X at ...16e9a80>}") == "assert {'…': <X at ...0x…>}"


def test_left_out_cases_are_counted_from_the_gen_tests_report() -> None:
    failing = "fails on unchanged code: assert"
    report_text = (
        f"pytead: left out calc.stamp case 1a2b3c4d: {failing} 'a-1' == 'a-2'\n"
        f"pytead: left out calc.stamp case 5e6f7a8b: {failing} 'b-3' == 'b-4'\n"
        "pytead: warning: calc.gone cannot be imported; run `pytead clean calc.gone`"
        " (3 case(s) left out)\n"
        "pytead: 9 case(s): 4 written as 4 test(s)\n"
    )
    found = pipeline.left_out_cases(report_text)
    assert found["left_out"] == 5
    assert found["left_out_reasons"]["fails on unchanged code: assert '…' == '…'"] == 2


# -- what the generated modules are made of ----------------------------------------------------

GENERATED = textwrap.dedent(
    """\
    import pytest
    from pytead import rebuild

    from shop import Cart, total


    def test_total_2_3():
        assert total(2, 3) == 5


    def test_cart_add():
        cart = rebuild(Cart, {"items": {}})
        assert cart.add("mug") == 1


    @pytest.mark.parametrize(
        ("cart", "expected"),
        [
            pytest.param(Cart(), 0, id="empty"),
            pytest.param(rebuild(Cart, {"items": {"mug": 1}}), 1, id="mug"),
            pytest.param(Cart(), 0, id="again"),
        ],
    )
    def test_cart_size(cart, expected):
        assert cart.size() == expected
    """
)


def test_generated_modules_count_tests_needing_pytead_row_by_row(tmp_path: Path) -> None:
    from fieldbench.generated import inspect_generated

    (tmp_path / "test_shop.py").write_text(GENERATED)
    (tmp_path / "test_plain.py").write_text("def test_one():\n    assert 1 == 1\n")
    snapshots = tmp_path / "__snapshots__"
    snapshots.mkdir()
    (snapshots / "test_shop.ambr").write_text("  Tag(<py3-none-any @ 140654066821824>)\n")
    found = inspect_generated(tmp_path)
    assert found["modules"] == 2
    assert found["modules_importing_pytead"] == 1
    assert (found["tests_counted"], found["tests_needing_pytead"]) == (6, 2)
    assert found["addresses"] == 1
    assert "140654066821824" in found["address_examples"][0]


@pytest.mark.parametrize(
    "text",
    ["<Foo object at 0x7f3a2b1c4d50>", "Node(id=140654066821824)", "ptr 0x55d1e2f3a4b5"],
)
def test_address_shapes_are_found(text: str) -> None:
    from fieldbench.generated import ADDRESS

    assert ADDRESS.search(text)


def test_address_shapes_leave_ordinary_numbers_alone() -> None:
    from fieldbench.generated import ADDRESS

    assert not ADDRESS.search('assert parse("0x1f") == 31 and total(1234567) == 99')
    assert not ADDRESS.search('assert loads("n = 0xDEADBEEF")["n"] == 3735928559')


def test_roads_are_read_from_the_gen_tests_output() -> None:
    from fieldbench.generated import roads

    output = "wrote x\npytead: values: 12 literal, 3 recorded call, 0 rebuild\npytead: 9 case(s)"
    assert roads(output) == {"literal": 12, "recorded call": 3, "rebuild": 0}
    assert roads("pytead: 9 case(s): ...") == {}


def test_the_line_probe_records_what_the_tests_run(tmp_path: Path) -> None:
    import json
    import subprocess

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "shop.py").write_text(
        "def total(a, b):\n    if a:\n        return a + b\n    return 0\n"
    )
    (tmp_path / "helpers").mkdir()  # the suite's own package, at the project's root
    (tmp_path / "helpers" / "__init__.py").write_text("ONE = 1\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "test_it.py").write_text(
        "from helpers import ONE\nfrom shop import total\n\n"
        "def test_it():\n    assert total(ONE, 2) == 3\n"
    )
    out = tmp_path / "lines.json"
    probe = Path(pipeline.PROBE)
    env = {"PYTHONPATH": str(package), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, probe, "lines", out, package, "generated"],
        check=True, cwd=tmp_path, env=env, capture_output=True,
    )  # fmt: skip
    lines = json.loads(out.read_text())["shop.py"]
    assert 2 in lines and 3 in lines
    assert 4 not in lines  # `return 0` never ran: a mutant there cannot be killed


def test_handwritten_examples_rules() -> None:
    from fieldbench.docfigures import has_handwritten_examples

    assert has_handwritten_examples("Do.\n\nExamples:\n    x\n")
    assert has_handwritten_examples("Do.\n\nExamples\n--------\nx\n")
    assert has_handwritten_examples("Do.\n    >>> f()\n    1\n")
    assert not has_handwritten_examples("Do.\n\nArgs:\n    x: an example value.\n")
    assert not has_handwritten_examples(None)


def test_shown_outcomes_counts_distinct_results_and_exception_types() -> None:
    from fieldbench.docfigures import shown_outcomes

    section = (
        ">>> f(1)\n2\n>>> f(2)\n2\n>>> f(-1)\nTraceback (most recent call last):\n"
        "    ...\nValueError: negative\n>>> f(-2)\nTraceback (most recent call last):\n"
        "    ...\nValueError: other\n>>> x = f(3)\n"
    )
    assert shown_outcomes(section) == 2
    assert shown_outcomes(">>> f(1)\n2\n") == 1


def test_skip_reasons_grouped_with_a_default() -> None:
    from fieldbench.docfigures import grouped_reasons, skip_reasons

    reasons = skip_reasons("pytead: skipped pkg.a: its file cannot be read (x)\nother line\n")
    assert reasons == {"pkg.a": "its file cannot be read (x)"}
    grouped = grouped_reasons(["pkg.a", "pkg.b"], reasons)
    assert grouped == {"its file cannot be read (x)": 1, "no reason given": 1}


# -- the documentation figures -----------------------------------------------------------------

ORIGINAL_DOCS = textwrap.dedent(
    '''\
    import sys


    def bare(x):
        return x


    def shown(x):
        """Shown.

        >>> shown(1)
        1
        """
        return x


    class Box:
        @property
        def size(self):
            """The size."""
            return 1

        @size.setter
        def size(self, value):
            pass


    if sys.version_info >= (3, 0):
        def late(x):
            """Late."""
            return x
    '''
)
SECTION = (
    "\n\n    Examples:\n        Real calls, recorded by pytead:\n\n"
    "        >>> bare(1)\n        1\n        >>> bare(-1)\n        Traceback (most recent call"
    " last):\n            ...\n        ValueError: negative\n    "
)
ENRICHED_DOCS = ORIGINAL_DOCS.replace("return x\n", f'"""Bare.{SECTION}"""\n    return x\n', 1)


def _store_with(store: Path, cases: dict[str, list[Any]]) -> None:
    from pytead._model import Case, Fixture, Raised, Returned, TargetInfo
    from pytead._store import fixture_path, write_fixture

    for qualname, outcomes in cases.items():
        info = TargetInfo(f"pkg.mod.{qualname}", "pkg.mod", qualname)
        made = tuple(
            Case(
                id=f"c{index}",
                args={"x": index},
                outcome=Raised("builtins.ValueError", "no") if value is ValueError else
                Returned(value),
            )
            for index, value in enumerate(outcomes)
        )  # fmt: skip
        write_fixture(fixture_path(store, "pkg.mod", qualname), Fixture(info, made))


def test_doc_targets_are_read_before_and_after_enrichment(tmp_path: Path) -> None:
    from fieldbench.doctargets import describe_targets

    for root, text in zip(_roots(tmp_path), (ORIGINAL_DOCS, ENRICHED_DOCS), strict=True):
        (root / "pkg").mkdir(parents=True)
        (root / "pkg" / "__init__.py").write_text("")
        (root / "pkg" / "mod.py").write_text(text)
    store = tmp_path / "call_logs"
    _store_with(
        store,
        {"bare": [1, ValueError, 1], "shown": [1, 2], "Box.size": [1], "late": [3, 3],
         "gone": [1]},
    )  # fmt: skip
    found = {item["target"]: item for item in describe_targets(store, *_roots(tmp_path))}
    bare = found["pkg.mod.bare"]
    assert (bare["cases"], bare["outcomes_recorded"]) == (3, 2)
    assert (bare["section"], bare["examples"], bare["outcomes_shown"]) == (True, 2, 2)
    assert not bare["handwritten"] and bare["found"]
    assert found["pkg.mod.shown"]["handwritten"] and not found["pkg.mod.shown"]["section"]
    assert found["pkg.mod.Box.size"]["found"]  # getter and setter share the name
    assert found["pkg.mod.late"]["found"] and found["pkg.mod.late"]["outcomes_recorded"] == 1
    assert not found["pkg.mod.gone"]["found"]


def _roots(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "original", tmp_path / "enriched"


def test_a_call_that_prints_nothing_shows_none_and_an_assignment_shows_nothing() -> None:
    from fieldbench.docfigures import shown_outcomes

    section = ">>> x = search('a')\n>>> search('b')\n>>> search('c')\n<Result>\n"
    assert shown_outcomes(section, "search") == 2
    assert shown_outcomes(section) == 1
    assert shown_outcomes(">>> box = Box()\n>>> box.add(1)\n", "add") == 1


def test_report_reasons_forgive_missing_keys_and_bad_shapes() -> None:
    from fieldbench.docfigures import NO_REASON, report_reasons

    text = json.dumps(
        {
            "version": 1,
            "targets": [
                {"target": "p.a", "status": "skipped", "reason_kind": "hand-written",
                 "reason": "it has a hand-written Examples section"},
                {"target": "p.b", "status": "skipped"},
                {"target": "p.c", "status": "examples", "examples": 2},
                {"status": "skipped", "reason": "no target named"},
                "not an entry",
            ],
        }
    )  # fmt: skip
    reasons = report_reasons(text)
    assert reasons is not None
    assert reasons["p.a"] == "hand-written: it has a hand-written Examples section"
    assert reasons["p.b"] == NO_REASON
    assert "no pytead section" in reasons["p.c"]
    assert len(reasons) == 3
    for bad in ("{not json", "[]", '{"targets": 3}', ""):
        assert report_reasons(bad) is None


def test_printed_reasons_cover_skips_drops_and_missing_sources() -> None:
    from fieldbench.docfigures import enrich_reasons

    output = (
        "pytead: dropped an example of p.a (case 1f): NameError: name 'x' is not defined\n"
        "pytead: dropped an example of p.a (case 2e): other\n"
        "pytead: p.b was not found under the given paths\n"
        "pytead: skipped p.c: it has a hand-written Examples section\n"
        "pytead: dropped an example of p.c (case 3d): late\n"
    )
    reasons, source = enrich_reasons(output, None)
    assert source == "output"
    assert reasons["p.a"] == "no example reproduced: NameError: name 'x' is not defined"
    assert reasons["p.b"] == "its source was not found under the given paths"
    assert reasons["p.c"] == "it has a hand-written Examples section"
    report_text = json.dumps({"targets": [{"target": "p.a", "reason_kind": "no-receiver"}]})
    reasons, source = enrich_reasons(output, report_text)
    assert (source, reasons["p.a"], reasons["p.b"]) == ("report", "no-receiver", reasons["p.b"])
    assert enrich_reasons(output, "garbage")[1] == "output"


def _record(name: str, **fields: Any) -> dict[str, Any]:
    base = {"target": name, "cases": 2, "handwritten": False, "section": False}
    return {**base, "outcomes_recorded": 1, "outcomes_shown": 0, **fields}


def test_doc_figures_leave_out_handwritten_and_unrecorded_functions() -> None:
    from fieldbench.docfigures import doc_figures

    targets = [
        _record("p.a", section=True, outcomes_recorded=3, outcomes_shown=2),
        _record("p.b", section=True, outcomes_recorded=2, outcomes_shown=1),
        _record("p.c", outcomes_recorded=2),
        _record("p.d", handwritten=True, outcomes_recorded=4),
        _record("p.e", cases=0, outcomes_recorded=0),
    ]
    figures = doc_figures(targets, {"p.c": "no-receiver: x"})
    assert (figures["traced"], figures["handwritten"]) == (4, 1)
    assert (figures["added"], figures["eligible"]) == (2, 3)
    assert (figures["outcomes_shown"], figures["several_outcomes"]) == (1, 3)
    assert figures["no_example_reasons"] == {"no-receiver: x": 1, "no reason given": 1}
    assert figures["examples_in_sections"] == 0  # the records say no examples
    targets[0]["examples"] = 4
    assert doc_figures(targets, {})["examples_in_sections"] == 4


def test_the_doc_figures_reach_the_table_the_totals_and_the_findings() -> None:
    docs = {"added": 2, "eligible": 3, "several_outcomes": 4, "outcomes_shown": 1}
    row = {**ROW_OK, "docs": {**ROW_OK["docs"], **docs}}
    row["docs"]["no_example_reasons"] = {"no-receiver: x": 1}
    table = report.render_table([row, ROW_FAILED]).splitlines()
    assert "| 2/3 (66.7%) | 5/5 (100%) | 1/4 (25%) |" in table[2]
    assert "| — | — | — |" in table[3]
    assert "| 2/3 (66.7%) | 5/5 (100%) | 1/4 (25%) |" in table[4]
    total = report.overall([row, row])
    assert (total["doc_added_rate"], total["doc_outcomes_rate"]) == (66.7, 25.0)
    assert total["doc_no_example_reasons"] == {"no-receiver: x": 2}
    findings = report.render_findings(row)
    assert "- 1 traced function(s) without an added example: `no-receiver: x`" in findings
    assert not any("the doctests ran" in line for line in findings)
    row["docs"]["examples_in_sections"] = 7
    assert "- the added sections hold 7 example(s); the doctests ran 5" in report.render_findings(
        row
    )
    run = {"python": "3.11", "date": "d", "machine": "m", "seconds": 1, "packages": [row]}
    assert "- 1: `no-receiver: x`" in report.render_run(run)


def test_the_doctest_probe_counts_and_fails_the_examples_of_a_module_that_does_not_import(
    tmp_path: Path,
) -> None:
    from fieldbench import probe

    root = tmp_path / "src"
    (root / "brokenpkg").mkdir(parents=True)
    path = root / "brokenpkg" / "__init__.py"
    path.write_text("raise RuntimeError('cannot start')\n" + ENRICHED_DOCS)
    found = probe.doctests(root, [path])
    assert (found["sections"], found["examples"], found["passed"]) == (1, 2, 0)
    assert "does not import: RuntimeError: cannot start" in found["failures"][0]
    sys.modules.pop("brokenpkg", None)
