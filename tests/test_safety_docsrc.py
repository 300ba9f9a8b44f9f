"""enrich-docs edits a source file only inside the docstring sections pytead owns.

Each test is one class of damage a source file must never suffer: line counting that differs
from the tokenizer's, a docstring found by searching a line for a string, re-encoding text
outside pytead's section, inserted text that does not fit the literal, and the file's mode,
encoding, BOM and line endings lost on writing.
"""

from __future__ import annotations

import ast
import doctest
import re
import stat
import textwrap
from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._docstrings import MARKER, Edit, FunctionSpot, apply_edits

EXAMPLE = [">>> f(1)", "1"]


def spots(source: str) -> dict[str, FunctionSpot]:
    """Every function of *source*, found the way griffe finds them (AST line numbers)."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            found[node.name] = FunctionSpot(name=node.name, first_line=first, style="google")
    return found


def edit(source: str, examples: list[list[str]], name: str = "f") -> tuple[str, str]:
    """*source* with *examples* written for function *name*; and what happened."""
    spot = spots(source)[name]
    new, statuses = apply_edits(source, [Edit(spot, examples)])
    return new, statuses[spot]


def docstring_of(source: str, name: str = "f") -> str | None:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_docstring(node, clean=False)
    raise AssertionError(f"no function {name}")


def examples_in(docstring: str) -> list[tuple[str, str]]:
    parsed = doctest.DocTestParser().get_examples(docstring)
    return [(example.source, example.want) for example in parsed]


# -- where the docstring is --------------------------------------------------------------------


@pytest.mark.parametrize(
    "above", ["\x0c\n", "# a\u2028b\n", "# a\u2029b\n", "x = 1\x0c\n", "# \x0b \x1c \x85\n"]
)
def test_characters_str_splitlines_takes_for_line_breaks_do_not_shift_the_edit(
    above: str,
) -> None:
    source = f'import os\n{above}\n\ndef f(x):\n    """Doc."""\n    return x\n'
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert new.startswith(f"import os\n{above}\n\ndef f(x):\n")
    assert examples_in(docstring_of(new) or "") == [("f(1)\n", "1\n")]


def test_a_lone_carriage_return_counts_as_a_line_break_as_the_tokenizer_says() -> None:
    source = 'import os\r\rdef f(x):\r    """Doc."""\r    return x\r'
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert "\n" not in new  # inserted lines end the way this file's lines end
    assert examples_in((docstring_of(new) or "").replace("\r", "\n")) == [("f(1)\n", "1\n")]


def test_a_string_default_on_the_def_line_is_not_taken_for_the_docstring() -> None:
    source = 'def f(x, sep="-"): """Doc."""\n'
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert new.startswith('def f(x, sep="-"): """Doc.\n')
    tree = ast.parse(new)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    default = function.args.defaults[0]
    assert isinstance(default, ast.Constant) and default.value == "-"
    assert examples_in(docstring_of(new) or "") == [("f(1)\n", "1\n")]


def test_a_single_quoted_docstring_becomes_triple_quoted_and_nothing_else_changes() -> None:
    source = "def f(x):\n    'It\\'s \"Doc.\"'  # trailing comment\n    return x\n"
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    head, _, tail = new.partition("'''It\\'s \"Doc.\"\n")
    assert head == "def f(x):\n    "
    assert tail.endswith("\n    '''  # trailing comment\n    return x\n")
    assert (docstring_of(new) or "").startswith('It\'s "Doc."\n\n    Examples:\n')
    assert examples_in(docstring_of(new) or "") == [("f(1)\n", "1\n")]


# -- what is written, and what is never re-encoded ---------------------------------------------


def test_backslashes_of_the_docstring_itself_are_never_re_encoded() -> None:
    source = 'def f(x):\n    """Tab \\t, newline \\n, \\\\ and \\" end."""\n    return x\n'
    once, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert once.startswith('def f(x):\n    """Tab \\t, newline \\n, \\\\ and \\" end.\n')
    twice, _ = edit(once, [EXAMPLE])
    assert twice == once
    original = docstring_of(source) or ""
    assert (docstring_of(once) or "").startswith(original)


