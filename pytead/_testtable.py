"""Parametrized tests: the cases of a target that share a shape, as one table of ``pytest.param``.

A family is a set of cases that passed the same arguments, with the same kind of outcome
(returned inline, returned as a snapshot, raised) and the same state check. A case that left a
parameter at its default is written without it, as its plain test is, so a default changed in
the source makes the table fail too: ``add(5)`` and ``add(2, 3)`` are two families. Cases that
fit no table (mutated arguments, ``*args``, partly consumed generators, nondeterministic cases)
are left to one test each, and so is a family of one case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pytead._calls import Param
from pytead._codec.literals import str_literal
from pytead._errors import value_path_part
from pytead._model import Case
from pytead._pyformat import Doc, Group, flat
from pytead._testcases import CaseBuilder
from pytead._testnames import row_ids, variable_name
from pytead._testpieces import RECEIVER, Pieces, Reader

_RESERVED = {"expected", "snapshot", "error", "pattern", "state_after", "result", "items", "pytest"}
_AMBIGUOUS = {"l", "O", "I"}  # names linters reject (E741)


@dataclass
class Family:
    """Cases of one target that share a parametrized test.

    Attributes:
        shape: ``value``, ``snapshot`` or ``raises``.
        keys: The argument keys its cases passed, in signature order.
        rows: The cases and their pieces.
        reader: The readers of the checks on the instance the call changed, with `RECEIVER`
            for the instance (none when the calls changed nothing).
    """

    shape: str
    keys: tuple[str, ...]
    rows: list[tuple[Case, Pieces]]
    reader: tuple[Reader, ...]


@dataclass(frozen=True)
class Table:
    """A parametrized test, ready to be written.

    Attributes:
        columns: Argument key -> column name (``self`` for the instance).
        names: Every column of the table, in order.
        rows: The cells of each row, and its id.
        cases: Row id -> the ids of the cases it stands for (equal rows are written once).
    """

    columns: dict[str, str]
    names: list[str]
    rows: list[tuple[list[Doc], str]]
    cases: dict[str, list[str]]


def group_families(
    built: list[tuple[Case, Pieces]], params: list[Param]
) -> tuple[list[Family], list[tuple[Case, Pieces]]]:
    """Sort cases into families; return those of two cases or more, and the cases left over
    (in the order they were recorded), each to be written as its own test."""
    families: dict[tuple[Any, ...], list[int]] = {}
    loose: list[int] = []
    for number, (case, pieces) in enumerate(built):
        if _tabular(case, pieces):
            key = (pieces.shape, _keys(case, params), _reader_template(pieces))
            families.setdefault(key, []).append(number)
        else:
            loose.append(number)
    tables = [
        Family(shape, keys, [built[number] for number in numbers], reader)
        for (shape, keys, reader), numbers in families.items()
        if len(numbers) > 1
    ]
    loose += [numbers[0] for numbers in families.values() if len(numbers) == 1]
    return tables, [built[number] for number in sorted(loose)]


def family_names(base: str, families: list[Family], params: list[Param]) -> list[str]:
    """A test name per table: the target and the shape (``test_parse_sku_raises``).

    Tables that would share a name say which parameters their cases left at their defaults
    (``test_add_default_b``), then, for snapshots, that they assert snapshots.
    """
    wanted = [base + ("_raises" if family.shape == "raises" else "") for family in families]
    plain = [p.key for p in params if p.kind not in ("var_positional", "var_keyword")]
    for number, family in enumerate(families):
        left = [key for key in plain if key not in family.keys]
        if wanted.count(wanted[number]) > 1 and left:
            wanted[number] += "_default_" + "_".join(left)
    for number, family in enumerate(families):
        if wanted.count(wanted[number]) > 1 and family.shape == "snapshot":
            wanted[number] += "_snapshot"
    return wanted


def _keys(case: Case, params: list[Param]) -> tuple[str, ...]:
    """The arguments *case* passed, in signature order: a default it relied on stays out."""
    order = {param.key: number for number, param in enumerate(params)}
    return tuple(sorted(case.args, key=lambda key: order.get(key, len(order))))


def _tabular(case: Case, pieces: Pieces) -> bool:
    if pieces.shape not in ("value", "snapshot", "raises") or case.args_after or not pieces.tabular:
        return False
    if case.yields is not None and not (case.complete and pieces.shape != "raises"):
        return False
    return not any(key.startswith("*") for key in case.args)


def _reader_template(pieces: Pieces) -> tuple[Reader, ...]:
    return pieces.reader


def state_columns(
    readers: tuple[Reader, ...], taken: Iterable[str]
) -> list[tuple[str, str | None]]:
    """Each state check's reader and the column holding its expected value.

    A reader of an attribute names its column after it (``stock_after``); a reader that is an
    assertion by itself (``not hasattr(...)``) has none. *taken*: the table's other columns.
    """
    columns: list[tuple[str, str | None]] = []
    taken = (_RESERVED - {"state_after"}) | set(taken)
    for reader, compared in readers:
        if not compared:
            columns.append((reader, None))
            continue
        attribute = reader.removeprefix(RECEIVER + ".")
        name = f"{attribute}_after".lstrip("_") if attribute.isidentifier() else "state_after"
        candidate, number = name, 2
        while candidate in taken:
            candidate, number = f"{name}_{number}", number + 1
        taken.add(candidate)
        columns.append((reader, candidate))
    return columns


def build_table(family: Family, builder: CaseBuilder) -> Table:
    """Columns and rows of *family*'s table; duplicate rows are written once.

    Rows are given ids once duplicates are gone, so a hash tells apart only rows that differ.
    """
    columns = _columns(family, builder)
    names = list(columns.values())
    if family.shape == "raises":
        names += ["error", "pattern"]
    elif family.shape == "value":
        names.append("expected")
    checked = state_columns(family.reader, columns.values())
    names += [column for _, column in checked if column is not None]
    distinct: dict[str, tuple[list[Doc], list[Case]]] = {}  # row text -> its cells, its cases
    for case, pieces in family.rows:
        cells = _cells(family, builder, case, pieces, columns)
        text = "|".join(flat(cell) for cell in cells)
        # a duplicate row is a lint error (PT014) and tests nothing new: it is written once
        distinct.setdefault(text, (cells, []))[1].append(case)
    ids = row_ids([cases[0] for _, cases in distinct.values()])
    rows = [(cells, row_id) for (cells, _), row_id in zip(distinct.values(), ids, strict=True)]
    cases = {
        row_id: [case.id for case in row_cases]
        for (_, row_cases), row_id in zip(distinct.values(), ids, strict=True)
    }
    return Table(columns, names, rows, cases)


def _columns(family: Family, builder: CaseBuilder) -> dict[str, str]:
    """Argument key -> column name; ``self`` first for methods."""
    taken = _RESERVED | builder.namer.taken
    columns: dict[str, str] = {}
    if builder.ref.info.kind in ("method", "property"):
        columns["self"] = variable_name(builder.ref.owner_expr.rpartition(".")[2], builder.namer)
        taken = taken | {columns["self"]}
    for key in family.keys:
        name = key.lstrip("*")
        usable = name.isidentifier() and name not in taken and name not in _AMBIGUOUS
        columns[key] = name if usable else f"arg_{name}"
        taken = taken | {columns[key]}
    return columns


def _cells(
    family: Family,
    builder: CaseBuilder,
    case: Case,
    pieces: Pieces,
    columns: dict[str, str],
) -> list[Doc]:
    cells: list[Doc] = []
    for key in columns:
        if key == "self":
            cells.append(pieces.setup[0][1])
        else:
            cells.append(builder.value(case.args[key], "args" + value_path_part(key)))
    if family.shape == "raises":
        assert pieces.error is not None
        cells += list(pieces.error)
    elif family.shape == "value":
        cells.append(pieces.expected)
    checks = pieces.after[len(pieces.after) - len(family.reader) :]
    cells += [expected for _, expected in checks if expected is not None]
    return cells


def table_doc(table: Table) -> tuple[Doc, Doc]:
    """The two arguments of ``@pytest.mark.parametrize``: the names and the rows."""
    header = Group("(", tuple(map(str_literal, table.names)), ")", singleton_comma=True)
    params = tuple(
        Group("pytest.param(", (*cells, f"id={str_literal(row_id)}"), ")")
        for cells, row_id in table.rows
    )
    return header, Group("[", params, "]")


def column_arguments(table: Table) -> dict[str, str]:
    """The arguments of the call under test, by key, as column names."""
    return {key: column for key, column in table.columns.items() if key != "self"}
