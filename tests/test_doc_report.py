"""`enrich-docs` accounts for every traced function (its examples, or one reason it has none),
writes that as ``--report-json``, and shows a multi-line string result as ``print()`` output."""

from __future__ import annotations

import doctest
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import run_pytead, run_python
from hypothesis import given
from hypothesis import strategies as st

from pytead._docaccount import Evidence, account, render_tally
from pytead._doccheck import _reason
from pytead._docoutput import printed
from pytead._examples import Example, Unshown
from pytead._model import Case, Fixture, Raised, Returned, TargetInfo

#: One function per reason a function gets no example, and two that get examples.
APP = '''
class Tally:
    """A running count that starts from twice its seed."""

    def __init__(self, seed):
        self._count = seed * 2

    def bump(self, by):
        """Add *by* and return the new count."""
        self._count += by
        return self._count


def sign(x):
    """The sign of *x*."""
    if x == 0:
        raise ValueError("zero has no sign")
    return 1 if x > 0 else -1


def halve(n):
    """Halve a number.

    Examples:
        >>> halve(4)
        2.0
    """
    return n / 2


def twice(n):
    """Twice *n*."""
    return 2 * n


def tags(word):
    """The tags of a word."""
    return {word, word.upper()}


def shout(word):
    f"""Shout {word}."""
    return word.upper()


def banner(title):
    """A framed title."""
    line = "=" * len(title)
    return f"{line}\\n{title}\\n\\n{line}\\n"
'''

MAIN = """
import app, far
tally = app.Tally.__new__(app.Tally)  # made without its constructor: no record of its making
tally._count = 5
tally.bump(1)
for x in (3, -2, 0):
    try:
        app.sign(x)
    except ValueError:
        pass
app.halve(6)
app.twice(4)
app.tags("hi")
app.shout("hey")
app.banner("Menu")
far.far(1)
"""

#: The reason each target gets no example, by kind.
EXPECTED_KINDS = {
    "app.Tally.bump": "no-receiver",
    "app.halve": "hand-written",
    "app.shout": "unsafe-docstring",
    "app.tags": "no-showable-case",
    "app.twice": "no-case-reproduced",
    "far.far": "no-source",
}
REPORT_KEYS = [
    "target", "status", "reason_kind", "reason", "examples", "outcomes_recorded", "outcomes_shown",
]  # fmt: skip


