"""Fixtures -> the text of a pytest module and the snapshots it asserts (pure: data in, text out).

Without ``parametrize`` every case is its own test function, named after its target and its
arguments (see `pytead._testnames`). With it, the cases of a target that share a shape become
one ``@pytest.mark.parametrize`` test named after the target and the shape (``test_parse_sku``,
``test_parse_sku_raises``; see `pytead._testtable`); the others stay one test each, named as
without it. The header records the options the module was made with, so that ``gen-tests
--check`` makes it again the same way. The module is laid out as ``ruff format``
would write it and its imports are sorted as isort sorts them, so linters have nothing to say.

A case that cannot be written is left out, never a reason to stop: the module ends with a comment
listing each left-out case and why (see `pytead._leftout`). The writer also says which cases each
test stands for, so that a test failing on unchanged code can be traced back to its cases, and
which cases have a value accepted by its class's ``==`` (`GeneratedModule.by_equality`): such a
case whose test fails is written again ``strict``, with exact recorded states only, and the
module lists it (`read_strict`), so that ``--check`` writes it the same way.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pytead import __version__
from pytead._codec.literals import comment_text
from pytead._codec.source import Import
from pytead._leftout import (
    INTERNAL,
    MALFORMED,
    TARGET_GONE,
    CaseKey,
    LeftOut,
    one_line,
    render_comment,
)
from pytead._model import Case, Fixture
from pytead._names import snake_case
from pytead._pyformat import Doc, Group, concat, fits, flat, layout, render_lines
from pytead._rejected import RejectedCase
from pytead._testcases import CaseBuilder
from pytead._testnames import Namer, TargetRef, case_names
from pytead._testpieces import RECEIVER, Pieces, setup_lines
from pytead._testtable import (
    Family,
    build_table,
    column_arguments,
    family_names,
    group_families,
    state_columns,
    table_doc,
)

INDENT = "    "
#: The gen-tests option a module's header records when it was made with it.
PARAMETRIZE = "--parametrize"
_OPTIONS_LINE = "# Options: "


@dataclass(frozen=True)
class GeneratedModule:
    """A generated test module.

    Attributes:
        text: The module's source.
        snapshots: Snapshot name -> recorded value, for the module's ``.ambr`` file.
        tests: How many tests pytest collects from it (each row of a table is one).
        cases: Test id (``test_add_2_3``, or ``test_add[2_3]`` for a row) -> its cases.
        left_out: The cases not written, and why.
        imports: Case -> what its test imports.
        roads: How many values of its tests took each road (see `pytead._roads`).
        by_equality: The cases written with a value accepted by its class's ``==``.
        strict: The cases written with exact recorded states only, as asked.
    """

    text: str
    snapshots: dict[str, Any]
    tests: int
    cases: dict[str, tuple[CaseKey, ...]] = field(default_factory=dict)
    left_out: list[LeftOut] = field(default_factory=list)
    imports: dict[CaseKey, frozenset[Import]] = field(default_factory=dict)
    roads: Counter[str] = field(default_factory=Counter)
    by_equality: frozenset[CaseKey] = frozenset()
    strict: frozenset[CaseKey] = frozenset()

    @property
    def written(self) -> int:
        """How many cases became tests."""
        return len({key for keys in self.cases.values() for key in keys})


@dataclass
class _Test:
    """One test function being written."""

    name: str
    body: list[str]
    params: list[str] = field(default_factory=list)
    decorators: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    cases: dict[str, tuple[CaseKey, ...]] = field(default_factory=dict)


class ModuleWriter:
    """Writes the tests of several fixtures into one module."""

    def __init__(
        self,
        *,
        parametrize: bool,
        threshold: int,
        first_party: frozenset[str] = frozenset(),
        aliases: dict[tuple[str, str], str] | None = None,
        leave_out: Mapping[CaseKey, LeftOut] | None = None,
        strict: frozenset[CaseKey] = frozenset(),
    ) -> None:
        self.parametrize = parametrize
        self.threshold = threshold
        self.first_party = first_party
        self.namer = Namer(aliases)
        #: Cases decided against before writing (by verification, say), with their reasons.
        self.leave_out = dict(leave_out or {})
        self.tests: list[_Test] = []
        self.snapshots: dict[str, Any] = {}
        self.left_out: list[LeftOut] = []
        self.imports: dict[CaseKey, frozenset[Import]] = {}
        self.roads: Counter[str] = Counter()
        #: Cases to write with exact recorded states only (their test failed otherwise).
        self.strict = strict
        self.by_equality: set[CaseKey] = set()
        self._names: set[str] = set()
        self._targets: dict[str, str] = {}  # imported target name -> its module

    def add_fixture(self, fixture: Fixture, *, unreachable: str = "") -> None:
        """Add the tests of one fixture; *unreachable* says why its target cannot be imported."""
        name = fixture.target.name
        self.left_out += [_rejected(name, case) for case in fixture.rejected]
        if unreachable:
            self.left_out += [LeftOut(name, c.id, TARGET_GONE, unreachable) for c in fixture.cases]
            return
        ref = TargetRef.of(fixture.target, self._targets)
        builder = CaseBuilder(ref, self.namer, threshold=self.threshold)
        built = []
        for case in fixture.cases:
            key = (name, case.id)
            pieces = self.leave_out.get(key) or _guarded(builder, case, key in self.strict)
            if isinstance(pieces, LeftOut):
                self.left_out.append(pieces)
            else:
                built.append((case, pieces))
                self.imports[key] = pieces.imports
                self.roads.update(pieces.roads)
                if pieces.by_equality:
                    self.by_equality.add(key)
        base = "test_" + _snake(fixture.target.qualname)
        if self.parametrize:
            families, built = group_families(built, ref.params)
            names = family_names(base, families, ref.params)
            for family, family_name in zip(families, names, strict=True):
                if not self._guarded_table(family_name, builder, family):
                    built += family.rows  # written one test each instead
        names = case_names(base, [case for case, _ in built])
        for (case, pieces), test_name in zip(built, names, strict=True):
            self._guarded_plain(test_name, case, pieces, name)

    def _guarded_table(self, name: str, builder: CaseBuilder, family: Family) -> bool:
        """Write *family* as a table; False if it is no table (its cases are one row) or that
        failed (a bug in pytead: not fatal)."""
        try:
            test = self._table(name, builder, family)
        except Exception:
            return False
        if test is not None:
            self.tests.append(test)
        return test is not None

    def _guarded_plain(self, name: str, case: Case, pieces: Pieces, target: str) -> None:
        try:
            self.tests.append(self._plain(name, case, pieces, target))
        except Exception as exc:  # a bug in pytead: the case is left out, the others written
            reason = one_line(f"{type(exc).__name__}: {exc}")
            self.left_out.append(LeftOut(target, case.id, INTERNAL, reason))

    # -- one test per case ----------------------------------------------------------------------

    def _plain(self, name: str, case: Case, pieces: Pieces, target: str) -> _Test:
        test = _Test(self._unique(name), [])
        test.cases[test.name] = ((target, case.id),)
        if pieces.note:
            test.comments.append(f"# {comment_text(pieces.note)}")
        test.body += setup_lines(pieces, INDENT)
        test.body += self._assertion(test, case, pieces)
        for reader, expected in pieces.after:
            test.body += assert_check(reader, expected)
        if pieces.shape == "snapshot":
            self.snapshots[test.name] = pieces.snapshot_value
        return test

    def _assertion(self, test: _Test, case: Case, pieces: Pieces) -> list[str]:
        if pieces.shape == "raises":
            return self._raises(case, pieces)
        if pieces.shape == "snapshot":
            test.params.append("snapshot")
            return assert_snapshot(pieces.call)
        if pieces.shape == "nondeterministic":
            check = Group("isinstance(", (pieces.call, pieces.expected), ")")
            return layout(check, indent=INDENT, prefix="assert ")
        if pieces.shape == "state":  # its state is checked next, attribute by attribute
            return layout(pieces.call, indent=INDENT, prefix="result = ")
        if pieces.shape == "truth":
            return assert_check(pieces.call, None)
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

    def _table(self, name: str, builder: CaseBuilder, family: Family) -> _Test | None:
        """The parametrized test of *family*; None when its cases make one row only."""
        table = build_table(family, builder)
        if len(table.rows) < 2:
            return None  # a table of one row reads worse than the plain test
        name = self._unique(name)
        receiver = table.columns.get("self")
        call = builder.call_expression(receiver, builder.split(dict(column_arguments(table))))
        call = builder.run(call, family.rows[0][0])
        if family.shape == "raises":
            body = self._raises_manager("error", "match=pattern") + statement(call, INDENT * 2)
        elif family.shape == "snapshot":
            body = assert_snapshot(call)
        else:
            body = assert_equal(call, "expected")
        for reader, column in state_columns(family.reader, table.columns.values()):
            body += assert_check(reader.replace(RECEIVER, str(receiver)), column)
        header, rows = table_doc(table)
        self.namer.module("pytest")
        decorator = exploded("@pytest.mark.parametrize(", [header, rows], ")")
        params = [*table.names, *(["snapshot"] if family.shape == "snapshot" else [])]
        target = builder.ref.info.name
        cases = {
            f"{name}[{row_id}]": tuple((target, case_id) for case_id in table.cases[row_id])
            for _, row_id in table.rows
        }
        if family.shape == "snapshot":
            values = {case.id: pieces.snapshot_value for case, pieces in family.rows}
            for _, row_id in table.rows:
                self.snapshots[f"{name}[{row_id}]"] = values[table.cases[row_id][0]]
        return _Test(name, body, params, decorator, cases=cases)

    # -- the module -----------------------------------------------------------------------------

    def _unique(self, name: str) -> str:
        name = re.sub(r"_+", "_", name).strip("_")
        candidate, number = name, 2
        while candidate in self._names:
            candidate, number = f"{name}_{number}", number + 1
        self._names.add(candidate)
        return candidate

    def render(self, sources: Iterable[str]) -> GeneratedModule:
        """The module text, with its header, its imports and the list of cases left out."""
        lines = self._lines(sources)
        cases = {key: keys for test in self.tests for key, keys in test.cases.items()}
        return GeneratedModule(
            render_lines(lines),
            self.snapshots,
            len(cases),  # one test id per pytest item: a table row is a test of its own
            cases,
            list(self.left_out),
            dict(self.imports),
            self.roads,
            frozenset(self.by_equality),
            self._written_strict(cases),
        )

    def _written_strict(self, cases: Mapping[str, tuple[CaseKey, ...]]) -> frozenset[CaseKey]:
        written = {key for keys in cases.values() for key in keys}
        return frozenset(key for key in self.strict if key in written)

    def _lines(self, sources: Iterable[str]) -> list[str]:
        extension = self._snapshot_extension()
        options = (PARAMETRIZE,) if self.parametrize else ()
        lines = _header(sources, options) + import_lines(self.namer.imports, self.first_party)
        if extension:
            lines += ["", "", *extension]
        for test in self.tests:
            lines += ["", "", *_test_lines(test)]
        cases = {key: keys for test in self.tests for key, keys in test.cases.items()}
        strict = strict_comment(self._written_strict(cases))  # before what `read_verdicts` reads
        return lines + strict + render_comment(self.left_out)

    def _snapshot_extension(self) -> list[str]:
        """The serializer the snapshots need, when syrupy's own would show memory addresses."""
        if not self.snapshots:
            return []
        from pytead._amber import IMPORTS, extension_lines, needs_state_serializer

        if not needs_state_serializer(list(self.snapshots.values())):
            return []
        self.namer.use(IMPORTS)
        return extension_lines()


