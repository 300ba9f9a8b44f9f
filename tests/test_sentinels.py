"""A bare ``object()`` a module binds (a sentinel) is recorded by its name, as the very object.

``MISSING = object()``, ``PROCESS_AS_KEYWORD = object()``: a marker compared with ``is`` has no
state, so it was recorded as ``!opaque`` and every case holding one (a lexer's table of rules,
a default argument) could not be replayed. It is now a ``!ref`` to the module's name for it,
read back as that very object; an ``object()`` no module binds stays opaque.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, passes_then_catches, run_pytead

from pytead._codec import Decoder, Encoder
from pytead._codec.nodes import Tagged, sentinel_binding

MARKER = object()
_ALIAS = MARKER  # a private second name: the public one is preferred


def test_a_sentinel_its_module_binds_is_its_name_and_read_back_as_itself() -> None:
    node = Encoder().encode({"rule": ("word", MARKER)})
    assert node == {"rule": Tagged("tuple", ["word", Tagged("ref", f"{__name__}.MARKER")])}
    assert Decoder().decode(node)["rule"][1] is MARKER


def test_an_object_no_module_binds_stays_opaque() -> None:
    node = Encoder().encode(object())
    assert isinstance(node, Tagged) and node.tag == "opaque"
    assert sentinel_binding(3) is None  # only bare objects are looked for


def test_a_module_imported_after_the_first_lookup_is_indexed_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert sentinel_binding(object()) is None  # the index is built here
    late = types.ModuleType("late_markers")
    late.UNSET = object()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "late_markers", late)
    assert sentinel_binding(late.UNSET) == "late_markers.UNSET"  # type: ignore[attr-defined]


CALC = '''
PROCESS_AS_KEYWORD = object()

RULES = [("select", "keyword"), ("[a-z]+", PROCESS_AS_KEYWORD)]


def kind_of(word, rules):
    """The kind of *word* by the first rule it matches."""
    import re

    for pattern, kind in rules:
        if re.fullmatch(pattern, word):
            return "name" if kind is PROCESS_AS_KEYWORD else kind
    return None
'''

MAIN = """
import calc

print(calc.kind_of("select", calc.RULES), calc.kind_of("price", calc.RULES))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for root in calc_project(tmp_path, monkeypatch, CALC):
        (root / "main.py").write_text(MAIN)
        assert run_pytead("run", "calc.kind_of", "--", "main.py", cwd=root).returncode == 0
        yield root


def test_calls_holding_a_sentinel_give_tests_that_pass_and_catch_a_change(project: Path) -> None:
    fixture = (project / "call_logs" / "calc" / "kind_of.yaml").read_text()
    assert "!ref calc.PROCESS_AS_KEYWORD" in fixture and "!opaque" not in fixture
    result = run_pytead("gen-tests", "--parametrize", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_pytead_generated.py").read_text()
    assert "PROCESS_AS_KEYWORD" in text and "pytead" not in text.split("\n", 3)[-1]
    passes_then_catches(project, ('"name" if', '"keyword" if'))


def test_calls_holding_a_sentinel_give_examples(project: Path) -> None:
    result = run_pytead("enrich-docs", "calc.py", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "calc.py").read_text()
    call = '>>> kind_of("price", [("select", "keyword"), ("[a-z]+", PROCESS_AS_KEYWORD)])'
    assert call in text
    assert text.split(call, 1)[1].split("\n")[1].strip() == "'name'"


def test_a_lazy_module_is_not_loaded_by_the_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []

    class Lazy(types.ModuleType):
        def __getattribute__(self, name: str) -> object:
            loaded.append(name)  # a lazy module imports itself here
            return super().__getattribute__(name)

    monkeypatch.setitem(sys.modules, "lazy_markers", Lazy("lazy_markers"))
    assert sentinel_binding(object()) is None
    assert loaded == []