@pytest.fixture(scope="module")
def accounted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Any]]:
    """The app recorded, ``twice`` then changed, and ``enrich-docs app.py`` run once.

    Returns the project, the command's stderr and the JSON report.
    """
    project = tmp_path_factory.mktemp("accounted")
    (project / "app.py").write_text(textwrap.dedent(APP).lstrip())
    (project / "far.py").write_text("def far(x):\n    return x + 1\n")
    (project / "main.py").write_text(MAIN)
    assert run_pytead("run", "app", "far", "--", "main.py", cwd=project).returncode == 0
    source = (project / "app.py").read_text()
    (project / "app.py").write_text(source.replace("return 2 * n", "return 3 * n"))
    result = run_pytead(
        "enrich-docs", "app.py", "--pages", "pages", "--report-json", "out/report.json",
        cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads((project / "out/report.json").read_text(encoding="utf-8"))
    return project, result.stderr, report


def test_each_function_without_examples_gets_one_line_with_its_reason(
    accounted: tuple[Path, str, dict[str, Any]],
) -> None:
    _, stderr, _ = accounted
    skipped = [line for line in stderr.splitlines() if line.startswith("pytead: skipped ")]
    assert sorted(line.split()[2].rstrip(":") for line in skipped) == sorted(EXPECTED_KINDS)
    assert "pytead: skipped far.far: its source was not found under the given paths" in skipped
    no_receiver = "app.Tally.bump: receiver cannot be built: pytead did not see the app.Tally made"
    assert f"pytead: skipped {no_receiver}" in stderr
    assert "pytead: skipped app.twice: no recorded case reproduced: case " in stderr
    assert "twice(4): today's code gives 12" in stderr  # the failing line and what it gives
    assert "app.tags: no case can be shown: it returned a set of strings" in stderr
    assert "app.shout: its docstring is an f-string" in stderr


def test_the_tally_adds_up(accounted: tuple[Path, str, dict[str, Any]]) -> None:
    _, stderr, _ = accounted
    counts = ", ".join(f"1 {kind}" for kind in sorted(set(EXPECTED_KINDS.values()), key=_order))
    assert f"pytead: 8 traced, 2 got examples, 6 without ({counts})" in stderr


def _order(kind: str) -> int:
    from pytead._docaccount import REASON_KINDS

    return REASON_KINDS.index(kind)  # type: ignore[arg-type]


def test_the_json_report_has_one_entry_per_traced_target(
    accounted: tuple[Path, str, dict[str, Any]],
) -> None:
    _, stderr, report = accounted
    assert report["version"] == 1
    entries = report["targets"]
    assert [e["target"] for e in entries] == sorted(e["target"] for e in entries)
    assert all(list(entry) == REPORT_KEYS for entry in entries)
    kinds = {e["target"]: e["reason_kind"] for e in entries if e["status"] == "skipped"}
    assert kinds == EXPECTED_KINDS
    for entry in entries:
        if entry["status"] == "skipped":
            assert entry["examples"] == 0 and entry["outcomes_shown"] == 0
            assert f"pytead: skipped {entry['target']}: {entry['reason']}" in stderr
        else:
            assert entry["reason_kind"] is None and entry["reason"] is None
            assert entry["examples"] >= 1
        assert 0 <= entry["outcomes_shown"] <= entry["outcomes_recorded"]
    sign = next(e for e in entries if e["target"] == "app.sign")
    assert (sign["examples"], sign["outcomes_recorded"], sign["outcomes_shown"]) == (3, 3, 3)


def test_pages_show_the_real_calls_of_hand_documented_functions(
    accounted: tuple[Path, str, dict[str, Any]],
) -> None:
    project, _, _ = accounted
    page = (project / "pages/app.md").read_text()
    halve = page[page.index("## `halve(n)`") :].split("\n## ")[0]
    assert "```pycon\n>>> from app import halve\n>>> halve(6)\n3.0\n```" in halve
    assert "    >>> halve(4)" in (project / "app.py").read_text()  # the docstring is untouched


def test_a_multi_line_string_is_shown_as_print_output_and_passes_as_a_doctest(
    accounted: tuple[Path, str, dict[str, Any]],
) -> None:
    project, _, _ = accounted
    source = (project / "app.py").read_text()
    shown = '>>> print(banner("Menu"))\n        ====\n        Menu\n        <BLANKLINE>\n'
    assert shown + "        ====\n        <BLANKLINE>\n" in source
    count = "import doctest, app; print(doctest.testmod(app))"
    done = run_python("-c", count, cwd=project)
    assert done.returncode == 0 and "failed=0," in done.stdout, done.stdout + done.stderr


def test_the_report_is_written_by_check_runs_too(
    accounted: tuple[Path, str, dict[str, Any]], tmp_path: Path
) -> None:
    project, _, _ = accounted
    path = tmp_path / "check.json"
    result = run_pytead("enrich-docs", "app.py", "--check", "--report-json", str(path), cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(path.read_text(encoding="utf-8"))["targets"]


def test_an_unwritable_report_path_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def f(x):\n    return x\n")
    (tmp_path / "main.py").write_text("import m\nm.f(1)\n")
    assert run_pytead("run", "m.f", "--", "main.py", cwd=tmp_path).returncode == 0
    (tmp_path / "taken").write_text("a file, not a folder")
    result = run_pytead("enrich-docs", "--report-json", "taken/r.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot write the report to taken/r.json" in result.stderr
    assert "Traceback" not in result.stderr


SHOUTY = '''
class Shouty(str):
    def __str__(self):
        return self.upper()


def lines():
    """Two lines."""
    return {}
'''


def test_the_repr_is_shown_when_the_print_form_does_not_reproduce(tmp_path: Path) -> None:
    (tmp_path / "text.py").write_text(SHOUTY.format('"one\\ntwo"'))
    (tmp_path / "main.py").write_text("import text\ntext.lines()\n")
    assert run_pytead("run", "text.lines", "--", "main.py", cwd=tmp_path).returncode == 0
    # Today's code returns a str whose print() differs but whose repr is the recorded one.
    (tmp_path / "text.py").write_text(SHOUTY.format('Shouty("one\\ntwo")'))
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "text.py").read_text()
    assert ">>> lines()\n        'one\\\\ntwo'\n" in source and "print(" not in source
    assert "dropped an example" not in result.stderr


# -- the print form, unit by unit ------------------------------------------------------------


def _returning(value: object) -> Case:
    return Case("c1", {}, Returned(value))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "one line",
        "one line\n",
        "trailing \nspaces",
        "a\ttab\nb",
        ">>> looks like a prompt\nb",
        "a\n  >>> indented prompt",
        "Traceback (most recent call last):\nValueError",
        "... looks like more of the call\nb",
        "  ...indented\nb",
        "<BLANKLINE>\nb",
        "carriage\rreturn\nb",
        "x" * 101 + "\nlong",
    ],
)
def test_strings_doctest_would_read_otherwise_keep_their_repr(text: str) -> None:
    assert printed(_returning(text)) is None


