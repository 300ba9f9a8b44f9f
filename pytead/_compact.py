"""Compaction: fold finished capture journals into the YAML fixtures.

Runs when a traced program ends, and again before ``run`` and ``gen-tests`` to pick up journals a
crash left behind. Merging is pure (`merge_cases`); this module's I/O is reading journals,
writing fixtures, and deleting the journals once their records are safely in fixtures. Records of
a target whose fixture cannot be read stay in a leftover journal, so nothing is lost. Each write
is noted first in the fold's log (`pytead._foldlog`), so a fold killed half-way is completed by
the next one without counting any record twice.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytead._codec import to_json
from pytead._errors import FixtureError
from pytead._foldlog import Applied, FoldLog
from pytead._journal import (
    JOURNAL_SUFFIX,
    JournalRead,
    claim_finished_journals,
    journal_dir,
    store_lock,
)
from pytead._model import (
    Case,
    Fixture,
    Outcome,
    TargetInfo,
    case_from_node,
    case_to_node,
    outcome_from_node,
    outcome_key,
    outcome_kind,
    target_from_node,
)
from pytead._store import fixture_path, load_fixture, render_fixture, write_text_atomic


@dataclass
class _Batch:
    """Everything the journals hold about one target."""

    info: TargetInfo | None = None
    limit: int = 10
    #: Cases beyond *limit* that calls running new lines may add (see `pytead._linecover`).
    explore: int = 0
    #: Ids of those cases.
    explored: set[str] = field(default_factory=set)
    #: Whether some process recorded it with ``stats`` on (counts and timings kept).
    stats: bool = False
    header: dict[str, Any] | None = None
    #: Each journal's cases with their start order in that process, by journal.
    runs: dict[int, list[tuple[int, Case]]] = field(default_factory=dict)
    variants: dict[str, list[Outcome]] = field(default_factory=lambda: defaultdict(list))
    variant_records: list[dict[str, Any]] = field(default_factory=list)
    #: The names of the journals its records come from.
    journals: set[str] = field(default_factory=set)

    def incoming(self) -> list[Case]:
        """The recorded cases in a deterministic order.

        Each process's cases keep the order its calls started in. Processes run side by side,
        so their relative order is a matter of scheduling: instead of by time, their runs follow
        one another by content (the sequence of case ids), which gives the same file whatever
        process happened to go first.
        """
        runs = [[case for _, case in sorted(run, key=lambda p: p[0])] for run in self.runs.values()]
        runs.sort(key=lambda run: [case.id for case in run])
        return [case for run in runs for case in run]


@dataclass(frozen=True)
class TargetReport:
    """What compaction did for one target."""

    target: str
    path: Path
    added: int
    dropped: int
    total: int
    changed: bool


class KeptAside(FixtureError):
    """A fixture that is readable but not rewritten: new records wait in a leftover journal."""


@dataclass
class CompactReport:
    """What a compaction did, for the one-line summary.

    *errors* are the fixtures that cannot be read, *warnings* those kept as they are because
    some of their cases cannot be; the records of both are kept aside in a leftover journal.
    """

    targets: list[TargetReport] = field(default_factory=list)
    errors: list[FixtureError] = field(default_factory=list)
    warnings: list[FixtureError] = field(default_factory=list)
    torn_records: int = 0
    journals: int = 0

    @property
    def added(self) -> int:
        """New cases written to fixtures."""
        return sum(t.added for t in self.targets)


def compact(storage_dir: Path) -> CompactReport:
    """Fold every finished journal under *storage_dir* into its fixtures."""
    report = CompactReport()
    folder = journal_dir(storage_dir)
    if not folder.is_dir() or not any(folder.iterdir()):
        FoldLog(storage_dir).finish()  # a fold killed once its journals were gone left its log
        return report  # nothing was recorded: leave the store (and the disk) as it is
    with store_lock(storage_dir), claim_finished_journals(storage_dir) as journals:
        log = FoldLog(storage_dir)
        if journals:
            _fold(storage_dir, journals, log, report)
        log.finish()
    return report


def _fold(
    storage_dir: Path, journals: list[JournalRead], log: FoldLog, report: CompactReport
) -> None:
    applied = log.recover(journal.path.name for journal in journals)
    log.start(applied)
    batches = _group(journals, applied)
    report.torn_records = sum(j.torn for j in journals)
    report.journals = len(journals)
    leftovers: list[dict[str, Any]] = []
    kept_aside: list[_Batch] = []
    for name, batch in sorted(batches.items()):
        if batch.info is None:
            continue
        try:
            report.targets.append(_apply(storage_dir, batch.info, batch, log))
        except FixtureError as exc:
            (report.warnings if isinstance(exc, KeptAside) else report.errors).append(exc)
            leftovers.extend(_leftover_records(name, batch))
            kept_aside.append(batch)
    if leftovers:
        _write_leftovers(storage_dir, leftovers, kept_aside, log)
    _remove_journals(journals)


def _remove_journals(journals: Iterable[JournalRead]) -> None:
    """Delete folded journals: their records are all in fixtures or in a leftover now."""
    for journal in journals:
        journal.path.unlink(missing_ok=True)


def _per_journal(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply a journal's final ``seen`` counts to its own case records."""
    records = list(records)
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        if record.get("k") == "seen":
            for case_id, count in record.get("counts", {}).items():
                counts[record["t"], case_id] = int(count)
    for record in records:
        if record.get("k") == "case":
            key = (record["t"], record["case"].get("id"))
            if key in counts:
                record["case"]["seen"] = counts[key]
    return records