@pytest.mark.parametrize("prefix", ["", "u", "U"])
def test_text_inserted_in_a_plain_literal_is_escaped_for_it(prefix: str) -> None:
    source = f'def f(x):\n    {prefix}"""Doc."""\n    return x\n'
    hostile = [">>> f('\\\\')", "'a\x00b\u2028c\u202ed\u200be\\\\'", '""" + """']
    new, status = edit(source, [hostile])
    assert status == "written"
    assert "\x00" not in new and "\u2028" not in new and "\u202e" not in new
    compile(new, "m.py", "exec")
    assert examples_in(docstring_of(new) or "") == [
        ("f('\\\\')\n", '\'a\x00b\u2028c\u202ed\u200be\\\\\'\n""" + """\n')
    ]
    assert edit(new, [hostile])[0] == new


@pytest.mark.parametrize("prefix", ["r", "R"])
def test_a_raw_literal_takes_text_as_it_is_or_is_skipped(prefix: str) -> None:
    source = f'def f(x):\n    {prefix}"""Match \\d+."""\n    return x\n'
    new, status = edit(source, [[">>> f('\\\\d')", "'\\\\d'"]])
    assert status == "written"
    assert f'{prefix}"""Match \\d+.\n' in new
    assert examples_in(docstring_of(new) or "") == [("f('\\\\d')\n", "'\\\\d'\n")]
    for unwritable in ("'a\x00b'", "'\u2028'", 'say """'):
        kept, status = edit(source, [[">>> f(1)", unwritable]])
        assert kept == source
        assert status.startswith("skipped: ") and "raw" in status


@pytest.mark.parametrize(
    ("docstring", "why"),
    [
        ('"Doc " "more."', "several string literals"),
        ('("Doc "\n     "more.")', "several string literals"),
        ('b"Doc."', "bytes"),
        ('f"Doc {1}."', "f-string"),
    ],
)
def test_a_docstring_that_cannot_be_edited_safely_is_skipped_with_why(
    docstring: str, why: str
) -> None:
    source = f"def f(x):\n    {docstring}\n    return x\n"
    new, status = edit(source, [EXAMPLE])
    assert new == source
    assert status.startswith("skipped: ") and why in status


def test_a_continuation_backslash_before_the_section_is_not_changed_in_meaning() -> None:
    source = 'def f(x):\n    """Doc, \\\n    continued."""\n    return x\n'
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert (docstring_of(new) or "").startswith(docstring_of(source) or "")


def test_tabs_indentation_is_the_docstring_own() -> None:
    source = 'class C:\n\tdef f(self):\n\t\t"""Doc."""\n\t\treturn 1\n'
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert "\n\t\tExamples:\n\t\t    " + MARKER in new
    assert examples_in(docstring_of(new) or "") == [("f(1)\n", "1\n")]


def test_mixed_line_endings_inside_a_docstring_are_kept() -> None:
    source = 'def f(x):\r\n    """Doc.\n\r\n    More.\r    """\r\n    return x\r\n'
    new, _ = edit(source, [EXAMPLE])
    assert new.startswith('def f(x):\r\n    """Doc.\n\r\n    More.')
    assert new.endswith('\r    """\r\n    return x\r\n')
    assert edit(new, [])[0] == source


def test_a_function_without_docstring_after_a_form_feed() -> None:
    source = "import os\n\x0c\ndef f(x):\n\x0c    return x\n"
    new, status = edit(source, [EXAMPLE])
    assert status == "written"
    assert new.startswith('import os\n\x0c\ndef f(x):\n    """Examples of real calls')
    assert new.endswith("\n\x0c    return x\n")
    assert edit(new, [])[0] == source


def test_a_def_continued_with_a_backslash_gets_no_inserted_docstring() -> None:
    source = "def f(x): \\\n    return x\n"
    new, status = edit(source, [EXAMPLE])
    assert new == source
    assert status.startswith("skipped: ")