def _test_lines(test: _Test) -> list[str]:
    lines = [*test.comments, *test.decorators]
    lines += layout(Group(f"def {test.name}(", tuple(test.params), ")"), suffix=":")
    return lines + test.body


def _rejected(target: str, case: RejectedCase) -> LeftOut:
    """A case its fixture could not read, named by its place: its id may be no id at all.

    The reason is fixture text, so it stays out of the module (the command prints it): the
    module gives the line, and not the file, whose path as the command was given it would make
    the module differ from one checkout to another (its header names the fixture).
    """
    where = f"line {case.line}" if case.line is not None else "its fixture"
    return LeftOut(target, case.label, MALFORMED, f"{where}, see `pytead list` for why")


def _guarded(builder: CaseBuilder, case: Case, strict: bool = False) -> Pieces | LeftOut:
    """The case's pieces; an error pytead did not foresee leaves the case out, not the run."""
    try:
        return builder.pieces(case, strict=strict)
    except Exception as exc:
        reason = one_line(f"{type(exc).__name__}: {exc}")
        return LeftOut(builder.ref.info.name, case.id, INTERNAL, reason)


def statement(expression: Doc, indent: str) -> list[str]:
    """An expression run for its effect; a bare attribute read (a property) is kept in ``_``."""
    prefix = "_ = " if isinstance(expression, str) and "(" not in expression else ""
    return layout(expression, indent=indent, prefix=prefix)