def test_blank_lines_become_blankline_markers() -> None:
    assert printed(_returning("\nhead\n\nbody\n")) == (
        "<BLANKLINE>", "head", "<BLANKLINE>", "body", "<BLANKLINE>",
    )  # fmt: skip


def test_only_a_returned_plain_string_is_printed() -> None:
    assert printed(Case("c", {}, Raised("builtins.ValueError", "a\nb"))) is None
    assert printed(_returning(["a\nb", "c"])) is None
    assert printed(Case("c", {}, Returned(None), yields=["a\nb\nc"])) is None


_PIECES = st.sampled_from(["a", " ", "\n", "\t", ">>> ", "<BLANKLINE>", "é", "Traceback ("])


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_a_print_form_always_passes_as_the_doctest_it_is_written_as(text: str) -> None:
    lines = printed(_returning(text))
    if lines is None:
        return
    body = "".join(f"    {line}\n" for line in (">>> print(value)", *lines))
    test = doctest.DocTestParser().get_doctest(body, {"value": text}, "t", None, 0)
    runner = doctest.DocTestRunner(verbose=False)
    runner.run(test, out=lambda _: None)
    assert runner.failures == 0 and runner.tries == 1


# -- the accounting rules ----------------------------------------------------------------------


def _fixture(*cases: Case) -> Fixture:
    return Fixture(TargetInfo("m.f", "m", "f", signature="(x)"), cases)


def _shown(case_id: str) -> Example:
    return Example(case_id, (">>> f(1)", "1"), False, "int->int")


def test_examples_that_could_not_be_written_are_not_counted() -> None:
    fixture = _fixture(_returning(1))
    ready = Evidence(fixture, located=True, chosen=[_shown("c1")], edit="its docstring is bytes")
    got = account(ready)
    assert (got.reason_kind, got.reason, got.examples, got.outcomes_shown) == (
        "unsafe-docstring", "its docstring is bytes", 0, 0,
    )  # fmt: skip
    written = account(Evidence(fixture, located=True, chosen=[_shown("c1")]))
    assert (written.status, written.examples, written.outcomes_shown) == ("examples", 1, 1)


def test_the_reason_most_cases_give_is_the_one_printed() -> None:
    unshown = [Unshown("a", "receiver cannot be built: x", True), Unshown("b", "nondet")]
    assert account(Evidence(_fixture(), located=True, unshown=unshown)).reason_kind == (
        "no-receiver"
    )
    unshown.append(Unshown("c", "volatile"))
    got = account(Evidence(_fixture(), located=True, unshown=unshown))
    assert got.reason == "no case can be shown: nondet (case b)"


def test_a_fixture_refused_whole_is_not_reported_as_a_missing_source() -> None:
    refused = "call_logs/m/f.yaml:3: target module m is not trusted; add it to trusted-types"
    got = account(Evidence(_fixture(_returning(1)), refused=refused, refused_whole=True))
    assert (got.reason_kind, got.reason) == ("no-showable-case", f"no case can be shown: {refused}")


def test_a_fixture_whose_cases_cannot_be_read_says_so() -> None:
    refused = "call_logs/m/f.yaml:9: case 1: unknown tag !bogus; fix the case or record it again"
    got = account(Evidence(_fixture(), located=True, refused=refused))
    assert (got.reason_kind, got.reason) == ("no-showable-case", f"no case can be shown: {refused}")


def test_outcomes_are_counted_by_value_and_by_exception_type() -> None:
    cases = [
        _returning(1),
        Case("c2", {"x": 2}, Returned(1)),
        Case("c3", {"x": 3}, Returned([1, 2])),
        Case("c4", {"x": 4}, Raised("builtins.ValueError", "a")),
        Case("c5", {"x": 5}, Raised("builtins.ValueError", "b")),
    ]
    assert account(Evidence(_fixture(*cases), located=True)).outcomes_recorded == 3


def test_the_tally_counts_every_account() -> None:
    fixture = _fixture(_returning(1))
    accounts = [
        account(Evidence(fixture, located=True, chosen=[_shown("c1")])),
        account(Evidence(fixture)),
        account(Evidence(fixture, located=True, edit="it has a hand-written Examples section")),
    ]
    assert (
        render_tally(accounts)
        == "3 traced, 1 got examples, 2 without (1 hand-written, 1 no-source)"
    )


def test_a_failing_doctest_is_told_by_its_line_and_first_differing_output() -> None:
    report = "Failed example:\n    f(1)\nExpected:\n    same\n    old\nGot:\n    same\n    new\n"
    assert _reason(report) == "f(1): today's code gives new"
    raised = "Failed example:\n    g()\nException raised:\n    Traceback (most recent call last):\n"
    assert (
        _reason(raised + "      File x\n    KeyError: 'k'\n")
        == "g(): today's code raises KeyError: 'k'"
    )