def test_methods_of_the_same_name_in_two_classes_are_told_apart() -> None:
    source = (
        'class A:\n    def f(self):\n        """A."""\n\n'
        'class B:\n    def f(self):\n        """B."""\n'
    )
    tree = ast.parse(source)
    a, b = (
        FunctionSpot(name="f", first_line=node.lineno, style="google")
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    )
    new, statuses = apply_edits(source, [Edit(a, [[">>> 1", "1"]]), Edit(b, [])])
    assert statuses == {a: "written", b: "nothing to write"}
    assert new.count(MARKER) == 1 and new.index(MARKER) < new.index('"""B."""')


# -- the file on disk --------------------------------------------------------------------------

TRACED = textwrap.dedent(
    '''\
    def f(x):
        """Tab \\t here."""
        return x
    '''
)


def _project(tmp_path: Path, data: bytes, mode: int) -> Path:
    (tmp_path / "mod.py").write_bytes(data)
    (tmp_path / "mod.py").chmod(mode)
    (tmp_path / "use.py").write_text("import mod\nmod.f(1)\n")
    assert run_pytead("run", "mod.f", "--", "use.py", cwd=tmp_path).returncode == 0
    return tmp_path / "mod.py"


def line_endings(data: bytes) -> set[bytes]:
    return set(re.findall(rb"\r\n|\r|\n", data))


@pytest.mark.parametrize(
    ("head", "newline", "encoding"),
    [
        (b"", b"\n", "utf-8"),
        (b"\xef\xbb\xbf", b"\r\n", "utf-8"),
        (b"# -*- coding: latin-1 -*-\n", b"\n", "latin-1"),
        (b"#!/usr/bin/env python\r# vim: set fileencoding=cp1252 :\r", b"\r", "cp1252"),
    ],
    ids=["lf", "bom-crlf", "latin-1", "cp1252-cr"],
)
def test_the_file_keeps_its_mode_encoding_bom_and_line_endings(
    tmp_path: Path, head: bytes, newline: bytes, encoding: str
) -> None:
    text = TRACED.replace("here", "h\u00e9r\u00e9") + "\u00e9 = 1"  # no trailing newline
    original = head + text.encode(encoding).replace(b"\n", newline)
    path = _project(tmp_path, original, 0o755)
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert MARKER.encode() in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert data.startswith(head + b"def f(x):" + newline)
    assert data.endswith(newline + b"    return x" + newline + "\u00e9 = 1".encode(encoding))
    assert b"Tab \\t h" + "\u00e9r\u00e9".encode(encoding) in data
    assert line_endings(data) == {newline}
    check = run_pytead("enrich-docs", "--check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr  # a second run changes nothing


HOSTILE_MODULE = '''\
def echo(text):
    """Return *text* as it is (a \\\\t stays a backslash and a t)."""
    return text


def joined(a, b):
    "Join " "two strings."
    return a + b
'''


def test_recorded_text_with_nul_and_line_separators_makes_passing_doctests(
    tmp_path: Path,
) -> None:
    (tmp_path / "hostile.py").write_text(HOSTILE_MODULE)
    (tmp_path / "use.py").write_text(
        "import hostile\nhostile.echo('a\\x00b\\u2028c\\\\d\"\"\"e')\nhostile.joined('x', 'y')\n"
    )
    assert run_pytead("run", "hostile", "--", "use.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        "pytead: skipped hostile.joined: its docstring is made of several string literals"
        in result.stderr
    )
    after = (tmp_path / "hostile.py").read_text()
    assert "\x00" not in after and "\u2028" not in after
    assert after.startswith('def echo(text):\n    """Return *text* as it is (a \\\\t stays')
    assert after.endswith(HOSTILE_MODULE[HOSTILE_MODULE.index("\n\n\ndef joined") :])
    args = ("-m", "pytest", "--doctest-modules", "-p", "no:cacheprovider", "hostile.py")
    doctests = run_python(*args, cwd=tmp_path)
    assert doctests.returncode == 0 and "1 passed" in doctests.stdout, doctests.stdout
    check = run_pytead("enrich-docs", "--check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
