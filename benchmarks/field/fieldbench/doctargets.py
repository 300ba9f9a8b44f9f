"""Each traced function's docstring before and after `enrich-docs`, and its recorded outcomes.

Run inside a package's environment (by ``probe.py targets``): the fixtures are read with
pytead's own loader, so every case counts as pytead reads it; the docstrings are found in the
sources by module and qualified name with `ast`, independently of pytead's editor, both in the
installed (original) package and in the enriched copy, which has the same layout.

A target's outcomes are what its cases returned (their recorded values), yielded (for
generators) or raised (the exception's type): the distinct ones are what its examples could show.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldbench.docfigures import count_examples, has_handwritten_examples, shown_outcomes
from fieldbench.sections import section_text

if TYPE_CHECKING:
    from pytead._model import Case, Fixture

_Definition = ast.FunctionDef | ast.AsyncFunctionDef


def describe_targets(store: Path, original: Path, enriched: Path) -> list[dict[str, Any]]:
    """One record per fixture of *store*, sorted by target (see `describe_target`)."""
    from pytead._store import iter_fixture_paths, load_fixture

    found = []
    for path in iter_fixture_paths(store):
        try:
            fixture = load_fixture(path)
        except Exception as error:  # one unreadable fixture is reported, the others still count
            found.append({"target": str(path), "cases": 0, "error": f"{error}"[:200]})
            continue
        found.append(describe_target(fixture, original, enriched))
    return sorted(found, key=lambda record: str(record["target"]))


def describe_target(fixture: Fixture, original: Path, enriched: Path) -> dict[str, Any]:
    """What the documentation figures need to know of one traced function.

    Returns:
        ``target``; ``cases`` recorded; ``found`` (its definition is in the original sources);
        ``handwritten`` (its original docstring already shows examples); ``section`` (its
        enriched docstring has a pytead section); ``examples`` (``>>>`` examples there);
        ``outcomes_recorded`` and ``outcomes_shown`` (distinct outcomes, see the module).
    """
    info = fixture.target
    name = info.qualname.split(".")[-1]
    before = list(docstrings(original, info.module, info.qualname))
    after = list(docstrings(enriched, info.module, info.qualname))
    sections = [text for text in map(section_text, after) if text is not None]
    return {
        "target": info.name,
        "cases": len(fixture.cases),
        "found": bool(before),
        "handwritten": any(has_handwritten_examples(text) for text in before),
        "section": bool(sections),
        "examples": count_examples(sections[0]) if sections else 0,
        "outcomes_recorded": len({outcome_key(case) for case in fixture.cases}),
        "outcomes_shown": shown_outcomes(sections[0], name) if sections else 0,
    }


def outcome_key(case: Case) -> str:
    """What a case's call gave, as a text that is equal for equal outcomes."""
    from pytead._model import Raised

    if isinstance(case.outcome, Raised):
        return "raised " + case.outcome.short_type
    if case.yields is not None:
        return "yielded " + repr(case.yields)
    return "returned " + repr(case.outcome.value)


def docstrings(root: Path, module: str, qualname: str) -> Iterator[str]:
    """The docstrings of the definitions named *qualname* in *module*'s file under *root*.

    A name defined twice in one class (a property's getter and setter, overloads) gives each
    definition's docstring; a function with no docstring gives ``""``.
    """
    path = module_file(root, module)
    if path is None:
        return
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return
    for node in definitions(tree.body, qualname.split(".")):
        yield ast.get_docstring(node, clean=False) or ""


def module_file(root: Path, module: str) -> Path | None:
    """The source file of *module* under *root* (a module file or a package's ``__init__``)."""
    base = root.joinpath(*module.split("."))
    for path in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def definitions(body: list[ast.stmt], parts: list[str]) -> list[_Definition]:
    """The functions at the end of *parts* (a qualified name split on dots) in *body*.

    Outer names resolve to their last definition, the one Python keeps; ``<locals>`` cannot
    be reached from the module and gives nothing.
    """
    *outer, last = parts
    for name in outer:
        scopes = [node for node in _statements(body) if _defines(node, name)]
        if not scopes:
            return []
        body = scopes[-1].body  # type: ignore[attr-defined]
    return [
        node for node in _statements(body) if isinstance(node, _Definition) and node.name == last
    ]


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of *body*, and those of its ``if``, ``try`` and ``with`` blocks, where
    code defines a function one way or another (``if sys.version_info >= ...:``)."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.With):
            yield from _statements([*node.body, *getattr(node, "orelse", [])])
        elif isinstance(node, ast.Try):
            handlers = [stmt for handler in node.handlers for stmt in handler.body]
            yield from _statements([*node.body, *handlers, *node.orelse, *node.finalbody])


def _defines(node: ast.stmt, name: str) -> bool:
    kinds = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
    return isinstance(node, kinds) and node.name == name