def assert_snapshot(actual: Doc) -> list[str]:
    """``assert snapshot == actual``: the snapshot first, so a value whose ``__eq__`` answers
    False to strangers still reaches syrupy's comparison."""
    return layout(concat("assert snapshot == ", actual), indent=INDENT)


def assert_check(actual: Doc, expected: Doc | None) -> list[str]:
    """``assert actual == expected``, or ``assert actual`` when there is no expected value."""
    if expected is None:
        return layout(actual, indent=INDENT, prefix="assert ")
    return assert_equal(actual, expected)


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


_HEADER_START = "# Generated by pytead "


def _header(sources: Iterable[str], options: tuple[str, ...]) -> list[str]:
    lines = [
        f"{_HEADER_START}{__version__} from the fixtures below. Do not edit: change the",
        "# fixtures (`pytead replay --update`, or capture again), then run `pytead gen-tests`.",
    ]
    lines += [f"#   {comment_text(source)}" for source in sources]
    return lines + ([_OPTIONS_LINE + " ".join(options)] if options else [])


def recorded_options(text: str | None) -> tuple[str, ...] | None:
    r"""The gen-tests options a generated module's header records; None if it is no such module.

    Only options pytead knows are read back: the text on disk is no place to take orders from.

    Examples:
        >>> head = "# Generated by pytead 1.0 from ...\n#   a.yaml\n"
        >>> recorded_options(head + "# Options: --parametrize\n")
        ('--parametrize',)
        >>> recorded_options(head + "import pytest\n"), recorded_options("import pytest\n")
        ((), None)
    """
    if text is None or not text.startswith(_HEADER_START):
        return None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if line.startswith(_OPTIONS_LINE):
            return tuple(word for word in line[len(_OPTIONS_LINE) :].split() if word == PARAMETRIZE)
    return ()


