"""Long example statements laid out over ``...`` lines, and receivers that keep their class."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

from conftest import run_pytead, run_python

from pytead._doclines import PS1, PS2, source_of, statement_lines, statements
from pytead._docoutput import MAX_LINE, _wrapped
from pytead._pyformat import Group, concat

LONG = "a fairly long piece of text " * 6


def _source(lines: list[str]) -> str:
    (start, end), *_ = statements(lines)
    return source_of(lines, start, end)


def test_a_short_statement_stays_on_one_line() -> None:
    assert statement_lines(Group("f(", ("1",), ")"), "  # note") == [">>> f(1)  # note"]


def test_a_long_call_is_split_and_means_the_same() -> None:
    call = Group("count(", (repr(LONG), concat("limit=", "3")), ")")
    lines = statement_lines(call)
    assert len(lines) > 2 and lines[0] == ">>> count("
    assert all(line.startswith(PS2) for line in lines[1:])
    assert all(len(line) <= MAX_LINE for line in lines), lines
    expected = ast.dump(ast.parse(f"count({LONG!r}, limit=3)"))
    assert ast.dump(ast.parse(_source(lines))) == expected


def test_many_short_items_are_filled_into_lines_and_mean_the_same() -> None:
    numbers = tuple(str(n) for n in (1618, 1378, 166, 1521, 2347, 2016, 879, 2123, 269.3, 1230))
    call = Group("ceil(", ("60", Group("[", numbers * 3, "]")), ")")
    lines = statement_lines(call)
    assert len(lines) == 8, lines  # 30 numbers on 3 lines, not one per line
    filled = lines[3:6]
    assert filled[0].startswith(PS2 + "        1618, 1378, 166,") and lines[6] == PS2 + "    ],"
    assert all(line.endswith(",") for line in filled)
    assert all(len(line) <= MAX_LINE for line in lines), lines
    expected = ast.dump(ast.parse(f"ceil(60, {[*numbers * 3]!r})".replace("'", "")))
    assert ast.dump(ast.parse(_source(lines))) == expected


def test_long_items_and_mappings_keep_one_item_per_line() -> None:
    words = tuple(repr(f"a rather long word {i}") for i in range(8))
    assert len(statement_lines(Group("f(", (Group("[", words, "]"),), ")"))) == 12
    pairs = tuple(concat(f'"k{i}": ', str(i)) for i in range(30))
    assert len(statement_lines(Group("f(", (Group("{", pairs, "}"),), ")"))) == 34


def test_a_long_keyword_string_is_cut_in_parentheses() -> None:
    call = Group("f(", (concat("text=", repr(LONG)),), ")")
    lines = statement_lines(call, "  # doctest: +ELLIPSIS")
    assert any(line.endswith("text=(") for line in lines), lines
    assert lines[-1] == "... )  # doctest: +ELLIPSIS"
    tree = ast.parse(_source(lines))
    assert ast.literal_eval(tree.body[0].value.keywords[0].value) == LONG  # type: ignore[attr-defined]


def test_text_written_as_one_expression_is_split_at_its_brackets() -> None:
    chained = f're.compile("{"x" * 90}", re.I).match("x", 0)'
    lines = statement_lines(Group("g(", (chained,), ")"))
    assert "...     re.compile(" in lines, lines
    assert '...     ).match("x", 0),' in lines or '...     ).match("x", 0)' in lines, lines
    assert ast.dump(ast.parse(_source(lines))) == ast.dump(ast.parse(f"g({chained})"))


def test_doctest_reads_the_lines_as_one_example() -> None:
    lines = statement_lines(Group("len(", (repr(LONG),), ")"))
    text = "\n".join([*lines, str(len(LONG))]) + "\n"
    examples = doctest.DocTestParser().get_examples(text)
    assert len(examples) == 1 and examples[0].want == f"{len(LONG)}\n"
    assert PS1 not in examples[0].source


MATCHER = '''
import re


def first_word(pattern, text):
    """The first word of *text* that *pattern* matches, or None."""
    found = re.search(pattern, text)
    return found.group(0) if found else None
'''

MAIN = f"""
from matcher import first_word
first_word(r"\\b(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu)\\b", {LONG!r})
first_word(r"\\b(a|fairly)\\b" + "|x" * 40, {LONG!r} + "alpha")
first_word(r"\\bpiece\\b", "short text, one piece")
"""


def test_calls_with_long_arguments_get_examples_that_pass(tmp_path: Path) -> None:
    (tmp_path / "matcher.py").write_text(MATCHER)
    (tmp_path / "main.py").write_text(MAIN)
    assert run_pytead("run", "matcher.first_word", "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "matcher.py").read_text()
    assert ">>> first_word(\n" in source and "    ... )\n" in source, source
    assert max(len(line.strip()) for line in source.splitlines()) <= MAX_LINE
    _passes(tmp_path, "matcher", 3)


CONVERTER = '''
class int_convert:
    """Turns text into an int, in a base chosen at creation."""

    def __init__(self, base=10):
        self.base = base

    def __call__(self, text):
        return int(text, self.base)

    def __getitem__(self, digit):
        return int(digit, self.base)

    def __getattr__(self, name):
        if name.startswith("digit_"):
            return int(name.removeprefix("digit_"), self.base)
        raise AttributeError(name)
'''


def test_a_receiver_never_takes_its_class_name(tmp_path: Path) -> None:
    (tmp_path / "conv.py").write_text(CONVERTER)
    main = "from conv import int_convert\nfor t in ('12', '7', 'z'):\n"
    main += "    try:\n        int_convert(16)(t) if t == 'z' else int_convert()(t)\n"
    main += "    except ValueError:\n        pass\nint_convert(16)['f']\nint_convert(16).digit_ff\n"
    (tmp_path / "main.py").write_text(main)
    targets = (
        "conv.int_convert.__call__",
        "conv.int_convert.__getitem__",
        "conv.int_convert.__getattr__",
    )
    traced = run_pytead("run", *targets, "--", "main.py", cwd=tmp_path)
    assert traced.returncode == 0, traced.stderr
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "conv.py").read_text()
    assert ">>> an_int_convert = int_convert(" in source, source
    assert ">>> an_int_convert(" in source and ".__call__(" not in source, source
    assert '>>> an_int_convert["f"]\n            15\n' in source, source
    assert ">>> an_int_convert.digit_ff\n            255\n" in source, source
    _passes(tmp_path, "conv", 6)


def _passes(folder: Path, module: str, least: int) -> None:
    """The module's doctests all pass, and there are at least *least* of them."""
    count = f"import doctest, {module}; r = doctest.testmod({module}); print(r.failed, r.attempted)"
    done = run_python("-c", count, cwd=folder)
    assert done.returncode == 0, done.stderr
    failed, attempted = map(int, done.stdout.split())
    assert failed == 0 and attempted >= least, done.stdout


