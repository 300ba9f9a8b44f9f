"""Values too deep, or referring to themselves, are left out with a reason that says so.

A parse tree whose nodes point back to their parent refers to itself; a long chain of nested
values goes deeper than Python's recursion. gen-tests walks such values without recursion and,
when neither code nor a snapshot can show one, leaves its case out saying why, never with a
``RecursionError``; the other cases are written as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import recorded_calc, run_pytead, run_tool

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)
from pytead._codec import Node, Tagged
from pytead._codec.source import NotRenderable, render_source
from pytead._expected import holds_address, needs_snapshot, snapshot_problem
from pytead._pyformat import Group

CALC = """
class Token:
    def __init__(self, text, parent=None):
        self.text = text
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)


def parse(words):
    root = Token("")
    for word in words:
        Token(word, root)
    return root


def count(words):
    return len(words)
"""

MAIN = """
import calc

calc.parse(["select", "1"])
calc.count(["select", "1"])
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_calc(tmp_path, monkeypatch, CALC, MAIN)


def test_a_tree_with_parent_pointers_is_left_out_saying_why(project: Path) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "RecursionError" not in result.stderr
    assert "left out calc.parse case" in result.stderr
    assert "it refers to itself" in result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert 'assert count(["select", "1"]) == 2' in text  # the other case is written
    assert run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project).returncode == 0


def _chain(depth: int) -> Node:
    node: Node = "0x7f3a2b1c0d90"  # an address, at the very bottom
    for _ in range(depth):
        node = Tagged("tuple", [node])
    return node


def test_walks_of_a_value_deeper_than_the_recursion_limit_do_not_recurse() -> None:
    deep = _chain(5000)
    assert holds_address(deep)
    assert snapshot_problem(deep) == "it is nested more than 120 levels deep"
    written = Group("[", ("x",), "]")  # a nested doc: a name alone has no nesting to read
    assert needs_snapshot(deep, None, written, threshold=100)
    assert not needs_snapshot(deep, None, "x", threshold=100)


def test_a_value_that_holds_itself_is_walked_once() -> None:
    loop: list[Node] = ["0x7f3a2b1c0d90"]
    loop.append({"parent": loop})
    assert holds_address(loop)
    assert snapshot_problem(loop) == "it refers to itself (a part points back to a part holding it)"


def test_shared_parts_are_counted_each_time_a_snapshot_shows_them() -> None:
    shared: Node = [1, 2]
    for _ in range(20):  # 2**20 parts once each share is shown where it sits
        shared = [shared, shared]
    assert snapshot_problem(shared) == "it would show more than 50000 parts"


def test_a_value_too_deep_to_write_says_so_without_its_whole_path() -> None:
    with pytest.raises(NotRenderable) as raised:
        render_source(_chain(5000))
    message = raised.value.one_line()
    assert "nested too deeply" in message
    assert len(message) < 200
