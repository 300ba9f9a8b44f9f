"""Resolving target names, globs and errors, as `pytead run` does before the program starts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pytead._errors import TargetError
from pytead._targets import resolve_targets

MODULE = """
class Shelf:
    def put(self, item): ...
    def _sort(self): ...
    @staticmethod
    def size(n): ...
    @classmethod
    def empty(cls): ...
    @property
    def count(self): return 0
    def __len__(self): return 0

def get_one(): ...
def get_two(): ...
def helper(): ...
async def fetch(): ...
async def stream():
    yield 1
from os.path import join
"""


@pytest.fixture
def catalog(in_tmp_path: Path) -> str:
    """A module with a unique name, so tests never share a cached import."""
    name = f"catalog_{abs(hash(in_tmp_path)) % 10**8}"
    (in_tmp_path / f"{name}.py").write_text(textwrap.dedent(MODULE))
    return name


def names(patterns: list[str]) -> list[tuple[str, str]]:
    return [(t.info.qualname, t.info.kind) for t in resolve_targets(patterns)]


def test_a_whole_module_gives_its_functions_and_methods_not_its_imports(catalog: str) -> None:
    assert names([catalog]) == [
        ("Shelf._sort", "method"),
        ("Shelf.count", "property"),
        ("Shelf.empty", "classmethod"),
        ("Shelf.put", "method"),
        ("Shelf.size", "staticmethod"),
        ("fetch", "function"),
        ("get_one", "function"),
        ("get_two", "function"),
        ("helper", "function"),
    ]


def test_globs_match_members(catalog: str) -> None:
    assert names([f"{catalog}.get_*"]) == [("get_one", "function"), ("get_two", "function")]
    assert names([f"{catalog}.Shelf.[ps]*"]) == [
        ("Shelf.put", "method"),
        ("Shelf.size", "staticmethod"),
    ]


def test_one_function_targeted_twice_is_traced_once(catalog: str) -> None:
    assert names([f"{catalog}.helper", f"{catalog}.*"]).count(("helper", "function")) == 1


def test_async_functions_are_flagged(catalog: str) -> None:
    (target,) = resolve_targets([f"{catalog}.fetch"])
    assert target.info.is_async


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{m}.helpr", "{m}.helpr: 'helpr' not found; did you mean {m}.helper"),
        ("{m}.Shelf.pot", "{m}.Shelf.pot: 'pot' not found; did you mean {m}.Shelf.put?"),
        ("{m}.nothing_*", "{m}.nothing_*: matches no function or method"),
        (
            "{m}.stream",
            "{m}.stream: is an async generator function, which pytead does not record yet",
        ),
        ("*.x", "*.x: cannot start with a glob; name the module first"),
        ("{m}..x", "'{m}..x': is not a dotted name like pkg.module.function"),
    ],
)
def test_errors_say_what_and_where_and_suggest(catalog: str, pattern: str, message: str) -> None:
    with pytest.raises(TargetError) as caught:
        resolve_targets([pattern.format(m=catalog)])
    assert caught.value.one_line().startswith(message.format(m=catalog))


def test_a_module_that_fails_to_import_is_reported(in_tmp_path: Path) -> None:
    (in_tmp_path / "broken_mod_x1.py").write_text("raise RuntimeError('no config')\n")
    with pytest.raises(TargetError, match="importing it failed with RuntimeError: no config"):
        resolve_targets(["broken_mod_x1.f"])


def test_a_non_callable_is_refused(catalog: str) -> None:
    (Path.cwd() / "constants_x1.py").write_text("LIMIT = 3\n")
    with pytest.raises(TargetError, match="is a int, not a function, class or module"):
        resolve_targets(["constants_x1.LIMIT"])