SETTINGS = '''
class Settings:
    """Named options, read with a default."""

    def __init__(self, values):
        self.values = dict(values)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def table(self):
        return {key: [key * 4] * 3 for key in self.values}
'''

SETTINGS_MAIN = """
from settings import Settings
s = Settings({"option_%d" % n: "a value of some length %d" % n for n in range(6)})
s.get("option_1")
s.get("option_9", "none")
s.table()
"""


def test_long_receivers_and_long_outputs_are_spread_over_lines(tmp_path: Path) -> None:
    (tmp_path / "settings.py").write_text(SETTINGS)
    (tmp_path / "main.py").write_text(SETTINGS_MAIN)
    targets = ("settings.Settings.get", "settings.Settings.table")
    assert run_pytead("run", *targets, "--", "main.py", cwd=tmp_path).returncode == 0
    result = run_pytead("enrich-docs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "settings.py").read_text()
    assert ">>> settings = Settings(\n" in source, source
    assert "+NORMALIZE_WHITESPACE" in source, source
    assert max(len(line.strip()) for line in source.splitlines()) <= MAX_LINE, source
    _passes(tmp_path, "settings", 3)


def test_a_spread_repr_reads_back_as_the_same_text() -> None:
    value = {f"k{n}": [f"word {n}"] * 5 + [{"deep": (n, "x, y")}] for n in range(8)}
    lines = _wrapped([repr(value)])
    assert len(lines) > 3 and all(len(line) <= MAX_LINE for line in lines), lines
    assert " ".join(" ".join(lines).split()) == " ".join(repr(value).split())
    assert all(line.startswith((" '", "{'")) for line in lines), lines  # items before parts


def test_long_text_is_cut_after_its_line_breaks() -> None:
    text = "".join(f"line number {n} of a longer text\n" for n in range(8))
    lines = statement_lines(Group("parse(", (repr(text),), ")"))
    pieces = [line.removeprefix("...     ") for line in lines[1:-1]]
    assert len(pieces) > 2 and all(piece.endswith('\\n"') for piece in pieces), lines
    assert ast.literal_eval("".join(pieces)) == text


def test_a_path_is_cut_after_a_separator() -> None:
    path = "/srv/projects/some-project/tests/data/fixtures/" + "deeply/" * 6 + "sample_file.json"
    lines = statement_lines(Group("load(", (repr(path),), ")"))
    pieces = [ast.literal_eval(line.removeprefix("...     ")) for line in lines[1:-1]]
    assert len(pieces) > 1 and all(piece.endswith("/") for piece in pieces[:-1]), lines
    assert "".join(pieces) == path