def _group(journals: Iterable[JournalRead], applied: Applied) -> dict[str, _Batch]:
    """Each target's records, but those an interrupted fold already wrote (see `FoldLog`)."""
    batches: dict[str, _Batch] = defaultdict(_Batch)
    for index, journal in enumerate(journals):
        done = applied.get(journal.path.name, set())
        for record in _per_journal(journal.records):
            name = record.get("t")
            if isinstance(name, str) and name not in done:
                try:
                    _add_record(batches[name], index, record)
                except (KeyError, ValueError, TypeError):
                    continue  # a hand-damaged journal line; the rest of the journal still counts
                batches[name].journals.add(journal.path.name)
    return batches


def _add_record(batch: _Batch, journal: int, record: dict[str, Any]) -> None:
    kind = record.get("k")
    if kind == "target":
        batch.info = target_from_node(record["info"])
        batch.limit = int(record.get("limit", batch.limit))
        batch.explore = max(batch.explore, int(record.get("explore", 0)))
        batch.stats = batch.stats or bool(record.get("stats", False))
        batch.header = record
    elif kind == "case":
        order = int(record.get("n", record.get("ts", 0)))  # "ts": journals of earlier versions
        case = case_from_node(record["case"])
        batch.runs.setdefault(journal, []).append((order, case))
        if record.get("explored"):
            batch.explored.add(case.id)
    elif kind == "variant":
        batch.variants[record["id"]].append(outcome_from_node(record["outcome"]))
        batch.variant_records.append(record)


def _apply(storage_dir: Path, info: TargetInfo, batch: _Batch, log: FoldLog) -> TargetReport:
    path = fixture_path(storage_dir, info.module, info.qualname)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    existing = _existing_cases(path, info) if old is not None else ()
    merged, added, dropped = merge_cases(
        existing, batch.incoming(), batch.variants, batch.limit, (batch.explored, batch.explore)
    )
    if not batch.stats:
        merged = tuple(_without_stats(case) for case in merged)
    text = render_fixture(Fixture(info).replace_cases(merged))
    log.note_fixture(info.name, path, text, batch.journals)
    changed = text != old
    if changed:
        write_text_atomic(path, text)
    return TargetReport(info.name, path, added, dropped, len(merged), changed)


def _existing_cases(path: Path, info: TargetInfo) -> tuple[Case, ...]:
    """The cases of the fixture at *path*, to merge new records into.

    Raises:
        FixtureError: The file cannot be read, or holds cases that cannot be (rewriting it would
            lose them): either way the records are kept aside in a leftover journal.
    """
    fixture = load_fixture(path)
    if fixture.rejected:
        first = fixture.rejected[0]
        raise KeptAside(
            f"case {first.number} cannot be read ({first.reason}), so new calls of {info.name}"
            " are kept aside instead of rewriting the file without it",
            path=path,
            line=first.line,
            hint="fix or delete the case by hand; the next pytead command adds them",
        )
    return fixture.cases


