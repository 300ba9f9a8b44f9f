"""Fixtures -> the text of a pytest module and the snapshots it asserts (pure: data in, text out).

Without ``parametrize`` every case is its own test function, named after its arguments. With it,
the cases of a target that share a shape become one ``@pytest.mark.parametrize`` test (see
`pytead._testtable`); the others stay one test each. The module is laid out as ``ruff format``
would write it and its imports are sorted as isort sorts them, so linters have nothing to say.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pytead import __version__
from pytead._codec.source import str_literal
from pytead._model import Case, Fixture, Raised
from pytead._pyformat import Doc, Group, concat, fits, flat, layout, render_lines
from pytead._testcases import CaseBuilder, Namer, Pieces, TargetRef
from pytead._testtable import Family, build_table, column_arguments, group_families, table_doc

INDENT = "    "


@dataclass(frozen=True)
class GeneratedModule:
    """A generated test module.

    Attributes:
        text: The module's source.
        snapshots: Snapshot name -> recorded value, for the module's ``.ambr`` file.
        tests: How many test functions it holds.
    """

    text: str
    snapshots: dict[str, Any]
    tests: int


@dataclass
class _Test:
    """One test function being written."""

    name: str
    body: list[str]
    params: list[str] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


class ModuleWriter:
    """Writes the tests of several fixtures into one module."""

    def __init__(
        self,
        *,
        parametrize: bool,
        threshold: int,
        first_party: frozenset[str] = frozenset(),
        aliases: dict[tuple[str, str], str] | None = None,
    ) -> None:
        self.parametrize = parametrize
        self.threshold = threshold
        self.first_party = first_party
        self.namer = Namer(aliases)
        self.tests: list[_Test] = []
        self.snapshots: dict[str, Any] = {}
        self._names: set[str] = set()
        self._targets: dict[str, str] = {}  # imported target name -> its module

    def add_fixture(self, fixture: Fixture, source: str) -> None:
        """Add the tests of one fixture (*source*: its path, named in skipped tests)."""
        ref = TargetRef.of(fixture.target, self._targets)
        builder = CaseBuilder(ref, self.namer, threshold=self.threshold)
        built = [(case, builder.pieces(case)) for case in fixture.cases]
        base = "test_" + _snake(fixture.target.qualname)
        if self.parametrize:
            families, built = group_families(built, ref.params)
            for family in families:
                self._table(base, builder, family)
        for case, pieces in built:
            self._plain(base, case, pieces, source)

    # -- one test per case ----------------------------------------------------------------------

    def _plain(self, base: str, case: Case, pieces: Pieces, source: str) -> None:
        test = _Test(self._unique(f"{base}_{_slug(case)}"), [])
        if pieces.shape == "skip":
            skip = f"@{self.namer.module('pytest')}.mark.skip("
            reason = concat("reason=", str_literal(pieces.skip_reason))
            test.decorators += layout(Group(skip, (reason,), ")"))
            test.body.append(f'{INDENT}"""Case {case.id} of {source}."""')
            self.tests.append(test)
            return
        if pieces.note:
            test.comments.append(f"# {pieces.note}")
        for variable, value in pieces.setup:
            test.body += layout(value, indent=INDENT, prefix=f"{variable} = ")
        test.body += self._assertion(test, case, pieces)
        for reader, expected in pieces.after:
            test.body += assert_equal(reader, expected)
        self.tests.append(test)

    def _assertion(self, test: _Test, case: Case, pieces: Pieces) -> list[str]:
        if pieces.shape == "raises":
            return self._raises(case, pieces)
        if pieces.shape == "snapshot":
            test.params.append("snapshot")
            self.snapshots[test.name] = pieces.snapshot_value
            return assert_snapshot(pieces.call)
        if pieces.shape == "nondeterministic":
            check = Group("isinstance(", (pieces.call, pieces.expected), ")")
            return layout(check, indent=INDENT, prefix="assert ")
        return assert_equal(pieces.call, pieces.expected)

    def _raises(self, case: Case, pieces: Pieces) -> list[str]:
        assert pieces.error is not None
        error, pattern = pieces.error
        manager = self._raises_manager(error, concat("match=", pattern))
        if case.yields is None:
            return manager + statement(pieces.call, INDENT * 2)
        lines = layout(pieces.call, indent=INDENT, prefix="items = ")
        if case.yields:  # the items it gave before raising
            islice = f"{self.namer.module('itertools')}.islice("
            consumed = Group("list(", (Group(islice, ("items", str(len(case.yields))), ")"),), ")")
            lines += assert_equal(consumed, pieces.expected)
        return lines + manager + [INDENT * 2 + "next(items)"]

    def _raises_manager(self, error: Doc, match: Doc) -> list[str]:
        manager = Group(f"{self.namer.module('pytest')}.raises(", (error, match), ")")
        return layout(manager, indent=INDENT, prefix="with ", suffix=":")

    # -- one parametrized test per family -------------------------------------------------------

    def _table(self, base: str, builder: CaseBuilder, family: Family) -> None:
        name = self._unique(base + ("_raises" if family.shape == "raises" else ""))
        ids = _row_ids([case for case, _ in family.rows])
        table = build_table(family, builder, ids)
        receiver = table.columns.get("self")
        call = builder.call_expression(receiver, builder.split(dict(column_arguments(table))))
        call = builder.run(call, family.rows[0][0])
        if family.shape == "raises":
            body = self._raises_manager("error", "match=pattern") + statement(call, INDENT * 2)
        elif family.shape == "snapshot":
            body = assert_snapshot(call)
        else:
            body = assert_equal(call, "expected")
        if family.reader is not None:
            body += assert_equal(family.reader.format(receiver), "state_after")
        header, rows = table_doc(table)
        self.namer.module("pytest")
        decorator = exploded("@pytest.mark.parametrize(", [header, rows], ")")
        params = [*table.names, *(["snapshot"] if family.shape == "snapshot" else [])]
        if family.shape == "snapshot":
            values = {case.id: pieces.snapshot_value for case, pieces in family.rows}
            by_row = dict(zip(ids, [case.id for case, _ in family.rows], strict=True))
            for _, row_id in table.rows:
                self.snapshots[f"{name}[{row_id}]"] = values[by_row[row_id]]
        self.tests.append(_Test(name, body, params, decorator))

    # -- the module -----------------------------------------------------------------------------

    def _unique(self, name: str) -> str:
        name = re.sub(r"_+", "_", name).strip("_")
        candidate, number = name, 2
        while candidate in self._names:
            candidate, number = f"{name}_{number}", number + 1
        self._names.add(candidate)
        return candidate

    def render(self, sources: Iterable[str]) -> GeneratedModule:
        """The module text, with its header and imports."""
        lines = _header(sources) + import_lines(self.namer.imports, self.first_party)
        for test in self.tests:
            lines += ["", "", *test.comments, *test.decorators]
            lines += layout(Group(f"def {test.name}(", tuple(test.params), ")"), suffix=":")
            lines += test.body
        return GeneratedModule(render_lines(lines), self.snapshots, len(self.tests))


def statement(expression: Doc, indent: str) -> list[str]:
    """An expression run for its effect; a bare attribute read (a property) is kept in ``_``."""
    prefix = "_ = " if isinstance(expression, str) and "(" not in expression else ""
    return layout(expression, indent=indent, prefix=prefix)


def assert_snapshot(actual: Doc) -> list[str]:
    """``assert snapshot == actual``: the snapshot first, so a value whose ``__eq__`` answers
    False to strangers still reaches syrupy's comparison."""
    return layout(concat("assert snapshot == ", actual), indent=INDENT)


