"""Parametrized tests: the cases of a target that share a shape, as one table of ``pytest.param``.

A family is a set of cases with the same arguments (parameters left at a literal default are
filled in, so ``add(5)`` and ``add(2, 3)`` share a table), the same kind of outcome (returned
inline, returned as a snapshot, raised) and the same state check. Cases that fit no table
(mutated arguments, ``*args``, partly consumed generators, nondeterministic cases) are left to
one test each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pytead._calls import Param
from pytead._codec import Encoder, render_source
from pytead._codec.literals import str_literal
from pytead._errors import value_path_part
from pytead._model import Case
from pytead._pyformat import Doc, Group, flat
from pytead._testcases import CaseBuilder, Pieces
from pytead._testnames import literal_default, variable_name

_RESERVED = {"expected", "snapshot", "error", "pattern", "state_after", "result", "items", "pytest"}
_AMBIGUOUS = {"l", "O", "I"}  # names linters reject (E741)


@dataclass
class Family:
    """Cases of one target that share a parametrized test.

    Attributes:
        shape: ``value``, ``snapshot`` or ``raises``.
        keys: The argument keys, in signature order.
        rows: The cases and their pieces.
        reader: The state check's reader, with `RECEIVER` for the instance, if state is checked.
    """

    shape: str
    keys: tuple[str, ...]
    rows: list[tuple[Case, Pieces]]
    reader: str | None


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
    """Sort cases into families; return the families and the cases that fit none."""
    families: dict[tuple[Any, ...], Family] = {}
    loose: list[tuple[Case, Pieces]] = []
    defaultable = {p.key for p in params if literal_default(p)[0]}
    for case, pieces in built:
        keys = _keys(case, params, defaultable)
        if keys is None or not _tabular(case, pieces):
            loose.append((case, pieces))
            continue
        reader = _reader_template(pieces)
        key = (pieces.shape, keys, reader)
        families.setdefault(key, Family(pieces.shape, keys, [], reader)).rows.append((case, pieces))
    return list(families.values()), loose


def _keys(case: Case, params: list[Param], defaultable: set[str]) -> tuple[str, ...] | None:
    """The family's argument keys: every plain parameter, filled from its literal default."""
    keys = []
    for param in params:
        if param.kind in ("var_positional", "var_keyword"):
            continue
        if param.key in case.args or param.key in defaultable:
            keys.append(param.key)
        else:
            return None
    return tuple(keys)


def _tabular(case: Case, pieces: Pieces) -> bool:
    if pieces.shape not in ("value", "snapshot", "raises") or case.args_after or not pieces.tabular:
        return False
    if case.yields is not None and not (case.complete and pieces.shape != "raises"):
        return False
    return not any(key.startswith("*") for key in case.args)


def _reader_template(pieces: Pieces) -> str | None:
    return pieces.reader if pieces.after else None


def build_table(family: Family, builder: CaseBuilder, ids: list[str]) -> Table:
    """Columns and rows of *family*'s table; duplicate rows are written once."""
    columns = _columns(family, builder)
    names = list(columns.values())
    if family.shape == "raises":
        names += ["error", "pattern"]
    elif family.shape == "value":
        names.append("expected")
    if family.reader is not None:
        names.append("state_after")
    defaults = _default_docs(family.keys, builder.ref.params)
    rows: list[tuple[list[Doc], str]] = []
    seen: dict[str, str] = {}  # row text -> its row id
    cases: dict[str, list[str]] = {}
    for (case, pieces), row_id in zip(family.rows, ids, strict=True):
        cells = _cells(family, builder, case, pieces, columns, defaults)
        text = "|".join(flat(cell) for cell in cells)
        if text not in seen:  # a duplicate row is a lint error (PT014) and tests nothing new
            seen[text] = row_id
            rows.append((cells, row_id))
        cases.setdefault(seen[text], []).append(case.id)
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


def _default_docs(keys: Iterable[str], params: list[Param]) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    for param in params:
        known, value = literal_default(param)
        if known and param.key in keys:
            docs[param.key] = render_source(Encoder().encode(value)).doc
    return docs


def _cells(
    family: Family,
    builder: CaseBuilder,
    case: Case,
    pieces: Pieces,
    columns: dict[str, str],
    defaults: dict[str, Doc],
) -> list[Doc]:
    cells: list[Doc] = []
    for key in columns:
        if key == "self":
            cells.append(pieces.setup[0][1])
        elif key in case.args:
            cells.append(builder.value(case.args[key], "args" + value_path_part(key)))
        else:
            cells.append(defaults[key])
    if family.shape == "raises":
        assert pieces.error is not None
        cells += list(pieces.error)
    elif family.shape == "value":
        cells.append(pieces.expected)
    if family.reader is not None:
        cells.append(pieces.after[-1][1])
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