def merge_cases(
    existing: Iterable[Case],
    incoming: Iterable[Case],
    variants: dict[str, list[Outcome]],
    limit: int,
    explored: tuple[set[str], int] = (set(), 0),
) -> tuple[tuple[Case, ...], int, int]:
    """Merge recorded cases into a fixture's cases.

    Existing cases are kept, in their order (even above *limit*); a new case id is appended
    while the fixture holds fewer than *limit* cases (*explored*: the ids of cases kept for
    running new lines, and how many more than *limit* those may make); the same id seen
    again adds to ``seen`` (when counted) and, if its outcome is of a kind not seen yet, to
    ``other_outcomes`` (a nondeterministic case).

    Returns:
        The merged cases, how many new ids were added, and how many were dropped by the limit.
    """
    cases = {case.id: case for case in existing}
    added = dropped = 0
    for case in incoming:
        known = cases.get(case.id)
        if known is not None:
            cases[case.id] = _combine(known, case)
        elif len(cases) < limit + (explored[1] if case.id in explored[0] else 0):
            cases[case.id] = case
            added += 1
        else:
            dropped += 1
    for case_id, outcomes in variants.items():
        if case_id in cases and cases[case_id].comparable:
            cases[case_id] = _with_outcomes(cases[case_id], outcomes)
    return tuple(cases.values()), added, dropped


def _combine(known: Case, new: Case) -> Case:
    seen = known.seen if new.seen is None else (known.seen or 0) + new.seen
    duration = known.duration_us if known.duration_us is not None else new.duration_us
    merged = dataclasses.replace(known, seen=seen, duration_us=duration)
    if not (known.comparable and new.comparable):
        return merged
    return _with_outcomes(merged, [new.outcome, *new.other_outcomes])


def _without_stats(case: Case) -> Case:
    if case.seen is None and case.duration_us is None:
        return case
    return dataclasses.replace(case, seen=None, duration_us=None)


def _with_outcomes(case: Case, outcomes: Iterable[Outcome]) -> Case:
    """Add the outcomes of a kind the case does not show yet.

    One example per kind (a type returned, an exception raised) says that the case is
    nondeterministic and what it may give; keeping every new value would change the fixture
    at each capture of a clock or a random draw.
    """
    keys = {outcome_key(o) for o in (case.outcome, *case.other_outcomes)}
    kinds = {outcome_kind(o) for o in case.other_outcomes}
    others = list(case.other_outcomes)
    for outcome in outcomes:
        key, kind = outcome_key(outcome), outcome_kind(outcome)
        if key not in keys and kind not in kinds and len(others) < 5:
            keys.add(key)
            kinds.add(kind)
            others.append(outcome)
    return dataclasses.replace(case, other_outcomes=tuple(others))


def _leftover_records(name: str, batch: _Batch) -> list[dict[str, Any]]:
    """The batch as one journal of its own, its cases numbered in their merged order."""
    cases: list[dict[str, Any]] = [
        {"k": "case", "t": name, "n": order, "case": case_to_node(case)}
        for order, case in enumerate(batch.incoming())
    ]
    return [*([batch.header] if batch.header else []), *cases, *batch.variant_records]


def _write_leftovers(
    storage_dir: Path, records: list[dict[str, Any]], batches: list[_Batch], log: FoldLog
) -> None:
    """Keep records aside in a journal of their own, written whole or not at all."""
    path = journal_dir(storage_dir) / f"leftover-{secrets.token_hex(4)}{JOURNAL_SUFFIX}"
    targets = {batch.info.name for batch in batches if batch.info is not None}
    log.note_leftover(path.name, targets, {name for batch in batches for name in batch.journals})
    write_text_atomic(path, "".join(to_json(record, shared=True) + "\n" for record in records))