_STRICT_HEAD = "# Written with exact recorded states only (their test failed otherwise):"
_STRICT_TARGET = re.compile(r"^#   (?P<target>\S+)$")
_STRICT_CASE = re.compile(r"^#     case (?P<case>[0-9A-Za-z_-]+)$")


def strict_comment(strict: Iterable[CaseKey]) -> list[str]:
    """The comment listing the cases written ``strict``, one target a line, a case a line."""
    if not strict:
        return []
    lines = ["", "", _STRICT_HEAD]
    by_target: dict[str, list[str]] = defaultdict(list)
    for target, case_id in sorted(strict):
        by_target[target].append(case_id)
    for target, ids in by_target.items():
        lines += [f"#   {target}", *(f"#     case {case_id}" for case_id in ids)]
    return lines


def read_strict(text: str | None) -> frozenset[CaseKey]:
    r"""The cases a generated module says it wrote ``strict`` (``--check`` writes them so too).

    Examples:
        >>> text = "x = 1\n\n\n" + "\n".join(strict_comment([("m.f", "ab12")]))
        >>> sorted(read_strict(text))
        [('m.f', 'ab12')]
    """
    if text is None or _STRICT_HEAD not in text:
        return frozenset()
    found: set[CaseKey] = set()
    target = ""
    for line in text[text.rindex(_STRICT_HEAD) :].splitlines()[1:]:
        if (named := _STRICT_TARGET.match(line)) is not None:
            target = named["target"]
        elif (case := _STRICT_CASE.match(line)) is not None and target:
            found.add((target, case["case"]))
        else:
            break
    return frozenset(found)


def _snake(qualname: str) -> str:
    return "_".join(snake_case(part) for part in qualname.split("."))
