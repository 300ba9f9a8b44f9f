"""An object whose class no name imports, but which its class's module binds at its top level
(a sentinel: ``_MISSING = make_sentinel("_MISSING")``), is recorded as a ``!ref`` to that
name and written in a test as that name, imported."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import calc_project, run_pytead, run_tool
from test_value_roads import gen_tests

from pytead._codec.decoder import decode
from pytead._codec.encoder import Encoder
from pytead._codec.nodes import Tagged
from pytead._codec.source import NotRenderable, render_source
from pytead._trust import TrustPolicy, trusting

CALC = """
def make_sentinel(name):
    class Sentinel:
        def __repr__(self):
            return name

    return Sentinel()


_MISSING = make_sentinel("_MISSING")
NOT_BOUND = [make_sentinel("inside a list")]


class Box:
    def __init__(self):
        self.value = _MISSING

    def get(self, default=_MISSING):
        if self.value is _MISSING:
            return default
        return self.value


def is_missing(value):
    return value is _MISSING
"""

MAIN = """
import calc

box = calc.Box()
box.get()
box.get(3)
calc.is_missing(calc._MISSING)
calc.is_missing(calc.NOT_BOUND[0])
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from calc_project(tmp_path, monkeypatch, CALC)


def test_a_sentinel_is_written_by_its_module_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "main.py").write_text(MAIN)
    assert run_pytead("run", "calc", "--", "main.py", cwd=project).returncode == 0
    fixture = (project / "call_logs" / "calc" / "is_missing.yaml").read_text()
    assert "!ref calc._MISSING" in fixture
    assert "!localclass" in fixture  # the one bound by no name of its own: by its class
    text, _ = gen_tests(capsys)
    assert "from calc import _MISSING" in text
    assert "assert is_missing(_MISSING) is True" in text
    assert "value is not recorded in full" not in text
    said = " ".join(text.replace("\n#", " ").split())
    assert "make_sentinel.<locals>.Sentinel uses variables of the function" in said
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "assert box.get() is _MISSING" in text
    assert "3 passed" in result.stdout, result.stdout
    # The test holds the very object: the function changed to compare by value fails it.
    (project / "calc.py").write_text(CALC.replace("value is _MISSING\n", "value is None\n"))
    result = run_tool("pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert "1 failed" in result.stdout, result.stdout


def test_the_reference_is_the_very_object_and_only_a_top_level_name_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("sentinels_here")
    exec("class _S: pass\n\ndef make():\n    class S: pass\n    return S()\n", module.__dict__)
    module.MISSING = module.make()
    module.Holder = type("Holder", (), {"inner": module.make()})
    monkeypatch.setitem(sys.modules, "sentinels_here", module)
    node = Encoder().encode(module.MISSING)
    assert node == Tagged("ref", "sentinels_here.MISSING")
    unbound = Encoder().encode(module.Holder.inner)  # a class attribute: no top-level name
    assert isinstance(unbound, Tagged) and unbound.tag == "opaque"
    with trusting(TrustPolicy(frozenset({"sentinels_here"}))):
        assert decode(node) is module.MISSING
        assert render_source(node).text == "MISSING"
        assert render_source(node).imports == {("sentinels_here", "MISSING")}
        # A hostile fixture naming an attribute that is not the module's own binding.
        forged = Tagged("ref", "sentinels_here.Holder.inner")
        with pytest.raises(NotRenderable, match="not a name its module binds"):
            render_source(forged)