def assert_equal(actual: Doc, expected: Doc) -> list[str]:
    """``assert actual == expected`` (``is`` for None/True/False), split as ruff splits it.

    The formatters split such a statement on its right-hand bracket only when everything
    before that bracket fits; otherwise the result is named first, which reads as well.
    """
    operator = " is " if flat(expected) in ("None", "True", "False") else " == "
    statement_doc = concat("assert ", actual, operator, expected)
    head = INDENT + "assert " + flat(actual) + operator
    right_split = (
        isinstance(expected, Group) and bool(expected.items) and fits(head + expected.open)
    )
    if fits(head + flat(expected)) or right_split:
        return layout(statement_doc, indent=INDENT)
    if flat(actual) != "result":
        return layout(actual, indent=INDENT, prefix="result = ") + assert_equal("result", expected)
    return layout(statement_doc, indent=INDENT)  # expected values that long go to snapshots


def exploded(open_: str, items: list[Doc], close: str) -> list[str]:
    """One item per line with trailing commas, a layout the formatters keep as it is."""
    lines = [open_]
    for item in items:
        lines += layout(item, indent=INDENT, suffix=",")
    return [*lines, close]


def import_lines(imports: set[tuple[str, str]], first_party: frozenset[str]) -> list[str]:
    """The import block, sorted the way isort (and ruff's ``I001``) sorts it."""
    sections: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for module, name in imports:
        sections[_section(module, first_party)].append((module, name))
    lines: list[str] = []
    for number in sorted(sections):
        lines += [""] if lines else []
        entries = sections[number]
        lines += [f"import {m}" for m in sorted({m for m, n in entries if not n}, key=str.lower)]
        grouped: dict[str, set[str]] = defaultdict(set)
        for module, name in entries:
            if name:
                grouped[module].add(name)
        for module in sorted(grouped, key=str.lower):
            names = sorted(grouped[module], key=_isort_key)
            line = f"from {module} import {', '.join(names)}"
            lines += [line] if fits(line) else exploded(f"from {module} import (", list(names), ")")
    return lines


