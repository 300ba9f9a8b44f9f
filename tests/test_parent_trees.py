"""A tree whose nodes point back to their parent is written from its root, and a node of it is
reached from that root; the kinds a lexer makes on demand are compared by their value.

A parser's statement holds tokens, each pointing back to the group that holds it, and each token
has a kind (``Kind.Keyword``) that keeps its parent kind and the children made of it so far. A
test gets such a statement as ``Group(tokens=[Token(kind=KEYWORD, text="select"), ...])``: the
group's constructor sets the tokens' back pointers, and the whole tree is checked at gen time
against the recorded one, back pointers included. A token or a group inside the statement is
``Group(...).tokens[1]``. The kinds, whose recorded children depend on what the program had
asked for by then, are compared by their class and value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead
from test_value_roads import gen_tests, pytest_passes, roads

from pytead._codec.encoder import Encoder
from pytead._codec.linked import is_linked_constant, without_links
from pytead._codec.source import render_source, same_value

CALC = '''
class Kind(tuple):
    """A token kind: a tuple of names, making its child kinds when first asked for them."""

    parent = None

    def __getattr__(self, name):
        if not name[:1].isupper():
            raise AttributeError(name)
        child = Kind(self + (name,))
        setattr(self, name, child)
        child.parent = self
        return child

    def __repr__(self):
        return "Kind" + "".join("." + part for part in self)


Root = Kind()
KEYWORD = Root.Keyword
NAME = Root.Name


class Token:
    def __init__(self, kind, text):
        self.kind = kind
        self.text = text
        self.parent = None

    def upper(self):
        return self.text.upper() if self.kind == KEYWORD else self.text


class Group(Token):
    def __init__(self, tokens):
        super().__init__(None, "".join(token.text for token in tokens))
        self.tokens = tokens
        for token in tokens:
            token.parent = self

    def first_keyword(self):
        return next(t.text for t in self.tokens if t.kind == KEYWORD)

    def depth(self):
        return 0 if self.parent is None else 1 + self.parent.depth()


def parse(text):
    """Words become tokens; a word in parentheses becomes a group of its own."""
    tokens = []
    for word in text.split():
        if word.startswith("("):
            tokens.append(Group([Token(NAME, word.strip("()"))]))
        else:
            tokens.append(Token(KEYWORD if word.isupper() else NAME, word))
    return Group(tokens)
'''

MAIN = """\
import calc
statement = calc.parse("SELECT a (b)")
calc.Root.Comment.Single  # a kind made later, which the recorded kinds hold
print(statement.first_keyword(), statement.tokens[2].depth())
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def test_a_root_is_written_by_its_constructor_and_a_node_reached_from_it(project: Path) -> None:
    import calc  # the project's module, importable once `project` is set up

    statement = calc.parse("SELECT a (b)")
    root = render_source(Encoder().encode(statement)).text
    assert root == (
        'Group(tokens=[Token(kind=KEYWORD, text="SELECT"), Token(kind=NAME, text="a"), '
        'Group(tokens=[Token(kind=NAME, text="b")])])'
    )
    inner = render_source(Encoder().encode(statement.tokens[2])).text
    assert inner == root + ".tokens[2]"


def test_a_tree_its_constructor_does_not_link_is_not_written(project: Path) -> None:
    import calc

    statement = calc.parse("SELECT a")
    statement.tokens[1].parent = calc.Token(calc.NAME, "elsewhere")  # not the group's child
    source = render_source(Encoder().encode(statement))
    assert source.uses_pytead  # only pytead's helpers give that token back
    assert 'Token(kind=NAME, text="a")' not in source.text


def test_kinds_are_compared_by_value_not_by_the_children_made_so_far(project: Path) -> None:
    import calc

    recorded = Encoder().encode(calc.KEYWORD)
    assert calc.Root.Comment.Multiline  # made after the record: the kind tree differs
    assert is_linked_constant(recorded)
    assert same_value(calc.KEYWORD, calc.NAME) is False
    assert without_links(recorded) != recorded
    assert render_source(recorded).text == "KEYWORD"


def test_their_tests_pass_without_pytead_and_catch_a_change(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    targets = ("calc.Group.first_keyword", "calc.Group.depth")
    assert run_pytead("run", *targets, "--", "main.py", cwd=project).returncode == 0
    text, lines = gen_tests(capsys)
    assert 'Token(kind=KEYWORD, text="SELECT")' in text, text
    assert ").tokens[2]\n    assert group.depth() == 1" in text, text
    assert roads(lines)["rebuild"] == roads(lines)["fixture_value"] == 0, lines
    assert "pytead" not in text.split("\n", 3)[-1]
    assert pytest_passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace("1 + self.parent.depth()", "self.parent.depth()"))
    assert not pytest_passes(project)
