"""Targets resolve as Python resolves them, whatever spelling names the object.

A package whose ``__init__`` does ``from .slugs import slugs`` makes ``pkg.slugs`` the function
and hides the submodule ``pkg.slugs``; a module-level instance's bound method is a public
function (``pkg.parse = _default.parse``). Every spelling that names the same object is a
target, and what it records becomes tests that pass.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_pytead, run_python

from pytead._store import load_fixture
from pytead._targets import resolve_targets

PACKAGE = {
    "__init__.py": """
        from .slugs import slugs
        from .parser import parser, parse
        """,
    "slugs.py": """
        def slugs(text, sep="-"):
            return sep.join(text.lower().split())
        """,
    "parser.py": """
        class Parser:
            def __init__(self, sep):
                self.sep = sep

            def parse(self, text):
                return text.split(self.sep)


        parser = Parser(",")
        parse = parser.parse
        """,
}


def write_package(root: Path, name: str) -> None:
    package = root / name
    package.mkdir()
    for file, text in PACKAGE.items():
        (package / file).write_text(textwrap.dedent(text).lstrip())


@pytest.fixture
def shadowing(in_tmp_path: Path) -> str:
    """A package whose attributes hide its submodules, under a name unique to the test."""
    name = f"shadow_{abs(hash(in_tmp_path)) % 10**8}"
    write_package(in_tmp_path, name)
    return name


@pytest.mark.parametrize(
    ("spelling", "module", "qualname"),
    [
        ("{p}.slugs", "{p}", "slugs"),  # the attribute: the function
        ("{p}.slugs.slugs", "{p}.slugs", "slugs"),  # __module__.__qualname__
        ("{p}.parser.parser.parse", "{p}.parser", "parser.parse"),  # the instance's method
        ("{p}.parse", "{p}", "parse"),  # the public alias of that bound method
        ("{p}.parser.Parser.parse", "{p}.parser", "Parser.parse"),  # the method on its class
    ],
)
def test_every_spelling_of_a_hidden_submodule_resolves(
    shadowing: str, spelling: str, module: str, qualname: str
) -> None:
    (target,) = resolve_targets([spelling.format(p=shadowing)])
    assert (target.info.module, target.info.qualname) == (module.format(p=shadowing), qualname)


def test_a_missing_name_behind_a_hidden_submodule_is_still_an_error(shadowing: str) -> None:
    with pytest.raises(Exception, match="'slug' not found"):
        resolve_targets([f"{shadowing}.slugs.slug"])


def test_hidden_submodule_targets_are_recorded_and_their_tests_pass(
    tmp_path: Path, backend: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    write_package(project, "textpkg")
    (project / "main.py").write_text(
        "import textpkg\n"
        "print(textpkg.slugs('Hello Big World'), textpkg.slugs('a b', sep='_'))\n"
        "print(textpkg.parse('x,y'), textpkg.parse('z'))\n"
    )
    plain = run_python("main.py", cwd=project)
    targets = ["textpkg.slugs.slugs", "textpkg.parse"]
    traced = run_pytead("run", *targets, "--", "main.py", cwd=project, backend=backend)
    assert traced.returncode == 0, traced.stderr
    assert traced.stdout == plain.stdout
    slugs = load_fixture(project / "call_logs/textpkg/slugs/slugs.yaml")
    assert sorted(str(case.args) for case in slugs.cases) == [
        "{'text': 'Hello Big World'}",
        "{'text': 'a b', 'sep': '_'}",
    ]
    parse = load_fixture(project / "call_logs/textpkg/parse.yaml")
    assert len(parse.cases) == 2 and parse.cases[0].self is None

    generated = run_pytead("gen-tests", "--parametrize", cwd=project)
    assert generated.returncode == 0, generated.stderr
    tests = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project)
    assert tests.returncode == 0, tests.stdout
    assert "4 passed" in tests.stdout
