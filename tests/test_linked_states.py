"""Objects equal only to themselves inside a changed attribute are compared through their state.

A cache keeps its entries in a ring of links (``_Link`` objects pointing at each other, equal
only to themselves) and a dict of them by key. Comparing such an attribute with ``==`` fails on
every run, so the case used to be left out, taking its result with it; its test now checks
which keys the dict holds and the links' own attributes (``counter.links["b"].count == 1``),
never going round the ring, and the result of the call, so a change to either fails it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_pytead, run_tool
from test_filled_mappings import recorded_project

from pytead import _gentests  # noqa: F401  (loaded before a test: see `calc_project`)
from pytead._checks import holds_by_identity

CALC = """
class _Link:
    def __init__(self, count=0):
        self.count = count
        self.next = self.prev = self


class Counter:
    def __init__(self):
        self.root = _Link()
        self.links = {}

    def add(self, key):
        link = _Link(1)
        link.prev, link.next = self.root.prev, self.root
        self.root.prev.next = link
        self.root.prev = link
        self.links[key] = link

    def pop(self):
        key = next(iter(self.links))
        link = self.links.pop(key)
        link.prev.next, link.next.prev = link.next, link.prev
        return key
"""

MAIN = """
import calc

counter = calc.Counter()
counter.add("a")
counter.add("b")
print(counter.pop())
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from recorded_project(tmp_path, monkeypatch, (CALC, MAIN), "calc.Counter")


def _passes(project: Path) -> bool:
    run = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    return run.returncode == 0


@pytest.mark.parametrize(
    "change",
    [("return key", "return None"), ("self.links.pop(key)", "self.links[key]")],
    ids=["result", "links"],
)
def test_a_ring_of_links_is_checked_through_their_state(
    project: Path, change: tuple[str, str]
) -> None:
    result = run_pytead("gen-tests", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert 'assert counter.pop() == "a"' in text, text
    assert 'assert list(counter.links) == ["b"]' in text, text
    assert 'assert counter.links["b"].count == 1' in text, text
    assert "Left out" not in text and "fixture_value" not in text
    assert _passes(project)
    calc = project / "calc.py"
    calc.write_text(calc.read_text().replace(*change))
    assert not _passes(project)


def test_only_objects_equal_to_themselves_count() -> None:
    assert holds_by_identity([{"a": (1, object())}])
    assert not holds_by_identity([{"a": (1, "b")}, None, 2.5])