def _section(module: str, first_party: frozenset[str]) -> int:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return 0
    return 2 if top in first_party else 1


def _isort_key(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: isort's order-by-type (``x as y`` sorts as x)."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _header(sources: Iterable[str]) -> list[str]:
    lines = [
        f"# Generated by pytead {__version__} from the fixtures below. Do not edit: change the",
        "# fixtures (`pytead replay --update`, or capture again), then run `pytead gen-tests`.",
    ]
    return lines + [f"#   {source}" for source in sources]


def _snake(qualname: str) -> str:
    return re.sub(r"(?<!^)(?<![._])(?=[A-Z])", "_", qualname).replace(".", "_").lower()


_SIMPLE = re.compile(r"^[A-Za-z0-9_.\-]{1,16}$")


def _slug(case: Case) -> str:
    """A short readable ASCII name from the case's simple arguments, else from its hash."""
    parts = []
    for value in case.args.values():
        if isinstance(value, bool) or value is None:
            parts.append(str(value))
        elif isinstance(value, int | float):
            parts.append(str(value).replace("-", "minus"))
        elif isinstance(value, str) and _SIMPLE.match(value):
            parts.append(value)
    slug = "_".join(parts)
    if isinstance(case.outcome, Raised):
        slug = f"{slug}_raises" if slug else "raises"
    if len(slug) > 40 or (not parts and case.args):
        slug = case.id
    elif len(parts) != len(case.args):
        slug = f"{slug}_{case.id[:4]}"  # some arguments are not shown: keep names distinct
    return re.sub(r"[^A-Za-z0-9_]", "_", slug) or case.id


def _row_ids(cases: list[Case]) -> list[str]:
    """Readable, distinct ``pytest.param`` ids; a clash falls back to the case hash."""
    wanted = [_slug(case) for case in cases]
    return [w if wanted.count(w) == 1 else case.id for w, case in zip(wanted, cases, strict=True)]
